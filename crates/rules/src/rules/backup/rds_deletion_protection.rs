//! AWS-RDS-011: RDS databases have deletion protection.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every RDS DB instance (`aws_db_instance`) and DB cluster
    /// (`aws_rds_cluster`) has `deletion_protection = true`. Aurora members
    /// (`aws_rds_cluster_instance`) are covered by their cluster; read replicas are not
    /// checked (deleting one loses no data).
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC8.1: a database can be deleted by one API call or by a Terraform change
    /// that replaces it; deletion protection makes that a deliberate two-step change.
    /// Deleting a database also deletes its automated backups unless told otherwise.
    ///
    /// ## Default assumed
    /// `deletion_protection` defaults to `false` (AWS provider docs for both resources).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_rds_cluster" "app" {
    ///   # ...
    ///   deletion_protection = true
    /// }
    /// ```
    pub struct RdsDeletionProtection {
        id: "AWS-RDS-011",
        slug: "rds-deletion-protection",
        title: "RDS databases have deletion protection",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for RdsDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for db in model
            .aws
            .db_instances
            .iter()
            .filter(|d| d.cluster.is_none() && !d.is_replica)
        {
            out.require_true(
                &db.meta,
                &db.deletion_protection,
                "DB instance has no deletion protection",
            );
        }
        for c in &model.aws.db_clusters {
            out.require_true(
                &c.meta,
                &c.deletion_protection,
                "DB cluster has no deletion protection",
            );
        }
    }
}
