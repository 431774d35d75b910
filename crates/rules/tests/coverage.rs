//! The engine applies the model's coverage: a rule that reads a collection not read
//! completely in a scope is *not evaluated* there (once, naming the scope and the
//! reason), and nothing is added where the collection was read. The collections each
//! rule reads come from its source (build.rs); these tests guard that extraction.

use soc2scan_core::coverage::Status;
use soc2scan_core::model::aws::AwsModel;
use soc2scan_core::model::drift::DriftModel;
use soc2scan_core::model::k8s::K8sModel;
use soc2scan_core::model::{Model, Origin};
use soc2scan_rules::engine;
use soc2scan_rules::finding::Outcome;
use soc2scan_rules::rules::{self, registry};
use soc2scan_rules::settings::Settings;

const DENIED: &str = "aws:111111111111/eu-west-1";
const COMPLETE: &str = "aws:111111111111/us-east-1";

#[test]
fn denied_collection_makes_its_rules_not_evaluated_in_that_scope_only() {
    let rule = rules::find("AWS-RDS-001").expect("AWS-RDS-001 exists");
    assert!(
        rules::reads(rule).contains(&"aws.db_instances"),
        "{:?}",
        rules::reads(rule)
    );

    let mut model = Model::default();
    model.coverage.record(
        DENIED,
        "aws.db_instances",
        Status::Denied {
            call: "rds:DescribeDBInstances".into(),
            reason: "AccessDenied: not authorized".into(),
        },
    );
    model.coverage.set_origin(
        DENIED,
        Origin::Aws {
            arn: "arn:aws::eu-west-1:111111111111:*".into(),
            region: "eu-west-1".into(),
            account: "111111111111".into(),
        },
    );
    model.coverage.read(COMPLETE, "aws.db_instances", 0);
    model.coverage.read(DENIED, "aws.db_clusters", 0);
    model.coverage.read(COMPLETE, "aws.db_clusters", 0);

    let results = engine::run(&model, &[rule], &Settings::default());
    assert_eq!(results.len(), 1, "{results:#?}");
    let r = &results[0];
    assert_eq!(r.rule_id, "AWS-RDS-001");
    assert_eq!(&*r.resource, DENIED);
    let Outcome::NotEvaluated { reason } = &r.outcome else {
        panic!("not evaluated: {r:#?}");
    };
    assert!(reason.contains("aws.db_instances"), "{reason}");
    assert!(reason.contains("denied"), "{reason}");
    assert!(reason.contains("rds:DescribeDBInstances"), "{reason}");
    assert!(
        matches!(&r.location, Origin::Aws { region, .. } if &**region == "eu-west-1"),
        "{:?}",
        r.location
    );
}

#[test]
fn a_rule_not_reading_the_incomplete_collection_is_untouched() {
    let rule = rules::find("AWS-S3-001").expect("AWS-S3-001 exists");
    assert!(!rules::reads(rule).contains(&"aws.db_instances"));
    let mut model = Model::default();
    model.coverage.record(
        DENIED,
        "aws.db_instances",
        Status::Denied {
            call: "rds:DescribeDBInstances".into(),
            reason: "AccessDenied".into(),
        },
    );
    assert!(engine::run(&model, &[rule], &Settings::default()).is_empty());
}

#[test]
fn every_read_is_a_model_collection_and_every_rule_reads_one() {
    assert_eq!(registry::READS.len(), registry::ALL.len());
    for (module, reads) in registry::READS {
        for c in *reads {
            assert!(
                AwsModel::COLLECTIONS.contains(c)
                    || K8sModel::COLLECTIONS.contains(c)
                    || DriftModel::COLLECTIONS.contains(c),
                "{module} reads {c}, which is no model collection"
            );
        }
    }
    for rule in rules::all() {
        assert!(
            !rules::reads(rule).is_empty(),
            "{} reads no collection: build.rs did not find what its source reads",
            rule.meta().id
        );
    }
}

#[test]
fn a_scope_without_an_origin_is_located_at_the_scope_itself() {
    let rule = rules::find("AWS-RDS-001").expect("AWS-RDS-001 exists");
    let mut model = Model::default();
    model.coverage.record(
        "terraform:envs/prod",
        "aws.db_instances",
        Status::Failed {
            call: "envs/prod/db.tf".into(),
            reason: "does not parse".into(),
        },
    );
    let results = engine::run(&model, &[rule], &Settings::default());
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(
        results[0].location,
        Origin::Scope {
            scope: "terraform:envs/prod".into()
        }
    );
    assert!(matches!(results[0].outcome, Outcome::NotEvaluated { .. }));
}

