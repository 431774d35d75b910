//! EBS snapshots created or copied by the configuration.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// An EBS snapshot (`aws_ebs_snapshot`) or snapshot copy (`aws_ebs_snapshot_copy`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EbsSnapshot {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Whether the snapshot is encrypted. A snapshot is encrypted exactly when its volume
    /// is (EBS User Guide, "Amazon EBS encryption"): the value of the `aws_ebs_volume` it
    /// names, unknown for volumes outside the configuration. A copy is encrypted when
    /// `encrypted = true`, when its source is encrypted, or when the configuration turns
    /// on EBS encryption by default; otherwise it follows its source (the snapshot of the
    /// configuration it copies, unknown for sources outside it).
    pub encrypted: Value<bool>,
    /// `kms_key_id` of a copy; `Defaulted(None)`.
    pub kms_key: Value<Option<String>>,
    /// Whether the snapshot is public: its `createVolumePermission` includes the group
    /// `all`, so every AWS account can create a volume from it. Read from a live account
    /// (`DescribeSnapshotAttribute`); `None` when the source cannot know. A Terraform
    /// configuration cannot: `aws_ebs_snapshot` and `aws_ebs_snapshot_copy` express no
    /// sharing, and `aws_snapshot_create_volume_permission` grants one account
    /// (`account_id`, required) and has no group argument, so a snapshot made public
    /// outside the configuration is invisible to it.
    pub public: Option<Value<bool>>,
}
