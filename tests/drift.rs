//! `soc2scan drift` against moto's server: resources created through the API, a
//! `.tfstate` (format version 4) and matching `.tf` written for them; no drift at first,
//! then exact DRIFT findings once they are changed, deleted or created behind
//! Terraform's back. Also: states that cannot be read stop the run (exit 2, no output).
#![cfg(feature = "aws")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const REGION: &str = "eu-west-1";

/// Runs `code` against moto (as [`Moto::boto3`]) and returns what it prints.
fn boto3_out(moto: &Moto, code: &str) -> String {
    boto3_with(moto, code, &[])
}

/// [`boto3_out`] with more arguments (`sys.argv[2:]`).
fn boto3_with(moto: &Moto, code: &str, args: &[&str]) -> String {
    let prelude = "import json, sys, boto3\n\
        def client(service, region='eu-west-1'):\n    \
        return boto3.client(service, region_name=region, endpoint_url=sys.argv[1], \
        aws_access_key_id='testing', aws_secret_access_key='testing')\n";
    let out = Command::new(venv_python())
        .args(["-c", &format!("{prelude}{code}"), &moto.endpoint()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3 script failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Creates the managed resources; returns the security group's id.
fn create(moto: &Moto) -> String {
    boto3_out(
        moto,
        r#"
s3 = client('s3')
s3.create_bucket(Bucket='drift-data', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
s3.put_bucket_encryption(Bucket='drift-data', ServerSideEncryptionConfiguration={'Rules': [
    {'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'aws:kms', 'KMSMasterKeyID': 'alias/data'}}]})
s3.put_bucket_tagging(Bucket='drift-data', Tagging={'TagSet': [{'Key': 'data-classification', 'Value': 'confidential'}]})
sqs = client('sqs')
sqs.create_queue(QueueName='drift-orders', Attributes={'SqsManagedSseEnabled': 'true'})
sqs.create_queue(QueueName='drift-events', Attributes={'SqsManagedSseEnabled': 'true'})
ec2 = client('ec2')
vpc = ec2.describe_vpcs(Filters=[{'Name': 'is-default', 'Values': ['true']}])['Vpcs'][0]['VpcId']
sg = ec2.create_security_group(GroupName='drift-web', Description='web', VpcId=vpc)['GroupId']
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443, 'IpRanges': [{'CidrIp': '10.0.0.0/8'}]}])
ddb = client('dynamodb')
ddb.create_table(TableName='drift-ledger', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}])
ddb.update_continuous_backups(TableName='drift-ledger',
    PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': True})
print(sg)
"#,
    )
}

/// The `.tf` sources of the managed resources.
const MAIN_TF: &str = r#"resource "aws_s3_bucket" "data" {
  bucket = "drift-data"
  tags = {
    data-classification = "confidential"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/data"
    }
  }
}

resource "aws_sqs_queue" "orders" {
  name                    = "drift-orders"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "events" {
  name                    = "drift-events"
  sqs_managed_sse_enabled = true
}

resource "aws_dynamodb_table" "ledger" {
  name         = "drift-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_security_group" "web" {
  name        = "drift-web"
  description = "web"

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;

/// A state (format version 4) of the managed resources, as the AWS provider writes it
/// (the attributes the model reads).
fn tfstate(sg: &str) -> String {
    let a = ACCOUNT;
    let queue = |name: &str, tf: &str| {
        format!(
            r#"    {{
      "mode": "managed",
      "type": "aws_sqs_queue",
      "name": "{tf}",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{"id": "https://sqs.{REGION}.amazonaws.com/{a}/{name}", "arn": "arn:aws:sqs:{REGION}:{a}:{name}", "name": "{name}", "kms_master_key_id": "", "sqs_managed_sse_enabled": true, "policy": "", "tags": {{}}}}
        }}
      ]
    }}"#
        )
    };
    format!(
        r#"{{
  "version": 4,
  "terraform_version": "1.9.5",
  "serial": 7,
  "lineage": "3f2b7a43-drift",
  "outputs": {{}},
  "resources": [
    {{
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "data",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{"id": "drift-data", "bucket": "drift-data", "arn": "arn:aws:s3:::drift-data", "region": "{REGION}", "tags": {{"data-classification": "confidential"}}}}
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "aws_s3_bucket_server_side_encryption_configuration",
      "name": "data",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{"id": "drift-data", "bucket": "drift-data", "expected_bucket_owner": "", "rule": [{{"apply_server_side_encryption_by_default": [{{"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/data"}}], "bucket_key_enabled": false}}]}}
        }}
      ]
    }},
{orders},
{events},
    {{
      "mode": "managed",
      "type": "aws_dynamodb_table",
      "name": "ledger",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 1,
          "attributes": {{"id": "drift-ledger", "arn": "arn:aws:dynamodb:{REGION}:{a}:table/drift-ledger", "name": "drift-ledger", "billing_mode": "PAY_PER_REQUEST", "hash_key": "id",
            "attribute": [{{"name": "id", "type": "S"}}],
            "point_in_time_recovery": [{{"enabled": true}}],
            "server_side_encryption": [],
            "tags": {{}}}}
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "aws_security_group",
      "name": "web",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 1,
          "attributes": {{"id": "{sg}", "arn": "arn:aws:ec2:{REGION}:{a}:security-group/{sg}", "name": "drift-web", "description": "web",
            "ingress": [{{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}}],
            "egress": [{{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}}],
            "tags": {{}}}}
        }}
      ]
    }}
  ]
}}
"#,
        orders = queue("drift-orders", "orders"),
        events = queue("drift-events", "events"),
    )
}

