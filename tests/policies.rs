//! Custom Rego policies: the model's JSON Schema, the example policies and their
//! fixtures, findings of policies in every report and selection, unknown values
//! reported as not evaluated, and bad policies stopping the scan with file:line.

mod common;

use std::path::{Path, PathBuf};

use common::{soc2scan, write};
use serde_json::Value;
use soc2scan::engine::Selection;
use soc2scan::finding::Outcome;
use soc2scan::report::Report;
use soc2scan::scan::{scan, ScanConfig};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> PathBuf {
    root().join("examples/policies")
}

/// Every result of `rule` as `outcome resource file:line attribute`, sorted, with
/// paths relative to the repository root.
fn results_of(report: &Report, rule: &str) -> Vec<String> {
    let base = format!("{}/", root().display());
    let mut out: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.rule_id == rule)
        .map(|r| {
            let kind = match (&r.outcome, &r.suppression) {
                (Outcome::Fail { .. }, None) => "fail",
                (Outcome::Fail { .. }, Some(_)) => "suppressed",
                (Outcome::Pass, _) => "pass",
                (Outcome::NotEvaluated { .. }, _) => "not-evaluated",
            };
            let at = match r.location.file() {
                Some(f) => format!(
                    "{}:{}",
                    f.strip_prefix(&base).unwrap_or(f),
                    r.location.line().unwrap_or(0)
                ),
                None => "-".to_string(),
            };
            format!("{kind} {} {at} {}", r.resource, r.attribute)
        })
        .collect();
    out.sort();
    out
}

/// The records of rule `rule` in a JSON report as `status resource line`, in report
/// order: findings (`fail` or `suppressed`), then not evaluated, then passed.
fn json_records(doc: &Value, rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (key, status) in [
        ("findings", "fail"),
        ("not_evaluated", "not-evaluated"),
        ("passed", "pass"),
    ] {
        for r in doc[key].as_array().unwrap() {
            if r["rule_id"] != rule {
                continue;
            }
            let status = if key == "findings" && r["suppression"].is_object() {
                "suppressed"
            } else {
                status
            };
            out.push(format!(
                "{status} {} {}",
                r["resource"].as_str().unwrap(),
                r["location"]["line"]
            ));
        }
    }
    out
}

fn scan_with_examples(path: &str, select: &[&str]) -> Report {
    scan(&ScanConfig {
        paths: vec![root().join(path)],
        policies: vec![examples()],
        selection: Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: vec![],
        },
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn model_schema_is_current() {
    let generated = soc2scan::model_document::schema_json();
    let path = root().join("docs/model.schema.json");
    if std::env::var_os("SOC2SCAN_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/model.schema.json is stale: run `SOC2SCAN_BLESS=1 cargo test --test policies`"
    );
    let out = soc2scan().args(["model", "--schema"]).assert().success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), generated);
}

