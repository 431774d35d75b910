//! CloudTrail: `aws_cloudtrail`.

use super::join::Ctx;
use super::read::{meta, Reader};
use crate::model::aws::cloudtrail::Trail;
use crate::model::aws::AwsModel;

/// Adds trails to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_cloudtrail"]) {
        let rd = Reader::new(r);
        aws.cloudtrails.push(Trail {
            meta: meta(r),
            multi_region: rd.bool("is_multi_region_trail", false),
            log_file_validation: rd.bool("enable_log_file_validation", false),
            logging_enabled: rd.bool("enable_logging", true),
            kms_key: rd.opt_ref("kms_key_id"),
        });
    }
}
