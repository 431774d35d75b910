//! AWS-ELB-020: application and network load balancers deliver access logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every application or network load balancer (`aws_lb`, `aws_alb`) has
    /// `access_logs { enabled = true }`. Gateway load balancers, which have no access
    /// logs, are skipped; classic load balancers are AWS-ELB-021.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of the entry points to the system. Access logs record
    /// every request with client address, path, status and TLS details; without them,
    /// probing, credential stuffing or data exfiltration through the application cannot
    /// be traced.
    ///
    /// ## Default assumed
    /// `access_logs.enabled` defaults to `false`, even when `bucket` is set (provider
    /// docs); no block means no logs.
    ///
    /// ## Not evaluated
    /// When `enabled` or the load balancer type comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   name               = "web"
    ///   load_balancer_type = "application"
    ///   subnets            = var.public_subnet_ids
    ///   access_logs {
    ///     bucket  = aws_s3_bucket.lb_logs.id
    ///     enabled = true
    ///   }
    /// }
    /// ```
    pub struct LbAccessLogs {
        id: "AWS-ELB-020",
        slug: "lb-access-logs",
        title: "Application and network load balancers deliver access logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for LbAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for lb in &model.aws.load_balancers {
            match lb.lb_type.known().map(String::as_str) {
                Some("gateway") | Some("classic") => continue,
                Some(_) => out.require_true(
                    &lb.meta,
                    &lb.access_logs,
                    "load balancer access logs are not enabled",
                ),
                None => out.not_evaluated(
                    &lb.meta,
                    &lb.lb_type.origin,
                    &lb.lb_type.path,
                    lb.lb_type.unknown_reason().unwrap_or_default().to_string(),
                ),
            }
        }
    }
}
