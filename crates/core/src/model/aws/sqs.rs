//! Amazon SQS queues.

use serde::{Deserialize, Serialize};

use crate::model::aws::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// An SQS queue (`aws_sqs_queue`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SqsQueue {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `kms_master_key_id` (SSE-KMS); `Defaulted(None)`.
    pub kms_key: Value<Option<String>>,
    /// `sqs_managed_sse_enabled` (SSE-SQS). `Defaulted(true)` when no KMS key is given:
    /// since October 2022 SQS enables SSE-SQS on every new queue unless told otherwise
    /// (SQS Developer Guide, "Encryption at rest"; the provider leaves the attribute to
    /// the API). `Defaulted(false)` when a KMS key is given (the two are exclusive).
    pub sqs_managed_sse: Value<bool>,
    /// Access policy: the queue's `policy`, or an `aws_sqs_queue_policy` for it; the
    /// `Defaulted` empty document stands for the default policy (owner account only).
    pub policy: Value<PolicyDocument>,
}
