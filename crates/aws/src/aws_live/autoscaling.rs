//! Auto Scaling and launch definitions in one region: Auto Scaling groups (their
//! availability zones), launch configurations and EC2 launch templates (instance
//! metadata options, EBS block devices, user data judged for credentials and never
//! kept).

use aws_config::SdkConfig;
use aws_sdk_autoscaling::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use super::ec2::user_data_verdict;
use crate::model::aws::autoscaling::AutoScalingGroup;
use crate::model::aws::ec2::{BlockDevice, LaunchTemplate};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "autoscaling";
const ENDPOINT: &str = "metadata_options.http_endpoint";
const TOKENS: &str = "metadata_options.http_tokens";

/// Reads `scope.region`: `DescribeAutoScalingGroups` and `DescribeLaunchConfigurations`
/// to the end; EC2 `DescribeLaunchTemplates` to the end and `DescribeLaunchTemplateVersions`
/// of each template's default version; EC2 `GetEbsEncryptionByDefault` (a device that
/// does not say whether it is encrypted is encrypted when it is on).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let ec2 = super::ec2_api::Client::new(cfg);
    let r = scope.region.as_ref();
    let (groups, configs, templates, default_on) = tokio::join!(
        sh.pages(SVC, r, "DescribeAutoScalingGroups", || c
            .describe_auto_scaling_groups()
            .into_paginator()
            .send()),
        sh.pages(SVC, r, "DescribeLaunchConfigurations", || c
            .describe_launch_configurations()
            .into_paginator()
            .send()),
        sh.pages("ec2", r, "DescribeLaunchTemplates", || ec2
            .describe_launch_templates()),
        sh.call("ec2", r, "GetEbsEncryptionByDefault", || ec2
            .get_ebs_encryption_by_default()),
    );
    let default_on = default_on.map(|o| o.enabled.unwrap_or(false));
    let mut m = AwsModel::default();
    match groups {
        Ok(pages) => {
            for g in pages.iter().flat_map(|p| p.auto_scaling_groups()) {
                let name = g.auto_scaling_group_name().unwrap_or_default();
                let arn = g
                    .auto_scaling_group_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        scope.arn(
                            SVC,
                            &format!("autoScalingGroup:*:autoScalingGroupName/{name}"),
                        )
                    });
                let meta = scope.meta(&arn, "aws_autoscaling_group");
                let o = meta.origin.clone();
                let mut zones: Vec<String> = g.availability_zones().to_vec();
                zones.sort();
                m.autoscaling_groups.push(AutoScalingGroup {
                    // AWS reports the zones of a group's subnets as its zones: they are
                    // judged instead of the subnets.
                    availability_zones: Value::set(zones, o.clone(), "availability_zones"),
                    subnets: Value::defaulted(Vec::new(), o, "vpc_zone_identifier"),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("Auto Scaling groups not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.autoscaling_groups"], &e);
        }
    }
    let mut launch_ok = true;
    match configs {
        Ok(pages) => {
            for lc in pages.iter().flat_map(|p| p.launch_configurations()) {
                let name = lc.launch_configuration_name().unwrap_or_default();
                let arn = lc
                    .launch_configuration_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        scope.arn(
                            SVC,
                            &format!("launchConfiguration:*:launchConfigurationName/{name}"),
                        )
                    });
                let meta = scope.meta(&arn, "aws_launch_configuration");
                let o = meta.origin.clone();
                let mo = lc.metadata_options();
                let mut devices: Vec<BlockDevice> = lc
                    .block_device_mappings()
                    .iter()
                    .filter_map(|d| {
                        let ebs = d.ebs()?;
                        Some(BlockDevice {
                            device: d.device_name().unwrap_or_default().to_string(),
                            encrypted: device_encrypted(
                                ebs.encrypted(),
                                ebs.snapshot_id(),
                                &default_on,
                                &o,
                                "ebs_block_device.encrypted",
                            ),
                        })
                    })
                    .collect();
                // The root device comes from the AMI unless a mapping replaces it; which
                // mapping is the root is only known from the AMI, which is not read.
                devices.push(BlockDevice {
                    device: "root".into(),
                    encrypted: match &default_on {
                        Ok(true) => Value::defaulted(true, o.clone(), "root_block_device.encrypted"),
                        Ok(false) => Value::unknown(
                            format!(
                                "the root volume follows the snapshot of AMI {}, which the live scan does not read",
                                lc.image_id().unwrap_or("(unknown)")
                            ),
                            o.clone(),
                            "root_block_device.encrypted",
                        ),
                        Err(e) => e.unknown(o.clone(), "root_block_device.encrypted"),
                    },
                });
                m.launch_templates.push(LaunchTemplate {
                    metadata_endpoint: text(
                        mo.and_then(|x| x.http_endpoint()).map(|v| v.as_str()),
                        "enabled",
                        &o,
                        ENDPOINT,
                    ),
                    metadata_tokens: text(
                        mo.and_then(|x| x.http_tokens()).map(|v| v.as_str()),
                        "optional",
                        &o,
                        TOKENS,
                    ),
                    block_devices: devices,
                    user_data_credentials: user_data_verdict(lc.user_data(), o),
                    meta,
                });
            }
        }
        Err(e) => {
            launch_ok = false;
            sh.warn(format!("launch configurations not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.launch_templates"], &e);
        }
    }
    match templates {
        Ok(pages) => {
            let list: Vec<(String, String)> = pages
                .iter()
                .flat_map(|p| &p.launch_templates)
                .filter_map(|(id, name)| Some((id.clone()?, name.clone().unwrap_or_default())))
                .collect();
            let read = join_all(list.iter().map(|(id, _)| {
                let ec2 = &ec2;
                async move {
                    sh.call("ec2", r, "DescribeLaunchTemplateVersions", || {
                        ec2.describe_launch_template_versions(id)
                    })
                    .await
                }
            }))
            .await;
            for ((id, _name), version) in list.iter().zip(read) {
                let arn = scope.arn("ec2", &format!("launch-template/{id}"));
                let meta = scope.meta(&arn, "aws_launch_template");
                let o = meta.origin.clone();
                let data = version.map(|v| v.versions.into_iter().next().flatten());
                m.launch_templates.push(match data {
                    Ok(Some(d)) => {
                        LaunchTemplate {
                            metadata_endpoint: text(d.http_endpoint.as_deref(), "enabled", &o, ENDPOINT),
                            metadata_tokens: text(d.http_tokens.as_deref(), "optional", &o, TOKENS),
                            block_devices: d
                                .ebs_devices
                                .iter()
                                .map(|b| BlockDevice {
                                    device: b.device_name.clone().unwrap_or_default(),
                                    encrypted: device_encrypted(
                                        b.encrypted,
                                        b.snapshot_id.as_deref(),
                                        &default_on,
                                        &o,
                                        "block_device_mappings.ebs.encrypted",
                                    ),
                                })
                                .collect(),
                            user_data_credentials: user_data_verdict(d.user_data.as_deref(), o),
                            meta,
                        }
                    }
                    Ok(None) => unknown_template(
                        meta,
                        &format!("ec2:DescribeLaunchTemplateVersions in {r} returned no default version of {id}"),
                    ),
                    Err(e) => unknown_template(meta, &e.reason),
                });
            }
        }
        Err(e) => {
            if launch_ok {
                sh.warn(format!("launch templates not evaluated: {}", e.reason));
            }
            sh.not_listed(scope, &["aws.launch_templates"], &e);
        }
    }
    sh.progress
        .unit_done(m.autoscaling_groups.len() + m.launch_templates.len());
    m
}

