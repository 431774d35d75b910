//! CloudTrail in one region: the trails whose home region it is, with their logging
//! status and event selectors.

use aws_config::SdkConfig;
use aws_sdk_cloudtrail::Client;
use futures_util::future::join_all;

use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::types::ReadWriteType;

use super::ctx::{Scope, Shared};
use crate::model::aws::cloudtrail::{S3DataEvents, Trail};
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "cloudtrail";
const S3_OBJECT: &str = "AWS::S3::Object";

/// Which S3 object-level events a trail's selectors record (their union): a basic
/// selector with a data resource of type `AWS::S3::Object` records what its
/// `ReadWriteType` says (`All` when absent); an advanced selector whose field selectors
/// include `eventCategory` equal to `Data` and `resources.type` equal to
/// `AWS::S3::Object` records reads and writes, narrowed by a `readOnly` field selector
/// (the same reading as for Terraform's `event_selector` and `advanced_event_selector`
/// blocks).
/// `Err` with the value when a selector's `ReadWriteType` is one this SDK does not
/// know: what it records cannot be said, so the rule is not evaluated.
fn s3_data_events(out: &GetEventSelectorsOutput) -> Result<S3DataEvents, String> {
    let mut recorded = S3DataEvents::default();
    for s in out.event_selectors() {
        if !s
            .data_resources()
            .iter()
            .any(|d| d.r#type() == Some(S3_OBJECT))
        {
            continue;
        }
        recorded = recorded.union(match s.read_write_type() {
            Some(ReadWriteType::ReadOnly) => S3DataEvents {
                reads: true,
                writes: false,
            },
            Some(ReadWriteType::WriteOnly) => S3DataEvents {
                reads: false,
                writes: true,
            },
            None | Some(ReadWriteType::All) => S3DataEvents::ALL,
            Some(other) => {
                return Err(format!(
                    "event selector ReadWriteType {:?} is not one soc2scan knows",
                    other.as_str()
                ))
            }
        });
    }
    for s in out.advanced_event_selectors() {
        let equals = |field: &str, v: &str| {
            s.field_selectors()
                .iter()
                .any(|f| f.field() == field && f.equals().iter().any(|x| x == v))
        };
        if !(equals("eventCategory", "Data") && equals("resources.type", S3_OBJECT)) {
            continue;
        }
        let mut kept = S3DataEvents::ALL;
        for f in s
            .field_selectors()
            .iter()
            .filter(|f| f.field() == "readOnly")
        {
            let has = |v: &[String], x: &str| v.iter().any(|s| s.eq_ignore_ascii_case(x));
            if !f.equals().is_empty() {
                kept.reads &= has(f.equals(), "true");
                kept.writes &= has(f.equals(), "false");
            }
            if has(f.not_equals(), "true") {
                kept.reads = false;
            }
            if has(f.not_equals(), "false") {
                kept.writes = false;
            }
        }
        recorded = recorded.union(kept);
    }
    Ok(recorded)
}

/// Reads the trails created in `scope.region` (multi-region trails once, in their home
/// region), and `GetTrailStatus` and `GetEventSelectors` of each.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(out) = sh.listed(
        scope,
        "CloudTrail trails",
        &["aws.cloudtrails"],
        sh.call(SVC, r, "DescribeTrails", || {
            c.describe_trails().include_shadow_trails(false).send()
        })
        .await,
    ) else {
        return m;
    };
    let trails = out.trail_list;
    let trails: Vec<_> = trails
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.home_region().is_none_or(|h| h == r))
        .collect();
    let details = join_all(trails.iter().map(|t| {
        let name = t.trail_arn().or(t.name()).unwrap_or_default().to_string();
        let c = &c;
        async move {
            tokio::join!(
                sh.call(SVC, r, "GetTrailStatus", || c
                    .get_trail_status()
                    .name(&name)
                    .send(),),
                sh.call(SVC, r, "GetEventSelectors", || c
                    .get_event_selectors()
                    .trail_name(&name)
                    .send(),)
            )
        }
    }))
    .await;
    for (t, (st, sel)) in trails.iter().zip(details) {
        let name = t.name().unwrap_or_default();
        let arn = t
            .trail_arn()
            .map(str::to_string)
            .unwrap_or_else(|| scope.arn(SVC, &format!("trail/{name}")));
        let meta = scope.meta(&arn, "aws_cloudtrail");
        let o = meta.origin.clone();
        m.cloudtrails.push(Trail {
            multi_region: Value::set(
                t.is_multi_region_trail().unwrap_or(false),
                o.clone(),
                "is_multi_region_trail",
            ),
            log_file_validation: Value::set(
                t.log_file_validation_enabled().unwrap_or(false),
                o.clone(),
                "enable_log_file_validation",
            ),
            logging_enabled: match st {
                Ok(s) => Value::set(s.is_logging().unwrap_or(false), o.clone(), "enable_logging"),
                Err(e) => e.unknown(o.clone(), "enable_logging"),
            },
            kms_key: Value::set(t.kms_key_id().map(str::to_string), o.clone(), "kms_key_id"),
            cloudwatch_logs_group: Value::set(
                t.cloud_watch_logs_log_group_arn().map(str::to_string),
                o.clone(),
                "cloud_watch_logs_group_arn",
            ),
            s3_data_events: match sel {
                Ok(s) => match s3_data_events(&s) {
                    Ok(events) => Value::set(events, o, "event_selector"),
                    Err(reason) => Value::unknown(reason, o, "event_selector"),
                },
                Err(e) => e.unknown(o, "event_selector"),
            },
            meta,
        });
    }
    sh.progress.unit_done(m.cloudtrails.len());
    m
}
