//! AWS-RS-001: Redshift clusters are encrypted at rest.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Redshift cluster (`aws_redshift_cluster`) has
    /// `encrypted = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: a data warehouse concentrates customer data from many systems;
    /// encryption also covers its snapshots and backups.
    ///
    /// ## Default assumed
    /// `encrypted` is taken as `false` when not written: the AWS provider's default up to
    /// version 5 (sent to the API, which then creates an unencrypted cluster). Provider
    /// 6.0 changed the default to `true`; write it explicitly so the configuration shows
    /// it whatever the provider version.
    ///
    /// ## Not evaluated
    /// When `encrypted` comes from a variable without a value, or for a cluster restored
    /// from a snapshot that does not set it (encryption then follows the snapshot).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_redshift_cluster" "dw" {
    ///   # ...
    ///   encrypted  = true
    ///   kms_key_id = aws_kms_key.redshift.arn
    /// }
    /// ```
    pub struct RedshiftClusterEncrypted {
        id: "AWS-RS-001",
        slug: "redshift-cluster-encrypted",
        title: "Redshift clusters are encrypted at rest",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for RedshiftClusterEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.redshift_clusters {
            out.require_true(
                &c.meta,
                &c.encrypted,
                "Redshift cluster is not encrypted at rest",
            );
        }
    }
}
