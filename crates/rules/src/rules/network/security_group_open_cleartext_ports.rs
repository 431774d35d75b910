//! AWS-EC2-024: no security group admits the whole internet to clear-text protocols.

use crate::model::aws::ec2::{cleartext_services, Direction, SecurityGroupRule};
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// The clear-text services a rule opens, except rules opening all ports (AWS-EC2-003).
fn cleartext_ports(r: &SecurityGroupRule) -> Result<Vec<String>, String> {
    let proto = r.protocol.try_known()?;
    if SecurityGroupRule::is_all_protocols(proto) {
        return Ok(vec![]);
    }
    let (from, to) = (*r.from_port.try_known()?, *r.to_port.try_known()?);
    Ok(cleartext_services(proto, from, to))
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every inbound security-group rule (inline `ingress` blocks,
    /// `aws_security_group_rule` of type `ingress`, `aws_vpc_security_group_ingress_rule`)
    /// for a source of `0.0.0.0/0` or `::/0` on the port of a protocol that carries
    /// credentials or administration in clear text: FTP (TCP 20–21), Telnet (TCP 23),
    /// TFTP (UDP 69), SNMP (UDP 161), rexec/rlogin/rsh (TCP 512–514). A port range
    /// that contains one of them counts. Rules that open all ports or all protocols are
    /// AWS-EC2-003's. VNC (5900) is not in the list: its encryption depends on the
    /// server, and remote-administration ports are AWS-EC2-003's concern.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7 expects data and credentials to be protected in transmission, CC6.6
    /// boundary protection: a password typed over FTP, Telnet or rlogin, or an SNMP
    /// community string, crosses the internet readable by anyone on the path, and these
    /// services are scanned for and brute-forced continuously. TFTP has no
    /// authentication at all.
    ///
    /// ## Default assumed
    /// None: sources, protocol and ports are written.
    ///
    /// ## Not evaluated
    /// When the sources, protocol or ports come from variables without a value, or a
    /// `dynamic "ingress"` block cannot be expanded.
    ///
    /// ## How to fix
    /// Replace the protocol with its encrypted successor (SFTP/FTPS, SSH, SNMPv3 over a
    /// private network) and allow it only from known ranges:
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "sftp" {
    ///   security_group_id = aws_security_group.transfer.id
    ///   cidr_ipv4         = "203.0.113.0/24" # partner range
    ///   ip_protocol       = "tcp"
    ///   from_port         = 22
    ///   to_port           = 22
    /// }
    /// ```
    pub struct SecurityGroupOpenCleartextPorts {
        id: "AWS-EC2-024",
        slug: "security-group-open-cleartext-ports",
        title: "Security groups do not open clear-text protocols (FTP, Telnet, ...) to the internet",
        severity: Critical,
        family: Network,
    }
}

impl Rule for SecurityGroupOpenCleartextPorts {
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
                &r.world_open_ports(cleartext_ports),
                Vec::is_empty,
                |what| {
                    format!(
                        "ingress from the whole internet to clear-text protocol ports {}",
                        what.join(", ")
                    )
                },
            );
        }
    }
}
