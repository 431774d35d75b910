//! CLI tests: run the built binary and check exit codes, output files and messages.

use predicates::prelude::*;

mod common;
use common::{soc2scan, write};

const BAD_BUCKET: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
"#;

const GOOD_BUCKET: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = var.name
}
variable "name" { default = "acme-data" }
resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
"#;

#[test]
fn exit_1_on_findings_and_0_when_clean() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad/main.tf", BAD_BUCKET);
    write(dir.path(), "good/main.tf", GOOD_BUCKET);
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "--no-color"])
        .arg(dir.path().join("bad"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("AWS-S3-001"));
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001"])
        .arg(dir.path().join("good"))
        .assert()
        .code(0);
}

#[test]
fn fail_on_threshold_controls_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BAD_BUCKET);
    // AWS-S3-001 is below critical: the gate passes at --fail-on critical.
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "--fail-on", "critical"])
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn exit_2_on_missing_path_bad_flag_and_bad_var_file() {
    soc2scan()
        .args(["scan", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("path not found"));
    soc2scan()
        .args(["scan", "--format", "pdf"])
        .assert()
        .code(2);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BAD_BUCKET);
    soc2scan()
        .args(["scan", "--var-file", "/no/such.tfvars"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such.tfvars"));
    write(dir.path(), "broken.tfvars", "name = \n");
    soc2scan()
        .arg("scan")
        .arg("--var-file")
        .arg(dir.path().join("broken.tfvars"))
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.tfvars"));
    soc2scan()
        .args(["scan", "--select", "AWS-NOPE-999"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("AWS-NOPE-999"));
}

#[test]
fn output_is_written_atomically_and_not_on_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BAD_BUCKET);
    let out = dir.path().join("report.sarif");
    soc2scan()
        .args(["scan", "--format", "sarif", "--output"])
        .arg(&out)
        .arg(dir.path())
        .assert()
        .code(1);
    let text = std::fs::read_to_string(&out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], "2.1.0");
    // A failed scan leaves no file behind, and no temporary file either.
    let out2 = dir.path().join("never.json");
    soc2scan()
        .args(["scan", "--format", "json", "--output"])
        .arg(&out2)
        .arg(dir.path().join("missing"))
        .assert()
        .code(2);
    assert!(!out2.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // An output path in a directory that does not exist is exit 2.
    soc2scan()
        .args(["scan", "--output"])
        .arg(dir.path().join("no/such/dir/out.txt"))
        .arg(dir.path())
        .assert()
        .code(2);
}

#[test]
fn parse_error_is_reported_and_scan_continues() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/main.tf", BAD_BUCKET);
    write(
        dir.path(),
        "b/broken.tf",
        "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n",
    );
    let assert = soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "--format", "json"])
        .arg(dir.path())
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let text = v.to_string();
    assert!(text.contains("broken.tf"), "{text}");
    assert!(text.contains("parse-error"), "{text}");
    assert!(text.contains("AWS-S3-001"), "{text}");
}

#[test]
fn same_input_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BAD_BUCKET);
    write(dir.path(), "b/main.tf", GOOD_BUCKET);
    for format in ["json", "sarif", "text", "controls"] {
        let run = || {
            soc2scan()
                // The control report records the scan time; fix it as reproducible builds do.
                .env("SOURCE_DATE_EPOCH", "1767225600")
                .args(["scan", "--no-color", "--format", format])
                .arg(dir.path())
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run(), run(), "{format} output differs between runs");
    }
}

