//! Amazon ECR repositories.

use serde::{Deserialize, Serialize};

use super::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// An ECR repository (`aws_ecr_repository`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcrRepository {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encryption_configuration.encryption_type`: `AES256`, `KMS` or `KMS_DSSE`;
    /// `Defaulted("AES256")` (provider docs: "Defaults to `AES256`").
    pub encryption_type: Value<String>,
    /// `encryption_configuration.kms_key`; `Defaulted(None)` (the AWS managed key
    /// `aws/ecr` when the type is `KMS`).
    pub kms_key: Value<Option<String>>,
    /// `image_scanning_configuration.scan_on_push`; `Defaulted(false)` (provider docs).
    pub scan_on_push: Value<bool>,
    /// `image_tag_mutability`; `Defaulted("MUTABLE")` (provider docs).
    pub tag_mutability: Value<String>,
    /// The repository policy (`aws_ecr_repository_policy` for the repository);
    /// `Defaulted` empty without one (only the owner account has access).
    pub policy: Value<PolicyDocument>,
}