#[test]
fn model_documents_validate_against_the_schema_and_unknowns_are_marked() {
    let schema: Value = serde_json::from_str(&soc2scan::model_document::schema_json()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let out = soc2scan()
        .args(["model", "--no-config"])
        .arg(examples().join("required_tags"))
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The unknown tags of `tags = var.tags`: state unknown, the value is the reason.
    let store = doc["model"]["aws"]["data_stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["meta"]["address"] == "aws_s3_bucket.tags_from_var")
        .unwrap();
    assert_eq!(store["tags"]["value"]["state"], "unknown");
    assert!(store["tags"]["value"]["value"].is_string());
    // A document with a value in an unknown state that is not a reason is invalid.
    let mut bad = doc.clone();
    let stores = bad["model"]["aws"]["data_stores"].as_array_mut().unwrap();
    for s in stores {
        if s["meta"]["address"] == "aws_s3_bucket.tags_from_var" {
            s["tags"]["value"]["value"] = serde_json::json!({"known": {}, "unknown_values": {}});
        }
    }
    assert!(!validator.is_valid(&bad));
    let text = soc2scan::model_document::schema_json();
    assert!(
        text.contains("\"unknown\""),
        "the schema names the unknown state"
    );
}

#[test]
fn example_policies_pass_policy_test() {
    let out = soc2scan()
        .args(["policy", "test"])
        .arg(examples())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.ends_with("5 policies, 12 OPA tests, 0 failed\n"),
        "{text}"
    );
    for id in [
        "CUSTOM-K8S-LIMITS-001",
        "CUSTOM-K8S-REGISTRY-001",
        "CUSTOM-REGION-001",
        "CUSTOM-S3-REPL-001",
        "CUSTOM-TAGS-001",
    ] {
        assert!(text.contains(&format!("ok    {id} fixtures")), "{text}");
    }
}

#[test]
fn required_tags_exact_results() {
    let report = scan_with_examples("examples/policies/required_tags", &["CUSTOM-TAGS-001"]);
    assert_eq!(
        results_of(&report, "CUSTOM-TAGS-001"),
        [
            "fail aws_dynamodb_table.owner_only examples/policies/required_tags/fail.tf:13 tags",
            "fail aws_s3_bucket.untagged examples/policies/required_tags/fail.tf:1 tags",
            "not-evaluated aws_s3_bucket.tags_from_var examples/policies/required_tags/unknown.tf:7 tags",
            "pass aws_s3_bucket.tagged examples/policies/required_tags/pass.tf:1 ",
        ]
    );
    let messages: Vec<String> = report
        .findings()
        .filter_map(|r| match &r.outcome {
            Outcome::Fail { message } => Some(message.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        messages,
        [
            "aws_s3_bucket.untagged lacks the tag(s) data-classification, owner",
            "aws_dynamodb_table.owner_only lacks the tag(s) data-classification",
        ]
    );
    let unknown = report
        .not_evaluated()
        .find(|r| r.rule_id == "CUSTOM-TAGS-001")
        .unwrap();
    let Outcome::NotEvaluated { reason } = &unknown.outcome else {
        unreachable!()
    };
    assert!(reason.contains("tags"), "{reason}");
}

#[test]
fn production_replication_judges_only_production_buckets() {
    let report = scan_with_examples(
        "examples/policies/s3_production_replication",
        &["CUSTOM-S3-REPL-001"],
    );
    assert_eq!(
        results_of(&report, "CUSTOM-S3-REPL-001"),
        [
            "fail aws_s3_bucket.orders examples/policies/s3_production_replication/fail.tf:1 replication_configuration",
            "not-evaluated aws_s3_bucket.env_from_var examples/policies/s3_production_replication/unknown.tf:7 tags",
            "pass aws_s3_bucket.ledger examples/policies/s3_production_replication/pass.tf:1 ",
        ]
    );
}

#[test]
fn kubernetes_policies_exact_results() {
    let report = scan_with_examples(
        "examples/policies/k8s_approved_registry",
        &["CUSTOM-K8S-REGISTRY-001"],
    );
    assert_eq!(
        results_of(&report, "CUSTOM-K8S-REGISTRY-001"),
        [
            "fail Pod/web/debug examples/policies/k8s_approved_registry/fail.yaml:9 spec.containers[shell].image",
            "not-evaluated Deployment/web/batch - spec.template.spec.containers[worker].image",
            "pass Pod/web/api examples/policies/k8s_approved_registry/pass.yaml:1 ",
        ]
    );
    let report = scan_with_examples(
        "examples/policies/k8s_resource_limits",
        &["CUSTOM-K8S-LIMITS-001"],
    );
    assert_eq!(
        results_of(&report, "CUSTOM-K8S-LIMITS-001"),
        [
            "fail Deployment/web/api examples/policies/k8s_resource_limits/fail.yaml:14 spec.template.spec.containers[api]",
            "not-evaluated Deployment/web/batch - spec.template.spec.containers[worker].resources.limits.memory",
            "pass Deployment/web/worker examples/policies/k8s_resource_limits/pass.yaml:1 ",
        ]
    );
    let messages: Vec<&str> = report
        .findings()
        .filter_map(|r| match &r.outcome {
            Outcome::Fail { message } => Some(message.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(messages, ["container api sets no memory limit"]);
}

#[test]
fn policy_findings_in_every_format_with_criteria_and_selection() {
    let dir = examples().join("required_tags");
    // Selected by criterion: C1.1 is a criterion of CUSTOM-TAGS-001 (and of built-ins).
    let json = soc2scan()
        .args([
            "scan",
            "--no-config",
            "--format",
            "json",
            "--select",
            "C1.1",
            "--policies",
        ])
        .arg(examples())
        .arg(&dir)
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let rule = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CUSTOM-TAGS-001")
        .expect("the policy is a rule of the report");
    assert_eq!(rule["criteria"], serde_json::json!(["C1.1", "CC2.1"]));
    let findings: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule_id"] == "CUSTOM-TAGS-001")
        .collect();
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert!(findings
        .iter()
        .all(|f| f["fingerprint"].as_str().unwrap().len() == 32));

    let sarif = soc2scan()
        .args([
            "scan",
            "--no-config",
            "--format",
            "sarif",
            "--select",
            "CUSTOM-TAGS-001",
            "--policies",
        ])
        .arg(examples())
        .arg(&dir)
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&sarif.get_output().stdout).unwrap();
    assert!(common::sarif_schema_errors(&doc).is_empty());
    let text = doc.to_string();
    assert!(
        text.contains("CUSTOM-TAGS-001") && text.contains("fail.tf"),
        "{text}"
    );

    let junit = soc2scan()
        .args([
            "scan",
            "--no-config",
            "--format",
            "junit",
            "--select",
            "CUSTOM-TAGS-001",
            "--policies",
        ])
        .arg(examples())
        .arg(&dir)
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&junit.get_output().stdout).to_string();
    assert!(text.contains("CUSTOM-TAGS-001"), "{text}");

    let controls = soc2scan()
        .args([
            "scan",
            "--no-config",
            "--format",
            "controls",
            "--select",
            "CUSTOM-TAGS-001",
            "--policies",
        ])
        .arg(examples())
        .arg(&dir)
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&controls.get_output().stdout).to_string();
    assert!(text.contains("CUSTOM-TAGS-001"), "{text}");

    // --ignore by id takes the policy out.
    soc2scan()
        .args([
            "scan",
            "--no-config",
            "--select",
            "CUSTOM-TAGS-001",
            "--ignore",
            "CUSTOM-TAGS-001",
            "--policies",
        ])
        .arg(examples())
        .arg(&dir)
        .assert()
        .code(0);
}

#[test]
fn rules_and_explain_list_policies() {
    let out = soc2scan()
        .args(["rules", "--format", "json", "--policies"])
        .arg(examples())
        .assert()
        .success();
    let list: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let tags = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CUSTOM-TAGS-001")
        .unwrap();
    assert_eq!(tags["slug"], "required-tags");
    assert_eq!(tags["severity"], "medium");
    assert_eq!(tags["family"], "data-protection");
    assert_eq!(tags["level"], "baseline");
    let out = soc2scan()
        .args(["explain", "CUSTOM-S3-REPL-001", "--policies"])
        .arg(examples())
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.starts_with(
            "# CUSTOM-S3-REPL-001 s3-production-replication: Production S3 buckets are replicated"
        ),
        "{text}"
    );
    assert!(text.contains("## How to fix"), "{text}");
    soc2scan()
        .args(["explain", "CUSTOM-S3-REPL-001"])
        .assert()
        .code(2);
}

#[test]
fn suppressions_baselines_and_the_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("policies")).unwrap();
    std::fs::copy(
        examples().join("required_tags.rego"),
        d.join("policies/required_tags.rego"),
    )
    .unwrap();
    write(
        d,
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n\n# soc2scan:ignore CUSTOM-TAGS-001 reason=\"scratch bucket\"\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
    );
    write(
        d,
        ".soc2scan.toml",
        "policies = [\"policies\"]\nselect = [\"CUSTOM-TAGS-001\"]\n\n[severity]\n\"CUSTOM-TAGS-001\" = \"critical\"\n",
    );
    let out = soc2scan()
        .current_dir(d)
        .args(["scan", "--format", "json", "infra"])
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        json_records(&doc, "CUSTOM-TAGS-001"),
        ["fail aws_s3_bucket.a 1", "suppressed aws_s3_bucket.b 6"]
    );
    let rule = &doc["rules"].as_array().unwrap()[0];
    assert_eq!(rule["severity"], "critical");
    // A baseline of today's findings: the next scan fails on none of them.
    soc2scan()
        .current_dir(d)
        .args(["baseline", "infra", "-o", "baseline.json"])
        .assert()
        .success();
    soc2scan()
        .current_dir(d)
        .args(["scan", "--baseline", "baseline.json", "infra"])
        .assert()
        .code(0);
}

