//! EFS: `aws_efs_file_system`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::efs::EfsFileSystem;
use crate::model::aws::AwsModel;

/// Adds EFS file systems to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_efs_file_system"]) {
        let rd = Reader::new(r);
        aws.efs_file_systems.push(EfsFileSystem {
            meta: ctx.meta(r),
            encrypted: rd.bool("encrypted", false),
            kms_key: rd.opt_ref("kms_key_id"),
        });
    }
}
