//! AWS-IAM-004: admin roles assumable by IAM users or accounts require MFA.

use crate::model::aws::iam::{Effect, IamRole, Statement};
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether a trust statement lets IAM principals (users, roles, whole accounts, or
/// everyone) assume the role; `Principal.Service` and `Principal.Federated` do not count.
fn trusts_iam_principals(s: &Statement) -> bool {
    s.effect == Effect::Allow
        && s.principals
            .iter()
            .any(|p| matches!(p.kind.as_str(), "AWS" | "*" | "?"))
}

/// Whether the statement requires MFA: `aws:MultiFactorAuthPresent` true or a
/// `Numeric*` condition on `aws:MultiFactorAuthAge`.
pub(crate) fn requires_mfa(s: &Statement) -> bool {
    s.has_condition("Bool", "aws:MultiFactorAuthPresent", "true")
        || s.conditions.iter().any(|c| {
            c.variable.eq_ignore_ascii_case("aws:MultiFactorAuthAge")
                && c.test.to_ascii_lowercase().starts_with("numericless")
        })
}

/// Whether the role holds administrator-level permissions: `Ok(true)`, `Ok(false)`, or
/// `Err(reason)` when some attached policy is unknown.
fn role_is_admin(r: &IamRole) -> Result<bool, String> {
    let mut unknown: Option<String> = None;
    for a in &r.attached_policies {
        match a.is_admin() {
            Some(true) => return Ok(true),
            Some(false) => {}
            None => {
                unknown.get_or_insert_with(|| {
                    a.document
                        .unknown_reason()
                        .unwrap_or("an attached policy is unknown")
                        .to_string()
                });
            }
        }
    }
    for p in &r.inline_policies {
        match p.document.known() {
            Some(d) if d.grants_admin() => return Ok(true),
            Some(_) => {}
            None => {
                unknown.get_or_insert_with(|| {
                    p.document.unknown_reason().unwrap_or_default().to_string()
                });
            }
        }
    }
    if let Some(u) = &r.unresolved {
        unknown.get_or_insert_with(|| u.to_string());
    }
    match unknown {
        Some(u) => Err(u),
        None => Ok(false),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks IAM roles (`aws_iam_role`) that are administrator-level — an attached or
    /// inline policy allows `*` or `iam:*` on `*`, or `AdministratorAccess` /
    /// `IAMFullAccess` is attached — and whose trust policy (`assume_role_policy`) lets
    /// IAM principals assume them (`Principal.AWS`: users, roles, accounts, or `*`).
    /// Every such trust statement must require MFA with a condition on
    /// `aws:MultiFactorAuthPresent = true` (`Bool`/`BoolIfExists`) or on
    /// `aws:MultiFactorAuthAge` (`NumericLessThan`/`NumericLessThanEquals`).
    ///
    /// Statements that trust only `Principal.Service` (EC2, Lambda, ...) or
    /// `Principal.Federated` (SAML or OIDC identity providers) are exempt: AWS services
    /// cannot present MFA, and `AssumeRoleWithSAML`/`AssumeRoleWithWebIdentity` requests
    /// never carry the MFA context keys — MFA for federated users is enforced by the
    /// identity provider, outside the configuration.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects MFA for privileged access and CC6.1 strong authentication: without
    /// the condition, a leaked access key of any trusted user or account is enough to
    /// become administrator.
    ///
    /// ## Default assumed
    /// None: the trust policy is required. AWS managed policies other than
    /// `AdministratorAccess` and `IAMFullAccess` are taken as not administrator-level.
    ///
    /// ## Not evaluated
    /// When the trust policy is unknown for an administrator role, or when the trust
    /// policy lacks MFA and some attached policy's document is unknown (a customer policy
    /// defined elsewhere, a policy ARN from a variable).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_iam_role" "admin" {
    ///   name = "admin"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::111122223333:root" }
    ///       Action    = "sts:AssumeRole"
    ///       Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    ///     }]
    ///   })
    /// }
    /// ```
    pub struct IamRoleTrustMfa {
        id: "AWS-IAM-004",
        slug: "iam-role-trust-mfa",
        title: "Administrator roles assumable by IAM principals require MFA",
        severity: High,
        family: Identity,
    }
}

impl Rule for IamRoleTrustMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.iam_roles {
            let admin = role_is_admin(r);
            if admin == Ok(false) {
                continue;
            }
            let tp = &r.trust_policy;
            let doc = match &tp.value {
                Resolved::Set(d) | Resolved::Defaulted(d) => d,
                Resolved::Unknown(reason) => {
                    if admin == Ok(true) {
                        out.not_evaluated(&r.meta, &tp.origin, &tp.path, reason.to_string());
                    }
                    continue;
                }
            };
            let trusting: Vec<&Statement> = doc
                .statements
                .iter()
                .filter(|s| trusts_iam_principals(s))
                .collect();
            if trusting.is_empty() {
                if let (Some(reason), Ok(true)) = (&doc.incomplete, &admin) {
                    out.not_evaluated(&r.meta, &tp.origin, &tp.path, reason.to_string());
                }
                continue;
            }
            let lacking = trusting.iter().filter(|s| !requires_mfa(s)).count();
            match (lacking, admin) {
                (0, _) => out.pass(&r.meta, &tp.origin, &tp.path),
                (_, Ok(_)) => out.fail(
                    &r.meta,
                    &tp.origin,
                    &tp.path,
                    "administrator role can be assumed by IAM principals without MFA (no aws:MultiFactorAuthPresent condition)",
                ),
                (_, Err(reason)) => out.not_evaluated(
                    &r.meta,
                    &tp.origin,
                    &tp.path,
                    format!("the role's trust policy does not require MFA, and whether it is an administrator role is unknown: {reason}"),
                ),
            }
        }
    }
}
