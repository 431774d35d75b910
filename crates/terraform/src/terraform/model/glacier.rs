//! S3 Glacier: `aws_glacier_vault`, with its access policy (`access_policy`).

use super::attached::resource_policy;
use super::join::{Ctx, Joins};
use crate::model::aws::glacier::GlacierVault;
use crate::model::aws::AwsModel;

/// Adds Glacier vaults to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_glacier_vault"]) {
        aws.glacier_vaults.push(GlacierVault {
            meta: ctx.meta(r),
            policy: resource_policy(ctx, &Joins::default(), r, "access_policy", "access_policy"),
        });
    }
}
