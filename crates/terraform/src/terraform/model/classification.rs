//! Data stores with their tags, for data-classification checks.

use super::join::Ctx;
use super::read::Reader;
use super::tags::read_tags;
use crate::model::aws::classification::DataStore;
use crate::model::aws::AwsModel;

/// Resource types that store customer data. Aurora members (`aws_rds_cluster_instance`)
/// and replication-group members are covered by their cluster or group.
pub(crate) const DATA_STORE_TYPES: [&str; 14] = [
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_efs_file_system",
    "aws_elasticache_replication_group",
    "aws_redshift_cluster",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_ebs_volume",
    "aws_kinesis_stream",
    "aws_backup_vault",
];

/// Adds the data stores of the configuration to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&DATA_STORE_TYPES) {
        let rd = Reader::new(r);
        aws.data_stores.push(DataStore {
            meta: ctx.meta(r),
            tags: read_tags(&rd),
        });
    }
}
