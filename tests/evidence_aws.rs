//! Evidence of a live AWS account over 61 simulated nights: moto's emulated account
//! scanned with `scan --aws --record` under `SOURCE_DATE_EPOCH`, an unversioned bucket
//! created on one day and deleted on another, two nights skipped. Asserts the exact
//! interval, per-day statuses, gaps and SLA verdict of the period report.
#![cfg(feature = "aws")]

use serde_json::Value;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

/// 2026-01-01T00:00:00Z.
const START: i64 = 1_767_225_600;
const DAYS: i64 = 61;
const SKIPPED: [i64; 2] = [40, 41];

#[test]
fn sixty_one_nights_of_a_live_account() {
    let m = Moto::start();
    let endpoint = m.endpoint();
    m.boto3(
        "s3 = client('s3', 'eu-west-1')\n\
         s3.create_bucket(Bucket='logs-archive', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})\n\
         s3.put_bucket_versioning(Bucket='logs-archive', VersioningConfiguration={'Status': 'Enabled'})\n",
    );
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    for d in 0..DAYS {
        match d {
            10 => m.boto3(
                "client('s3', 'eu-west-1').create_bucket(Bucket='tmp-export', \
                 CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})\n",
            ),
            25 => m.boto3("client('s3', 'eu-west-1').delete_bucket(Bucket='tmp-export')\n"),
            _ => {}
        }
        if SKIPPED.contains(&d) {
            continue;
        }
        let out = soc2scan_aws(&endpoint)
            .env(
                "SOURCE_DATE_EPOCH",
                (START + d * 86_400 + 3_600).to_string(),
            )
            .args([
                "scan",
                "--aws",
                "--region",
                "eu-west-1",
                "--select",
                "AWS-S3-004",
                "-q",
                "-f",
                "json",
                "-o",
            ])
            .arg(tmp.path().join("report.json"))
            .arg("--record")
            .arg(&store)
            .output()
            .unwrap();
        let failing = (10..25).contains(&d);
        assert_eq!(
            out.status.code(),
            Some(i32::from(failing)),
            "day {d}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = soc2scan_aws(&endpoint)
        .args([
            "evidence",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-02",
            "-f",
            "json",
            "--store",
        ])
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["integrity"]["chain_verified"], true);
    let t = &doc["targets"][0];
    assert_eq!(t["target"], format!("aws:{ACCOUNT}"));
    assert_eq!(t["days_scanned"], 59);
    assert_eq!(t["gaps"], serde_json::json!(["2026-02-10..2026-02-11"]));
    let ex = doc["exceptions"].as_array().unwrap();
    assert_eq!(ex.len(), 1, "{ex:?}");
    assert_eq!(ex[0]["resource"], "arn:aws:s3:::tmp-export");
    assert_eq!(ex[0]["rule_id"], "AWS-S3-004");
    assert_eq!(ex[0]["first_seen"], "2026-01-11");
    assert_eq!(ex[0]["resolved"], "2026-01-26");
    assert_eq!(ex[0]["resolution"], "fixed");
    assert_eq!(ex[0]["days_open"], 15);
    assert_eq!(ex[0]["sla_days"], 90);
    assert_eq!(ex[0]["sla"], "met");
    let a12 = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A1.2")
        .unwrap();
    for d in 0..DAYS {
        let date = soc2scan::time::civil_from_days(START / 86_400 + d);
        let want = if SKIPPED.contains(&d) {
            "no-scan"
        } else if (10..25).contains(&d) {
            "failed"
        } else {
            "passed"
        };
        assert_eq!(a12["days"][&date], want, "{date}");
    }
    assert_eq!(a12["judged_days"], 59);
    assert_eq!(a12["passed_days"], 59 - 15);
}
