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
const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];

fn args(rules: &[&'static str]) -> Vec<&'static str> {
    let mut v = vec!["--region", "us-east-1", "--region", "eu-west-1"];
    v.extend(rules.iter().flat_map(|r| ["--select", *r]));
    v
}

#[test]
fn neptune_clusters_exact_findings() {
    let moto = Moto::start();
    moto.seed("graph", 0);
    let (r, stderr) = scan(&moto.endpoint(), &args(&RULES));
    let a = ACCOUNT;
    let p = |rule: &str, res: &str| (rule.to_string(), res.to_string());
    let graph = format!("arn:aws:rds:us-east-1:{a}:cluster:graph");
    let legacy = format!("arn:aws:rds:eu-west-1:{a}:cluster:graph-legacy");
    // eu-west-1: unencrypted, exporting nothing.
    assert_same(
        pairs(&r, "findings"),
        [p("AWS-NEP-001", &legacy), p("AWS-NEP-002", &legacy)]
            .into_iter()
            .collect(),
    );
    assert_same(
        pairs(&r, "passed"),
        [p("AWS-NEP-001", &graph), p("AWS-NEP-002", &graph)]
            .into_iter()
            .collect(),
    );
    assert!(
        pairs(&r, "not_evaluated").is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );
    for rule in ["AWS-DOC-001", "AWS-DOC-002"] {
        assert_eq!(counts(&r, rule), (0, 0, 0), "{rule}");
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
    let rows = r["coverage"].as_array().unwrap();
    for region in REGIONS {
        for collection in ["aws.docdb_clusters", "aws.neptune_clusters"] {
            assert!(
                rows.iter()
                    .any(|e| e["scope"] == format!("aws:{a}/{region}")
                        && e["collection"] == collection
                        && e["status"] == "read"),
                "{collection} in {region}: {rows:#?}"
            );
        }
    }
}

/// The RDS API lists the Neptune clusters too: the RDS rules judge the Aurora cluster
/// only, never a Neptune cluster as an RDS database.
#[test]
fn rds_rules_leave_neptune_clusters_alone() {
    let moto = Moto::start();
    moto.seed("graph", 0);
    let (r, stderr) = scan(&moto.endpoint(), &args(&["AWS-RDS-001"]));
    let app = format!("arn:aws:rds:us-east-1:{ACCOUNT}:cluster:app");
    assert_same(
        pairs(&r, "passed"),
        [("AWS-RDS-001".to_string(), app)].into_iter().collect(),
    );
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(
        pairs(&r, "not_evaluated").is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );
}

/// RDS denied (its endpoint answers AccessDenied; everything else reaches moto): the
/// DocumentDB and Neptune rules are not evaluated in each scanned region, with the
/// refused call, and nothing passes.
#[test]
fn denied_rds_leaves_docdb_and_neptune_not_evaluated() {
    let moto = Moto::start();
    moto.seed("graph", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let mut cmd_args = vec!["scan", "--aws", "--format", "json"];
    cmd_args.extend(args(&RULES));
    let out = soc2scan_aws(&moto.endpoint())
        .args(cmd_args)
        .env("AWS_ENDPOINT_URL_RDS", &deny)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(pairs(&r, "passed").is_empty(), "{:#}", r["passed"]);
    let whole = coverage_records(&r);
    let mut want = Vec::new();
    for region in REGIONS {
        for rule in RULES {
            want.push((rule, format!("aws:{ACCOUNT}/{region}")));
        }
    }
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        assert!(
            reason.contains("denied: rds:DescribeDBClusters ("),
            "{rule}: {reason}"
        );
    }
}
