//! Live AWS scans of CloudFront distributions, API Gateway stages and domain names and
//! WAF web ACLs against moto's server (see tests/aws_live.rs for the harness): the same
//! rules and ids as from Terraform; a denied service is not evaluated. Where moto 5.1
//! falls short the rules are asserted *not evaluated*: it does not implement
//! `ListResourcesForWebACL` (AWS-WAF-002), and it writes CloudFront's booleans as
//! `True`/`False`, which the AWS SDK rejects, so distributions cannot be listed from it
//! (the CloudFront rules; the adapter's reading of a distribution is unit-tested).
#![cfg(feature = "aws")]

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const CLOUDFRONT: [&str; 5] = [
    "AWS-CF-001",
    "AWS-CF-002",
    "AWS-CF-003",
    "AWS-CF-020",
    "AWS-CF-021",
];
const APIGW: [&str; 3] = ["AWS-APIGW-001", "AWS-APIGW-020", "AWS-APIGW-021"];
const WAF: [&str; 2] = ["AWS-WAF-001", "AWS-WAF-002"];

fn rules() -> Vec<&'static str> {
    CLOUDFRONT
        .iter()
        .chain(&APIGW)
        .chain(&WAF)
        .copied()
        .collect()
}

fn args() -> Vec<&'static str> {
    let mut v = vec!["--region", "us-east-1", "--region", "eu-west-1"];
    v.extend(rules().into_iter().flat_map(|r| ["--select", r]));
    v
}

/// The one resource of `rule` under `key` whose ARN starts with `prefix`.
fn one(r: &serde_json::Value, key: &str, rule: &str, prefix: &str) -> String {
    let all: Vec<String> = resources_of(r, key, rule)
        .into_iter()
        .filter(|x| x.starts_with(prefix))
        .collect();
    assert_eq!(all.len(), 1, "{rule} {key} {prefix}: {all:?}");
    all[0].clone()
}

#[test]
fn edge_services_exact_findings() {
    let moto = Moto::start();
    moto.seed("edge", 0);
    let (r, stderr) = scan(&moto.endpoint(), &args());
    let a = ACCOUNT;
    let p = |rule: &str, res: &str| (rule.to_string(), res.to_string());
    let stage = |key: &str, rule: &str, region: &str, kind: &str| {
        one(
            &r,
            key,
            rule,
            &format!("arn:aws:apigateway:{region}::/{kind}/"),
        )
    };
    let (rest_bad, http_bad) = (
        stage("findings", "AWS-APIGW-020", "eu-west-1", "restapis"),
        stage("findings", "AWS-APIGW-020", "eu-west-1", "apis"),
    );
    let (rest_good, http_good) = (
        stage("passed", "AWS-APIGW-020", "us-east-1", "restapis"),
        stage("passed", "AWS-APIGW-020", "us-east-1", "apis"),
    );
    assert!(rest_good.ends_with("/stages/prod"), "{rest_good}");
    assert!(http_bad.ends_with("/stages/open"), "{http_bad}");
    let acl_bad = one(
        &r,
        "findings",
        "AWS-WAF-001",
        &format!("arn:aws:wafv2:eu-west-1:{a}:regional/webacl/quiet/"),
    );
    let acl_good = one(
        &r,
        "passed",
        "AWS-WAF-001",
        &format!("arn:aws:wafv2:us-east-1:{a}:regional/webacl/main/"),
    );
    let domain =
        |region: &str, name: &str| format!("arn:aws:apigateway:{region}::/domainnames/{name}");

    let findings = vec![
        p("AWS-APIGW-001", &domain("eu-west-1", "legacy.example.com")),
        p("AWS-APIGW-020", &rest_bad),
        p("AWS-APIGW-021", &rest_bad),
        p("AWS-APIGW-020", &http_bad),
        p("AWS-APIGW-021", &http_bad),
        p("AWS-WAF-001", &acl_bad),
    ];
    assert_same(pairs(&r, "findings"), findings.into_iter().collect());

    let passed = vec![
        p("AWS-APIGW-001", &domain("us-east-1", "api.example.com")),
        p("AWS-APIGW-020", &rest_good),
        p("AWS-APIGW-021", &rest_good),
        p("AWS-APIGW-020", &http_good),
        p("AWS-APIGW-021", &http_good),
        p("AWS-WAF-001", &acl_good),
    ];
    assert_same(pairs(&r, "passed"), passed.into_iter().collect());

    // Which stages the web ACLs protect could not be read (moto): the REST stages are
    // not evaluated by AWS-WAF-002, and so is the rule in each region.
    assert_same(
        pairs(&r, "not_evaluated"),
        [p("AWS-WAF-002", &rest_good), p("AWS-WAF-002", &rest_bad)]
            .into_iter()
            .collect(),
    );
    // CloudFront, global, is read with the first region: its listing failed there.
    let whole = coverage_records(&r);
    let mut want: Vec<(&str, String)> = CLOUDFRONT
        .iter()
        .map(|rule| (*rule, format!("aws:{a}/us-east-1")))
        .collect();
    want.push(("AWS-WAF-002", format!("aws:{a}/us-east-1")));
    want.push(("AWS-WAF-002", format!("aws:{a}/eu-west-1")));
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        let call = if rule.starts_with("AWS-CF") {
            "aws.cloudfront_distributions failed: cloudfront:ListDistributions ("
        } else {
            "aws.web_acl_associations failed: wafv2:ListResourcesForWebACL ("
        };
        assert!(reason.contains(call), "{rule}: {reason}\n{stderr}");
    }
}

/// CloudFront, API Gateway and WAF denied: their rules are not evaluated (CloudFront
/// in the account's first region, where the global service is read), with the refused
/// list call.
#[test]
fn denied_edge_services_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("edge", 0);
    let deny = format!("http://127.0.0.1:{}", deny_server());
    let out = soc2scan_aws(&moto.endpoint())
        .args(["scan", "--aws", "--format", "json"])
        .args(args())
        .env("AWS_ENDPOINT_URL_CLOUDFRONT", &deny)
        .env("AWS_ENDPOINT_URL_API_GATEWAY", &deny)
        .env("AWS_ENDPOINT_URL_WAFV2", &deny)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // HTTP APIs (API Gateway v2) still answer, but a stage listing needs both
    // flavours: no stage is judged.
    assert!(pairs(&r, "findings").is_empty(), "{:#}", r["findings"]);
    assert!(pairs(&r, "passed").is_empty(), "{:#}", r["passed"]);
    let whole = coverage_records(&r);
    let mut want: Vec<(&str, String)> = CLOUDFRONT
        .iter()
        .map(|rule| (*rule, format!("aws:{ACCOUNT}/us-east-1")))
        .collect();
    for region in ["us-east-1", "eu-west-1"] {
        for rule in APIGW.iter().chain(&WAF) {
            want.push((rule, format!("aws:{ACCOUNT}/{region}")));
        }
    }
    assert_same(whole.keys().cloned().collect(), set(&want));
    for ((rule, _), reason) in &whole {
        let call = if rule.starts_with("AWS-CF") {
            "denied: cloudfront:ListDistributions ("
        } else if rule == "AWS-APIGW-001" {
            "denied: apigateway:GetDomainNames ("
        } else if rule.starts_with("AWS-APIGW") {
            "denied: apigateway:GetRestApis ("
        } else {
            "denied: wafv2:ListWebACLs ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
