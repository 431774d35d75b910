//! Amazon SNS topics.

use serde::{Deserialize, Serialize};

use crate::model::aws::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// An SNS topic (`aws_sns_topic`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SnsTopic {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `kms_master_key_id`; `Defaulted(None)`: the topic is not encrypted at rest (SNS
    /// server-side encryption is off unless a key is given; provider docs).
    pub kms_key: Value<Option<String>>,
    /// Access policy: the topic's `policy`, or an `aws_sns_topic_policy` for it; the
    /// `Defaulted` empty document stands for the default policy (owner account only).
    pub policy: Value<PolicyDocument>,
}
