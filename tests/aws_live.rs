//! Live AWS scans against a real AWS emulator: moto's server, installed into the
//! project-local `.venv` by `scripts/moto-venv` (created on first use; the tests fail
//! with a clear message when it cannot be created — they never skip). Each test starts
//! its own moto server on a free loopback port, seeds it with boto3
//! (`scripts/moto_seed.py`), runs the real `soc2scan` binary with `AWS_ENDPOINT_URL`
//! and dummy credentials, and checks the exact findings and not-evaluated records.
#![cfg(feature = "aws")]

use std::collections::{BTreeSet, HashSet};
use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[path = "support/moto.rs"]
mod moto;
use moto::*;

fn expected_basic(r: &serde_json::Value) -> BTreeSet<(String, String)> {
    let a = ACCOUNT;
    let eu_vpc = arn_of(r, "AWS-VPC-001", &format!("arn:aws:ec2:eu-west-1:{a}:vpc/"));
    let eu_sg = arn_of(
        r,
        "AWS-EC2-003",
        &format!("arn:aws:ec2:eu-west-1:{a}:security-group/"),
    );
    // The unencrypted data volume (moto 5.1 encrypts instances' root volumes).
    let eu_vol = arn_of(
        r,
        "AWS-EC2-001",
        &format!("arn:aws:ec2:eu-west-1:{a}:volume/"),
    );
    let eu_inst = arn_of(
        r,
        "AWS-EC2-004",
        &format!("arn:aws:ec2:eu-west-1:{a}:instance/"),
    );
    let eu_key = arn_of(r, "AWS-KMS-001", &format!("arn:aws:kms:eu-west-1:{a}:key/"));
    // The default network ACL of each region's default VPC allows everything, as AWS
    // creates it (AWS-VPC-003 is strict).
    let acl = |region: &str| {
        arn_of(
            r,
            "AWS-VPC-003",
            &format!("arn:aws:ec2:{region}:{a}:network-acl/"),
        )
    };
    let mut want = set(&[
        ("AWS-VPC-003", acl("us-east-1")),
        ("AWS-VPC-003", acl("eu-west-1")),
        // S3: the bare bucket in eu-west-1; SSE-S3 (the default) is not KMS. The log
        // bucket keeps SSE-S3, what server access log delivery supports, and passes.
        ("AWS-S3-001", "arn:aws:s3:::soc2-bad".into()),
        ("AWS-S3-002", "arn:aws:s3:::soc2-bad".into()),
        ("AWS-S3-003", "arn:aws:s3:::soc2-bad".into()),
        ("AWS-S3-004", "arn:aws:s3:::soc2-bad".into()),
        // IAM: weak password policy, console user without MFA enforcement, admin policy.
        (
            "AWS-IAM-001",
            format!("arn:aws:iam::{a}:account-password-policy"),
        ),
        ("AWS-IAM-002", format!("arn:aws:iam::{a}:user/alice")),
        ("AWS-IAM-003", format!("arn:aws:iam::{a}:policy/admin-all")),
        // EC2 in eu-west-1.
        (
            "AWS-EC2-002",
            format!("arn:aws:ec2:eu-west-1:{a}:ebs-encryption-by-default"),
        ),
        ("AWS-EC2-001", eu_vol),
        ("AWS-EC2-003", eu_sg),
        ("AWS-EC2-004", eu_inst),
        ("AWS-VPC-001", eu_vpc),
        // RDS, KMS, DynamoDB, CloudTrail in eu-west-1.
        (
            "AWS-RDS-001",
            format!("arn:aws:rds:eu-west-1:{a}:db:db-bad"),
        ),
        (
            "AWS-RDS-002",
            format!("arn:aws:rds:eu-west-1:{a}:db:db-bad"),
        ),
        (
            "AWS-RDS-003",
            format!("arn:aws:rds:eu-west-1:{a}:db:db-bad"),
        ),
        ("AWS-KMS-001", eu_key),
        (
            "AWS-DDB-002",
            format!("arn:aws:dynamodb:eu-west-1:{a}:table/sessions"),
        ),
        // Both tables use the AWS owned key, not a customer managed one.
        (
            "AWS-DDB-001",
            format!("arn:aws:dynamodb:eu-west-1:{a}:table/sessions"),
        ),
        (
            "AWS-DDB-001",
            format!("arn:aws:dynamodb:us-east-1:{a}:table/orders"),
        ),
        (
            "AWS-CT-001",
            format!("arn:aws:cloudtrail:eu-west-1:{a}:trail/local-trail"),
        ),
        (
            "AWS-CT-002",
            format!("arn:aws:cloudtrail:eu-west-1:{a}:trail/local-trail"),
        ),
    ]);
    // Neither trail encrypts with KMS, delivers to CloudWatch Logs or records S3 data
    // events.
    for rule in ["AWS-CT-003", "AWS-CT-004", "AWS-CT-005"] {
        for trail in [
            "eu-west-1:{a}:trail/local-trail",
            "us-east-1:{a}:trail/org-trail",
        ] {
            want.insert((
                rule.into(),
                format!("arn:aws:cloudtrail:{}", trail.replace("{a}", a)),
            ));
        }
    }
    for region in ["us-east-1", "eu-west-1"] {
        // Neither region has AWS Config or GuardDuty.
        want.insert((
            "AWS-CFG-002".into(),
            format!("arn:aws:config:{region}:{a}:configuration-recorder/none"),
        ));
        want.insert((
            "AWS-GD-001".into(),
            format!("arn:aws:guardduty:{region}:{a}:detector/none"),
        ));
        // The default security group keeps its allow-all egress rule.
        want.insert((
            "AWS-EC2-021".into(),
            arn_of(
                r,
                "AWS-EC2-021",
                &format!("arn:aws:ec2:{region}:{a}:security-group/"),
            ),
        ));
    }
    // Both databases: the default parameter group (no rds.force_ssl), no deletion
    // protection, single-AZ, no log exports.
    for rule in ["AWS-RDS-010", "AWS-RDS-011", "AWS-RDS-012", "AWS-RDS-020"] {
        for db in ["eu-west-1:{a}:db:db-bad", "us-east-1:{a}:db:db-good"] {
            want.insert((rule.into(), format!("arn:aws:rds:{}", db.replace("{a}", a))));
        }
    }
    // The root user has no MFA (moto's account summary); neither the bare bucket nor the
    // account has a public access block.
    want.insert(("AWS-IAM-012".into(), format!("arn:aws:iam::{a}:root")));
    want.insert(("AWS-S3-022".into(), "arn:aws:s3:::soc2-bad".into()));
    want.insert((
        "AWS-S3-023".into(),
        format!("arn:aws:s3::{a}:account-public-access-block"),
    ));
    // No data store carries a DataClassification tag (AWS-TAG-001): the buckets (their
    // own tags), the databases and tables (the tagging API lists none of them) and, in
    // each region, the volume and the instance's root volume (moto's ids).
    for b in ["soc2-logs", "soc2-good", "soc2-bad"] {
        want.insert(("AWS-TAG-001".into(), format!("arn:aws:s3:::{b}")));
    }
    for store in [
        "rds:eu-west-1:{a}:db:db-bad",
        "rds:us-east-1:{a}:db:db-good",
        "dynamodb:eu-west-1:{a}:table/sessions",
        "dynamodb:us-east-1:{a}:table/orders",
    ] {
        want.insert((
            "AWS-TAG-001".into(),
            format!("arn:aws:{}", store.replace("{a}", a)),
        ));
    }
    for region in ["us-east-1", "eu-west-1"] {
        for v in arns_of(
            r,
            "AWS-TAG-001",
            &format!("arn:aws:ec2:{region}:{a}:volume/"),
            2,
        ) {
            want.insert(("AWS-TAG-001".into(), v));
        }
    }
    // moto's default subnets (three in eu-west-1, six in us-east-1) map public IPs.
    for (region, n) in [("eu-west-1", 3), ("us-east-1", 6)] {
        for s in arns_of(
            r,
            "AWS-VPC-002",
            &format!("arn:aws:ec2:{region}:{a}:subnet/"),
            n,
        ) {
            want.insert(("AWS-VPC-002".into(), s));
        }
    }
    want
}

