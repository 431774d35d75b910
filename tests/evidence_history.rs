//! Evidence over an audit period, built through the real CLI: a Terraform repository
//! scanned on 64 simulated nights (`SOURCE_DATE_EPOCH`) into a directory store, with a
//! violation introduced on one day and fixed on another, a suppression added and
//! expiring, nights skipped, then one object altered and one deleted. Asserts the
//! exact intervals, gaps, per-day statuses, SLA verdicts, diffs and verification.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{soc2scan, write};

/// 2026-01-01T00:00:00Z.
const START: i64 = 1_767_225_600;
/// Nights without a scan (day numbers from 2026-01-01).
const SKIPPED: [i64; 3] = [15, 16, 55];
const DAYS: i64 = 64;

const ENCRYPTED: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
"#;

fn bucket(name: &str, encrypted: bool, suppression: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(until) = suppression {
        s.push_str(&format!(
            "# soc2scan:ignore AWS-S3-001 reason=\"migration bucket\" until={until} accepted_by=\"jane.doe, CHG-1042\"\n"
        ));
    }
    s.push_str(&format!(
        "resource \"aws_s3_bucket\" \"{name}\" {{\n  bucket = \"acme-{name}\"\n}}\n"
    ));
    if encrypted {
        s.push_str(&format!(
            "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"{name}\" {{\n  \
             bucket = aws_s3_bucket.{name}.id\n  rule {{\n    \
             apply_server_side_encryption_by_default {{\n      sse_algorithm = \"aws:kms\"\n    \
             }}\n  }}\n}}\n"
        ));
    }
    s
}

/// The repository on day `d`: `logs` unencrypted on days 10–19, `tmp` unencrypted
/// from day 30 to 44, suppressed until 2026-02-09 (day 39).
fn files_of_day(repo: &Path, d: i64) {
    write(repo, "infra/main.tf", ENCRYPTED);
    write(
        repo,
        "infra/logs.tf",
        &bucket("logs", !(10..20).contains(&d), None),
    );
    let tmp = if d < 30 {
        String::new()
    } else {
        bucket("tmp", d >= 45, Some("2026-02-09"))
    };
    write(repo, "infra/tmp.tf", &tmp);
}

fn scan_day(repo: &Path, store: &Path, d: i64) -> i32 {
    files_of_day(repo, d);
    let out = soc2scan()
        .current_dir(repo)
        .env(
            "SOURCE_DATE_EPOCH",
            (START + d * 86_400 + 7_200).to_string(),
        )
        .args([
            "scan",
            "infra",
            "--no-config",
            "--select",
            "AWS-S3-001",
            "-q",
            "-f",
            "json",
            "-o",
            "report.json",
            "--target",
            "infra",
            "--record",
        ])
        .arg(store)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "day {d}: {out:?}"
    );
    out.status.code().unwrap()
}

fn diff(store: &Path, fail_on: &str) -> (i32, Value) {
    let out = soc2scan()
        .args([
            "evidence",
            "diff",
            "-f",
            "json",
            "--fail-on",
            fail_on,
            "--store",
        ])
        .arg(store)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), doc)
}

fn report(store: &Path, config: &Path, format: &str) -> (i32, String) {
    let out = soc2scan()
        .args([
            "evidence",
            "report",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-05",
            "-f",
            format,
            "--store",
        ])
        .arg(store)
        .arg("--config")
        .arg(config)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn verify(store: &Path) -> (i32, String) {
    let out = soc2scan()
        .args(["evidence", "verify", "--store"])
        .arg(store)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn date(d: i64) -> String {
    soc2scan::time::civil_from_days(START / 86_400 + d)
}

/// The expected status of CC6.1 (AWS-S3-001's criterion) on day `d`.
fn expected_status(d: i64, holes: &[i64]) -> &'static str {
    if SKIPPED.contains(&d) || holes.contains(&d) {
        "no-scan"
    } else if (10..20).contains(&d) || (40..45).contains(&d) {
        "failed"
    } else {
        "passed"
    }
}

fn object_keys(store: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for dir in std::fs::read_dir(store.join("objects")).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            v.push(f.strip_prefix(store).unwrap().to_string_lossy().to_string());
        }
    }
    v.sort();
    v
}

