//! Live AWS scans of EBS snapshots, AMIs, RDS parameter groups, CloudTrail event
//! selectors, load balancer attributes and the account-level S3 public access block,
//! against moto's server (`scripts/moto_seed.py resources`): the exact findings and
//! not-evaluated records of the rules that read them, compliant resources passing.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

/// The rules these tests check.
const RULES: &str =
    "AWS-EBS-001,AWS-EBS-002,AWS-EC2-023,AWS-RDS-010,AWS-CT-005,AWS-ELB-020,AWS-ELB-021,AWS-ELB-010,AWS-S3-023";

/// Runs a boto3 snippet against `moto` (with `client(service, region)` defined) and
/// returns what it prints, one entry per line.
fn boto(moto: &Moto, code: &str) -> Vec<String> {
    let prelude = format!(
        "import boto3\n\
         def client(s, r='us-east-1'):\n    \
             return boto3.client(s, region_name=r, endpoint_url='{}', \
             aws_access_key_id='testing', aws_secret_access_key='testing')\n",
        moto.endpoint()
    );
    let out = Command::new(venv_python())
        .arg("-c")
        .arg(prelude + code)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3 failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Passing results of `rule` in a JSON report.
fn passed(r: &serde_json::Value, rule: &str) -> u64 {
    r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == rule)
        .unwrap_or_else(|| panic!("{rule} not in the report"))["results"]["passed"]
        .as_u64()
        .unwrap()
}

/// The number of findings of `rule` on `resource`.
fn count(r: &serde_json::Value, rule: &str, resource: &str) -> usize {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule && f["resource"] == resource)
        .count()
}