/// A policy directory in a temporary tree with one policy file.
fn policy_dir(text: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "policies/p.rego", text);
    write(
        tmp.path(),
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n  tags = { n = \"x\" }\n}\n",
    );
    tmp
}

const META: &str = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: CUSTOM-T-001\n#   severity: high\n#   family: backup\n#   criteria: [A1.2]\n#   remediation: R\npackage custom.t\n\nimport rego.v1\n\n";

/// Runs `scan --policies policies -o out.json infra` in the tree; (exit code,
/// stderr, whether out.json exists).
/// `scan --policies policies -f json --select SELECT infra` in `tmp`, expecting exit
/// `code`; the JSON report.
fn scan_json(tmp: &tempfile::TempDir, select: &str, code: i32) -> Value {
    scan_json_with(tmp, select, code, &[])
}

/// [`scan_json`] with `extra` options.
fn scan_json_with(tmp: &tempfile::TempDir, select: &str, code: i32, extra: &[&str]) -> Value {
    let out = soc2scan()
        .current_dir(tmp.path())
        .args([
            "scan",
            "--no-config",
            "--policies",
            "policies",
            "-f",
            "json",
            "--select",
            select,
        ])
        .args(extra)
        .arg("infra")
        .assert()
        .code(code);
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn run_bad(tmp: &tempfile::TempDir, extra: &[&str]) -> (i32, String, bool) {
    let out = soc2scan()
        .current_dir(tmp.path())
        .args([
            "scan",
            "--no-config",
            "--policies",
            "policies",
            "-f",
            "json",
            "-o",
            "out.json",
        ])
        .args(extra)
        .arg("infra")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
        tmp.path().join("out.json").exists(),
    )
}

