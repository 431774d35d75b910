//! AWS-APIGW-001: API Gateway custom domain names require TLS 1.2 or later.

use crate::model::aws::apigateway::ApiVersion;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether an API Gateway security policy requires TLS 1.2 or later: `TLS_1_2` and the
/// enhanced `SecurityPolicy_TLS12_*` / `SecurityPolicy_TLS13_*` policies.
fn is_current(p: &str) -> bool {
    let p = p.to_ascii_uppercase();
    // A `_1_0_` / `_1_1_` part names an older minimum protocol.
    p == "TLS_1_2"
        || ((p.starts_with("SECURITYPOLICY_TLS12") || p.starts_with("SECURITYPOLICY_TLS13"))
            && !p.contains("_1_0")
            && !p.contains("_1_1"))
}

crate::declare_rule! {
    /// ## What it does
    /// Checks the TLS security policy of every API Gateway custom domain name: REST APIs
    /// (`aws_api_gateway_domain_name.security_policy`) and HTTP/WebSocket APIs
    /// (`aws_apigatewayv2_domain_name.domain_name_configuration.security_policy`).
    /// `TLS_1_2` and the enhanced `SecurityPolicy_TLS12_*` / `SecurityPolicy_TLS13_*`
    /// policies pass; `TLS_1_0` and anything else fail.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow weak ciphers on the
    /// API's public endpoint.
    ///
    /// ## Default assumed
    /// A REST API domain without `security_policy` gets `TLS_1_0` (API Gateway
    /// `CreateDomainName`), which fails. HTTP APIs require the policy, and only accept
    /// `TLS_1_2`.
    ///
    /// ## Not evaluated
    /// When the policy comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_api_gateway_domain_name" "api" {
    ///   domain_name              = "api.example.com"
    ///   regional_certificate_arn = aws_acm_certificate.api.arn
    ///   security_policy          = "TLS_1_2"
    ///   endpoint_configuration {
    ///     types = ["REGIONAL"]
    ///   }
    /// }
    /// ```
    pub struct ApigatewayDomainTls {
        id: "AWS-APIGW-001",
        slug: "apigateway-domain-tls",
        title: "API Gateway custom domains require TLS 1.2 or later",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for ApigatewayDomainTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.api_domain_names {
            let kind = match d.version {
                ApiVersion::V1 => "REST API",
                ApiVersion::V2 => "HTTP API",
            };
            out.require(
                &d.meta,
                &d.security_policy,
                |p| is_current(p),
                |p| format!("{kind} custom domain uses security policy {p}, which allows TLS older than 1.2"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn policies() {
        assert!(is_current("TLS_1_2"));
        assert!(is_current("SecurityPolicy_TLS13_1_3_2025_09"));
        assert!(is_current("SecurityPolicy_TLS12_PFS_2025_EDGE"));
        assert!(!is_current("TLS_1_0"));
        assert!(!is_current("SecurityPolicy_TLS10_2019"));
        assert!(!is_current("SecurityPolicy_TLS13_1_0_2021_06"));
    }
}
