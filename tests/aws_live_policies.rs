//! Live AWS scans of SES identity policies and Glacier and Backup vault policies against
//! moto's server (see tests/aws_live.rs for the harness). moto 5.1 implements none of the calls that would
//! let the policy rules conclude — SES v2 `ListEmailIdentities` (not answered),
//! `GetVaultAccessPolicy`, `GetBackupVaultAccessPolicy` — so what is asserted here is
//! that each such rule is *not evaluated*, never passed, naming the call that failed;
//! the documents those calls return are judged by the one policy parser and check the
//! other live services exercise.
#![cfg(feature = "aws")]

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 3] = ["AWS-SES-020", "AWS-GLA-020", "AWS-BAK-020"];

fn args() -> Vec<&'static str> {
    let mut v = vec!["--region", "us-east-1", "--region", "eu-west-1"];
    v.extend(RULES.iter().flat_map(|r| ["--select", *r]));
    v
}

#[test]
fn unimplemented_apis_leave_rules_not_evaluated() {
    let moto = Moto::start();
    moto.seed("monitoring", 0);
    let (r, stderr) = scan(&moto.endpoint(), &args());
    let a = ACCOUNT;
    // Nothing passes and nothing fails on what could not be read.
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(pairs(&r, "passed").is_empty(), "{:#}", r["passed"]);

    // Each vault's policy could not be read.
    let p = |rule: &str, res: String| (rule.to_string(), res);
    let vault = |region: &str| format!("arn:aws:glacier:{region}:{a}:vaults/archive");
    let backup = |region: &str| format!("arn:aws:backup:{region}:{a}:backup-vault:archive");
    assert_same(
        pairs(&r, "not_evaluated"),
        [
            p("AWS-GLA-020", vault("us-east-1")),
            p("AWS-GLA-020", vault("eu-west-1")),
            p("AWS-BAK-020", backup("us-east-1")),
            p("AWS-BAK-020", backup("eu-west-1")),
        ]
        .into_iter()
        .collect(),
    );
    for f in r["not_evaluated"].as_array().unwrap() {
        if is_coverage_record(f) {
            continue;
        }
        let reason = f["reason"].as_str().unwrap_or_default();
        let call = match f["rule_id"].as_str().unwrap_or_default() {
            "AWS-GLA-020" => "glacier:GetVaultAccessPolicy in ",
            _ => "backup:GetBackupVaultAccessPolicy in ",
        };
        assert!(reason.contains(call), "{f:#}\n{stderr}");
    }
    // One record per region for the identities that could not be listed.
    let whole = coverage_records(&r);
    let want: Vec<(&str, String)> = ["us-east-1", "eu-west-1"]
        .iter()
        .map(|region| ("AWS-SES-020", format!("aws:{a}/{region}")))
        .collect();
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        assert!(
            reason.contains("failed: ses:ListEmailIdentities ("),
            "{rule}: {reason}"
        );
    }
}

/// SES and Glacier denied (their endpoints answer AccessDenied): their rules are not
/// evaluated in each region, with the refused call recorded as denied.
#[test]
fn denied_policy_services_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("monitoring", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let out = soc2scan_aws(&moto.endpoint())
        .args(["scan", "--aws", "--format", "json"])
        .args(["--region", "us-east-1", "--region", "eu-west-1"])
        .args(["--select", "AWS-SES-020", "--select", "AWS-GLA-020"])
        .env("AWS_ENDPOINT_URL_SESV2", &deny)
        .env("AWS_ENDPOINT_URL_GLACIER", &deny)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(pairs(&r, "passed").is_empty(), "{:#}", r["passed"]);
    assert!(
        pairs(&r, "not_evaluated").is_empty(),
        "{:#}",
        r["not_evaluated"]
    );
    let whole = coverage_records(&r);
    let mut want = Vec::new();
    for region in ["us-east-1", "eu-west-1"] {
        for rule in ["AWS-SES-020", "AWS-GLA-020"] {
            want.push((rule, format!("aws:{ACCOUNT}/{region}")));
        }
    }
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        let call = if rule == "AWS-SES-020" {
            "denied: ses:ListEmailIdentities ("
        } else {
            "denied: glacier:ListVaults ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