/// A fresh directory under the test target directory.
fn workdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("drift")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `soc2scan drift --aws --region eu-west-1 -q ARGS` in `dir`.
fn drift(moto: &Moto, dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = soc2scan_aws(&moto.endpoint())
        .current_dir(dir)
        .args(["drift", "--aws", "--region", REGION, "-q"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn report(moto: &Moto, dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend(args);
    let (code, stdout, stderr) = drift(moto, dir, &all);
    assert!(
        matches!(code, Some(0 | 1)),
        "drift failed ({code:?}): {stderr}"
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"))
}

/// (rule, resource, attribute) of every entry of `key`.
fn triples(r: &serde_json::Value, key: &str) -> BTreeSet<(String, String, String)> {
    r[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["attribute"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn t(rule: &str, res: &str, attr: &str) -> (String, String, String) {
    (rule.into(), res.into(), attr.into())
}

#[test]
fn no_drift_then_exact_drift_findings() {
    let moto = Moto::start();
    let sg = create(&moto);
    let dir = workdir("infra");
    std::fs::write(dir.join("main.tf"), MAIN_TF).unwrap();
    std::fs::write(dir.join("terraform.tfstate"), tfstate(&sg)).unwrap();
    // The default subnets and network ACL of the default VPC are nobody's; a queue a
    // CDK app manages is tagged so.
    std::fs::write(
        dir.join(".soc2scan.toml"),
        "[drift]\nunmanaged_allow = [\n  \"arn:aws:ec2:*:*:subnet/*\",\n  \"arn:aws:ec2:*:*:network-acl/*\",\n  \"arn:aws:s3:::tf-state\",\n  \"tag:managed-by=cdk\",\n]\n",
    )
    .unwrap();

    // As applied: nothing drifted, every managed resource is live, nothing unmanaged.
    for args in [
        &["--state", "terraform.tfstate"][..],
        &[".", "--state", "terraform.tfstate"][..],
    ] {
        let r = report(&moto, &dir, args);
        assert!(
            triples(&r, "findings").is_empty(),
            "{args:?}: {:#}",
            r["findings"]
        );
        assert!(
            triples(&r, "not_evaluated").is_empty(),
            "{args:?}: {:#}",
            r["not_evaluated"]
        );
        let passed = triples(&r, "passed");
        for (rule, res) in [
            ("DRIFT-003", "aws_s3_bucket.data"),
            ("DRIFT-003", "aws_sqs_queue.orders"),
            ("DRIFT-003", "aws_sqs_queue.events"),
            ("DRIFT-003", "aws_security_group.web"),
            ("DRIFT-003", "aws_dynamodb_table.ledger"),
            ("DRIFT-001", "aws_dynamodb_table.ledger"),
            ("DRIFT-001", "aws_s3_bucket.data"),
            ("DRIFT-001", "aws_security_group.web"),
        ] {
            assert!(
                passed.iter().any(|(r, s, _)| r == rule && s == res),
                "{args:?}: no pass of {rule} on {res}: {passed:?}"
            );
        }
    }

    // Behind Terraform's back: the bucket's encryption switched to SSE-S3 and its
    // classification tag removed, SSH opened to the world, a queue deleted, the table's
    // point-in-time recovery turned off, a bucket
    // created by hand, a bucket a CDK app manages (allowed by its tag); two tables
    // outside Terraform, one a CDK app manages (allowed by the tag the tagging API
    // returns), one tagged otherwise.
    let state_file = dir.join("terraform.tfstate");
    boto3_with(
        &moto,
        &format!(
            r#"
s3 = client('s3')
s3.put_bucket_encryption(Bucket='drift-data', ServerSideEncryptionConfiguration={{'Rules': [
    {{'ApplyServerSideEncryptionByDefault': {{'SSEAlgorithm': 'AES256'}}}}]}})
s3.delete_bucket_tagging(Bucket='drift-data')
s3.create_bucket(Bucket='drift-shadow', CreateBucketConfiguration={{'LocationConstraint': 'eu-west-1'}})
ec2 = client('ec2')
ec2.authorize_security_group_ingress(GroupId='{sg}', IpPermissions=[
    {{'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22, 'IpRanges': [{{'CidrIp': '0.0.0.0/0'}}]}}])
sqs = client('sqs')
sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName='drift-events')['QueueUrl'])
client('dynamodb').update_continuous_backups(TableName='drift-ledger',
    PointInTimeRecoverySpecification={{'PointInTimeRecoveryEnabled': False}})
s3.create_bucket(Bucket='cdk-assets', CreateBucketConfiguration={{'LocationConstraint': 'eu-west-1'}})
s3.put_bucket_tagging(Bucket='cdk-assets', Tagging={{'TagSet': [{{'Key': 'managed-by', 'Value': 'cdk'}}]}})
for name, by in [('cdk-cache', 'cdk'), ('console-scratch', 'console')]:
    client('dynamodb').create_table(TableName=name, BillingMode='PAY_PER_REQUEST',
        AttributeDefinitions=[{{'AttributeName': 'id', 'AttributeType': 'S'}}],
        KeySchema=[{{'AttributeName': 'id', 'KeyType': 'HASH'}}],
        Tags=[{{'Key': 'managed-by', 'Value': by}}])
# The state, in an S3 backend (allowed unmanaged by its ARN).
s3.create_bucket(Bucket='tf-state', CreateBucketConfiguration={{'LocationConstraint': 'eu-west-1'}})
s3.put_object(Bucket='tf-state', Key='infra/terraform.tfstate', Body=open(sys.argv[2]).read())
"#
        ),
        &[state_file.to_str().unwrap()],
    );
    let drifted = |r: &serde_json::Value, declared_at: &str| {
        assert_eq!(
            triples(r, "findings"),
            BTreeSet::from([
                t("DRIFT-001", "aws_s3_bucket.data", "sse_algorithm"),
                t("DRIFT-001", "aws_s3_bucket.data", "kms_key"),
                t("DRIFT-001", "aws_s3_bucket.data", "tags"),
                t(
                    "DRIFT-001",
                    "aws_security_group.web",
                    "security_group_rules"
                ),
                t(
                    "DRIFT-001",
                    "aws_dynamodb_table.ledger",
                    "point_in_time_recovery"
                ),
                t("DRIFT-003", "aws_sqs_queue.events", ""),
                t("DRIFT-002", "arn:aws:s3:::drift-shadow", ""),
                t(
                    "DRIFT-002",
                    &format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/console-scratch"),
                    ""
                ),
            ]),
            "{:#}",
            r["findings"]
        );
        assert!(
            triples(r, "not_evaluated").is_empty(),
            "{:#}",
            r["not_evaluated"]
        );
        // The bucket's tags are compared once (its data-store entry repeats them).
        let tag_drift = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["attribute"] == "tags")
            .count();
        assert_eq!(tag_drift, 1, "{:#}", r["findings"]);
        let passed = triples(r, "passed");
        for p in [
            t("DRIFT-002", "arn:aws:s3:::cdk-assets", ""),
            t(
                "DRIFT-002",
                &format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/cdk-cache"),
                "",
            ),
            t("DRIFT-002", "arn:aws:s3:::tf-state", ""),
            t("DRIFT-001", "aws_sqs_queue.orders", "sqs_managed_sse"),
            t("DRIFT-003", "aws_sqs_queue.orders", ""),
        ] {
            assert!(passed.contains(&p), "no pass {p:?}: {passed:?}");
        }
        let rules = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["attribute"] == "security_group_rules")
            .unwrap();
        let m = rules["message"].as_str().unwrap();
        assert!(
            m.starts_with(
                "`security_group_rules` of aws_security_group.web is [] in Terraform but \
                 [{\"group\":\"self\",\"direction\":\"ingress\",\"protocol\":\"tcp\",\"from_port\":22,\"to_port\":22,"
            ),
            "{m}"
        );
        let sse = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["attribute"] == "sse_algorithm")
            .unwrap();
        assert_eq!(
            sse["message"],
            format!(
                "`sse_algorithm` of aws_s3_bucket.data is \"aws:kms\" in Terraform but \"AES256\" \
                 live (arn:aws:s3:::drift-data in {ACCOUNT}/{REGION}); read by AWS-S3-001 (CC6.1, C1.1), \
                 AWS-S3-002 (CC6.7), AWS-S3-003 (CC7.2), AWS-S3-004 (A1.2, CC8.1), AWS-S3-010 (C1.1, CC6.1), \
                 AWS-S3-011 (A1.2, CC9.1), AWS-S3-020 (C1.1, CC6.6), AWS-S3-021 (C1.1, CC6.6), \
                 AWS-S3-022 (C1.1, CC6.6)"
            )
        );
        assert_eq!(
            format!(
                "{}:{}",
                sse["location"]["path"].as_str().unwrap(),
                sse["location"]["line"]
            ),
            declared_at
        );
        assert_eq!(sse["resource_location"]["arn"], "arn:aws:s3:::drift-data");
        assert_eq!(sse["resource_location"]["account"], ACCOUNT);
        assert_eq!(sse["resource_location"]["region"], REGION);
        // Each finding carries CC8.1 and the criteria of the rules that read its
        // field's collection: the bucket's encryption and the group's ports differ.
        assert_eq!(
            sse["criteria"],
            serde_json::json!([
                "CC8.1", "CC6.1", "CC6.6", "CC6.7", "CC7.2", "CC9.1", "A1.2", "C1.1"
            ])
        );
        assert_eq!(
            rules["criteria"],
            serde_json::json!(["CC8.1", "CC6.1", "CC6.6", "CC6.7", "C1.1"])
        );
        let drift_rule = r["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == "DRIFT-001")
            .unwrap();
        assert_eq!(drift_rule["criteria"], serde_json::json!(["CC8.1"]));
    };
    // Declared by the sources (positions in main.tf), the state local or in S3.
    let r = report(&moto, &dir, &[".", "--state", "terraform.tfstate"]);
    drifted(&r, "main.tf:12");
    let r = report(
        &moto,
        &dir,
        &[".", "--state", "s3://tf-state/infra/terraform.tfstate"],
    );
    drifted(&r, "main.tf:12");
    // Declared by the state alone: positions in the sources beside a local state, in
    // the state itself otherwise (the entry of the encryption configuration).
    let r = report(&moto, &dir, &["--state", "terraform.tfstate"]);
    drifted(&r, "main.tf:12");
    let r = report(
        &moto,
        &dir,
        &["--state", "s3://tf-state/infra/terraform.tfstate"],
    );
    drifted(&r, "s3://tf-state/infra/terraform.tfstate:22");

    // SARIF: the declaration is the location, the live resource a related location.
    let (code, sarif, stderr) = drift(
        &moto,
        &dir,
        &[".", "--state", "terraform.tfstate", "--format", "sarif"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results: Vec<&serde_json::Value> = sarif["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["results"].as_array().unwrap())
        .filter(|x| x["properties"]["attribute"] == "sse_algorithm")
        .collect();
    assert_eq!(results.len(), 1);
    let res = results[0];
    assert_eq!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "main.tf"
    );
    assert_eq!(
        res["relatedLocations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "arn:aws:s3:::drift-data"
    );
    assert!(res["partialFingerprints"].is_object());
}

#[test]
fn unreadable_states_stop_the_run() {
    let moto = Moto::start();
    let dir = workdir("broken");
    std::fs::write(
        dir.join("broken.tfstate"),
        "{\n  \"version\": 4,\n  \"resources\": [\n",
    )
    .unwrap();
    let (code, stdout, stderr) = drift(&moto, &dir, &["--state", "broken.tfstate"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("broken.tfstate:4: Terraform state does not parse as JSON"),
        "{stderr}"
    );
    let (code, stdout, stderr) = drift(
        &moto,
        &dir,
        &["--state", "s3://no-such-bucket/terraform.tfstate"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("s3://no-such-bucket/terraform.tfstate: cannot read the Terraform state from S3: NoSuchBucket"),
        "{stderr}"
    );
    let (code, _, stderr) = drift(&moto, &dir, &["--state", "missing.tfstate"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("missing.tfstate: cannot read the Terraform state"),
        "{stderr}"
    );
}

/// A queue's state (format version 4) for the test of several states.
fn queue_state(queues: &[(&str, &str)]) -> String {
    let entries: Vec<String> = queues
        .iter()
        .map(|(tf, name)| {
            format!(
                r#"    {{
      "mode": "managed",
      "type": "aws_sqs_queue",
      "name": "{tf}",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{"id": "https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}", "arn": "arn:aws:sqs:{REGION}:{ACCOUNT}:{name}", "name": "{name}", "kms_master_key_id": "", "sqs_managed_sse_enabled": true, "policy": ""}}
        }}
      ]
    }}"#
            )
        })
        .collect();
    format!(
        "{{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.5\",\n  \"serial\": 1,\n  \"lineage\": \"l\",\n  \"outputs\": {{}},\n  \"resources\": [\n{}\n  ]\n}}\n",
        entries.join(",\n")
    )
}

#[test]
fn several_states_keep_their_root_module() {
    let moto = Moto::start();
    boto3_out(
        &moto,
        r#"
sqs = client('sqs')
for q in ['app-queue', 'net-queue', 'net-vars']:
    sqs.create_queue(QueueName=q, Attributes={'SqsManagedSseEnabled': 'true'})
"#,
    );
    let dir = workdir("roots");
    for (root, tf, queues) in [
        (
            "app",
            "resource \"aws_sqs_queue\" \"q\" {\n  name                    = \"app-queue\"\n  sqs_managed_sse_enabled = true\n}\n",
            vec![("q", "app-queue")],
        ),
        (
            "net",
            "variable \"sse\" {\n  type = bool\n}\n\nresource \"aws_sqs_queue\" \"q\" {\n  name                    = \"net-queue\"\n  sqs_managed_sse_enabled = true\n}\n\nresource \"aws_sqs_queue\" \"v\" {\n  name                    = \"net-vars\"\n  sqs_managed_sse_enabled = var.sse\n}\n",
            vec![("q", "net-queue"), ("v", "net-vars")],
        ),
    ] {
        std::fs::create_dir_all(dir.join(root)).unwrap();
        std::fs::write(dir.join(root).join("main.tf"), tf).unwrap();
        std::fs::write(dir.join(root).join("terraform.tfstate"), queue_state(&queues)).unwrap();
    }
    // The same address in both root modules: one queue drifts, the other is deleted.
    boto3_out(
        &moto,
        r#"
sqs = client('sqs')
sqs.set_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName='app-queue')['QueueUrl'], Attributes={'SqsManagedSseEnabled': 'false'})
sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName='net-queue')['QueueUrl'])
"#,
    );
    let r = report(
        &moto,
        &dir,
        &[
            "app",
            "net",
            "--state",
            "app/terraform.tfstate",
            "--state",
            "net/terraform.tfstate",
            "--no-config",
        ],
    );
    let located = |key: &str| -> BTreeSet<(String, String, String, String)> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] != "DRIFT-002")
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["resource"].as_str().unwrap().to_string(),
                    f["attribute"].as_str().unwrap().to_string(),
                    format!(
                        "{}:{}",
                        f["location"]["path"].as_str().unwrap(),
                        f["location"]["line"]
                    ),
                )
            })
            .collect()
    };
    let l = |rule: &str, res: &str, attr: &str, at: &str| {
        (
            rule.to_string(),
            res.to_string(),
            attr.to_string(),
            at.to_string(),
        )
    };
    assert_eq!(
        located("findings"),
        BTreeSet::from([
            l(
                "DRIFT-001",
                "aws_sqs_queue.q",
                "sqs_managed_sse",
                "app/main.tf:3"
            ),
            l("DRIFT-003", "aws_sqs_queue.q", "", "net/main.tf:5"),
        ]),
        "{:#}",
        r["findings"]
    );
    // A value known only after apply (a variable without a value) is not evaluated.
    assert_eq!(
        located("not_evaluated"),
        BTreeSet::from([l(
            "DRIFT-001",
            "aws_sqs_queue.v",
            "sqs_managed_sse",
            "net/main.tf:12"
        )]),
    );
    let fps: BTreeSet<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), r["findings"].as_array().unwrap().len());
    let missing = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "DRIFT-003")
        .unwrap();
    assert_eq!(
        missing["message"],
        format!(
            "aws_sqs_queue.q (arn:aws:sqs:{REGION}:{ACCOUNT}:net-queue) is in the Terraform state \
             but not live in aws:{ACCOUNT}/{REGION}"
        )
    );
    let drifted = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "DRIFT-001")
        .unwrap();
    assert_eq!(drifted["resource_location"]["account"], ACCOUNT);
    assert_eq!(drifted["resource_location"]["region"], REGION);
}

