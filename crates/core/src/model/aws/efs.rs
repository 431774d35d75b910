//! Amazon EFS file systems.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// An EFS file system (`aws_efs_file_system`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EfsFileSystem {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encrypted`; `Defaulted(false)` (provider docs: "If true, the disk will be
    /// encrypted"; EFS API `CreateFileSystem`: `Encrypted` defaults to false).
    pub encrypted: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (the AWS managed key `aws/elasticfilesystem`).
    pub kms_key: Value<Option<String>>,
}
