//! Redshift: `aws_redshift_cluster` with its audit logging (inline `logging` or
//! `aws_redshift_logging`), and `aws_redshift_parameter_group`.

use super::join::{Ctx, Joins, TargetSpec};
use super::rds_params::{group_ref_of, parameters};
use super::read::{block_origin, Reader};
use crate::model::aws::redshift::{RedshiftCluster, RedshiftParameterGroup};
use crate::model::aws::AwsModel;
use crate::model::Value;
use crate::terraform::ir::Resource;

const PARAMETER_GROUP: TargetSpec<'static> = TargetSpec {
    types: &["aws_redshift_parameter_group"],
    name_attr: Some("name"),
    global_names: false,
};

const CLUSTER: TargetSpec<'static> = TargetSpec {
    types: &["aws_redshift_cluster"],
    name_attr: Some("cluster_identifier"),
    global_names: false,
};

/// Whether audit logging is on for cluster `r`: an `aws_redshift_logging` that certainly
/// applies (it enables logging by existing), else the inline `logging.enable`, else
/// unknown when an `aws_redshift_logging` might apply, else `Defaulted(false)`.
fn audit_logging(joins: &Joins<'_>, r: &Resource) -> Value<bool> {
    const PATH: &str = "logging.enable";
    if let Some(l) = joins.definite(r).first() {
        return Value::set(true, block_origin(l), PATH);
    }
    let rd = Reader::new(r);
    if let Some(b) = rd.block.unknown_blocks_of("logging") {
        return Value::unknown(b.reason.clone(), rd.owner_origin(), PATH);
    }
    let inline = rd.first("logging").map(|l| l.bool("enable", false));
    match inline {
        Some(v) if v.known() != Some(&false) => v,
        other => match joins.possible(r) {
            Some(reason) => Value::unknown(reason.clone(), rd.owner_origin(), PATH),
            None => other.unwrap_or_else(|| Value::defaulted(false, rd.owner_origin(), PATH)),
        },
    }
}

/// Adds Redshift clusters and parameter groups to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let loggings = Joins::build(
        ctx,
        &["aws_redshift_logging"],
        "cluster_identifier",
        CLUSTER,
    );
    for r in ctx.managed(CLUSTER.types) {
        let rd = Reader::new(r);
        let encrypted = if !rd.has("encrypted") && rd.has("snapshot_identifier") {
            Value::unknown(
                "restored from a snapshot: encryption follows the snapshot",
                rd.owner_origin(),
                "encrypted",
            )
        } else {
            rd.bool("encrypted", false)
        };
        aws.redshift_clusters.push(RedshiftCluster {
            meta: ctx.meta(r),
            encrypted,
            kms_key: rd.opt_ref("kms_key_id"),
            snapshot_retention_days: rd.int("automated_snapshot_retention_period", 1),
            publicly_accessible: rd.bool("publicly_accessible", false),
            parameter_group: group_ref_of(ctx, r, "cluster_parameter_group_name", PARAMETER_GROUP),
            audit_logging: audit_logging(&loggings, r),
        });
    }
    for r in ctx.managed(PARAMETER_GROUP.types) {
        let (parameters, parameters_unknown) = parameters(r);
        aws.redshift_parameter_groups.push(RedshiftParameterGroup {
            meta: ctx.meta(r),
            parameters,
            parameters_unknown,
        });
    }
}
