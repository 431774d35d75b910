//! Resource identity across root modules (`fixtures/eval/roots/`): roots `a` and `b`
//! declare the same addresses (and call one shared module), so each finding must name
//! its root module in its fingerprint, and joins must stay within the root.

use std::path::PathBuf;

use soc2scan::baseline::{self, Baseline};
use soc2scan::engine::Selection;
use soc2scan::finding::{fingerprint, CheckResult, Outcome};
use soc2scan::report::Report;
use soc2scan::scan::{scan, ScanConfig};

const FIXTURE: &str = "fixtures/eval/roots";
const RULES: [&str; 5] = [
    "AWS-S3-001",
    "AWS-S3-004",
    "AWS-S3-021",
    "AWS-IAM-002",
    "AWS-TAG-001",
];

fn run(path: PathBuf) -> Report {
    scan(&ScanConfig {
        paths: vec![path],
        selection: Selection {
            select: RULES.iter().map(|s| s.to_string()).collect(),
            ignore: vec![],
        },
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .expect("scan")
}

fn report() -> Report {
    run(PathBuf::from(FIXTURE))
}

/// The file declaring the resource of `r`.
fn file(r: &CheckResult) -> &str {
    r.resource_location.file().unwrap_or_default()
}

/// Results of `rule` on `resource` declared in `path`.
fn results<'a>(rep: &'a Report, rule: &str, resource: &str, path: &str) -> Vec<&'a CheckResult> {
    rep.results
        .iter()
        .filter(|r| r.rule_id == rule && &*r.resource == resource && file(r) == path)
        .collect()
}

/// The single outcome of `rule` on `resource` in root `root` (`a`, `b`).
fn outcome<'a>(rep: &'a Report, rule: &str, resource: &str, root: &str) -> &'a Outcome {
    let path = format!("{FIXTURE}/{root}/main.tf");
    let v = results(rep, rule, resource, &path);
    assert_eq!(v.len(), 1, "{rule} {resource} in {root}: {v:?}");
    &v[0].outcome
}

#[test]
fn the_same_address_in_two_roots_is_two_findings() {
    let rep = report();
    let shared = format!("{FIXTURE}/shared/main.tf");
    for rule in ["AWS-S3-001", "AWS-S3-004", "AWS-TAG-001"] {
        let v = results(&rep, rule, "module.store.aws_s3_bucket.this", &shared);
        assert_eq!(
            v.len(),
            2,
            "{rule}: one per root module, not deduplicated: {v:?}"
        );
        assert!(v.iter().all(|r| r.is_fail()), "{v:?}");
        assert_eq!(
            v[0].location, v[1].location,
            "same lines of the shared module"
        );
        assert_eq!(v[0].attribute, v[1].attribute);
        assert_ne!(v[0].fingerprint, v[1].fingerprint, "{rule}");
        let mut got = vec![v[0].fingerprint.clone(), v[1].fingerprint.clone()];
        got.sort();
        let mut want: Vec<String> = ["a", "b"]
            .iter()
            .map(|root| {
                fingerprint(
                    rule,
                    &format!("{FIXTURE}/{root}"),
                    "module.store.aws_s3_bucket.this",
                    &v[0].attribute,
                )
            })
            .collect();
        want.sort();
        assert_eq!(
            got, want,
            "hash of rule, root module directory, address, attribute"
        );
    }
    // Resources declared in the roots themselves: also two identities.
    let a = results(
        &rep,
        "AWS-S3-001",
        "aws_s3_bucket.logs",
        &format!("{FIXTURE}/a/main.tf"),
    );
    let b = results(
        &rep,
        "AWS-S3-001",
        "aws_s3_bucket.logs",
        &format!("{FIXTURE}/b/main.tf"),
    );
    assert_eq!((a.len(), b.len()), (1, 1));
    assert_ne!(a[0].fingerprint, b[0].fingerprint);
}

#[test]
fn joins_stay_within_the_root_module() {
    let rep = report();
    let logs = "aws_s3_bucket.logs";
    // Versioning is configured for A's bucket only.
    assert_eq!(outcome(&rep, "AWS-S3-004", logs, "a"), &Outcome::Pass);
    assert!(matches!(
        outcome(&rep, "AWS-S3-004", logs, "b"),
        Outcome::Fail { .. }
    ));
    // Each bucket policy reads its own root's `data.aws_iam_policy_document.p`: A's
    // allows everyone, B's one account.
    assert!(matches!(
        outcome(&rep, "AWS-S3-021", logs, "a"),
        Outcome::Fail { .. }
    ));
    assert_eq!(outcome(&rep, "AWS-S3-021", logs, "b"), &Outcome::Pass);
    // The login profile names the user "deploy": IAM names are per account, so it is
    // A's user only (a user without console access has no result).
    assert!(matches!(
        outcome(&rep, "AWS-IAM-002", "aws_iam_user.u", "a"),
        Outcome::Fail { .. }
    ));
    let b_user = results(
        &rep,
        "AWS-IAM-002",
        "aws_iam_user.u",
        &format!("{FIXTURE}/b/main.tf"),
    );
    assert!(b_user.is_empty(), "{b_user:?}");
}