#[test]
fn sixty_four_nights_of_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let store = tmp.path().join("store");
    let policy = tmp.path().join("policy.toml");
    std::fs::write(
        &policy,
        "[evidence.sla]\ncritical = 7\nhigh = 7\nmedium = 7\nlow = 7\n",
    )
    .unwrap();
    for d in 0..DAYS {
        if SKIPPED.contains(&d) {
            continue;
        }
        let code = scan_day(&repo, &store, d);
        let failing = (10..20).contains(&d) || (40..45).contains(&d);
        assert_eq!(code, i32::from(failing), "day {d}");
        match d {
            10 => {
                // The new finding alerts; AWS-S3-001 is below critical.
                let (code, doc) = diff(&store, "low");
                assert_eq!(code, 1);
                let t = &doc["targets"][0];
                assert_eq!(t["target"], "infra");
                assert_eq!(t["new"].as_array().unwrap().len(), 1);
                assert_eq!(t["new"][0]["resource"], "aws_s3_bucket.logs");
                assert_eq!(t["resolved"].as_array().unwrap().len(), 0);
                let crit: Vec<(&str, &str, &str)> = t["criteria"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| {
                        (
                            c["id"].as_str().unwrap(),
                            c["before"].as_str().unwrap(),
                            c["after"].as_str().unwrap(),
                        )
                    })
                    .collect();
                assert_eq!(
                    crit,
                    vec![("CC6.1", "passed", "failed"), ("C1.1", "passed", "failed")]
                );
                assert_eq!(diff(&store, "critical").0, 0);
            }
            11 => assert_eq!(diff(&store, "low").0, 0, "nothing new since day 10"),
            20 => {
                let (code, doc) = diff(&store, "low");
                assert_eq!(code, 0);
                assert_eq!(
                    doc["targets"][0]["resolved"][0]["resource"],
                    "aws_s3_bucket.logs"
                );
            }
            30 => {
                // A report now builds the index from the first scans; the final report
                // appends the later ones to it.
                assert_eq!(report(&store, &policy, "json").0, 0);
                assert!(store.join("index.sqlite").exists());
                // New but suppressed: no alert.
                let (code, doc) = diff(&store, "low");
                assert_eq!(code, 0);
                assert_eq!(doc["targets"][0]["new"][0]["suppressed"], true);
            }
            40 => {
                // The suppression expired: the finding counts again.
                let (code, doc) = diff(&store, "low");
                assert_eq!(code, 1);
                let c = &doc["targets"][0]["changed"][0];
                assert_eq!(c["resource"], "aws_s3_bucket.tmp");
                assert_eq!(c["changes"][0], "no longer suppressed");
            }
            _ => {}
        }
    }
    assert_eq!(
        object_keys(&store).len(),
        (DAYS - SKIPPED.len() as i64) as usize
    );
    let (code, out) = verify(&store);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("61 objects of 1 targets, 0 problems: intact\n"),
        "{out}"
    );
    // Recording a scan not after the latest is refused.
    let late = soc2scan()
        .current_dir(&repo)
        .env("SOURCE_DATE_EPOCH", (START + 5 * 86_400).to_string())
        .args([
            "evidence",
            "record",
            "report.json",
            "--target",
            "infra",
            "--store",
        ])
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(late.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&late.stderr).contains("append-only"));

    let (code, text) = report(&store, &policy, "json");
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&text).unwrap();
    check_report(&doc, &[]);
    assert_eq!(doc["integrity"]["chain_verified"], true);
    assert_eq!(doc["integrity"]["objects"].as_array().unwrap().len(), 61);
    // The index appended to since day 30 says what one built from scratch says.
    std::fs::remove_file(store.join("index.sqlite")).unwrap();
    assert_eq!(report(&store, &policy, "json").1, text);
    assert_eq!(
        report(&store, &policy, "json").1,
        text,
        "from the index as is"
    );

    // Tamper with day 25's object and delete day 33's.
    let keys = object_keys(&store);
    let altered = keys
        .iter()
        .find(|k| k.contains("20260126T"))
        .unwrap()
        .clone();
    let deleted = keys
        .iter()
        .find(|k| k.contains("20260203T"))
        .unwrap()
        .clone();
    let after_deleted = keys
        .iter()
        .find(|k| k.contains("20260204T"))
        .unwrap()
        .clone();
    let mut bytes = std::fs::read(store.join(&altered)).unwrap();
    let n = bytes.len();
    bytes[n - 12] ^= 0x20;
    std::fs::write(store.join(&altered), bytes).unwrap();
    std::fs::remove_file(store.join(&deleted)).unwrap();
    let (code, out) = verify(&store);
    assert_eq!(code, 2, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with(&format!("altered: {altered} ")),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&format!("missing: {after_deleted} ")),
        "{out}"
    );
    assert!(
        lines[2].ends_with("60 objects of 1 targets, 2 problems: NOT intact"),
        "{out}"
    );

    let (code, text) = report(&store, &policy, "json");
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["integrity"]["chain_verified"], false);
    let problems: Vec<(&str, &str)> = doc["integrity"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap(), p["key"].as_str().unwrap()))
        .collect();
    assert_eq!(
        problems,
        vec![
            ("altered", altered.as_str()),
            ("missing", after_deleted.as_str())
        ]
    );
    let objects = doc["integrity"]["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 60);
    let intact: Vec<&str> = objects
        .iter()
        .filter(|o| o["intact"] == false)
        .map(|o| o["key"].as_str().unwrap())
        .collect();
    assert_eq!(intact, vec![altered.as_str()]);
    // The holes stay holes.
    check_report(&doc, &[25, 33]);

    // Markdown, CSV and HTML carry the same facts.
    let (_, md) = report(&store, &policy, "markdown");
    assert!(md.contains("chain **NOT verified**"), "{md}");
    assert!(md.contains(&format!("- **altered** `{altered}`")), "{md}");
    let (_, csv) = report(&store, &policy, "csv");
    assert_eq!(csv.lines().next(), Some("criterion,title,date,status"));
    assert!(csv.contains("CC6.1,"));
    let cc61: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("CC6.1,"))
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(cc61.len(), 64);
    assert_eq!(cc61[10], "failed");
    assert_eq!(cc61[25], "no scan");
    // One row per exception: both findings of the period, then the accepted one.
    let (_, rows) = report(&store, &policy, "exceptions-csv");
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(
        rows[0],
        "kind,target,rule,resource,severity,first_seen,resolved,resolution,days_open,sla_days,sla,reason,accepted_by,until,written_in,fingerprint"
    );
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert!(rows[1].starts_with("finding,"), "{}", rows[1]);
    assert!(
        rows[2].contains(",AWS-S3-001,aws_s3_bucket.tmp,")
            && rows[2].contains(",2026-02-10,2026-02-15,"),
        "{}",
        rows[2]
    );
    assert!(
        rows[3].starts_with("accepted,")
            && rows[3].contains(",2026-01-31,2026-02-10,ended,,,,migration bucket,\"jane.doe, CHG-1042\",2026-02-09,"),
        "{}",
        rows[3]
    );
    let (_, html) = report(&store, &policy, "html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<span class=\"bad\" id=\"chain\">NOT verified</span>"));
}

