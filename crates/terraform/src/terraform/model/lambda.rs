//! Lambda: `aws_lambda_permission`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::lambda::LambdaPermission;
use crate::model::aws::AwsModel;

/// Adds Lambda permissions to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_lambda_permission"]) {
        let rd = Reader::new(r);
        aws.lambda_permissions.push(LambdaPermission {
            meta: ctx.meta(r),
            principal: rd.string("principal", ""),
            source_arn: rd.opt_ref("source_arn"),
            source_account: rd.opt_ref("source_account"),
            principal_org_id: rd.opt_ref("principal_org_id"),
            function_url_auth_type: rd.opt_ref("function_url_auth_type"),
        });
    }
}
