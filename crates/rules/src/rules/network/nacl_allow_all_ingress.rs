//! AWS-VPC-003: no network ACL allows all inbound traffic from the internet.

use crate::model::aws::ec2::{Direction, NetworkAclRule};
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// `Ok(true)` when the rule allows every protocol and port from anywhere.
fn allows_all_from_world(r: &NetworkAclRule) -> Result<bool, String> {
    if *r.direction.try_known()? != Direction::Ingress {
        return Ok(false);
    }
    if r.action.try_known()? != "allow" {
        return Ok(false);
    }
    let proto = r.protocol.try_known()?;
    let all_ports = if matches!(proto.as_str(), "-1" | "all") {
        true
    } else if matches!(proto.as_str(), "tcp" | "6" | "udp" | "17") {
        *r.from_port.try_known()? <= 0 && *r.to_port.try_known()? >= 65535
    } else {
        false
    };
    if !all_ports {
        return Ok(false);
    }
    let v4 = r
        .ipv4_cidr
        .try_known()
        .map(|c| c.as_deref().map(str::trim) == Some("0.0.0.0/0"));
    let v6 = r
        .ipv6_cidr
        .try_known()
        .map(|c| c.as_deref().map(str::trim) == Some("::/0"));
    match (v4, v6) {
        (Ok(true), _) | (_, Ok(true)) => Ok(true),
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
        _ => Ok(false),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks network ACL rules — inline `ingress` blocks of `aws_network_acl` and
    /// `aws_default_network_acl`, and `aws_network_acl_rule` with `egress = false` — for
    /// an `allow` of all protocols (`-1`), or of all TCP or UDP ports (0–65535), from
    /// `0.0.0.0/0` or `::/0`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: network ACLs are the subnet-level layer of defence in depth. An
    /// allow-all inbound entry leaves the subnet's exposure entirely to security groups,
    /// so one permissive group exposes the instance to the internet. Allow only the ports
    /// the subnet serves (and the ephemeral range for return traffic).
    ///
    /// ## Default assumed
    /// `egress` of `aws_network_acl_rule` defaults to `false` (an inbound rule). AWS's own
    /// default ACL allows everything; it is only seen here when declared with
    /// `aws_default_network_acl`.
    ///
    /// ## Not evaluated
    /// When the action, protocol or source comes from a variable without a value, or an
    /// `ingress` block is a `dynamic` block that cannot be expanded.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_network_acl_rule" "https_in" {
    ///   network_acl_id = aws_network_acl.public.id
    ///   rule_number    = 100
    ///   protocol       = "tcp"
    ///   rule_action    = "allow"
    ///   cidr_block     = "0.0.0.0/0"
    ///   from_port      = 443
    ///   to_port        = 443
    /// }
    /// ```
    pub struct NaclAllowAllIngress {
        id: "AWS-VPC-003",
        slug: "nacl-allow-all-ingress",
        title: "Network ACLs do not allow all inbound traffic from the internet",
        severity: Medium,
        family: Network,
    }
}

impl Rule for NaclAllowAllIngress {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.network_acl_rules {
            if r.direction.known() == Some(&Direction::Egress) {
                continue;
            }
            match allows_all_from_world(r) {
                Ok(true) => out.fail(
                    &r.meta,
                    &r.origin,
                    &r.protocol.path,
                    "network ACL allows all inbound traffic from the whole internet",
                ),
                Ok(false) => out.pass(&r.meta, &r.origin, &r.protocol.path),
                Err(e) => out.not_evaluated(&r.meta, &r.origin, &r.protocol.path, e),
            }
        }
    }
}
