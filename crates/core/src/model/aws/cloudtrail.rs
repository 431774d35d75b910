//! CloudTrail trails.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A trail (`aws_cloudtrail`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Trail {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `is_multi_region_trail`; `Defaulted(false)` (provider docs).
    pub multi_region: Value<bool>,
    /// `enable_log_file_validation`; `Defaulted(false)` (provider docs).
    pub log_file_validation: Value<bool>,
    /// `enable_logging`; `Defaulted(true)`.
    pub logging_enabled: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (SSE-S3 on the log bucket).
    pub kms_key: Value<Option<String>>,
    /// `cloud_watch_logs_group_arn`: the log group that receives the trail's events;
    /// `Defaulted(None)` (events are delivered to S3 only).
    pub cloudwatch_logs_group: Value<Option<String>>,
    /// Which S3 object-level (data) events the trail records: an `event_selector` with a
    /// `data_resource` of type `AWS::S3::Object` (reads, writes or both by its
    /// `read_write_type`, `All` by default), or an `advanced_event_selector` selecting
    /// `eventCategory = Data` and `resources.type = AWS::S3::Object` (narrowed by a
    /// `readOnly` field selector; both without one). The union over the trail's
    /// selectors. `Defaulted(none)` without selectors (trails record management events
    /// only); unknown when a selector is a `dynamic` block or its values are unknown and
    /// the known selectors do not already record both.
    pub s3_data_events: Value<S3DataEvents>,
}

/// Which S3 data events a trail records.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct S3DataEvents {
    /// Object reads (`GetObject`, …): `read_write_type` `ReadOnly` or `All`, or
    /// `readOnly = true` (or no `readOnly` selector).
    pub reads: bool,
    /// Object writes and deletions (`PutObject`, `DeleteObject`, …): `read_write_type`
    /// `WriteOnly` or `All`, or `readOnly = false` (or no `readOnly` selector).
    pub writes: bool,
}

impl S3DataEvents {
    /// Reads and writes.
    pub const ALL: S3DataEvents = S3DataEvents {
        reads: true,
        writes: true,
    };

    /// Whether any S3 data events are recorded.
    pub fn any(&self) -> bool {
        self.reads || self.writes
    }

    /// Whether both reads and writes are recorded.
    pub fn all(&self) -> bool {
        self.reads && self.writes
    }

    /// The events recorded by either.
    pub fn union(self, other: S3DataEvents) -> S3DataEvents {
        S3DataEvents {
            reads: self.reads || other.reads,
            writes: self.writes || other.writes,
        }
    }
}
