//! Live AWS scans of CloudWatch metric filters and alarms, ECS services and task
//! definitions, and EMR clusters and security configurations against moto's server (see
//! tests/aws_live.rs for the harness): the same rules and ids as from Terraform, each
//! with a violating and a compliant resource; a denied service is not evaluated; EMR's
//! `ListClusters` is read over two pages. Where moto 5.1 falls short the rules are
//! asserted *not evaluated*: it does not implement EMR's `ListSecurityConfigurations`
//! (AWS-EMR-001, AWS-EMR-002). It cannot create composite alarms either
//! (`PutCompositeAlarm`), so their reading is unit-tested in
//! `crates/aws/src/aws_live/cloudwatch.rs`.
#![cfg(feature = "aws")]

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const CLOUDWATCH: [&str; 3] = ["AWS-CW-001", "AWS-CW-002", "AWS-CW-003"];
const ECS: [&str; 2] = ["AWS-ECS-001", "AWS-ECS-002"];
const EMR: [&str; 3] = ["AWS-EMR-001", "AWS-EMR-002", "AWS-EMR-003"];

/// EMR clusters seeded beyond the first in us-east-1: moto pages `ListClusters` by 50,
/// so 61 take two pages.
const MORE_CLUSTERS: usize = 60;

/// The environment value seeded in a task definition: it must appear nowhere.
const SECRET_VALUE: &str = "hunter2-not-a-real-password";

fn rules() -> Vec<&'static str> {
    CLOUDWATCH.iter().chain(&ECS).chain(&EMR).copied().collect()
}

#[test]
fn monitoring_and_compute_exact_findings() {
    let s = scan_pairs(
        "operations",
        MORE_CLUSTERS,
        &select(&REGIONS, &rules()),
        &[],
    );
    let stderr = &s.stderr;
    assert_eq!(s.code, Some(1), "{stderr}");
    // The value of an environment variable is never kept nor printed.
    assert!(!s.stdout.contains(SECRET_VALUE) && !stderr.contains(SECRET_VALUE));
    let r = &s.report;
    let a = ACCOUNT;
    let p = |rule: &str, res: String| (rule.to_string(), res);
    let filter = |region: &str, name: &str| {
        format!("arn:aws:logs:{region}:{a}:log-group:cloudtrail:metric-filter:{name}")
    };
    let alarm = |region: &str, name: &str| format!("arn:aws:cloudwatch:{region}:{a}:alarm:{name}");
    let service =
        |region: &str, name: &str| format!("arn:aws:ecs:{region}:{a}:service/prod/{name}");
    let task =
        |region: &str, family: &str| format!("arn:aws:ecs:{region}:{a}:task-definition/{family}:1");
    let trail = format!("arn:aws:cloudtrail:us-east-1:{a}:trail/main");

    // EMR clusters have generated ids: all 61 in us-east-1 use the configuration (read
    // over two ListClusters pages), the one in eu-west-1 does not.
    let cluster = |region: &str| format!("arn:aws:elasticmapreduce:{region}:{a}:cluster/j-");
    let emr_good = resources_of(r, "passed", "AWS-EMR-003");
    assert_eq!(emr_good.len(), MORE_CLUSTERS + 1, "{emr_good:?}");
    assert!(
        emr_good
            .iter()
            .all(|c| c.starts_with(&cluster("us-east-1"))),
        "{emr_good:?}"
    );
    // moto 5.1 writes us-east-1 into the ARN of every EMR cluster, the one created
    // and read in eu-west-1 too (AWS names the cluster's own region).
    let emr_bad = one_of(r, "findings", "AWS-EMR-003");
    assert!(emr_bad.starts_with(&cluster("us-east-1")), "{emr_bad}");

    let findings = [
        p("AWS-CW-001", filter("eu-west-1", "console-failures")),
        p("AWS-CW-002", alarm("eu-west-1", "quiet")),
        p("AWS-CW-002", alarm("eu-west-1", "muted")),
        p("AWS-CW-003", trail.clone()),
        p("AWS-ECS-001", service("eu-west-1", "public")),
        p("AWS-ECS-002", task("eu-west-1", "worker")),
        p("AWS-EMR-003", emr_bad),
    ];
    assert_same(s.findings.clone(), findings.into_iter().collect());

    let mut passed: Vec<(String, String)> = vec![
        p("AWS-CW-001", filter("us-east-1", "root-usage")),
        p("AWS-CW-001", filter("us-east-1", "console-failures")),
        p("AWS-CW-002", alarm("us-east-1", "root-usage")),
        p("AWS-CW-002", alarm("us-east-1", "console-failures")),
        p("AWS-CW-003", trail.clone()),
        p("AWS-ECS-001", service("us-east-1", "private")),
        p("AWS-ECS-001", service("eu-west-1", "bridge")),
        p("AWS-ECS-002", task("us-east-1", "web")),
    ];
    passed.extend(emr_good.into_iter().map(|c| p("AWS-EMR-003", c)));
    assert_same(s.passed.clone(), passed.into_iter().collect());

    // The trail's log group has a filter with an alarm for root use only: the eight
    // other classes of security events fail. The application-log filter is not a
    // security filter (no result).
    assert_eq!(counts(r, "AWS-CW-003"), (8, 1, 0));
    assert_eq!(counts(r, "AWS-CW-001"), (1, 2, 0));
    // Names only, never values, in the finding; the empty variable is not a secret.
    let env = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "AWS-ECS-002")
        .unwrap();
    let msg = env["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("app/DB_PASSWORD") && !msg.contains("API_TOKEN"),
        "{env:#}"
    );

    // moto 5.1 does not implement ListSecurityConfigurations: AWS-EMR-001 and -002 are
    // not evaluated in each region, naming the failed call, and nothing else is.
    assert!(s.not_evaluated.is_empty(), "{:#}", r["not_evaluated"]);
    assert_same(
        s.coverage_pairs(),
        records(&["AWS-EMR-001", "AWS-EMR-002"], &REGIONS, a),
    );
    for ((rule, _), reason) in &s.coverage {
        assert!(
            reason.contains(
                "aws.emr_security_configurations failed: elasticmapreduce:ListSecurityConfigurations ("
            ),
            "{rule}: {reason}\n{stderr}"
        );
    }
}

