//! AWS-KIN-001: Kinesis data streams are encrypted with KMS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Kinesis data stream (`aws_kinesis_stream`) has
    /// `encryption_type = "KMS"`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: a stream keeps its records for 24 hours up to a year; events,
    /// clickstreams and change-data-capture records carry customer data.
    ///
    /// ## Default assumed
    /// `encryption_type` defaults to `NONE` (AWS provider docs for `aws_kinesis_stream`).
    ///
    /// ## Not evaluated
    /// When `encryption_type` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_kinesis_stream" "events" {
    ///   name            = "events"
    ///   shard_count     = 1
    ///   encryption_type = "KMS"
    ///   kms_key_id      = aws_kms_key.kinesis.arn # or "alias/aws/kinesis"
    /// }
    /// ```
    pub struct KinesisStreamEncrypted {
        id: "AWS-KIN-001",
        slug: "kinesis-stream-encrypted",
        title: "Kinesis data streams are encrypted at rest",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for KinesisStreamEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.kinesis_streams {
            out.require(
                &s.meta,
                &s.encryption_type,
                |t| t == "KMS",
                |t| format!("stream encryption type is {t}: records are stored unencrypted"),
            );
        }
    }
}
