//! AWS-BAK-020: Backup vault policies do not allow public access.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every AWS Backup vault's access policy (an `aws_backup_vault_policy` for the
    /// vault; the live scan does not read it yet and reports the rule not evaluated) for an `Allow`
    /// statement granting everyone — `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` —
    /// without a condition that narrows the caller to an account, organization, network
    /// or source resource (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`, `aws:SourceIp`, ...). The
    /// policy may be written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and A1.2: anyone could copy the recovery points out of the vault — full
    /// copies of the protected data — or delete them, removing the backups recovery
    /// depends on.
    ///
    /// ## Default assumed
    /// Without an access policy only the owner account has access. Negated operators, `...IfExists` operators and values matching
    /// anything (`*`, `0.0.0.0/0`) do not narrow the caller.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (a variable without a value, a file that cannot be
    /// read), or includes an unknown document or principal and shows no public
    /// statement otherwise. On a live scan, when the vault's
    /// `GetBackupVaultAccessPolicy` is denied or fails (moto 5.1 does not implement it).
    ///
    /// ## How to fix
    /// Name the accounts that copy backups into the vault, or restrict to the organization:
    /// ```hcl
    /// statement {
    ///   actions   = ["backup:CopyIntoBackupVault"]
    ///   resources = ["*"]
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = ["*"]
    ///   }
    ///   condition {
    ///     test     = "StringEquals"
    ///     variable = "aws:PrincipalOrgID"
    ///     values   = [var.organization_id]
    ///   }
    /// }
    /// ```
    pub struct BackupVaultPublicPolicy {
        id: "AWS-BAK-020",
        slug: "backup-vault-public-policy",
        title: "Backup vault policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for BackupVaultPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.backup_vaults {
            public_policy::check(out, &r.meta, &r.policy, "vault access policy");
        }
    }
}
