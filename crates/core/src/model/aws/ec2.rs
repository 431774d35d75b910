//! EC2 and VPC: EBS volumes and the account's default EBS encryption, security groups
//! and their rules, VPCs with their flow logs, subnets, and instances' metadata options.

use serde::{Deserialize, Serialize};

use crate::model::{Origin, ResourceMeta, Value};

/// An EBS volume (`aws_ebs_volume`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EbsVolume {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encrypted`. Without it the volume is encrypted only when the account's EBS
    /// encryption by default is on: the adapter gives `Defaulted(true)` when the scanned
    /// configuration enables it (`aws_ebs_encryption_by_default`), else `Defaulted(false)`
    /// (EC2 API `CreateVolume`: "Encrypted ... default: false unless encryption by
    /// default is enabled").
    pub encrypted: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (the AWS managed key `aws/ebs`).
    pub kms_key: Value<Option<String>>,
}

/// The account-and-region setting "EBS encryption by default"
/// (`aws_ebs_encryption_by_default`, `GetEbsEncryptionByDefault`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EbsEncryptionByDefault {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `enabled`; `Defaulted(true)` (provider docs: "Defaults to `true`").
    pub enabled: Value<bool>,
}

/// A security group (`aws_security_group`, `aws_default_security_group`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SecurityGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Group name, when written.
    pub name: Value<String>,
    /// Whether this is the VPC's default group (`aws_default_security_group`).
    pub is_default: bool,
}

/// Direction of a security-group rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Inbound traffic.
    Ingress,
    /// Outbound traffic.
    Egress,
}

/// One security-group rule (`DescribeSecurityGroupRules`): an inline `ingress`/`egress`
/// block, an `aws_security_group_rule`, or an `aws_vpc_security_group_ingress_rule` /
/// `_egress_rule`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SecurityGroupRule {
    /// The resource that declares the rule: the group itself for inline blocks, the rule
    /// resource otherwise. Findings about the rule are reported on it.
    pub meta: ResourceMeta,
    /// Where the rule is written (the inline block, or the rule resource).
    pub origin: Origin,
    /// Address of the group it belongs to, when it could be tied to one.
    pub group: Option<String>,
    /// Inbound or outbound.
    pub direction: Direction,
    /// IP protocol: `tcp`, `udp`, `icmp`, `-1` (all), or a number, lower-cased.
    pub protocol: Value<String>,
    /// First port (`from_port`); `Defaulted(0)` when absent (all-protocol rules).
    pub from_port: Value<i64>,
    /// Last port (`to_port`); `Defaulted(65535)` when absent (all-protocol rules).
    pub to_port: Value<i64>,
    /// IPv4 CIDR sources (`cidr_blocks`, `cidr_ipv4`); `Defaulted(empty)` when absent.
    pub ipv4_ranges: Value<Vec<String>>,
    /// IPv6 CIDR sources (`ipv6_cidr_blocks`, `cidr_ipv6`); `Defaulted(empty)` when absent.
    pub ipv6_ranges: Value<Vec<String>>,
}

impl SecurityGroupRule {
    /// Whether the (known) protocol is "all traffic".
    pub fn is_all_protocols(p: &str) -> bool {
        matches!(p, "-1" | "all")
    }

    /// Whether the rule admits traffic from anywhere (`0.0.0.0/0` or `::/0`), and the
    /// source ranges that say so (the IPv4 ones when neither does); `Err(reason)` when a
    /// source that could decide it is unknown.
    pub fn open_to_world(&self) -> (Result<bool, String>, &Value<Vec<String>>) {
        let any = |v: &Value<Vec<String>>, world: &str| -> Result<bool, String> {
            Ok(v.try_known()?.iter().any(|c| c.trim() == world))
        };
        match (
            any(&self.ipv4_ranges, "0.0.0.0/0"),
            any(&self.ipv6_ranges, "::/0"),
        ) {
            (Ok(true), _) => (Ok(true), &self.ipv4_ranges),
            (_, Ok(true)) => (Ok(true), &self.ipv6_ranges),
            (Err(e), _) => (Err(e), &self.ipv4_ranges),
            (_, Err(e)) => (Err(e), &self.ipv6_ranges),
            _ => (Ok(false), &self.ipv4_ranges),
        }
    }

