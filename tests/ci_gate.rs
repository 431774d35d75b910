//! CI gate tests: the JUnit, GitLab, Markdown and GitHub reporters (snapshots and
//! escaping), SARIF runs per target kind and GitHub's size limits, baselines
//! (round trip through the CLI, line moves, renames), explicit file arguments
//! (pre-commit), `--changed-since` in a real git repository, the GitHub Action's
//! script with a fake runner environment, and the pre-commit hook definition.

use std::path::Path;
use std::sync::Arc;

use predicates::prelude::*;
use saphyr::LoadableYamlNode;
use serde_json::Value;
use soc2scan::baseline::{self, Baseline};
use soc2scan::controls::{Automatable, Criterion};
use soc2scan::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use soc2scan::finding::{fingerprint, CheckResult, Outcome, Severity, Suppression};
use soc2scan::model::Origin;
use soc2scan::report::sarif::{self, SarifOptions};
use soc2scan::report::{github, gitlab, junit, markdown, Report, RuleInfo, ScanStats};
use soc2scan::rules::{Family, RuleMeta};

mod common;
use common::{sarif_schema_errors, soc2scan, write};

// ---------------------------------------------------------------- a hand-built report

static ENCRYPTION: RuleMeta = RuleMeta {
    id: "TEST-ENC-001",
    slug: "storage-encrypted",
    title: "Storage is encrypted",
    severity: Severity::High,
    family: Family::EncryptionAtRest,
    doc: " ## What it does\n Checks that storage is encrypted.\n",
};

static PORTS: RuleMeta = RuleMeta {
    id: "TEST-NET-001",
    slug: "open-admin-ports",
    title: "Admin ports are not open to the internet",
    severity: Severity::Critical,
    family: Family::Network,
    doc: " ## What it does\n Checks ingress rules.\n",
};

static LOGS: RuleMeta = RuleMeta {
    id: "TEST-LOG-001",
    slug: "access-logging",
    title: "Access is logged",
    severity: Severity::Low,
    family: Family::Logging,
    doc: " ## What it does\n Checks access logging.\n",
};

static PODS: RuleMeta = RuleMeta {
    id: "TEST-K8S-001",
    slug: "no-privileged",
    title: "Containers are not privileged",
    severity: Severity::Medium,
    family: Family::Network,
    doc: " ## What it does\n Checks securityContext.privileged.\n",
};

fn info(meta: &'static RuleMeta, criteria: &[&str]) -> RuleInfo {
    RuleInfo {
        meta,
        effective_severity: meta.severity,
        criteria: criteria.iter().map(|c| c.to_string()).collect(),
        rationale: "test mapping".to_string(),
        level: Default::default(),
    }
}

fn at(path: &str, line: u32, end_line: u32) -> Origin {
    Origin::File {
        path: path.into(),
        line,
        col: 3,
        end_line,
    }
}

fn result(
    rule: &'static str,
    outcome: Outcome,
    resource: &str,
    rtype: &str,
    loc: Origin,
) -> CheckResult {
    CheckResult {
        rule_id: rule,
        outcome,
        resource: Arc::from(resource),
        resource_type: Arc::from(rtype),
        attribute: Arc::from("attr"),
        resource_location: loc.clone(),
        location: loc,
        fingerprint: fingerprint(rule, "", resource, "attr"),
        suppression: None,
        extra_criteria: Vec::new(),
    }
}

fn fail(m: &str) -> Outcome {
    Outcome::Fail {
        message: m.to_string(),
    }
}

