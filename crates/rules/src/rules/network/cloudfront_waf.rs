//! AWS-CF-021: CloudFront distributions are protected by a WAF web ACL.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudFront distribution (`aws_cloudfront_distribution`) sets
    /// `web_acl_id` (a WAFv2 web ACL ARN or a classic WAF id).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects protection against threats from outside the boundary. The
    /// distribution is the application's front door; a web ACL there filters injection,
    /// bad bots and floods (rate-based rules) before they reach the origin.
    ///
    /// ## Default assumed
    /// Without `web_acl_id` no web ACL is attached (provider docs).
    ///
    /// ## Not evaluated
    /// When `web_acl_id` comes from a variable without a value (a reference to a web ACL
    /// resource counts as attached).
    /// On a live scan, when `ListDistributions` or the distribution's
    /// `GetDistributionConfig` is denied or fails (moto 5.1 writes CloudFront booleans
    /// as `True`/`False`, which the AWS SDK rejects: not evaluated against it).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   web_acl_id = aws_wafv2_web_acl.edge.arn # scope = "CLOUDFRONT", in us-east-1
    ///   # ...
    /// }
    /// ```
    pub struct CloudfrontWaf {
        id: "AWS-CF-021",
        slug: "cloudfront-waf",
        title: "CloudFront distributions are protected by WAF",
        severity: Medium,
        family: Network,
    }
}

impl Rule for CloudfrontWaf {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.cloudfront_distributions {
            out.require(&d.meta, &d.web_acl, Option::is_some, |_| {
                "the distribution is not associated with a WAF web ACL".to_string()
            });
        }
    }
}
