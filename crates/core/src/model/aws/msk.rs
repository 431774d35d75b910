//! Amazon MSK (managed Kafka) clusters.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// An MSK cluster (`aws_msk_cluster`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MskCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encryption_info.encryption_in_transit.client_broker`, upper-cased: `TLS`,
    /// `TLS_PLAINTEXT` or `PLAINTEXT`; `Defaulted("TLS")` (provider docs and MSK API:
    /// "Default value is `TLS`").
    pub client_broker: Value<String>,
    /// `encryption_info.encryption_in_transit.in_cluster`; `Defaulted(true)` (provider
    /// docs: "Default value: `true`").
    pub in_cluster: Value<bool>,
    /// `encryption_info.encryption_at_rest_kms_key_arn`; `Defaulted(None)` (the AWS
    /// managed key; MSK always encrypts at rest).
    pub at_rest_kms_key: Value<Option<String>>,
}