/// The facts every report of the history states; `holes` are days whose object is
/// altered or missing.
fn check_report(doc: &Value, holes: &[i64]) {
    assert_eq!(doc["kind"], "soc2scan-evidence-report");
    assert_eq!(doc["version"], "1");
    assert_eq!(doc["period"]["days"], 64);
    let t = &doc["targets"][0];
    assert_eq!(t["target"], "infra");
    let scanned = 61 - holes.len();
    assert_eq!(t["scans"], scanned);
    assert_eq!(t["days_scanned"], scanned);
    let mut gaps: Vec<String> = vec!["2026-01-16..2026-01-17".into()];
    gaps.extend(holes.iter().map(|d| date(*d)));
    gaps.push("2026-02-25".into());
    assert_eq!(t["gaps"], serde_json::json!(gaps));

    let cc61 = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CC6.1")
        .unwrap();
    for d in 0..DAYS {
        assert_eq!(
            cc61["days"][date(d)],
            expected_status(d, holes),
            "{}",
            date(d)
        );
    }
    let failed_days = (0..DAYS)
        .filter(|d| expected_status(*d, holes) == "failed")
        .count();
    assert_eq!(failed_days, 8 + 5);
    assert_eq!(cc61["judged_days"], scanned);
    assert_eq!(cc61["passed_days"], scanned - failed_days);
    // A criterion no selected rule covers is manual on scanned days.
    let cc11 = doc["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CC1.1")
        .unwrap();
    assert_eq!(cc11["days"]["2026-01-01"], "manual");
    assert_eq!(cc11["days"]["2026-01-16"], "no-scan");
    assert_eq!(cc11["share_passed"], Value::Null);

    let ex = doc["exceptions"].as_array().unwrap();
    assert_eq!(ex.len(), 2, "{ex:?}");
    assert_eq!(ex[0]["resource"], "aws_s3_bucket.logs");
    assert_eq!(ex[0]["rule_id"], "AWS-S3-001");
    assert_eq!(ex[0]["first_seen"], "2026-01-11");
    assert_eq!(ex[0]["resolved"], "2026-01-21");
    assert_eq!(ex[0]["resolution"], "fixed");
    assert_eq!(ex[0]["days_open"], 10);
    assert_eq!(ex[0]["sla_days"], 7);
    assert_eq!(ex[0]["sla"], "breached");
    assert_eq!(ex[1]["resource"], "aws_s3_bucket.tmp");
    assert_eq!(ex[1]["first_seen"], "2026-02-10");
    assert_eq!(ex[1]["resolved"], "2026-02-15");
    assert_eq!(ex[1]["days_open"], 5);
    assert_eq!(ex[1]["sla"], "met");

    let acc = doc["accepted_exceptions"].as_array().unwrap();
    assert_eq!(acc.len(), 1, "{acc:?}");
    assert_eq!(acc[0]["resource"], "aws_s3_bucket.tmp");
    assert_eq!(acc[0]["reason"], "migration bucket");
    assert_eq!(acc[0]["accepted_by"], "jane.doe, CHG-1042");
    assert_eq!(acc[0]["until"], "2026-02-09");
    assert_eq!(acc[0]["first_seen"], "2026-01-31T02:00:00Z");
    assert_eq!(acc[0]["last_seen"], "2026-02-09T02:00:00Z");
    assert_eq!(acc[0]["ended"], "2026-02-10T02:00:00Z");
}
