//! SNS: `aws_sns_topic`, joined with `aws_sns_topic_policy` (by `arn`).

use super::attached::resource_policy;
use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::sns::SnsTopic;
use crate::model::aws::AwsModel;

const TOPIC: TargetSpec<'static> = TargetSpec {
    types: &["aws_sns_topic"],
    name_attr: None,
    global_names: false,
};

/// Adds SNS topics to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let policies = Joins::build(ctx, &["aws_sns_topic_policy"], "arn", TOPIC);
    for r in ctx.managed(TOPIC.types) {
        let rd = Reader::new(r);
        aws.sns_topics.push(SnsTopic {
            meta: ctx.meta(r),
            kms_key: rd.opt_ref("kms_master_key_id"),
            policy: resource_policy(ctx, &policies, r, "policy", "policy"),
        });
    }
}
