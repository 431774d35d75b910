//! EC2 and VPC in one region: security groups and their rules, EBS volumes, EBS
//! encryption by default, VPCs with their flow logs, subnets, instances' metadata
//! options, attached volumes and user data (judged for credentials, never kept), and
//! the EBS snapshots (with their public sharing) and AMIs the account owns.

use std::collections::BTreeSet;

use super::ec2_api::ops::{Images, Snapshots};
use super::ec2_api::Client;
use aws_config::SdkConfig;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::ebs_snapshot::EbsSnapshot;
use crate::model::aws::ec2::{
    AmiLaunchPermission, BlockDevice, Direction, EbsEncryptionByDefault, EbsVolume, Instance,
    SecurityGroup, SecurityGroupRule, Subnet, Vpc,
};
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "ec2";

/// Reads the EC2 resources of `scope.region`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let (sgs, vols, ebs, vpcs, flows, subnets, instances, snapshots, images) = tokio::join!(
        sh.pages(SVC, r, "DescribeSecurityGroups", || c
            .describe_security_groups()),
        sh.pages(SVC, r, "DescribeVolumes", || c.describe_volumes()),
        sh.call(SVC, r, "GetEbsEncryptionByDefault", || c
            .get_ebs_encryption_by_default()),
        sh.pages(SVC, r, "DescribeVpcs", || c.describe_vpcs()),
        sh.pages(SVC, r, "DescribeFlowLogs", || c.describe_flow_logs()),
        sh.pages(SVC, r, "DescribeSubnets", || c.describe_subnets()),
        sh.pages(SVC, r, "DescribeInstances", || c.describe_instances()),
        sh.pages(SVC, r, "DescribeSnapshots", || c.describe_snapshots()),
        sh.pages(SVC, r, "DescribeImages", || c.describe_images()),
    );
    let mut m = AwsModel::default();

    match sgs {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| &p.security_groups) {
                let Some(id) = g.group_id.as_deref() else {
                    continue;
                };
                let name = g.group_name.as_deref().unwrap_or_default();
                let is_default = name == "default";
                let rtype = if is_default {
                    "aws_default_security_group"
                } else {
                    "aws_security_group"
                };
                let meta = scope.meta(&scope.arn(SVC, &format!("security-group/{id}")), rtype);
                for (dir, perms) in [
                    (Direction::Ingress, &g.ip_permissions),
                    (Direction::Egress, &g.ip_permissions_egress),
                ] {
                    let key = if dir == Direction::Ingress {
                        "ingress"
                    } else {
                        "egress"
                    };
                    let mut perms: Vec<_> = perms.iter().collect();
                    perms.sort_by_key(|p| {
                        (
                            p.ip_protocol.clone().unwrap_or_default(),
                            p.from_port,
                            p.to_port,
                        )
                    });
                    for (i, p) in perms.iter().enumerate() {
                        let o = meta.origin.clone();
                        let path = format!("{key}[{i}]");
                        let all = matches!(p.ip_protocol.as_deref(), Some("-1") | None);
                        let port = |v: Option<i32>, d: i64, f: &str| match v {
                            Some(x) if !all && x >= 0 => {
                                Value::set(i64::from(x), o.clone(), format!("{path}.{f}"))
                            }
                            _ => Value::defaulted(d, o.clone(), format!("{path}.{f}")),
                        };
                        let mut v4: Vec<String> = p.ipv4_ranges.clone();
                        v4.sort();
                        let mut v6: Vec<String> = p.ipv6_ranges.clone();
                        v6.sort();
                        m.security_group_rules.push(SecurityGroupRule {
                            meta: meta.clone(),
                            origin: o.clone(),
                            group: Some(meta.address.to_string()),
                            direction: dir,
                            protocol: Value::set(
                                p.ip_protocol
                                    .as_deref()
                                    .unwrap_or("-1")
                                    .to_ascii_lowercase(),
                                o.clone(),
                                format!("{path}.protocol"),
                            ),
                            from_port: port(p.from_port, 0, "from_port"),
                            to_port: port(p.to_port, 65535, "to_port"),
                            ipv4_ranges: Value::set(v4, o.clone(), format!("{path}.cidr_blocks")),
                            ipv6_ranges: Value::set(
                                v6,
                                o.clone(),
                                format!("{path}.ipv6_cidr_blocks"),
                            ),
                        });
                    }
                }
                m.security_groups.push(SecurityGroup {
                    name: Value::set(name.to_string(), meta.origin.clone(), "name"),
                    is_default,
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("EC2 security groups not evaluated: {}", e.reason));
            sh.not_listed(
                scope,
                &["aws.security_groups", "aws.security_group_rules"],
                &e,
            );
        }
    }

    // Volume id → encrypted, for the instances' block devices (or why unknown).
    let volume_encryption: Result<std::collections::HashMap<String, bool>, ApiError> = match &vols {
        Ok(pages) => Ok(pages
            .iter()
            .flat_map(|p| &p.volumes)
            .filter_map(|v| Some((v.volume_id.clone()?, v.encrypted.unwrap_or(false))))
            .collect()),
        Err(e) => Err(e.clone()),
    };
    match vols {
        Ok(pages) => {
            for v in pages.iter().flat_map(|p| &p.volumes) {
                let Some(id) = v.volume_id.as_deref() else {
                    continue;
                };
                let meta = scope.meta(&scope.arn(SVC, &format!("volume/{id}")), "aws_ebs_volume");
                let o = meta.origin.clone();
                m.ebs_volumes.push(EbsVolume {
                    encrypted: Value::set(v.encrypted.unwrap_or(false), o.clone(), "encrypted"),
                    kms_key: Value::set(v.kms_key_id.clone(), o, "kms_key_id"),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("EBS volumes not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.ebs_volumes"], &e);
        }
    }

    let meta = scope.meta(
        &scope.arn(SVC, "ebs-encryption-by-default"),
        "aws_ebs_encryption_by_default",
    );
    let o = meta.origin.clone();
    m.ebs_encryption_by_default.push(EbsEncryptionByDefault {
        enabled: match ebs {
            Ok(x) => Value::set(x.enabled.unwrap_or(false), o, "enabled"),
            Err(e) => e.unknown(o, "enabled"),
        },
        meta,
    });

    let flow_vpcs: Result<BTreeSet<String>, ApiError> = flows.map(|pages| {
        pages
            .iter()
            .flat_map(|p| &p.resource_ids)
            .filter_map(Clone::clone)
            .collect()
    });
    match vpcs {
        Ok(pages) => {
            for (id, is_default) in pages.iter().flat_map(|p| &p.vpcs) {
                let Some(id) = id.as_deref() else { continue };
                let is_default = is_default.unwrap_or(false);
                let rtype = if is_default {
                    "aws_default_vpc"
                } else {
                    "aws_vpc"
                };
                let meta = scope.meta(&scope.arn(SVC, &format!("vpc/{id}")), rtype);
                let o = meta.origin.clone();
                m.vpcs.push(Vpc {
                    flow_logs: match &flow_vpcs {
                        Ok(set) if set.contains(id) => Value::set(true, o, "flow_log"),
                        Ok(_) => Value::defaulted(false, o, "flow_log"),
                        Err(e) => e.unknown(o, "flow_log"),
                    },
                    is_default,
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("VPCs not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.vpcs"], &e);
        }
    }

    match subnets {
        Ok(pages) => {
            for s in pages.iter().flat_map(|p| &p.subnets) {
                let Some(id) = s.subnet_id.as_deref() else {
                    continue;
                };
                let arn = s
                    .subnet_arn
                    .clone()
                    .unwrap_or_else(|| scope.arn(SVC, &format!("subnet/{id}")));
                let meta = scope.meta(&arn, "aws_subnet");
                m.subnets.push(Subnet {
                    map_public_ip_on_launch: Value::set(
                        s.map_public_ip_on_launch.unwrap_or(false),
                        meta.origin.clone(),
                        "map_public_ip_on_launch",
                    ),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("subnets not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.subnets"], &e);
        }
    }

    match instances {
        Ok(pages) => {
            let mut ids = Vec::new();
            for i in pages.iter().flat_map(|p| &p.instances) {
                let Some(id) = i.instance_id.as_deref() else {
                    continue;
                };
                let terminated = i.state.as_deref() == Some("terminated");
                if terminated {
                    continue;
                }
                let meta = scope.meta(&scope.arn(SVC, &format!("instance/{id}")), "aws_instance");
                let o = meta.origin.clone();
                m.instances.push(Instance {
                    metadata_endpoint: match &i.http_endpoint {
                        Some(v) => {
                            Value::set(v.clone(), o.clone(), "metadata_options.http_endpoint")
                        }
                        None => Value::defaulted(
                            "enabled".to_string(),
                            o.clone(),
                            "metadata_options.http_endpoint",
                        ),
                    },
                    metadata_tokens: match &i.http_tokens {
                        Some(v) => Value::set(v.clone(), o.clone(), "metadata_options.http_tokens"),
                        None => Value::defaulted(
                            "optional".to_string(),
                            o.clone(),
                            "metadata_options.http_tokens",
                        ),
                    },
                    block_devices: block_devices(i, &volume_encryption, &o, r),
                    // Read below, one DescribeInstanceAttribute call per instance.
                    user_data_credentials: Value::unknown("not read yet", o, "user_data"),
                    meta,
                });
                ids.push(id.to_string());
            }
            let read = join_all(
                ids.iter()
                    .zip(&m.instances)
                    .map(|(id, inst)| user_data(sh, &c, r, id, inst.meta.origin.clone())),
            )
            .await;
            for (inst, v) in m.instances.iter_mut().zip(read) {
                inst.user_data_credentials = v;
            }
        }
        Err(e) => {
            sh.warn(format!("EC2 instances not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.instances"], &e);
        }
    }
    snapshots_of(sh, &c, scope, snapshots, &mut m).await;
    images_of(sh, &c, scope, images, &mut m).await;
    sh.progress.unit_done(
        m.security_groups.len()
            + m.ebs_volumes.len()
            + m.vpcs.len()
            + m.subnets.len()
            + m.instances.len()
            + m.ebs_snapshots.len()
            + m.ami_launch_permissions.len(),
    );
    m
}

/// Whether a snapshot or image is the account's own. `Owners`/`OwnerIds = self` already
/// asks for exactly those; the check keeps an endpoint that ignores the filter from
/// adding other accounts' public snapshots and images.
fn owned(owner: Option<&str>, scope: &Scope) -> bool {
    owner.is_none_or(|o| o == &*scope.account)
}

/// The account's EBS snapshots (`DescribeSnapshots`, `OwnerIds = self`): whether each is
/// encrypted, with which key, and whether it is public (`DescribeSnapshotAttribute
/// createVolumePermission` includes the group `all`).
async fn snapshots_of(
    sh: &Shared,
    c: &Client,
    scope: &Scope,
    pages: Result<Vec<Snapshots>, ApiError>,
    m: &mut AwsModel,
) {
    const PUBLIC: &str = "create_volume_permission.group";
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            sh.warn(format!("EBS snapshots not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.ebs_snapshots"], &e);
            return;
        }
    };
    let snapshots: Vec<_> = pages
        .iter()
        .flat_map(|p| &p.snapshots)
        .filter(|s| owned(s.owner_id.as_deref(), scope))
        .filter_map(|s| s.snapshot_id.as_deref().map(|id| (id, s)))
        .collect();
    let r = scope.region.as_ref();
    let public = join_all(snapshots.iter().map(|(id, _)| async move {
        sh.call(SVC, r, "DescribeSnapshotAttribute", || {
            c.describe_snapshot_attribute(id)
        })
        .await
        .map(|a| a.public())
    }))
    .await;
    for ((id, s), public) in snapshots.into_iter().zip(public) {
        // Snapshot ARNs carry no account (IAM: `arn:...:ec2:REGION::snapshot/ID`).
        let arn = format!(
            "arn:{}:ec2:{}::snapshot/{id}",
            scope.partition, scope.region
        );
        let meta = scope.meta(&arn, "aws_ebs_snapshot");
        let o = meta.origin.clone();
        let public = match public {
            Ok(p) => Value::set(p, o.clone(), PUBLIC),
            Err(e) => e.unknown(o.clone(), PUBLIC),
        };
        m.ebs_snapshots.push(EbsSnapshot {
            encrypted: Value::set(s.encrypted.unwrap_or(false), o.clone(), "encrypted"),
            kms_key: Value::set(s.kms_key_id.clone(), o, "kms_key_id"),
            public: Some(public),
            meta,
        });
    }
}

/// The account's AMIs (`DescribeImages`, `Owners = self`, deprecated ones included) and
/// whether each is public: the image's `Public` flag, which is true exactly when its
/// launch permissions include the group `all`; for an image listed without the flag,
/// `DescribeImageAttribute launchPermission`.
async fn images_of(
    sh: &Shared,
    c: &Client,
    scope: &Scope,
    pages: Result<Vec<Images>, ApiError>,
    m: &mut AwsModel,
) {
    const PATH: &str = "launch_permission.group";
    let pages = match pages {
        Ok(p) => p,
        Err(e) => {
            sh.warn(format!("AMIs not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.ami_launch_permissions"], &e);
            return;
        }
    };
    let images: Vec<(&str, Option<bool>)> = pages
        .iter()
        .flat_map(|p| &p.images)
        .filter(|i| owned(i.owner_id.as_deref(), scope))
        .filter_map(|i| i.image_id.as_deref().map(|id| (id, i.public)))
        .collect();
    let r = scope.region.as_ref();
    let public = join_all(images.iter().map(|(id, public)| async move {
        if let Some(p) = public {
            return Ok(*p);
        }
        sh.call(SVC, r, "DescribeImageAttribute", || {
            c.describe_image_attribute(id)
        })
        .await
        .map(|a| a.public())
    }))
    .await;
    for ((id, _), public) in images.into_iter().zip(public) {
        // Image ARNs carry no account (IAM: `arn:...:ec2:REGION::image/ID`).
        let arn = format!("arn:{}:ec2:{}::image/{id}", scope.partition, scope.region);
        let meta = scope.meta(&arn, "aws_ami");
        let o = meta.origin.clone();
        let group = match public {
            Ok(true) => Value::set(Some("all".to_string()), o, PATH),
            Ok(false) => Value::set(None, o, PATH),
            Err(e) => e.unknown(o, PATH),
        };
        m.ami_launch_permissions
            .push(AmiLaunchPermission { group, meta });
    }
}

/// The EBS volumes attached to instance `i` (its block device mappings), each encrypted
/// as `DescribeVolumes` reports the volume; `root` for the instance's root device.
/// Unknown when the volumes could not be listed or a volume was not among them.
fn block_devices(
    i: &super::ec2_api::ops::Instance,
    volumes: &Result<std::collections::HashMap<String, bool>, ApiError>,
    o: &crate::model::Origin,
    region: &str,
) -> Vec<BlockDevice> {
    const PATH: &str = "block_device_mappings";
    let root = i.root_device_name.as_deref();
    i.ebs_volumes
        .iter()
        .map(|(name, volume)| {
            let volume = volume.as_str();
            let name = name.as_deref().unwrap_or_default();
            let device = if root.is_some_and(|r| r == name) {
                "root".to_string()
            } else {
                name.to_string()
            };
            let encrypted = match volumes {
                Ok(v) => match v.get(volume) {
                    Some(e) => Value::set(*e, o.clone(), PATH),
                    None => Value::unknown(
                        format!(
                            "volume {volume} was not listed by ec2:DescribeVolumes in {region}"
                        ),
                        o.clone(),
                        PATH,
                    ),
                },
                Err(e) => e.unknown(o.clone(), PATH),
            };
            BlockDevice { device, encrypted }
        })
        .collect()
}

/// The kinds of credential in instance `id`'s user data (`DescribeInstanceAttribute
/// userData`, base64): judged here and never kept. `Defaulted(empty)` without user
/// data; unknown when the call fails or the user data is not text (compressed or
/// binary user data is not read).
async fn user_data(
    sh: &Shared,
    c: &Client,
    r: &str,
    id: &str,
    o: crate::model::Origin,
) -> Value<Vec<String>> {
    const PATH: &str = "user_data";
    let out = sh
        .call(SVC, r, "DescribeInstanceAttribute", || {
            c.describe_instance_attribute(id)
        })
        .await;
    match out {
        Ok(a) => user_data_verdict(a.value.as_deref(), o),
        Err(e) => e.unknown(o, PATH),
    }
}

/// The kinds of credential in base64-encoded user data, as the API returns it for
/// instances, launch templates and launch configurations: `Defaulted(empty)` without
/// user data, unknown when it is not base64-encoded text (compressed or binary user
/// data is not read). The user data itself is dropped here.
pub(super) fn user_data_verdict(
    encoded: Option<&str>,
    o: crate::model::Origin,
) -> Value<Vec<String>> {
    const PATH: &str = "user_data";
    let compact: String = encoded.unwrap_or_default().split_whitespace().collect();
    if compact.is_empty() {
        return Value::defaulted(Vec::new(), o, PATH);
    }
    match aws_smithy_types::base64::decode(&compact)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
    {
        Some(text) => Value::set(soc2scan_core::secrets::credentials_in_text(&text), o, PATH),
        None => Value::unknown(
            "the user data is not base64-encoded text (compressed or binary)",
            o,
            PATH,
        ),
    }
}
