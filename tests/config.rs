//! The project policy file `.soc2scan.toml`, through the real binary: discovery from the
//! scanned path upward, `--config` and `--no-config`, errors with file and line (exit 2),
//! severity overrides in SARIF and `--fail-on`, selectors added to the CLI's, and path
//! suppressions with reason and expiry.

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

mod common;
use common::{soc2scan, write};

/// Fails AWS-S3-004 (baseline, declared medium): no versioning; and AWS-S3-001
/// (strict, declared medium): no KMS encryption.
const BUCKET: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
"#;

fn json_scan(args: &[&str], path: &Path) -> (i32, Value) {
    let out = soc2scan()
        .args(["scan", "--format", "json"])
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert_ne!(code, 2, "{}", String::from_utf8_lossy(&out.stderr));
    (code, serde_json::from_slice(&out.stdout).unwrap())
}

fn rule<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} did not run"))
}

fn rule_ids(doc: &Value) -> Vec<String> {
    doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn found_from_the_scanned_path_upward() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".soc2scan.toml",
        "[severity]\n\"AWS-S3-004\" = \"critical\"\n",
    );
    write(dir.path(), "infra/app/main.tf", BUCKET);
    let (_, doc) = json_scan(&[], &dir.path().join("infra/app"));
    assert_eq!(rule(&doc, "AWS-S3-004")["severity"], "critical");
    assert_eq!(rule(&doc, "AWS-S3-004")["default_severity"], "medium");
    let policy = doc["evidence"]["policy"]["path"].as_str().unwrap();
    assert!(policy.ends_with(".soc2scan.toml"), "{policy}");
    assert!(doc["evidence"]["policy"]["sha256"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    // A file as input: its directory is where the search starts.
    let (_, doc) = json_scan(&[], &dir.path().join("infra/app/main.tf"));
    assert_eq!(rule(&doc, "AWS-S3-004")["severity"], "critical");
    // --no-config ignores it.
    let (_, doc) = json_scan(&["--no-config"], &dir.path().join("infra/app"));
    assert_eq!(rule(&doc, "AWS-S3-004")["severity"], "medium");
    assert_eq!(doc["evidence"]["policy"], Value::Null);
}

#[test]
fn no_file_no_policy() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    let (_, doc) = json_scan(&[], dir.path());
    assert_eq!(doc["evidence"]["policy"], Value::Null);
    assert_eq!(rule(&doc, "AWS-S3-004")["severity"], "medium");
}

#[test]
fn config_flag_names_the_file_and_wins_over_discovery() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    write(
        dir.path(),
        ".soc2scan.toml",
        "[severity]\n\"AWS-S3-004\" = \"critical\"\n",
    );
    write(
        dir.path(),
        "policy/strict.toml",
        "[severity]\n\"AWS-S3-004\" = \"low\"\n",
    );
    let file = dir.path().join("policy/strict.toml");
    let (_, doc) = json_scan(&["--config", file.to_str().unwrap()], dir.path());
    assert_eq!(rule(&doc, "AWS-S3-004")["severity"], "low");
    assert!(doc["evidence"]["policy"]["path"]
        .as_str()
        .unwrap()
        .ends_with("strict.toml"));
    soc2scan()
        .args(["scan", "--config"])
        .arg(dir.path().join("missing.toml"))
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn malformed_file_is_exit_2_with_file_and_line() {
    let cases = [
        // TOML syntax error on line 3.
        ("select = [\"AWS-S3-001\"]\n\n[severity\n", ":3:", "invalid"),
        // Unknown selector on line 2.
        (
            "select = [\n  \"AWS-NOPE-001\",\n]\n",
            ":2:",
            "AWS-NOPE-001",
        ),
        // Unknown selector in a suppression.
        (
            "[[suppress]]\nrules = [\"nonsense\"]\npaths = [\"**\"]\nreason = \"r\"\n",
            ":2:",
            "nonsense",
        ),
        // Not a severity.
        (
            "\n[severity]\n\"AWS-S3-001\" = \"urgent\"\n",
            ":3:",
            "urgent",
        ),
        // Not a level.
        (
            "select = [\"CC6.1\"]\nlevel = \"paranoid\"\n",
            ":2:",
            "unknown level \"paranoid\" (expected baseline or strict)",
        ),
        // Unknown key.
        ("selct = [\"CC6.1\"]\n", ":1:", "selct"),
        // Unknown setting.
        ("[settings]\nlog_retention = 5\n", ":2:", "log_retention"),
        // Suppression without a reason.
        (
            "[[suppress]]\nrules = [\"AWS-S3-001\"]\npaths = [\"**\"]\n",
            ":1:",
            "reason",
        ),
    ];
    for (text, line, what) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.tf", BUCKET);
        write(dir.path(), ".soc2scan.toml", text);
        soc2scan()
            .arg("scan")
            .arg(dir.path())
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(".soc2scan.toml{line}")))
            .stderr(predicate::str::contains(what));
    }
}

