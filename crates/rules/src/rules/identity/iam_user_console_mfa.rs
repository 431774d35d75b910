//! AWS-IAM-002: IAM users with console access are required to use MFA.

use crate::model::aws::iam::{Effect, IamGroup, PolicyDocument};
use crate::model::{Model, Resolved, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether a document denies actions when MFA is absent (the "force MFA" pattern).
fn enforces_mfa(doc: &PolicyDocument) -> bool {
    doc.statements.iter().any(|s| {
        s.effect == Effect::Deny && s.has_condition("Bool", "aws:MultiFactorAuthPresent", "false")
    })
}

/// Looks at one document: `Some(true)` enforces MFA, `Some(false)` does not, `None` unknown.
fn look(doc: &Value<PolicyDocument>, unknown: &mut Option<String>) -> bool {
    match &doc.value {
        Resolved::Set(d) | Resolved::Defaulted(d) => {
            if enforces_mfa(d) {
                return true;
            }
            if let Some(r) = &d.incomplete {
                unknown.get_or_insert(r.to_string());
            }
            false
        }
        Resolved::Unknown(r) => {
            unknown.get_or_insert(r.to_string());
            false
        }
    }
}

fn group_enforces(g: &IamGroup, unknown: &mut Option<String>) -> bool {
    if let Some(r) = &g.unresolved {
        unknown.get_or_insert(r.to_string());
    }
    g.inline_policies.iter().any(|p| look(&p.document, unknown))
        || g.attached_policies
            .iter()
            .any(|p| look(&p.document, unknown))
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every IAM user with a console password (`aws_iam_user_login_profile`)
    /// is subject to an IAM policy that denies actions when MFA is absent: a `Deny`
    /// statement with condition `Bool`/`BoolIfExists` `aws:MultiFactorAuthPresent =
    /// false`, in an inline policy of the user, a managed policy attached to the user
    /// (`aws_iam_user_policy_attachment`, `aws_iam_policy_attachment`), or a policy of a
    /// group the user belongs to (`aws_iam_user_group_membership`,
    /// `aws_iam_group_membership`).
    ///
    /// Terraform cannot enable an MFA device for a user (`aws_iam_virtual_mfa_device`
    /// only creates the device; enabling it needs two codes from the authenticator), so
    /// the presence or absence of that resource proves nothing and is not used. What
    /// Terraform can express is the enforcement policy, which is what this rule checks.
    ///
    /// A live scan (`scan --aws`) also lists each console user's MFA devices
    /// (`ListMFADevices`). A user with an MFA device enrolled passes even without an
    /// enforcing policy: AWS asks for the code at every console sign-in of a user who
    /// has a device. The enforcing policy is still recommended: it also covers API calls
    /// made with the user's access keys, and it keeps holding if the user removes the
    /// device. A user with neither a device nor an enforcing policy fails.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.6 expect multi-factor authentication for access to systems
    /// holding customer data; a console password alone is phishable. The deny-without-MFA
    /// policy makes MFA a precondition instead of a habit.
    ///
    /// ## Default assumed
    /// A user without a login profile has no console access and is not checked.
    ///
    /// ## Not evaluated
    /// When no enforcing policy is found but some policy that applies to the user is
    /// unknown (an AWS managed policy or one defined outside the configuration, a
    /// document from values without a value, a group defined elsewhere), or a login
    /// profile, attachment or membership cannot be tied to a user. On a live scan, also
    /// when the user's MFA devices cannot be listed and no enforcing policy is found.
    ///
    /// ## How to fix
    /// ```hcl
    /// data "aws_iam_policy_document" "require_mfa" {
    ///   statement {
    ///     sid           = "DenyAllWithoutMFA"
    ///     effect        = "Deny"
    ///     not_actions   = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice",
    ///                      "iam:ListMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
    ///     resources     = ["*"]
    ///     condition {
    ///       test     = "BoolIfExists"
    ///       variable = "aws:MultiFactorAuthPresent"
    ///       values   = ["false"]
    ///     }
    ///   }
    /// }
    ///
    /// resource "aws_iam_group_policy" "require_mfa" {
    ///   group  = aws_iam_group.humans.name
    ///   policy = data.aws_iam_policy_document.require_mfa.json
    /// }
    /// ```
    pub struct IamUserConsoleMfa {
        id: "AWS-IAM-002",
        slug: "iam-user-console-mfa",
        title: "Console users are required to use MFA",
        severity: High,
        family: Identity,
    }
}

impl Rule for IamUserConsoleMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, u) in model.aws.iam_users.iter().enumerate() {
            let c = &u.console_access;
            match &c.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(&u.meta, &c.origin, &c.path, r.to_string());
                    continue;
                }
                Resolved::Set(false) | Resolved::Defaulted(false) => continue,
                _ => {}
            }
            // Live scans know whether a device is enrolled (Terraform cannot: `None`).
            let device = u.mfa_device.as_ref();
            if device.is_some_and(|d| d.known() == Some(&true)) {
                out.pass(&u.meta, &c.origin, &c.path);
                continue;
            }
            let mut unknown: Option<String> = device
                .and_then(|d| d.unknown_reason())
                .map(str::to_string)
                .or_else(|| u.unresolved.as_ref().map(|r| r.to_string()));
            let mut enforced = u
                .inline_policies
                .iter()
                .any(|p| look(&p.document, &mut unknown))
                || u.attached_policies
                    .iter()
                    .any(|p| look(&p.document, &mut unknown));
            // Each group resolved within the user's account (or root module).
            for (g, group) in model.user_groups(i) {
                if enforced {
                    break;
                }
                match g.known() {
                    Some(name) => match group {
                        Some(group) => enforced = group_enforces(group, &mut unknown),
                        None => {
                            unknown.get_or_insert(format!(
                                "group {name} is not defined in the configuration"
                            ));
                        }
                    },
                    None => {
                        unknown.get_or_insert(
                            g.unknown_reason().unwrap_or("unknown group").to_string(),
                        );
                    }
                }
            }
            if enforced {
                out.pass(&u.meta, &c.origin, &c.path);
            } else if let Some(r) = unknown {
                out.not_evaluated(&u.meta, &c.origin, &c.path, r);
            } else if device.is_some() {
                out.fail(
                    &u.meta,
                    &c.origin,
                    &c.path,
                    "user has console access, no MFA device and no policy denying access without MFA",
                );
            } else {
                out.fail(
                    &u.meta,
                    &c.origin,
                    &c.path,
                    "user has console access but no policy denies access without MFA",
                );
            }
        }
    }
}
