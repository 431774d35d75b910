//! Reporter tests: a realistic hand-built `Report` (fail, suppressed, not evaluated,
//! pass, a live-AWS finding, diagnostics) rendered as SARIF, JSON, text and the SOC 2
//! control report: snapshots, SARIF schema validation, the GitHub code-scanning
//! contract, redaction of secrets and byte-for-byte determinism.

use std::sync::Arc;

use serde_json::Value;
use soc2scan::controls::{Automatable, Controls, Criterion};
use soc2scan::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use soc2scan::finding::{
    fingerprint, CheckResult, Outcome, Severity, Suppression, SuppressionKind,
};
use soc2scan::model::Origin;
use soc2scan::report::sarif::{NotEvaluatedAs, SarifOptions};
use soc2scan::report::text::TextOptions;
use soc2scan::report::{controls, json, sarif, text, Report, RuleInfo, ScanStats};
use soc2scan::rules::{Family, RuleMeta};

mod common;
use common::sarif_schema_errors;

const MAIN_TF: &str = "tests/data/report/main.tf";
const SECRET: &str = "hunter2";

static RDS_ENCRYPTION: RuleMeta = RuleMeta {
    id: "TEST-RDS-001",
    slug: "rds-storage-encrypted",
    title: "RDS instance storage is encrypted",
    severity: Severity::High,
    family: Family::EncryptionAtRest,
    doc: " ## What it does\n Checks that RDS instances set `storage_encrypted = true`.\n\n ## How to fix\n ```hcl\n storage_encrypted = true\n ```\n",
};

static RDS_DELETION: RuleMeta = RuleMeta {
    id: "TEST-RDS-002",
    slug: "rds-deletion-protection",
    title: "RDS instance has deletion protection",
    severity: Severity::Low,
    family: Family::Backup,
    doc: " ## What it does\n Checks that RDS instances set `deletion_protection = true`.\n",
};

static RDS_BACKUPS: RuleMeta = RuleMeta {
    id: "TEST-RDS-003",
    slug: "rds-backup-retention",
    title: "RDS backups are kept for at least 7 days",
    severity: Severity::Medium,
    family: Family::Backup,
    doc: " ## What it does\n Checks `backup_retention_period >= 7`.\n",
};

static TRAIL_VALIDATION: RuleMeta = RuleMeta {
    id: "TEST-LOG-001",
    slug: "cloudtrail-log-validation",
    title: "CloudTrail validates log files",
    severity: Severity::Medium,
    family: Family::Logging,
    doc: " ## What it does\n Checks `enable_log_file_validation = true`.\n",
};

fn rule_info(meta: &'static RuleMeta, sev: Severity, criteria: &[&str], why: &str) -> RuleInfo {
    RuleInfo {
        meta,
        effective_severity: sev,
        criteria: criteria.iter().map(|c| c.to_string()).collect(),
        rationale: why.to_string(),
        level: Default::default(),
    }
}

fn file(path: &str, line: u32, col: u32, end_line: u32) -> Origin {
    Origin::File {
        path: path.into(),
        line,
        col,
        end_line,
    }
}

fn result(
    rule: &'static str,
    outcome: Outcome,
    resource: &str,
    rtype: &str,
    attribute: &str,
    location: Origin,
    resource_location: Origin,
) -> CheckResult {
    CheckResult {
        rule_id: rule,
        outcome,
        resource: Arc::from(resource),
        resource_type: Arc::from(rtype),
        attribute: Arc::from(attribute),
        location,
        resource_location,
        fingerprint: fingerprint(rule, "", resource, attribute),
        suppression: None,
        extra_criteria: Vec::new(),
    }
}

fn fail(msg: &str) -> Outcome {
    Outcome::Fail {
        message: msg.to_string(),
    }
}

fn not_evaluated(reason: &str) -> Outcome {
    Outcome::NotEvaluated {
        reason: reason.to_string(),
    }
}

fn criterion(id: &str, title: &str, automatable: Automatable) -> Criterion {
    Criterion {
        id: id.to_string(),
        group: String::new(),
        title: title.to_string(),
        automatable,
    }
}

