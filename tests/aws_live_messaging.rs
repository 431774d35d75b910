//! Live AWS scans of SQS and SNS against moto's server (see tests/aws_live.rs for the
//! harness): encryption at rest and public access policies of queues and topics, read
//! with the same rules and ids as from Terraform; a denied service is not evaluated;
//! queue listings are read to the end over several pages.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 4] = ["AWS-SQS-001", "AWS-SQS-020", "AWS-SNS-001", "AWS-SNS-020"];

fn args() -> Vec<&'static str> {
    let mut v = vec!["--region", "us-east-1", "--region", "eu-west-1"];
    v.extend(RULES.iter().flat_map(|r| ["--select", *r]));
    v
}

#[test]
fn queues_and_topics_exact_findings() {
    let moto = Moto::start();
    moto.seed("messaging", 0);
    let (r, stderr) = scan(&moto.endpoint(), &args());
    let a = ACCOUNT;
    let queue = |region: &str, name: &str| format!("arn:aws:sqs:{region}:{a}:{name}");
    let topic = |region: &str, name: &str| format!("arn:aws:sns:{region}:{a}:{name}");
    let p = |rule: &str, res: String| (rule.to_string(), res);
    assert_same(
        pairs(&r, "findings"),
        BTreeSet::from([
            // eu-west-1: the queue without SSE and open to everyone, the topic without
            // a key and open to everyone.
            p("AWS-SQS-001", queue("eu-west-1", "intake")),
            p("AWS-SQS-020", queue("eu-west-1", "intake")),
            p("AWS-SNS-001", topic("eu-west-1", "broadcast")),
            p("AWS-SNS-020", topic("eu-west-1", "broadcast")),
        ]),
    );
    assert_same(
        pairs(&r, "passed"),
        BTreeSet::from([
            // us-east-1: a KMS key and a policy narrowed to the account; SSE-SQS and no
            // policy; a topic under a KMS key whose default policy is the owner's.
            p("AWS-SQS-001", queue("us-east-1", "orders")),
            p("AWS-SQS-020", queue("us-east-1", "orders")),
            p("AWS-SQS-001", queue("us-east-1", "events")),
            p("AWS-SQS-020", queue("us-east-1", "events")),
            p("AWS-SNS-001", topic("us-east-1", "alerts")),
            p("AWS-SNS-020", topic("us-east-1", "alerts")),
        ]),
    );
    assert!(
        pairs(&r, "not_evaluated").is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );
    // Both services were read in both regions.
    let rows = r["coverage"].as_array().unwrap();
    for region in ["us-east-1", "eu-west-1"] {
        for collection in ["aws.sqs_queues", "aws.sns_topics"] {
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

/// More topics than one page of `ListTopics` (moto pages by 100): every one is read.
/// (moto returns at most 1,000 queues from `ListQueues` and no token, so queue paging
/// cannot be shown against it; the adapter follows `NextToken` as AWS returns it.)
#[test]
fn topic_listing_is_read_to_the_end() {
    let moto = Moto::start();
    moto.seed("messaging", 250);
    let (r, _) = scan(
        &moto.endpoint(),
        &["--region", "us-east-1", "--select", "AWS-SNS-001"],
    );
    // alerts and the 250 bulk topics, all under the KMS key.
    assert_eq!(counts(&r, "AWS-SNS-001"), (0, 251, 0));
}

/// Both services denied (their endpoints answer AccessDenied; everything else reaches
/// moto): their rules are not evaluated in each scanned region, with the refused call.
#[test]
fn denied_messaging_services_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("messaging", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let mut cmd_args = vec!["scan", "--aws", "--format", "json"];
    cmd_args.extend(args());
    let out = soc2scan_aws(&moto.endpoint())
        .args(cmd_args)
        .env("AWS_ENDPOINT_URL_SQS", &deny)
        .env("AWS_ENDPOINT_URL_SNS", &deny)
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
        let call = if rule.starts_with("AWS-SQS") {
            "denied: sqs:ListQueues ("
        } else {
            "denied: sns:ListTopics ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
