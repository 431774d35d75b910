//! Live AWS scans of EFS, Kinesis, EKS, ElastiCache and MSK against moto's server (see
//! tests/aws_live.rs for the harness): the exact findings and passes of the rules these
//! services feed, with the same rule ids as from Terraform, and each service denied.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 9] = [
    "AWS-EFS-001",
    "AWS-KIN-001",
    "AWS-EKS-001",
    "AWS-EKS-002",
    "AWS-EKS-003",
    "AWS-ELC-001",
    "AWS-ELC-002",
    "AWS-ELC-003",
    "AWS-MSK-001",
];

fn args() -> Vec<&'static str> {
    let mut v = vec!["--region", "us-east-1", "--region", "eu-west-1"];
    v.extend(RULES.iter().flat_map(|r| ["--select", *r]));
    v
}

#[test]
fn datastores_two_regions_exact_findings() {
    let moto = Moto::start();
    moto.seed("datastores", 0);
    let (r, stderr) = scan(&moto.endpoint(), &args());
    let a = ACCOUNT;
    let eu = "eu-west-1";
    let us = "us-east-1";
    // moto gives file systems random ids: the one result of each region.
    let fs = |region: &str| {
        let prefix = format!("arn:aws:elasticfilesystem:{region}:{a}:file-system/fs-");
        let all: Vec<String> = ["findings", "passed"]
            .iter()
            .flat_map(|k| pairs(&r, k))
            .filter(|(rule, arn)| rule == "AWS-EFS-001" && arn.starts_with(&prefix))
            .map(|(_, arn)| arn)
            .collect();
        assert_eq!(all.len(), 1, "{prefix}: {all:?}");
        all[0].clone()
    };
    let stream = |region: &str| format!("arn:aws:kinesis:{region}:{a}:stream/clicks");
    let eks = |region: &str, name: &str| format!("arn:aws:eks:{region}:{a}:cluster/{name}");
    let group = |region: &str, name: &str| {
        format!("arn:aws:elasticache:{region}:{a}:replicationgroup:{name}")
    };
    let p = |rule: &str, res: String| (rule.to_string(), res);
    assert_same(
        pairs(&r, "findings"),
        BTreeSet::from([
            p("AWS-EFS-001", fs(eu)),
            p("AWS-KIN-001", stream(eu)),
            // The cluster in eu-west-1 exports no control-plane log, has a public
            // endpoint open to the internet and no secrets key.
            p("AWS-EKS-001", eks(eu, "dev")),
            p("AWS-EKS-002", eks(eu, "dev")),
            p("AWS-EKS-003", eks(eu, "dev")),
            // The Redis group without encryption or backups, the Memcached cluster
            // without TLS.
            p("AWS-ELC-001", group(eu, "cache")),
            p("AWS-ELC-002", group(eu, "cache")),
            p("AWS-ELC-003", group(eu, "cache")),
            p(
                "AWS-ELC-002",
                format!("arn:aws:elasticache:{eu}:{a}:cluster:mc"),
            ),
        ]),
    );
    assert_same(
        pairs(&r, "passed"),
        BTreeSet::from([
            p("AWS-EFS-001", fs(us)),
            p("AWS-KIN-001", stream(us)),
            p("AWS-EKS-001", eks(us, "prod")),
            p("AWS-EKS-002", eks(us, "prod")),
            p("AWS-EKS-003", eks(us, "prod")),
            p("AWS-ELC-001", group(us, "sessions")),
            p("AWS-ELC-002", group(us, "sessions")),
            p("AWS-ELC-003", group(us, "sessions")),
        ]),
    );
    // moto answers ListClustersV2 with a creation time the AWS SDK cannot parse: MSK is
    // not evaluated in either region, with the failed call, never passed.
    let records = coverage_records(&r);
    assert_same(
        records.keys().cloned().collect(),
        set(&[
            ("AWS-MSK-001", format!("aws:{a}/{us}")),
            ("AWS-MSK-001", format!("aws:{a}/{eu}")),
        ]),
    );
    for reason in records.values() {
        assert!(
            reason.starts_with("aws.msk_clusters failed: kafka:ListClustersV2"),
            "{reason}\n{stderr}"
        );
    }
}

/// Each service denied (its endpoint answers AccessDenied; everything else reaches
/// moto): its rules are not evaluated in each scanned region, with the refused call.
#[test]
fn denied_datastore_services_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("datastores", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let mut cmd_args = vec!["scan", "--aws", "--format", "json"];
    cmd_args.extend(args());
    let out = soc2scan_aws(&moto.endpoint())
        .args(cmd_args)
        .env("AWS_ENDPOINT_URL_EFS", &deny)
        .env("AWS_ENDPOINT_URL_KINESIS", &deny)
        .env("AWS_ENDPOINT_URL_EKS", &deny)
        .env("AWS_ENDPOINT_URL_ELASTICACHE", &deny)
        .env("AWS_ENDPOINT_URL_KAFKA", &deny)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(pairs(&r, "passed").is_empty(), "{:#}", r["passed"]);
    let whole = coverage_records(&r);
    let mut want = Vec::new();
    for region in ["us-east-1", "eu-west-1"] {
        for rule in RULES {
            want.push((rule, format!("aws:{ACCOUNT}/{region}")));
        }
    }
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        let call = match &rule[..7] {
            "AWS-EFS" => "denied: elasticfilesystem:DescribeFileSystems (",
            "AWS-KIN" => "denied: kinesis:ListStreams (",
            "AWS-EKS" => "denied: eks:ListClusters (",
            "AWS-ELC" => "denied: elasticache:Describe",
            _ => "denied: kafka:ListClustersV2 (",
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