fn report_of(rules: Vec<RuleInfo>, results: Vec<CheckResult>) -> Report {
    Report {
        tool_version: "0.0.0-test",
        inputs: vec![".".to_string()],
        rules,
        results,
        diagnostics: vec![
            Diagnostic::at(
                DiagKind::ParseError,
                DiagLevel::Error,
                "infra/broken.tf",
                Some(4),
                Some(2),
                "expected `}`",
            ),
            Diagnostic::global(
                DiagKind::RemoteModule,
                DiagLevel::Warning,
                "module \"vpc\" not scanned: remote source",
            ),
        ],
        criteria: vec![
            Criterion {
                id: "CC6.1".into(),
                group: String::new(),
                title: "Logical access security".into(),
                automatable: Automatable::Yes,
            },
            Criterion {
                id: "CC6.6".into(),
                group: String::new(),
                title: "Boundary protection".into(),
                automatable: Automatable::Yes,
            },
            Criterion {
                id: "CC7.2".into(),
                group: String::new(),
                title: "Monitoring | logging <audit>".into(),
                automatable: Automatable::Yes,
            },
            Criterion {
                id: "CC1.1".into(),
                group: String::new(),
                title: "Integrity and ethical values".into(),
                automatable: Automatable::No,
            },
        ],
        stats: ScanStats {
            files: 3,
            resources: 6,
        },
        evidence: Default::default(),
        baseline: None,
        coverage: Vec::new(),
        unmodelled: Default::default(),
    }
}

/// Terraform, Kubernetes and live AWS results with text that needs escaping everywhere.
fn sample() -> Report {
    let rules = vec![
        info(&ENCRYPTION, &["CC6.1"]),
        info(&LOGS, &["CC7.2"]),
        info(&PODS, &["CC6.1"]),
        info(&PORTS, &["CC6.6", "CC6.1"]),
    ];
    let mut suppressed = result(
        "TEST-ENC-001",
        fail("volume is not encrypted"),
        "aws_ebs_volume.scratch",
        "aws_ebs_volume",
        at("infra/main.tf", 30, 33),
    );
    suppressed.suppression = Some(Suppression {
        reason: "scratch data, wiped nightly".into(),
        until: None,
        accepted_by: None,
        location: "infra/main.tf:29".into(),
        kind: Default::default(),
    });
    let results = vec![
        result(
            "TEST-ENC-001",
            fail("storage_encrypted is false & <not> \"set\""),
            "aws_db_instance.orders",
            "aws_db_instance",
            at("infra/main.tf", 12, 12),
        ),
        result(
            "TEST-LOG-001",
            Outcome::Pass,
            "aws_db_instance.orders",
            "aws_db_instance",
            at("infra/main.tf", 10, 20),
        ),
        result(
            "TEST-NET-001",
            fail("ingress from 0.0.0.0/0 to port 22: 100% open,\nreally"),
            "module.net[\"a,b\"].aws_security_group.ssh",
            "aws_security_group",
            at("infra/modules/net/main.tf", 5, 11),
        ),
        suppressed,
        result(
            "TEST-LOG-001",
            Outcome::NotEvaluated {
                reason: "variable \"bucket\" has no value".into(),
            },
            "aws_s3_bucket.logs",
            "aws_s3_bucket",
            at("infra/main.tf", 40, 42),
        ),
        result(
            "TEST-K8S-001",
            fail("container \"app\" runs privileged"),
            "Deployment/shop/web",
            "Deployment",
            at("k8s/web.yaml", 21, 21),
        ),
        result(
            "TEST-ENC-001",
            fail("bucket is not encrypted"),
            "arn:aws:s3:::acme-exports",
            "aws_s3_bucket",
            Origin::Aws {
                arn: "arn:aws:s3:::acme-exports".into(),
                region: "eu-west-1".into(),
                account: "123456789012".into(),
            },
        ),
    ];
    report_of(rules, results)
}

// ---------------------------------------------------------------- formats

#[test]
fn junit_snapshot_and_shape() {
    let xml = junit::render(&sample());
    insta::assert_snapshot!("junit", xml);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"));
    // 7 rule × resource cases: 4 failures (db, live bucket, ssh, pod), 2 skipped
    // (suppressed, not evaluated), 1 pass.
    assert!(
        xml.contains(
            "<testsuites name=\"soc2scan\" tests=\"7\" failures=\"4\" errors=\"0\" skipped=\"2\""
        ),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 7);
    assert_eq!(xml.matches("<failure ").count(), 4);
    assert_eq!(xml.matches("<skipped ").count(), 2);
    assert!(xml.contains("storage_encrypted is false &amp; &lt;not&gt; &quot;set&quot;"));
    assert!(xml.contains("name=\"module.net[&quot;a,b&quot;].aws_security_group.ssh\""));
    assert!(!xml.contains("<not>"));
    // Tags balance (a cheap well-formedness check without an XML parser).
    for tag in ["testsuites", "testsuite", "properties"] {
        assert_eq!(
            xml.matches(&format!("<{tag} ")).count() + xml.matches(&format!("<{tag}>")).count(),
            xml.matches(&format!("</{tag}>")).count(),
            "{tag}"
        );
    }
}