#[test]
fn fingerprints_do_not_depend_on_how_the_path_is_written() {
    let relative = report();
    let absolute = run(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FIXTURE));
    let prints = |r: &Report| {
        let mut v: Vec<String> = r.results.iter().map(|x| x.fingerprint.clone()).collect();
        v.sort();
        v
    };
    assert!(!relative.results.is_empty());
    assert_eq!(prints(&relative), prints(&absolute));
}

#[test]
fn baseline_keeps_roots_apart() {
    let all = report();
    let failing = all.results.iter().filter(|r| r.is_fail()).count();
    assert!(failing > 4);
    // Everything recorded: everything known.
    let known = Baseline::from_report(&all);
    let text = known.to_json();
    let known = Baseline::parse(&text, std::path::Path::new("b.json")).expect("parse");
    let mut rep = report();
    baseline::apply(&mut rep, &known, "b.json", |_| true);
    let outcome = rep.baseline.as_ref().expect("applied");
    assert_eq!(outcome.unchanged.len(), failing);
    assert!(outcome.absent.is_empty());
    assert!(rep.results.iter().all(|r| !r.is_fail()));
    // Only root A's findings recorded (including A's copy of the shared module's
    // findings, whose file is the same for both roots): every finding of B stays new.
    let root_a = format!("{FIXTURE}/a");
    let only_a = Baseline::from_entries(
        all.results
            .iter()
            .filter(|r| r.is_fail())
            .filter(|r| r.fingerprint == fingerprint(r.rule_id, &root_a, &r.resource, &r.attribute))
            .map(baseline::Entry::of)
            .collect(),
    );
    let a_count = only_a.findings.len();
    assert!(a_count >= 4, "{a_count}");
    let mut rep = report();
    baseline::apply(&mut rep, &only_a, "b.json", |_| true);
    assert_eq!(rep.baseline.as_ref().unwrap().unchanged.len(), a_count);
    let new: Vec<&CheckResult> = rep.results.iter().filter(|r| r.is_fail()).collect();
    assert_eq!(new.len(), failing - a_count);
    let root_b = format!("{FIXTURE}/b");
    for r in new {
        assert_eq!(
            r.fingerprint,
            fingerprint(r.rule_id, &root_b, &r.resource, &r.attribute),
            "{r:?}"
        );
    }
}

/// (rule, resource, attribute) → fingerprint of every result.
fn identities(r: &Report) -> std::collections::BTreeMap<(String, String, String), String> {
    r.results
        .iter()
        .map(|x| {
            (
                (
                    x.rule_id.to_string(),
                    x.resource.to_string(),
                    x.attribute.to_string(),
                ),
                x.fingerprint.clone(),
            )
        })
        .collect()
}

#[test]
fn a_plan_and_its_sources_agree() {
    // The plan beside its sources belongs to their root module directory: the same
    // finding has the same fingerprint from the plan and from the `.tf` files alone.
    let dir = "fixtures/tfplan/sources";
    let plan = run(PathBuf::from(dir));
    let plan_only = run(PathBuf::from(format!("{dir}/plan.json")));
    let hcl = run(PathBuf::from(format!("{dir}/main.tf")));
    assert!(!plan.results.is_empty());
    for r in &plan.results {
        assert_eq!(
            r.fingerprint,
            fingerprint(r.rule_id, dir, &r.resource, &r.attribute),
            "{r:?}"
        );
    }
    assert_eq!(identities(&plan), identities(&plan_only));
    let (p, h) = (identities(&plan), identities(&hcl));
    let common: Vec<_> = p.keys().filter(|k| h.contains_key(*k)).collect();
    assert!(!common.is_empty());
    for k in common {
        assert_eq!(p[k], h[k], "{k:?}");
    }
    // A plan without its sources is a configuration of its own, named by the file.
    let alone = "fixtures/tfplan/alone/plan.json";
    let r = run(PathBuf::from(alone));
    assert!(!r.results.is_empty());
    for x in &r.results {
        assert_eq!(
            x.fingerprint,
            fingerprint(x.rule_id, alone, &x.resource, &x.attribute)
        );
    }
}
