//! AWS-EC2-021: the default security group of a VPC has no rules.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_default_security_group` for rules: any `ingress` or `egress`
    /// block (or separate rule resource attached to it) is a finding, one per rule. A
    /// default group declared without rules passes — Terraform then removes every rule
    /// from it, which is the recommended way to adopt it.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: resources launched without an explicit security group land in
    /// the default one. If it allows traffic (AWS creates it allowing all traffic between
    /// its members and all outbound traffic), unplanned resources get network access
    /// nobody designed (CIS AWS Foundations 5.4).
    ///
    /// ## Default assumed
    /// Declaring `aws_default_security_group` without rule blocks removes all rules
    /// (provider docs). Default groups not declared in the configuration are not seen.
    ///
    /// ## Not evaluated
    /// When a `dynamic` rule block cannot be expanded (it may produce no rules).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_default_security_group" "default" {
    ///   vpc_id = aws_vpc.main.id
    ///   # no ingress or egress: the default group allows nothing
    /// }
    /// ```
    pub struct DefaultSecurityGroupClosed {
        id: "AWS-EC2-021",
        slug: "default-security-group-closed",
        title: "Default security groups allow no traffic",
        severity: Medium,
        family: Network,
    }
}

impl Rule for DefaultSecurityGroupClosed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let aws = &model.aws;
        for (i, g) in aws.security_groups.iter().enumerate() {
            if !g.is_default {
                continue;
            }
            // The group's rules, in its account and region (or root module).
            let rules = model.security_group_rules(i);
            if rules.is_empty() {
                out.pass(&g.meta, &g.meta.origin, "ingress");
                continue;
            }
            for r in rules {
                if let Some(reason) = r.protocol.unknown_reason().filter(|_| {
                    r.from_port.unknown_reason().is_some() && r.to_port.unknown_reason().is_some()
                }) {
                    out.not_evaluated(&r.meta, &r.origin, &r.protocol.path, reason.to_string());
                } else {
                    out.fail(
                        &r.meta,
                        &r.origin,
                        &r.protocol.path,
                        format!(
                            "the default security group has an {} rule; it should allow no traffic",
                            match r.direction {
                                crate::model::aws::ec2::Direction::Ingress => "ingress",
                                crate::model::aws::ec2::Direction::Egress => "egress",
                            }
                        ),
                    );
                }
            }
        }
    }
}
