//! AWS Lambda: resource-based permissions of functions.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// One statement of a function's resource policy (`aws_lambda_permission`, `GetPolicy`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LambdaPermission {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `principal`: an account id or ARN, a service (`s3.amazonaws.com`), or `*`.
    pub principal: Value<String>,
    /// `source_arn`; `Defaulted(None)`.
    pub source_arn: Value<Option<String>>,
    /// `source_account`; `Defaulted(None)`.
    pub source_account: Value<Option<String>>,
    /// `principal_org_id`; `Defaulted(None)`.
    pub principal_org_id: Value<Option<String>>,
    /// `function_url_auth_type` (`NONE` or `AWS_IAM`), for function-URL permissions;
    /// `Defaulted(None)`.
    pub function_url_auth_type: Value<Option<String>>,
}