#[test]
fn two_regions_exact_findings() {
    let moto = Moto::start();
    moto.seed("basic", 0);
    let (r, stderr) = scan(
        &moto.endpoint(),
        // Strict: every rule, so every reader of the adapter is exercised.
        &[
            "--level",
            "strict",
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
        ],
    );
    assert_same(pairs(&r, "findings"), expected_basic(&r));
    // Every instance is evaluated: its attached volumes (AWS-EC2-025; moto 5.1 encrypts
    // the volumes it creates for instances) and its user data (AWS-EC2-026; none).
    let ne = pairs(&r, "not_evaluated");
    assert!(ne.is_empty(), "not evaluated: {ne:#?}");
    for rule in ["AWS-EC2-025", "AWS-EC2-026"] {
        let passed = resources_of(&r, "passed", rule);
        for region in ["us-east-1", "eu-west-1"] {
            let prefix = format!("arn:aws:ec2:{region}:{ACCOUNT}:instance/i-");
            assert_eq!(
                passed.iter().filter(|x| x.starts_with(&prefix)).count(),
                1,
                "{rule} {region}: {passed:?}"
            );
        }
    }
    // Every collection an AWS rule reads is read live: the only rules with a coverage
    // record are those whose list call moto 5.1 does not answer (the read fails, and
    // the rule says so, never passes).
    let not_read = coverage_records(&r);
    let scopes = [
        format!("aws:{ACCOUNT}/eu-west-1"),
        format!("aws:{ACCOUNT}/us-east-1"),
    ];
    for ((rule, scope), reason) in &not_read {
        assert!(scopes.contains(scope), "{rule}: {scope}");
        // moto 5.1 does not answer SES v2 ListEmailIdentities nor EMR
        // ListSecurityConfigurations.
        let moto_gap = (rule == "AWS-SES-020"
            && reason.contains("failed: ses:ListEmailIdentities ("))
            || (["AWS-EMR-001", "AWS-EMR-002"].contains(&rule.as_str())
                && reason.contains("failed: elasticmapreduce:ListSecurityConfigurations ("));
        assert!(moto_gap, "{rule}: {reason}");
        // Rules over services the live scan reads are evaluated resource by resource.
        for live in [
            "AWS-S3-001",
            "AWS-RDS-001",
            "AWS-EC2-001",
            "AWS-CT-001",
            "AWS-KMS-001",
            "AWS-SQS-001",
            "AWS-SNS-001",
            "AWS-EFS-001",
            "AWS-KIN-001",
            "AWS-EKS-001",
            "AWS-ELC-001",
            "AWS-LMB-001",
            "AWS-SM-001",
            "AWS-ECR-001",
            "AWS-OS-001",
            "AWS-RS-001",
            "AWS-EC2-025",
            "AWS-ASG-001",
            "AWS-GLA-020",
            "AWS-CF-001",
            "AWS-APIGW-001",
            "AWS-WAF-001",
            "AWS-DOC-001",
            "AWS-NEP-001",
            "AWS-CW-001",
            "AWS-CW-002",
            "AWS-CW-003",
            "AWS-ECS-001",
            "AWS-ECS-002",
            "AWS-EMR-003",
            "AWS-TAG-001",
        ] {
            assert_ne!(rule, live, "{reason}");
        }
    }
    assert_eq!(r["inputs"], serde_json::json!([format!("aws:{ACCOUNT}")]));
    assert!(stderr.contains("1 account(s) scanned"), "{stderr}");
    // Every finding carries the ARN, and no file location.
    for f in r["findings"].as_array().unwrap() {
        assert!(
            f["resource"].as_str().unwrap().starts_with("arn:aws:"),
            "{f}"
        );
    }
    // The compliant twins pass (every check result is in the JSON report).
    let passed = pairs(&r, "passed");
    let a = ACCOUNT;
    for (rule, arn) in [
        ("AWS-S3-001", "arn:aws:s3:::soc2-good".to_string()),
        ("AWS-S3-002", "arn:aws:s3:::soc2-good".to_string()),
        ("AWS-S3-003", "arn:aws:s3:::soc2-good".to_string()),
        ("AWS-S3-004", "arn:aws:s3:::soc2-good".to_string()),
        ("AWS-IAM-002", format!("arn:aws:iam::{a}:user/bob")),
        (
            "AWS-EC2-002",
            format!("arn:aws:ec2:us-east-1:{a}:ebs-encryption-by-default"),
        ),
        (
            "AWS-RDS-001",
            format!("arn:aws:rds:us-east-1:{a}:db:db-good"),
        ),
        (
            "AWS-RDS-002",
            format!("arn:aws:rds:us-east-1:{a}:db:db-good"),
        ),
        (
            "AWS-RDS-003",
            format!("arn:aws:rds:us-east-1:{a}:db:db-good"),
        ),
        (
            "AWS-DDB-002",
            format!("arn:aws:dynamodb:us-east-1:{a}:table/orders"),
        ),
        (
            "AWS-CT-001",
            format!("arn:aws:cloudtrail:us-east-1:{a}:trail/org-trail"),
        ),
        (
            "AWS-CT-002",
            format!("arn:aws:cloudtrail:us-east-1:{a}:trail/org-trail"),
        ),
    ] {
        assert!(
            passed.contains(&(rule.to_string(), arn.clone())),
            "{rule} {arn} passes: {passed:#?}"
        );
    }
    assert_eq!(
        r["summary"]["passed"].as_u64(),
        Some(r["passed"].as_array().unwrap().len() as u64)
    );
}