#[test]
fn bad_policies_stop_the_scan_with_file_and_line() {
    let cases: [(String, &str); 6] = [
        (
            format!("{META}violation contains x if {{\n  x := \n}}\n"),
            "policies/p.rego:15: Rego does not parse: expecting `}` while parsing set",
        ),
        (
            format!("{META}violation contains x if {{\n  some b in input.model.aws.s3_buckets\n  x := no_such_function(b)\n}}\n"),
            "policies/p.rego:16: calls no_such_function, which is no function of the policy",
        ),
        (
            format!("{}violation contains 1 if {{ false }}\n", META.replace("#   remediation: R\n", "")),
            "policies/p.rego:1: METADATA lacks `custom.remediation`",
        ),
        (
            format!("{}violation contains 1 if {{ false }}\n", META.replace("A1.2", "A9.9")),
            "policies/p.rego:1: unknown SOC 2 criterion \"A9.9\"",
        ),
        (
            format!("{}violation contains 1 if {{ false }}\n", META.replace("CUSTOM-T-001", "AWS-S3-001")),
            "policies/p.rego:1: custom.id \"AWS-S3-001\" must start with CUSTOM-",
        ),
        (
            format!("{META}violation contains b if {{\n  some b in input.model.aws.s3_buckets\n  b.versioning.value.value == false\n}}\n"),
            "policies/p.rego:16: reads `.value.value` directly",
        ),
    ];
    for (text, expected) in cases {
        let tmp = policy_dir(&text);
        let (code, stderr, written) = run_bad(&tmp, &[]);
        assert_eq!(code, 2, "{text}\n{stderr}");
        assert!(
            stderr.contains(expected),
            "expected {expected:?} in:\n{stderr}"
        );
        assert!(!written, "no output file on error");
    }
}

