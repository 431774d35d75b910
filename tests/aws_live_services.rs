//! Live AWS scans of CloudWatch Logs, GuardDuty, AWS Config, AWS Backup and KMS key
//! policies against moto's server (see tests/aws_live.rs for the harness): the exact
//! findings, not-evaluated records and passes of the rules these services feed.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 9] = [
    "AWS-CWL-001",
    "AWS-CWL-020",
    "AWS-GD-001",
    "AWS-CFG-001",
    "AWS-CFG-002",
    "AWS-BAK-001",
    "AWS-BAK-002",
    "AWS-BAK-003",
    "AWS-BAK-004",
];

fn select() -> Vec<&'static str> {
    RULES.iter().flat_map(|r| ["--select", r]).collect()
}

fn message(r: &serde_json::Value, rule: &str, resource: &str) -> String {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == rule && f["resource"] == resource)
        .unwrap_or_else(|| panic!("{rule} {resource}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

/// KMS key policies are read (`GetKeyPolicy`) and judged by the one notion of a
/// public policy: the eu-west-1 key granting everyone fails AWS-KMS-020; the us-east-1
/// keys — moto's default policy (the owner account) and one granting every account
/// of an organization — pass. moto 5.1 does not implement `GetBackupVaultAccessPolicy`:
/// AWS-BAK-020 is not evaluated for both vaults, never passed, naming the failed call.
#[test]
fn kms_key_policies_public_and_private() {
    let moto = Moto::start();
    moto.seed("services", 0);
    let (r, stderr) = scan(
        &moto.endpoint(),
        &[
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--select",
            "AWS-KMS-020",
            "--select",
            "AWS-BAK-020",
        ],
    );
    let a = ACCOUNT;
    let eu_key = arn_of(
        &r,
        "AWS-KMS-020",
        &format!("arn:aws:kms:eu-west-1:{a}:key/"),
    );
    assert_same(
        pairs(&r, "findings"),
        set(&[("AWS-KMS-020", eu_key.clone())]),
    );
    assert_eq!(counts(&r, "AWS-KMS-020"), (1, 2, 0), "{stderr}");
    let m = message(&r, "AWS-KMS-020", &eu_key);
    assert!(
        m.contains("kms:Decrypt, kms:DescribeKey") && m.contains("statement \"Everyone\""),
        "{m}"
    );
    assert_same(
        pairs(&r, "not_evaluated"),
        set(&[
            (
                "AWS-BAK-020",
                format!("arn:aws:backup:us-east-1:{a}:backup-vault:vault-cmk"),
            ),
            (
                "AWS-BAK-020",
                format!("arn:aws:backup:eu-west-1:{a}:backup-vault:vault-default"),
            ),
        ]),
    );
    for ne in r["not_evaluated"].as_array().unwrap() {
        if ne["rule_id"] == "AWS-BAK-020" {
            let reason = ne["reason"].as_str().unwrap_or_default();
            assert!(
                reason.starts_with("backup:GetBackupVaultAccessPolicy in ")
                    && reason.contains(" failed: "),
                "{reason}"
            );
        }
    }
}

#[test]
fn services_two_regions_exact_findings() {
    let moto = Moto::start();
    moto.seed("services", 0);
    let mut args = vec!["--region", "us-east-1", "--region", "eu-west-1"];
    args.extend(select());
    let (r, stderr) = scan(&moto.endpoint(), &args);
    let a = ACCOUNT;
    let eu_detector = arn_of(
        &r,
        "AWS-GD-001",
        &format!("arn:aws:guardduty:eu-west-1:{a}:detector/"),
    );
    let eu_plan = arn_of(
        &r,
        "AWS-BAK-002",
        &format!("arn:aws:backup:eu-west-1:{a}:backup-plan:"),
    );
    let us_plan = arn_of(
        &r,
        "AWS-BAK-003",
        &format!("arn:aws:backup:us-east-1:{a}:backup-plan:"),
    );
    let eu_logs = format!("arn:aws:logs:eu-west-1:{a}:log-group:/soc2/debug");
    // moto returns no recorder ARN: the adapter names the recorder by its name.
    let eu_recorder = format!("arn:aws:config:eu-west-1:{a}:configuration-recorder/default");
    let eu_vault = format!("arn:aws:backup:eu-west-1:{a}:backup-vault:vault-default");
    assert_same(
        pairs(&r, "findings"),
        set(&[
            // Kept 7 days, under the service key.
            ("AWS-CWL-020", eu_logs.clone()),
            ("AWS-CWL-001", eu_logs.clone()),
            // The suspended detector.
            ("AWS-GD-001", eu_detector.clone()),
            // S3 buckets only, no global types (two results), never started.
            ("AWS-CFG-001", eu_recorder.clone()),
            ("AWS-CFG-002", eu_recorder.clone()),
            // No key given: the default key; no lock.
            ("AWS-BAK-001", eu_vault.clone()),
            ("AWS-BAK-004", eu_vault.clone()),
            // The rule deleting recovery points after one day.
            ("AWS-BAK-002", eu_plan.clone()),
        ]),
    );
    assert_eq!(
        r["findings"].as_array().unwrap().len(),
        9,
        "{:#}",
        r["findings"]
    );
    // moto 5.1 does not implement ListBackupSelections (it answers 500): whether a plan
    // has a selection is unknown, so AWS-BAK-003 is not evaluated for both plans, with
    // the failed call as the reason — never a pass.
    assert_same(
        pairs(&r, "not_evaluated"),
        set(&[("AWS-BAK-003", us_plan), ("AWS-BAK-003", eu_plan.clone())]),
    );
    for ne in r["not_evaluated"].as_array().unwrap() {
        let reason = ne["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("backup:ListBackupSelections in "),
            "{reason}"
        );
    }
    // (failed, passed, not evaluated) per rule: the us-east-1 resources pass.
    let want = [
        ("AWS-CWL-001", (1, 1, 0)),
        ("AWS-CWL-020", (1, 1, 0)),
        ("AWS-GD-001", (1, 1, 0)),
        // Two settings of the us-east-1 recorder pass, both of eu-west-1 fail.
        ("AWS-CFG-001", (2, 2, 0)),
        ("AWS-CFG-002", (1, 1, 0)),
        ("AWS-BAK-001", (1, 1, 0)),
        // Two rules of the us-east-1 plan (35 days, no lifecycle) pass.
        ("AWS-BAK-002", (1, 2, 0)),
        ("AWS-BAK-003", (0, 0, 2)),
        ("AWS-BAK-004", (1, 1, 0)),
    ];
    for (rule, c) in want {
        assert_eq!(counts(&r, rule), c, "{rule}");
    }
    assert!(
        message(&r, "AWS-CWL-020", &eu_logs).contains("kept 7 days"),
        "{r:#}"
    );
    assert!(message(&r, "AWS-GD-001", &eu_detector).contains("is disabled"));
    assert!(message(&r, "AWS-BAK-002", &eu_plan).contains("after 1 day(s)"));
    // Every listing succeeded: no diagnostic about these services.
    let diags: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for svc in ["CloudWatch Logs", "GuardDuty", "AWS Config", "AWS Backup"] {
        assert!(diags.iter().all(|m| !m.contains(svc)), "{diags:?}");
    }
    assert!(stderr.contains("1 account(s) scanned"), "{stderr}");
}

/// A region with neither a GuardDuty detector nor an AWS Config recorder: GuardDuty and
/// recording are off there, which fails AWS-GD-001 and AWS-CFG-002; AWS-CFG-001 has no
/// recorder settings to check and gives no result.
#[test]
fn region_without_detector_or_recorder_fails() {
    let moto = Moto::start();
    moto.seed("services", 0);
    let mut args = vec!["--region", "ap-southeast-2"];
    args.extend(select());
    let (r, _) = scan(&moto.endpoint(), &args);
    let a = ACCOUNT;
    let detector = format!("arn:aws:guardduty:ap-southeast-2:{a}:detector/none");
    let recorder = format!("arn:aws:config:ap-southeast-2:{a}:configuration-recorder/none");
    assert_same(
        pairs(&r, "findings"),
        set(&[
            ("AWS-GD-001", detector.clone()),
            ("AWS-CFG-002", recorder.clone()),
        ]),
    );
    assert!(pairs(&r, "not_evaluated").is_empty(), "{r:#}");
    assert_eq!(counts(&r, "AWS-CFG-001"), (0, 0, 0));
    assert_eq!(counts(&r, "AWS-GD-001"), (1, 0, 0));
    assert!(
        message(&r, "AWS-GD-001", &detector).contains("no GuardDuty detector in this region"),
        "{r:#}"
    );
    assert!(message(&r, "AWS-CFG-002", &recorder).contains("no AWS Config recorder"));
    // Nothing else exists there: no log group, vault or plan to check.
    for rule in ["AWS-CWL-001", "AWS-CWL-020", "AWS-BAK-001", "AWS-BAK-002"] {
        assert_eq!(counts(&r, rule), (0, 0, 0), "{rule}");
    }
}

/// Every call to the four services denied (their per-service endpoints point to a server
/// that denies everything; STS and the other services reach moto): every check of theirs
/// is *not evaluated* in both regions, at a placeholder standing for the service's
/// resources there, with the failed list call as the reason, and a diagnostic says so.
#[test]
fn denied_services_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("services", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let mut args = vec![
        "scan",
        "--aws",
        "--format",
        "json",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
    ];
    args.extend(select());
    let out = soc2scan_aws(&moto.endpoint())
        .args(args)
        .env("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", &deny)
        .env("AWS_ENDPOINT_URL_GUARDDUTY", &deny)
        .env("AWS_ENDPOINT_URL_CONFIG_SERVICE", &deny)
        .env("AWS_ENDPOINT_URL_BACKUP", &deny)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Not-evaluated records alone do not fail the scan.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    let a = ACCOUNT;
    // Every service is denied in both regions: its rules are not evaluated in each
    // account and region as a whole (the model's coverage), with the call refused.
    let mut want = Vec::new();
    for region in ["us-east-1", "eu-west-1"] {
        let scope = format!("aws:{a}/{region}");
        for rule in RULES {
            want.push((rule, scope.clone()));
        }
    }
    assert_same(pairs(&r, "not_evaluated"), BTreeSet::new());
    let whole = coverage_records(&r);
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        let call = match rule.as_str() {
            "AWS-CWL-001" | "AWS-CWL-020" => "denied: logs:DescribeLogGroups (",
            "AWS-GD-001" => "denied: guardduty:ListDetectors (",
            "AWS-CFG-001" | "AWS-CFG-002" => "denied: config:DescribeConfigurationRecorders (",
            "AWS-BAK-001" | "AWS-BAK-004" => "denied: backup:ListBackupVaults (",
            _ => "denied: backup:ListBackupPlans (",
        };
        assert!(
            reason.contains(call) && reason.contains("AccessDeniedException"),
            "{rule}: {reason}"
        );
    }
    // One record per region for the recorders that could not be listed.
    assert_eq!(counts(&r, "AWS-CFG-001"), (0, 0, 2));
    let diags: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "live-api")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for what in [
        "CloudWatch Logs log groups not evaluated",
        "GuardDuty detectors not evaluated",
        "AWS Config recorders not evaluated",
        "AWS Backup vaults not evaluated",
        "AWS Backup plans not evaluated",
    ] {
        assert!(diags.iter().any(|m| m.contains(what)), "{what}: {diags:?}");
    }
}
