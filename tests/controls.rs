//! The SOC 2 control report and coverage matrix: the evidence header (rule-set hash,
//! scan time from `SOURCE_DATE_EPOCH`, git commit and working-tree state), a snapshot
//! of a hand-built report and of a real scan, `soc2scan controls` in both formats, and
//! that every criterion the catalog calls machine-checkable has a rule.

use std::path::Path;
use std::process::Command as Process;
use std::sync::Arc;

use assert_cmd::Command;
use serde_json::Value;
use soc2scan::controls::{Automatable, Controls, Criterion};
use soc2scan::evidence::{Evidence, GitState, PolicyFile};
use soc2scan::finding::{
    fingerprint, CheckResult, Outcome, Severity, Suppression, SuppressionKind,
};
use soc2scan::model::Origin;
use soc2scan::report::{controls, Report, RuleInfo, ScanStats};

mod common;
use common::write;

fn soc2scan() -> Command {
    let mut c = common::soc2scan();
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A bucket without KMS encryption (AWS-S3-001 fails) and without versioning (AWS-S3-004).
const BUCKET: &str = r#"
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
"#;

/// 2026-01-01T00:00:00Z.
const EPOCH: &str = "1767225600";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

// ---------------------------------------------------------------- hand-built report

fn result(
    rule: &'static str,
    outcome: Outcome,
    resource: &str,
    path: &str,
    line: u32,
) -> CheckResult {
    let origin = Origin::File {
        path: path.into(),
        line,
        col: 1,
        end_line: line + 2,
    };
    CheckResult {
        rule_id: rule,
        outcome,
        resource: Arc::from(resource),
        resource_type: Arc::from("aws_s3_bucket"),
        attribute: Arc::from(""),
        location: origin.clone(),
        resource_location: origin,
        fingerprint: fingerprint(rule, "", resource, ""),
        suppression: None,
        extra_criteria: Vec::new(),
    }
}

fn hand_built() -> Report {
    let meta = |id: &str| soc2scan::rules::find(id).expect("rule exists").meta();
    let (s3, versioning) = (meta("AWS-S3-001"), meta("AWS-S3-004"));
    let rules = vec![
        RuleInfo {
            meta: s3,
            effective_severity: Severity::High,
            criteria: vec!["CC6.1".into(), "C1.1".into()],
            rationale: "KMS encryption protects stored customer data".into(),
            level: Default::default(),
        },
        RuleInfo {
            meta: versioning,
            effective_severity: versioning.severity,
            criteria: vec!["A1.2".into()],
            rationale: "versioning lets deleted objects be recovered".into(),
            level: Default::default(),
        },
    ];
    let fail = |m: &str| Outcome::Fail {
        message: m.to_string(),
    };
    let mut legacy = result(
        "AWS-S3-001",
        fail("bucket is not encrypted with a KMS key"),
        "aws_s3_bucket.old",
        "legacy/main.tf",
        1,
    );
    legacy.suppression = Some(Suppression {
        reason: "legacy stack, decommissioned in Q1".into(),
        until: Some("2027-03-31".into()),
        accepted_by: Some("CISO, risk register R-12".into()),
        location: ".soc2scan.toml:9".into(),
        kind: SuppressionKind::External,
    });
    let results = vec![
        result(
            "AWS-S3-001",
            fail("bucket is not encrypted with a KMS key"),
            "aws_s3_bucket.data",
            "app/main.tf",
            1,
        ),
        result(
            "AWS-S3-004",
            Outcome::Pass,
            "aws_s3_bucket.data",
            "app/main.tf",
            1,
        ),
        legacy,
    ];
    let criterion = |id: &str, title: &str, automatable| Criterion {
        id: id.into(),
        group: String::new(),
        title: title.into(),
        automatable,
    };
    Report {
        tool_version: "0.0.0-test",
        inputs: vec![".".into()],
        rules,
        results,
        diagnostics: vec![],
        criteria: vec![
            criterion(
                "CC1.1",
                "Commitment to integrity and ethical values",
                Automatable::No,
            ),
            criterion("CC6.1", "Logical access security", Automatable::Yes),
            criterion(
                "CC7.1",
                "Detecting configuration changes and vulnerabilities",
                Automatable::Yes,
            ),
            criterion(
                "A1.2",
                "Backups and recovery infrastructure",
                Automatable::Yes,
            ),
            criterion(
                "C1.1",
                "Identifying and protecting confidential information",
                Automatable::Yes,
            ),
        ],
        stats: ScanStats {
            files: 2,
            resources: 2,
        },
        evidence: Evidence {
            scan_time: Some("2026-01-01T00:00:00Z".into()),
            git: Some(GitState {
                commit: "0123456789abcdef0123456789abcdef01234567".into(),
                dirty: Some(true),
            }),
            ruleset_hash: Some(format!("sha256:{}", "ab".repeat(32))),
            policy: Some(PolicyFile {
                path: ".soc2scan.toml".into(),
                sha256: format!("sha256:{}", "cd".repeat(32)),
            }),
            level: Default::default(),
        },
        ..empty_scan()
    }
}

/// The report of a scan of an empty directory: supplies the fields of `Report` this
/// test does not exercise.
fn empty_scan() -> Report {
    soc2scan::scan::scan(&soc2scan::scan::ScanConfig {
        paths: vec![tempfile::tempdir().unwrap().path().to_path_buf()],
        ..Default::default()
    })
    .map(|r| Report {
        results: vec![],
        ..r
    })
    .unwrap()
}

#[test]
fn control_report_snapshot() {
    insta::assert_snapshot!("control_report", controls::render(&hand_built()));
}

#[test]
fn header_is_evidence() {
    let md = controls::render(&hand_built());
    let header: Vec<&str> = md
        .lines()
        .take_while(|l| !l.starts_with("- Scanned"))
        .collect();
    let expect = [
        "# SOC 2 control report",
        "",
        "- Tool: soc2scan 0.0.0-test",
        "- Level: baseline (deviations from SOC 2 controls; hardening rules of the strict level did not run)",
        &format!("- Rule set: `sha256:{}` (2 rules with their effective severities, SOC 2 mapping and catalog)", "ab".repeat(32)),
        &format!("- Policy file: `.soc2scan.toml` (`sha256:{}`)", "cd".repeat(32)),
        "- Scan time: 2026-01-01T00:00:00Z",
        "- Inputs: `.`",
        "- Git commit: `0123456789abcdef0123456789abcdef01234567` (working tree has uncommitted changes)",
    ];
    assert_eq!(header, expect);
    // The failing resource is listed under each failed criterion, the exception separately.
    assert_eq!(
        md.matches("- AWS-S3-001 `aws_s3_bucket.data` at `app/main.tf:1`: bucket is not encrypted with a KMS key").count(),
        2,
        "{md}"
    );
    assert!(
        md.contains("(suppressed by the policy file at `.soc2scan.toml:9`, until 2027-03-31, accepted by CISO, risk register R-12)"),
        "{md}"
    );
    assert!(md.contains("| CC7.1 | Detecting configuration changes and vulnerabilities | manual: no rule in this scan covers it |"), "{md}");
    assert!(
        md.contains(
            "| A1.2 | Backups and recovery infrastructure | passed | 0 | 0 | 1 | 0 | AWS-S3-004 |"
        ),
        "{md}"
    );
}

#[test]
fn absent_evidence_is_left_out_not_invented() {
    let mut r = hand_built();
    r.evidence = Evidence::default();
    let md = controls::render(&r);
    for word in ["Rule set", "Policy file", "Scan time", "Git commit"] {
        assert!(!md.contains(word), "{word} in:\n{md}");
    }
}

// ---------------------------------------------------------------- real scans

#[test]
fn scan_control_report_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    let out = soc2scan()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args([
            "scan",
            ".",
            "--format",
            "controls",
            "--select",
            "AWS-S3-001,AWS-S3-004",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = stdout(&out);
    assert!(md.contains("\n- Scan time: 2026-01-01T00:00:00Z\n"), "{md}");
    assert!(
        !md.contains("Git commit"),
        "a temp dir is no git work tree:\n{md}"
    );
    // The hash changes with every edit of the mapping; its presence is checked, its value is not snapshotted.
    let (before, rest) = md
        .split_once("- Rule set: `sha256:")
        .expect("rule-set line");
    let (hash, after) = rest.split_once('`').unwrap();
    assert_eq!(hash.len(), 64);
    insta::assert_snapshot!(
        "scan_control_report",
        format!("{before}- Rule set: `sha256:<hash>`{after}")
    );
}

#[test]
fn json_and_sarif_do_not_carry_the_scan_time() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    let run = |format: &str, epoch: &str| {
        stdout(
            &soc2scan()
                .current_dir(dir.path())
                .env("SOURCE_DATE_EPOCH", epoch)
                .args(["scan", ".", "--format", format])
                .output()
                .unwrap(),
        )
    };
    for format in ["json", "sarif"] {
        assert_eq!(run(format, "0"), run(format, EPOCH), "{format}");
    }
    let (a, b) = (run("controls", "0"), run("controls", EPOCH));
    assert!(a.contains("- Scan time: 1970-01-01T00:00:00Z"));
    let differing: Vec<_> = a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
    assert_eq!(
        differing.len(),
        1,
        "only the scan time differs: {differing:?}"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=soc2scan",
            "-c",
            "user.email=soc2scan@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn header_has_the_git_commit_of_the_scanned_repository() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    write(repo, "infra/main.tf", BUCKET);
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "infra"]);
    let head = git(repo, &["rev-parse", "HEAD"]).trim().to_string();
    assert_eq!(head.len(), 40);
    // A report written into the tree is not scanned content: the tree stays clean.
    write(repo, "soc2scan.sarif", "{}");

    let report = |format: &str| {
        stdout(
            &soc2scan()
                .args(["scan", "--format", format])
                .arg(repo.join("infra"))
                .output()
                .unwrap(),
        )
    };
    let md = report("controls");
    assert!(
        md.contains(&format!("\n- Git commit: `{head}` (working tree clean)\n")),
        "{md}"
    );
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert_eq!(json["evidence"]["git"]["commit"], head.as_str());
    assert_eq!(json["evidence"]["git"]["dirty"], false);

    write(repo, "infra/extra.tf", BUCKET);
    let md = report("controls");
    assert!(
        md.contains(&format!(
            "\n- Git commit: `{head}` (working tree has uncommitted changes)\n"
        )),
        "{md}"
    );
}

