//! S3 Glacier vaults (`aws_glacier_vault`).

use serde::{Deserialize, Serialize};

use super::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// A Glacier vault (`aws_glacier_vault`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GlacierVault {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The vault access policy (`access_policy`); `Defaulted` empty without one (only
    /// the owner account has access).
    pub policy: Value<PolicyDocument>,
}
