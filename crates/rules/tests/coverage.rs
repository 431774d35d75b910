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