#[test]
fn resources_exact_findings() {
    let moto = Moto::start();
    moto.seed("resources", 0);
    let a = ACCOUNT;
    // Snapshot ids: the plain one and those moto makes for the AMIs (moto creates AMI
    // snapshots unencrypted), the encrypted one and the public one (encrypted).
    let snaps = boto(
        &moto,
        "for s in client('ec2').describe_snapshots(OwnerIds=['self'])['Snapshots']:\n    \
             if s['OwnerId'] == '123456789012':\n        \
                 print(s['SnapshotId'], s['Encrypted'], s.get('Description', '').split(' ')[0])",
    );
    let snap = |encrypted: &str, desc: &str| -> Vec<String> {
        snaps
            .iter()
            .filter_map(|l| {
                let v: Vec<&str> = l.split(' ').collect();
                (v[1] == encrypted && v[2] == desc)
                    .then(|| format!("arn:aws:ec2:us-east-1::snapshot/{}", v[0]))
            })
            .collect()
    };
    assert_eq!(snap("True", "encrypted").len(), 1, "{snaps:?}");
    assert_eq!(snap("False", "plain").len(), 1, "{snaps:?}");
    assert_eq!(snap("True", "public").len(), 1, "{snaps:?}");
    assert_eq!(snap("False", "Created").len(), 3, "{snaps:?}");
    let public_ami = boto(
        &moto,
        "print(client('ec2').describe_images(Owners=['self'], \
         Filters=[{'Name': 'name', 'Values': ['public-ami']}])['Images'][0]['ImageId'])",
    )
    .remove(0);

    let (r, stderr) = scan(
        &moto.endpoint(),
        &[
            "--region",
            "us-east-1",
            "--region",
            "eu-west-1",
            "--region",
            "ap-southeast-2",
            "--select",
            RULES,
        ],
    );
    let lb = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer";
    // moto 5.1 gives network load balancers `app/` ARNs: find the NLB by its name.
    let nlb = ["app", "net"]
        .iter()
        .flat_map(|k| {
            let prefix = format!("{lb}/{k}/nlb-bad/");
            pairs(&r, "findings")
                .into_iter()
                .filter(move |(_, res)| res.starts_with(&prefix))
                .map(|(_, res)| res)
        })
        .next()
        .unwrap_or_else(|| panic!("no finding on nlb-bad: {r:#}"));
    let rds = |x: &str| format!("arn:aws:rds:us-east-1:{a}:{x}");
    let mut want = set(&[
        // The public AMI; the private one and the one shared with an account pass.
        (
            "AWS-EC2-023",
            format!("arn:aws:ec2:us-east-1::image/{public_ami}"),
        ),
        // RDS: a PostgreSQL 14 group that leaves rds.force_ssl at its default (off), a
        // MySQL group that sets require_secure_transport = 0, an Aurora MySQL cluster
        // group without it. The group setting rds.force_ssl = 1, the PostgreSQL 16 group
        // (default on) and the cluster group with require_secure_transport = ON pass.
        ("AWS-RDS-010", rds("db:db-plain")),
        ("AWS-RDS-010", rds("db:db-mysql")),
        ("AWS-RDS-010", rds("cluster:cl-plain")),
        // CloudTrail: eu-west-1's only trail records Lambda data events, not S3 ones.
        (
            "AWS-CT-005",
            format!("arn:aws:cloudtrail:eu-west-1:{a}:trail/lambda-only"),
        ),
        // Load balancers: the bare NLB, the classic one without access logs.
        ("AWS-ELB-020", nlb.clone()),
        ("AWS-ELB-010", nlb),
        ("AWS-ELB-021", format!("{lb}/clb-bad")),
        // The account-level block without restrict_public_buckets.
        (
            "AWS-S3-023",
            format!("arn:aws:s3::{a}:account-public-access-block"),
        ),
    ]);
    for s in snap("False", "plain")
        .into_iter()
        .chain(snap("False", "Created"))
    {
        want.insert(("AWS-EBS-001".into(), s));
    }
    // The public snapshot; the encrypted, the plain and the AMIs' snapshots are private.
    for s in snap("True", "public") {
        want.insert(("AWS-EBS-002".into(), s));
    }
    let found = pairs(&r, "findings");
    assert_eq!(
        found,
        want,
        "\nmissing: {:#?}\nunexpected: {:#?}\n{stderr}",
        want.difference(&found).collect::<Vec<_>>(),
        found.difference(&want).collect::<Vec<_>>()
    );
    let ne = pairs(&r, "not_evaluated");
    assert!(ne.is_empty(), "not evaluated: {ne:#?}");
    assert_eq!(
        count(
            &r,
            "AWS-S3-023",
            &format!("arn:aws:s3::{a}:account-public-access-block")
        ),
        1,
        "only restrict_public_buckets fails"
    );

    // The compliant resources pass.
    for (rule, n) in [
        ("AWS-EBS-001", 2), // the encrypted and the public snapshot
        ("AWS-EBS-002", 5), // encrypted, plain and the three AMI snapshots
        ("AWS-EC2-023", 2), // the private and the shared AMI
        ("AWS-RDS-010", 3), // db-tls, db-pg16, cl-tls
        ("AWS-CT-005", 3),  // s3-basic and mgmt-only (us-east-1), s3-advanced
        ("AWS-ELB-020", 1), // alb-good
        ("AWS-ELB-010", 1), // alb-good
        ("AWS-ELB-021", 1), // clb-good
        ("AWS-S3-023", 3),  // three of the four settings
    ] {
        assert_eq!(passed(&r, rule), n, "{rule} passes");
    }
    assert!(
        !found
            .iter()
            .any(|(_, res)| snap("True", "encrypted").contains(res)),
        "the encrypted snapshot does not fail"
    );
    assert_eq!(
        count(&r, "AWS-EBS-001", &snap("True", "public")[0]),
        0,
        "the public snapshot is encrypted: only AWS-EBS-002 fails on it"
    );
}

