//! S3 account settings: `aws_s3_account_public_access_block`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::s3::{AccountPublicAccessBlock, PublicAccessBlock};
use crate::model::aws::AwsModel;

/// Adds account-level public access blocks to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_s3_account_public_access_block"]) {
        let rd = Reader::new(r);
        aws.s3_account_public_access_blocks
            .push(AccountPublicAccessBlock {
                meta: ctx.meta(r),
                block: PublicAccessBlock {
                    block_public_acls: rd.bool("block_public_acls", false),
                    block_public_policy: rd.bool("block_public_policy", false),
                    ignore_public_acls: rd.bool("ignore_public_acls", false),
                    restrict_public_buckets: rd.bool("restrict_public_buckets", false),
                },
            });
    }
}
