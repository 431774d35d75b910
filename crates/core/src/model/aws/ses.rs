//! Amazon SES sending authorization policies (`aws_ses_identity_policy`).

use serde::{Deserialize, Serialize};

use super::iam::PolicyDocument;
use crate::model::{ResourceMeta, Value};

/// A sending authorization policy of an SES identity (`aws_ses_identity_policy`): who
/// may send email as the identity (a domain or address).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SesIdentityPolicy {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `identity`: the domain, address or identity ARN the policy is attached to.
    pub identity: Value<String>,
    /// `policy`.
    pub policy: Value<PolicyDocument>,
}
