//! A live AWS scan never passes what it did not read: moto 5.1 does not implement EMR's
//! `ListSecurityConfigurations`, so the rules over EMR security configurations
//! (AWS-EMR-001, AWS-EMR-002) are *not evaluated* in the scanned account and region (one
//! result, naming the collection and the failed call) — never passed — and neither are
//! the criteria those rules give evidence for. A collection the live scan does not read
//! at all is recorded the same way (`tests/aws_live.rs`). See tests/aws_live.rs for the
//! harness.
#![cfg(feature = "aws")]

use serde_json::Value;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const REGION: &str = "us-east-1";

/// An account with only a compliant S3 bucket.
fn seeded() -> Moto {
    let moto = Moto::start();
    moto.boto3(
        r#"
s3 = client("s3")
b = "soc2-coverage"
s3.create_bucket(Bucket=b)
s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
    "BlockPublicAcls": True, "IgnorePublicAcls": True,
    "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={
    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
s3.put_bucket_policy(Bucket=b, Policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
"#,
    );
    moto
}

fn scope() -> String {
    format!("aws:{ACCOUNT}/{REGION}")
}

/// Ids of the rules that ran whose id starts with `prefix`.
fn rules_with_prefix(r: &Value, prefix: &str) -> Vec<String> {
    r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["id"].as_str())
        .filter(|id| id.starts_with(prefix))
        .map(str::to_string)
        .collect()
}

/// The records of `key` (`not_evaluated`, `passed`, `findings`) of rules whose id
/// starts with `prefix`.
fn records<'a>(r: &'a Value, key: &str, prefix: &str) -> Vec<&'a Value> {
    r[key]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule_id"].as_str().unwrap().starts_with(prefix))
        .collect()
}

/// The entry of criterion `id` in the JSON `criteria[]` summary.
fn criterion<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no criterion {id}"))
}

/// The status cell of criterion `id` in the `--format controls` table.
fn control_status(md: &str, id: &str) -> String {
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {id} |")))
        .unwrap_or_else(|| panic!("no row {id}:\n{md}"));
    row.split('|').nth(3).unwrap().trim().to_string()
}

