//! CloudTrail: `aws_cloudtrail` with its event selectors.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::cloudtrail::Trail;
use crate::model::aws::AwsModel;
use crate::model::Value;

const S3_OBJECT: &str = "AWS::S3::Object";

/// Whether the trail's event selectors record S3 data events.
fn s3_data_events(rd: &Reader<'_>) -> Value<bool> {
    for kind in ["event_selector", "advanced_event_selector"] {
        if let Some(u) = rd.block.unknown_blocks_of(kind) {
            return Value::unknown(u.reason.clone(), rd.origin_at(u.pos), kind);
        }
    }
    let mut unknown: Option<Value<bool>> = None;
    for sel in rd.all("event_selector") {
        for dr in sel.all("data_resource") {
            let ty = dr.string("type", "");
            match ty.known() {
                Some(t) if t == S3_OBJECT => {
                    return Value::set(true, dr.block_origin(), dr.path("type"));
                }
                Some(_) => {}
                None => {
                    unknown.get_or_insert(ty.map(|_| false));
                }
            }
        }
    }
    for sel in rd.all("advanced_event_selector") {
        let mut category: Option<Result<bool, Value<bool>>> = None;
        let mut s3: Option<Result<bool, Value<bool>>> = None;
        for fs in sel.all("field_selector") {
            let field = fs.string("field", "");
            let Some(f) = field.known() else {
                unknown.get_or_insert(field.map(|_| false));
                continue;
            };
            let equals = fs.strings("equals");
            let found = match equals.known() {
                Some(v) => Ok(v),
                None => Err(equals.map(|_| false)),
            };
            match f.as_str() {
                "eventCategory" => {
                    category = Some(found.map(|v| v.iter().any(|x| x == "Data")));
                }
                "resources.type" => {
                    s3 = Some(found.map(|v| v.iter().any(|x| x == S3_OBJECT)));
                }
                _ => {}
            }
        }
        match (category, s3) {
            (Some(Ok(true)), Some(Ok(true))) => {
                return Value::set(true, sel.block_origin(), sel.path("field_selector"));
            }
            (Some(Err(u)), _) | (_, Some(Err(u))) => {
                unknown.get_or_insert(u);
            }
            _ => {}
        }
    }
    unknown.unwrap_or_else(|| Value::defaulted(false, rd.owner_origin(), "event_selector"))
}

/// Adds trails to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_cloudtrail"]) {
        let rd = Reader::new(r);
        aws.cloudtrails.push(Trail {
            meta: ctx.meta(r),
            multi_region: rd.bool("is_multi_region_trail", false),
            log_file_validation: rd.bool("enable_log_file_validation", false),
            logging_enabled: rd.bool("enable_logging", true),
            kms_key: rd.opt_ref("kms_key_id"),
            cloudwatch_logs_group: rd.opt_ref("cloud_watch_logs_group_arn"),
            s3_data_events: s3_data_events(&rd),
        });
    }
}
