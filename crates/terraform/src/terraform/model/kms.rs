//! KMS: `aws_kms_key`, with its key policy (`policy`).

use super::attached::resource_policy;
use super::join::{Ctx, Joins};
use super::read::Reader;
use crate::model::aws::kms::KmsKey;
use crate::model::aws::AwsModel;

/// Adds KMS keys to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_kms_key"]) {
        let rd = Reader::new(r);
        aws.kms_keys.push(KmsKey {
            meta: ctx.meta(r),
            key_spec: rd.string("customer_master_key_spec", "SYMMETRIC_DEFAULT"),
            key_usage: rd.string("key_usage", "ENCRYPT_DECRYPT"),
            rotation_enabled: rd.bool("enable_key_rotation", false),
            deletion_window_days: rd.int("deletion_window_in_days", 30),
            policy: resource_policy(ctx, &Joins::default(), r, "policy", "policy"),
        });
    }
}
