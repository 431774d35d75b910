//! AWS Config: `aws_config_configuration_recorder` joined with the
//! `aws_config_configuration_recorder_status` that starts it (by `name`).

use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::config::ConfigRecorder;
use crate::model::aws::AwsModel;
use crate::model::Value;

const RECORDER: TargetSpec<'static> = TargetSpec {
    types: &["aws_config_configuration_recorder"],
    name_attr: Some("name"),
    global_names: false,
};

/// Adds configuration recorders to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let status = Joins::build(
        ctx,
        &["aws_config_configuration_recorder_status"],
        "name",
        RECORDER,
    );
    for r in ctx.managed(RECORDER.types) {
        let rd = Reader::new(r);
        let (all_supported, include_global_resources) = match rd.first("recording_group") {
            Some(g) => {
                let all = g.bool("all_supported", true);
                // `recording_strategy { use_only = "..." }` narrows what is recorded.
                let all = match g.first("recording_strategy") {
                    Some(st) if st.has("use_only") => st
                        .string("use_only", "")
                        .map(|u| u == "ALL_SUPPORTED_RESOURCE_TYPES"),
                    _ => all,
                };
                (all, g.bool("include_global_resource_types", false))
            }
            None => match rd.block.unknown_blocks_of("recording_group") {
                Some(u) => {
                    let at = rd.origin_at(u.pos);
                    (
                        Value::unknown(
                            u.reason.clone(),
                            at.clone(),
                            "recording_group.all_supported",
                        ),
                        Value::unknown(
                            u.reason.clone(),
                            at,
                            "recording_group.include_global_resource_types",
                        ),
                    )
                }
                None => (
                    Value::defaulted(true, rd.owner_origin(), "recording_group.all_supported"),
                    Value::defaulted(
                        false,
                        rd.owner_origin(),
                        "recording_group.include_global_resource_types",
                    ),
                ),
            },
        };
        let recording = match status.definite(r).first() {
            Some(s) => {
                let v = Reader::new(s).bool("is_enabled", false);
                Value {
                    path: "recorder_status.is_enabled".into(),
                    ..v
                }
            }
            None => match status.possible(r) {
                Some(reason) => {
                    Value::unknown(reason.clone(), rd.owner_origin(), "recorder_status")
                }
                None => Value::defaulted(false, rd.owner_origin(), "recorder_status"),
            },
        };
        aws.config_recorders.push(ConfigRecorder {
            meta: ctx.meta(r),
            all_supported,
            include_global_resources,
            recording,
            present: true,
        });
    }
}