#[test]
fn severity_override_changes_sarif_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    let scan = |extra: &[&str]| {
        soc2scan()
            .args(["scan", "--select", "AWS-S3-001", "--fail-on", "critical"])
            .args(extra)
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let sarif_severity = |out: &std::process::Output| {
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let rule = &doc["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["id"], "AWS-S3-001");
        (
            rule["properties"]["security-severity"].clone(),
            doc["runs"][0]["results"][0]["level"].clone(),
        )
    };
    // Declared medium: below the threshold.
    let out = scan(&["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(sarif_severity(&out), ("5.5".into(), "warning".into()));

    write(
        dir.path(),
        ".soc2scan.toml",
        "[severity]\n\"AWS-S3-001\" = \"critical\"\n",
    );
    let out = scan(&["--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "critical now fails the gate");
    assert_eq!(sarif_severity(&out), ("9.5".into(), "error".into()));
    let text = String::from_utf8(scan(&["--no-color"]).stdout).unwrap();
    assert!(text.contains("critical"), "{text}");
}

#[test]
fn cli_selectors_add_to_the_policy_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    write(
        dir.path(),
        ".soc2scan.toml",
        "select = [\"AWS-S3-001\", \"AWS-S3-004\"]\nignore = [\"AWS-S3-004\"]\n",
    );
    let (_, doc) = json_scan(&[], dir.path());
    assert_eq!(rule_ids(&doc), vec!["AWS-S3-001"]);
    let (_, doc) = json_scan(&["--select", "AWS-S3-003"], dir.path());
    assert_eq!(rule_ids(&doc), vec!["AWS-S3-001", "AWS-S3-003"]);
    let (_, doc) = json_scan(&["--ignore", "AWS-S3-001"], dir.path());
    assert!(rule_ids(&doc).is_empty());
}

const SUPPRESS: &str = r#"# exceptions accepted by the security team
select = ["AWS-S3-001"]

[[suppress]]
rules = ["AWS-S3-001"]
paths = ["legacy/**"]
reason = "legacy stack, decommissioned in Q1"
until = "2999-12-31"
accepted_by = "CISO, risk register R-12"

[[suppress]]
rules = ["AWS-S3-001"]
paths = ["old/*.tf"]
reason = "was accepted until 2020"
until = 2020-01-31
"#;

#[test]
fn path_suppressions_with_reason_and_expiry() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".soc2scan.toml", SUPPRESS);
    write(dir.path(), "legacy/stack/main.tf", BUCKET);
    write(dir.path(), "old/main.tf", BUCKET);
    write(dir.path(), "app/main.tf", BUCKET);
    write(dir.path(), "app/legacy/main.tf", BUCKET);

    let (code, doc) = json_scan(&[], dir.path());
    assert_eq!(code, 1);
    let findings = doc["findings"].as_array().unwrap();
    let by_path = |p: &str| {
        findings
            .iter()
            .find(|f| {
                f["location"]["path"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/{p}"))
            })
            .unwrap_or_else(|| panic!("no finding in {p}"))
    };
    let legacy = by_path("legacy/stack/main.tf");
    assert_eq!(legacy["suppressed"], true);
    assert_eq!(
        legacy["suppression"]["reason"],
        "legacy stack, decommissioned in Q1"
    );
    assert_eq!(legacy["suppression"]["until"], "2999-12-31");
    assert_eq!(
        legacy["suppression"]["accepted_by"],
        "CISO, risk register R-12"
    );
    assert_eq!(legacy["suppression"]["kind"], "external");
    assert!(legacy["suppression"]["location"]
        .as_str()
        .unwrap()
        .ends_with(".soc2scan.toml:4"));
    // Globs are relative to the policy file's directory, and `*` stays in one directory.
    assert_eq!(by_path("app/legacy/main.tf")["suppressed"], false);
    assert_eq!(by_path("app/main.tf")["suppressed"], false);
    // Expired: reported, and said so.
    assert_eq!(by_path("old/main.tf")["suppressed"], false);
    let expired: Vec<&Value> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "suppression")
        .collect();
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert!(expired[0]["file"]
        .as_str()
        .unwrap()
        .ends_with(".soc2scan.toml"));
    assert_eq!(expired[0]["line"], 11);
    assert!(expired[0]["message"]
        .as_str()
        .unwrap()
        .contains("expired on 2020-01-31"));

    // Only the legacy finding is suppressed: the others still fail the run.
    assert_eq!(doc["summary"]["suppressed"], 1);
    assert_eq!(doc["summary"]["failed"], 3);

    // SARIF: kept as a result, with an external suppression and its justification.
    let out = soc2scan()
        .args(["scan", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let suppressed: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "legacy stack, decommissioned in Q1"
    );

    // The control report lists it as an accepted exception from the policy file.
    let out = soc2scan()
        .args(["scan", "--format", "controls"])
        .arg(dir.path())
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("suppressed by the policy file at"), "{md}");
    assert!(md.contains("- Policy file: `"), "{md}");
}

#[test]
fn a_fully_suppressed_scan_passes_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".soc2scan.toml",
        "[[suppress]]\nrules = [\"AWS-S3\"]\npaths = [\"**/*.tf\"]\nreason = \"sandbox account\"\n",
    );
    write(dir.path(), "a/b/main.tf", BUCKET);
    soc2scan()
        .args(["scan", "--select", "AWS-S3-001"])
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn the_readme_example_is_a_valid_policy() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split_once("## Project policy: .soc2scan.toml")
        .expect("README has the policy section")
        .1;
    let example = section
        .split_once("```toml\n")
        .unwrap()
        .1
        .split_once("```")
        .unwrap()
        .0;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".soc2scan.toml", example);
    write(dir.path(), "legacy/main.tf", BUCKET);
    let (_, doc) = json_scan(&["--select", "AWS-S3-003"], dir.path());
    assert_eq!(rule(&doc, "AWS-S3-001")["severity"], "high");
    assert_eq!(rule(&doc, "AWS-S3-003")["severity"], "low");
    assert!(!rule_ids(&doc).contains(&"AWS-EC2-004".to_string()));
}

