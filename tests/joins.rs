//! Links between resources stay within their root module
//! (`fixtures/eval/two-roots-same-names/`): roots `envs/a` and `envs/b` declare the same
//! addresses and names (a user in group `admins`, a database and its parameter group, a
//! metric filter, a bucket and its log bucket) with different settings, and each root's findings follow its own
//! settings only.

use std::path::PathBuf;

use soc2scan::engine::Selection;
use soc2scan::finding::{fingerprint, Outcome};
use soc2scan::scan::{scan, ScanConfig};

const FIXTURE: &str = "fixtures/eval/two-roots-same-names";
const RULES: [&str; 4] = ["AWS-IAM-007", "AWS-RDS-010", "AWS-CW-001", "AWS-S3-003"];

/// Every result as (rule, resource, root module directory, outcome kind), sorted.
fn results() -> Vec<(String, String, String, &'static str)> {
    let rep = scan(&ScanConfig {
        paths: vec![PathBuf::from(FIXTURE)],
        selection: Selection {
            select: RULES.iter().map(|s| s.to_string()).collect(),
            ignore: vec![],
        },
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .expect("scan");
    let mut out: Vec<_> = rep
        .results
        .iter()
        .map(|r| {
            let file = r.resource_location.file().expect("file origin");
            let root = file.strip_suffix("/main.tf").expect("main.tf").to_string();
            // The finding's identity includes its root module.
            assert_eq!(
                r.fingerprint,
                fingerprint(r.rule_id, &root, &r.resource, &r.attribute),
                "{r:?}"
            );
            let kind = match &r.outcome {
                Outcome::Pass => "pass",
                Outcome::Fail { .. } => "fail",
                Outcome::NotEvaluated { .. } => "not evaluated",
            };
            (r.rule_id.to_string(), r.resource.to_string(), root, kind)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn links_resolve_within_each_root_module() {
    let a = format!("{FIXTURE}/envs/a");
    let b = format!("{FIXTURE}/envs/b");
    let r = |rule: &str, res: &str, root: &str, kind: &'static str| {
        (rule.to_string(), res.to_string(), root.to_string(), kind)
    };
    let mut want = vec![
        // Root A's metric filter has an alarm on its metric; root B's has none (A's alarm
        // watches the same metric name and namespace, in another root).
        r(
            "AWS-CW-001",
            "aws_cloudwatch_log_metric_filter.root_login",
            &a,
            "pass",
        ),
        r(
            "AWS-CW-001",
            "aws_cloudwatch_log_metric_filter.root_login",
            &b,
            "fail",
        ),
        // The user of A is an administrator through A's group `admins`; the user of B is
        // in B's group `admins`, which has no administrator policy.
        r("AWS-IAM-007", "aws_iam_user.u", &a, "fail"),
        r("AWS-IAM-007", "aws_iam_user.u", &b, "pass"),
        // A's parameter group forces TLS; B's group of the same address does not.
        r("AWS-RDS-010", "aws_db_instance.db", &a, "pass"),
        r("AWS-RDS-010", "aws_db_instance.db", &b, "fail"),
        // A's data bucket logs to A's `app-logs`, which is exempt as a log target; B's
        // buckets of the same names log nowhere and receive nothing.
        r("AWS-S3-003", "aws_s3_bucket.data", &a, "pass"),
        r("AWS-S3-003", "aws_s3_bucket.data", &b, "fail"),
        r("AWS-S3-003", "aws_s3_bucket.logs", &b, "fail"),
    ];
    want.sort();
    assert_eq!(results(), want);
}
