//! AWS-RDS-002: RDS instances are not publicly accessible.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no RDS DB instance (`aws_db_instance`, `aws_rds_cluster_instance`)
    /// sets `publicly_accessible = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: a publicly accessible instance gets a public DNS name and IP;
    /// its only remaining boundary is a security group and the database password.
    /// Databases holding customer data belong in private subnets, reached through the
    /// application or a bastion.
    ///
    /// ## Default assumed
    /// `publicly_accessible` defaults to `false` (AWS provider docs).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_db_instance" "app" {
    ///   # ...
    ///   publicly_accessible = false
    ///   db_subnet_group_name = aws_db_subnet_group.private.name
    /// }
    /// ```
    pub struct RdsPubliclyAccessible {
        id: "AWS-RDS-002",
        slug: "rds-publicly-accessible",
        title: "RDS instances are not publicly accessible",
        severity: High,
        family: Network,
    }
}

impl Rule for RdsPubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for db in &model.aws.db_instances {
            out.require_false(
                &db.meta,
                &db.publicly_accessible,
                "DB instance is publicly accessible from the internet",
            );
        }
    }
}