/// A metadata option as reported, or the EC2 default.
fn text(v: Option<&str>, default: &str, o: &Origin, path: &str) -> Value<String> {
    match v {
        Some(x) => Value::set(x.to_string(), o.clone(), path),
        None => Value::defaulted(default.to_string(), o.clone(), path),
    }
}

/// The encryption of a launch device, see [`BlockDevice::encrypted`]: as written, or
/// encrypted by default when EBS encryption by default is on (also when written
/// `false`: AWS encrypts the volume anyway); a device from a snapshot that does not say
/// follows the snapshot; unknown when encryption by default could not be read.
fn device_encrypted(
    encrypted: Option<bool>,
    snapshot: Option<&str>,
    default_on: &Result<bool, ApiError>,
    o: &Origin,
    path: &str,
) -> Value<bool> {
    match (encrypted, default_on) {
        (Some(true), _) => Value::set(true, o.clone(), path),
        (_, Ok(true)) => Value::defaulted(true, o.clone(), path),
        (_, Err(e)) => e.unknown(o.clone(), path),
        (Some(false), Ok(false)) => Value::set(false, o.clone(), path),
        (None, Ok(false)) if snapshot.is_some() => Value::unknown(
            "created from a snapshot: encryption follows the snapshot",
            o.clone(),
            path,
        ),
        (None, Ok(false)) => Value::defaulted(false, o.clone(), path),
    }
}

/// A launch template whose default version could not be read.
fn unknown_template(meta: crate::model::ResourceMeta, reason: &str) -> LaunchTemplate {
    let o = meta.origin.clone();
    LaunchTemplate {
        metadata_endpoint: Value::unknown(reason.to_string(), o.clone(), ENDPOINT),
        metadata_tokens: Value::unknown(reason.to_string(), o.clone(), TOKENS),
        block_devices: vec![BlockDevice {
            device: String::new(),
            encrypted: Value::unknown(reason.to_string(), o.clone(), "block_device_mappings"),
        }],
        user_data_credentials: Value::unknown(reason.to_string(), o, "user_data"),
        meta,
    }
}