/// A state (format version 4) of a security group whose rules are resources of their
/// own: an `aws_security_group_rule`, an `aws_vpc_security_group_ingress_rule` and an
/// `aws_vpc_security_group_egress_rule`. The group's `ingress`/`egress` list them too,
/// as the provider records every rule it reads.
fn separate_rules_state(sg: &str) -> String {
    let a = ACCOUNT;
    format!(
        r#"{{
  "version": 4,
  "terraform_version": "1.9.5",
  "serial": 3,
  "lineage": "5d1c-separate",
  "outputs": {{}},
  "resources": [
    {{
      "mode": "managed",
      "type": "aws_security_group",
      "name": "db",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 1,
          "attributes": {{"id": "{sg}", "arn": "arn:aws:ec2:{REGION}:{a}:security-group/{sg}", "name": "drift-db", "description": "db",
            "ingress": [
              {{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}},
              {{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["10.1.0.0/16"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}}
            ],
            "egress": [{{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}}],
            "tags": {{}}}}
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "aws_security_group_rule",
      "name": "https",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 2,
          "attributes": {{"id": "sgrule-1234567890", "security_group_id": "{sg}", "type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "self": false, "description": ""}}
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "aws_vpc_security_group_ingress_rule",
      "name": "pg",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{"id": "sgr-0aaa", "arn": "arn:aws:ec2:{REGION}:{a}:security-group-rule/sgr-0aaa", "security_group_rule_id": "sgr-0aaa", "security_group_id": "{sg}", "ip_protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_ipv4": "10.1.0.0/16", "tags": {{}}}}
        }}
      ]
    }},
    {{
      "mode": "managed",
      "type": "aws_vpc_security_group_egress_rule",
      "name": "all",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {{
          "schema_version": 0,
          "attributes": {{"id": "sgr-0bbb", "arn": "arn:aws:ec2:{REGION}:{a}:security-group-rule/sgr-0bbb", "security_group_rule_id": "sgr-0bbb", "security_group_id": "{sg}", "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0", "tags": {{}}}}
        }}
      ]
    }}
  ]
}}
"#
    )
}

