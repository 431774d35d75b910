//! GuardDuty in one region: the detectors and whether they are enabled, or the absence
//! of any detector.

use aws_config::SdkConfig;
use aws_sdk_guardduty::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::guardduty::Detector;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "guardduty";
const RTYPE: &str = "aws_guardduty_detector";

/// Reads the detectors of `scope.region` (`ListDetectors` to the end, `GetDetector` of
/// each). A region without a detector has GuardDuty off: it gets a record
/// `…:detector/none` with `present = false` and `enabled = Set(false)`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "GuardDuty detectors",
        &["aws.guardduty_detectors"],
        sh.pages(SVC, r, "ListDetectors", || {
            c.list_detectors().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.detector_ids())
        .cloned()
        .collect();
    if ids.is_empty() {
        let meta = scope.meta(&scope.arn(SVC, "detector/none"), RTYPE);
        let o = meta.origin.clone();
        m.guardduty_detectors.push(Detector {
            enabled: Value::set(false, o, "detector"),
            present: false,
            meta,
        });
        sh.progress.unit_done(0);
        return m;
    }
    let details = join_all(ids.iter().map(|id| {
        let c = &c;
        async move {
            sh.call(SVC, r, "GetDetector", || {
                c.get_detector().detector_id(id).send()
            })
            .await
        }
    }))
    .await;
    for (id, d) in ids.iter().zip(details) {
        let meta = scope.meta(&scope.arn(SVC, &format!("detector/{id}")), RTYPE);
        let o = meta.origin.clone();
        let enabled = match d {
            Ok(d) => match d.status() {
                Some(s) => Value::set(s.as_str() == "ENABLED", o, "enable"),
                None => Value::unknown(
                    format!("{SVC}:GetDetector in {r} returned no Status for detector {id}"),
                    o,
                    "enable",
                ),
            },
            Err(e) => e.unknown(o, "enable"),
        };
        m.guardduty_detectors.push(Detector {
            enabled,
            present: true,
            meta,
        });
    }
    sh.progress.unit_done(m.guardduty_detectors.len());
    m
}
