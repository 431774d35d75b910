//! AWS Config in one region: the configuration recorder, what it records and whether it
//! is recording, or the absence of any recorder.

use aws_config::SdkConfig;
use aws_sdk_config::types::RecordingGroup;
use aws_sdk_config::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::config::ConfigRecorder;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "config";
const RTYPE: &str = "aws_config_configuration_recorder";
const ALL: &str = "recording_group.all_supported";
const GLOBAL: &str = "recording_group.include_global_resource_types";
const STATUS: &str = "recorder_status.is_enabled";

/// Whether `group` records every supported resource type: a `recordingStrategy` decides
/// when there is one, `allSupported` otherwise. Without a group AWS Config records every
/// supported type.
fn all_supported(group: Option<&RecordingGroup>, o: Origin) -> Value<bool> {
    let Some(g) = group else {
        return Value::defaulted(true, o, ALL);
    };
    let all = match g.recording_strategy().and_then(|s| s.use_only()) {
        Some(u) => u.as_str() == "ALL_SUPPORTED_RESOURCE_TYPES",
        None => g.all_supported(),
    };
    Value::set(all, o, ALL)
}

/// Reads the (customer managed) configuration recorders of `scope.region`
/// (`DescribeConfigurationRecorders`) and their status
/// (`DescribeConfigurationRecorderStatus`). A region without a recorder records nothing:
/// it gets a record `…:configuration-recorder/none` with `present = false` and
/// `recording = Set(false)`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let (recorders, statuses) = tokio::join!(
        sh.call(SVC, r, "DescribeConfigurationRecorders", || c
            .describe_configuration_recorders()
            .send()),
        sh.call(SVC, r, "DescribeConfigurationRecorderStatus", || c
            .describe_configuration_recorder_status()
            .send()),
    );
    let Some(out) = sh.listed(
        scope,
        "AWS Config recorders",
        &["aws.config_recorders"],
        recorders,
    ) else {
        return m;
    };
    let recorders = out.configuration_recorders.unwrap_or_default();
    if recorders.is_empty() {
        let meta = scope.meta(&scope.arn(SVC, "configuration-recorder/none"), RTYPE);
        let o = meta.origin.clone();
        m.config_recorders.push(ConfigRecorder {
            all_supported: Value::set(false, o.clone(), ALL),
            include_global_resources: Value::set(false, o.clone(), GLOBAL),
            recording: Value::set(false, o, "configuration_recorder"),
            present: false,
            meta,
        });
        sh.progress.unit_done(0);
        return m;
    }
    for rec in &recorders {
        let name = rec.name().unwrap_or_default();
        let arn = rec
            .arn()
            .map(str::to_string)
            .unwrap_or_else(|| scope.arn(SVC, &format!("configuration-recorder/{name}")));
        let meta = scope.meta(&arn, RTYPE);
        let o = meta.origin.clone();
        let group = rec.recording_group();
        let include_global_resources = match group {
            Some(g) => Value::set(g.include_global_resource_types(), o.clone(), GLOBAL),
            None => Value::defaulted(false, o.clone(), GLOBAL),
        };
        let recording = match &statuses {
            Ok(s) => match s
                .configuration_recorders_status()
                .iter()
                .find(|s| s.name() == Some(name))
            {
                Some(st) => Value::set(st.recording(), o.clone(), STATUS),
                None => Value::unknown(
                    format!(
                        "{SVC}:DescribeConfigurationRecorderStatus in {r} returned no status for recorder {name}"
                    ),
                    o.clone(),
                    STATUS,
                ),
            },
            Err(e) => e.unknown(o.clone(), STATUS),
        };
        m.config_recorders.push(ConfigRecorder {
            all_supported: all_supported(group, o),
            include_global_resources,
            recording,
            present: true,
            meta,
        });
    }
    sh.progress.unit_done(m.config_recorders.len());
    m
}
