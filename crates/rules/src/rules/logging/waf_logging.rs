//! AWS-WAF-001: WAF web ACLs log the requests they inspect.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every WAFv2 web ACL (`aws_wafv2_web_acl`) has an
    /// `aws_wafv2_web_acl_logging_configuration` whose `resource_arn` is the ACL.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 and CC7.3 expect attacks to be detected and evaluated. WAF logs record the
    /// requests the firewall inspected, the rule that matched and the action taken;
    /// without them, blocked attacks and false positives leave only counters.
    ///
    /// ## Default assumed
    /// WAF logging is off until a logging configuration exists.
    ///
    /// ## Not evaluated
    /// When a logging configuration's `resource_arn` cannot be resolved and might be this
    /// ACL.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_wafv2_web_acl_logging_configuration" "main" {
    ///   resource_arn            = aws_wafv2_web_acl.main.arn
    ///   log_destination_configs = [aws_cloudwatch_log_group.waf.arn] # name must start with aws-waf-logs-
    /// }
    /// ```
    pub struct WafLogging {
        id: "AWS-WAF-001",
        slug: "waf-logging",
        title: "WAF web ACLs have logging enabled",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for WafLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for acl in &model.aws.web_acls {
            out.require_true(
                &acl.meta,
                &acl.logging,
                "web ACL has no logging configuration",
            );
        }
    }
}
