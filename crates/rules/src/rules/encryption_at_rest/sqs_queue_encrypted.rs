//! AWS-SQS-001: SQS queues encrypt messages at rest.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every SQS queue (`aws_sqs_queue`) encrypts messages at rest. Both
    /// forms pass: SSE-KMS (`kms_master_key_id`, a customer managed key or
    /// `alias/aws/sqs`) and SSE-SQS (`sqs_managed_sse_enabled`, keys owned by SQS). A queue
    /// fails only when neither applies, i.e. `sqs_managed_sse_enabled = false` without a
    /// KMS key.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: queues hold messages for up to 14 days, often with customer data
    /// in their bodies.
    ///
    /// ## Default assumed
    /// A queue that sets neither gets SSE-SQS: SQS enables it on every new queue since
    /// October 2022 (SQS Developer Guide, "Encryption at rest"; the provider leaves the
    /// attribute to the API).
    ///
    /// ## Not evaluated
    /// When `kms_master_key_id` or `sqs_managed_sse_enabled` comes from a variable
    /// without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_sqs_queue" "jobs" {
    ///   name              = "jobs"
    ///   kms_master_key_id = aws_kms_key.sqs.arn
    ///   # or: sqs_managed_sse_enabled = true
    /// }
    /// ```
    pub struct SqsQueueEncrypted {
        id: "AWS-SQS-001",
        slug: "sqs-queue-encrypted",
        title: "SQS queues are encrypted at rest",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for SqsQueueEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for q in &model.aws.sqs_queues {
            match &q.kms_key.value {
                Resolved::Set(Some(_)) | Resolved::Defaulted(Some(_)) => {
                    out.pass(&q.meta, &q.kms_key.origin, &q.kms_key.path)
                }
                Resolved::Unknown(r) => {
                    if q.sqs_managed_sse.known() == Some(&true) && q.sqs_managed_sse.is_set() {
                        out.pass(&q.meta, &q.sqs_managed_sse.origin, &q.sqs_managed_sse.path);
                    } else {
                        out.not_evaluated(
                            &q.meta,
                            &q.kms_key.origin,
                            &q.kms_key.path,
                            r.to_string(),
                        );
                    }
                }
                Resolved::Set(None) | Resolved::Defaulted(None) => out.require_true(
                    &q.meta,
                    &q.sqs_managed_sse,
                    "queue has neither SSE-SQS nor a KMS key: messages are stored unencrypted",
                ),
            }
        }
    }
}
