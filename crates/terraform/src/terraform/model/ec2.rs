//! EC2 and VPC: EBS volumes and encryption by default, security groups with their inline
//! and separate rules, VPCs joined with their flow logs, subnets, instances, network ACL
//! rules, launch templates and launch configurations, and AMI launch permissions.

use std::sync::Arc;

use super::join::{resolve, Ctx, Joins, TargetSpec};
use super::read::{to_string, Conv, Reader};
use crate::model::aws::ec2::{
    BlockDevice, Direction, EbsEncryptionByDefault, EbsVolume, Instance, SecurityGroup,
    SecurityGroupRule, Subnet, Vpc,
};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Resolved, ResourceMeta, Value};
use crate::terraform::ir::{Dyn, Resource};

const GROUP: TargetSpec<'static> = TargetSpec {
    types: &["aws_security_group", "aws_default_security_group"],
    name_attr: None,
    global_names: false,
};

const VPC: TargetSpec<'static> = TargetSpec {
    types: &["aws_vpc", "aws_default_vpc"],
    name_attr: None,
    global_names: false,
};

/// Adds EC2 and VPC resources to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    ebs(ctx, aws);
    security_groups(ctx, aws);
    vpcs(ctx, aws);
    adapt_acls_templates_images(ctx, aws);
    for r in ctx.managed(&["aws_subnet"]) {
        let rd = Reader::new(r);
        aws.subnets.push(Subnet {
            meta: ctx.meta(r),
            map_public_ip_on_launch: rd.bool("map_public_ip_on_launch", false),
        });
    }
    for r in ctx.managed(&["aws_instance"]) {
        let rd = Reader::new(r);
        let from_template = rd.block.blocks_of("launch_template").next().is_some();
        let (metadata_endpoint, metadata_tokens) = metadata_options(
            &rd,
            from_template.then(|| {
                (
                    "metadata options come from the launch template".into(),
                    rd.owner_origin(),
                )
            }),
        );
        let block_devices = block_devices(&rd, encryption_by_default(ctx, r), !from_template);
        aws.instances.push(Instance {
            meta: ctx.meta(r),
            metadata_endpoint,
            metadata_tokens,
            block_devices,
            user_data_credentials: user_data_credentials(&rd, false),
        });
    }
}

/// The credentials in the user data of `rd`: `user_data` (base64 when `base64`, as in
/// launch templates; else plain text, also read decoded when it is valid base64) or
/// `user_data_base64`. Only the verdict is kept.
fn user_data_credentials(rd: &Reader<'_>, base64: bool) -> Value<Vec<String>> {
    use crate::terraform::functions::base64_decode;
    use soc2scan_core::secrets::credentials_in_text;
    let decoded = |s: &str| {
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        base64_decode(&compact).and_then(|b| String::from_utf8(b).ok())
    };
    for (name, is_b64) in [("user_data", base64), ("user_data_base64", true)] {
        let Some(a) = rd.attr(name) else { continue };
        let at = rd.origin_at(a.pos);
        let path = rd.path(name);
        let mut text = match &a.value {
            Dyn::Null => continue,
            Dyn::String(s) if is_b64 => match decoded(s) {
                Some(t) => t,
                None => {
                    return Value::unknown(
                        format!("`{name}` is not base64-encoded text (compressed or binary)"),
                        at,
                        path,
                    )
                }
            },
            Dyn::String(s) => s.clone(),
            Dyn::Unknown(u) => return Value::unknown(u.reason.clone(), at, path),
            _ => return Value::unknown(format!("`{name}` is not a string"), at, path),
        };
        if !is_b64 {
            if let Some(t) = decoded(&text) {
                text.push('\n');
                text.push_str(&t);
            }
        }
        return Value::set(credentials_in_text(&text), at, path);
    }
    Value::defaulted(vec![], rd.owner_origin(), rd.path("user_data"))
}

/// Whether the root module of `r` turns EBS encryption by default on.
fn encryption_by_default(ctx: &Ctx<'_>, r: &Resource) -> bool {
    ctx.managed(&["aws_ebs_encryption_by_default"])
        .filter(|d| ctx.same_root(d, r))
        .any(|d| Reader::new(d).bool("enabled", true).known() == Some(&true))
}

