//! Amazon OpenSearch Service domains (`aws_opensearch_domain` and the older
//! `aws_elasticsearch_domain`).

use serde::{Deserialize, Serialize};

use crate::model::aws::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// An OpenSearch / Elasticsearch domain.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SearchDomain {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encrypt_at_rest.enabled`; `Defaulted(false)` without the block (the API creates
    /// the domain unencrypted unless `EncryptionAtRestOptions` enables it).
    pub encrypt_at_rest: Value<bool>,
    /// `encrypt_at_rest.kms_key_id`; `Defaulted(None)` (the AWS managed key `aws/es`).
    pub kms_key: Value<Option<String>>,
    /// `node_to_node_encryption.enabled`; `Defaulted(false)`.
    pub node_to_node_encryption: Value<bool>,
    /// `domain_endpoint_options.enforce_https`. Without the block the API default applies:
    /// `Defaulted(false)`; with the block but without the attribute the provider's
    /// default: `Defaulted(true)`.
    pub enforce_https: Value<bool>,
    /// `domain_endpoint_options.tls_security_policy`; `Defaulted("Policy-Min-TLS-1-0-2019-07")`,
    /// the policy the API applies when none is given.
    pub tls_security_policy: Value<String>,
    /// Whether the domain is in a VPC (`vpc_options` with subnets); `Defaulted(false)`:
    /// a public endpoint.
    pub in_vpc: Value<bool>,
    /// Access policy: `access_policies`, or an `aws_opensearch_domain_policy` /
    /// `aws_elasticsearch_domain_policy` for it; the `Defaulted` empty document when none.
    pub access_policy: Value<PolicyDocument>,
    /// `log_publishing_options[*].log_type` of enabled log publishing options
    /// (`AUDIT_LOGS`, `INDEX_SLOW_LOGS`, ...); `Defaulted(empty)`.
    pub log_types: Value<Vec<String>>,
}