/// How build.rs extracts what a rule reads: `build/reads.rs`, compiled here as well.
#[allow(dead_code)]
#[path = "../build/reads.rs"]
mod reads;

fn collections(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| s.to_string()).collect()
}

/// The accessors' `Reads:` lines say what the hand-kept table of build.rs said before
/// them, accessor by accessor (a new accessor adds its line here).
#[test]
fn accessor_reads_come_from_their_doc_lines() {
    let want: &[(&str, &[&str])] = &[
        ("model.user_groups(", &["aws.iam_groups"]),
        (
            "model.instance_parameter_group(",
            &["aws.db_parameter_groups"],
        ),
        (
            "model.cluster_parameter_group(",
            &["aws.db_parameter_groups"],
        ),
        (
            "model.redshift_parameter_group(",
            &["aws.redshift_parameter_groups"],
        ),
        ("model.cluster_members(", &["aws.db_instances"]),
        ("model.filter_alarms(", &["aws.metric_alarms"]),
        ("model.security_group_rules(", &["aws.security_group_rules"]),
        (
            "model.bucket_account_blocks(",
            &["aws.s3_account_public_access_blocks"],
        ),
        (
            "model.load_balancer_web_acl(",
            &["aws.web_acl_associations", "aws.web_acls"],
        ),
        (
            "model.receives_access_logs(",
            &["aws.s3_buckets", "aws.s3_bucket_loggings"],
        ),
        (
            "model.api_stage_web_acl(",
            &["aws.web_acl_associations", "aws.web_acls"],
        ),
        ("k8s.autoscaler_for(", &["k8s.autoscalers"]),
        ("k8s.min_replicas(", &["k8s.autoscalers"]),
        (
            "identity_policy_documents(",
            &[
                "aws.iam_policies",
                "aws.iam_users",
                "aws.iam_groups",
                "aws.iam_roles",
            ],
        ),
    ];
    let mut got: Vec<(&str, Vec<&str>)> = registry::ACCESSORS
        .iter()
        .map(|(call, reads)| (*call, reads.to_vec()))
        .collect();
    got.sort();
    let mut want: Vec<(&str, Vec<&str>)> = want.iter().map(|(c, r)| (*c, r.to_vec())).collect();
    want.sort();
    assert_eq!(got, want);
    for (call, reads) in registry::ACCESSORS {
        for c in *reads {
            assert!(
                AwsModel::COLLECTIONS.contains(c) || K8sModel::COLLECTIONS.contains(c),
                "{call} reads {c}, which is no model collection"
            );
        }
    }
    // A rule calling an accessor reads what it declares: AWS-IAM-007 names only
    // `aws.iam_users` and calls `model.user_groups(`; K8S-AVL-001 calls
    // `model.k8s.autoscaler_for(`.
    let reads = rules::reads(rules::find("AWS-IAM-007").expect("AWS-IAM-007 exists"));
    assert!(reads.contains(&"aws.iam_groups"), "{reads:?}");
    let reads = rules::reads(rules::find("K8S-AVL-001").expect("K8S-AVL-001 exists"));
    assert!(reads.contains(&"k8s.autoscalers"), "{reads:?}");
}

/// The table the build generated is what the module makes of the source files.
#[test]
fn generated_accessors_match_the_source_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for spec in reads::FILES {
        let text = std::fs::read_to_string(dir.join(spec.path)).expect(spec.path);
        all.extend(reads::accessors(spec, &text).expect("accessors declare their reads"));
    }
    let generated: Vec<reads::Accessor> = registry::ACCESSORS
        .iter()
        .map(|(call, r)| reads::Accessor {
            call: call.to_string(),
            reads: collections(r),
        })
        .collect();
    assert_eq!(all, generated);
}

const LINKS: reads::AccessorFile = reads::AccessorFile {
    path: "links.rs",
    call: "model.",
    every_method_of: Some("impl Model {"),
    named: &[],
};

