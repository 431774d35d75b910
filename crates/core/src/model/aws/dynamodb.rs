//! DynamoDB tables.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// Which key encrypts a DynamoDB table at rest (every table is encrypted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "key", rename_all = "kebab-case")]
pub enum TableKey {
    /// A key owned by DynamoDB (the default: `server_side_encryption` absent or disabled).
    AwsOwned,
    /// The AWS managed key `aws/dynamodb` (`enabled = true` without `kms_key_arn`).
    AwsManaged,
    /// A customer managed key (ARN, alias or Terraform address).
    CustomerManaged(String),
}

/// A DynamoDB table (`aws_dynamodb_table`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DynamoDbTable {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Key used for encryption at rest; `Defaulted(AwsOwned)` (provider docs: "If
    /// `enabled` is `false` then server-side encryption is set to AWS-owned key").
    pub encryption_key: Value<TableKey>,
    /// `point_in_time_recovery.enabled`; `Defaulted(false)`.
    pub point_in_time_recovery: Value<bool>,
}