#[test]
fn gitlab_snapshot_and_shape() {
    let text = gitlab::render(&sample());
    insta::assert_snapshot!("gitlab", text);
    let issues: Vec<Value> = serde_json::from_str(&text).unwrap();
    // Unsuppressed failures in files (3) and the not-evaluated check (info); the live
    // AWS finding has no file and the suppressed one is accepted.
    assert_eq!(issues.len(), 4);
    let sev: Vec<&str> = issues
        .iter()
        .map(|i| i["severity"].as_str().unwrap())
        .collect();
    assert_eq!(sev, ["critical", "blocker", "info", "major"]);
    for i in &issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(i["location"]["path"].is_string());
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let mut fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), 4, "fingerprints are unique");
}

#[test]
fn gitlab_fingerprints_stay_unique_for_one_address_in_two_files() {
    let mut r = sample();
    let mut twin = r.results[0].clone();
    twin.location = at("envs/dev/main.tf", 12, 12);
    twin.resource_location = twin.location.clone();
    r.results.push(twin);
    let issues: Vec<Value> = serde_json::from_str(&gitlab::render(&r)).unwrap();
    let mut fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), n);
}

#[test]
fn markdown_snapshot_and_shape() {
    let md = markdown::render(&sample());
    insta::assert_snapshot!("markdown", md);
    assert!(md.starts_with("## soc2scan: 4 findings\n"));
    assert!(md.contains("| critical | 1 |"));
    // Criteria: the manual one is left out, `|` and `<` in a title are escaped.
    assert!(md.contains("CC7.2 Monitoring \\| logging &lt;audit&gt;"));
    assert!(!md.contains("CC1.1"));
    // The most severe finding is the first row.
    let first_row = md
        .lines()
        .find(|l| l.starts_with("| critical | TEST-"))
        .unwrap();
    assert!(
        first_row.contains("`module.net[\"a,b\"].aws_security_group.ssh`"),
        "{first_row}"
    );
    assert!(
        !md.contains("port 22: 100% open,\nreally"),
        "line breaks never split a row"
    );
}

#[test]
fn markdown_lists_at_most_max_rows() {
    let mut r = sample();
    let template = r.results[0].clone();
    for i in 0..(markdown::MAX_ROWS + 7) {
        let mut x = template.clone();
        x.resource = Arc::from(format!("aws_db_instance.n{i}"));
        r.results.push(x);
    }
    let md = markdown::render(&r);
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("| TEST-"))
        .count();
    assert_eq!(rows, markdown::MAX_ROWS);
    assert!(md.contains("… and 11 more findings"), "{md}");
}

#[test]
fn github_snapshot_and_escaping() {
    let text = github::render(&sample());
    insta::assert_snapshot!("github", text);
    let lines: Vec<&str> = text.lines().collect();
    // Most severe first; one command per unsuppressed finding, then the summary.
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with(
        "::error file=infra/modules/net/main.tf,line=5,endLine=11,title=TEST-NET-001 "
    ));
    assert!(lines[0].ends_with("::module.net[\"a,b\"].aws_security_group.ssh: ingress from 0.0.0.0/0 to port 22: 100%25 open,%0Areally (SOC 2: CC6.6, CC6.1)"), "{}", lines[0]);
    assert!(lines[1].starts_with("::error file=infra/main.tf,line=12,endLine=12,"));
    // No file: an annotation without position.
    assert!(
        lines[2].starts_with("::error title=TEST-ENC-001 "),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("::warning file=k8s/web.yaml,line=21,"));
    assert!(lines[4].starts_with("soc2scan: 4 findings, 1 suppressed, 1 not evaluated, 1 passed"));
    // A property value with `:` and `,` is escaped.
    let mut r = sample();
    r.results.retain(|x| {
        x.rule_id == "TEST-ENC-001" && x.suppression.is_none() && x.location.file().is_some()
    });
    r.results[0].location = at("a,b:c.tf", 1, 1);
    assert!(github::render(&r).starts_with("::error file=a%2Cb%3Ac.tf,line=1,"));
}

