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

#[test]
fn queues_and_topics_exact_findings() {
    let s = scan_pairs("messaging", 0, &select(&REGIONS, &RULES), &[]);
    let a = ACCOUNT;
    let queue = |region: &str, name: &str| format!("arn:aws:sqs:{region}:{a}:{name}");
    let topic = |region: &str, name: &str| format!("arn:aws:sns:{region}:{a}:{name}");
    let p = |rule: &str, res: String| (rule.to_string(), res);
    assert_same(
        s.findings,
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
        s.passed,
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
        s.not_evaluated.is_empty(),
        "{:#}\n{}",
        s.report["not_evaluated"],
        s.stderr
    );
    // Both services were read in both regions.
    assert_read(
        &s.report,
        a,
        &REGIONS,
        &["aws.sqs_queues", "aws.sns_topics"],
    );
}

/// More topics than one page of `ListTopics` (moto pages by 100): every one is read.
/// (moto returns at most 1,000 queues from `ListQueues` and no token, so queue paging
/// cannot be shown against it; the adapter follows `NextToken` as AWS returns it.)
#[test]
fn topic_listing_is_read_to_the_end() {
    let s = scan_pairs(
        "messaging",
        250,
        &select(&["us-east-1"], &["AWS-SNS-001"]),
        &[],
    );
    // alerts and the 250 bulk topics, all under the KMS key.
    assert_eq!(counts(&s.report, "AWS-SNS-001"), (0, 251, 0));
}

/// Both services denied (their endpoints answer AccessDenied; everything else reaches
/// moto): their rules are not evaluated in each scanned region, with the refused call.
#[test]
fn denied_messaging_services_are_not_evaluated() {
    let s = scan_pairs("messaging", 0, &select(&REGIONS, &RULES), &["SQS", "SNS"]);
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    assert_same(s.coverage_pairs(), records(&RULES, &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
        let call = if rule.starts_with("AWS-SQS") {
            "denied: sqs:ListQueues ("
        } else {
            "denied: sns:ListTopics ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
