//! AWS-SM-001: Secrets Manager secrets are encrypted with a customer managed KMS key.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Secrets Manager secret (`aws_secretsmanager_secret`) sets
    /// `kms_key_id` to a customer managed key. The AWS managed key
    /// (`alias/aws/secretsmanager`, also used when `kms_key_id` is absent) fails.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1: with the AWS managed key, anyone with `secretsmanager:GetSecretValue` in the
    /// account can read the secret; a customer managed key adds a key policy that limits
    /// decryption to the intended roles, is required to share a secret across accounts,
    /// and logs every decryption in CloudTrail.
    ///
    /// ## Default assumed
    /// Without `kms_key_id` Secrets Manager uses `aws/secretsmanager` (AWS provider docs
    /// for `aws_secretsmanager_secret`).
    ///
    /// ## Not evaluated
    /// When `kms_key_id` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_secretsmanager_secret" "db" {
    ///   name       = "prod/db"
    ///   kms_key_id = aws_kms_key.secrets.arn
    /// }
    /// ```
    pub struct SecretsmanagerSecretCmk {
        id: "AWS-SM-001",
        slug: "secretsmanager-secret-cmk",
        title: "Secrets Manager secrets use a customer managed KMS key",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for SecretsmanagerSecretCmk {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.secrets {
            out.require(
                &s.meta,
                &s.kms_key,
                |k| k.as_deref().is_some_and(|k| !k.contains("alias/aws/")),
                |k| match k {
                    Some(k) => format!("secret is encrypted with the AWS managed key {k}"),
                    None => "secret is encrypted with the AWS managed key aws/secretsmanager"
                        .to_string(),
                },
            );
        }
    }
}