/// The sources of that state: a group without inline rules, its rules beside it.
const SEPARATE_TF: &str = r#"resource "aws_security_group" "db" {
  name        = "drift-db"
  description = "db"
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/8"]
}

resource "aws_vpc_security_group_ingress_rule" "pg" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "10.1.0.0/16"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.db.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
"#;

#[test]
fn rules_declared_as_resources_are_compared_with_their_group() {
    let moto = Moto::start();
    // The group with its default egress rule (all traffic out), then the two ingress
    // rules the separate resources declare.
    let sg = boto3_out(
        &moto,
        r#"
ec2 = client('ec2')
vpc = ec2.describe_vpcs(Filters=[{'Name': 'is-default', 'Values': ['true']}])['Vpcs'][0]['VpcId']
sg = ec2.create_security_group(GroupName='drift-db', Description='db', VpcId=vpc)['GroupId']
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443, 'IpRanges': [{'CidrIp': '10.0.0.0/8'}]}])
ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {'IpProtocol': 'tcp', 'FromPort': 5432, 'ToPort': 5432, 'IpRanges': [{'CidrIp': '10.1.0.0/16'}]}])
print(sg)
"#,
    );
    let dir = workdir("separate-rules");
    std::fs::write(dir.join("main.tf"), SEPARATE_TF).unwrap();
    std::fs::write(dir.join("terraform.tfstate"), separate_rules_state(&sg)).unwrap();
    std::fs::write(
        dir.join(".soc2scan.toml"),
        "[drift]\nunmanaged_allow = [\n  \"arn:aws:ec2:*:*:subnet/*\",\n  \"arn:aws:ec2:*:*:network-acl/*\",\n]\n",
    )
    .unwrap();
    let group = "aws_security_group.db";
    // As applied: the group's rules are the separate resources' (not missing from
    // its inline view, not extra live); the rule resources are no resources of their
    // own to find.
    for args in [
        &["--state", "terraform.tfstate"][..],
        &[".", "--state", "terraform.tfstate"][..],
    ] {
        let r = report(&moto, &dir, args);
        assert!(
            triples(&r, "findings").is_empty(),
            "{args:?}: {:#}",
            r["findings"]
        );
        assert!(
            triples(&r, "not_evaluated").is_empty(),
            "{args:?}: {:#}",
            r["not_evaluated"]
        );
        let passed = triples(&r, "passed");
        assert!(
            passed.contains(&t("DRIFT-001", group, "security_group_rules")),
            "{args:?}: {passed:?}"
        );
        assert!(
            passed.contains(&t("DRIFT-003", group, "")),
            "{args:?}: {passed:?}"
        );
        assert!(
            !passed
                .iter()
                .any(|(_, res, _)| res.contains("security_group_rule")
                    || res.contains("_ingress_rule")
                    || res.contains("_egress_rule")),
            "{args:?}: {passed:?}"
        );
    }

    // A port opened by hand next to the declared rules: exactly that rule is drift.
    boto3_out(
        &moto,
        &format!(
            r#"
client('ec2').authorize_security_group_ingress(GroupId='{sg}', IpPermissions=[
    {{'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22, 'IpRanges': [{{'CidrIp': '0.0.0.0/0'}}]}}])
"#
        ),
    );
    for args in [
        &["--state", "terraform.tfstate"][..],
        &[".", "--state", "terraform.tfstate"][..],
    ] {
        let r = report(&moto, &dir, args);
        assert_eq!(
            triples(&r, "findings"),
            BTreeSet::from([t("DRIFT-001", group, "security_group_rules")]),
            "{args:?}: {:#}",
            r["findings"]
        );
        let f = &r["findings"][0];
        assert_eq!(
            f["message"].as_str().unwrap().split("; read by").next().unwrap(),
            format!(
                "`security_group_rules` of {group} is [] in Terraform but \
                 [{{\"group\":\"self\",\"direction\":\"ingress\",\"protocol\":\"tcp\",\"from_port\":22,\"to_port\":22,\
                 \"ipv4_ranges\":[\"0.0.0.0/0\"],\"ipv6... live \
                 (arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{sg} in {ACCOUNT}/{REGION})"
            ),
            "{args:?}"
        );
        assert_eq!(
            f["criteria"],
            serde_json::json!(["CC8.1", "CC6.1", "CC6.6", "CC6.7", "C1.1"])
        );
        assert!(
            triples(&r, "not_evaluated").is_empty(),
            "{args:?}: {:#}",
            r["not_evaluated"]
        );
    }
}

/// `[drift] unmanaged_allow` tag entries accept resources of every kind whose tags the
/// live scan reads, not only data stores: a security group and a queue (tags from the
/// tagging API) and an IAM role (tags from IAM) created outside Terraform and tagged
/// `ManagedBy=cdk` are allowed, untagged ones reported. With the tagging API denied the
/// group and the queue are not allowed, and their findings say the tag entries could
/// not be checked and why; the role's tags, read from IAM, still allow it.
#[test]
fn unmanaged_allow_tags_of_every_kind() {
    let moto = Moto::start();
    let sgs = boto3_out(
        &moto,
        r#"
sqs = client('sqs')
sqs.create_queue(QueueName='app-queue', Attributes={'SqsManagedSseEnabled': 'true'})
sqs.create_queue(QueueName='cdk-jobs', tags={'ManagedBy': 'cdk'})
sqs.create_queue(QueueName='hand-jobs')
ec2 = client('ec2')
vpc = ec2.describe_vpcs(Filters=[{'Name': 'is-default', 'Values': ['true']}])['Vpcs'][0]['VpcId']
ids = []
for name, tags in [('cdk-web', [{'Key': 'ManagedBy', 'Value': 'cdk'}]), ('hand-web', [])]:
    spec = [{'ResourceType': 'security-group', 'Tags': tags}] if tags else []
    ids.append(ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc,
        TagSpecifications=spec)['GroupId'])
iam = client('iam')
trust = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow',
    'Principal': {'Service': 'lambda.amazonaws.com'}, 'Action': 'sts:AssumeRole'}]})
