//! Finding identities do not depend on the directory soc2scan runs from: the
//! fingerprints of one repository are the same from its root, from a subdirectory
//! and from an unrelated directory given an absolute path.

use std::path::Path;
use std::process::Command as StdCommand;

use serde_json::Value;
use soc2scan::finding::fingerprint;

mod common;
use common::{soc2scan, write};

/// The attribute AWS-S3-001 reports a bucket without encryption on.
const ATTR: &str = "server_side_encryption_configuration";

const BUCKET: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
"#;

/// Two root modules declaring the same address, under `infra/` of `repo`.
fn two_roots(repo: &Path) {
    write(repo, "infra/a/main.tf", BUCKET);
    write(repo, "infra/b/main.tf", BUCKET);
}

/// The sorted fingerprints of the findings of `soc2scan scan PATH` run in `cwd`.
fn fingerprints(cwd: &Path, path: &Path) -> Vec<String> {
    let out = soc2scan()
        .current_dir(cwd)
        .args([
            "scan",
            "--no-config",
            "--select",
            "AWS-S3-001",
            "-f",
            "json",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut v: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn expected(scopes: [&str; 2]) -> Vec<String> {
    let mut v: Vec<String> = scopes
        .iter()
        .map(|s| fingerprint("AWS-S3-001", s, "aws_s3_bucket.data", ATTR))
        .collect();
    v.sort();
    v
}

#[test]
fn fingerprints_are_anchored_to_the_git_top_level() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    two_roots(&repo);
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let init = StdCommand::new("git")
        .arg("init")
        .arg("-q")
        .arg(&repo)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .status()
        .unwrap();
    assert!(init.success());

    let from_root = fingerprints(&repo, Path::new("infra"));
    let from_sub = fingerprints(&repo.join("infra"), Path::new("."));
    let from_elsewhere = fingerprints(&elsewhere, &repo.join("infra"));
    assert_eq!(from_root, expected(["infra/a", "infra/b"]));
    assert_eq!(from_sub, from_root);
    assert_eq!(from_elsewhere, from_root);
    // Scanning one root module alone keeps its identity too.
    let one = fingerprints(&repo.join("infra/a"), Path::new("."));
    assert_eq!(
        one,
        vec![fingerprint(
            "AWS-S3-001",
            "infra/a",
            "aws_s3_bucket.data",
            ATTR
        )]
    );
}

#[test]
fn without_git_fingerprints_are_anchored_to_the_scanned_path() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    two_roots(&plain);
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let from_parent = fingerprints(&plain, Path::new("infra"));
    let from_inside = fingerprints(&plain.join("infra"), Path::new("."));
    let from_elsewhere = fingerprints(&elsewhere, &plain.join("infra"));
    assert_eq!(from_parent, expected(["a", "b"]));
    assert_eq!(from_inside, from_parent);
    assert_eq!(from_elsewhere, from_parent);
}
