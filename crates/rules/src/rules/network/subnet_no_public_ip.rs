//! AWS-VPC-002: subnets do not assign public IP addresses automatically.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no subnet (`aws_subnet`) sets `map_public_ip_on_launch = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: with automatic public addresses, every instance launched in the
    /// subnet is reachable from the internet as soon as a security group allows it,
    /// whether or not it was meant to be public. Public endpoints should be load
    /// balancers or NAT gateways, with instances in private subnets; instances that must
    /// be public can request an address explicitly (`associate_public_ip_address`).
    ///
    /// ## Default assumed
    /// `map_public_ip_on_launch` defaults to `false` (provider docs).
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_subnet" "public" {
    ///   vpc_id                  = aws_vpc.main.id
    ///   cidr_block              = "10.0.0.0/24"
    ///   map_public_ip_on_launch = false
    /// }
    /// ```
    pub struct SubnetNoPublicIp {
        id: "AWS-VPC-002",
        slug: "subnet-no-public-ip",
        title: "Subnets do not auto-assign public IP addresses",
        severity: Medium,
        family: Network,
    }
}

impl Rule for SubnetNoPublicIp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.subnets {
            out.require_false(
                &s.meta,
                &s.map_public_ip_on_launch,
                "instances launched in the subnet get a public IP address automatically",
            );
        }
    }
}
