//! AWS-IAM-006: role sessions are limited to at most four hours.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// The longest accepted role session, in seconds (4 hours).
const MAX_SESSION_SECONDS: i64 = 4 * 3600;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every IAM role (`aws_iam_role`) has a `max_session_duration` of at
    /// most 14 400 seconds (4 hours).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects sessions to time out. Role credentials cannot be revoked one by one
    /// once issued; the maximum session duration bounds how long stolen temporary
    /// credentials stay usable and how long an unattended console session lives. Four
    /// hours covers a half working day and long CI jobs; the AWS maximum is 12 hours.
    ///
    /// ## Default assumed
    /// `max_session_duration` defaults to 3600 seconds (provider docs; IAM `CreateRole`),
    /// which passes.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_iam_role" "ops" {
    ///   name                 = "ops"
    ///   assume_role_policy   = data.aws_iam_policy_document.ops_trust.json
    ///   max_session_duration = 3600
    /// }
    /// ```
    pub struct IamRoleMaxSessionDuration {
        id: "AWS-IAM-006",
        slug: "iam-role-max-session-duration",
        title: "IAM role sessions last at most four hours",
        severity: Low,
        family: Identity,
    }
}

impl Rule for IamRoleMaxSessionDuration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.iam_roles {
            out.require(
                &r.meta,
                &r.max_session_duration,
                |s| *s <= MAX_SESSION_SECONDS,
                |s| {
                    format!(
                        "role sessions may last {s} seconds ({:.1} hours), more than 4 hours",
                        *s as f64 / 3600.0
                    )
                },
            );
        }
    }
}
