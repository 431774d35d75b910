//! AWS-ECS-001: ECS services do not give their tasks public IP addresses.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no `aws_ecs_service` sets `network_configuration { assign_public_ip =
    /// true }`: its tasks (awsvpc network mode, Fargate in particular) would each get a
    /// public IP address in a public subnet.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects boundary protection and CC6.1 segmentation. A task with a public
    /// address is reachable from the internet as far as its security groups allow,
    /// bypassing the load balancer (and its TLS, WAF and access logs) that should be
    /// the only way in; tasks in private subnets reach the internet through a NAT
    /// gateway or VPC endpoints instead.
    ///
    /// ## Default assumed
    /// `assign_public_ip` defaults to `false`.
    ///
    /// ## Not evaluated
    /// When `assign_public_ip` comes from a variable without a value, or
    /// `network_configuration` is a `dynamic` block that cannot be expanded. On live
    /// scans: in an account and region whose clusters or services could not be listed
    /// (`ecs:ListClusters`, `ecs:ListServices` denied or failed), and for a service
    /// whose `DescribeServices` failed.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ecs_service" "api" {
    ///   # ...
    ///   network_configuration {
    ///     subnets          = module.vpc.private_subnets
    ///     security_groups  = [aws_security_group.api.id]
    ///     assign_public_ip = false
    ///   }
    /// }
    /// ```
    pub struct EcsServicePublicIp {
        id: "AWS-ECS-001",
        slug: "ecs-service-public-ip",
        title: "ECS services do not assign public IP addresses to their tasks",
        severity: Medium,
        family: Network,
    }
}

impl Rule for EcsServicePublicIp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.ecs_services {
            out.require_false(
                &s.meta,
                &s.assign_public_ip,
                "the service's tasks get public IP addresses: they are reachable from the internet outside the load balancer",
            );
        }
    }
}
