//! Secrets Manager: `aws_secretsmanager_secret`, joined with
//! `aws_secretsmanager_secret_rotation` (by `secret_id`) and
//! `aws_secretsmanager_secret_policy` (by `secret_arn`). Secret values are never read.

use super::attached::{attached, resource_policy};
use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::secretsmanager::SmSecret;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SECRET: TargetSpec<'static> = TargetSpec {
    types: &["aws_secretsmanager_secret"],
    name_attr: Some("name"),
    global_names: false,
};

/// Adds secrets to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let rotations = Joins::build(
        ctx,
        &["aws_secretsmanager_secret_rotation"],
        "secret_id",
        SECRET,
    );
    let policies = Joins::build(
        ctx,
        &["aws_secretsmanager_secret_policy"],
        "secret_arn",
        SECRET,
    );
    for r in ctx.managed(SECRET.types) {
        let rd = Reader::new(r);
        // Provider v4 and earlier configured rotation inline.
        let rotation = if rd.has("rotation_lambda_arn") {
            let a = rd.opt_ref("rotation_lambda_arn");
            a.map(|v| v.is_some())
        } else {
            let v = attached(&rotations, r, "rotation");
            Value {
                path: "rotation".into(),
                ..v
            }
        };
        aws.secrets.push(SmSecret {
            meta: ctx.meta(r),
            kms_key: rd.opt_ref("kms_key_id"),
            rotation,
            policy: resource_policy(ctx, &policies, r, "policy", "policy"),
        });
    }
}