#[test]
fn rules_and_explain() {
    let out = soc2scan()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert!(list.len() >= 15, "{} rules", list.len());
    for r in list {
        for k in ["id", "slug", "title", "severity", "family", "level"] {
            assert!(r[k].is_string(), "{r}");
        }
        assert!(!r["criteria"].as_array().unwrap().is_empty(), "{r}");
        // A strict rule says why it is hardening; a baseline rule needs no reason.
        match r["level"].as_str().unwrap() {
            "strict" => assert!(r["level_reason"].is_string(), "{r}"),
            "baseline" => assert!(r["level_reason"].is_null(), "{r}"),
            other => panic!("level {other}"),
        }
    }
    let level = |id: &str| list.iter().find(|r| r["id"] == id).unwrap()["level"].clone();
    assert_eq!(level("AWS-S3-001"), "strict");
    assert_eq!(level("AWS-RDS-011"), "strict");
    assert_eq!(level("AWS-RDS-001"), "baseline");
    soc2scan()
        .args(["explain", "AWS-S3-001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## How to fix"))
        .stdout(predicate::str::contains("Level: strict — "));
    soc2scan()
        .args(["explain", "AWS-RDS-001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Level: baseline\n"));
    soc2scan()
        .arg("rules")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"AWS-S3-001 +medium +strict ").unwrap());
    soc2scan()
        .args(["explain", "s3-bucket-encryption"])
        .assert()
        .success();
    soc2scan().args(["explain", "NOPE"]).assert().code(2);
}

#[test]
fn selection_by_criterion_and_family() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BAD_BUCKET);
    // AWS-S3-001 (a KMS key instead of SSE-S3) is a strict rule.
    soc2scan()
        .args(["scan", "--select", "CC6.1", "--format", "json"])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("AWS-S3-001").not());
    soc2scan()
        .args([
            "scan", "--select", "CC6.1", "--format", "json", "--level", "strict",
        ])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("AWS-S3-001"));
    soc2scan()
        .args([
            "scan",
            "--select",
            "encryption-at-rest",
            "--ignore",
            "AWS-S3",
        ])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("AWS-S3-001").not());
}

#[test]
fn inline_suppression_needs_reason_and_expires() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ok/main.tf",
        "# soc2scan:ignore AWS-S3-001 reason=\"public website assets\" until=2999-01-01\nresource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-site\"\n}\n",
    );
    write(
        dir.path(),
        "expired/main.tf",
        "resource \"aws_s3_bucket\" \"data\" { # soc2scan:ignore AWS-S3-001 reason=\"old\" until=2001-01-01\n  bucket = \"acme-old\"\n}\n",
    );
    write(
        dir.path(),
        "noreason/main.tf",
        "resource \"aws_s3_bucket\" \"data\" { # soc2scan:ignore AWS-S3-001\n  bucket = \"acme-x\"\n}\n",
    );
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001"])
        .arg(dir.path().join("ok"))
        .assert()
        .code(0);
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "--no-color"])
        .arg(dir.path().join("expired"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("expired on 2001-01-01"));
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "--no-color"])
        .arg(dir.path().join("noreason"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no reason"));
    // Suppressed findings stay in SARIF with their justification.
    let out = soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "--format", "sarif"])
        .arg(dir.path().join("ok"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("public website assets"), "{text}");
    assert!(text.contains("\"suppressions\""), "{text}");
}

