//! Coverage in every report: what each source read per scope and collection, and the
//! resources of types no rule reads ("not covered").

use serde_json::{json, Value};
use soc2scan::coverage::{Entry, Status};
use soc2scan::report::sarif::SarifOptions;
use soc2scan::report::text::TextOptions;
use soc2scan::report::{controls, json, markdown, sarif, text, Report};
use soc2scan::scan::{scan, ScanConfig};

mod common;
use common::sarif_schema_errors;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/eval")
        .join(name)
}

fn run(path: std::path::PathBuf) -> Report {
    scan(&ScanConfig {
        paths: vec![path],
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .expect("scan")
}

#[test]
fn other_providers_are_counted_as_not_covered() {
    let r = run(fixture("not-covered"));
    let doc = json::to_value(&r);
    assert_eq!(
        doc["not_covered"],
        json!({"azurerm_storage_account": 2, "google_storage_bucket": 3})
    );
    let out = text::render(&r, &TextOptions::default());
    assert!(
        out.contains(
            "  not covered: 2 azurerm_storage_account resources, 3 google_storage_bucket resources\n"
        ),
        "{out}"
    );
    // The AWS queue was read.
    let rows = doc["coverage"].as_array().unwrap();
    assert!(rows
        .iter()
        .any(|e| e["collection"] == "aws.sqs_queues" && e["status"] == "read" && e["count"] == 1));
    // The JSON document reads back to the same document.
    let back = json::parse(&json::render(&r)).unwrap();
    assert_eq!(json::to_value(&back), doc);
}

/// Kinds a live AWS scan saw tagged and does not read (`aws:<service>:<type>`) are
/// reported with the AWS run in SARIF, and summed apart from Terraform's `aws_*`
/// types in the text line.
#[test]
fn live_aws_kinds_not_covered_are_grouped_apart_from_terraform_types() {
    let mut r = run(fixture("not-covered"));
    r.unmodelled.count("aws:ssm:parameter");
    r.unmodelled.count("aws:ssm:parameter");
    r.unmodelled.count("aws:states:stateMachine");
    r.unmodelled.count("aws_route53_zone");
    let doc = json::to_value(&r);
    assert_eq!(
        doc["not_covered"],
        json!({"aws:ssm:parameter": 2, "aws:states:stateMachine": 1,
               "aws_route53_zone": 1, "azurerm_storage_account": 2,
               "google_storage_bucket": 3})
    );
    let out = text::render(&r, &TextOptions::default());
    assert!(
        out.contains(
            "  not covered: 3 aws:* resources, 1 aws_* resource, 2 azurerm_* resources, 3 google_* resources\n"
        ),
        "{out}"
    );
    let s: Value = serde_json::to_value(sarif::to_sarif(&r, &SarifOptions::default())).unwrap();
    assert_eq!(sarif_schema_errors(&s), Vec::<String>::new());
    let run_of = |kind: &str| {
        s["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|run| run["automationDetails"]["id"] == format!("soc2scan/{kind}/"))
            .unwrap_or_else(|| panic!("a {kind} run"))
            .clone()
    };
    assert_eq!(
        run_of("aws")["properties"]["notCovered"],
        json!({"aws:ssm:parameter": 2, "aws:states:stateMachine": 1})
    );
    assert_eq!(
        run_of("terraform")["properties"]["notCovered"],
        json!({"aws_route53_zone": 1, "azurerm_storage_account": 2, "google_storage_bucket": 3})
    );
}

/// A scan whose AWS source could not list SQS queues and did not read SNS.
fn with_gaps() -> Report {
    let mut r = run(fixture("not-covered"));
    r.coverage = vec![
        Entry {
            scope: "aws:123456789012/us-east-1".into(),
            collection: "aws.s3_buckets".into(),
            status: Status::Read { count: 4 },
        },
        Entry {
            scope: "aws:123456789012/us-east-1".into(),
            collection: "aws.sns_topics".into(),
            status: Status::NotRead {
                reason: "no adapter for SNS".into(),
            },
        },
        Entry {
            scope: "aws:123456789012/us-east-1".into(),
            collection: "aws.sqs_queues".into(),
            status: Status::Denied {
                call: "sqs:ListQueues".into(),
                reason: "AccessDenied".into(),
            },
        },
        Entry {
            scope: "terraform:.".into(),
            collection: "aws.sqs_queues".into(),
            status: Status::Read { count: 1 },
        },
    ];
    r
}

#[test]
fn incomplete_coverage_is_shown_in_every_report() {
    let r = with_gaps();

    let doc = json::to_value(&r);
    assert_eq!(
        doc["coverage"][1],
        json!({"scope": "aws:123456789012/us-east-1", "collection": "aws.sns_topics",
               "status": "not_read", "reason": "no adapter for SNS"})
    );
    assert_eq!(
        doc["coverage"][2],
        json!({"scope": "aws:123456789012/us-east-1", "collection": "aws.sqs_queues",
               "status": "denied", "call": "sqs:ListQueues", "reason": "AccessDenied"})
    );
    let back = json::parse(&json::render(&r)).unwrap();
    assert_eq!(back.coverage, r.coverage);

    let s: Value = serde_json::to_value(sarif::to_sarif(&r, &SarifOptions::default())).unwrap();
    assert_eq!(sarif_schema_errors(&s), Vec::<String>::new());
    let runs = s["runs"].as_array().unwrap();
    let aws = runs
        .iter()
        .find(|run| run["automationDetails"]["id"] == "soc2scan/aws/")
        .expect("an AWS run");
    assert_eq!(aws["properties"]["coverage"].as_array().unwrap().len(), 3);
    let warnings: Vec<&Value> = aws["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["descriptor"]["id"] == "coverage-incomplete")
        .collect();
    assert_eq!(warnings.len(), 2);
    assert_eq!(warnings[0]["level"], "warning");
    let tf = runs
        .iter()
        .find(|run| run["automationDetails"]["id"] == "soc2scan/terraform/")
        .expect("a Terraform run");
    assert_eq!(
        tf["properties"]["coverage"][0]["collection"],
        "aws.sqs_queues"
    );
    assert_eq!(
        tf["properties"]["notCovered"],
        json!({"azurerm_storage_account": 2, "google_storage_bucket": 3})
    );

    let c = controls::render(&r);
    assert!(c.contains("\n## Coverage\n"), "{c}");
    assert!(
        c.contains("| aws:123456789012/us-east-1 | aws.s3_buckets (4) | aws.sns_topics: not read: no adapter for SNS; aws.sqs_queues: denied: sqs:ListQueues (AccessDenied) |"),
        "{c}"
    );
    assert!(c.contains("| terraform:. | aws.sqs_queues (1) |  |"), "{c}");

    let m = markdown::render(&r);
    assert!(m.contains("### Coverage"), "{m}");

    let t = text::render(&r, &TextOptions::default());
    assert!(
        t.contains("Coverage:\n  aws:123456789012/us-east-1 aws.sns_topics  not read: no adapter for SNS\n  aws:123456789012/us-east-1 aws.sqs_queues  denied: sqs:ListQueues (AccessDenied)\n"),
        "{t}"
    );
}

#[test]
fn long_coverage_lists_are_cut_in_text() {
    let mut r = with_gaps();
    r.coverage = (0..25)
        .map(|i| Entry {
            scope: "aws:1/eu-west-1".into(),
            collection: format!("aws.c{i:02}"),
            status: Status::NotRead { reason: "x".into() },
        })
        .collect();
    let t = text::render(&r, &TextOptions::default());
    assert!(t.contains("  … and 5 more\n"), "{t}");
    assert!(!t.contains("aws.c20"), "{t}");
}

/// A Terraform file that does not parse leaves its module's collections unread: every
/// rule is *not evaluated* there (pointing at the file), next to the results on what
/// the other files declare, and no criterion passes on that module.
#[test]
fn a_file_that_does_not_parse_makes_its_module_not_evaluated() {
    let r = run(fixture("parse_error"));
    let scope = r
        .coverage
        .iter()
        .filter(|e| e.collection == "aws.s3_buckets")
        .map(|e| (e.scope.to_string(), e.status.clone()))
        .collect::<Vec<_>>();
    let file = "fixtures/eval/parse_error/bad.tf";
    assert_eq!(scope.len(), 1, "{scope:?}");
    assert_eq!(scope[0].0, "terraform:fixtures/eval/parse_error");
    match &scope[0].1 {
        Status::Failed { call, reason } => {
            assert_eq!(call, file);
            assert!(!reason.is_empty());
        }
        other => panic!("{other:?}"),
    }
    // Results are in file order; the good bucket is still checked...
    let good: Vec<_> = r
        .results
        .iter()
        .filter(|c| c.rule_id == "AWS-S3-003")
        .map(|c| {
            (
                c.resource.to_string(),
                kind(&c.outcome),
                c.location.file().map(str::to_string),
                c.location.line(),
            )
        })
        .collect();
    assert_eq!(
        good,
        vec![
            (
                "terraform:fixtures/eval/parse_error".to_string(),
                "not-evaluated",
                Some(file.to_string()),
                Some(4)
            ),
            (
                "aws_s3_bucket.good".to_string(),
                "fail",
                Some("fixtures/eval/parse_error/good.tf".to_string()),
                Some(1)
            ),
        ]
    );
    // ... and every rule that ran is not evaluated in the module.
    let not_evaluated = r
        .results
        .iter()
        .filter(|c| kind(&c.outcome) == "not-evaluated" && c.location.file() == Some(file))
        .count();
    let aws_rules = r
        .rules
        .iter()
        .filter(|i| i.meta.id.starts_with("AWS-"))
        .count();
    assert_eq!(not_evaluated, aws_rules);
    let summary = r.criteria_summary();
    assert!(!summary.is_empty());
    assert!(summary
        .iter()
        .all(|c| c.status != soc2scan::report::ControlStatus::Passed));
}

fn kind(o: &soc2scan::finding::Outcome) -> &'static str {
    match o {
        soc2scan::finding::Outcome::Pass => "pass",
        soc2scan::finding::Outcome::Fail { .. } => "fail",
        soc2scan::finding::Outcome::NotEvaluated { .. } => "not-evaluated",
    }
}

/// A model document that does not parse is a diagnostic naming the file and line, and
/// leaves every collection of its scope failed: nothing passes on what it would have
/// said. A document of another version is refused the same way.
#[test]
fn a_broken_model_document_is_reported_and_nothing_passes_on_it() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken-model-document");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bad.json"),
        "{\n  \"format\": \"soc2scan-model\",\n  \"version\": 1,\n  \"model\": {\"aws\": {\"s3_buckets\": [{]}}\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("future.json"),
        "{\"format\": \"soc2scan-model\", \"version\": 99, \"model\": {}}\n",
    )
    .unwrap();
    let r = run(dir.clone());
    let diags: Vec<(String, Option<u32>, String)> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.as_ref().map(|f| f.to_string()).unwrap_or_default(),
                d.line,
                d.message.clone(),
            )
        })
        .collect();
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(diags[0].0.ends_with("bad.json"), "{diags:?}");
    assert_eq!(diags[0].1, Some(4));
    assert!(diags[0]
        .2
        .starts_with("not a valid soc2scan model document"));
    assert!(diags[1].0.ends_with("future.json"));
    assert!(
        diags[1].2.contains("version 99 is not supported"),
        "{diags:?}"
    );
    // Every rule (AWS and Kubernetes) is not evaluated in each document's scope;
    // nothing passes.
    let all_rules = r.rules.len();
    for file in ["bad.json", "future.json"] {
        let n = r
            .results
            .iter()
            .filter(|c| {
                kind(&c.outcome) == "not-evaluated"
                    && c.location.file().is_some_and(|f| f.ends_with(file))
            })
            .count();
        assert_eq!(n, all_rules, "{file}");
    }
    assert!(r.results.iter().all(|c| kind(&c.outcome) != "pass"));
}
