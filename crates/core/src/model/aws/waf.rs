//! AWS WAF (v2): web ACLs with their logging, and their associations with load balancers
//! and API stages.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A web ACL (`aws_wafv2_web_acl`, `GetWebACL` + `GetLoggingConfiguration`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebAcl {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Whether a logging configuration (`aws_wafv2_web_acl_logging_configuration` whose
    /// `resource_arn` is this ACL) exists; `Defaulted(false)` without one (WAF logging is
    /// off by default); unknown when one might target this ACL but its `resource_arn`
    /// could not be resolved.
    pub logging: Value<bool>,
}

/// An association of a web ACL with a resource (`aws_wafv2_web_acl_association`,
/// `ListResourcesForWebACL`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WebAclAssociation {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The protected resource: the address of a scanned load balancer or API stage it
    /// certainly refers to, or the ARN / reference as written; unknown when it could not
    /// be evaluated.
    pub resource: Value<String>,
    /// Addresses of scanned resources the association might protect when `resource`
    /// could not be resolved to one.
    pub possible: Vec<String>,
}
