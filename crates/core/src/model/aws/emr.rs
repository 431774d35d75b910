//! Amazon EMR: clusters and their security configurations.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// An EMR security configuration (`aws_emr_security_configuration`): its
/// `EncryptionConfiguration`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EmrSecurityConfiguration {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `EncryptionConfiguration.EnableAtRestEncryption` (S3 with EMRFS and local disks);
    /// `Defaulted(false)` when not written.
    pub at_rest_encryption: Value<bool>,
    /// `EncryptionConfiguration.EnableInTransitEncryption` (TLS between nodes and
    /// applications); `Defaulted(false)` when not written.
    pub in_transit_encryption: Value<bool>,
}

/// An EMR cluster (`aws_emr_cluster`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EmrCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Whether `security_configuration` names a security configuration (a literal or a
    /// reference to one); `Defaulted(false)` when not written.
    pub has_security_configuration: Value<bool>,
}
