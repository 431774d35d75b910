//! Live AWS scans of Lambda against moto's server (see tests/aws_live.rs for the
//! harness): each statement of a function's resource policy is a permission judged by
//! AWS-LMB-001 as an `aws_lambda_permission` is from Terraform.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const ARGS: [&str; 6] = [
    "--region",
    "us-east-1",
    "--region",
    "eu-west-1",
    "--select",
    "AWS-LMB-001",
];

#[test]
fn function_policies_exact_findings() {
    let moto = Moto::start();
    moto.seed("functions", 0);
    let (r, stderr) = scan(&moto.endpoint(), &ARGS);
    let a = ACCOUNT;
    let statement = |region: &str, function: &str, sid: &str| {
        (
            "AWS-LMB-001".to_string(),
            format!("arn:aws:lambda:{region}:{a}:function:{function}/policy/{sid}"),
        )
    };
    // eu-west-1: anyone may invoke `open`, and its URL needs no authentication.
    assert_same(
        pairs(&r, "findings"),
        BTreeSet::from([
            statement("eu-west-1", "open", "anyone"),
            statement("eu-west-1", "open", "url"),
        ]),
    );
    // us-east-1: one bucket of the account (source ARN and account), and one account.
    assert_same(
        pairs(&r, "passed"),
        BTreeSet::from([
            statement("us-east-1", "thumbnail", "from-uploads"),
            statement("us-east-1", "thumbnail", "partner"),
        ]),
    );
    assert!(
        pairs(&r, "not_evaluated").is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );
}

/// Lambda denied: the rule is not evaluated in each region, with the refused call.
#[test]
fn denied_lambda_is_not_evaluated() {
    let moto = Moto::start();
    moto.seed("functions", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let out = soc2scan_aws(&moto.endpoint())
        .args(["scan", "--aws", "--format", "json"])
        .args(ARGS)
        .env("AWS_ENDPOINT_URL_LAMBDA", &deny)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(pairs(&r, "passed").is_empty(), "{:#}", r["passed"]);
    let whole = coverage_records(&r);
    assert_same(
        whole.keys().cloned().collect(),
        set(&[
            ("AWS-LMB-001", format!("aws:{ACCOUNT}/us-east-1")),
            ("AWS-LMB-001", format!("aws:{ACCOUNT}/eu-west-1")),
        ]),
    );
    for reason in whole.values() {
        assert!(
            reason.contains("denied: lambda:ListFunctions ("),
            "{reason}"
        );
    }
}
