//! Live AWS scans of Secrets Manager, ECR, OpenSearch and Redshift against moto's server
//! (see tests/aws_live.rs for the harness): keys, resource policies, image scanning,
//! domain encryption and endpoints, cluster encryption, logging and parameters, read
//! with the same rules and ids as from Terraform; a denied service is not evaluated;
//! secret listings are read to the end over several pages.
#![cfg(feature = "aws")]

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const SECRETS: [&str; 2] = ["AWS-SM-001", "AWS-SM-020"];
const ECR: [&str; 3] = ["AWS-ECR-001", "AWS-ECR-020", "AWS-ECR-021"];
const OPENSEARCH: [&str; 7] = [
    "AWS-OS-001",
    "AWS-OS-002",
    "AWS-OS-003",
    "AWS-OS-004",
    "AWS-OS-005",
    "AWS-OS-006",
    "AWS-OS-020",
];
const REDSHIFT: [&str; 6] = [
    "AWS-RS-001",
    "AWS-RS-002",
    "AWS-RS-003",
    "AWS-RS-004",
    "AWS-RS-005",
    "AWS-RS-020",
];

fn rules() -> Vec<&'static str> {
    SECRETS
        .iter()
        .chain(&ECR)
        .chain(&OPENSEARCH)
        .chain(&REDSHIFT)
        .copied()
        .collect()
}

#[test]
fn analytics_services_exact_findings() {
    let s = scan_pairs("analytics", 0, &select(&REGIONS, &rules()), &[]);
    let (r, stderr) = (&s.report, &s.stderr);
    let a = ACCOUNT;
    let p = |rule: &str, res: &str| (rule.to_string(), res.to_string());
    // Secret ARNs end in a random suffix.
    let token = arn_of(
        r,
        "AWS-SM-001",
        &format!("arn:aws:secretsmanager:eu-west-1:{a}:secret:api-token-"),
    );
    let password = format!("arn:aws:secretsmanager:us-east-1:{a}:secret:db-password-");
    let password = resources_of(r, "passed", "AWS-SM-001")
        .into_iter()
        .find(|x| x.starts_with(&password))
        .unwrap_or_else(|| panic!("{password}: {:#}", r["passed"]));
    let legacy_repo = format!("arn:aws:ecr:eu-west-1:{a}:repository/legacy");
    let app_repo = format!("arn:aws:ecr:us-east-1:{a}:repository/app");
    let logs = format!("arn:aws:es:eu-west-1:{a}:domain/logs");
    let search = format!("arn:aws:es:us-east-1:{a}:domain/search");
    let legacy = format!("arn:aws:redshift:eu-west-1:{a}:cluster:legacy");
    let warehouse = format!("arn:aws:redshift:us-east-1:{a}:cluster:warehouse");

    let mut want = vec![
        // eu-west-1: the secret under the AWS managed key, open to everyone.
        p("AWS-SM-001", &token),
        p("AWS-SM-020", &token),
        // The repository under AES256, not scanning, open to everyone.
        p("AWS-ECR-001", &legacy_repo),
        p("AWS-ECR-020", &legacy_repo),
        p("AWS-ECR-021", &legacy_repo),
        // The warehouse's custom group does not set require_ssl nor user activity
        // logging (moto cannot set cluster parameters).
        p("AWS-RS-003", &warehouse),
        p("AWS-RS-005", &warehouse),
    ];
    // The Elasticsearch domain with nothing on and a public endpoint open to everyone;
    // the cluster with nothing on, publicly accessible, in the default group.
    want.extend(OPENSEARCH.iter().map(|rule| p(rule, &logs)));
    want.extend(REDSHIFT.iter().map(|rule| p(rule, &legacy)));
    assert_same(s.findings.clone(), want.into_iter().collect());

    let mut passed = vec![
        p("AWS-SM-001", &password),
        p("AWS-SM-020", &password),
        p("AWS-RS-001", &warehouse),
        p("AWS-RS-002", &warehouse),
        p("AWS-RS-004", &warehouse),
        p("AWS-RS-020", &warehouse),
    ];
    passed.extend(ECR.iter().map(|rule| p(rule, &app_repo)));
    passed.extend(OPENSEARCH.iter().map(|rule| p(rule, &search)));
    assert_same(s.passed.clone(), passed.into_iter().collect());
    assert!(
        s.not_evaluated.is_empty(),
        "{:#}\n{stderr}",
        r["not_evaluated"]
    );

    // The messages say what was read.
    let message = |rule: &str, res: &str| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule_id"] == rule && f["resource"] == res)
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        message("AWS-SM-001", &token),
        "secret is encrypted with the AWS managed key aws/secretsmanager"
    );
    assert!(
        message("AWS-RS-003", &warehouse).starts_with(&format!(
            "parameter group arn:aws:redshift:us-east-1:{a}:parametergroup:secure does not set require_ssl"
        )),
        "{}",
        message("AWS-RS-003", &warehouse)
    );
    assert!(
        message("AWS-RS-003", &legacy).starts_with("the cluster uses the default parameter group")
    );
    assert_eq!(
        message("AWS-OS-004", &logs),
        "domain endpoint uses TLS policy Policy-Min-TLS-1-0-2019-07, which allows TLS older than 1.2"
    );

    // Every collection was read in both regions.
    assert_read(
        r,
        a,
        &REGIONS,
        &[
            "aws.secrets",
            "aws.ecr_repositories",
            "aws.search_domains",
            "aws.redshift_clusters",
            "aws.redshift_parameter_groups",
        ],
    );
}

/// More secrets than one page of `ListSecrets` (the adapter asks for 100 a page): every
/// one is read. (moto returns every ECR repository in one `DescribeRepositories` answer
/// and `ListDomainNames` has no pagination, so only secrets can show paging here.)
#[test]
fn secret_listing_is_read_to_the_end() {
    let s = scan_pairs(
        "analytics",
        150,
        &select(&["us-east-1"], &["AWS-SM-001"]),
        &[],
    );
    // db-password and the 150 bulk secrets, all under the customer key.
    assert_eq!(counts(&s.report, "AWS-SM-001"), (0, 151, 0));
}

/// The four services denied (their endpoints answer AccessDenied; everything else
/// reaches moto): their rules are not evaluated in each scanned region, with the
/// refused list call.
#[test]
fn denied_analytics_services_are_not_evaluated() {
    let s = scan_pairs(
        "analytics",
        0,
        &select(&REGIONS, &rules()),
        &["SECRETS_MANAGER", "ECR", "OPENSEARCH", "REDSHIFT"],
    );
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(s.findings.is_empty(), "{:#}", s.report["findings"]);
    assert!(s.passed.is_empty(), "{:#}", s.report["passed"]);
    assert_same(s.coverage_pairs(), records(&rules(), &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
        let call = if rule.starts_with("AWS-SM") {
            "denied: secretsmanager:ListSecrets ("
        } else if rule.starts_with("AWS-ECR") {
            "denied: ecr:DescribeRepositories ("
        } else if rule.starts_with("AWS-OS") {
            "denied: es:ListDomainNames ("
        } else {
            "denied: redshift:DescribeClusters ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
}
