//! Redshift: `aws_redshift_cluster`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::redshift::RedshiftCluster;
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds Redshift clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_redshift_cluster"]) {
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
        });
    }
}
