//! AWS-ELB-021: classic load balancers deliver access logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every classic load balancer (`aws_elb`) has an `access_logs` block that
    /// is enabled.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of the entry points to the system: access logs record
    /// each request and its client; without them, attacks through the load balancer
    /// cannot be investigated.
    ///
    /// ## Default assumed
    /// No `access_logs` block means no logs; inside the block `enabled` defaults to
    /// `true` (provider docs).
    ///
    /// ## Not evaluated
    /// When `enabled` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_elb" "legacy" {
    ///   name               = "legacy"
    ///   availability_zones = ["eu-west-1a"]
    ///   access_logs {
    ///     bucket   = aws_s3_bucket.lb_logs.id
    ///     interval = 60
    ///   }
    ///   listener {
    ///     instance_port     = 8080
    ///     instance_protocol = "http"
    ///     lb_port           = 443
    ///     lb_protocol       = "https"
    ///     ssl_certificate_id = aws_acm_certificate.web.arn
    ///   }
    /// }
    /// ```
    pub struct ElbClassicAccessLogs {
        id: "AWS-ELB-021",
        slug: "elb-classic-access-logs",
        title: "Classic load balancers deliver access logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for ElbClassicAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for lb in model
            .aws
            .load_balancers
            .iter()
            .filter(|lb| &*lb.meta.rtype == "aws_elb")
        {
            out.require_true(
                &lb.meta,
                &lb.access_logs,
                "classic load balancer access logs are not enabled",
            );
        }
    }
}
