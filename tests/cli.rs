//! CLI tests: run the built binary and check exit codes, output files and messages.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn soc2scan() -> Command {
    Command::cargo_bin("soc2scan").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

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
        for k in ["id", "slug", "title", "severity", "family"] {
            assert!(r[k].is_string(), "{r}");
        }
        assert!(!r["criteria"].as_array().unwrap().is_empty(), "{r}");
    }
    soc2scan()
        .args(["explain", "AWS-S3-001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## How to fix"));
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
    soc2scan()
        .args(["scan", "--select", "CC6.1", "--format", "json"])
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