/// The one resource of `rule` under `key`.
fn one_of(r: &serde_json::Value, key: &str, rule: &str) -> String {
    let all = resources_of(r, key, rule);
    assert_eq!(all.len(), 1, "{rule} {key}: {all:?}");
    all.into_iter().next().unwrap()
}

/// CloudWatch, CloudWatch Logs, ECS and EMR denied (their endpoints answer
/// AccessDenied): every rule is not evaluated in each region, with the refused list
/// call; the trail is not judged against filters and alarms that could not be read.
#[test]
fn denied_monitoring_and_compute_are_not_evaluated() {
    let s = scan_pairs(
        "operations",
        0,
        &select(&REGIONS, &rules()),
        &["CLOUDWATCH", "CLOUDWATCH_LOGS", "ECS", "EMR"],
    );
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    assert_same(
        s.not_evaluated.clone(),
        [(
            "AWS-CW-003".to_string(),
            format!("arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/main"),
        )]
        .into_iter()
        .collect(),
    );
    assert_same(s.coverage_pairs(), records(&rules(), &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
        let calls: &[&str] = match rule.as_str() {
            "AWS-CW-001" | "AWS-CW-003" => &[
                "denied: logs:DescribeMetricFilters (",
                "denied: cloudwatch:DescribeAlarms (",
            ],
            "AWS-CW-002" => &["denied: cloudwatch:DescribeAlarms ("],
            "AWS-ECS-001" => &["denied: ecs:ListClusters ("],
            "AWS-ECS-002" => &["denied: ecs:ListTaskDefinitions ("],
            "AWS-EMR-003" => &["denied: elasticmapreduce:ListClusters ("],
            _ => &["denied: elasticmapreduce:ListSecurityConfigurations ("],
        };
        assert!(calls.iter().any(|c| reason.contains(c)), "{rule}: {reason}");
    }
}