#[test]
fn an_accessor_without_a_reads_line_fails_the_build() {
    let src = "\
/// Not an accessor: outside the block.
pub fn link() {}

impl Model {
    /// The groups.
    ///
    /// Reads: `aws.iam_groups`, `aws.iam_users`.
    #[must_use]
    pub fn user_groups(&self) {}

    /// The alarms.
    pub fn filter_alarms(&self) {}
}
";
    let err = reads::accessors(&LINKS, src).unwrap_err();
    assert!(
        err.starts_with("links.rs:12: `pub fn filter_alarms`"),
        "{err}"
    );
    assert!(err.contains("Reads:"), "{err}");

    let ok = src.replace("/// The alarms.", "/// Reads: `aws.metric_alarms`.");
    assert_eq!(
        reads::accessors(&LINKS, &ok).unwrap(),
        vec![
            reads::Accessor {
                call: "model.user_groups(".into(),
                reads: collections(&["aws.iam_groups", "aws.iam_users"]),
            },
            reads::Accessor {
                call: "model.filter_alarms(".into(),
                reads: collections(&["aws.metric_alarms"]),
            },
        ]
    );

    // A named accessor must be there, with its line.
    let k8s = reads::AccessorFile {
        path: "k8s.rs",
        call: "k8s.",
        every_method_of: None,
        named: &["autoscaler_for"],
    };
    let err =
        reads::accessors(&k8s, "impl K8sModel {\n    pub fn autoscaler_for() {}\n}\n").unwrap_err();
    assert!(err.contains("k8s.rs:2: `pub fn autoscaler_for`"), "{err}");
    let err = reads::accessors(&k8s, "pub fn len() {}\n").unwrap_err();
    assert!(err.contains("k8s.rs: no `pub fn autoscaler_for`"), "{err}");
}

#[test]
fn a_reads_line_names_model_collections_only() {
    for (line, bad) in [
        ("`s3_buckets`.", "\"`s3_buckets`\""),
        ("`drift.unmanaged`.", "\"`drift.unmanaged`\""),
        ("aws.s3_buckets.", "\"aws.s3_buckets\""),
        (
            "`aws.s3_buckets` and `aws.iam_users`.",
            "\"`aws.s3_buckets` and `aws.iam_users`\"",
        ),
        ("`aws.s3_buckets`", "period"),
    ] {
        let src = format!("impl Model {{\n    /// Reads: {line}\n    pub fn f(&self) {{}}\n}}\n");
        let err = reads::accessors(&LINKS, &src).unwrap_err();
        assert!(err.starts_with("links.rs:3: `pub fn f`"), "{err}");
        assert!(err.contains(bad), "{line}: {err}");
    }
}

#[test]
fn calls_are_matched_as_precisely_as_fields() {
    let accessors = [
        reads::Accessor {
            call: "model.user_groups(".into(),
            reads: collections(&["aws.iam_groups"]),
        },
        reads::Accessor {
            call: "k8s.min_replicas(".into(),
            reads: collections(&["k8s.autoscalers"]),
        },
    ];
    let reads = |src: &str| reads::reads(src, &accessors);
    assert_eq!(
        reads("for (i, u) in model.aws.iam_users.iter().enumerate() { model.user_groups(i); }"),
        Ok(collections(&["aws.iam_groups", "aws.iam_users"]))
    );
    // Split over lines as rustfmt writes long chains; through a binding of the model.
    assert_eq!(
        reads("let k8s = &model.k8s;\nk8s\n    .min_replicas(w)\n    .and(k8s.complete)"),
        Ok(collections(&["k8s.autoscalers"]))
    );
    // Another receiver, a comment: not the accessor.
    assert_eq!(
        reads("mymodel.user_groups(0); // model.user_groups(1)\nmodel.aws.s3_buckets"),
        Ok(collections(&["aws.s3_buckets"]))
    );
    // A method of the model that declares nothing stops the build; one reading the
    // coverage only is allowed.
    let err = reads("model.aws.primary_len()").unwrap_err();
    assert!(err.contains("`aws.primary_len(`"), "{err}");
    let err = reads("model.new_link(0)").unwrap_err();
    assert!(err.contains("`model.new_link(`"), "{err}");
    assert_eq!(
        reads("model.k8s_unlisted(\"k8s.network_policies\", o, None)"),
        Ok(collections(&["k8s.network_policies"]))
    );
}