#[test]
fn sarif_carries_arn_region_and_account() {
    let moto = Moto::start();
    moto.seed("basic", 0);
    let out = Command::new(env!("CARGO_BIN_EXE_soc2scan"))
        .args([
            "scan",
            "--aws",
            "--region",
            "eu-west-1",
            "--format",
            "sarif",
            "--select",
            "AWS-RDS-001",
        ])
        .env("AWS_ENDPOINT_URL", moto.endpoint())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/c")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/c")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{results:#?}");
    let loc = &results[0]["locations"][0];
    assert!(loc.get("physicalLocation").is_none(), "{loc}");
    let logical = &loc["logicalLocations"][0];
    assert_eq!(
        logical["fullyQualifiedName"],
        format!("arn:aws:rds:eu-west-1:{ACCOUNT}:db:db-bad")
    );
    assert_eq!(logical["kind"], "resource");
    assert_eq!(logical["properties"]["region"], "eu-west-1");
    assert_eq!(logical["properties"]["account"], ACCOUNT);
}

#[test]
fn pagination_reads_every_page() {
    let moto = Moto::start();
    moto.seed("pagination", 1100);
    let (r, _) = scan(
        &moto.endpoint(),
        &["--region", "us-east-1", "--select", "AWS-DDB-002"],
    );
    let found = pairs(&r, "findings");
    assert_eq!(found.len(), 1100, "every table of 11 ListTables pages");
    assert!(found.contains(&(
        "AWS-DDB-002".into(),
        format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t-01099")
    )));
    assert!(pairs(&r, "not_evaluated").is_empty());
}

