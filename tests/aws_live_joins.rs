//! Live AWS: links between resources are resolved within their account and region.
//! Three accounts reached through assumed roles in one run each have a group `admins`
//! with a user `alice`, administrator in the first and the third only; one account has a parameter group `pg`
//! and a database `db` in two regions, forcing TLS in only one. Each user and each
//! database must be judged by its own group, never by the namesake elsewhere.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const FIRST: &str = "111111111111";
const SECOND: &str = "222222222222";
const THIRD: &str = "333333333333";

#[test]
fn same_names_in_three_accounts_and_two_regions_stay_apart() {
    let moto = Moto::start();
    moto.seed("joins", 0);
    let dir = tempfile::tempdir().unwrap();
    let accounts = dir.path().join("accounts.txt");
    std::fs::write(
        &accounts,
        format!(
            "arn:aws:iam::{FIRST}:role/soc2scan-audit\narn:aws:iam::{SECOND}:role/soc2scan-audit\narn:aws:iam::{THIRD}:role/soc2scan-audit\n"
        ),
    )
    .unwrap();
    let out = soc2scan_aws(&moto.endpoint())
        .args([
            "scan",
            "--aws",
            "--quiet",
            "--no-config",
            "--format",
            "json",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--accounts-file",
            accounts.to_str().unwrap(),
            "--select",
            "AWS-IAM-007,AWS-RDS-010",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["inputs"],
        serde_json::json!([
            format!("aws:{FIRST}"),
            format!("aws:{SECOND}"),
            format!("aws:{THIRD}")
        ])
    );

    // alice is an administrator through the `admins` of the first and third accounts,
    // not through the second's.
    let alice = |a: &str| format!("arn:aws:iam::{a}:user/alice");
    assert_eq!(
        resources_of(&r, "findings", "AWS-IAM-007"),
        BTreeSet::from([alice(FIRST), alice(THIRD)])
    );
    assert!(
        resources_of(&r, "passed", "AWS-IAM-007").contains(&alice(SECOND)),
        "{:#}",
        r["passed"]
    );

    // `db` forces TLS through us-east-1's `pg`, not through eu-west-1's.
    let db = |region: &str| format!("arn:aws:rds:{region}:{FIRST}:db:db");
    assert_eq!(
        resources_of(&r, "findings", "AWS-RDS-010"),
        BTreeSet::from([db("eu-west-1")])
    );
    assert_eq!(
        resources_of(&r, "passed", "AWS-RDS-010"),
        BTreeSet::from([db("us-east-1")])
    );
    assert!(
        pairs(&r, "not_evaluated").is_empty(),
        "{:#}",
        r["not_evaluated"]
    );

    // Coverage is kept per account and region: each account's one user and its own
    // databases (two in the first account, none in the others).
    let rows = r["coverage"].as_array().unwrap();
    let count = |scope: String, collection: &str| -> Option<u64> {
        rows.iter()
            .find(|e| e["scope"] == scope.as_str() && e["collection"] == collection)
            .and_then(|e| e["count"].as_u64())
    };
    for account in [FIRST, SECOND, THIRD] {
        let users: u64 = ["us-east-1", "eu-west-1"]
            .iter()
            .filter_map(|region| count(format!("aws:{account}/{region}"), "aws.iam_users"))
            .sum();
        assert_eq!(users, 1, "{account}");
        for region in ["us-east-1", "eu-west-1"] {
            let want = u64::from(account == FIRST);
            assert_eq!(
                count(format!("aws:{account}/{region}"), "aws.db_instances"),
                Some(want),
                "{account} {region}"
            );
        }
    }
}
