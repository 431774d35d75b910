//! AWS-IAM-015: roles trusted by other accounts require MFA or an external id.

use super::iam_role_trust_mfa::requires_mfa;
use crate::model::aws::iam::{Effect, Statement};
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// The account id in an AWS principal identifier: a 12-digit account id, or the account
/// field of an IAM or STS ARN (`arn:aws:iam::111122223333:root`).
fn account_of(identifier: &str) -> Option<&str> {
    let id = identifier.trim();
    let is_account = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if is_account(id) {
        return Some(id);
    }
    let mut parts = id.split(':');
    let (arn, _partition, service, _region, account) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    (arn == "arn" && matches!(service, "iam" | "sts") && is_account(account)).then_some(account)
}

/// The account of a live role (its ARN); `None` for a configuration, where the account
/// is not known.
fn own_account(address: &str) -> Option<&str> {
    address.starts_with("arn:").then(|| account_of(address)).flatten()
}

/// The first trusted account of the statement that is not `own`: `*` (any account) or
/// an account id written literally. References to resources of the configuration (an
/// unknown ARN) are the configuration's own and never count.
fn foreign_account<'a>(s: &'a Statement, own: Option<&str>) -> Option<&'a str> {
    if s.effect != Effect::Allow {
        return None;
    }
    s.principals
        .iter()
        .filter(|p| p.kind == "*" || p.kind.eq_ignore_ascii_case("AWS"))
        .flat_map(|p| &p.identifiers.values)
        .map(|i| i.trim())
        .find(|i| *i == "*" || account_of(i).is_some_and(|a| Some(a) != own))
}

/// Whether the statement requires MFA or an external id (`sts:ExternalId` compared
/// with `StringEquals` or `StringLike` to a value other than `*`).
fn requires_mfa_or_external_id(s: &Statement) -> bool {
    requires_mfa(s)
        || s.conditions.iter().any(|c| {
            let test = c.test.to_ascii_lowercase();
            c.variable.eq_ignore_ascii_case("sts:ExternalId")
                && (test == "stringequals" || test == "stringlike")
                && (c.values.unknown.is_some()
                    || c.values.values.iter().any(|v| !v.trim().is_empty() && v.trim() != "*"))
        })
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every IAM role's trust policy (`assume_role_policy`) for `Allow`
    /// statements trusting another AWS account — an account id or an IAM ARN of another
    /// account in `Principal.AWS`, or `*` — and requires each to carry
    /// `aws:MultiFactorAuthPresent = true` (or an `aws:MultiFactorAuthAge` limit) or an
    /// `sts:ExternalId` condition. Statements that trust only AWS services or identity
    /// providers are not cross-account trust.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.6: a role another account can assume without MFA is as safe as that
    /// account's weakest access key; a third party's role without an external id can be
    /// used by any of its other customers to reach this account (the confused deputy).
    ///
    /// ## Default assumed
    /// A configuration does not say which account it is applied to: an account written
    /// literally in the trust policy is taken as another account, while references to
    /// the configuration (`data.aws_caller_identity.current.account_id`,
    /// `aws_iam_role.x.arn`) are taken as its own. A live scan compares with the role's
    /// account.
    ///
    /// ## Not evaluated
    /// When the trust policy is unknown, or includes an unknown document, or a trusted
    /// principal without MFA or an external id comes from outside the configuration (a
    /// variable: `arn:aws:iam::${var.account_id}:root`), and no other account is
    /// trusted otherwise.
    ///
    /// ## How to fix
    /// ```hcl
    /// statement {
    ///   actions = ["sts:AssumeRole"]
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = ["arn:aws:iam::111122223333:root"]
    ///   }
    ///   condition {
    ///     test     = "StringEquals"
    ///     variable = "sts:ExternalId"
    ///     values   = [var.external_id]
    ///   }
    /// }
    /// ```
    pub struct IamRoleCrossAccountTrust {
        id: "AWS-IAM-015",
        slug: "iam-role-cross-account-trust",
        title: "Roles trusted by other accounts require MFA or an external id",
        severity: Medium,
        family: Identity,
    }
}

impl Rule for IamRoleCrossAccountTrust {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.iam_roles {
            let tp = &r.trust_policy;
            let doc = match &tp.value {
                Resolved::Set(d) | Resolved::Defaulted(d) => d,
                Resolved::Unknown(reason) => {
                    out.not_evaluated(&r.meta, &tp.origin, &tp.path, reason.to_string());
                    continue;
                }
            };
            let own = own_account(&r.meta.address);
            let lacking = || {
                doc.statements
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.effect == Effect::Allow && !requires_mfa_or_external_id(s))
            };
            let foreign = lacking().find_map(|(i, s)| Some((i, s, foreign_account(s, own)?)));
            // A principal from outside the configuration (a variable) may be another
            // account.
            let unsure = lacking().find_map(|(_, s)| {
                s.principals
                    .iter()
                    .filter(|p| p.kind == "*" || p.kind.eq_ignore_ascii_case("AWS"))
                    .find_map(|p| p.identifiers.external.clone())
            });
            match (foreign, unsure.or_else(|| doc.incomplete.clone())) {
                (Some((i, s, acct)), _) => {
                    let who = if acct == "*" {
                        "any AWS account".to_string()
                    } else {
                        format!("account {}", account_of(acct).unwrap_or(acct))
                    };
                    out.fail(
                        &r.meta,
                        &tp.origin,
                        &tp.path,
                        format!(
                            "trust policy lets {who} assume the role in {} without requiring MFA (aws:MultiFactorAuthPresent) or an external id (sts:ExternalId)",
                            s.label(i)
                        ),
                    );
                }
                (None, Some(reason)) => out.not_evaluated(
                    &r.meta,
                    &tp.origin,
                    &tp.path,
                    format!("whether the role trusts another account is unknown: {reason}"),
                ),
                (None, None) => out.pass(&r.meta, &tp.origin, &tp.path),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_of_identifiers() {
        assert_eq!(account_of("111122223333"), Some("111122223333"));
        assert_eq!(
            account_of("arn:aws:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(
            account_of("arn:aws-us-gov:iam::111122223333:role/x"),
            Some("111122223333")
        );
        assert_eq!(account_of("arn:aws:iam::*:root"), None);
        assert_eq!(account_of("ec2.amazonaws.com"), None);
        assert_eq!(
            own_account("arn:aws:iam::123456789012:role/r"),
            Some("123456789012")
        );
        assert_eq!(own_account("aws_iam_role.r"), None);
    }
}
