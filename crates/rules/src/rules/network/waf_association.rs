//! AWS-WAF-002: internet-facing application load balancers and REST API stages are
//! protected by a WAF web ACL.

use crate::model::aws::links::WebAclLink;
use crate::model::aws::waf::WebAclAssociation;
use crate::model::{Model, ResourceMeta};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Pass, fail or not evaluated for one protected-resource candidate.
/// `link`: the associations of the resource in its account and region (or root module).
fn check_target(
    model: &Model,
    out: &mut Emitter,
    m: &ResourceMeta,
    assocs: &[WebAclAssociation],
    link: &WebAclLink,
    what: &str,
) {
    if let Some(a) = link.associated.first().map(|&i| &assocs[i]) {
        out.pass(m, &a.resource.origin, "web_acl");
        return;
    }
    if let Some(reason) =
        crate::rules::unread_in_scope(model, m, &["aws.web_acls", "aws.web_acl_associations"])
    {
        out.not_evaluated(m, &m.origin, "web_acl", reason);
        return;
    }
    if let Some(a) = link.possible.first().map(|&i| &assocs[i]) {
        out.not_evaluated(
            m,
            &m.origin,
            "web_acl",
            a.resource
                .unknown_reason()
                .unwrap_or("a web ACL association might protect it")
                .to_string(),
        );
        return;
    }
    out.fail(
        m,
        &m.origin,
        "web_acl",
        format!("{what} is not associated with a WAF web ACL"),
    );
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every internet-facing application load balancer (`aws_lb`/`aws_alb`
    /// with `load_balancer_type = "application"` and `internal = false`) and every REST
    /// API stage (`aws_api_gateway_stage`) is the `resource_arn` of an
    /// `aws_wafv2_web_acl_association`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects protection against threats from outside the boundary, and SOC 2
    /// checklists ask for rate limiting of APIs. A web ACL filters injection and
    /// known-bad inputs before they reach the application and enforces rate-based rules
    /// against credential stuffing and scraping.
    ///
    /// ## Default assumed
    /// `internal` defaults to `false` and `load_balancer_type` to `application` (provider
    /// docs). Web ACLs attached to a CloudFront distribution in front of the load
    /// balancer are not seen: suppress with a justification in that case.
    ///
    /// ## Not evaluated
    /// When an association's `resource_arn` cannot be resolved and might be this
    /// resource, or the load balancer's type or scheme is unknown; on a live scan
    /// (`ListWebACLs`, `ListResourcesForWebACL` for load balancers and API stages), when
    /// the region's web ACLs or the resources they protect could not be read (moto 5.1
    /// does not implement `ListResourcesForWebACL`).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_wafv2_web_acl_association" "web" {
    ///   resource_arn = aws_lb.web.arn
    ///   web_acl_arn  = aws_wafv2_web_acl.main.arn
    /// }
    /// ```
    pub struct WafAssociation {
        id: "AWS-WAF-002",
        slug: "waf-association",
        title: "Public load balancers and API stages are protected by WAF",
        severity: Medium,
        family: Network,
    }
}

impl Rule for WafAssociation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let aws = &model.aws;
        let assocs = &aws.web_acl_associations;
        for (i, lb) in aws.load_balancers.iter().enumerate() {
            if &*lb.meta.rtype == "aws_elb" {
                continue;
            }
            match (lb.lb_type.known(), lb.internal.known()) {
                (Some(t), Some(false)) if t == "application" => check_target(
                    model,
                    out,
                    &lb.meta,
                    assocs,
                    &model.load_balancer_web_acl(i),
                    "internet-facing application load balancer",
                ),
                (Some(_), Some(_)) => {}
                (None, _) => out.not_evaluated(
                    &lb.meta,
                    &lb.lb_type.origin,
                    "web_acl",
                    lb.lb_type.unknown_reason().unwrap_or_default().to_string(),
                ),
                (_, None) => out.not_evaluated(
                    &lb.meta,
                    &lb.internal.origin,
                    "web_acl",
                    lb.internal.unknown_reason().unwrap_or_default().to_string(),
                ),
            }
        }
        for (i, s) in aws.api_stages.iter().enumerate() {
            if s.version != crate::model::aws::apigateway::ApiVersion::V1 {
                continue;
            }
            let link = model.api_stage_web_acl(i);
            check_target(model, out, &s.meta, assocs, &link, "REST API stage");
        }
    }
}