// ---------------------------------------------------------------- SARIF

fn sarif_doc(r: &Report, opts: &SarifOptions) -> Value {
    serde_json::from_str(&sarif::render(r, opts)).unwrap()
}

#[test]
fn sarif_has_one_run_per_target_kind_with_categories() {
    let r = sample();
    let doc = sarif_doc(&r, &SarifOptions::default());
    assert!(sarif_schema_errors(&doc).is_empty());
    let runs = doc["runs"].as_array().unwrap();
    let ids: Vec<&str> = runs
        .iter()
        .map(|x| x["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "soc2scan/terraform/",
            "soc2scan/kubernetes/",
            "soc2scan/aws/"
        ]
    );
    let counts: Vec<usize> = runs
        .iter()
        .map(|x| x["results"].as_array().unwrap().len())
        .collect();
    assert_eq!(counts, [3, 1, 1], "terraform: 2 failing + 1 suppressed");
    // Global and Terraform diagnostics go with the Terraform run.
    let notes = runs[0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| n["descriptor"]["id"] == "parse-error"));
    assert!(notes
        .iter()
        .any(|n| n["descriptor"]["id"] == "remote-module"));
    assert!(runs[1]["invocations"][0]
        .get("toolExecutionNotifications")
        .is_none());
    assert_eq!(runs[1]["properties"]["failed"], 1);

    let custom = sarif_doc(
        &r,
        &SarifOptions {
            category: Some("infra/prod/".into()),
            ..SarifOptions::default()
        },
    );
    assert_eq!(
        custom["runs"][0]["automationDetails"]["id"],
        "infra/prod/terraform/"
    );

    // Nothing at all: still one (Terraform) run, valid.
    let mut empty = sample();
    empty.results.clear();
    empty.diagnostics.clear();
    let doc = sarif_doc(&empty, &SarifOptions::default());
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1);
    assert_eq!(
        doc["runs"][0]["automationDetails"]["id"],
        "soc2scan/terraform/"
    );
    assert!(sarif_schema_errors(&doc).is_empty());
}

#[test]
fn sarif_never_invents_line_one() {
    let mut r = sample();
    r.results.retain(|x| {
        x.rule_id == "TEST-ENC-001" && x.suppression.is_none() && x.location.file().is_some()
    });
    // No line on the attribute: the block's lines in the same file are used.
    r.results[0].location = at("infra/main.tf", 0, 0);
    r.results[0].resource_location = at("infra/main.tf", 10, 20);
    let doc = sarif_doc(&r, &SarifOptions::default());
    let region = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 10);
    assert_eq!(region["endLine"], 20);
    // No line anywhere: a file location without region.
    r.results[0].resource_location = at("infra/main.tf", 0, 0);
    let doc = sarif_doc(&r, &SarifOptions::default());
    let pl = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(pl["artifactLocation"]["uri"], "infra/main.tf");
    assert!(pl.get("region").is_none(), "{pl}");
    assert!(sarif_schema_errors(&doc).is_empty());
}

