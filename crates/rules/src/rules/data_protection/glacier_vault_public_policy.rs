//! AWS-GLA-020: Glacier vault policies do not allow public access.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every S3 Glacier vault's access policy (`access_policy` of
    /// `aws_glacier_vault`) for an `Allow`
    /// statement granting everyone — `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` —
    /// without a condition that narrows the caller to an account, organization, network
    /// or source resource (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`, `aws:SourceIp`, ...). The
    /// policy may be written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: anyone could retrieve the archives — usually long-term copies
    /// of business records — or delete them.
    ///
    /// ## Default assumed
    /// Without an access policy only the owner account has access. Negated operators, `...IfExists` operators and values matching
    /// anything (`*`, `0.0.0.0/0`) do not narrow the caller.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (a variable without a value, a file that cannot be
    /// read), or includes an unknown document or principal and shows no public
    /// statement otherwise. On a live scan, when `ListVaults` or the vault's
    /// `GetVaultAccessPolicy` is denied or fails (moto 5.1 does not implement
    /// `GetVaultAccessPolicy`).
    ///
    /// ## How to fix
    /// Name the principals that use the vault:
    /// ```hcl
    /// resource "aws_glacier_vault" "archive" {
    ///   name = "archive"
    ///   access_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = aws_iam_role.archiver.arn }
    ///       Action    = ["glacier:UploadArchive", "glacier:InitiateJob"]
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    pub struct GlacierVaultPublicPolicy {
        id: "AWS-GLA-020",
        slug: "glacier-vault-public-policy",
        title: "Glacier vault policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for GlacierVaultPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.glacier_vaults {
            public_policy::check(out, &r.meta, &r.policy, "vault access policy");
        }
    }
}
