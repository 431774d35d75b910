//! Custom Rego policies and AWS-TAG-001 on a live AWS scan against moto's server (see
//! tests/aws_live.rs for the harness): the data stores of the `tags` scenario
//! (scripts/moto_seed.py), with their tags from `GetBucketTagging` and the Resource Groups
//! Tagging API, judged by examples/policies (approved regions, required tags) and by the
//! built-in data-classification rule; and the tagging API denied.
//!
//! The scenario holds only kinds whose tags moto 5.1's `GetResources` returns (RDS,
//! DynamoDB, EBS; S3 through its own API). moto ignores Kinesis streams, Redshift
//! clusters and OpenSearch domains, and matches Backup vaults and ElastiCache replication
//! groups only under type filters AWS does not use (`backup`, `elasticache:replication-group`):
//! against moto such stores always come back untagged, so no test here seeds them.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 3] = ["CUSTOM-REGION-001", "CUSTOM-TAGS-001", "AWS-TAG-001"];

fn args() -> Vec<String> {
    let policies = root().join("examples/policies");
    let mut v: Vec<String> = [
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--policies",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(policies.to_string_lossy().into_owned());
    for r in RULES {
        v.push("--select".into());
        v.push(r.into());
    }
    v
}

fn run(moto: &Moto, env: &[(&str, &str)]) -> (serde_json::Value, String) {
    let out = soc2scan_aws(&moto.endpoint())
        .args(["scan", "--aws", "--format", "json"])
        .args(args())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed ({:?}): {stderr}",
        out.status
    );
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    (json, stderr)
}

/// The ARNs of the scenario's data stores; the volume's id is moto's.
struct Stores {
    orders: String,
    eu_bucket: String,
    volume: String,
    ledger: String,
    sessions: String,
    us_bucket: String,
}

fn stores(r: &serde_json::Value) -> Stores {
    let a = ACCOUNT;
    Stores {
        orders: format!("arn:aws:dynamodb:eu-west-1:{a}:table/orders"),
        eu_bucket: "arn:aws:s3:::eu-records".into(),
        volume: arn_of(
            r,
            "AWS-TAG-001",
            &format!("arn:aws:ec2:eu-west-1:{a}:volume/vol-"),
        ),
        ledger: format!("arn:aws:rds:us-east-1:{a}:db:ledger"),
        sessions: format!("arn:aws:dynamodb:us-east-1:{a}:table/sessions"),
        us_bucket: "arn:aws:s3:::us-scratch".into(),
    }
}

fn p(rule: &str, res: &str) -> (String, String) {
    (rule.to_string(), res.to_string())
}

#[test]
fn custom_policies_and_classification_tags_on_live_data_stores() {
    let moto = Moto::start();
    moto.seed("tags", 0);
    let (r, stderr) = run(&moto, &[]);
    let s = stores(&r);
    assert_same(
        pairs(&r, "findings"),
        BTreeSet::from([
            // Outside the approved regions (us-east-1), tagged or not.
            p("CUSTOM-REGION-001", &s.ledger),
            p("CUSTOM-REGION-001", &s.sessions),
            p("CUSTOM-REGION-001", &s.us_bucket),
            // Missing owner and/or data-classification.
            p("CUSTOM-TAGS-001", &s.volume),
            p("CUSTOM-TAGS-001", &s.sessions),
            p("CUSTOM-TAGS-001", &s.us_bucket),
            // Missing DataClassification.
            p("AWS-TAG-001", &s.volume),
            p("AWS-TAG-001", &s.sessions),
            p("AWS-TAG-001", &s.us_bucket),
        ]),
    );
    assert_same(
        pairs(&r, "passed"),
        BTreeSet::from([
            p("CUSTOM-REGION-001", &s.orders),
            p("CUSTOM-REGION-001", &s.eu_bucket),
            p("CUSTOM-REGION-001", &s.volume),
            p("CUSTOM-TAGS-001", &s.orders),
            p("CUSTOM-TAGS-001", &s.eu_bucket),
            p("CUSTOM-TAGS-001", &s.ledger),
            p("AWS-TAG-001", &s.orders),
            p("AWS-TAG-001", &s.eu_bucket),
            p("AWS-TAG-001", &s.ledger),
        ]),
    );
    assert!(
        r["not_evaluated"].as_array().unwrap().is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );
    let messages: BTreeSet<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"] == s.sessions.as_str())
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        messages,
        BTreeSet::from([
            format!("{} is in us-east-1, not an approved region", s.sessions),
            format!("{} lacks the tag(s) data-classification", s.sessions),
            "the data store lacks the required tag(s): DataClassification".to_string(),
        ])
    );
}

/// The tagging API denied: the tags of every store other than a bucket (whose own tags
/// were read) are unknown with the refused call, never "no tags"; the coverage of
/// `aws.data_stores` says so in both regions, so no rule reading the data stores passes
/// there on what was not read.
#[test]
fn tagging_denied_leaves_tags_unknown() {
    let moto = Moto::start();
    moto.seed("tags", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let (r, stderr) = run(
        &moto,
        &[("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", &deny)],
    );
    let s = stores(&r);
    let whole = coverage_records(&r);
    assert_same(
        whole.keys().cloned().collect(),
        records(&RULES, &REGIONS, ACCOUNT),
    );
    for ((rule, scope), reason) in &whole {
        let region = scope.rsplit('/').next().unwrap();
        assert!(
            reason.starts_with(&format!(
                "aws.data_stores denied: tag:GetResources (tag:GetResources in {region} failed: AccessDenied"
            )),
            "{rule} {scope}: {reason}\n{stderr}"
        );
    }
    // Per store: the tag rules are not evaluated on the stores whose tags come from the
    // tagging API, and judged on the buckets.
    let per_store: BTreeSet<(String, String)> = pairs(&r, "not_evaluated");
    let mut want = BTreeSet::new();
    for rule in ["CUSTOM-TAGS-001", "AWS-TAG-001"] {
        for store in [&s.orders, &s.volume, &s.ledger, &s.sessions] {
            want.insert(p(rule, store));
        }
    }
    assert_same(per_store, want);
    for f in r["not_evaluated"].as_array().unwrap() {
        if is_coverage_record(f) {
            continue;
        }
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.contains("tag:GetResources in ") && reason.contains("AccessDenied"),
            "{reason}"
        );
    }
    assert_same(
        pairs(&r, "findings"),
        BTreeSet::from([
            p("CUSTOM-REGION-001", &s.ledger),
            p("CUSTOM-REGION-001", &s.sessions),
            p("CUSTOM-REGION-001", &s.us_bucket),
            p("CUSTOM-TAGS-001", &s.us_bucket),
            p("AWS-TAG-001", &s.us_bucket),
        ]),
    );
    let warned = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["message"].as_str().is_some_and(|m| {
                m.starts_with("tags of the data stores and other resources not evaluated: tag:GetResources in ")
            })
        })
        .count();
    assert_eq!(warned, 2, "{:#}\n{stderr}", r["diagnostics"]);
}
