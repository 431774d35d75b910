//! SES: `aws_ses_identity_policy`, the sending authorization policies of identities.

use super::attached::resource_policy;
use super::join::{Ctx, Joins};
use super::read::Reader;
use crate::model::aws::ses::SesIdentityPolicy;
use crate::model::aws::AwsModel;

/// Adds SES identity policies to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_ses_identity_policy"]) {
        let rd = Reader::new(r);
        aws.ses_identity_policies.push(SesIdentityPolicy {
            meta: ctx.meta(r),
            identity: rd.string("identity", ""),
            policy: resource_policy(ctx, &Joins::default(), r, "policy", "policy"),
        });
    }
}