    /// What of `ports` (the descriptions of the ports it picks out of the rule, e.g.
    /// `port 22`) the rule opens to the whole internet, at the source ranges that decide
    /// it: empty when the rule admits no such source or `ports` finds none; unknown when a
    /// source range or what `ports` reads is unknown and the other does not settle it.
    pub fn world_open_ports(
        &self,
        ports: impl FnOnce(&Self) -> Result<Vec<String>, String>,
    ) -> Value<Vec<String>> {
        let (open, at) = self.open_to_world();
        let found = match (open, ports(self)) {
            (Ok(false), _) => Ok(vec![]),
            (_, Ok(p)) if p.is_empty() => Ok(p),
            (Ok(true), Ok(p)) => Ok(p),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        match found {
            Ok(p) => Value::set(p, at.origin.clone(), at.path.clone()),
            Err(e) => Value::unknown(e, at.origin.clone(), at.path.clone()),
        }
    }
}

/// A VPC (`aws_vpc`, `aws_default_vpc`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Vpc {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Whether a flow log captures this VPC's traffic (`aws_flow_log` with `vpc_id`,
    /// `DescribeFlowLogs`); `Defaulted(false)` when none does; unknown when a flow log in
    /// scope could not be tied to a VPC.
    pub flow_logs: Value<bool>,
    /// Whether this is the region's default VPC.
    pub is_default: bool,
}

/// A subnet (`aws_subnet`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Subnet {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `map_public_ip_on_launch`; `Defaulted(false)`.
    pub map_public_ip_on_launch: Value<bool>,
}

/// An EC2 instance (`aws_instance`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Instance {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `metadata_options.http_endpoint`; `Defaulted("enabled")`.
    pub metadata_endpoint: Value<String>,
    /// `metadata_options.http_tokens`: `required` means IMDSv2 only; `Defaulted("optional")`
    /// (provider docs; AMIs registered with `imds_support = "v2.0"` default to `required`,
    /// which the configuration cannot show).
    pub metadata_tokens: Value<String>,
    /// The EBS block devices written on the instance (`root_block_device`,
    /// `ebs_block_device`), and its root device when not written (from the AMI: see
    /// [`BlockDevice::encrypted`]), unless the instance is launched from a launch
    /// template, whose devices are judged on the template.
    pub block_devices: Vec<BlockDevice>,
    /// The kinds of credential written in clear in the user data (`AWS access key id`,
    /// `private key`, `secret assignment (NAME)`: [`crate::secrets::credentials_in_text`]),
    /// judged when the user data is read; the user data itself is never kept.
    /// `Defaulted(empty)` without user data; unknown when it cannot be read.
    pub user_data_credentials: Value<Vec<String>>,
}

/// An EBS block device of an instance, launch template or launch configuration. A
/// `dynamic` block that cannot be expanded is one device whose encryption is unknown.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BlockDevice {
    /// `root` for the root device, else its `device_name` (empty when not written).
    pub device: String,
    /// `encrypted` (`ebs.encrypted` in launch templates). When not written: `Defaulted
    /// (true)` when the scanned configuration turns EBS encryption by default on
    /// (`aws_ebs_encryption_by_default`); unknown for a device created from a snapshot
    /// (`snapshot_id`: it follows the snapshot); else `Defaulted(false)` (EC2 API
    /// `EbsBlockDevice.Encrypted`: volumes from unencrypted AMIs and snapshots are not
    /// encrypted unless encryption by default is on). Written `false` with encryption
    /// by default on is `Defaulted(true)`: AWS encrypts the volume anyway.
    pub encrypted: Value<bool>,
}

