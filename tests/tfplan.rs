//! Terraform plan JSON as an input (`fixtures/tfplan/`): plans recognised by content,
//! values known after planning, unknowns marked in `after_unknown`, child modules,
//! findings at the `.tf` lines when the sources are beside the plan and at the plan's
//! resource entries otherwise, no double scan, and malformed plans as diagnostics.

use std::path::PathBuf;

use soc2scan::diagnostic::{DiagKind, DiagLevel};
use soc2scan::engine::Selection;
use soc2scan::finding::Outcome;
use soc2scan::report::Report;
use soc2scan::scan::{scan, ScanConfig};

const RULES: &[&str] = &[
    "AWS-RDS-001",
    "AWS-RDS-003",
    "AWS-S3-002",
    "AWS-S3-004",
    "AWS-EC2-001",
    "AWS-EC2-003",
    "AWS-KMS-001",
];

fn run(paths: &[&str]) -> Report {
    // Integration tests run in the package root: report paths are relative to it.
    let config = ScanConfig {
        paths: paths.iter().map(PathBuf::from).collect(),
        selection: Selection {
            select: RULES.iter().map(|r| r.to_string()).collect(),
            ignore: Vec::new(),
        },
        today: Some("2025-01-01".into()),
        ..ScanConfig::default()
    };
    scan(&config).expect("scan runs")
}

/// Every result as `RULE outcome address path:line`, sorted.
fn results(r: &Report) -> Vec<String> {
    let mut out: Vec<String> = r
        .results
        .iter()
        .map(|c| {
            let kind = match &c.outcome {
                Outcome::Fail { .. } => "fail",
                Outcome::Pass => "pass",
                Outcome::NotEvaluated { .. } => "not-evaluated",
            };
            format!(
                "{} {kind} {} {}:{}",
                c.rule_id,
                c.resource,
                c.location.file().unwrap_or("?"),
                c.location.line().unwrap_or(0)
            )
        })
        .collect();
    out.sort();
    out
}