/// `(rule, resource)` of every unsuppressed finding of a JSON scan of `fixtures/levels`.
fn level_findings(args: &[&str]) -> Vec<(String, String)> {
    let out = soc2scan()
        .args(["scan", "--format", "json", "--no-config"])
        .args(args)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/levels"))
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut v: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false)
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn baseline_reports_soc2_deviations_and_strict_adds_hardening() {
    // The SSE-S3 bucket and the database without deletion protection are encrypted
    // and backed up: nothing for a baseline scan; the unencrypted volume is.
    let baseline = level_findings(&[]);
    assert_eq!(baseline, level_findings(&["--level", "baseline"]));
    assert_eq!(
        baseline,
        pairs(&[("AWS-EC2-001", "aws_ebs_volume.scratch")]),
        "{baseline:#?}"
    );
    let strict = level_findings(&["--level", "strict"]);
    assert_eq!(
        strict,
        pairs(&[
            ("AWS-EC2-001", "aws_ebs_volume.scratch"),
            ("AWS-RDS-011", "aws_db_instance.app"),
            ("AWS-RDS-012", "aws_db_instance.app"),
            ("AWS-S3-001", "aws_s3_bucket.data"),
            ("AWS-TAG-001", "aws_db_instance.app"),
            ("AWS-TAG-001", "aws_ebs_volume.scratch"),
            ("AWS-TAG-001", "aws_s3_bucket.data"),
        ]),
        "{strict:#?}"
    );
    // Every finding strict adds is from a strict rule.
    let out = soc2scan()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let level_of = |id: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["level"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for f in strict.iter().filter(|f| !baseline.contains(f)) {
        assert_eq!(level_of(&f.0), "strict", "{f:?}");
    }
    for f in &baseline {
        assert_eq!(level_of(&f.0), "baseline", "{f:?}");
    }
}

#[test]
fn an_explicit_rule_id_runs_a_strict_rule_at_baseline() {
    // Named by id: runs whatever the level.
    assert_eq!(
        level_findings(&["--select", "AWS-RDS-011"]),
        pairs(&[("AWS-RDS-011", "aws_db_instance.app")])
    );
    // A prefix selects only the rules of the level.
    assert_eq!(level_findings(&["--select", "AWS-RDS"]), pairs(&[]));
    assert_eq!(
        level_findings(&["--select", "AWS-RDS", "--level", "strict"]),
        pairs(&[
            ("AWS-RDS-011", "aws_db_instance.app"),
            ("AWS-RDS-012", "aws_db_instance.app"),
        ])
    );
}

#[test]
fn the_scan_level_is_recorded_in_json_sarif_and_the_control_report() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/levels");
    let run = |args: &[&str]| {
        let out = soc2scan()
            .args(["scan", "--no-config"])
            .args(args)
            .arg(dir)
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(2));
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    assert_eq!(json["evidence"]["level"], "baseline");
    assert!(json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["level"] == "baseline"));
    let json: serde_json::Value =
        serde_json::from_str(&run(&["--format", "json", "--level", "strict"])).unwrap();
    assert_eq!(json["evidence"]["level"], "strict");
    let s3 = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AWS-S3-001")
        .unwrap();
    assert_eq!(s3["level"], "strict");
    let sarif: serde_json::Value =
        serde_json::from_str(&run(&["--format", "sarif", "--level", "strict"])).unwrap();
    let levels: Vec<&str> = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["tool"]["driver"]["rules"].as_array().unwrap())
        .map(|r| r["properties"]["soc2-level"].as_str().unwrap())
        .collect();
    assert!(levels.contains(&"strict") && levels.contains(&"baseline"));
    assert!(run(&["--format", "controls"]).contains("- Level: baseline"));
    assert!(run(&["--format", "controls", "--level", "strict"]).contains("- Level: strict"));
    soc2scan()
        .args(["scan", "--level", "paranoid"])
        .arg(dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("paranoid"));
}

#[test]
fn output_to_a_device_or_pipe_is_written_not_replaced() {
    // `-o /dev/null` must never rename a file over the device; a named pipe shows it
    // without touching the machine's /dev/null.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BAD_BUCKET);
    let fifo = dir.path().join("report.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001", "-f", "json", "-q", "-o"])
        .arg(&fifo)
        .arg(dir.path().join("main.tf"))
        .assert()
        .code(1);
    // Checked before joining: a reader still waiting on a replaced pipe never returns.
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let text = reader.join().unwrap();
    assert!(text.contains("\"AWS-S3-001\""), "{text}");
}

/// `soc2scan model` prints the model document; scanning the document, named as a file,
/// reports exactly what scanning its sources reports.
#[test]
fn model_document_is_printed_and_scanned_again() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("recorded.json");
    soc2scan()
        .args(["model", "fixtures/demo", "--output"])
        .arg(&doc)
        .assert()
        .code(0)
        .stdout("");
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(text.starts_with("{\n  \"format\": \"soc2scan-model\",\n  \"version\": 1,"));
    let from_sources = soc2scan()
        .args([
            "scan",
            "fixtures/demo",
            "--format",
            "json",
            "--level",
            "strict",
        ])
        .output()
        .unwrap();
    let from_document = soc2scan()
        .args(["scan", "--format", "json", "--level", "strict"])
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(from_sources.status.code(), Some(1));
    assert_eq!(from_document.status.code(), Some(1));
    let a: serde_json::Value = serde_json::from_slice(&from_sources.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&from_document.stdout).unwrap();
    for key in [
        "findings",
        "not_evaluated",
        "passed",
        "criteria",
        "coverage",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert!(!a["findings"].as_array().unwrap().is_empty());
}
