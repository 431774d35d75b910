//! Live AWS scans of instances' attached volumes and user data, launch templates,
//! launch configurations and Auto Scaling groups against moto's server (see
//! tests/aws_live.rs for the harness): the same rules and ids as from Terraform; user
//! data is judged for credentials and never printed; a denied service is not
//! evaluated; groups are read to the end over several pages.
#![cfg(feature = "aws")]

#[path = "support/moto.rs"]
mod moto;
use moto::*;

const RULES: [&str; 4] = ["AWS-EC2-022", "AWS-EC2-025", "AWS-EC2-026", "AWS-ASG-001"];

/// The fake credentials of the seed: they must never reach the output.
const SECRETS: [&str; 2] = ["AKIAIOSFODNN7EXAMPLE", "hunter2-example"];

#[test]
fn compute_exact_findings() {
    let s = scan_pairs("compute", 0, &select(&REGIONS, &RULES), &[]);
    assert_eq!(s.code, Some(1), "{}", s.stderr);
    for secret in SECRETS {
        assert!(
            !s.stdout.contains(secret) && !s.stderr.contains(secret),
            "{secret} printed"
        );
    }
    let r = &s.report;
    let a = ACCOUNT;
    let p = |rule: &str, res: &str| (rule.to_string(), res.to_string());
    let inst =
        |region: &str, rule: &str| arn_of(r, rule, &format!("arn:aws:ec2:{region}:{a}:instance/"));
    let template = |region: &str| {
        arn_of(
            r,
            "AWS-EC2-022",
            &format!("arn:aws:ec2:{region}:{a}:launch-template/lt-"),
        )
    };
    let group = |region: &str| {
        arn_of(
            r,
            "AWS-ASG-001",
            &format!("arn:aws:autoscaling:{region}:{a}:autoScalingGroup:"),
        )
    };
    let config = arn_of(
        r,
        "AWS-EC2-022",
        &format!("arn:aws:autoscaling:eu-west-1:{a}:launchConfiguration:"),
    );
    assert!(config.ends_with(":launchConfigurationName/old"), "{config}");
    let (eu_inst, eu_lt, eu_asg) = (
        inst("eu-west-1", "AWS-EC2-025"),
        template("eu-west-1"),
        group("eu-west-1"),
    );
    // The compliant resources pass: their ARNs are read from the passed records.
    let passed_arn = |rule: &str, prefix: String| {
        let all: Vec<String> = resources_of(r, "passed", rule)
            .into_iter()
            .filter(|x| x.starts_with(&prefix))
            .collect();
        assert_eq!(all.len(), 1, "{rule} {prefix}: {all:?}");
        all[0].clone()
    };
    let (us_inst, us_lt, us_asg) = (
        passed_arn(
            "AWS-EC2-025",
            format!("arn:aws:ec2:us-east-1:{a}:instance/"),
        ),
        passed_arn(
            "AWS-EC2-022",
            format!("arn:aws:ec2:us-east-1:{a}:launch-template/lt-"),
        ),
        passed_arn(
            "AWS-ASG-001",
            format!("arn:aws:autoscaling:us-east-1:{a}:autoScalingGroup:"),
        ),
    );
    assert!(us_asg.ends_with(":autoScalingGroupName/web"), "{us_asg}");
    assert_same(
        s.findings.clone(),
        [
            // eu-west-1: the unencrypted attached volume, the access key in the user data.
            p("AWS-EC2-025", &eu_inst),
            p("AWS-EC2-026", &eu_inst),
            // The template allowing IMDSv1, with an unencrypted device and a password.
            p("AWS-EC2-022", &eu_lt),
            p("AWS-EC2-025", &eu_lt),
            p("AWS-EC2-026", &eu_lt),
            // The launch configuration: the same (IMDSv1 by default).
            p("AWS-EC2-022", &config),
            p("AWS-EC2-025", &config),
            p("AWS-EC2-026", &config),
            // The group in one zone.
            p("AWS-ASG-001", &eu_asg),
        ]
        .into_iter()
        .collect(),
    );
    assert_same(
        s.passed.clone(),
        [
            // us-east-1: encrypted volumes; user data reading its secret at boot.
            p("AWS-EC2-025", &us_inst),
            p("AWS-EC2-026", &us_inst),
            p("AWS-EC2-022", &us_lt),
            p("AWS-EC2-025", &us_lt),
            p("AWS-EC2-026", &us_lt),
            p("AWS-ASG-001", &us_asg),
            // Each device is judged: the eu-west-1 instance's own data volume, which moto
            // encrypted, passes beside the attached one that fails.
            p("AWS-EC2-025", &eu_inst),
        ]
        .into_iter()
        .collect(),
    );
    // The launch configuration's root device comes from its AMI, which is not read.
    assert_same(
        s.not_evaluated.clone(),
        [p("AWS-EC2-025", &config)].into_iter().collect(),
    );
    let message = |rule: &str, res: &str| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule_id"] == rule && f["resource"] == res)
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        message("AWS-EC2-025", &eu_inst),
        ["EBS block device /dev/sdg is not encrypted"]
    );
    assert_eq!(
        message("AWS-EC2-026", &eu_inst),
        ["user data holds credentials in clear (AWS access key id): readable by anyone who can describe the instance and by every process on it"]
    );
    assert!(
        message("AWS-EC2-026", &eu_lt)[0].contains("secret assignment (DB_PASSWORD)"),
        "{:?}",
        message("AWS-EC2-026", &eu_lt)
    );
    assert_eq!(
        message("AWS-ASG-001", &eu_asg),
        ["group uses a single availability zone"]
    );
}

/// More groups than one page of `DescribeAutoScalingGroups` (moto pages by 50): every
/// one is read.
#[test]
fn group_listing_is_read_to_the_end() {
    let s = scan_pairs(
        "compute",
        120,
        &select(&["us-east-1"], &["AWS-ASG-001"]),
        &[],
    );
    // web and the 120 bulk groups, all over two zones.
    assert_eq!(counts(&s.report, "AWS-ASG-001"), (0, 121, 0));
}

/// Auto Scaling denied (its endpoint answers AccessDenied; everything else reaches
/// moto): the groups and the launch definitions are not evaluated in each scanned
/// region, with the refused call; instances are still judged.
#[test]
fn denied_autoscaling_is_not_evaluated() {
    let s = scan_pairs("compute", 0, &select(&REGIONS, &RULES), &["AUTO_SCALING"]);
    assert_eq!(s.code, Some(1), "{}", s.stderr);
    let r = &s.report;
    assert_same(s.coverage_pairs(), records(&RULES, &REGIONS, ACCOUNT));
    for ((rule, _), reason) in &s.coverage {
        let call = if rule == "AWS-ASG-001" {
            "denied: autoscaling:DescribeAutoScalingGroups ("
        } else {
            "denied: autoscaling:DescribeLaunchConfigurations ("
        };
        assert!(reason.contains(call), "{rule}: {reason}");
    }
    // The instances were read through EC2 and judged.
    for rule in ["AWS-EC2-025", "AWS-EC2-026"] {
        let (failed, passed, _) = counts(r, rule);
        assert!(failed + passed >= 2, "{rule}");
    }
    assert!(resources_of(r, "passed", "AWS-ASG-001").is_empty());
    assert!(resources_of(r, "findings", "AWS-ASG-001").is_empty());
}
