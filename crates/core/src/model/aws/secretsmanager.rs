//! AWS Secrets Manager secrets.

use serde::{Deserialize, Serialize};

use super::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// A secret (`aws_secretsmanager_secret`); its value is never read.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SmSecret {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `kms_key_id`; `Defaulted(None)`: the AWS managed key `aws/secretsmanager`
    /// (provider docs: "If you don't specify this value, then Secrets Manager defaults to
    /// using the AWS account's default KMS key (the one named `aws/secretsmanager`)").
    pub kms_key: Value<Option<String>>,
    /// Whether automatic rotation is configured (an `aws_secretsmanager_secret_rotation`
    /// for the secret); `Defaulted(false)` without one, unknown when a rotation resource
    /// in scope could not be tied to a secret.
    pub rotation: Value<bool>,
    /// The resource policy (`policy`, or an `aws_secretsmanager_secret_policy` for the
    /// secret); `Defaulted` empty without one (only the owner account has access).
    pub policy: Value<PolicyDocument>,
}
