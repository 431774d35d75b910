//! AWS Config: configuration recorders and whether they are recording.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A configuration recorder (`aws_config_configuration_recorder`,
/// `DescribeConfigurationRecorders` + `DescribeConfigurationRecorderStatus`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConfigRecorder {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Whether the recorder records every supported resource type:
    /// `recording_group.all_supported` (`Defaulted(true)`, provider docs: "Defaults to
    /// `true`"), false when `recording_strategy.use_only` names a narrower strategy.
    pub all_supported: Value<bool>,
    /// `recording_group.include_global_resource_types`; `Defaulted(false)` (provider docs).
    pub include_global_resources: Value<bool>,
    /// Whether the recorder is started: `is_enabled` of the
    /// `aws_config_configuration_recorder_status` naming it. A recorder is created stopped,
    /// so `Defaulted(false)` without a status resource; unknown when a status resource
    /// might name it but its `name` could not be resolved. Live AWS:
    /// `DescribeConfigurationRecorderStatus` `recording`; `Set(false)` for the record
    /// standing for a region without a recorder (see [`ConfigRecorder::present`]).
    pub recording: Value<bool>,
    /// Whether the recorder exists. Always `true` from Terraform (a configuration without
    /// a recorder gives no record). `false` only for the record a live AWS scan makes for
    /// a scanned region where `DescribeConfigurationRecorders` returns no (customer
    /// managed) recorder: nothing is recorded there. That record's resource is
    /// `arn:{partition}:config:{region}:{account}:configuration-recorder/none`, its
    /// `recording` is `Set(false)`; its recording-group values describe no real recorder
    /// and checks of them skip it.
    pub present: bool,
}
