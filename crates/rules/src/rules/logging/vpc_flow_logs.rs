//! AWS-VPC-001: every VPC has a flow log.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every VPC (`aws_vpc`, `aws_default_vpc`) is captured by an
    /// `aws_flow_log` whose `vpc_id` refers to it. Flow logs on single subnets or
    /// network interfaces do not count for the VPC.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects network activity to be recorded so that anomalies and incidents
    /// can be investigated (CC7.3): flow logs are the only record of which addresses
    /// talked to which instances.
    ///
    /// ## Default assumed
    /// VPCs have no flow logs unless one is created.
    ///
    /// ## Not evaluated
    /// When a flow log in the VPC's module (or in a module it calls) has a `vpc_id`
    /// that cannot be tied to a VPC (a variable without a value, an unresolved
    /// expression): it might capture this VPC.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_flow_log" "main" {
    ///   vpc_id          = aws_vpc.main.id
    ///   traffic_type    = "ALL"
    ///   log_destination = aws_cloudwatch_log_group.flow.arn
    ///   iam_role_arn    = aws_iam_role.flow.arn
    /// }
    /// ```
    pub struct VpcFlowLogs {
        id: "AWS-VPC-001",
        slug: "vpc-flow-logs",
        title: "VPCs have flow logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for VpcFlowLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for v in &model.aws.vpcs {
            out.require_true(&v.meta, &v.flow_logs, "VPC has no flow log");
        }
    }
}