// ---------------------------------------------------------------- coverage matrix

#[test]
fn controls_subcommand_lists_every_criterion_with_its_rules() {
    let catalog = Controls::embedded().unwrap();
    let all = soc2scan::rules::all();
    let out = soc2scan()
        .args(["controls", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let criteria = doc["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), catalog.criteria.len());
    assert_eq!(doc["rules"], all.len());
    for (row, c) in criteria.iter().zip(&catalog.criteria) {
        assert_eq!(row["id"], c.id.as_str());
        let mut want: Vec<&str> = all
            .iter()
            .map(|r| r.meta().id)
            .filter(|id| catalog.criteria_of(id).contains(&c.id))
            .collect();
        want.sort();
        let got: Vec<&str> = row["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(got, want, "{}", c.id);
        let coverage = match (c.automatable, want.is_empty()) {
            (Automatable::No, _) | (_, true) => "manual",
            (Automatable::Yes, false) => "automated",
            (Automatable::Partly, false) => "partly automated",
        };
        assert_eq!(row["coverage"], coverage, "{}", c.id);
    }
    let s3 = criteria.iter().find(|c| c["id"] == "CC6.1").unwrap();
    assert!(s3["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "AWS-S3-001"));
    assert_eq!(
        criteria.iter().find(|c| c["id"] == "CC6.4").unwrap()["coverage"],
        "manual"
    );

    let md = stdout(&soc2scan().arg("controls").output().unwrap());
    for c in &catalog.criteria {
        assert_eq!(
            md.matches(&format!("\n| {} | ", c.id)).count(),
            1,
            "{}",
            c.id
        );
    }
    assert!(md.contains("| CC6.4 | Logical and physical access | Physical access to facilities and protected assets | no | manual: organisational | – |"), "{md}");
}

#[test]
fn the_matrix_and_a_full_scan_report_the_same_rule_set_hash() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", BUCKET);
    let matrix: Value = serde_json::from_str(&stdout(
        &soc2scan()
            .args(["controls", "-f", "json"])
            .output()
            .unwrap(),
    ))
    .unwrap();
    let scan: Value = serde_json::from_str(&stdout(
        &soc2scan()
            .args(["scan", "--format", "json", "--level", "strict"])
            .arg(dir.path())
            .output()
            .unwrap(),
    ))
    .unwrap();
    let hash = matrix["ruleset_hash"].as_str().unwrap();
    assert!(hash.starts_with("sha256:"));
    // The matrix covers every rule: a strict scan runs them all.
    assert_eq!(scan["evidence"]["ruleset_hash"], hash);
    // Running fewer rules is a different rule set.
    let fewer: Value = serde_json::from_str(&stdout(
        &soc2scan()
            .args(["scan", "--format", "json", "--select", "AWS-S3-001"])
            .arg(dir.path())
            .output()
            .unwrap(),
    ))
    .unwrap();
    assert_ne!(fewer["evidence"]["ruleset_hash"], hash);
}

/// Every criterion `rules/criteria.toml` (following SOC2.md) calls machine-checkable must
/// be checked by at least one rule, or the control report would call it manual.
#[test]
fn every_machine_checkable_criterion_has_a_rule() {
    let catalog = Controls::embedded().unwrap();
    let ids: Vec<&str> = soc2scan::rules::all().iter().map(|r| r.meta().id).collect();
    let uncovered: Vec<&str> = catalog
        .criteria
        .iter()
        .filter(|c| c.automatable == Automatable::Yes)
        .filter(|c| !ids.iter().any(|id| catalog.criteria_of(id).contains(&c.id)))
        .map(|c| c.id.as_str())
        .collect();
    assert!(
        uncovered.is_empty(),
        "machine-checkable criteria without a rule: {uncovered:?}"
    );
}

/// Two `DRIFT-001` findings of one report, an encryption field and a security group's
/// rules: each counts under CC8.1 and exactly the criteria it carries, in the control
/// report and in every reporter, and a JSON report read back keeps them.
#[test]
fn drift_findings_count_under_their_own_criteria() {
    let drift = soc2scan::rules::find("DRIFT-001").unwrap().meta();
    let fail = |resource: &str, extra: &[&str]| {
        let mut r = result(
            "DRIFT-001",
            Outcome::Fail {
                message: format!("{resource} drifted"),
            },
            resource,
            "infra/main.tf",
            if resource.contains("bucket") { 1 } else { 10 },
        );
        r.extra_criteria = extra.iter().map(|c| c.to_string()).collect();
        r
    };
    let criterion = |id: &str| Criterion {
        id: id.into(),
        group: String::new(),
        title: format!("title of {id}"),
        automatable: Automatable::Yes,
    };
    let report = Report {
        rules: vec![RuleInfo {
            meta: drift,
            effective_severity: Severity::High,
            criteria: vec!["CC8.1".into()],
            rationale: String::new(),
            level: Default::default(),
        }],
        results: vec![
            fail("aws_s3_bucket.data", &["CC6.1", "C1.1"]),
            fail("aws_security_group.web", &["CC6.6"]),
        ],
        criteria: ["CC6.1", "CC6.6", "CC8.1", "A1.2", "C1.1"]
            .into_iter()
            .map(criterion)
            .collect(),
        ..empty_scan()
    };
    let summary: Vec<(String, usize, Vec<&str>)> = report
        .criteria_summary()
        .into_iter()
        .map(|c| (c.id, c.failed, c.rules))
        .collect();
    assert_eq!(
        summary,
        [
            ("CC6.1".to_string(), 1, vec!["DRIFT-001"]),
            ("CC6.6".to_string(), 1, vec!["DRIFT-001"]),
            ("CC8.1".to_string(), 2, vec!["DRIFT-001"]),
            ("A1.2".to_string(), 0, vec![]),
            ("C1.1".to_string(), 1, vec!["DRIFT-001"]),
        ]
    );
    // The control report lists each finding under its own failed criteria only.
    let md = controls::render(&report);
    let section = |id: &str| {
        let start = md.find(&format!("### {id} ")).unwrap();
        let rest = &md[start + 4..];
        rest[..rest
            .find("\n### ")
            .or(rest.find("\n## "))
            .unwrap_or(rest.len())]
            .to_string()
    };
    assert!(section("CC6.6").contains("aws_security_group.web"), "{md}");
    assert!(!section("CC6.6").contains("aws_s3_bucket.data"), "{md}");
    assert!(section("C1.1").contains("aws_s3_bucket.data"), "{md}");
    assert!(!section("C1.1").contains("aws_security_group.web"), "{md}");
    assert!(section("CC8.1").contains("aws_s3_bucket.data"), "{md}");
    assert!(section("CC8.1").contains("aws_security_group.web"), "{md}");

    // JSON: each finding with its criteria; read back, the same.
    let json = soc2scan::report::json::render(&report);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let of = |doc: &Value, key: &str, res: &str| -> Value {
        doc[key]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["resource"] == res)
            .unwrap()["criteria"]
            .clone()
    };
    assert_eq!(
        of(&doc, "findings", "aws_s3_bucket.data"),
        serde_json::json!(["CC8.1", "CC6.1", "C1.1"])
    );
    assert_eq!(
        of(&doc, "findings", "aws_security_group.web"),
        serde_json::json!(["CC8.1", "CC6.6"])
    );
    assert_eq!(doc["rules"][0]["criteria"], serde_json::json!(["CC8.1"]));
    let back = soc2scan::report::json::parse(&json).unwrap();
    let extra: Vec<Vec<String>> = back
        .results
        .iter()
        .map(|r| r.extra_criteria.clone())
        .collect();
    assert_eq!(extra, [vec!["CC6.1", "C1.1"], vec!["CC6.6"]]);

    // SARIF: the result's criteria and tags.
    let sarif: Value = serde_json::from_str(&soc2scan::report::sarif::render(
        &report,
        &Default::default(),
    ))
    .unwrap();
    let props: Vec<(Value, Value)> = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["results"].as_array().unwrap())
        .map(|r| {
            (
                r["properties"]["criteria"].clone(),
                r["properties"]["tags"].clone(),
            )
        })
        .collect();
    assert_eq!(
        props,
        [
            (
                serde_json::json!(["CC8.1", "CC6.1", "C1.1"]),
                serde_json::json!(["soc2:CC8.1", "soc2:CC6.1", "soc2:C1.1"])
            ),
            (
                serde_json::json!(["CC8.1", "CC6.6"]),
                serde_json::json!(["soc2:CC8.1", "soc2:CC6.6"])
            ),
        ]
    );
    // Text, JUnit, GitLab: the finding's own criteria.
    let text = soc2scan::report::text::render(&report, &Default::default());
    assert!(text.contains("SOC 2: CC8.1, CC6.1, C1.1"), "{text}");
    assert!(text.contains("SOC 2: CC8.1, CC6.6"), "{text}");
    let junit = soc2scan::report::junit::render(&report);
    assert!(junit.contains("(SOC 2: CC8.1, CC6.6)"), "{junit}");
    assert!(junit.contains("(SOC 2: CC8.1, CC6.1, C1.1)"), "{junit}");
    let gitlab = soc2scan::report::gitlab::render(&report);
    assert!(gitlab.contains("(SOC 2: CC8.1, CC6.6)"), "{gitlab}");
}
