//! Amazon API Gateway: REST APIs (v1) and HTTP/WebSocket APIs (v2), their stages and
//! custom domain names.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// Which API Gateway flavour a resource belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiVersion {
    /// REST APIs (`aws_api_gateway_*`).
    V1,
    /// HTTP and WebSocket APIs (`aws_apigatewayv2_*`).
    V2,
}

/// A stage (`aws_api_gateway_stage`, `aws_apigatewayv2_stage`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiStage {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// REST or HTTP/WebSocket API.
    pub version: ApiVersion,
    /// Address (or id) of the API, when known.
    pub api: Option<Value<String>>,
    /// Whether access logging is configured (`access_log_settings` with a
    /// `destination_arn`); `Defaulted(false)`.
    pub access_logging: Value<bool>,
    /// Whether throttling limits are set: an `aws_api_gateway_method_settings` of the stage
    /// with `throttling_rate_limit`/`throttling_burst_limit` (v1), or
    /// `default_route_settings` with them (v2). `Defaulted(false)`: only the account-level
    /// limits apply.
    pub throttling: Value<bool>,
    /// `xray_tracing_enabled` (v1 only); `Defaulted(false)`.
    pub xray_tracing: Value<bool>,
}

/// A custom domain name (`aws_api_gateway_domain_name`, `aws_apigatewayv2_domain_name`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ApiDomainName {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// REST or HTTP/WebSocket API.
    pub version: ApiVersion,
    /// The TLS security policy: `security_policy` (v1) or
    /// `domain_name_configuration.security_policy` (v2), e.g. `TLS_1_0`, `TLS_1_2`,
    /// `SecurityPolicy_TLS13_1_2_2021_06`. A v1 domain without it is
    /// `Defaulted("TLS_1_0")` (API Gateway `CreateDomainName`: the policy defaults to
    /// `TLS_1_0` when not given); v2 requires it.
    pub security_policy: Value<String>,
}