/// One rule of a network ACL (`DescribeNetworkAcls`): an inline `ingress`/`egress` block
/// of `aws_network_acl`/`aws_default_network_acl`, or an `aws_network_acl_rule`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NetworkAclRule {
    /// The resource that declares the rule (the ACL for inline blocks).
    pub meta: ResourceMeta,
    /// Where the rule is written.
    pub origin: Origin,
    /// Inbound or outbound (`egress` of `aws_network_acl_rule` is `Defaulted(false)`).
    pub direction: Value<Direction>,
    /// `action` / `rule_action`: `allow` or `deny`, lower-cased.
    pub action: Value<String>,
    /// `protocol`: `-1`/`all`, `tcp`, `6`, ..., lower-cased.
    pub protocol: Value<String>,
    /// `from_port`; `Defaulted(0)`.
    pub from_port: Value<i64>,
    /// `to_port`; `Defaulted(0)` (ignored for all-protocol rules).
    pub to_port: Value<i64>,
    /// IPv4 source or destination (`cidr_block`); `Defaulted(None)`.
    pub ipv4_cidr: Value<Option<String>>,
    /// IPv6 source or destination (`ipv6_cidr_block`); `Defaulted(None)`.
    pub ipv6_cidr: Value<Option<String>>,
}

/// An EC2 launch template or launch configuration (`aws_launch_template`,
/// `aws_launch_configuration`): the instance metadata options it gives its instances.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LaunchTemplate {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `metadata_options.http_endpoint`; `Defaulted("enabled")`.
    pub metadata_endpoint: Value<String>,
    /// `metadata_options.http_tokens`; `Defaulted("optional")` (provider docs; the
    /// instance default unless the AMI is registered with `imds_support = "v2.0"`).
    pub metadata_tokens: Value<String>,
    /// The EBS block devices written: `block_device_mappings` with an `ebs` block of a
    /// launch template, `root_block_device` and `ebs_block_device` of a launch
    /// configuration, whose root device is also judged when not written (from the AMI).
    pub block_devices: Vec<BlockDevice>,
    /// The kinds of credential written in clear in the user data (`AWS access key id`,
    /// `private key`, `secret assignment (NAME)`: [`crate::secrets::credentials_in_text`]),
    /// judged when the user data is read; the user data itself is never kept.
    /// `Defaulted(empty)` without user data; unknown when it cannot be read.
    pub user_data_credentials: Value<Vec<String>>,
}

/// A launch permission of an AMI (`aws_ami_launch_permission`,
/// `DescribeImageAttribute launchPermission`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AmiLaunchPermission {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `group`: `all` makes the AMI public; `Defaulted(None)` for permissions given to an
    /// account, organization or organizational unit.
    pub group: Value<Option<String>>,
}

/// Services that carry credentials or administration in clear text, by the port and
/// transport they listen on: `(port, "tcp" | "udp", service)`. FTP (20–21) and Telnet
/// (23) send passwords unencrypted; TFTP (69) has no authentication at all; SNMP v1/v2c
/// (161) sends its community string in clear; rexec, rlogin and rsh (512–514) send
/// passwords or trust the source address. Ports of 1024 and above are left out: they
/// overlap the ephemeral range that network ACLs must open for return traffic.
pub const CLEARTEXT_SERVICES: [(i64, &str, &str); 8] = [
    (20, "tcp", "FTP data"),
    (21, "tcp", "FTP"),
    (23, "tcp", "Telnet"),
    (69, "udp", "TFTP"),
    (161, "udp", "SNMP"),
    (512, "tcp", "rexec"),
    (513, "tcp", "rlogin"),
    (514, "tcp", "rsh"),
];

/// The clear-text services of [`CLEARTEXT_SERVICES`] that protocol `proto` (lower-cased
/// name or number) on ports `from..=to` admits, described as `21 (FTP)`. All-protocol
/// rules and rules over every port (0–65535) give none: those are judged as "all
/// traffic" by their own rules.
pub fn cleartext_services(proto: &str, from: i64, to: i64) -> Vec<String> {
    let transport = match proto {
        "tcp" | "6" => "tcp",
        "udp" | "17" => "udp",
        _ => return vec![],
    };
    if from <= 0 && to >= 65535 {
        return vec![];
    }
    CLEARTEXT_SERVICES
        .iter()
        .filter(|(p, t, _)| *t == transport && (from..=to).contains(p))
        .map(|(p, _, what)| format!("{p} ({what})"))
        .collect()
}
