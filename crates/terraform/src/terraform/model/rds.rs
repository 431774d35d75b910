//! RDS: `aws_db_instance`, `aws_rds_cluster_instance` and `aws_rds_cluster`.

use super::join::{resolve, Ctx, TargetSpec};
use super::rds_params::group_ref;
use super::read::Reader;
use crate::model::aws::rds::{
    DbCluster, DbInstance, ParameterGroupKind, DEFAULT_BACKUP_RETENTION_DAYS, DEFAULT_ENGINE_MODE,
};
use crate::model::aws::AwsModel;
use crate::model::Value;

const CLUSTER: TargetSpec<'static> = TargetSpec {
    types: &["aws_rds_cluster"],
    name_attr: Some("cluster_identifier"),
    global_names: false,
};

/// Encryption of a database restored from a snapshot follows the snapshot unless written.
fn encrypted_or_snapshot(rd: &Reader<'_>, default: bool) -> Value<bool> {
    if !rd.has("storage_encrypted") && rd.has("snapshot_identifier") {
        return Value::unknown(
            "restored from a snapshot: encryption follows the snapshot",
            rd.owner_origin(),
            "storage_encrypted",
        );
    }
    rd.bool("storage_encrypted", default)
}

/// Adds DB instances and clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_db_instance"]) {
        let rd = Reader::new(r);
        let is_replica = rd.has("replicate_source_db");
        let storage_encrypted = if is_replica && !rd.has("storage_encrypted") {
            Value::unknown(
                "read replica: encryption follows the source database",
                rd.owner_origin(),
                "storage_encrypted",
            )
        } else {
            encrypted_or_snapshot(&rd, false)
        };
        aws.db_instances.push(DbInstance {
            meta: ctx.meta(r),
            engine: rd.string("engine", ""),
            cluster: None,
            is_replica,
            storage_encrypted,
            publicly_accessible: rd.bool("publicly_accessible", false),
            backup_retention_days: rd.int("backup_retention_period", DEFAULT_BACKUP_RETENTION_DAYS),
            multi_az: rd.bool("multi_az", false),
            deletion_protection: rd.bool("deletion_protection", false),
            log_exports: rd.strings("enabled_cloudwatch_logs_exports"),
            engine_version: rd.string("engine_version", ""),
            parameter_group: group_ref(
                ctx,
                r,
                "parameter_group_name",
                ParameterGroupKind::Instance,
            ),
        });
    }
    for r in ctx.managed(&["aws_rds_cluster_instance"]) {
        let rd = Reader::new(r);
        let cluster = match rd.attr("cluster_identifier") {
            Some(a) => {
                let res = resolve(ctx, r, &a.value, CLUSTER);
                let at = rd.origin_at(a.pos);
                Some(match res.definite.first() {
                    Some(c) => Value::set(c.address.clone(), at, "cluster_identifier"),
                    None => rd.string("cluster_identifier", ""),
                })
            }
            None => None,
        };
        fn by_cluster<T>(rd: &Reader<'_>, path: &str) -> Value<T> {
            Value::unknown("set by the DB cluster", rd.owner_origin(), path.to_string())
        }
        aws.db_instances.push(DbInstance {
            meta: ctx.meta(r),
            engine: rd.string("engine", ""),
            cluster,
            is_replica: false,
            storage_encrypted: by_cluster(&rd, "storage_encrypted"),
            publicly_accessible: rd.bool("publicly_accessible", false),
            backup_retention_days: by_cluster(&rd, "backup_retention_period"),
            multi_az: by_cluster(&rd, "multi_az"),
            deletion_protection: by_cluster(&rd, "deletion_protection"),
            log_exports: by_cluster(&rd, "enabled_cloudwatch_logs_exports"),
            engine_version: rd.string("engine_version", ""),
            parameter_group: group_ref(
                ctx,
                r,
                "db_parameter_group_name",
                ParameterGroupKind::Instance,
            ),
        });
    }
    for r in ctx.managed(&["aws_rds_cluster"]) {
        let rd = Reader::new(r);
        let engine_mode = rd.string("engine_mode", DEFAULT_ENGINE_MODE);
        let serverless = engine_mode.known().is_some_and(|m| m == "serverless");
        let is_replica =
            rd.has("replication_source_identifier") || rd.has("global_cluster_identifier");
        let storage_encrypted =
            if engine_mode.unknown_reason().is_some() && !rd.has("storage_encrypted") {
                Value::unknown(
                    "the default depends on `engine_mode`, which is unknown",
                    rd.owner_origin(),
                    "storage_encrypted",
                )
            } else {
                encrypted_or_snapshot(&rd, serverless)
            };
        aws.db_clusters.push(DbCluster {
            meta: ctx.meta(r),
            engine: rd.string("engine", "aurora"),
            engine_mode,
            is_replica,
            storage_encrypted,
            backup_retention_days: rd.int("backup_retention_period", DEFAULT_BACKUP_RETENTION_DAYS),
            deletion_protection: rd.bool("deletion_protection", false),
            log_exports: rd.strings("enabled_cloudwatch_logs_exports"),
            engine_version: rd.string("engine_version", ""),
            parameter_group: group_ref(
                ctx,
                r,
                "db_cluster_parameter_group_name",
                ParameterGroupKind::Cluster,
            ),
            availability_zones: rd.strings("availability_zones"),
            multi_az_db_cluster: rd.has("db_cluster_instance_class"),
        });
    }
}
