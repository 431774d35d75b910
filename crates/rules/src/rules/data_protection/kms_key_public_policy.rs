//! AWS-KMS-020: KMS key policies do not allow public access.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every KMS key's key policy (`policy` of `aws_kms_key`; live: `GetKeyPolicy`) for an `Allow`
    /// statement granting everyone — `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` —
    /// without a condition that narrows the caller to an account, organization, network
    /// or source resource (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`, `aws:SourceIp`, ...). The
    /// policy may be written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: a key anyone may use lets anyone decrypt the data it protects (or
    /// schedule the key's deletion, destroying that data); encryption then no longer
    /// restricts who reads it.
    ///
    /// ## Default assumed
    /// Without `policy`, KMS applies the default key policy, which gives access to the
    /// owner account only. Negated operators, `...IfExists` operators and values matching
    /// anything (`*`, `0.0.0.0/0`) do not narrow the caller.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (a variable without a value, a file that cannot be
    /// read), or includes an unknown document or principal and shows no public
    /// statement otherwise.
    ///
    /// ## How to fix
    /// Grant the key to the account's principals, or to a service for your account only:
    /// ```hcl
    /// statement {
    ///   actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    ///   resources = ["*"]
    ///   principals {
    ///     type        = "Service"
    ///     identifiers = ["logs.amazonaws.com"]
    ///   }
    ///   condition {
    ///     test     = "StringEquals"
    ///     variable = "aws:SourceAccount"
    ///     values   = [data.aws_caller_identity.current.account_id]
    ///   }
    /// }
    /// ```
    pub struct KmsKeyPublicPolicy {
        id: "AWS-KMS-020",
        slug: "kms-key-public-policy",
        title: "KMS key policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for KmsKeyPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.kms_keys {
            public_policy::check(out, &r.meta, &r.policy, "key policy");
        }
    }
}
