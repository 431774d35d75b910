//! AWS-DDB-001: DynamoDB tables are encrypted with a customer managed KMS key.

use crate::model::aws::dynamodb::TableKey;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every DynamoDB table (`aws_dynamodb_table`) is encrypted with a
    /// customer managed KMS key: `server_side_encryption { enabled = true,
    /// kms_key_arn = ... }`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: every DynamoDB table is encrypted at rest, but with the default
    /// AWS owned key nobody in the account can restrict, audit or revoke access to the
    /// key. A customer managed key gives a key policy, CloudTrail records of its use,
    /// and the ability to make the data unreadable by disabling the key.
    ///
    /// ## Default assumed
    /// Without `server_side_encryption`, or with `enabled = false`, the table uses an AWS
    /// owned key (AWS provider docs). `enabled = true` without `kms_key_arn` uses the
    /// AWS managed key `aws/dynamodb`, which also fails (its policy cannot be changed).
    ///
    /// ## Not evaluated
    /// When `enabled` or `kms_key_arn` comes from a variable without a value, or a
    /// `dynamic` encryption block cannot be expanded.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   # ...
    ///   server_side_encryption {
    ///     enabled     = true
    ///     kms_key_arn = aws_kms_key.dynamodb.arn
    ///   }
    /// }
    /// ```
    pub struct DynamodbTableCmk {
        id: "AWS-DDB-001",
        slug: "dynamodb-table-cmk",
        title: "DynamoDB tables use a customer managed KMS key",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for DynamodbTableCmk {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.dynamodb_tables {
            out.require(
                &t.meta,
                &t.encryption_key,
                |k| matches!(k, TableKey::CustomerManaged(_)),
                |k| match k {
                    TableKey::AwsManaged => {
                        "table is encrypted with the AWS managed key aws/dynamodb, not a customer managed key".into()
                    }
                    _ => "table is encrypted with an AWS owned key, not a customer managed key".into(),
                },
            );
        }
    }
}