/// The report every test renders.
fn sample_report() -> Report {
    let s3 = soc2scan::rules::find("AWS-S3-001")
        .expect("AWS-S3-001 exists")
        .meta();
    let mut rules = vec![
        rule_info(
            s3,
            s3.severity,
            &["CC6.1", "C1.1"],
            "KMS encryption puts a key policy and an audit trail in front of stored customer data",
        ),
        rule_info(
            &RDS_ENCRYPTION,
            Severity::High,
            &["CC6.1", "C1.1"],
            "unencrypted database storage exposes customer data",
        ),
        // Configured above its declared severity (Low → Medium).
        rule_info(
            &RDS_DELETION,
            Severity::Medium,
            &["CC8.1"],
            "deleting a production database must be a deliberate change",
        ),
        rule_info(
            &RDS_BACKUPS,
            Severity::Medium,
            &["A1.2"],
            "backups are the recovery infrastructure",
        ),
        rule_info(
            &TRAIL_VALIDATION,
            Severity::Medium,
            &["CC7.2"],
            "log file validation proves audit logs were not altered",
        ),
    ];
    rules.sort_by_key(|r| r.meta.id);

    let sse = "rule.apply_server_side_encryption_by_default.sse_algorithm";
    let sse_s3 = "bucket is encrypted with AES256 (S3-managed keys), not with a KMS key";
    let live_arn = "arn:aws:s3:::acme-exports";
    let live = Origin::Aws {
        arn: live_arn.into(),
        region: "eu-west-1".into(),
        account: "123456789012".into(),
    };
    let mut legacy = result(
        "AWS-S3-001",
        fail(sse_s3),
        "aws_s3_bucket.legacy",
        "aws_s3_bucket",
        sse,
        file(MAIN_TF, 16, 1, 19),
        file(MAIN_TF, 16, 1, 19),
    );
    legacy.suppression = Some(Suppression {
        reason: "public marketing assets, no customer data".to_string(),
        until: Some("2026-06-30".to_string()),
        accepted_by: None,
        location: format!("{MAIN_TF}:17"),
        kind: SuppressionKind::InSource,
    });
    let db_block = file(MAIN_TF, 21, 1, 34);
    let mut results = vec![
        result(
            "AWS-S3-001",
            fail(sse_s3),
            "aws_s3_bucket.data",
            "aws_s3_bucket",
            sse,
            file(MAIN_TF, 11, 7, 11),
            file(MAIN_TF, 3, 1, 5),
        ),
        legacy,
        result(
            "TEST-RDS-001",
            fail("storage_encrypted is false"),
            "aws_db_instance.app",
            "aws_db_instance",
            "storage_encrypted",
            file(MAIN_TF, 28, 3, 28),
            db_block.clone(),
        ),
        // A missing attribute points at the whole block (which holds the password).
        result(
            "TEST-RDS-002",
            fail("deletion_protection is not set (default false)"),
            "aws_db_instance.app",
            "aws_db_instance",
            "deletion_protection",
            db_block.clone(),
            db_block.clone(),
        ),
        result(
            "TEST-RDS-003",
            not_evaluated("variable \"backup_days\" has no value"),
            "aws_db_instance.app",
            "aws_db_instance",
            "backup_retention_period",
            file(MAIN_TF, 29, 3, 29),
            db_block,
        ),
        result(
            "AWS-S3-001",
            not_evaluated("variable \"sse_algorithm\" has no value"),
            "aws_s3_bucket.tenant",
            "aws_s3_bucket",
            sse,
            file(MAIN_TF, 44, 7, 44),
            file(MAIN_TF, 36, 1, 38),
        ),
        // A file that is not on disk: no snippet, no error.
        result(
            "AWS-S3-001",
            not_evaluated("variable \"sse_algorithm\" has no value"),
            "module.tenants.aws_s3_bucket.this[\"b\"]",
            "aws_s3_bucket",
            sse,
            file("tests/data/report/modules/tenant/main.tf", 9, 7, 9),
            file("tests/data/report/modules/tenant/main.tf", 1, 1, 3),
        ),
        result(
            "TEST-LOG-001",
            Outcome::Pass,
            "aws_cloudtrail.main",
            "aws_cloudtrail",
            "enable_log_file_validation",
            file(MAIN_TF, 53, 3, 53),
            file(MAIN_TF, 50, 1, 54),
        ),
        result(
            "AWS-S3-001",
            Outcome::Pass,
            "aws_s3_bucket.logs",
            "aws_s3_bucket",
            sse,
            file("tests/data/report/logging.tf", 9, 7, 9),
            file("tests/data/report/logging.tf", 1, 1, 3),
        ),
        // A live AWS resource: no file, the ARN is the location.
        result(
            "AWS-S3-001",
            fail(sse_s3),
            live_arn,
            "aws_s3_bucket",
            sse,
            live.clone(),
            live,
        ),
    ];
    results.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.outcome.cmp(&b.outcome))
    });

    let diagnostics = vec![
        Diagnostic::at(
            DiagKind::ParseError,
            DiagLevel::Error,
            "tests/data/report/broken.tf",
            Some(3),
            Some(14),
            "expected an expression after `=`",
        ),
        Diagnostic::at(
            DiagKind::Variables,
            DiagLevel::Warning,
            "tests/data/report/prod.tfvars",
            Some(2),
            None,
            format!("ignored malformed line: db_password = \"{SECRET}"),
        ),
        Diagnostic::global(
            DiagKind::RemoteModule,
            DiagLevel::Note,
            "module \"vpc\" (terraform-aws-modules/vpc/aws) is not in .terraform/modules; run `terraform init` to scan it",
        ),
    ];

    Report {
        tool_version: "0.0.0-test",
        inputs: vec!["tests/data/report".to_string()],
        rules,
        results,
        diagnostics,
        criteria: vec![
            criterion("CC1.1", "Commitment to integrity and ethical values", Automatable::No),
            criterion(
                "CC6.1",
                "Logical access security: authentication, least access, segmentation, encryption at rest, key protection",
                Automatable::Yes,
            ),
            criterion("CC6.4", "Physical access to facilities and protected assets", Automatable::No),
            criterion(
                "CC6.6",
                "Boundary protection against threats from outside: firewalls, MFA, public exposure",
                Automatable::Yes,
            ),
            criterion(
                "CC7.2",
                "Monitoring components for anomalies: audit logging, log integrity, alerting",
                Automatable::Yes,
            ),
            criterion("CC8.1", "Authorising, testing and approving changes", Automatable::Partly),
            criterion(
                "A1.2",
                "Environmental protection, backups and recovery infrastructure",
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
            resources: 9,
        },
        evidence: Default::default(),
        baseline: None,
        coverage: Vec::new(),
        unmodelled: Default::default(),
    }
}

