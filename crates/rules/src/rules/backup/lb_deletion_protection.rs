//! AWS-ELB-010: load balancers have deletion protection.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every application, network and gateway load balancer (`aws_lb`,
    /// `aws_alb`) has `enable_deletion_protection = true`. Internal load balancers are
    /// checked too; classic load balancers have no such setting and are not checked.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC8.1: the load balancer is the entry point of the service; deleting it
    /// (by hand or by a Terraform change that replaces it) takes the service down and
    /// changes its DNS name, which clients and DNS records then have to follow.
    ///
    /// ## Default assumed
    /// `enable_deletion_protection` defaults to `false` (AWS provider docs for `aws_lb`).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_lb" "web" {
    ///   # ...
    ///   enable_deletion_protection = true
    /// }
    /// ```
    pub struct LbDeletionProtection {
        id: "AWS-ELB-010",
        slug: "lb-deletion-protection",
        title: "Load balancers have deletion protection",
        severity: Low,
        family: Backup,
    }
}

impl Rule for LbDeletionProtection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for lb in &model.aws.load_balancers {
            if let Some(p) = &lb.deletion_protection {
                out.require_true(&lb.meta, p, "load balancer has no deletion protection");
            }
        }
    }
}