/// Answers every request with S3 Control's `AccessDenied` error.
fn denying_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut w = conn.try_clone().unwrap();
                let mut r = BufReader::new(conn);
                loop {
                    let mut len = 0usize;
                    let mut first = true;
                    loop {
                        let mut line = String::new();
                        if r.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        let l = line.trim_end();
                        if l.is_empty() && !first {
                            break;
                        }
                        first = false;
                        if let Some((k, v)) = l.split_once(':') {
                            if k.eq_ignore_ascii_case("content-length") {
                                len = v.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut body = vec![0; len];
                    if r.read_exact(&mut body).is_err() {
                        return;
                    }
                    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                        <ErrorResponse><Error><Code>AccessDenied</Code>\
                        <Message>Access Denied</Message></Error>\
                        <RequestId>denied</RequestId></ErrorResponse>";
                    let msg = format!(
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\n\
                         Content-Length: {}\r\n\r\n{xml}",
                        xml.len()
                    );
                    if w.write_all(msg.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

/// Runs `soc2scan scan --aws --format json ARGS` with S3 Control at `s3control`.
fn scan_with_s3control(endpoint: &str, s3control: &str, args: &[&str]) -> serde_json::Value {
    let out = soc2scan_aws(endpoint)
        .args(["scan", "--aws", "--format", "json"])
        .args(args)
        .env("AWS_ENDPOINT_URL_S3_CONTROL", s3control)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed ({:?}): {stderr}",
        out.status
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"))
}

#[test]
fn account_public_access_block_absent_full_and_denied() {
    let moto = Moto::start();
    let arn = format!("arn:aws:s3::{ACCOUNT}:account-public-access-block");
    let args = ["--region", "us-east-1", "--select", "AWS-S3-023,AWS-S3-022"];

    // Nothing seeded. No account-level block: every setting is off, one finding each.
    let (r, _) = scan(&moto.endpoint(), &args);
    assert_eq!(
        pairs(&r, "findings"),
        set(&[("AWS-S3-023", arn.clone())]),
        "{r:#}"
    );
    assert_eq!(count(&r, "AWS-S3-023", &arn), 4);
    let attrs: BTreeSet<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["attribute"].as_str().unwrap())
        .collect();
    assert_eq!(
        attrs,
        BTreeSet::from([
            "public_access_block.block_public_acls",
            "public_access_block.block_public_policy",
            "public_access_block.ignore_public_acls",
            "public_access_block.restrict_public_buckets",
        ])
    );
    assert_eq!(passed(&r, "AWS-S3-023"), 0);

    // The full block: every setting passes, and it covers a bucket without its own.
    boto(
        &moto,
        "c = client('s3control')\n\
         c.meta.events.register('before-sign.s3-control.*', \
         lambda request, **_: setattr(request, 'url', request.url.replace('://123456789012.', '://', 1)))\n\
         c.put_public_access_block(AccountId='123456789012', PublicAccessBlockConfiguration={\n    \
             'BlockPublicAcls': True, 'IgnorePublicAcls': True,\n    \
             'BlockPublicPolicy': True, 'RestrictPublicBuckets': True})\n\
         client('s3').create_bucket(Bucket='no-own-block')",
    );
    let (r, _) = scan(&moto.endpoint(), &args);
    assert!(pairs(&r, "findings").is_empty(), "{r:#}");
    assert!(pairs(&r, "not_evaluated").is_empty(), "{r:#}");
    assert_eq!(passed(&r, "AWS-S3-023"), 4);
    assert_eq!(passed(&r, "AWS-S3-022"), 1);

    // S3 Control denied: not evaluated with the service, region and call, never a pass;
    // the bucket is then judged on its own (it has no block: it fails).
    let denied = format!("http://127.0.0.1:{}", denying_server());
    let r = scan_with_s3control(&moto.endpoint(), &denied, &args);
    assert_eq!(
        pairs(&r, "not_evaluated"),
        set(&[("AWS-S3-023", arn.clone())]),
        "{r:#}"
    );
    assert_eq!(
        pairs(&r, "findings"),
        set(&[("AWS-S3-022", "arn:aws:s3:::no-own-block".into())])
    );
    assert_eq!(passed(&r, "AWS-S3-023"), 0);
    for ne in r["not_evaluated"].as_array().unwrap() {
        let reason = ne["reason"].as_str().unwrap();
        assert!(
            reason.starts_with("s3control:GetPublicAccessBlock in us-east-1 failed: AccessDenied"),
            "{reason}"
        );
    }
    let diags: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        diags
            .iter()
            .any(|m| m.contains("account-level S3 public access block not evaluated")),
        "{diags:?}"
    );
}

/// A loopback proxy to moto that answers the operations in `deny` with the access
/// denied error of their protocol (EC2 and awsQuery XML, JSON for CloudTrail) and
/// forwards every other request.
fn denying_proxy(upstream: u16, deny: &'static [&'static str]) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut client = conn.try_clone().unwrap();
                let mut r = BufReader::new(conn);
                loop {
                    let mut start = String::new();
                    if r.read_line(&mut start).unwrap_or(0) == 0 {
                        return;
                    }
                    let mut headers = Vec::new();
                    loop {
                        let mut h = String::new();
                        if r.read_line(&mut h).unwrap_or(0) == 0 {
                            return;
                        }
                        let h = h.trim_end().to_string();
                        if h.is_empty() {
                            break;
                        }
                        headers.push(h);
                    }
                    let header = |name: &str| {
                        headers.iter().find_map(|h| {
                            let (k, v) = h.split_once(':')?;
                            k.trim()
                                .eq_ignore_ascii_case(name)
                                .then(|| v.trim().to_string())
                        })
                    };
                    let len: usize = header("content-length")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let mut body = vec![0; len];
                    if r.read_exact(&mut body).is_err() {
                        return;
                    }
                    let text = String::from_utf8_lossy(&body);
                    let action = text
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("Action="))
                        .map(str::to_string)
                        .or_else(|| {
                            header("x-amz-target")
                                .and_then(|t| t.rsplit('.').next().map(str::to_string))
                        })
                        .unwrap_or_default();
                    if deny.contains(&action.as_str()) {
                        let (status, ctype, body) = if header("x-amz-target").is_some() {
                            (
                                "400 Bad Request",
                                "application/x-amz-json-1.1",
                                r#"{"__type":"AccessDeniedException","message":"not authorized"}"#
                                    .to_string(),
                            )
                        } else if text.contains("Version=2016-11-15") {
                            (
                                "403 Forbidden",
                                "text/xml",
                                "<Response><Errors><Error><Code>UnauthorizedOperation</Code>\
                                 <Message>not authorized</Message></Error></Errors>\
                                 <RequestID>denied</RequestID></Response>"
                                    .to_string(),
                            )
                        } else {
                            (
                                "403 Forbidden",
                                "text/xml",
                                "<ErrorResponse><Error><Type>Sender</Type>\
                                 <Code>AccessDenied</Code><Message>not authorized</Message>\
                                 </Error><RequestId>denied</RequestId></ErrorResponse>"
                                    .to_string(),
                            )
                        };
                        let msg = format!(
                            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n\
                             Content-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if client.write_all(msg.as_bytes()).is_err() {
                            return;
                        }
                        continue;
                    }
                    // Forward, one upstream connection per request, and pass the answer
                    // back with a Content-Length (moto may answer chunked).
                    let Ok(mut up) = std::net::TcpStream::connect(("127.0.0.1", upstream)) else {
                        return;
                    };
                    let mut req = start.clone();
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
                    let Some(split) = resp.windows(4).position(|w| w == b"\r\n\r\n") else {
                        return;
                    };
                    let head = String::from_utf8_lossy(&resp[..split]).to_string();
                    let chunked = head
                        .to_ascii_lowercase()
                        .contains("transfer-encoding: chunked");
                    let rbody = if chunked {
                        dechunk(&resp[split + 4..])
                    } else {
                        resp[split + 4..].to_vec()
                    };
                    let mut out = String::new();
                    for (i, l) in head.split("\r\n").enumerate() {
                        let low = l.to_ascii_lowercase();
                        if i > 0
                            && ["connection:", "content-length:", "transfer-encoding:"]
                                .iter()
                                .any(|p| low.starts_with(p))
                        {
                            continue;
                        }
                        out.push_str(l);
                        out.push_str("\r\n");
                    }
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
    port
}

#[test]
fn denied_reads_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("resources", 0);
    let proxy = denying_proxy(
        moto.port,
        &[
            "DescribeSnapshots",
            "DescribeImages",
            "DescribeDBParameters",
            "GetEventSelectors",
            "DescribeLoadBalancerAttributes",
        ],
    );
    let (r, _) = scan(
        &format!("http://127.0.0.1:{proxy}"),
        &["--region", "us-east-1", "--select", RULES],
    );
    let a = ACCOUNT;
    let lb = format!("arn:aws:elasticloadbalancing:us-east-1:{a}:loadbalancer");
    // The ALB and the NLB: the only load balancers AWS-ELB-010 looks at.
    let v2 = arns_of(&r, "AWS-ELB-010", &format!("{lb}/"), 2);
    let rds = |x: &str| format!("arn:aws:rds:us-east-1:{a}:{x}");
    // Snapshots and images could not be listed: their rules are not evaluated in the
    // account and region as a whole (the model's coverage), with the call.
    let scope = format!("aws:{a}/us-east-1");
    let whole: BTreeSet<(String, String)> = coverage_records(&r).into_keys().collect();
    assert_eq!(
        whole,
        set(&[
            ("AWS-EBS-001", scope.clone()),
            ("AWS-EBS-002", scope.clone()),
            ("AWS-EC2-023", scope.clone()),
        ])
    );
    let mut want_ne = set(&[
        // Every instance's group parameters are unknown; the clusters' are read.
        ("AWS-RDS-010", rds("db:db-tls")),
        ("AWS-RDS-010", rds("db:db-plain")),
        ("AWS-RDS-010", rds("db:db-pg16")),
        ("AWS-RDS-010", rds("db:db-mysql")),
        (
            "AWS-CT-005",
            format!("arn:aws:cloudtrail:us-east-1:{a}:trail/s3-basic"),
        ),
        (
            "AWS-CT-005",
            format!("arn:aws:cloudtrail:us-east-1:{a}:trail/mgmt-only"),
        ),
        ("AWS-ELB-021", format!("{lb}/clb-good")),
        ("AWS-ELB-021", format!("{lb}/clb-bad")),
    ]);
    for arn in &v2 {
        want_ne.insert(("AWS-ELB-010".into(), arn.clone()));
        want_ne.insert(("AWS-ELB-020".into(), arn.clone()));
    }
    let ne = pairs(&r, "not_evaluated");
    assert_eq!(
        ne,
        want_ne,
        "\nmissing: {:#?}\nunexpected: {:#?}",
        want_ne.difference(&ne).collect::<Vec<_>>(),
        ne.difference(&want_ne).collect::<Vec<_>>()
    );
    assert_eq!(
        pairs(&r, "findings"),
        set(&[
            ("AWS-RDS-010", rds("cluster:cl-plain")),
            (
                "AWS-S3-023",
                format!("arn:aws:s3::{a}:account-public-access-block"),
            ),
        ])
    );
    // Nothing whose read was denied passes.
    for rule in [
        "AWS-EBS-001",
        "AWS-EBS-002",
        "AWS-EC2-023",
        "AWS-CT-005",
        "AWS-ELB-010",
    ] {
        assert_eq!(passed(&r, rule), 0, "{rule}");
    }
    assert_eq!(passed(&r, "AWS-RDS-010"), 1, "cl-tls");
    // Each reason names the service, region and call.
    for f in r["not_evaluated"].as_array().unwrap() {
        let reason = f["reason"].as_str().unwrap();
        let call = match f["rule_id"].as_str().unwrap() {
            "AWS-EBS-001" | "AWS-EBS-002" => {
                "ec2:DescribeSnapshots in us-east-1 failed: UnauthorizedOperation"
            }
            "AWS-EC2-023" => "ec2:DescribeImages in us-east-1 failed: UnauthorizedOperation",
            "AWS-RDS-010" => "rds:DescribeDBParameters in us-east-1 failed: AccessDenied",
            "AWS-CT-005" => {
                "cloudtrail:GetEventSelectors in us-east-1 failed: AccessDeniedException"
            }
            "AWS-ELB-021" => {
                "elasticloadbalancing:DescribeLoadBalancerAttributes (classic) in us-east-1 \
                 failed: AccessDenied"
            }
            _ => {
                "elasticloadbalancing:DescribeLoadBalancerAttributes in us-east-1 failed: \
                  AccessDenied"
            }
        };
        assert!(reason.contains(call), "{f:#}");
    }
}

#[test]
fn denied_snapshot_attribute_is_not_evaluated() {
    let moto = Moto::start();
    moto.seed("resources", 0);
    let proxy = denying_proxy(moto.port, &["DescribeSnapshotAttribute"]);
    let (r, _) = scan(
        &format!("http://127.0.0.1:{proxy}"),
        &[
            "--region",
            "us-east-1",
            "--select",
            "AWS-EBS-001,AWS-EBS-002",
        ],
    );
    // Every snapshot the account owns: encrypted, plain, public and the AMIs' three.
    let snaps: BTreeSet<(String, String)> = boto(
        &moto,
        "for s in client('ec2').describe_snapshots(OwnerIds=['self'])['Snapshots']:\n    \
             if s['OwnerId'] == '123456789012':\n        \
                 print(s['SnapshotId'])",
    )
    .into_iter()
    .map(|id| {
        (
            "AWS-EBS-002".to_string(),
            format!("arn:aws:ec2:us-east-1::snapshot/{id}"),
        )
    })
    .collect();
    assert_eq!(snaps.len(), 6, "{snaps:?}");
    assert_eq!(pairs(&r, "not_evaluated"), snaps);
    assert_eq!(passed(&r, "AWS-EBS-002"), 0);
    for f in r["not_evaluated"].as_array().unwrap() {
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.contains(
                "ec2:DescribeSnapshotAttribute in us-east-1 failed: UnauthorizedOperation"
            ),
            "{f:#}"
        );
    }
    // The listing itself is read: encryption is still evaluated (the plain snapshot and
    // the AMIs' three fail, the encrypted and the public one pass).
    assert_eq!(
        pairs(&r, "findings")
            .iter()
            .filter(|(rule, _)| rule == "AWS-EBS-001")
            .count(),
        4
    );
    assert_eq!(passed(&r, "AWS-EBS-001"), 2);
}