fn sarif_value(report: &Report, opts: &SarifOptions) -> Value {
    serde_json::from_str(&sarif::render(report, opts)).expect("SARIF is JSON")
}

fn all_outputs(report: &Report) -> Vec<(&'static str, String)> {
    let results_mode = SarifOptions {
        not_evaluated: NotEvaluatedAs::Results,
        ..SarifOptions::default()
    };
    vec![
        ("sarif", sarif::render(report, &SarifOptions::default())),
        ("sarif (results)", sarif::render(report, &results_mode)),
        ("json", json::render(report)),
        ("text", text::render(report, &TextOptions::default())),
        (
            "text (color)",
            text::render(
                report,
                &TextOptions {
                    color: true,
                    ..TextOptions::default()
                },
            ),
        ),
        ("controls", controls::render(report)),
    ]
}

// ---------------------------------------------------------------- snapshots

#[test]
fn sarif_snapshot() {
    let r = sample_report();
    let opts = SarifOptions {
        category: None,
        ..SarifOptions::default()
    };
    // The real rule's documentation belongs to its author and changes with it: the
    // snapshot keeps the structure, `sarif_meets_the_github_contract` checks the text.
    let mut doc = sarif_value(&r, &opts);
    for rule in doc["runs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|run| run["tool"]["driver"]["rules"].as_array_mut().unwrap())
    {
        if !rule["id"].as_str().unwrap().starts_with("TEST-") {
            let placeholder = format!("<documentation of {}>", rule["id"].as_str().unwrap());
            rule["fullDescription"]["text"] = Value::from(placeholder.clone());
            rule["help"]["text"] = Value::from(placeholder.clone());
            rule["help"]["markdown"] = Value::from(placeholder);
        }
    }
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&doc).unwrap());
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("json", json::render(&sample_report()));
}