#[test]
fn sarif_caps_results_per_run_and_stays_valid() {
    let mut r = sample();
    r.results.clear();
    r.diagnostics.clear();
    let total = sarif::MAX_RESULTS_PER_RUN + 1_500;
    for i in 0..total {
        // The last 100 are critical: they must survive the cap.
        let (rule, sev_msg) = if i >= total - 100 {
            ("TEST-NET-001", "open")
        } else {
            ("TEST-LOG-001", "no logs")
        };
        r.results.push(result(
            rule,
            fail(sev_msg),
            &format!("aws_s3_bucket.b{i:05}"),
            "aws_s3_bucket",
            at(
                &format!("infra/f{:03}.tf", i / 1000),
                (i % 1000) as u32 + 1,
                (i % 1000) as u32 + 1,
            ),
        ));
    }
    let doc = sarif_doc(&r, &SarifOptions::default());
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), sarif::MAX_RESULTS_PER_RUN);
    assert_eq!(runs[0]["properties"]["truncatedResults"], 1_500);
    assert_eq!(
        results
            .iter()
            .filter(|x| x["ruleId"] == "TEST-NET-001")
            .count(),
        100,
        "the most severe are kept"
    );
    let notes = runs[0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let warn = notes
        .iter()
        .find(|n| n["descriptor"]["id"] == sarif::TRUNCATED_ID)
        .unwrap();
    assert_eq!(warn["level"], "warning");
    assert!(warn["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("1500 results left out"));
    assert!(doc["runs"].as_array().unwrap().len() <= sarif::MAX_RUNS_PER_FILE);
    assert!(sarif_schema_errors(&doc).is_empty());
}

#[test]
fn sarif_marks_baseline_state() {
    let mut r = sample();
    let known = Baseline::from_entries(vec![
        baseline::Entry::of(&r.results[0]),
        baseline::Entry {
            fingerprint: "0".repeat(32),
            rule_id: "TEST-ENC-001".into(),
            resource: "aws_db_instance.gone".into(),
            file: "infra/main.tf".into(),
        },
    ]);
    baseline::apply(&mut r, &known, ".soc2scan-baseline.json", |_| true);
    let doc = sarif_doc(&r, &SarifOptions::default());
    assert!(sarif_schema_errors(&doc).is_empty());
    let run = &doc["runs"][0];
    let states: Vec<(&str, &str)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap(),
                x["baselineState"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        states.contains(&("aws_db_instance.orders", "unchanged")),
        "{states:?}"
    );
    assert!(states.contains(&("module.net[\"a,b\"].aws_security_group.ssh", "new")));
    assert_eq!(run["properties"]["baseline"]["unchanged"], 1);
    assert_eq!(run["properties"]["baseline"]["absent"], 1);
    assert_eq!(
        run["properties"]["baseline"]["file"],
        ".soc2scan-baseline.json"
    );
}

// ---------------------------------------------------------------- CLI helpers

/// Rules the CLI tests use, so new rules elsewhere do not change their counts.
const SELECT: &str = "AWS-S3-001,AWS-RDS-001,AWS-EC2-003";

const MAIN_TF: &str = r#"
variable "ssh_cidr" {}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.ssh_cidr]
  }
}
"#;

const DB_TF: &str = r#"
resource "aws_db_instance" "orders" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  storage_encrypted = false
}
"#;

/// A repository: a root module (main.tf, db.tf, terraform.tfvars) and a sub-directory.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", MAIN_TF);
    write(dir.path(), "db.tf", DB_TF);
    // The variable only has a value in the module's tfvars: the SG finding needs context.
    write(dir.path(), "terraform.tfvars", "ssh_cidr = \"0.0.0.0/0\"\n");
    write(
        dir.path(),
        "other/main.tf",
        "resource \"aws_s3_bucket\" \"other\" {\n  bucket = \"x\"\n}\n",
    );
    dir
}

fn scan_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let out = soc2scan()
        .current_dir(dir)
        .args([
            "scan",
            "--no-config",
            "--select",
            SELECT,
            "--format",
            "json",
        ])
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code, doc)
}

fn resources(doc: &Value) -> Vec<String> {
    let mut v: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false)
        .map(|f| {
            format!(
                "{} {}",
                f["rule_id"].as_str().unwrap(),
                f["resource"].as_str().unwrap()
            )
        })
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- baseline

