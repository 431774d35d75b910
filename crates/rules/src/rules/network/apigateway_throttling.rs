//! AWS-APIGW-021: API Gateway stages set throttling limits.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every API Gateway stage sets its own throttling limits: for REST APIs
    /// (`aws_api_gateway_stage`) an `aws_api_gateway_method_settings` of the stage with
    /// `throttling_rate_limit`/`throttling_burst_limit`; for HTTP and WebSocket APIs
    /// (`aws_apigatewayv2_stage`) `default_route_settings` with them.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and A1.1: API rate limiting is a line item of SOC 2 checklists. Without
    /// stage limits, one client can consume the whole account-level quota (10 000
    /// requests per second, shared by every API in the region), starving the others and
    /// multiplying the cost of back-end calls.
    ///
    /// ## Default assumed
    /// Without settings only the account-level limits apply (API Gateway developer
    /// guide, "Throttle requests"). Usage plans (`aws_api_gateway_usage_plan`) limit only
    /// clients that present an API key and are not counted here.
    ///
    /// ## Not evaluated
    /// When the stage's method settings cannot be tied to it.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_api_gateway_method_settings" "all" {
    ///   rest_api_id = aws_api_gateway_rest_api.api.id
    ///   stage_name  = aws_api_gateway_stage.prod.stage_name
    ///   method_path = "*/*"
    ///   settings {
    ///     throttling_rate_limit  = 100
    ///     throttling_burst_limit = 50
    ///   }
    /// }
    /// ```
    pub struct ApigatewayThrottling {
        id: "AWS-APIGW-021",
        slug: "apigateway-throttling",
        title: "API Gateway stages set throttling limits",
        severity: Medium,
        family: Network,
    }
}

impl Rule for ApigatewayThrottling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.api_stages {
            out.require_true(
                &s.meta,
                &s.throttling,
                "the stage sets no throttling limits (only the account-level limits apply)",
            );
        }
    }
}
