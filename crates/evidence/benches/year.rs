//! One year of nightly scans of a target with 10,000 results each (365 objects in a
//! directory store): the time to record one scan, to build the index from scratch and
//! to produce the year's report, and the store's size.
//!
//! `cargo bench -p soc2scan-evidence --bench year` (release; the evidence crate does
//! not depend on the AWS SDK without its `s3` feature, so this builds in minutes).

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use soc2scan_evidence::{index::Index, period, record, store, verify};

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without
/// it, and then it makes a smoke run of a few small scans.
fn size() -> (usize, i64) {
    if std::env::args().any(|a| a == "--bench") {
        (10_000, 365)
    } else {
        (200, 3)
    }
}
/// 2026-01-01T02:00:00Z.
const START: i64 = 1_767_232_800;

/// A JSON report (schema version 1) of day `d`: `results` results, 4 % of which fail; a
/// few findings appear and disappear over the year.
fn report(d: i64, results: usize) -> String {
    let result = |i: usize, fail: bool| {
        let severity = ["low", "medium", "high", "critical"][i % 4];
        let mut v = json!({
            "rule_id": format!("AWS-R{:03}", i % 120),
            "title": "a rule title of ordinary length for a check",
            "severity": severity,
            "criteria": ["CC6.1", "C1.1"],
            "resource": format!("arn:aws:s3:::bucket-number-{i}"),
            "resource_type": "aws_s3_bucket",
            "attribute": "server_side_encryption_configuration",
            "location": {"source": "aws", "arn": format!("arn:aws:s3:::bucket-number-{i}"), "region": "eu-west-1"},
            "resource_location": {"source": "aws", "arn": format!("arn:aws:s3:::bucket-number-{i}"), "region": "eu-west-1"},
            "fingerprint": format!("{:032x}", i as u128 * 0x9e37_79b9_7f4a_7c15),
        });
        if fail {
            if let Value::Object(m) = &mut v {
                m.insert(
                    "message".into(),
                    json!("bucket has no default encryption with a KMS key"),
                );
                m.insert("suppressed".into(), json!(false));
                m.insert("suppression".into(), Value::Null);
            }
        }
        v
    };
    // The first 4 % fail; one more, which changes with the day, fails on day d only.
    let failing = |i: usize| i < results / 25 || i == results / 25 + (d as usize % 50);
    let findings: Vec<Value> = (0..results)
        .filter(|i| failing(*i))
        .map(|i| result(i, true))
        .collect();
    let passed: Vec<Value> = (0..results)
        .filter(|i| !failing(*i))
        .map(|i| result(i, false))
        .collect();
    let criteria: Vec<Value> = (0..45)
        .map(|i| json!({"id": format!("CC{}.{}", i / 5 + 1, i % 5 + 1), "title": "a criterion", "status": if i % 3 == 0 { "failed" } else { "passed" }}))
        .collect();
    let doc = json!({
        "schema_version": "1",
        "tool": {"name": "soc2scan", "version": "0.1.0"},
        "inputs": ["aws:123456789012"],
        "evidence": {"ruleset_hash": "sha256:00", "level": "baseline", "git": null, "policy": null},
        "findings": findings,
        "not_evaluated": [],
        "passed": passed,
        "diagnostics": [],
        "criteria": criteria,
        "coverage": [{"scope": "aws:123456789012/eu-west-1", "collection": "s3.buckets", "status": "read", "count": results}],
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn main() {
    let (results, days) = size();
    println!("{days} nightly scans of {results} results each");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("store");
    let s = store::LocalStore::new(&dir);
    let mut slowest = Duration::ZERO;
    let mut last = Duration::ZERO;
    let text0 = report(0, results);
    println!("report size: {:.1} MB", text0.len() as f64 / 1e6);
    for d in 0..days {
        let text = report(d, results);
        let t = Instant::now();
        record::record(
            &s,
            &record::Request {
                report_json: &text,
                file: "bench",
                target: Some("org".into()),
                scan_time: soc2scan_core::time::rfc3339(START + d * 86_400),
                retention: None,
            },
        )
        .unwrap();
        last = t.elapsed();
        slowest = slowest.max(last);
    }
    println!(
        "record one scan: {} (the last), slowest {}",
        secs(last),
        secs(slowest)
    );
    let size: u64 = walk(&dir.join("objects"));
    println!("store size: {:.1} MB for {days} objects", size as f64 / 1e6);

    let t = Instant::now();
    let v = verify::verify(&s).unwrap();
    let verify_time = t.elapsed();
    assert!(v.intact());
    println!("verify: {}", secs(verify_time));
    let t = Instant::now();
    let index = Index::open(&dir, &v).unwrap();
    assert!(index.rebuilt);
    println!("index build from scratch: {}", secs(t.elapsed()));
    drop(index);
    println!(
        "index size: {:.1} MB",
        std::fs::metadata(dir.join("index.sqlite")).unwrap().len() as f64 / 1e6
    );

    let t = Instant::now();
    let v = verify::verify(&s).unwrap();
    let index = Index::open(&dir, &v).unwrap();
    assert!(!index.rebuilt);
    let r = period::build(
        &v,
        &index,
        &period::Options {
            from: soc2scan_evidence::day::parse("2026-01-01").unwrap(),
            to: soc2scan_evidence::day::parse("2026-12-31").unwrap(),
            targets: vec![],
            sla: period::Sla::default(),
            store: "bench".into(),
        },
    )
    .unwrap();
    let html = period::render_html(&r);
    let json = period::to_json(&r);
    let year_report = t.elapsed();
    drop(index);
    // The next night: one more scan recorded and appended to the index.
    let text = report(days, results);
    record::record(
        &s,
        &record::Request {
            report_json: &text,
            file: "bench",
            target: Some("org".into()),
            scan_time: soc2scan_core::time::rfc3339(START + days * 86_400),
            retention: None,
        },
    )
    .unwrap();
    let t2 = Instant::now();
    let v2 = verify::verify(&s).unwrap();
    let appended = Index::open(&dir, &v2).unwrap();
    assert!(!appended.rebuilt);
    println!(
        "verify and append the next night's scan to the index: {}",
        secs(t2.elapsed())
    );
    println!(
        "year report (verify, index, HTML and JSON): {} ({} exceptions, {} KB HTML, {} KB JSON)",
        secs(year_report),
        r.exceptions.len(),
        html.len() / 1000,
        json.len() / 1000
    );
}

fn walk(p: &std::path::Path) -> u64 {
    let mut n = 0;
    for e in std::fs::read_dir(p).unwrap() {
        let e = e.unwrap();
        let m = e.metadata().unwrap();
        n += if m.is_dir() { walk(&e.path()) } else { m.len() };
    }
    n
}
