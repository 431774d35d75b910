//! The evidence store in S3, against moto's S3: two shards recording into one bucket
//! at the same moment on several nights, conditional writes that never replace an
//! object, Object Lock retention from the policy file, verify and the period report.
#![cfg(feature = "aws")]

use std::process::{Command, Stdio};

use serde_json::Value;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

mod common;
use common::write;

/// 2026-01-01T00:00:00Z.
const START: i64 = 1_767_225_600;
const STORE: &str = "s3://evidence/org";

/// `soc2scan evidence record REPORT --store STORE --target NAME` on day `d`, started
/// (not waited for).
fn recorder(endpoint: &str, dir: &std::path::Path, target: &str, d: i64) -> std::process::Child {
    let mut c = aws(endpoint);
    c.current_dir(dir)
        .env(
            "SOURCE_DATE_EPOCH",
            (START + d * 86_400 + 3_600).to_string(),
        )
        .args([
            "evidence",
            "record",
            "report.json",
            "--store",
            STORE,
            "--target",
            target,
            "--config",
            "policy.toml",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn shards_record_concurrently_into_s3() {
    let m = Moto::start();
    let endpoint = m.endpoint();
    m.boto3("client('s3').create_bucket(Bucket='evidence', ObjectLockEnabledForBucket=True)\n");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(
        dir,
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n}\n",
    );
    write(dir, "policy.toml", "[evidence]\nretention_days = 30\n");
    let out = common::soc2scan()
        .current_dir(dir)
        .args([
            "scan",
            "infra",
            "--no-config",
            "--select",
            "AWS-S3-001",
            "-f",
            "json",
            "-o",
            "report.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");

    for d in 0..3 {
        let a = recorder(&endpoint, dir, "shard-1", d);
        let b = recorder(&endpoint, dir, "shard-2", d);
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let verify = aws(&endpoint);
    let out = run(verify, &["evidence", "verify", "--store", STORE]);
    assert_eq!(out.0, 0, "{}", out.1);
    assert_eq!(
        out.1,
        format!("{STORE}: 6 objects of 2 targets, 0 problems: intact\n")
    );

    // Every object is under Object Lock (compliance mode) until 30 days after writing
    // (as HeadObject reports it: moto 5.1 answers GetObjectRetention with an error).
    m.boto3(
        "s3 = client('s3')\n\
         keys = [o['Key'] for o in s3.list_objects_v2(Bucket='evidence', Prefix='org/objects/')['Contents']]\n\
         assert len(keys) == 6, keys\n\
         import datetime\n\
         for k in keys:\n    \
             r = s3.head_object(Bucket='evidence', Key=k)\n    \
             assert r['ObjectLockMode'] == 'COMPLIANCE', r\n    \
             left = r['ObjectLockRetainUntilDate'] - datetime.datetime.now(datetime.timezone.utc)\n    \
             assert datetime.timedelta(days=29) < left <= datetime.timedelta(days=30), left\n",
    );

    // The same report recorded again for a day already recorded is refused.
    let mut again = aws(&endpoint);
    again.current_dir(dir).env(
        "SOURCE_DATE_EPOCH",
        (START + 2 * 86_400 + 3_600).to_string(),
    );
    let out = run(
        again,
        &[
            "evidence",
            "record",
            "report.json",
            "--store",
            STORE,
            "--target",
            "shard-1",
        ],
    );
    assert_eq!(out.0, 2, "{}", out.1);

    // The report over the period sees both shards, every night, chain verified.
    let rep = aws(&endpoint);
    let out = run(
        rep,
        &[
            "evidence",
            "report",
            "--store",
            STORE,
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-04",
            "-f",
            "json",
        ],
    );
    assert_eq!(out.0, 0, "{}", out.1);
    let doc: Value = serde_json::from_str(&out.1).unwrap();
    assert_eq!(doc["integrity"]["chain_verified"], true);
    let targets: Vec<(&str, u64, &Value)> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["target"].as_str().unwrap(),
                t["days_scanned"].as_u64().unwrap(),
                &t["gaps"],
            )
        })
        .collect();
    let gap = serde_json::json!(["2026-01-04"]);
    assert_eq!(targets, vec![("shard-1", 3, &gap), ("shard-2", 3, &gap)]);
    assert_eq!(doc["exceptions"].as_array().unwrap().len(), 2);
}

/// A conditional write never replaces an object, whoever wrote it first.
#[test]
fn an_existing_key_is_never_replaced() {
    let m = Moto::start();
    m.boto3("client('s3').create_bucket(Bucket='evidence')\n");
    std::env::set_var("AWS_ENDPOINT_URL", m.endpoint());
    std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/soc2scan-test-config");
    std::env::set_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/soc2scan-test-credentials",
    );
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let store = soc2scan::evidence_store::store::open("s3://evidence/p").unwrap();
    let key = "objects/t-00000000/20260101T000000Z-\
               0000000000000000000000000000000000000000000000000000000000000000.json.gz";
    store.put_new(key, b"first", None).unwrap();
    let err = store.put_new(key, b"second", None).unwrap_err();
    assert!(
        matches!(err, soc2scan::evidence_store::EvidenceError::Exists { .. }),
        "{err}"
    );
    assert_eq!(store.get(key).unwrap(), b"first");
    assert_eq!(store.list().unwrap(), vec![key.to_string()]);
}

/// The binary with moto's endpoint, dummy credentials and a region.
fn aws(endpoint: &str) -> Command {
    let mut c = soc2scan_aws(endpoint);
    c.env("AWS_REGION", "us-east-1");
    c
}

fn run(mut c: Command, args: &[&str]) -> (i32, String) {
    let out = c.args(args).output().unwrap();
    let text = if out.status.success() {
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    (out.status.code().unwrap(), text)
}
