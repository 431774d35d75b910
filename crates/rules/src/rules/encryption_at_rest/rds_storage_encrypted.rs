//! AWS-RDS-001: RDS instances and DB clusters encrypt their storage.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every RDS DB instance (`aws_db_instance`) and DB cluster
    /// (`aws_rds_cluster`, Aurora or Multi-AZ) has `storage_encrypted = true`.
    /// Aurora member instances (`aws_rds_cluster_instance`) are covered by their cluster.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1 expect customer data at rest to be encrypted. Storage encryption
    /// also covers the database's automated backups, snapshots and read replicas, and it
    /// cannot be turned on later without a snapshot-copy-restore migration.
    ///
    /// ## Default assumed
    /// `storage_encrypted` defaults to `false` for instances and for `provisioned`
    /// clusters, and to `true` for `engine_mode = "serverless"` clusters (AWS provider
    /// docs for `aws_db_instance` and `aws_rds_cluster`).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value, for databases restored from
    /// a snapshot that do not set it (encryption then follows the snapshot), and for
    /// clusters whose `engine_mode` is unknown. Read replicas that do not set it are
    /// skipped: they inherit encryption from their source, which is checked itself.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_db_instance" "app" {
    ///   # ...
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.rds.arn
    /// }
    /// ```
    pub struct RdsStorageEncrypted {
        id: "AWS-RDS-001",
        slug: "rds-storage-encrypted",
        title: "RDS instances and clusters encrypt storage",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for RdsStorageEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for db in model
            .aws
            .db_instances
            .iter()
            .filter(|d| d.cluster.is_none())
        {
            if db.is_replica && db.storage_encrypted.unknown_reason().is_some() {
                continue;
            }
            out.require_true(
                &db.meta,
                &db.storage_encrypted,
                "DB instance storage is not encrypted",
            );
        }
        for c in &model.aws.db_clusters {
            if c.is_replica && c.storage_encrypted.unknown_reason().is_some() {
                continue;
            }
            out.require_true(
                &c.meta,
                &c.storage_encrypted,
                "DB cluster storage is not encrypted",
            );
        }
    }
}