/// The encryption of one EBS device block `b` (`encrypted` and `snapshot_id` read from
/// it), see [`BlockDevice::encrypted`].
fn device_encrypted(b: &Reader<'_>, default_on: bool) -> Value<bool> {
    let path = b.path("encrypted");
    if !b.has("encrypted") && b.has("snapshot_id") && !default_on {
        return Value::unknown(
            "created from a snapshot: encryption follows the snapshot",
            b.block_origin(),
            path,
        );
    }
    let v = b.bool("encrypted", default_on);
    if default_on && v.known() == Some(&false) {
        return Value::defaulted(true, v.origin, path);
    }
    let mut v = v;
    if !b.has("encrypted") {
        // Point at the device block, not at the resource.
        v.origin = b.block_origin();
    }
    v
}

/// A device that a `dynamic` block would write, with unknown encryption.
fn unknown_device(rd: &Reader<'_>, kind: &str, path: &str) -> Option<BlockDevice> {
    let u = rd.block.unknown_blocks_of(kind)?;
    Some(BlockDevice {
        device: format!("dynamic \"{kind}\""),
        encrypted: Value::unknown(u.reason.clone(), rd.origin_at(u.pos), path),
    })
}

/// The `root_block_device` and `ebs_block_device` blocks of an instance or a launch
/// configuration; with `implicit_root`, the root device from the AMI when none is
/// written.
fn block_devices(rd: &Reader<'_>, default_on: bool, implicit_root: bool) -> Vec<BlockDevice> {
    let mut out = Vec::new();
    match rd.first("root_block_device") {
        Some(b) => out.push(BlockDevice {
            device: "root".into(),
            encrypted: device_encrypted(&b, default_on),
        }),
        None => {
            if let Some(d) = unknown_device(rd, "root_block_device", "root_block_device.encrypted")
            {
                out.push(d);
            } else if implicit_root {
                out.push(BlockDevice {
                    device: "root".into(),
                    encrypted: Value::defaulted(
                        default_on,
                        rd.owner_origin(),
                        "root_block_device.encrypted",
                    ),
                });
            }
        }
    }
    for b in rd.all("ebs_block_device") {
        let device = b
            .string("device_name", "")
            .known()
            .cloned()
            .unwrap_or_default();
        out.push(BlockDevice {
            device,
            encrypted: device_encrypted(&b, default_on),
        });
    }
    out.extend(unknown_device(
        rd,
        "ebs_block_device",
        "ebs_block_device.encrypted",
    ));
    out
}

/// The `block_device_mappings` with an `ebs` block of a launch template.
fn template_devices(rd: &Reader<'_>, default_on: bool) -> Vec<BlockDevice> {
    let mut out = Vec::new();
    for m in rd.all("block_device_mappings") {
        let device = m
            .string("device_name", "")
            .known()
            .cloned()
            .unwrap_or_default();
        match m.first("ebs") {
            Some(e) => out.push(BlockDevice {
                device,
                encrypted: device_encrypted(&e, default_on),
            }),
            None => out.extend(unknown_device(&m, "ebs", &m.path("ebs.encrypted"))),
        }
    }
    out.extend(unknown_device(
        rd,
        "block_device_mappings",
        "block_device_mappings.ebs.encrypted",
    ));
    out
}

fn ebs(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_ebs_encryption_by_default"]) {
        let rd = Reader::new(r);
        aws.ebs_encryption_by_default.push(EbsEncryptionByDefault {
            meta: ctx.meta(r),
            enabled: rd.bool("enabled", true),
        });
    }
    let default_on = aws
        .ebs_encryption_by_default
        .iter()
        .any(|d| d.enabled.known() == Some(&true));
    for r in ctx.managed(&["aws_ebs_volume"]) {
        let rd = Reader::new(r);
        let encrypted = if !rd.has("encrypted") && rd.has("snapshot_id") && !default_on {
            Value::unknown(
                "created from a snapshot: encryption follows the snapshot",
                rd.owner_origin(),
                "encrypted",
            )
        } else {
            let v = rd.bool("encrypted", default_on);
            // With encryption by default on, AWS encrypts the volume whatever is written.
            if default_on && v.known() == Some(&false) {
                Value::defaulted(true, v.origin, "encrypted")
            } else {
                v
            }
        };
        aws.ebs_volumes.push(EbsVolume {
            meta: ctx.meta(r),
            encrypted,
            kms_key: rd.opt_ref("kms_key_id"),
        });
    }
}

