//! EKS: `aws_eks_cluster` control-plane logging, endpoint access and secrets encryption.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::eks::EksCluster;
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds EKS clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_eks_cluster"]) {
        let rd = Reader::new(r);
        let (endpoint_public_access, public_access_cidrs) = match rd.first("vpc_config") {
            Some(v) => (
                v.bool("endpoint_public_access", true),
                v.read("public_access_cidrs", vec!["0.0.0.0/0".to_string()], |d| {
                    super::read::to_strings(d, "public_access_cidrs")
                }),
            ),
            None => match rd.block.unknown_blocks_of("vpc_config") {
                Some(u) => {
                    let at = rd.origin_at(u.pos);
                    (
                        Value::unknown(
                            u.reason.clone(),
                            at.clone(),
                            "vpc_config.endpoint_public_access",
                        ),
                        Value::unknown(u.reason.clone(), at, "vpc_config.public_access_cidrs"),
                    )
                }
                None => (
                    Value::defaulted(true, rd.owner_origin(), "vpc_config.endpoint_public_access"),
                    Value::defaulted(
                        vec!["0.0.0.0/0".to_string()],
                        rd.owner_origin(),
                        "vpc_config.public_access_cidrs",
                    ),
                ),
            },
        };
        let secrets_kms_key = secrets_key(&rd);
        aws.eks_clusters.push(EksCluster {
            meta: ctx.meta(r),
            log_types: rd.strings("enabled_cluster_log_types"),
            endpoint_public_access,
            public_access_cidrs,
            secrets_kms_key,
        });
    }
}

/// The KMS key of `encryption_config { resources = ["secrets"] provider { key_arn } }`.
fn secrets_key(rd: &Reader<'_>) -> Value<Option<String>> {
    const PATH: &str = "encryption_config.provider.key_arn";
    let Some(ec) = rd.first("encryption_config") else {
        return match rd.block.unknown_blocks_of("encryption_config") {
            Some(u) => Value::unknown(u.reason.clone(), rd.origin_at(u.pos), PATH),
            None => Value::defaulted(None, rd.owner_origin(), "encryption_config"),
        };
    };
    let resources = ec.strings("resources");
    match resources.known() {
        None => Value::unknown(
            resources.unknown_reason().unwrap_or_default(),
            resources.origin.clone(),
            PATH,
        ),
        Some(list) if !list.iter().any(|r| r == "secrets") => Value::defaulted(
            None,
            resources.origin.clone(),
            "encryption_config.resources",
        ),
        Some(_) => match ec.first("provider") {
            Some(p) if !p.has("key_arn") => Value::defaulted(None, p.block_origin(), PATH),
            Some(p) => p.opt_ref("key_arn"),
            None => Value::defaulted(None, ec.block_origin(), "encryption_config.provider"),
        },
    }
}