fn controls_report(endpoint: &str, args: &[&str]) -> String {
    let out = soc2scan_aws(endpoint)
        .args(["scan", "--aws", "--region", REGION, "--format", "controls"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed ({:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The EMR rules over security configurations, which moto cannot list.
const UNLISTED: [&str; 2] = ["AWS-EMR-001", "AWS-EMR-002"];

#[test]
fn unlisted_emr_configurations_are_not_evaluated_never_passed() {
    let moto = seeded();
    let (r, stderr) = scan(&moto.endpoint(), &["--region", REGION]);
    let emr = rules_with_prefix(&r, "AWS-EMR");
    assert!(
        UNLISTED.iter().all(|id| emr.iter().any(|x| x == id)),
        "the EMR rules ran: {emr:?}"
    );

    // Exactly one not-evaluated result per such rule, for the scanned scope, naming
    // the collection that could not be listed; no pass and no finding. The account has
    // no EMR cluster: AWS-EMR-003, read, has no result at all.
    assert_eq!(counts(&r, "AWS-EMR-003"), (0, 0, 0));
    for rule in UNLISTED {
        let ne: Vec<&Value> = records(&r, "not_evaluated", rule);
        assert_eq!(ne.len(), 1, "{rule}: {ne:#?}\n{stderr}");
        assert_eq!(ne[0]["resource"], scope().as_str(), "{rule}");
        let reason = ne[0]["reason"].as_str().unwrap();
        assert!(
            reason.contains(
                "aws.emr_security_configurations failed: elasticmapreduce:ListSecurityConfigurations ("
            ),
            "{rule}: {reason}"
        );
        assert_eq!(counts(&r, rule), (0, 0, 1), "{rule}");
    }
    assert!(records(&r, "passed", "AWS-EMR").is_empty());
    assert!(records(&r, "findings", "AWS-EMR").is_empty());

    // The criteria of AWS-EMR-001 cannot be passed: one of their rules was not evaluated.
    for id in ["CC6.1", "C1.1"] {
        let c = criterion(&r, id);
        assert_ne!(c["status"], "passed", "{id}: {c:#}");
        assert!(c["not_evaluated"].as_u64().unwrap() >= 1, "{id}: {c:#}");
        assert!(
            c["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == "AWS-EMR-001"),
            "{id}: {c:#}"
        );
    }

    let md = controls_report(&moto.endpoint(), &[]);
    assert_ne!(control_status(&md, "CC6.1"), "passed", "{md}");

    // With only the EMR rules, nothing failed and nothing passed: the criteria are not
    // evaluated (not passed on an empty read).
    let md = controls_report(&moto.endpoint(), &["--select", "AWS-EMR"]);
    for id in ["CC6.1", "C1.1"] {
        assert_eq!(control_status(&md, id), "not evaluated", "{id}:\n{md}");
    }
    let (r, _) = scan(
        &moto.endpoint(),
        &["--region", REGION, "--select", "AWS-EMR"],
    );
    for id in ["CC6.1", "C1.1"] {
        assert_eq!(criterion(&r, id)["status"], "not-evaluated", "{id}");
    }
}

#[test]
fn rules_not_selected_produce_nothing() {
    let moto = seeded();
    let (r, _) = scan(
        &moto.endpoint(),
        &["--region", REGION, "--select", "AWS-S3"],
    );
    assert!(rules_with_prefix(&r, "AWS-EMR").is_empty());
    for key in ["not_evaluated", "passed", "findings"] {
        assert!(records(&r, key, "AWS-EMR").is_empty(), "{key}");
    }
    // The S3 rules ran on the bucket that was read: the scan did evaluate something.
    assert!(
        !records(&r, "passed", "AWS-S3").is_empty(),
        "{:#}",
        r["rules"]
    );
    for ne in r["not_evaluated"].as_array().unwrap() {
        let reason = ne["reason"].as_str().unwrap();
        assert!(!reason.contains("aws.emr_"), "{reason}");
    }
}

/// A named region the account has not opted in to (moto lists `ap-east-1` as
/// `not-opted-in`) is not scanned: the coverage has one `disabled` row for it with the
/// reason, and no rule is failed, passed or not evaluated there, while the enabled
/// region is scanned as usual.
#[test]
fn disabled_region_is_reported_disabled_not_failed() {
    let moto = seeded();
    let (r, stderr) = scan(
        &moto.endpoint(),
        &["--region", REGION, "--region", "ap-east-1"],
    );
    let disabled = format!("aws:{ACCOUNT}/ap-east-1");
    let rows: Vec<&Value> = r["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["scope"] == disabled.as_str())
        .collect();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0]["collection"], "aws.*");
    assert_eq!(rows[0]["status"], "disabled");
    assert_eq!(
        rows[0]["reason"],
        "region not enabled for this account (opt-in region, status not-opted-in)"
    );
    for key in ["findings", "passed", "not_evaluated"] {
        for x in r[key].as_array().unwrap() {
            let res = x["resource"].as_str().unwrap_or_default();
            assert!(
                !res.contains("ap-east-1") && !res.contains(&disabled),
                "{key}: {x:#}"
            );
        }
    }
    for d in r["diagnostics"].as_array().unwrap() {
        assert!(!d.to_string().contains("ap-east-1"), "{d:#}\n{stderr}");
    }
    // The enabled region was scanned: the bucket passed.
    assert!(!records(&r, "passed", "AWS-S3").is_empty());
    assert!(rows_of(&r, REGION) > 1);
}

/// The coverage rows of `region`.
fn rows_of(r: &Value, region: &str) -> usize {
    r["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["scope"] == format!("aws:{ACCOUNT}/{region}"))
        .count()
}

/// `--all-regions`: the regions `DescribeRegions` (`AllRegions`) lists as not opted in
/// are one `disabled` row each, nothing else; the enabled ones are scanned.
#[test]
fn all_regions_report_the_disabled_ones() {
    let moto = seeded();
    let out = soc2scan_aws(&moto.endpoint())
        .args(["scan", "--aws", "--all-regions", "--format", "json"])
        .env("AWS_REGION", REGION)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = r["coverage"].as_array().unwrap();
    let disabled: Vec<String> = rows
        .iter()
        .filter(|e| e["status"] == "disabled")
        .map(|e| e["scope"].as_str().unwrap().to_string())
        .collect();
    assert!(
        disabled.contains(&format!("aws:{ACCOUNT}/ap-east-1")),
        "{disabled:?}"
    );
    for scope in &disabled {
        assert_eq!(
            rows.iter().filter(|e| e["scope"] == scope.as_str()).count(),
            1,
            "{scope}"
        );
        let region = scope.rsplit('/').next().unwrap();
        for key in ["findings", "passed", "not_evaluated"] {
            for x in r[key].as_array().unwrap() {
                let res = x["resource"].as_str().unwrap_or_default();
                assert!(
                    !res.contains(&format!(":{region}:")) && res != scope,
                    "{key}: {x:#}"
                );
            }
        }
    }
    for region in [REGION, "eu-west-1"] {
        assert!(rows_of(&r, region) > 1, "{region}");
        assert!(!disabled.contains(&format!("aws:{ACCOUNT}/{region}")));
    }
}

/// The Resource Groups Tagging API lists every tagged resource of a region: those of
/// kinds the scan does not read (SSM parameters, Step Functions state machines) are
/// reported as not covered, counted by ARN type; those of kinds it reads (a queue, a
/// security group) are not, nor an untagged parameter (invisible to that API), nor a
/// tagged one in a region not scanned.
#[test]
fn tagged_resources_of_kinds_not_read_are_not_covered() {
    let moto = Moto::start();
    moto.boto3(
        r#"
team = [{"Key": "team", "Value": "payments"}]
ssm = client("ssm")
ssm.put_parameter(Name="/app/db-host", Value="db.internal", Type="String", Tags=team)
ssm.put_parameter(Name="/app/region", Value="us-east-1", Type="String", Tags=team)
ssm.put_parameter(Name="/app/untagged", Value="x", Type="String")
client("ssm", "eu-west-1").put_parameter(Name="/eu/tagged", Value="x", Type="String",
                                         Tags=team)
client("stepfunctions").create_state_machine(
    name="settle",
    definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
    roleArn="arn:aws:iam::123456789012:role/settle",
    tags=[{"key": "team", "value": "payments"}])
client("sqs").create_queue(QueueName="jobs", tags={"team": "payments"})
client("ec2").create_security_group(
    GroupName="web", Description="web",
    TagSpecifications=[{"ResourceType": "security-group", "Tags": team}])
"#,
    );
    let (r, stderr) = scan(&moto.endpoint(), &["--region", REGION]);
    assert_eq!(
        r["not_covered"],
        serde_json::json!({"aws:ssm:parameter": 2, "aws:states:stateMachine": 1}),
        "{stderr}"
    );
    // The queue was read and judged; the security groups were read (the tagged one and
    // the default group of the default VPC).
    let judged = ["findings", "passed", "not_evaluated"]
        .iter()
        .flat_map(|k| r[k].as_array().unwrap())
        .any(|x| x["resource"] == format!("arn:aws:sqs:{REGION}:{ACCOUNT}:jobs"));
    assert!(judged, "the queue was not judged");
    let read = |collection: &str| {
        r["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["scope"] == scope() && e["collection"] == collection)
            .map(|e| (e["status"].clone(), e["count"].clone()))
    };
    assert_eq!(
        read("aws.security_groups"),
        Some((Value::from("read"), Value::from(2)))
    );
    assert_eq!(
        read("aws.sqs_queues"),
        Some((Value::from("read"), Value::from(1)))
    );
    // The text report says it in one line.
    let out = soc2scan_aws(&moto.endpoint())
        .args(["scan", "--aws", "--region", REGION, "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "  not covered: 2 aws:ssm:parameter resources, 1 aws:states:stateMachine resource\n"
        ),
        "{text}"
    );
}
