//! AWS-IAM-007: IAM users do not hold administrator privileges.

use crate::model::aws::iam::{AttachedPolicy, IamGroup, InlinePolicy};
use crate::model::{Model, Origin};
use crate::rules::{Emitter, Rule, RuleMeta};

/// What the scan found about one source of permissions.
enum Finding {
    Admin(Origin, String, String),
    Unknown(Origin, String, String),
}

fn from_attached(a: &AttachedPolicy, via: &str) -> Option<Finding> {
    let name = a
        .policy
        .known()
        .cloned()
        .unwrap_or_else(|| "a policy".into());
    match a.is_admin() {
        Some(true) => Some(Finding::Admin(
            a.policy.origin.clone(),
            a.policy.path.to_string(),
            format!("{name}{via}"),
        )),
        Some(false) => None,
        None => Some(Finding::Unknown(
            a.policy.origin.clone(),
            a.policy.path.to_string(),
            a.document
                .unknown_reason()
                .unwrap_or("the policy is unknown")
                .to_string(),
        )),
    }
}

fn from_inline(p: &InlinePolicy, via: &str) -> Option<Finding> {
    match p.document.known() {
        Some(d) if d.grants_admin() => Some(Finding::Admin(
            p.document.origin.clone(),
            p.document.path.to_string(),
            format!("inline policy {}{via}", p.meta.address),
        )),
        Some(_) => None,
        None => Some(Finding::Unknown(
            p.document.origin.clone(),
            p.document.path.to_string(),
            p.document.unknown_reason().unwrap_or_default().to_string(),
        )),
    }
}

fn from_group(g: &IamGroup, via: &str) -> Vec<Finding> {
    let mut out: Vec<Finding> = g
        .attached_policies
        .iter()
        .filter_map(|a| from_attached(a, via))
        .chain(g.inline_policies.iter().filter_map(|p| from_inline(p, via)))
        .collect();
    if let Some(u) = &g.unresolved {
        out.push(Finding::Unknown(
            g.meta.origin.clone(),
            "policy".into(),
            u.to_string(),
        ));
    }
    out
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every IAM user (`aws_iam_user`) for administrator-level permissions,
    /// directly or through its groups: an attached `AdministratorAccess` or
    /// `IAMFullAccess`, or a customer managed or inline policy that allows `*` or `iam:*`
    /// on `*`. One result per user; the finding points at the policy or membership that
    /// grants the privileges. (AWS-IAM-003 reports the policies themselves; this rule
    /// answers the auditor's question "which users are administrators?".)
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 expects least privilege and segregation of duties. IAM users carry
    /// long-lived credentials; administrator access should be reached by assuming a role
    /// (with MFA and a session limit) or through SSO, not held permanently by a user.
    ///
    /// ## Default assumed
    /// AWS managed policies other than `AdministratorAccess` and `IAMFullAccess` are taken
    /// as not administrator-level.
    ///
    /// ## Not evaluated
    /// When no source grants administrator access but some cannot be read: a policy whose
    /// document is not in the configuration, a group whose name is unknown or that is not
    /// defined in the configuration, an attachment whose target is unknown.
    ///
    /// ## How to fix
    /// Remove the administrator policy from the user and its groups; let administrators
    /// assume a role instead:
    /// ```hcl
    /// resource "aws_iam_group_policy" "assume_admin" {
    ///   group  = aws_iam_group.admins.name
    ///   policy = data.aws_iam_policy_document.assume_admin_role.json
    /// }
    /// ```
    pub struct IamUserAdminPrivileges {
        id: "AWS-IAM-007",
        slug: "iam-user-admin-privileges",
        title: "IAM users do not hold administrator privileges",
        severity: High,
        family: Identity,
    }
}

impl Rule for IamUserAdminPrivileges {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let aws = &model.aws;
        for (i, u) in aws.iam_users.iter().enumerate() {
            let mut found: Vec<Finding> = u
                .attached_policies
                .iter()
                .filter_map(|a| from_attached(a, ""))
                .chain(u.inline_policies.iter().filter_map(|p| from_inline(p, "")))
                .collect();
            if let Some(r) = &u.unresolved {
                found.push(Finding::Unknown(
                    u.meta.origin.clone(),
                    "policy".into(),
                    r.to_string(),
                ));
            }
            // Each group resolved within the user's account (or root module).
            for (gv, group) in model.user_groups(i) {
                let Some(name) = gv.known() else {
                    found.push(Finding::Unknown(
                        gv.origin.clone(),
                        "groups".into(),
                        gv.unknown_reason().unwrap_or_default().to_string(),
                    ));
                    continue;
                };
                let via = format!(" (through group {name})");
                match group {
                    Some(g) => found.extend(from_group(g, &via)),
                    None => found.push(Finding::Unknown(
                        gv.origin.clone(),
                        "groups".into(),
                        format!("group {name} is not defined in the configuration"),
                    )),
                }
            }
            let admin = found.iter().find_map(|f| match f {
                Finding::Admin(o, p, what) => Some((o, p, what)),
                Finding::Unknown(..) => None,
            });
            if let Some((origin, path, what)) = admin {
                out.fail(
                    &u.meta,
                    origin,
                    path,
                    format!("IAM user holds administrator privileges through {what}"),
                );
                continue;
            }
            match found.first() {
                Some(Finding::Unknown(origin, path, reason)) => {
                    out.not_evaluated(&u.meta, origin, path, reason.clone())
                }
                _ => out.pass(&u.meta, &u.meta.origin, "policy"),
            }
        }
    }
}
