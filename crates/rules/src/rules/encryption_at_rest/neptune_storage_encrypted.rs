//! AWS-NEP-001: Neptune clusters encrypt their storage.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_neptune_cluster` sets `storage_encrypted = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1 expect data at rest to be protected. An unencrypted Neptune
    /// cluster stores the graph database, its automated backups, snapshots and
    /// replicas in clear. Encryption can only be chosen when the cluster is created.
    ///
    /// ## Default assumed
    /// `storage_encrypted` defaults to `false`. A cluster restored from a snapshot
    /// without it follows the snapshot.
    ///
    /// ## Not evaluated
    /// When `storage_encrypted` comes from a variable without a value, or the cluster is
    /// restored from a snapshot without `storage_encrypted`; on a live scan, when
    /// `rds:DescribeDBClusters` is denied or fails in the region.
    ///
    /// ## How to fix
    /// Create an encrypted cluster and migrate the data (restore a snapshot copy made
    /// with a KMS key):
    /// ```hcl
    /// resource "aws_neptune_cluster" "main" {
    ///   # ...
    ///   storage_encrypted = true
    ///   kms_key_id        = aws_kms_key.data.arn
    /// }
    /// ```
    pub struct NeptuneStorageEncrypted {
        id: "AWS-NEP-001",
        slug: "neptune-storage-encrypted",
        title: "Neptune clusters encrypt their storage",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for NeptuneStorageEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.neptune_clusters {
            out.require_true(
                &c.meta,
                &c.storage_encrypted,
                "cluster storage, backups and snapshots are not encrypted",
            );
        }
    }
}
