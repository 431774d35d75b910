//! AWS-APIGW-020: API Gateway stages write access logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every API Gateway stage — REST (`aws_api_gateway_stage`) and HTTP or
    /// WebSocket (`aws_apigatewayv2_stage`) — has `access_log_settings` with a
    /// `destination_arn`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of the system's entry points: access logs record each
    /// request's caller, source address, route and status; without them, abuse of the
    /// API cannot be traced.
    ///
    /// ## Default assumed
    /// Access logging is off without `access_log_settings` (provider docs).
    ///
    /// ## Not evaluated
    /// When the settings come from a `dynamic` block or a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_api_gateway_stage" "prod" {
    ///   rest_api_id   = aws_api_gateway_rest_api.api.id
    ///   deployment_id = aws_api_gateway_deployment.api.id
    ///   stage_name    = "prod"
    ///   access_log_settings {
    ///     destination_arn = aws_cloudwatch_log_group.api.arn
    ///     format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" })
    ///   }
    /// }
    /// ```
    pub struct ApigatewayAccessLogging {
        id: "AWS-APIGW-020",
        slug: "apigateway-access-logging",
        title: "API Gateway stages write access logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for ApigatewayAccessLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.api_stages {
            out.require_true(
                &s.meta,
                &s.access_logging,
                "the stage writes no access logs (access_log_settings)",
            );
        }
    }
}
