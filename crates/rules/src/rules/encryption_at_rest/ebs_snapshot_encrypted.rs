//! AWS-EBS-001: EBS snapshots and snapshot copies are encrypted.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every EBS snapshot (`aws_ebs_snapshot`) and snapshot copy
    /// (`aws_ebs_snapshot_copy`) of the configuration is encrypted. A snapshot is
    /// encrypted exactly when its volume is, so it is judged by the `aws_ebs_volume` it
    /// names. A copy passes with `encrypted = true`, when the configuration turns on EBS
    /// encryption by default, or when its source is encrypted.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: snapshots are full copies of disks, are kept long after the
    /// instance is gone, and are easy to share with another account or make public.
    ///
    /// ## Default assumed
    /// `encrypted` of a copy defaults to `false` (AWS provider docs for
    /// `aws_ebs_snapshot_copy`); a volume's encryption follows AWS-EC2-001's defaults.
    ///
    /// ## Not evaluated
    /// When the snapshot's volume, or the copy's source snapshot, is not declared in the
    /// scanned configuration, or the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ebs_snapshot_copy" "dr" {
    ///   source_snapshot_id = aws_ebs_snapshot.data.id
    ///   source_region      = "eu-west-1"
    ///   encrypted          = true
    ///   kms_key_id         = aws_kms_key.ebs.arn
    /// }
    /// ```
    pub struct EbsSnapshotEncrypted {
        id: "AWS-EBS-001",
        slug: "ebs-snapshot-encrypted",
        title: "EBS snapshots are encrypted",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for EbsSnapshotEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.ebs_snapshots {
            out.require_true(&s.meta, &s.encrypted, "snapshot is not encrypted");
        }
    }
}
