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

#[test]
fn unimplemented_apis_leave_rules_not_evaluated() {
    let s = scan_pairs("monitoring", 0, &select(&REGIONS, &RULES), &[]);
    let (r, stderr) = (&s.report, &s.stderr);
    let a = ACCOUNT;
    // Nothing passes and nothing fails on what could not be read.
    assert!(s.findings.is_empty(), "{:#}", r["findings"]);
    assert!(s.passed.is_empty(), "{:#}", r["passed"]);

    // Each vault's policy could not be read.
    let p = |rule: &str, res: String| (rule.to_string(), res);
    let vault = |region: &str| format!("arn:aws:glacier:{region}:{a}:vaults/archive");
    let backup = |region: &str| format!("arn:aws:backup:{region}:{a}:backup-vault:archive");
    assert_same(
        s.not_evaluated.clone(),
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
    assert_same(s.coverage_pairs(), records(&["AWS-SES-020"], &REGIONS, a));
    for ((rule, _), reason) in &s.coverage {
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
    let denied = ["AWS-SES-020", "AWS-GLA-020"];
    let s = scan_pairs(
        "monitoring",
        0,
        &select(&REGIONS, &denied),
        &["SESV2", "GLACIER"],
    );
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    assert!(
        s.not_evaluated.is_empty(),
        "{:#}",
        s.report["not_evaluated"]
    );
    assert_same(s.coverage_pairs(), records(&denied, &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
        let call = if rule == "AWS-SES-020" {
            "denied: ses:ListEmailIdentities ("
        } else {
            "denied: glacier:ListVaults ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
