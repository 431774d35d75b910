//! AWS-VPC-004: no network ACL allows clear-text protocols in from the internet.

use crate::model::aws::ec2::{cleartext_services, Direction, NetworkAclRule};
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// The clear-text services an inbound `allow` from anywhere admits; empty for other
/// rules and for all-traffic rules (AWS-VPC-003's).
fn cleartext_from_world(r: &NetworkAclRule) -> Result<Vec<String>, String> {
    if *r.direction.try_known()? != Direction::Ingress || r.action.try_known()? != "allow" {
        return Ok(vec![]);
    }
    let proto = r.protocol.try_known()?;
    if !matches!(proto.as_str(), "tcp" | "6" | "udp" | "17") {
        return Ok(vec![]);
    }
    let found = cleartext_services(proto, *r.from_port.try_known()?, *r.to_port.try_known()?);
    if found.is_empty() {
        return Ok(found);
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
        (Ok(true), _) | (_, Ok(true)) => Ok(found),
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
        _ => Ok(vec![]),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks network ACL rules — inline `ingress` blocks of `aws_network_acl` and
    /// `aws_default_network_acl`, and `aws_network_acl_rule` with `egress = false` — for
    /// an `allow` from `0.0.0.0/0` or `::/0` of the port of a clear-text protocol: FTP
    /// (TCP 20–21), Telnet (TCP 23), TFTP (UDP 69), SNMP (UDP 161), rexec/rlogin/rsh
    /// (TCP 512–514); a port range containing one counts. All-traffic entries are
    /// AWS-VPC-003's. A lower-numbered `deny` that would take precedence is not taken
    /// into account: the entry states the intent to serve the protocol.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7 and CC6.6: a subnet that admits FTP, Telnet or rlogin from the internet is
    /// designed to receive credentials in clear text; only the security groups stand
    /// between the protocol and the internet.
    ///
    /// ## Default assumed
    /// `egress` of `aws_network_acl_rule` defaults to `false` (an inbound rule).
    ///
    /// ## Not evaluated
    /// When the action, protocol, ports or source come from a variable without a value,
    /// or an `ingress` block is a `dynamic` block that cannot be expanded.
    ///
    /// ## How to fix
    /// Remove the entry, or allow the encrypted successor (SFTP on 22, FTPS on 990) from
    /// known ranges only:
    /// ```hcl
    /// resource "aws_network_acl_rule" "sftp_in" {
    ///   network_acl_id = aws_network_acl.public.id
    ///   rule_number    = 100
    ///   protocol       = "tcp"
    ///   rule_action    = "allow"
    ///   cidr_block     = "203.0.113.0/24"
    ///   from_port      = 22
    ///   to_port        = 22
    /// }
    /// ```
    pub struct NaclAllowCleartextPorts {
        id: "AWS-VPC-004",
        slug: "nacl-allow-cleartext-ports",
        title: "Network ACLs do not allow clear-text protocols (FTP, Telnet, ...) in from the internet",
        severity: Medium,
        family: Network,
    }
}

impl Rule for NaclAllowCleartextPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.network_acl_rules {
            if r.direction.known() == Some(&Direction::Egress) {
                continue;
            }
            match cleartext_from_world(r) {
                Ok(found) if found.is_empty() => out.pass(&r.meta, &r.origin, &r.protocol.path),
                Ok(found) => out.fail(
                    &r.meta,
                    &r.origin,
                    &r.protocol.path,
                    format!(
                        "network ACL allows clear-text protocol ports {} from the whole internet",
                        found.join(", ")
                    ),
                ),
                Err(e) => out.not_evaluated(&r.meta, &r.origin, &r.protocol.path, e),
            }
        }
    }
}
