//! AWS-EC2-003: no security group admits the whole internet to admin ports or all ports.

use crate::model::aws::ec2::{Direction, SecurityGroupRule};
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// Remote administration ports: SSH and RDP.
const ADMIN_PORTS: [i64; 2] = [22, 3389];

/// The ports the rule covers among all ports and the admin ports, described.
fn risky_ports(r: &SecurityGroupRule) -> Result<Vec<String>, String> {
    let proto = r.protocol.try_known()?;
    if SecurityGroupRule::is_all_protocols(proto) {
        return Ok(vec!["all ports".into()]);
    }
    if !matches!(proto.as_str(), "tcp" | "6" | "udp" | "17") {
        return Ok(vec![]);
    }
    let (from, to) = (*r.from_port.try_known()?, *r.to_port.try_known()?);
    if from <= 0 && to >= 65535 {
        return Ok(vec!["all ports".into()]);
    }
    Ok(ADMIN_PORTS
        .iter()
        .find(|p| (from..=to).contains(p))
        .map(|p| format!("port {p}"))
        .into_iter()
        .collect())
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every inbound security-group rule — inline `ingress {}` blocks of
    /// `aws_security_group`/`aws_default_security_group`, `aws_security_group_rule`
    /// with `type = "ingress"`, and `aws_vpc_security_group_ingress_rule` — for a source
    /// of `0.0.0.0/0` or `::/0` together with an admin port (22 SSH, 3389 RDP) or all
    /// ports (protocol `-1`, or a TCP/UDP range 0–65535). A rule is reported whichever
    /// group it belongs to, so the check does not depend on resolving the group.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects boundary protection against outside threats and CC6.1 network
    /// segmentation: remote administration open to the internet is brute-forced within
    /// minutes of exposure and is a leading cause of initial compromise.
    ///
    /// ## Default assumed
    /// None: sources and ports are required to be written. Missing ports on an
    /// all-protocol `aws_vpc_security_group_ingress_rule` mean all ports.
    ///
    /// ## Not evaluated
    /// When the source ranges, protocol or ports come from variables without a value,
    /// or a `dynamic "ingress"` block cannot be expanded.
    ///
    /// ## How to fix
    /// Allow administration only from known ranges, or use SSM Session Manager:
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "ssh" {
    ///   security_group_id = aws_security_group.bastion.id
    ///   cidr_ipv4         = "203.0.113.0/24" # office VPN
    ///   ip_protocol       = "tcp"
    ///   from_port         = 22
    ///   to_port           = 22
    /// }
    /// ```
    pub struct SecurityGroupOpenAdminPorts {
        id: "AWS-EC2-003",
        slug: "security-group-open-admin-ports",
        title: "Security groups do not open admin ports or all ports to the internet",
        severity: Critical,
        family: Network,
    }
}

impl Rule for SecurityGroupOpenAdminPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in model
            .aws
            .security_group_rules
            .iter()
            .filter(|r| r.direction == Direction::Ingress)
        {
            out.require(
                &r.meta,
                &r.world_open_ports(risky_ports),
                Vec::is_empty,
                |what| format!("ingress from the whole internet to {}", what.join(", ")),
            );
        }
    }
}
