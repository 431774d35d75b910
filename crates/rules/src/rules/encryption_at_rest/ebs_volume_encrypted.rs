//! AWS-EC2-001: EBS volumes are encrypted.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every EBS volume (`aws_ebs_volume`) is encrypted: `encrypted = true`,
    /// or EBS encryption by default enabled in the same configuration
    /// (`aws_ebs_encryption_by_default`), in which case AWS encrypts every new volume
    /// whatever the volume says.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: volumes hold application data, logs and database files;
    /// encryption also covers their snapshots, which are easily shared or copied.
    ///
    /// ## Default assumed
    /// `encrypted` defaults to `false` (EC2 `CreateVolume`) unless encryption by default
    /// is on. Encryption by default enabled outside the scanned configuration cannot be
    /// seen: declare `aws_ebs_encryption_by_default` or set `encrypted` explicitly.
    ///
    /// ## Not evaluated
    /// When `encrypted` comes from a variable without a value, or when a volume is
    /// created from a snapshot without `encrypted` (it then follows the snapshot).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ebs_volume" "data" {
    ///   availability_zone = "eu-west-1a"
    ///   size              = 100
    ///   encrypted         = true
    /// }
    /// ```
    pub struct EbsVolumeEncrypted {
        id: "AWS-EC2-001",
        slug: "ebs-volume-encrypted",
        title: "EBS volumes are encrypted",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for EbsVolumeEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for v in &model.aws.ebs_volumes {
            out.require_true(&v.meta, &v.encrypted, "EBS volume is not encrypted");
        }
    }
}
