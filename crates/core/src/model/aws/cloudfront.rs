//! Amazon CloudFront distributions.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A cache behaviour of a distribution (`default_cache_behavior` or an
/// `ordered_cache_behavior`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CacheBehavior {
    /// The block: `default_cache_behavior`, or `ordered_cache_behavior[i]` (`i` counts
    /// the ordered behaviours from 0).
    pub block: String,
    /// `*` for the default behaviour, else the `path_pattern` (empty when absent; the
    /// attribute path when unknown).
    pub path_pattern: String,
    /// `viewer_protocol_policy`: `allow-all`, `redirect-to-https` or `https-only`
    /// (required by the provider).
    pub viewer_protocol_policy: Value<String>,
}

/// An origin of a distribution (`origin` block).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CfOrigin {
    /// `origin_id`.
    pub id: Value<String>,
    /// `custom_origin_config.origin_protocol_policy` (`http-only`, `https-only`,
    /// `match-viewer`) for custom origins; `None` for S3 origins (always HTTPS) and
    /// origins without a custom origin configuration.
    pub protocol_policy: Option<Value<String>>,
    /// `custom_origin_config.origin_ssl_protocols` (`SSLv3`, `TLSv1`, `TLSv1.1`,
    /// `TLSv1.2`) for custom origins.
    pub ssl_protocols: Option<Value<Vec<String>>>,
}

/// A CloudFront distribution (`aws_cloudfront_distribution`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Distribution {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The default behaviour first, then the ordered ones.
    pub cache_behaviors: Vec<CacheBehavior>,
    /// `viewer_certificate.cloudfront_default_certificate`; `Defaulted(false)`. With the
    /// default `*.cloudfront.net` certificate CloudFront accepts TLSv1 whatever
    /// `minimum_protocol_version` says.
    pub default_certificate: Value<bool>,
    /// `viewer_certificate.minimum_protocol_version`; `Defaulted("TLSv1")` (provider docs:
    /// "Default: `TLSv1`").
    pub minimum_protocol_version: Value<String>,
    /// The origins.
    pub origins: Vec<CfOrigin>,
    /// Whether standard access logging is configured (`logging_config` block);
    /// `Defaulted(false)`.
    pub logging: Value<bool>,
    /// `web_acl_id` (a WAF web ACL); `Defaulted(None)`.
    pub web_acl: Value<Option<String>>,
}
