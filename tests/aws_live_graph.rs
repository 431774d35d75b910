//! Live AWS scans of DocumentDB and Neptune against moto's server (see tests/aws_live.rs
//! for the harness): clusters read through the RDS API with an engine filter, judged by
//! the same rules and ids as from Terraform; RDS rules leave them alone; a denied RDS
//! API leaves them not evaluated. moto 5.1 cannot create DocumentDB clusters (it
//! refuses the engine `docdb`), so DocumentDB is read here with none: its rules have
//! nothing to judge and the collection is read; the reading of DocumentDB clusters
//! themselves is unit-tested in `crates/aws/src/aws_live/docdb.rs`.
#![cfg(feature = "aws")]

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 4] = ["AWS-DOC-001", "AWS-DOC-002", "AWS-NEP-001", "AWS-NEP-002"];

#[test]
fn neptune_clusters_exact_findings() {
    let s = scan_pairs("graph", 0, &select(&REGIONS, &RULES), &[]);
    let (r, stderr) = (&s.report, &s.stderr);
    let a = ACCOUNT;
    let p = |rule: &str, res: &str| (rule.to_string(), res.to_string());
    let graph = format!("arn:aws:rds:us-east-1:{a}:cluster:graph");
    let legacy = format!("arn:aws:rds:eu-west-1:{a}:cluster:graph-legacy");
    // eu-west-1: unencrypted, exporting nothing.
    assert_same(
        s.findings.clone(),
        [p("AWS-NEP-001", &legacy), p("AWS-NEP-002", &legacy)]
            .into_iter()
            .collect(),
    );
    assert_same(
        s.passed.clone(),
        [p("AWS-NEP-001", &graph), p("AWS-NEP-002", &graph)]
            .into_iter()
            .collect(),
    );
    assert!(
        s.not_evaluated.is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );
    for rule in ["AWS-DOC-001", "AWS-DOC-002"] {
        assert_eq!(counts(r, rule), (0, 0, 0), "{rule}");
    }
    let finding = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "AWS-NEP-002")
        .unwrap();
    assert_eq!(
        finding["message"],
        "the audit log is not published to CloudWatch Logs: connections and operations on the cluster are not recorded"
    );

    // Both collections were read in both regions.
    assert_read(
        r,
        a,
        &REGIONS,
        &["aws.docdb_clusters", "aws.neptune_clusters"],
    );
}

/// The RDS API lists the Neptune clusters too: the RDS rules judge the Aurora cluster
/// only, never a Neptune cluster as an RDS database.
#[test]
fn rds_rules_leave_neptune_clusters_alone() {
    let s = scan_pairs("graph", 0, &select(&REGIONS, &["AWS-RDS-001"]), &[]);
    let app = format!("arn:aws:rds:us-east-1:{ACCOUNT}:cluster:app");
    assert_same(
        s.passed,
        [("AWS-RDS-001".to_string(), app)].into_iter().collect(),
    );
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(
        s.not_evaluated.is_empty(),
        "{:#}\n{}",
        s.report["not_evaluated"],
        s.stderr
    );
}

/// RDS denied (its endpoint answers AccessDenied; everything else reaches moto): the
/// DocumentDB and Neptune rules are not evaluated in each scanned region, with the
/// refused call, and nothing passes.
#[test]
fn denied_rds_leaves_docdb_and_neptune_not_evaluated() {
    let s = scan_pairs("graph", 0, &select(&REGIONS, &RULES), &["RDS"]);
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    assert_same(s.coverage_pairs(), records(&RULES, &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
        assert!(
            reason.contains("denied: rds:DescribeDBClusters ("),
            "{rule}: {reason}"
        );
    }
}