fn reason_of<'a>(r: &'a Report, rule: &str, address: &str) -> &'a str {
    r.results
        .iter()
        .find(|c| c.rule_id == rule && &*c.resource == address)
        .and_then(|c| match &c.outcome {
            Outcome::NotEvaluated { reason } => Some(reason.as_str()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no not-evaluated {rule} for {address}"))
}

#[test]
fn plan_with_sources_reports_at_tf_lines() {
    let r = run(&["fixtures/tfplan/sources"]);
    let m = "fixtures/tfplan/sources/main.tf";
    let s = "fixtures/tfplan/sources/modules/store/main.tf";
    let want = vec![
        // Known from the plan: the count (var.replicas = 2) and var.retention = 3.
        format!("AWS-EC2-003 fail aws_security_group.web {m}:43"),
        format!("AWS-EC2-003 not-evaluated aws_security_group_rule.bastion_rdp {m}:55"),
        format!("AWS-EC2-003 pass aws_security_group.web {m}:36"),
        format!("AWS-KMS-001 fail module.store.aws_kms_key.this {s}:11"),
        format!("AWS-RDS-001 pass aws_db_instance.db[0] {m}:14"),
        format!("AWS-RDS-001 pass aws_db_instance.db[1] {m}:14"),
        format!("AWS-RDS-003 fail aws_db_instance.db[0] {m}:15"),
        format!("AWS-RDS-003 fail aws_db_instance.db[1] {m}:15"),
        // The versioning resource's bucket is known only after apply; it refers to the
        // bucket, so the join holds.
        format!("AWS-S3-002 fail aws_s3_bucket.logs {m}:18"),
        format!("AWS-S3-002 fail module.store.aws_s3_bucket.this {s}:5"),
        format!("AWS-S3-004 fail module.store.aws_s3_bucket.this {s}:5"),
        format!("AWS-S3-004 pass aws_s3_bucket.logs {m}:25"),
    ];
    assert_eq!(results(&r), want);
    assert_eq!(
        reason_of(&r, "AWS-EC2-003", "aws_security_group_rule.bastion_rdp"),
        "known after apply"
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn sources_alone_leave_plan_time_values_unknown() {
    // Without the plan, the count and the retention are not known.
    let r = run(&["fixtures/tfplan/sources/main.tf"]);
    let rds: Vec<String> = results(&r)
        .into_iter()
        .filter(|l| l.starts_with("AWS-RDS-003"))
        .collect();
    assert_eq!(rds.len(), 1);
    assert!(rds[0].contains("not-evaluated"), "{rds:?}");
}

#[test]
fn plan_alone_reports_at_plan_entries() {
    // No sources beside the plan (the module is remote): findings point at the
    // `"address"` of each resource's entry in the plan.
    let r = run(&["fixtures/tfplan/alone"]);
    let p = "fixtures/tfplan/alone/plan.json";
    let want = vec![
        // A for_each module expanded from a variable given at plan time.
        format!("AWS-EC2-001 fail module.app[\"a\"].aws_ebs_volume.v {p}:84"),
        format!("AWS-EC2-001 pass module.app[\"b\"].aws_ebs_volume.v {p}:105"),
        // `enable_key_rotation` is marked in after_unknown.
        format!("AWS-KMS-001 not-evaluated aws_kms_key.app {p}:16"),
        // The policy is known only after apply; it refers to a policy document data
        // source read during apply, whose statements are in the plan.
        format!("AWS-S3-002 pass aws_s3_bucket.data {p}:48"),
        format!("AWS-S3-004 fail aws_s3_bucket.data {p}:60"),
    ];
    assert_eq!(results(&r), want);
    assert_eq!(
        reason_of(&r, "AWS-KMS-001", "aws_kms_key.app"),
        "known after apply"
    );
    // The instance planned for deletion is not scanned.
    assert!(!r.results.iter().any(|c| c.resource.contains("old")));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn plan_file_alone_still_finds_its_sources() {
    // Only the plan is named; the `.tf` files beside it give the positions.
    let r = run(&["fixtures/tfplan/sources/plan.json"]);
    let with_sources = run(&["fixtures/tfplan/sources"]);
    assert_eq!(results(&r), results(&with_sources));
    assert!(results(&r)
        .iter()
        .any(|l| l.ends_with("fixtures/tfplan/sources/main.tf:15")));
}

#[test]
fn only_plans_are_read() {
    // A state file, a package.json and a document that embeds a plan below its top
    // level are not plans: nothing is scanned and nothing is reported.
    let r = run(&["fixtures/tfplan/detect"]);
    assert_eq!(results(&r), Vec::<String>::new());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn malformed_plans_are_diagnostics_and_the_scan_goes_on() {
    let r = run(&["fixtures/tfplan/broken"]);
    assert_eq!(
        results(&r),
        vec!["AWS-EC2-001 fail aws_ebs_volume.v fixtures/tfplan/broken/main.tf:4".to_string()]
    );
    // Other adapters may also say that plan.json is not valid JSON; these are ours.
    let ours: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("Terraform plan"))
        .collect();
    let diags: Vec<(String, Option<u32>, DiagKind, DiagLevel)> = ours
        .iter()
        .map(|d| {
            (
                d.file.as_ref().map(|f| f.to_string()).unwrap_or_default(),
                d.line,
                d.kind,
                d.level,
            )
        })
        .collect();
    assert_eq!(
        diags,
        vec![
            (
                "fixtures/tfplan/broken/future.json".to_string(),
                None,
                DiagKind::ParseError,
                DiagLevel::Error
            ),
            (
                "fixtures/tfplan/broken/plan.json".to_string(),
                Some(8),
                DiagKind::ParseError,
                DiagLevel::Error
            ),
        ]
    );
    assert!(ours[1].message.contains("does not parse"));
    assert!(ours[0].message.contains("\"2.0\""));
}

#[test]
fn one_line_plans_point_at_columns() {
    // `terraform show -json` writes the whole plan on one line: the column tells the
    // resources apart.
    let r = run(&["fixtures/tfplan/minified"]);
    let text = std::fs::read_to_string("fixtures/tfplan/minified/plan.json").unwrap();
    let col = |addr: &str| {
        let key = format!("\"address\":{}", serde_json::to_string(addr).unwrap());
        text.find(&key).map(|i| i as u32 + 1)
    };
    let mut seen = Vec::new();
    for c in &r.results {
        match &c.location {
            soc2scan::model::Origin::File {
                path,
                line,
                col: at,
                ..
            } => {
                assert_eq!(&**path, "fixtures/tfplan/minified/plan.json");
                assert_eq!(*line, 1);
                seen.push((c.rule_id, c.resource.to_string(), *at));
            }
            other => panic!("{other:?}"),
        }
    }
    seen.sort();
    let ebs_a = "module.app[\"a\"].aws_ebs_volume.v";
    let ebs_b = "module.app[\"b\"].aws_ebs_volume.v";
    assert_eq!(
        seen,
        vec![
            ("AWS-EC2-001", ebs_a.to_string(), col(ebs_a).unwrap()),
            ("AWS-EC2-001", ebs_b.to_string(), col(ebs_b).unwrap()),
            (
                "AWS-KMS-001",
                "aws_kms_key.app".to_string(),
                col("aws_kms_key.app").unwrap()
            ),
            (
                "AWS-S3-002",
                "aws_s3_bucket.data".to_string(),
                col("aws_s3_bucket_policy.data").unwrap()
            ),
            (
                "AWS-S3-004",
                "aws_s3_bucket.data".to_string(),
                col("aws_s3_bucket_versioning.data").unwrap()
            ),
        ]
    );
}
