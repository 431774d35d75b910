//! SQS: `aws_sqs_queue`, joined with `aws_sqs_queue_policy` (by `queue_url`).

use super::attached::resource_policy;
use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::sqs::SqsQueue;
use crate::model::aws::AwsModel;
use crate::model::Value;

const QUEUE: TargetSpec<'static> = TargetSpec {
    types: &["aws_sqs_queue"],
    name_attr: None,
    global_names: false,
};

/// Adds SQS queues to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let policies = Joins::build(ctx, &["aws_sqs_queue_policy"], "queue_url", QUEUE);
    for r in ctx.managed(QUEUE.types) {
        let rd = Reader::new(r);
        let kms_key = rd.opt_ref("kms_master_key_id");
        let sqs_managed_sse = if rd.has("sqs_managed_sse_enabled") {
            rd.bool("sqs_managed_sse_enabled", true)
        } else {
            // SSE-SQS is on for new queues unless a KMS key is given instead.
            let kms_written = !matches!(kms_key.known(), Some(None));
            Value::defaulted(!kms_written, rd.owner_origin(), "sqs_managed_sse_enabled")
        };
        aws.sqs_queues.push(SqsQueue {
            meta: ctx.meta(r),
            kms_key,
            sqs_managed_sse,
            policy: resource_policy(ctx, &policies, r, "policy", "policy"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resolved;
    use crate::terraform::model::testutil::*;

    #[test]
    fn sse_sqs_is_the_default_unless_a_key_is_given_and_policies_join() {
        let e = ev(vec![
            managed("aws_sqs_queue", "plain", "", 1, |b| b),
            managed("aws_sqs_queue", "kms", "", 10, |b| {
                b.a("kms_master_key_id", s("alias/aws/sqs"), 11)
            }),
            managed("aws_sqs_queue_policy", "kms", "", 20, |b| {
                b.a("queue_url", r("aws_sqs_queue.kms"), 21).a(
                    "policy",
                    s(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}"#),
                    22,
                )
            }),
        ]);
        let mut aws = AwsModel::default();
        adapt(&Ctx::new(&e), &mut aws);
        assert_eq!(
            aws.sqs_queues[0].sqs_managed_sse.value,
            Resolved::Defaulted(true)
        );
        assert_eq!(
            aws.sqs_queues[1].sqs_managed_sse.value,
            Resolved::Defaulted(false)
        );
        assert!(aws.sqs_queues[0]
            .policy
            .known()
            .is_some_and(|p| p.statements.is_empty()));
        let p = aws.sqs_queues[1].policy.known().expect("policy");
        assert_eq!(p.statements.len(), 1);
        assert_eq!(aws.sqs_queues[1].policy.origin.line(), Some(22));
    }
}