#[test]
fn baseline_round_trip() {
    let dir = repo();
    let d = dir.path();
    soc2scan()
        .current_dir(d)
        .args(["baseline", "--no-config", "--select", SELECT, "."])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "recorded 4 findings in .soc2scan-baseline.json",
        ));
    let first = std::fs::read_to_string(d.join(".soc2scan-baseline.json")).unwrap();
    let b = Baseline::parse(&first, Path::new("b")).unwrap();
    assert_eq!(b.findings.len(), 4);
    let files: Vec<&str> = b.findings.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        ["db.tf", "main.tf", "main.tf", "other/main.tf"],
        "sorted by file"
    );
    // Deterministic: the same input gives the same bytes.
    soc2scan()
        .current_dir(d)
        .args([
            "baseline",
            "--no-config",
            "--select",
            SELECT,
            "-o",
            ".again.json",
            ".",
        ])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(d.join(".again.json")).unwrap(),
        first
    );

    // Everything known: exit 0, and the text says what the baseline did.
    soc2scan()
        .current_dir(d)
        .args(["scan", "--no-config", "--select", SELECT, "--baseline", ".soc2scan-baseline.json", "."])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "baseline .soc2scan-baseline.json: 4 known findings not reported, 0 entries no longer found",
        ));

    // Lines move, a file is reformatted and another renamed: still all known.
    write(
        d,
        "main.tf",
        &format!("# moved\n\n\n{}", MAIN_TF.replace("  ", "    ")),
    );
    std::fs::rename(d.join("db.tf"), d.join("database.tf")).unwrap();
    let (code, doc) = scan_json(d, &["--baseline", ".soc2scan-baseline.json", "."]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["baseline"]["unchanged"], 4);
    assert_eq!(doc["summary"]["baseline"]["absent"], 0);

    // A new violation: only it is reported and fails; one fixed finding is counted gone.
    write(
        d,
        "database.tf",
        &format!(
            "{DB_TF}\nresource \"aws_db_instance\" \"reports\" {{\n  engine = \"postgres\"\n  instance_class = \"db.t3.micro\"\n}}\n"
        ),
    );
    write(d, "other/main.tf", "# the bucket is gone\n");
    let (code, doc) = scan_json(d, &["--baseline", ".soc2scan-baseline.json", "."]);
    assert_eq!(code, 1);
    assert_eq!(resources(&doc), ["AWS-RDS-001 aws_db_instance.reports"]);
    assert_eq!(doc["summary"]["failed"], 1);
    assert_eq!(doc["summary"]["baseline"]["unchanged"], 3);
    assert_eq!(doc["summary"]["baseline"]["absent"], 1);
    assert_eq!(
        doc["summary"]["baseline"]["file"],
        ".soc2scan-baseline.json"
    );
    // The threshold applies to new findings only (RDS-001 is high).
    let (code, _) = scan_json(
        d,
        &[
            "--baseline",
            ".soc2scan-baseline.json",
            "--fail-on",
            "critical",
            ".",
        ],
    );
    assert_eq!(code, 0);
    // SARIF keeps the known ones as unchanged.
    let out = soc2scan()
        .current_dir(d)
        .args([
            "scan",
            "--no-config",
            "--select",
            SELECT,
            "-f",
            "sarif",
            "--baseline",
            ".soc2scan-baseline.json",
            ".",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "new").count(), 1);
    assert_eq!(states.iter().filter(|s| **s == "unchanged").count(), 3);
}

#[test]
fn baseline_scan_of_one_directory_does_not_call_the_rest_gone() {
    let dir = repo();
    let d = dir.path();
    // Fingerprints are anchored to the git top level: a baseline of the whole
    // repository matches a scan of one directory of it. (Outside a git work tree the
    // anchor is the scanned path itself.)
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(d)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .status()
        .unwrap();
    assert!(init.success());
    soc2scan()
        .current_dir(d)
        .args(["baseline", "--no-config", "--select", SELECT, "."])
        .assert()
        .code(0);
    let (code, doc) = scan_json(d, &["--baseline", ".soc2scan-baseline.json", "other"]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["baseline"]["unchanged"], 1);
    assert_eq!(doc["summary"]["baseline"]["absent"], 0);
}