iam.create_role(RoleName='cdk-exec', AssumeRolePolicyDocument=trust,
    Tags=[{'Key': 'ManagedBy', 'Value': 'cdk'}])
iam.create_role(RoleName='hand-role', AssumeRolePolicyDocument=trust)
print(' '.join(ids))
"#,
    );
    let (cdk_sg, hand_sg) = sgs.split_once(' ').unwrap();
    let dir = workdir("alltags");
    std::fs::write(
        dir.join("main.tf"),
        "resource \"aws_sqs_queue\" \"q\" {\n  name                    = \"app-queue\"\n  sqs_managed_sse_enabled = true\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("terraform.tfstate"),
        queue_state(&[("q", "app-queue")]),
    )
    .unwrap();
    std::fs::write(
        dir.join(".soc2scan.toml"),
        "[drift]\nunmanaged_allow = [\n  \"arn:aws:ec2:*:*:subnet/*\",\n  \"arn:aws:ec2:*:*:network-acl/*\",\n  \"tag:ManagedBy=cdk\",\n]\n",
    )
    .unwrap();
    let sg_arn = |id: &str| format!("arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/{id}");
    let queue_arn = |name: &str| format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}");
    let role_arn = |name: &str| format!("arn:aws:iam::{ACCOUNT}:role/{name}");
    let unmanaged = |arns: &[&String]| -> BTreeSet<(String, String, String)> {
        arns.iter().map(|a| t("DRIFT-002", a, "")).collect()
    };
    let messages = |r: &serde_json::Value| -> BTreeSet<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };
    let (hand_sg, cdk_sg) = (sg_arn(hand_sg), sg_arn(cdk_sg));
    let (hand_q, cdk_q) = (queue_arn("hand-jobs"), queue_arn("cdk-jobs"));
    let (hand_role, cdk_role) = (role_arn("hand-role"), role_arn("cdk-exec"));

    // Tags read: the tagged ones allowed by the tag, the untagged ones reported.
    let r = report(&moto, &dir, &[".", "--state", "terraform.tfstate"]);
    assert_eq!(
        triples(&r, "findings"),
        unmanaged(&[&hand_sg, &hand_q, &hand_role]),
        "{:#}",
        r["findings"]
    );
    assert_eq!(
        messages(&r),
        BTreeSet::from([
            format!("{hand_sg} (aws_security_group) is managed by no Terraform state of this run"),
            format!("{hand_q} (aws_sqs_queue) is managed by no Terraform state of this run"),
            format!("{hand_role} (aws_iam_role) is managed by no Terraform state of this run"),
        ])
    );
    let passed = triples(&r, "passed");
    for a in [&cdk_sg, &cdk_q, &cdk_role] {
        let p = t("DRIFT-002", a, "");
        assert!(passed.contains(&p), "no pass {p:?}: {passed:?}");
    }

    // The tagging API denied: the group's and the queue's tags were not read, so the
    // tag entry cannot allow them and their findings say why; the role still passes.
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let out = soc2scan_aws(&moto.endpoint())
        .current_dir(&dir)
        .env("AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API", &deny)
        .args([
            "drift", "--aws", "--region", REGION, "-q", "--format", "json",
        ])
        .args([".", "--state", "terraform.tfstate"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        triples(&r, "findings"),
        unmanaged(&[&hand_sg, &hand_q, &hand_role, &cdk_sg, &cdk_q]),
        "{:#}",
        r["findings"]
    );
    let not_read = |arn: &str, rtype: &str| {
        format!(
            "{arn} ({rtype}) is managed by no Terraform state of this run; the tag entries of \
             [drift] unmanaged_allow could not be checked: its tags were not read \
             (aws.resource_tags denied: tag:GetResources (tag:GetResources in {REGION} failed: \
             AccessDeniedException (HTTP 400): User: arn:aws:iam::123456789012:user/auditor is \
             not authorized to perform this action) in aws:{ACCOUNT}/{REGION})"
        )
    };
    assert_eq!(
        messages(&r),
        BTreeSet::from([
            not_read(&hand_sg, "aws_security_group"),
            not_read(&hand_q, "aws_sqs_queue"),
            format!("{hand_role} (aws_iam_role) is managed by no Terraform state of this run"),
            not_read(&cdk_sg, "aws_security_group"),
            not_read(&cdk_q, "aws_sqs_queue"),
        ])
    );
    let passed = triples(&r, "passed");
    let p = t("DRIFT-002", &cdk_role, "");
    assert!(passed.contains(&p), "no pass {p:?}: {passed:?}");
}