/// A list attribute or a single-string attribute as a list.
fn ranges(rd: &Reader<'_>, name: &str, single: bool) -> Value<Vec<String>> {
    if single {
        rd.read(name, Vec::new(), |d| match to_string(d, name) {
            Conv::Ok(s) => Conv::Ok(vec![s]),
            Conv::Null => Conv::Null,
            Conv::Unknown(r) => Conv::Unknown(r),
        })
    } else {
        rd.strings(name)
    }
}

fn protocol(rd: &Reader<'_>, name: &str) -> Value<String> {
    rd.string(name, "-1").map(|p| p.to_ascii_lowercase())
}

fn rule_from(
    rd: &Reader<'_>,
    owner: ResourceMeta,
    group: Option<String>,
    direction: Direction,
    vpc_rule: bool,
) -> SecurityGroupRule {
    let (proto, v4, v6) = if vpc_rule {
        ("ip_protocol", "cidr_ipv4", "cidr_ipv6")
    } else {
        ("protocol", "cidr_blocks", "ipv6_cidr_blocks")
    };
    let protocol = protocol(rd, proto);
    let (mut from_port, mut to_port) = (rd.int("from_port", 0), rd.int("to_port", 65535));
    // An all-protocol rule admits every port whatever its ports say (AWS ignores them
    // and `DescribeSecurityGroups` returns none): the model gives it the whole range, as
    // the live adapter does.
    if protocol
        .known()
        .is_some_and(|p| SecurityGroupRule::is_all_protocols(p))
    {
        from_port = Value::defaulted(0, from_port.origin.clone(), from_port.path.clone());
        to_port = Value::defaulted(65535, to_port.origin.clone(), to_port.path.clone());
    }
    SecurityGroupRule {
        meta: owner,
        origin: rd.block_origin(),
        group,
        direction,
        protocol,
        from_port,
        to_port,
        ipv4_ranges: ranges(rd, v4, vpc_rule),
        ipv6_ranges: ranges(rd, v6, vpc_rule),
    }
}

/// A rule whose content is unknown (a `dynamic` block that could not be expanded, or a
/// rule resource whose `type` is unknown).
fn unknown_rule(
    rd: &Reader<'_>,
    owner: ResourceMeta,
    group: Option<String>,
    reason: std::sync::Arc<str>,
    origin: crate::model::Origin,
    path: &str,
) -> SecurityGroupRule {
    fn u<T>(reason: &std::sync::Arc<str>, origin: &crate::model::Origin, path: String) -> Value<T> {
        Value::unknown(reason.clone(), origin.clone(), path)
    }
    let _ = rd;
    SecurityGroupRule {
        meta: owner,
        origin: origin.clone(),
        group,
        direction: Direction::Ingress,
        protocol: u(&reason, &origin, format!("{path}.protocol")),
        from_port: u(&reason, &origin, format!("{path}.from_port")),
        to_port: u(&reason, &origin, format!("{path}.to_port")),
        ipv4_ranges: u(&reason, &origin, format!("{path}.cidr_blocks")),
        ipv6_ranges: u(&reason, &origin, format!("{path}.ipv6_cidr_blocks")),
    }
}

fn group_of(ctx: &Ctx<'_>, r: &Resource) -> Option<String> {
    let a = r.body.attr("security_group_id")?;
    resolve(ctx, r, &a.value, GROUP)
        .definite
        .first()
        .map(|g| g.address.clone())
}