#[test]
fn level_in_the_policy_file_and_the_flag_wins() {
    // AWS-S3-001 (a KMS key instead of SSE-S3) is strict; AWS-S3-004 (versioning) is
    // baseline.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    let ran = |doc: &Value, id: &str| rule_ids(doc).contains(&id.to_string());

    // No level anywhere: baseline.
    let (_, doc) = json_scan(&[], dir.path());
    assert_eq!(doc["evidence"]["level"], "baseline");
    assert!(ran(&doc, "AWS-S3-004") && !ran(&doc, "AWS-S3-001"));

    write(dir.path(), ".soc2scan.toml", "level = \"strict\"\n");
    let (_, doc) = json_scan(&[], dir.path());
    assert_eq!(doc["evidence"]["level"], "strict");
    assert!(ran(&doc, "AWS-S3-004") && ran(&doc, "AWS-S3-001"));
    // The flag wins over the file.
    let (_, doc) = json_scan(&["--level", "baseline"], dir.path());
    assert_eq!(doc["evidence"]["level"], "baseline");
    assert!(ran(&doc, "AWS-S3-004") && !ran(&doc, "AWS-S3-001"));

    write(dir.path(), ".soc2scan.toml", "level = \"baseline\"\n");
    let (_, doc) = json_scan(&["--level", "strict"], dir.path());
    assert_eq!(doc["evidence"]["level"], "strict");
    assert!(ran(&doc, "AWS-S3-001"));
}
