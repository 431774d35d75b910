//! AWS-IAM-005: no long-lived access keys are created for IAM users in code.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports every active `aws_iam_access_key` (`status` absent or `Active`): a
    /// long-lived access key of an IAM user created by the configuration. Inactive keys
    /// pass.
    ///
    /// Keys read from a live account (`scan --aws`) are not judged by this rule, which
    /// is about keys created in code and their secret in the Terraform state; AWS-IAM-011
    /// checks that live keys are rotated.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects credentials that are protected and limited in time, and CC6.2 their
    /// removal when no longer needed. Access keys never expire; a key created by
    /// Terraform also has its secret written to the Terraform state (in plain text unless
    /// `pgp_key` is used), so everyone who can read the state holds the credential.
    /// Workloads should use roles (instance profiles, IRSA, OIDC federation for CI).
    ///
    /// ## Default assumed
    /// `status` defaults to `Active` (provider docs).
    ///
    /// ## Not evaluated
    /// When `status` comes from a variable without a value.
    ///
    /// ## How to fix
    /// Replace the user and key with a role the workload assumes, e.g. for CI:
    /// ```hcl
    /// resource "aws_iam_role" "ci" {
    ///   name = "ci"
    ///   assume_role_policy = data.aws_iam_policy_document.github_oidc.json
    /// }
    /// ```
    pub struct IamUserAccessKey {
        id: "AWS-IAM-005",
        slug: "iam-user-access-key",
        title: "No long-lived IAM user access keys are created in code",
        severity: Medium,
        family: Identity,
    }
}

impl Rule for IamUserAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        // Only keys declared in a configuration; live keys have an ARN origin.
        for k in model
            .aws
            .iam_access_keys
            .iter()
            .filter(|k| k.meta.origin.file().is_some())
        {
            let user = k.user.known().cloned();
            out.require(
                &k.meta,
                &k.status,
                |s| !s.eq_ignore_ascii_case("active"),
                |_| match &user {
                    Some(u) => format!(
                        "active long-lived access key for IAM user {u}; its secret is stored in the Terraform state"
                    ),
                    None => "active long-lived access key for an IAM user; its secret is stored in the Terraform state".to_string(),
                },
            );
        }
    }
}
