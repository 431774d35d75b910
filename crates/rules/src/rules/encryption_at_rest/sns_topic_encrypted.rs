//! AWS-SNS-001: SNS topics encrypt messages at rest with KMS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every SNS topic (`aws_sns_topic`) sets `kms_master_key_id` (a
    /// customer managed key, or the AWS managed `alias/aws/sns`).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: SNS stores messages until they are delivered; notifications often
    /// carry customer identifiers, order details or alerts with personal data.
    ///
    /// ## Default assumed
    /// Without `kms_master_key_id` the topic has no server-side encryption (AWS provider
    /// docs for `aws_sns_topic`; SNS Developer Guide, "Encryption at rest").
    ///
    /// ## Not evaluated
    /// When the key comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_sns_topic" "orders" {
    ///   name              = "orders"
    ///   kms_master_key_id = aws_kms_key.sns.arn
    /// }
    /// ```
    pub struct SnsTopicEncrypted {
        id: "AWS-SNS-001",
        slug: "sns-topic-encrypted",
        title: "SNS topics are encrypted at rest",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for SnsTopicEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.sns_topics {
            out.require(
                &t.meta,
                &t.kms_key,
                |k| k.is_some(),
                |_| "topic has no KMS key: messages are stored unencrypted".to_string(),
            );
        }
    }
}