#[test]
fn bad_baseline_is_exit_2() {
    let dir = repo();
    write(
        dir.path(),
        "b.json",
        "{\"tool\": \"other\", \"version\": 1, \"findings\": []}",
    );
    soc2scan()
        .current_dir(dir.path())
        .args(["scan", "--no-config", "--baseline", "b.json", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid baseline b.json"));
    soc2scan()
        .current_dir(dir.path())
        .args(["scan", "--no-config", "--baseline", "missing.json", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read baseline missing.json",
        ));
}

// ---------------------------------------------------------------- explicit files

#[test]
fn explicit_files_are_scanned_in_their_module_and_reported_alone() {
    let dir = repo();
    let d = dir.path();
    // main.tf alone would not know var.ssh_cidr; its module (terraform.tfvars) does.
    let (code, doc) = scan_json(d, &["main.tf"]);
    assert_eq!(code, 1);
    assert_eq!(
        resources(&doc),
        [
            "AWS-EC2-003 aws_security_group.bastion",
            "AWS-S3-001 aws_s3_bucket.data"
        ]
    );
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["location"]["path"] == "main.tf"));
    // The same findings as the directory scan, restricted to the file.
    let (_, all) = scan_json(d, &["."]);
    let in_main: Vec<String> = resources(&all)
        .into_iter()
        .filter(|r| !r.contains("orders") && !r.contains("other"))
        .collect();
    assert_eq!(resources(&doc), in_main);
    // Two files of different modules, and a directory next to a file.
    let (_, doc) = scan_json(d, &["db.tf", "other/main.tf"]);
    assert_eq!(
        resources(&doc),
        [
            "AWS-RDS-001 aws_db_instance.orders",
            "AWS-S3-001 aws_s3_bucket.other"
        ]
    );
    let (_, doc) = scan_json(d, &["db.tf", "other"]);
    assert_eq!(resources(&doc).len(), 2);
    // A clean file of a module with findings: exit 0.
    write(d, "clean.tf", "locals {\n  x = 1\n}\n");
    let (code, doc) = scan_json(d, &["clean.tf"]);
    assert_eq!(code, 0, "{doc}");
}

