//! CloudTrail: `aws_cloudtrail` with its event selectors.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::cloudtrail::{S3DataEvents, Trail};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const S3_OBJECT: &str = "AWS::S3::Object";

/// The S3 data events of a basic selector's `read_write_type` (`All` by default).
fn of_read_write_type(t: &str) -> S3DataEvents {
    match t {
        "ReadOnly" => S3DataEvents {
            reads: true,
            writes: false,
        },
        "WriteOnly" => S3DataEvents {
            reads: false,
            writes: true,
        },
        _ => S3DataEvents::ALL,
    }
}

/// The S3 data events an advanced selector's `readOnly` field selector keeps: `equals`
/// `true` (or `not_equals` `false`) keeps reads, `equals` `false` (or `not_equals`
/// `true`) keeps writes.
fn of_read_only(equals: &[String], not_equals: &[String]) -> S3DataEvents {
    let has = |v: &[String], x: &str| v.iter().any(|s| s.eq_ignore_ascii_case(x));
    let mut reads = equals.is_empty() || has(equals, "true");
    let mut writes = equals.is_empty() || has(equals, "false");
    if has(not_equals, "true") {
        reads = false;
    }
    if has(not_equals, "false") {
        writes = false;
    }
    S3DataEvents { reads, writes }
}

/// Which S3 data events the trail's event selectors record (their union).
fn s3_data_events(rd: &Reader<'_>) -> Value<S3DataEvents> {
    for kind in ["event_selector", "advanced_event_selector"] {
        if let Some(u) = rd.block.unknown_blocks_of(kind) {
            return Value::unknown(u.reason.clone(), rd.origin_at(u.pos), kind);
        }
    }
    let none = S3DataEvents::default();
    let mut unknown: Option<Value<S3DataEvents>> = None;
    let mut recorded = none;
    // Where the first S3 selector is declared.
    let mut at: Option<(Origin, String)> = None;
    for sel in rd.all("event_selector") {
        let mut s3 = false;
        for dr in sel.all("data_resource") {
            let ty = dr.string("type", "");
            match ty.known() {
                Some(t) if t == S3_OBJECT => s3 = true,
                Some(_) => {}
                None => {
                    unknown.get_or_insert(ty.map(|_| none));
                }
            }
        }
        if !s3 {
            continue;
        }
        let rw = sel.string("read_write_type", "All");
        match rw.known() {
            Some(t) => {
                recorded = recorded.union(of_read_write_type(t));
                at.get_or_insert((sel.block_origin(), sel.path("read_write_type")));
            }
            None => {
                unknown.get_or_insert(rw.map(|_| none));
            }
        }
    }
    for sel in rd.all("advanced_event_selector") {
        let mut category: Option<Result<bool, Value<S3DataEvents>>> = None;
        let mut s3: Option<Result<bool, Value<S3DataEvents>>> = None;
        let mut read_only: Option<Result<S3DataEvents, Value<S3DataEvents>>> = None;
        for fs in sel.all("field_selector") {
            let field = fs.string("field", "");
            let Some(f) = field.known() else {
                unknown.get_or_insert(field.map(|_| none));
                continue;
            };
            let equals = fs.strings("equals");
            let found = match equals.known() {
                Some(v) => Ok(v),
                None => Err(equals.map(|_| none)),
            };
            match f.as_str() {
                "eventCategory" => {
                    category = Some(found.map(|v| v.iter().any(|x| x == "Data")));
                }
                "resources.type" => {
                    s3 = Some(found.map(|v| v.iter().any(|x| x == S3_OBJECT)));
                }
                "readOnly" => {
                    let not_equals = fs.strings("not_equals");
                    read_only = Some(match (found, not_equals.known()) {
                        (Ok(e), Some(n)) => Ok(of_read_only(e, n)),
                        (Err(u), _) => Err(u),
                        (Ok(_), None) => Err(not_equals.map(|_| none)),
                    });
                }
                _ => {}
            }
        }
        match (category, s3) {
            (Some(Ok(true)), Some(Ok(true))) => match read_only {
                Some(Err(u)) => {
                    unknown.get_or_insert(u);
                }
                ro => {
                    let ro = ro.and_then(Result::ok).unwrap_or(S3DataEvents::ALL);
                    recorded = recorded.union(ro);
                    at.get_or_insert((sel.block_origin(), sel.path("field_selector")));
                }
            },
            (Some(Err(u)), _) | (_, Some(Err(u))) => {
                unknown.get_or_insert(u);
            }
            _ => {}
        }
    }
    match (at, unknown) {
        (Some((o, p)), _) if recorded.all() => Value::set(recorded, o, p),
        (_, Some(u)) => u,
        (Some((o, p)), None) => Value::set(recorded, o, p),
        (None, None) => Value::defaulted(none, rd.owner_origin(), "event_selector"),
    }
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
