//! AWS-IAM-008: IAM users have no inline policies.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports every inline policy embedded in an IAM user (`aws_iam_user_policy`). Users
    /// without one pass.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 expects access granted by role and reviewed regularly. Permissions written
    /// into individual users escape group- and role-based reviews, are not reusable and
    /// are easily forgotten when a person changes role (CC6.2). Grant permissions to
    /// groups or roles (CIS AWS Foundations 1.15).
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## Not evaluated
    /// When a user has no inline policy of its own but an `aws_iam_user_policy` whose
    /// `user` is unknown might belong to it.
    ///
    /// ## How to fix
    /// Move the permissions to a group the user belongs to:
    /// ```hcl
    /// resource "aws_iam_group_policy" "deployers" {
    ///   group  = aws_iam_group.deployers.name
    ///   policy = data.aws_iam_policy_document.deploy.json
    /// }
    /// ```
    pub struct IamUserInlinePolicy {
        id: "AWS-IAM-008",
        slug: "iam-user-inline-policy",
        title: "IAM users have no inline policies",
        severity: Low,
        family: Identity,
    }
}

impl Rule for IamUserInlinePolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for u in &model.aws.iam_users {
            if u.inline_policies.is_empty() {
                match &u.unresolved {
                    Some(r) => out.not_evaluated(&u.meta, &u.meta.origin, "policy", r.to_string()),
                    None => out.pass(&u.meta, &u.meta.origin, "policy"),
                }
                continue;
            }
            for p in &u.inline_policies {
                out.fail(
                    &u.meta,
                    &p.meta.origin,
                    &p.meta.address,
                    "inline policy attached directly to an IAM user; grant permissions through a group or role",
                );
            }
        }
    }
}