#[test]
fn text_snapshot() {
    let r = sample_report();
    insta::assert_snapshot!("text", text::render(&r, &TextOptions::default()));
    let quiet = TextOptions {
        quiet: true,
        ..TextOptions::default()
    };
    insta::assert_snapshot!("text_quiet", text::render(&r, &quiet));
}

#[test]
fn controls_snapshot() {
    insta::assert_snapshot!("controls", controls::render(&sample_report()));
}

// ---------------------------------------------------------------- SARIF

#[test]
fn sarif_validates_against_the_schema() {
    let r = sample_report();
    for mode in [NotEvaluatedAs::Notifications, NotEvaluatedAs::Results] {
        let opts = SarifOptions {
            not_evaluated: mode,
            category: None,
            ..SarifOptions::default()
        };
        let errors = sarif_schema_errors(&sarif_value(&r, &opts));
        assert!(errors.is_empty(), "{mode:?}: {errors:#?}");
    }
    // The validator does reject a broken log.
    let mut bad = sarif_value(&r, &SarifOptions::default());
    bad["version"] = Value::from("2.0");
    assert!(!sarif_schema_errors(&bad).is_empty());
}

#[test]
fn sarif_meets_the_github_contract() {
    let r = sample_report();
    let doc = sarif_value(&r, &SarifOptions::default());
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(doc["$schema"], sarif::SCHEMA_URI);
    let runs = doc["runs"].as_array().unwrap();
    // One run per target kind: the Terraform files and the live AWS account.
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0]["automationDetails"]["id"], "soc2scan/terraform/");
    assert_eq!(runs[1]["automationDetails"]["id"], "soc2scan/aws/");
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "soc2scan");
    assert_eq!(driver["version"], "0.0.0-test");
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    // Rules: every rule that ran, sorted, with help, string security-severity and soc2 tags.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "AWS-S3-001",
            "TEST-LOG-001",
            "TEST-RDS-001",
            "TEST-RDS-002",
            "TEST-RDS-003"
        ]
    );
    for rule in rules {
        let props = &rule["properties"];
        assert!(props["security-severity"].is_string(), "{rule}");
        let tags: Vec<&str> = props["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"security") && tags.contains(&"soc2"),
            "{tags:?}"
        );
        assert!(tags.iter().any(|t| t.starts_with("soc2:")), "{tags:?}");
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
        assert!(!rule["help"]["markdown"].as_str().unwrap().is_empty());
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
    }
    let s3 = &rules[0];
    assert_eq!(s3["name"], "S3BucketEncryption");
    let s3_meta = soc2scan::rules::find("AWS-S3-001").unwrap().meta();
    let help = s3["help"]["markdown"].as_str().unwrap();
    assert!(
        help.starts_with(s3_meta.documentation().trim_end()),
        "{help}"
    );
    assert!(help.ends_with(
        "## SOC 2\nCC6.1, C1.1: KMS encryption puts a key policy and an audit trail in front of stored customer data\n"
    ));
    assert_eq!(s3["help"]["text"], s3["help"]["markdown"]);
    let full = s3["fullDescription"]["text"].as_str().unwrap();
    assert!(
        full.starts_with("Checks that") && !full.contains('\n'),
        "{full}"
    );
    assert_eq!(s3["defaultConfiguration"]["level"], "warning");
    assert_eq!(s3["properties"]["security-severity"], "5.5");
    assert_eq!(s3["properties"]["tags"][2], "soc2:CC6.1");
    assert_eq!(s3["properties"]["tags"][3], "soc2:C1.1");
    assert_eq!(s3["properties"]["tags"][4], "encryption-at-rest");
    // Effective severity wins over the declared one (TEST-RDS-002: Low → Medium).
    assert_eq!(rules[3]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[3]["properties"]["security-severity"], "5.5");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "error");

    // Results: the failing ones only (default mode), each fully located.
    let results: Vec<Value> = runs
        .iter()
        .flat_map(|r| r["results"].as_array().unwrap().clone())
        .collect();
    assert_eq!(results.len(), 5, "4 failing + 1 suppressed");
    for res in &results {
        assert_eq!(res["kind"], "fail");
        let rule_id = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule_id);
        assert_eq!(
            res["partialFingerprints"]["soc2scan/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
        assert!(res["message"]["text"]
            .as_str()
            .unwrap()
            .contains("(SOC 2: "));
        assert!(!res["properties"]["criteria"].as_array().unwrap().is_empty());
        let loc = &res["locations"][0];
        assert_eq!(loc["logicalLocations"][0]["kind"], "resource");
        let name = loc["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        if name.starts_with("arn:") {
            assert!(loc.get("physicalLocation").is_none());
            assert_eq!(
                loc["logicalLocations"][0]["properties"]["region"],
                "eu-west-1"
            );
            assert_eq!(
                loc["logicalLocations"][0]["properties"]["account"],
                "123456789012"
            );
            continue;
        }
        let pl = &loc["physicalLocation"];
        let uri = pl["artifactLocation"]["uri"].as_str().unwrap();
        assert!(!uri.starts_with('/') && !uri.contains("://"), "{uri}");
        assert_eq!(pl["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &pl["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
    }

    let by_resource = |name: &str| {
        results
            .iter()
            .find(|x| x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let data = by_resource("aws_s3_bucket.data");
    assert_eq!(data["level"], "warning");
    assert_eq!(
        data["message"]["text"],
        "bucket is encrypted with AES256 (S3-managed keys), not with a KMS key (SOC 2: CC6.1, C1.1)"
    );
    assert_eq!(
        data["locations"][0]["physicalLocation"]["region"]["snippet"]["text"],
        "sse_algorithm = \"AES256\"\n"
    );
    assert_eq!(data["properties"]["resourceType"], "aws_s3_bucket");
    assert_eq!(data["properties"]["severity"], "medium");

    // The block snippet holds the password line, masked.
    let rds = results
        .iter()
        .find(|x| x["ruleId"] == "TEST-RDS-002")
        .unwrap();
    let snippet = rds["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
        .as_str()
        .unwrap();
    assert!(
        snippet.contains("password                = \"***\""),
        "{snippet}"
    );
    assert!(
        snippet.contains("var.kms_key_arn"),
        "references are kept: {snippet}"
    );
    assert_eq!(snippet.lines().count(), 14);

    // Suppressed findings stay, with their suppression.
    let legacy = by_resource("aws_s3_bucket.legacy");
    let sup = &legacy["suppressions"][0];
    assert_eq!(sup["kind"], "inSource");
    assert_eq!(sup["status"], "accepted");
    assert_eq!(
        sup["justification"],
        "public marketing assets, no customer data"
    );
    assert_eq!(sup["properties"]["until"], "2026-06-30");
    assert_eq!(
        sup["properties"]["location"],
        "tests/data/report/main.tf:17"
    );
    assert_eq!(
        results
            .iter()
            .filter(|x| x.get("suppressions").is_some())
            .count(),
        1
    );

    // Counts and criteria in run.properties.
    let props = &run["properties"];
    assert_eq!(props["failed"], 3, "the live AWS finding is in the aws run");
    assert_eq!(props["suppressed"], 1);
    assert_eq!(props["passed"], 2);
    assert_eq!(props["notEvaluated"], 3);
    let crit = props["criteria"].as_array().unwrap();
    assert_eq!(crit.len(), 8);
    assert_eq!(crit[1]["id"], "CC6.1");
    assert_eq!(crit[1]["status"], "failed");
    assert_eq!(crit[4]["status"], "passed");

    // Diagnostics and not-evaluated checks are notifications, never results.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 6, "3 diagnostics + 3 not evaluated");
    let parse = &notes[0];
    assert_eq!(parse["descriptor"]["id"], "parse-error");
    assert_eq!(parse["level"], "error");
    let pl = &parse["locations"][0]["physicalLocation"];
    assert_eq!(pl["artifactLocation"]["uri"], "tests/data/report/broken.tf");
    assert_eq!(pl["region"]["startLine"], 3);
    assert_eq!(pl["region"]["startColumn"], 14);
    assert!(notes[2].get("locations").is_none(), "global diagnostic");
    let ne: Vec<&Value> = notes
        .iter()
        .filter(|n| n["descriptor"]["id"] == sarif::NOT_EVALUATED_ID)
        .collect();
    assert_eq!(ne.len(), 3);
    for n in &ne {
        assert_eq!(n["level"], "note");
        assert!(n["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("not evaluated: "));
        let rule = n["associatedRule"]["id"].as_str().unwrap();
        let index = n["associatedRule"]["index"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule);
        assert!(
            n["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    assert!(!results.iter().any(|x| x["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("not evaluated")));
}

#[test]
fn sarif_not_evaluated_as_results_are_level_none() {
    let r = sample_report();
    let opts = SarifOptions {
        not_evaluated: NotEvaluatedAs::Results,
        ..SarifOptions::default()
    };
    let doc = sarif_value(&r, &opts);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        7,
        "4 failing + 3 not evaluated (the live AWS finding is in its own run)"
    );
    let review: Vec<&Value> = results.iter().filter(|x| x["kind"] == "review").collect();
    assert_eq!(review.len(), 3);
    for res in &review {
        assert_eq!(res["level"], "none");
        assert!(res.get("suppressions").is_none());
        assert!(res["partialFingerprints"]["soc2scan/v1"].is_string());
        assert!(res["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("not evaluated: variable"));
    }
    let tenant = review
        .iter()
        .find(|x| {
            x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_s3_bucket.tenant"
        })
        .unwrap();
    assert_eq!(
        tenant["message"]["text"],
        "not evaluated: variable \"sse_algorithm\" has no value (SOC 2: CC6.1, C1.1)"
    );
    assert_eq!(
        tenant["locations"][0]["physicalLocation"]["region"]["snippet"]["text"],
        "sse_algorithm     = var.sse_algorithm\n"
    );
    // The file that is not on disk has a location but no snippet.
    let module = review
        .iter()
        .find(|x| {
            x["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap()
                .starts_with("module.")
        })
        .unwrap();
    let region = &module["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 9);
    assert!(region.get("snippet").is_none());
    // Only diagnostics remain notifications.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 3);
    // Every non-review result is still a failure.
    assert!(results
        .iter()
        .filter(|x| x["kind"] != "review")
        .all(|x| x["kind"] == "fail" && x["level"] != "none"));
}

#[test]
fn sarif_passes_the_contract_script_shape() {
    // What shared/scripts/sarif-contract checks, for every failing unsuppressed result:
    // criteria, partialFingerprints, a logical location, and relative URIs.
    let doc = sarif_value(&sample_report(), &SarifOptions::default());
    for res in doc["runs"][0]["results"].as_array().unwrap() {
        if res.get("suppressions").is_some() {
            continue;
        }
        assert!(res["partialFingerprints"]
            .as_object()
            .is_some_and(|m| !m.is_empty()));
        assert!(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
    }
}

#[test]
fn empty_report_renders() {
    let mut r = sample_report();
    r.results.clear();
    r.diagnostics.clear();
    let doc = sarif_value(&r, &SarifOptions::default());
    assert_eq!(doc["runs"][0]["results"], Value::Array(vec![]));
    assert!(sarif_schema_errors(&doc).is_empty());
    let t = text::render(&r, &TextOptions::default());
    assert!(
        t.starts_with("0 findings (0 critical, 0 high, 0 medium, 0 low)"),
        "{t}"
    );
    let j: Value = serde_json::from_str(&json::render(&r)).unwrap();
    assert_eq!(j["findings"], Value::Array(vec![]));
    assert!(controls::render(&r).contains("| CC6.1 |"));
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_follows_the_documented_schema() {
    let r = sample_report();
    let j: Value = serde_json::from_str(&json::render(&r)).unwrap();
    assert_eq!(j["schema_version"], "1");
    assert_eq!(j["tool"]["name"], "soc2scan");
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "schema_version",
            "tool",
            "inputs",
            "evidence",
            "summary",
            "rules",
            "findings",
            "not_evaluated",
            "passed",
            "diagnostics",
            "criteria",
            "coverage",
            "not_covered",
            "baseline"
        ]
    );
    assert_eq!(j["passed"].as_array().unwrap().len(), 2);
    assert!(j["passed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p.get("message").is_none() && p["fingerprint"].is_string()));
    assert_eq!(j["baseline"], Value::Null);
    let s = &j["summary"];
    assert_eq!(s["findings"]["critical"], 0);
    assert_eq!(s["findings"]["high"], 1);
    assert_eq!(s["findings"]["medium"], 3);
    assert_eq!(s["findings"]["low"], 0);
    assert_eq!(s["failed"], 4);
    assert_eq!(s["suppressed"], 1);
    assert_eq!(s["passed"], 2);
    assert_eq!(s["not_evaluated"], 3);
    assert_eq!(s["diagnostics"]["error"], 1);

    let findings = j["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 5);
    let legacy = findings
        .iter()
        .find(|f| f["resource"] == "aws_s3_bucket.legacy")
        .unwrap();
    assert_eq!(legacy["suppressed"], true);
    assert_eq!(legacy["suppression"]["until"], "2026-06-30");
    let live = findings
        .iter()
        .find(|f| f["location"]["source"] == "aws")
        .unwrap();
    assert_eq!(live["location"]["arn"], "arn:aws:s3:::acme-exports");
    let rds2 = &j["rules"].as_array().unwrap()[3];
    assert_eq!(rds2["id"], "TEST-RDS-002");
    assert_eq!(rds2["severity"], "medium");
    assert_eq!(rds2["default_severity"], "low");
    let s3 = &j["rules"][0];
    assert_eq!(s3["results"]["failed"], 2);
    assert_eq!(s3["results"]["passed"], 1);
    assert_eq!(j["not_evaluated"].as_array().unwrap().len(), 3);
    assert_eq!(j["criteria"][6]["id"], "A1.2");
    assert_eq!(j["criteria"][6]["status"], "not-evaluated");
}

#[test]
fn json_reads_back_into_the_same_report() {
    let config = soc2scan::scan::ScanConfig {
        paths: vec!["fixtures/demo".into(), "fixtures/eval/parse_error".into()],
        // Strict: every rule, so the report has every kind of record.
        level: Some(soc2scan::level::Level::Strict),
        ..Default::default()
    };
    let report = soc2scan::scan::scan(&config).unwrap();
    assert_eq!(report.evidence.level, soc2scan::level::Level::Strict);
    assert!(report.passes().count() > 0 && report.findings().count() > 0);
    assert!(report.not_evaluated().count() > 0 && !report.diagnostics.is_empty());
    assert!(report.findings().any(|f| f.suppression.is_some()));
    let doc = json::render(&report);
    let back = json::parse(&doc).unwrap();
    assert_eq!(back.evidence.level, report.evidence.level);
    assert!(back
        .rules
        .iter()
        .zip(&report.rules)
        .all(|(a, b)| a.level == b.level));
    assert_eq!(back.results, report.results);
    assert_eq!(back.diagnostics, report.diagnostics);
    assert_eq!(back.inputs, report.inputs);
    assert_eq!(back.criteria, report.criteria);
    assert_eq!(
        (back.stats.files, back.stats.resources),
        (report.stats.files, report.stats.resources)
    );
    let rules = |r: &Report| {
        r.rules
            .iter()
            .map(|x| {
                (
                    x.meta.id,
                    x.effective_severity,
                    x.criteria.clone(),
                    x.rationale.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&back), rules(&report));
    // Everything but the scan time, which JSON does not carry.
    assert_eq!(back.evidence.scan_time, None);
    assert!(report.evidence.scan_time.is_some());
    let mut evidence = report.evidence.clone();
    evidence.scan_time = None;
    assert_eq!(back.evidence, evidence);
    assert_eq!(json::render(&back), doc);
    let options = SarifOptions::default();
    assert_eq!(
        sarif::render(&back, &options),
        sarif::render(&report, &options)
    );

    // The sample report's rules are made up for these tests: not in the registry.
    let mut sample = sample_report();
    let err = json::parse(&json::render(&sample)).unwrap_err();
    assert!(
        err.to_string().contains("written by soc2scan 0.0.0-test"),
        "{err}"
    );
    sample.tool_version = env!("CARGO_PKG_VERSION");
    let err = json::parse(&json::render(&sample)).unwrap_err();
    assert!(
        err.to_string().contains("unknown rule id \"TEST-LOG-001\""),
        "{err}"
    );
}

// ---------------------------------------------------------------- text and controls

#[test]
fn text_shows_findings_with_snippets() {
    let r = sample_report();
    let t = text::render(&r, &TextOptions::default());
    assert!(!t.contains('\x1b'), "no colour unless asked");
    assert!(t.contains("MEDIUM   AWS-S3-001 S3 bucket default encryption uses KMS"));
    assert!(t.contains("aws_s3_bucket.data  tests/data/report/main.tf:11"));
    assert!(t.contains("SOC 2: CC6.1, C1.1"));
    assert!(t.contains("11 │       sse_algorithm = \"AES256\""), "{t}");
    assert!(
        t.contains("26 │   password                = \"***\""),
        "{t}"
    );
    assert!(t.contains("   │ …"), "a long block is cut: {t}");
    assert!(!t.contains("29 │"), "at most 8 lines per snippet: {t}");
    let colored = text::render(
        &r,
        &TextOptions {
            color: true,
            ..TextOptions::default()
        },
    );
    assert!(colored.contains("\x1b[33mMEDIUM"));
    let quiet = text::render(
        &r,
        &TextOptions {
            quiet: true,
            ..TextOptions::default()
        },
    );
    assert_eq!(quiet.lines().count(), 1);
    assert!(quiet.starts_with("4 findings (0 critical, 1 high, 3 medium, 0 low), 1 suppressed, 2 passed, 3 not evaluated, 3 diagnostics"));
}

#[test]
fn controls_lists_every_criterion_in_catalog_order() {
    let r = sample_report();
    let md = controls::render(&r);
    let rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Criterion"))
        .collect();
    let ids: Vec<&str> = rows
        .iter()
        .map(|l| l.split(" | ").next().unwrap().trim_start_matches("| "))
        .collect();
    assert_eq!(
        ids,
        ["CC1.1", "CC6.1", "CC6.4", "CC6.6", "CC7.2", "CC8.1", "A1.2", "C1.1"]
    );
    assert!(rows[0].contains("manual: organisational"));
    assert!(rows[3].contains("manual: no rule in this scan covers it"));
    assert!(rows[1].contains("**failed**"));
    assert!(rows[4].contains("| passed |"));
    assert!(rows[6].contains("| not evaluated |"));
    assert!(md.contains("### CC6.1 "));
    assert!(md.contains("- AWS-S3-001 `arn:aws:s3:::acme-exports` at `arn:aws:s3:::acme-exports`"));

    // With the real catalog every criterion appears once, in catalog order.
    let catalog = Controls::embedded().unwrap();
    let mut full = r.clone();
    full.criteria = catalog.criteria.clone();
    let md = controls::render(&full);
    let mut last = 0;
    for c in &catalog.criteria {
        let row = format!("\n| {} | ", c.id);
        let pos = md.find(&row).unwrap_or_else(|| panic!("{} missing", c.id));
        assert!(pos > last, "{} out of order", c.id);
        assert_eq!(md.matches(&row).count(), 1);
        last = pos;
    }
}

// ---------------------------------------------------------------- every format

#[test]
fn no_secret_in_any_output() {
    // The fixture does hold the secret, and the snippets cover its line.
    let source = std::fs::read_to_string(MAIN_TF).unwrap();
    assert!(source.contains(SECRET));
    for (name, out) in all_outputs(&sample_report()) {
        assert!(!out.contains(SECRET), "{name} leaks the password:\n{out}");
    }
}

#[test]
fn output_is_deterministic() {
    let r = sample_report();
    let first = all_outputs(&r);
    let second = all_outputs(&sample_report());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert_eq!(a, b, "{name} differs between renders");
        assert!(a.ends_with('\n'), "{name} ends with a newline");
    }
}

#[test]
fn severity_levels_follow_effective_severity() {
    assert_eq!(
        sarif::level_of(Severity::Critical),
        serde_sarif::sarif::ResultLevel::Error
    );
    let mut r = sample_report();
    for rule in &mut r.rules {
        rule.effective_severity = Severity::Critical;
    }
    let doc = sarif_value(&r, &SarifOptions::default());
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        assert_eq!(rule["properties"]["security-severity"], "9.5");
        assert_eq!(rule["defaultConfiguration"]["level"], "error");
    }
    for res in doc["runs"][0]["results"].as_array().unwrap() {
        assert_eq!(res["level"], "error");
    }
}
