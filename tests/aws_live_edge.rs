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
    let s = scan_pairs("edge", 0, &select(&REGIONS, &rules()), &[]);
    let (r, stderr) = (&s.report, &s.stderr);
    let a = ACCOUNT;
    let p = |rule: &str, res: &str| (rule.to_string(), res.to_string());
    let stage = |key: &str, rule: &str, region: &str, kind: &str| {
        one(
            r,
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
        r,
        "findings",
        "AWS-WAF-001",
        &format!("arn:aws:wafv2:eu-west-1:{a}:regional/webacl/quiet/"),
    );
    let acl_good = one(
        r,
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
    assert_same(s.findings.clone(), findings.into_iter().collect());

    let passed = vec![
        p("AWS-APIGW-001", &domain("us-east-1", "api.example.com")),
        p("AWS-APIGW-020", &rest_good),
        p("AWS-APIGW-021", &rest_good),
        p("AWS-APIGW-020", &http_good),
        p("AWS-APIGW-021", &http_good),
        p("AWS-WAF-001", &acl_good),
    ];
    assert_same(s.passed.clone(), passed.into_iter().collect());

    // Which stages the web ACLs protect could not be read (moto): the REST stages are
    // not evaluated by AWS-WAF-002, and so is the rule in each region.
    assert_same(
        s.not_evaluated.clone(),
        [p("AWS-WAF-002", &rest_good), p("AWS-WAF-002", &rest_bad)]
            .into_iter()
            .collect(),
    );
    // CloudFront, global, is read with the first region: its listing failed there.
    let mut want = records(&CLOUDFRONT, &["us-east-1"], a);
    want.extend(records(&["AWS-WAF-002"], &REGIONS, a));
    assert_same(s.coverage_pairs(), want);
    for ((rule, _), reason) in &s.coverage {
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
    let s = scan_pairs(
        "edge",
        0,
        &select(&REGIONS, &rules()),
        &["CLOUDFRONT", "API_GATEWAY", "WAFV2"],
    );
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    // HTTP APIs (API Gateway v2) still answer, but a stage listing needs both
    // flavours: no stage is judged.
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    let apigw_waf: Vec<&str> = APIGW.iter().chain(&WAF).copied().collect();
    let mut want = records(&CLOUDFRONT, &["us-east-1"], ACCOUNT);
    want.extend(records(&apigw_waf, &REGIONS, ACCOUNT));
    assert_same(s.coverage_pairs(), want);
    for ((rule, _), reason) in &s.coverage {
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
