//! Kinesis: `aws_kinesis_stream`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::kinesis::KinesisStream;
use crate::model::aws::AwsModel;

/// Adds Kinesis data streams to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_kinesis_stream"]) {
        let rd = Reader::new(r);
        aws.kinesis_streams.push(KinesisStream {
            meta: ctx.meta(r),
            encryption_type: rd
                .string("encryption_type", "NONE")
                .map(|t| t.to_ascii_uppercase()),
            kms_key: rd.opt_ref("kms_key_id"),
            retention_hours: rd.int("retention_period", 24),
        });
    }
}
