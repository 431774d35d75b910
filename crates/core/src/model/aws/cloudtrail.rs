//! CloudTrail trails.

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// A trail (`aws_cloudtrail`).
#[derive(Debug, Clone, Serialize)]
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
    /// Whether the trail records S3 object-level (data) events: an `event_selector` with a
    /// `data_resource` of type `AWS::S3::Object`, or an `advanced_event_selector` selecting
    /// `eventCategory = Data` and `resources.type = AWS::S3::Object`. `Defaulted(false)`
    /// without selectors (trails record management events only); unknown when a selector
    /// is a `dynamic` block or its values are unknown.
    pub s3_data_events: Value<bool>,
}
