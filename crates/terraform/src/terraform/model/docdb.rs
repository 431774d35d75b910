//! DocumentDB: `aws_docdb_cluster`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::docdb::DocDbCluster;
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds DocumentDB clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_docdb_cluster"]) {
        let rd = Reader::new(r);
        let storage_encrypted = if !rd.has("storage_encrypted") && rd.has("snapshot_identifier") {
            Value::unknown(
                "restored from a snapshot: encryption follows the snapshot",
                rd.owner_origin(),
                "storage_encrypted",
            )
        } else {
            rd.bool("storage_encrypted", false)
        };
        aws.docdb_clusters.push(DocDbCluster {
            meta: ctx.meta(r),
            storage_encrypted,
            log_exports: rd.strings("enabled_cloudwatch_logs_exports"),
        });
    }
}