#[test]
fn help_documents_explicit_files() {
    soc2scan()
        .args(["scan", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("in the context of its module"))
        .stdout(predicate::str::contains("--changed-since <REF>"))
        .stdout(predicate::str::contains("--baseline <FILE>"));
}

// ---------------------------------------------------------------- --changed-since

fn git(dir: &Path, args: &[&str]) {
    let st = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

#[test]
fn changed_since_reports_changed_files_and_their_modules() {
    let dir = repo();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    // Nothing changed: nothing reported.
    let (code, doc) = scan_json(d, &["--changed-since", "HEAD", "."]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(resources(&doc).len(), 0);
    // A committed change in other/ (on a branch): only that module.
    git(d, &["checkout", "-q", "-b", "feature"]);
    write(d, "other/extra.tf", "# a comment\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "change"]);
    let (code, doc) = scan_json(d, &["--changed-since", "main", "."]);
    assert_eq!(code, 1);
    assert_eq!(resources(&doc), ["AWS-S3-001 aws_s3_bucket.other"]);
    // An uncommitted change in the root module: the whole root module too.
    write(d, "db.tf", &format!("{DB_TF}\n# edited\n"));
    let (_, doc) = scan_json(d, &["--changed-since", "main", "."]);
    assert_eq!(resources(&doc).len(), 4);
    // An untracked file counts as changed.
    git(d, &["checkout", "-q", "--", "db.tf"]);
    let (_, doc) = scan_json(d, &["--changed-since", "HEAD", "."]);
    assert_eq!(resources(&doc).len(), 0);
    write(d, "new.tf", "# new\n");
    let (_, doc) = scan_json(d, &["--changed-since", "HEAD", "."]);
    assert_eq!(resources(&doc).len(), 3, "root module: bucket, SG, DB");
}

#[test]
fn changed_since_errors_are_exit_2() {
    let dir = repo();
    soc2scan()
        .current_dir(dir.path())
        .args(["scan", "--no-config", "--changed-since", "main", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not inside a git repository"));
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    soc2scan()
        .current_dir(dir.path())
        .args([
            "scan",
            "--no-config",
            "--changed-since",
            "no-such-branch",
            ".",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown git revision \"no-such-branch\"",
        ));
}

// ---------------------------------------------------------------- CLI formats

#[test]
fn cli_writes_every_ci_format() {
    let dir = repo();
    let d = dir.path();
    for (format, probe) in [
        ("junit", "<testsuites name=\"soc2scan\""),
        ("gitlab", "\"check_name\": \"AWS-RDS-001\""),
        ("markdown", "## soc2scan: 4 findings"),
        ("github", "::error file=db.tf,line="),
    ] {
        soc2scan()
            .current_dir(d)
            .args([
                "scan",
                "--no-config",
                "--select",
                SELECT,
                "--format",
                format,
                ".",
            ])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(probe));
    }
    let out = soc2scan()
        .current_dir(d)
        .args([
            "scan",
            "--no-config",
            "--select",
            SELECT,
            "-f",
            "sarif",
            "--category",
            "prod",
            ".",
        ])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["runs"][0]["automationDetails"]["id"], "prod/terraform/");
}

// ---------------------------------------------------------------- the GitHub Action

#[test]
fn action_script_with_a_fake_runner() {
    let dir = repo();
    let d = dir.path();
    let summary = d.join("summary.md");
    let outputs = d.join("outputs.txt");
    std::fs::write(&summary, "").unwrap();
    std::fs::write(&outputs, "").unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/action.sh");
    let run = |paths: &str, fail_on: &str| {
        std::process::Command::new("bash")
            .arg(script)
            .current_dir(d)
            .env("SOC2SCAN_BIN", assert_cmd::cargo::cargo_bin("soc2scan"))
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &outputs)
            .env("INPUT_PATHS", paths)
            .env("INPUT_FAIL_ON", fail_on)
            .env("INPUT_CONFIG", "")
            .env("INPUT_SARIF_FILE", "out/results.sarif")
            .output()
            .unwrap()
    };
    std::fs::create_dir_all(d.join("out")).unwrap();
    let out = run("main.tf\ndb.tf other", "low");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("::error file=main.tf,line="), "{stdout}");
    assert!(stdout.contains("::warning file=other/main.tf,"), "{stdout}");
    let o = std::fs::read_to_string(&outputs).unwrap();
    assert!(
        o.contains("exit-code=1\n") && o.contains("sarif-file=out/results.sarif\n"),
        "{o}"
    );
    let s = std::fs::read_to_string(&summary).unwrap();
    assert!(s.starts_with("## soc2scan: "), "{s}");
    assert!(s.contains("### By SOC 2 criterion"));
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out/results.sarif")).unwrap())
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "soc2scan/terraform/"
    );

    // A scan that cannot run is the script's failure, with an annotation.
    let out = run("missing-dir", "low");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("::error title=soc2scan::the scan could not run"));
    // A bad threshold too.
    let out = run(".", "severe");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn action_yml_runs_the_scripts() {
    let root = env!("CARGO_MANIFEST_DIR");
    let action = std::fs::read_to_string(format!("{root}/action.yml")).unwrap();
    let doc = saphyr::YamlOwned::load_from_str(&action).unwrap();
    let a = &doc[0];
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    for input in [
        "paths",
        "format",
        "fail-on",
        "baseline",
        "config",
        "changed-since",
        "category",
    ] {
        assert!(
            a["inputs"][input]["description"].as_str().is_some(),
            "input {input}"
        );
    }
    assert!(action.contains("scripts/action.sh") && action.contains("scripts/action-install.sh"));
    for script in ["scripts/action.sh", "scripts/action-install.sh"] {
        let st = std::process::Command::new("bash")
            .args(["-n", &format!("{root}/{script}")])
            .status()
            .unwrap();
        assert!(st.success(), "{script} parses");
    }
}

// ---------------------------------------------------------------- pre-commit

#[test]
fn pre_commit_hook_matches_terraform_and_kubernetes_files() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/.pre-commit-hooks.yaml")).unwrap();
    let doc = saphyr::YamlOwned::load_from_str(&text).unwrap();
    let hook = &doc[0][0];
    assert_eq!(hook["id"].as_str(), Some("soc2scan"));
    assert_eq!(hook["language"].as_str(), Some("rust"));
    assert!(hook["entry"].as_str().unwrap().starts_with("soc2scan scan"));
    let re = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for name in [
        "main.tf",
        "prod.tfvars",
        "x.tf.json",
        "x.tfvars.json",
        "k8s/app.yaml",
        "a.yml",
    ] {
        assert!(re.is_match(name), "{name}");
    }
    for name in ["main.go", "README.md", "tf", "x.tfstate"] {
        assert!(!re.is_match(name), "{name}");
    }
}