fn security_groups(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(GROUP.types) {
        let rd = Reader::new(r);
        let m = ctx.meta(r);
        aws.security_groups.push(SecurityGroup {
            meta: m.clone(),
            name: rd.string("name", ""),
            is_default: r.rtype == "aws_default_security_group",
        });
        for (kind, dir) in [
            ("ingress", Direction::Ingress),
            ("egress", Direction::Egress),
        ] {
            for b in rd.all(kind) {
                aws.security_group_rules.push(rule_from(
                    &b,
                    m.clone(),
                    Some(r.address.clone()),
                    dir,
                    false,
                ));
            }
            if let Some(u) = rd.block.unknown_blocks_of(kind) {
                let mut rule = unknown_rule(
                    &rd,
                    m.clone(),
                    Some(r.address.clone()),
                    u.reason.clone(),
                    rd.origin_at(u.pos),
                    kind,
                );
                rule.direction = dir;
                aws.security_group_rules.push(rule);
            }
        }
    }
    for r in ctx.managed(&["aws_security_group_rule"]) {
        let rd = Reader::new(r);
        let group = group_of(ctx, r);
        match rd.string("type", "ingress").value {
            Resolved::Set(t) | Resolved::Defaulted(t) => {
                let dir = if t == "egress" {
                    Direction::Egress
                } else {
                    Direction::Ingress
                };
                aws.security_group_rules
                    .push(rule_from(&rd, ctx.meta(r), group, dir, false));
            }
            Resolved::Unknown(reason) => {
                let at = rd
                    .attr("type")
                    .map(|a| rd.origin_at(a.pos))
                    .unwrap_or_else(|| rd.owner_origin());
                aws.security_group_rules.push(unknown_rule(
                    &rd,
                    ctx.meta(r),
                    group,
                    reason,
                    at,
                    "type",
                ));
            }
        }
    }
    for (t, dir) in [
        ("aws_vpc_security_group_ingress_rule", Direction::Ingress),
        ("aws_vpc_security_group_egress_rule", Direction::Egress),
    ] {
        for r in ctx
            .all
            .iter()
            .filter(|r| r.mode == crate::terraform::ir::Mode::Managed && r.rtype == t)
        {
            let rd = Reader::new(r);
            let group = group_of(ctx, r);
            aws.security_group_rules
                .push(rule_from(&rd, ctx.meta(r), group, dir, true));
        }
    }
}

fn vpcs(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let flow = Joins::build(ctx, &["aws_flow_log"], "vpc_id", VPC);
    for r in ctx.managed(VPC.types) {
        let rd = Reader::new(r);
        let flow_logs = match flow.definite(r).first() {
            Some(f) => {
                let frd = Reader::new(f);
                let at = frd
                    .attr("vpc_id")
                    .map(|a| frd.origin_at(a.pos))
                    .unwrap_or_else(|| frd.owner_origin());
                Value::set(true, at, "flow_logs")
            }
            None => match flow.possible(r) {
                Some(reason) => Value::unknown(reason.clone(), rd.owner_origin(), "flow_logs"),
                None => Value::defaulted(false, rd.owner_origin(), "flow_logs"),
            },
        };
        aws.vpcs.push(Vpc {
            meta: ctx.meta(r),
            flow_logs,
            is_default: r.rtype == "aws_default_vpc",
        });
    }
}