#[test]
fn a_policy_past_its_time_limit_stops_the_scan() {
    let text = format!(
        "{META}violation contains {{\"resource\": \"x\", \"message\": \"m\"}} if {{\n  some i in numbers.range(1, 100000)\n  some j in numbers.range(1, 100000)\n  i * j < 0\n}}\n"
    );
    let tmp = policy_dir(&text);
    let started = std::time::Instant::now();
    let (code, stderr, written) = run_bad(&tmp, &["--policy-timeout", "1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("policies/p.rego:")
            && stderr.contains("did not finish within the time limit of 1s"),
        "{stderr}"
    );
    assert!(!written);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn a_policy_past_its_memory_limit_stops_the_scan() {
    // Independent of the input: found when the policy is loaded (run over an empty model).
    let text = format!(
        "{META}violation contains {{\"resource\": \"x\", \"message\": \"m\"}} if {{\n  count(numbers.range(1, 100000000)) > 0\n}}\n"
    );
    let tmp = policy_dir(&text);
    let (code, stderr, written) = run_bad(&tmp, &["--policy-memory", "64"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("policies/p.rego:")
            && stderr.contains(
                "evaluation over an empty model needed more than the memory limit of 64 MiB"
            ),
        "{stderr}"
    );
    assert!(!written);

    // Over the resources: found when the scan evaluates it, the same way.
    let text = format!(
        "{META}violation contains {{\"resource\": b.meta, \"message\": \"m\"}} if {{\n  some b in input.model.aws.s3_buckets\n  x := [numbers.range(i, i + 1000) | some i in numbers.range(1, 4000)]\n  count(x) > 0\n}}\n"
    );
    let tmp = policy_dir(&text);
    let (code, stderr, written) = run_bad(&tmp, &["--policy-memory", "64"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("policies/p.rego:")
            && stderr.contains(
                "evaluation needed more than the memory limit of 64 MiB beyond the model"
            ),
        "{stderr}"
    );
    assert!(!written);

    // The same policy within a larger limit runs to its findings.
    let doc = scan_json_with(&tmp, "CUSTOM-T-001", 1, &["--policy-memory", "1024"]);
    assert_eq!(
        json_records(&doc, "CUSTOM-T-001"),
        ["fail aws_s3_bucket.a 1", "fail aws_s3_bucket.b 5"]
    );
}

#[test]
fn a_run_time_error_is_a_diagnostic_and_the_scan_goes_on() {
    // to_number fails on a bucket name that is not a number: the policy cannot judge.
    let text = format!(
        "{META}violation contains {{\"resource\": b.meta, \"attribute\": b.name, \"message\": \"m\"}} if {{\n  some b in input.model.aws.s3_buckets\n  to_number(soc2scan.known(b.name)) > 1\n}}\n"
    );
    let tmp = policy_dir(&text);
    let doc = scan_json(&tmp, "CUSTOM-T-001,AWS-S3-004", 1);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["kind"] == "policy"
            && d["file"] == "policies/p.rego"
            && d["message"]
                .as_str()
                .unwrap()
                .starts_with("policy CUSTOM-T-001 failed:")),
        "{diags:?}"
    );
    assert_eq!(
        json_records(&doc, "CUSTOM-T-001"),
        [
            "not-evaluated aws_s3_bucket.a 1",
            "not-evaluated aws_s3_bucket.b 5"
        ]
    );
    // The built-in rule ran: the scan went on.
    assert_eq!(
        json_records(&doc, "AWS-S3-004"),
        ["fail aws_s3_bucket.a 1", "fail aws_s3_bucket.b 5"]
    );
}

#[test]
fn a_run_time_error_on_one_resource_leaves_only_that_resource_not_evaluated() {
    // to_number fails on the bucket named "x" only: the policy is run again on each
    // bucket alone; "10" fails, "1" passes, "x" is not evaluated with a diagnostic
    // naming the policy's line and the bucket.
    let text = format!(
        "{META}violation contains {{\"resource\": b.meta, \"attribute\": b.name, \"message\": \"over one\"}} if {{\n  some b in input.model.aws.s3_buckets\n  to_number(soc2scan.known(b.name)) > 1\n}}\n"
    );
    let tmp = policy_dir(&text);
    write(
        tmp.path(),
        "infra/main.tf",
        "resource \"aws_s3_bucket\" \"ten\" {\n  bucket = \"10\"\n}\n\nresource \"aws_s3_bucket\" \"one\" {\n  bucket = \"1\"\n}\n\nresource \"aws_s3_bucket\" \"x\" {\n  bucket = \"x\"\n}\n",
    );
    let doc = scan_json(&tmp, "CUSTOM-T-001", 1);
    assert_eq!(
        json_records(&doc, "CUSTOM-T-001"),
        [
            "fail aws_s3_bucket.ten 2",
            "not-evaluated aws_s3_bucket.x 9",
            "pass aws_s3_bucket.one 5",
        ]
    );
    let not_evaluated: Vec<&str> = doc["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(not_evaluated.len(), 1);
    assert!(
        not_evaluated[0].starts_with("the policy failed on this resource: "),
        "{not_evaluated:?}"
    );
    let diags: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "policy")
        .map(|d| {
            let m = d["message"].as_str().unwrap();
            format!(
                "{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                &m[..m.find(": ").unwrap_or(m.len())]
            )
        })
        .collect();
    assert_eq!(
        diags,
        ["policies/p.rego:16 policy CUSTOM-T-001 failed on aws_s3_bucket.x"]
    );
}

#[test]
fn the_ruleset_hash_covers_the_policy_text() {
    let text = format!(
        "{META}violation contains {{\"resource\": b.meta, \"message\": \"m\"}} if {{\n  some b in input.model.aws.s3_buckets\n  not soc2scan.known(b.tags).known.n\n}}\n"
    );
    let tmp = policy_dir(&text);
    let hash = |tmp: &tempfile::TempDir| {
        scan_json(tmp, "CUSTOM-T-001", 1)["evidence"]["ruleset_hash"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = hash(&tmp);
    assert!(first.starts_with("sha256:"), "{first}");
    // The same policies: the same hash.
    assert_eq!(hash(&tmp), first);
    // The same rules without the policy: another hash.
    let builtin = soc2scan()
        .current_dir(tmp.path())
        .args([
            "scan",
            "--no-config",
            "-f",
            "json",
            "--select",
            "AWS-S3-004",
            "infra",
        ])
        .output()
        .unwrap();
    let builtin: Value = serde_json::from_slice(&builtin.stdout).unwrap();
    assert_ne!(builtin["evidence"]["ruleset_hash"], first.as_str());
    // A comment added to the policy: its text changed, so did the hash.
    write(tmp.path(), "policies/p.rego", &format!("{text}# edited\n"));
    let edited = hash(&tmp);
    assert_ne!(edited, first);
    // Back to the first text: the first hash.
    write(tmp.path(), "policies/p.rego", &text);
    assert_eq!(hash(&tmp), first);
}

#[test]
fn unknown_is_never_a_pass_even_with_negation() {
    // `not soc2scan.known(v)` is true for an unknown value: the violation it gives
    // is not reported, the bucket is not evaluated.
    let text = format!(
        "{META}violation contains {{\"resource\": b.meta, \"attribute\": b.tags, \"message\": \"untagged\"}} if {{\n  some b in input.model.aws.s3_buckets\n  not soc2scan.known(b.tags).known.n\n}}\n"
    );
    let tmp = policy_dir(&text);
    write(
        tmp.path(),
        "infra/unknown.tf",
        "variable \"t\" {\n  type = map(string)\n}\n\nresource \"aws_s3_bucket\" \"c\" {\n  bucket = \"c\"\n  tags   = var.t\n}\n",
    );
    let doc = scan_json(&tmp, "CUSTOM-T-001", 1);
    assert_eq!(
        json_records(&doc, "CUSTOM-T-001"),
        [
            "fail aws_s3_bucket.a 1",
            "not-evaluated aws_s3_bucket.c 7",
            "pass aws_s3_bucket.b 5",
        ]
    );
}

#[test]
fn policy_new_writes_a_policy_that_passes_its_own_test() {
    let tmp = tempfile::tempdir().unwrap();
    soc2scan()
        .current_dir(tmp.path())
        .args(["policy", "new", "bucket_versioning", "--dir", "policies"])
        .assert()
        .success();
    for f in [
        "policies/bucket_versioning.rego",
        "policies/bucket_versioning_test.rego",
        "policies/bucket_versioning/fail.tf",
        "policies/bucket_versioning/pass.tf",
        "policies/bucket_versioning/unknown.tf",
    ] {
        assert!(tmp.path().join(f).is_file(), "{f}");
    }
    let out = soc2scan()
        .current_dir(tmp.path())
        .args(["policy", "test", "policies"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.ends_with("1 policies, 2 OPA tests, 0 failed\n"),
        "{text}"
    );
    // Writing it again refuses to overwrite.
    soc2scan()
        .current_dir(tmp.path())
        .args(["policy", "new", "bucket_versioning", "--dir", "policies"])
        .assert()
        .code(2);
    // A marker that does not match: exit 1, and the mismatch is named.
    let fail = tmp.path().join("policies/bucket_versioning/fail.tf");
    let text = std::fs::read_to_string(&fail).unwrap();
    std::fs::write(&fail, text.replace("# expect: ", "# ")).unwrap();
    let out = soc2scan()
        .current_dir(tmp.path())
        .args(["policy", "test", "policies"])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("FAIL  CUSTOM-BUCKET-VERSIONING-001 fixtures"),
        "{text}"
    );
    // A failing OPA test: exit 1.
    write(
        tmp.path(),
        "policies/extra_test.rego",
        "package extra_test\n\nimport rego.v1\n\ntest_fails if {\n  1 == 2\n}\n",
    );
    let out = soc2scan()
        .current_dir(tmp.path())
        .args(["policy", "test", "policies"])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("FAIL  policies/extra_test.rego test_fails"),
        "{text}"
    );
}

#[test]
fn reports_with_policy_findings_are_read_back_by_merge_and_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("a.json");
    soc2scan()
        .args([
            "scan",
            "--no-config",
            "-f",
            "json",
            "--select",
            "CUSTOM-TAGS-001",
            "--policies",
        ])
        .arg(examples())
        .arg(examples().join("required_tags"))
        .arg("-o")
        .arg(&report)
        .assert()
        .code(1);
    // Read back by a process that has not loaded the policy.
    let out = soc2scan()
        .args(["merge", "-f", "json"])
        .arg(&report)
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rule = &doc["rules"][0];
    assert_eq!(rule["id"], "CUSTOM-TAGS-001");
    assert_eq!(
        rule["title"],
        "Data stores carry an owner and a data classification tag"
    );
    assert_eq!(rule["family"], "data-protection");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 2);
    let store = tmp.path().join("store");
    soc2scan()
        .args(["evidence", "record"])
        .arg(&report)
        .arg("--store")
        .arg(&store)
        .args(["--target", "infra"])
        .assert()
        .success();
    soc2scan()
        .args(["evidence", "verify", "--store"])
        .arg(&store)
        .assert()
        .success();
}

#[test]
fn a_collection_not_read_makes_the_policy_not_evaluated_in_that_scope() {
    // A recorded account where listing the data stores of a region was denied: the
    // approved-regions policy cannot pass there.
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "account.json",
        r#"{
  "format": "soc2scan-model",
  "version": 1,
  "model": {
    "coverage": {
      "entries": [
        {"scope": "aws:111111111111/us-west-2", "collection": "aws.data_stores", "status": "denied", "call": "tag:GetResources", "reason": "AccessDenied"}
      ]
    }
  }
}
"#,
    );
    let out = soc2scan()
        .current_dir(tmp.path())
        .args([
            "scan",
            "--no-config",
            "-f",
            "json",
            "--select",
            "CUSTOM-REGION-001",
            "--policies",
        ])
        .arg(examples())
        .arg("account.json")
        .assert()
        .code(0);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let records: Vec<(String, String)> = doc["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["resource"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        records,
        [(
            "aws:111111111111/us-west-2".to_string(),
            "aws.data_stores denied: tag:GetResources (AccessDenied)".to_string()
        )]
    );
}
