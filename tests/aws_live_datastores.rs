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

#[test]
fn datastores_two_regions_exact_findings() {
    let s = scan_pairs("datastores", 0, &select(&REGIONS, &RULES), &[]);
    let (r, stderr) = (&s.report, &s.stderr);
    let a = ACCOUNT;
    let eu = "eu-west-1";
    let us = "us-east-1";
    // moto gives file systems random ids: the one result of each region.
    let fs = |region: &str| {
        let prefix = format!("arn:aws:elasticfilesystem:{region}:{a}:file-system/fs-");
        let all: Vec<String> = ["findings", "passed"]
            .iter()
            .flat_map(|k| pairs(r, k))
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
        s.findings.clone(),
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
        s.passed.clone(),
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
    assert_same(s.coverage_pairs(), records(&["AWS-MSK-001"], &[us, eu], a));
    for reason in s.coverage.values() {
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
    let s = scan_pairs(
        "datastores",
        0,
        &select(&REGIONS, &RULES),
        &["EFS", "KINESIS", "EKS", "ELASTICACHE", "KAFKA"],
    );
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    assert_same(s.coverage_pairs(), records(&RULES, &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
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