/// A loopback proxy between soc2scan and moto that denies one service, and fails the
/// first attempt of some calls with throttling or 503 so the SDK must retry.
struct FaultProxy {
    port: u16,
    faults: Arc<AtomicUsize>,
    denied: Arc<AtomicUsize>,
}

/// The signing service of a request (`Credential=AKID/date/region/SERVICE/aws4_request`).
fn service_of(headers: &[String]) -> String {
    header(headers, "authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("")
        .to_string()
}

fn respond(s: &mut TcpStream, status: &str, ctype: &str, body: &str) {
    let msg = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nx-amzn-RequestId: fault\r\n\r\n{body}",
        body.len()
    );
    let _ = s.write_all(msg.as_bytes());
}

impl FaultProxy {
    fn start(upstream: u16, deny: &'static str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let faults = Arc::new(AtomicUsize::new(0));
        let denied = Arc::new(AtomicUsize::new(0));
        let counter = Arc::new(Mutex::new(0usize));
        // The requests failed once: a retry of the same request is always forwarded, so
        // recovery does not depend on how concurrent calls interleave.
        let faulted = Arc::new(Mutex::new(HashSet::<String>::new()));
        let (f2, d2) = (faults.clone(), denied.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (faults, denied, counter, faulted) =
                    (f2.clone(), d2.clone(), counter.clone(), faulted.clone());
                std::thread::spawn(move || {
                    let mut client = conn.try_clone().unwrap();
                    let mut r = BufReader::new(conn);
                    while let Some((start, headers)) = read_head(&mut r) {
                        let len: usize = header(&headers, "content-length")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0);
                        let mut body = vec![0; len];
                        if r.read_exact(&mut body).is_err() {
                            return;
                        }
                        let svc = service_of(&headers);
                        let n = {
                            let mut c = counter.lock().unwrap();
                            *c += 1;
                            *c
                        };
                        if svc == deny {
                            denied.fetch_add(1, Ordering::Relaxed);
                            respond(
                                &mut client,
                                "400 Bad Request",
                                "application/x-amz-json-1.1",
                                r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action"}"#,
                            );
                            continue;
                        }
                        // Every 7th call fails once: throttled (JSON services) or 503.
                        let key = format!(
                            "{start}\n{}\n{}",
                            header(&headers, "x-amz-target").unwrap_or_default(),
                            String::from_utf8_lossy(&body)
                        );
                        if n % 7 == 0 && svc != "sts" && faulted.lock().unwrap().insert(key) {
                            faults.fetch_add(1, Ordering::Relaxed);
                            if svc == "dynamodb" {
                                respond(
                                    &mut client,
                                    "400 Bad Request",
                                    "application/x-amz-json-1.0",
                                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#,
                                );
                            } else {
                                respond(&mut client, "503 Service Unavailable", "text/plain", "");
                            }
                            continue;
                        }
                        // Forward, one upstream connection per request.
                        let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)) else {
                            return;
                        };
                        let mut req = format!("{start}\r\n");
                        for h in &headers {
                            if !h.to_ascii_lowercase().starts_with("connection:") {
                                req.push_str(h);
                                req.push_str("\r\n");
                            }
                        }
                        req.push_str("Connection: close\r\n\r\n");
                        let mut bytes = req.into_bytes();
                        bytes.extend_from_slice(&body);
                        if up.write_all(&bytes).is_err() {
                            return;
                        }
                        let mut resp = Vec::new();
                        let _ = up.read_to_end(&mut resp);
                        let _ = up.shutdown(Shutdown::Both);
                        let Some(split) = resp.windows(4).position(|w| w == b"\r\n\r\n") else {
                            return;
                        };
                        let head = String::from_utf8_lossy(&resp[..split]).to_string();
                        let rbody = &resp[split + 4..];
                        let mut out = String::new();
                        for (i, l) in head.split("\r\n").enumerate() {
                            let low = l.to_ascii_lowercase();
                            if i > 0
                                && (low.starts_with("connection:")
                                    || low.starts_with("content-length:")
                                    || low.starts_with("transfer-encoding:"))
                            {
                                continue;
                            }
                            out.push_str(l);
                            out.push_str("\r\n");
                        }
                        let chunked = head
                            .to_ascii_lowercase()
                            .contains("transfer-encoding: chunked");
                        let rbody = if chunked {
                            dechunk(rbody)
                        } else {
                            rbody.to_vec()
                        };
                        out.push_str(&format!("Content-Length: {}\r\n\r\n", rbody.len()));
                        let mut all = out.into_bytes();
                        all.extend_from_slice(&rbody);
                        if client.write_all(&all).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        FaultProxy {
            port,
            faults,
            denied,
        }
    }
}

#[test]
fn denied_service_is_not_evaluated_and_faults_are_retried() {
    let moto = Moto::start();
    moto.seed("basic", 0);
    // Strict: AWS-KMS-001 (rotation of customer keys), which reads KMS, is strict.
    let regions = [
        "--level",
        "strict",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
    ];
    let (clean, _) = scan(&moto.endpoint(), &regions);
    let proxy = FaultProxy::start(moto.port, "kms");
    let (faulty, stderr) = scan(&format!("http://127.0.0.1:{}", proxy.port), &regions);
    assert!(
        proxy.faults.load(Ordering::Relaxed) >= 5,
        "faults were injected"
    );
    assert!(proxy.denied.load(Ordering::Relaxed) >= 2, "kms was called");

    // Everything but KMS is as without faults: retries recovered every throttled call.
    let not_kms = |s: BTreeSet<(String, String)>| -> BTreeSet<(String, String)> {
        s.into_iter()
            .filter(|(r, _)| !r.starts_with("AWS-KMS-"))
            .collect()
    };
    assert_eq!(
        not_kms(pairs(&faulty, "findings")),
        not_kms(pairs(&clean, "findings")),
        "{stderr}"
    );
    assert_eq!(
        not_kms(pairs(&faulty, "not_evaluated")),
        not_kms(pairs(&clean, "not_evaluated"))
    );
    // KMS: not evaluated in both regions, with service, region and call in the reason.
    let kms_ne: Vec<&serde_json::Value> = faulty["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == "AWS-KMS-001")
        .collect();
    let resources: BTreeSet<&str> = kms_ne
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert_eq!(
        resources,
        BTreeSet::from(["aws:123456789012/eu-west-1", "aws:123456789012/us-east-1",])
    );
    for f in &kms_ne {
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("aws.kms_keys denied: kms:ListKeys (kms:ListKeys in ")
                && reason.contains("AccessDeniedException"),
            "{reason}"
        );
    }
    assert!(pairs(&faulty, "findings")
        .iter()
        .all(|(r, _)| r != "AWS-KMS-001"));
    // The diagnostics say so too.
    let diags: Vec<&str> = faulty["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "live-api")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        diags.iter().any(|m| m.contains("KMS keys not evaluated")),
        "{diags:?}"
    );
    // The control report shows the criterion of the KMS rule as not passed.
    let cc61 = faulty["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "CC6.1")
        .unwrap();
    assert!(cc61["not_evaluated"].as_u64().unwrap() >= 2, "{cc61}");
}