/// Adds network ACL rules, launch templates and AMI launch permissions to `aws`.
pub(crate) fn adapt_acls_templates_images(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    use crate::model::aws::ec2::{AmiLaunchPermission, LaunchTemplate, NetworkAclRule};
    use crate::model::Origin;
    use crate::terraform::ir::UnknownBlock;
    for r in ctx.managed(&["aws_network_acl", "aws_default_network_acl"]) {
        let rd = Reader::new(r);
        let m = ctx.meta(r);
        for (kind, dir) in [
            ("ingress", Direction::Ingress),
            ("egress", Direction::Egress),
        ] {
            for b in rd.all(kind) {
                aws.network_acl_rules.push(NetworkAclRule {
                    meta: m.clone(),
                    origin: b.block_origin(),
                    direction: Value::set(dir, b.block_origin(), b.path("direction")),
                    action: b.string("action", "").map(|a| a.to_ascii_lowercase()),
                    protocol: b.string("protocol", "").map(|p| p.to_ascii_lowercase()),
                    from_port: b.int("from_port", 0),
                    to_port: b.int("to_port", 0),
                    ipv4_cidr: b.opt_ref("cidr_block"),
                    ipv6_cidr: b.opt_ref("ipv6_cidr_block"),
                });
            }
            if let Some(u) = rd.block.unknown_blocks_of(kind) {
                let at = rd.origin_at(u.pos);
                fn unk<T>(u: &UnknownBlock, at: &Origin, kind: &str, p: &str) -> Value<T> {
                    Value::unknown(u.reason.clone(), at.clone(), format!("{kind}.{p}"))
                }
                aws.network_acl_rules.push(NetworkAclRule {
                    meta: m.clone(),
                    origin: at.clone(),
                    direction: Value::set(dir, at.clone(), format!("{kind}.direction")),
                    action: unk(u, &at, kind, "action"),
                    protocol: unk(u, &at, kind, "protocol"),
                    from_port: unk(u, &at, kind, "from_port"),
                    to_port: unk(u, &at, kind, "to_port"),
                    ipv4_cidr: unk(u, &at, kind, "cidr_block"),
                    ipv6_cidr: unk(u, &at, kind, "ipv6_cidr_block"),
                });
            }
        }
    }
    for r in ctx.managed(&["aws_network_acl_rule"]) {
        let rd = Reader::new(r);
        aws.network_acl_rules.push(NetworkAclRule {
            meta: ctx.meta(r),
            origin: rd.block_origin(),
            direction: rd.bool("egress", false).map(|e| {
                if *e {
                    Direction::Egress
                } else {
                    Direction::Ingress
                }
            }),
            action: rd.string("rule_action", "").map(|a| a.to_ascii_lowercase()),
            protocol: rd.string("protocol", "").map(|p| p.to_ascii_lowercase()),
            from_port: rd.int("from_port", 0),
            to_port: rd.int("to_port", 0),
            ipv4_cidr: rd.opt_ref("cidr_block"),
            ipv6_cidr: rd.opt_ref("ipv6_cidr_block"),
        });
    }
    for r in ctx.managed(&["aws_launch_template", "aws_launch_configuration"]) {
        let rd = Reader::new(r);
        let dynamic = rd.block.unknown_blocks_of("metadata_options");
        let (metadata_endpoint, metadata_tokens) = metadata_options(
            &rd,
            dynamic.map(|u| (u.reason.clone(), rd.origin_at(u.pos))),
        );
        let default_on = encryption_by_default(ctx, r);
        let block_devices = if r.rtype == "aws_launch_template" {
            template_devices(&rd, default_on)
        } else {
            block_devices(&rd, default_on, true)
        };
        aws.launch_templates.push(LaunchTemplate {
            meta: ctx.meta(r),
            metadata_endpoint,
            metadata_tokens,
            block_devices,
            user_data_credentials: user_data_credentials(&rd, r.rtype == "aws_launch_template"),
        });
    }
    for r in ctx.managed(&["aws_ami_launch_permission"]) {
        let rd = Reader::new(r);
        aws.ami_launch_permissions.push(AmiLaunchPermission {
            meta: ctx.meta(r),
            group: rd.opt_ref("group"),
        });
    }
}

/// `metadata_options.http_endpoint` and `.http_tokens` of an instance or a launch
/// template: as written; unknown with `unknown`'s reason and origin when the block is
/// absent but comes from elsewhere (a launch template, a `dynamic` block); else the EC2
/// defaults, `enabled` and `optional` (IMDSv1 allowed).
fn metadata_options(
    rd: &Reader<'_>,
    unknown: Option<(Arc<str>, Origin)>,
) -> (Value<String>, Value<String>) {
    const ENDPOINT: &str = "metadata_options.http_endpoint";
    const TOKENS: &str = "metadata_options.http_tokens";
    if let Some(m) = rd.first("metadata_options") {
        return (
            m.string("http_endpoint", "enabled"),
            m.string("http_tokens", "optional"),
        );
    }
    match unknown {
        Some((reason, at)) => (
            Value::unknown(reason.clone(), at.clone(), ENDPOINT),
            Value::unknown(reason, at, TOKENS),
        ),
        None => (
            Value::defaulted("enabled".into(), rd.owner_origin(), ENDPOINT),
            Value::defaulted("optional".into(), rd.owner_origin(), TOKENS),
        ),
    }
}
