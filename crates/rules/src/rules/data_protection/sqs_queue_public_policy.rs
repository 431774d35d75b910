//! AWS-SQS-020: SQS queue policies do not allow everyone.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every SQS queue's access policy (`policy` of `aws_sqs_queue` or an
    /// `aws_sqs_queue_policy`) for an `Allow` statement with `Principal = "*"` and no
    /// condition restricting the caller (`aws:SourceArn`, `aws:SourceAccount`,
    /// `aws:PrincipalOrgID`, `aws:SourceVpce`, ...).
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: anyone could read (and delete) the queue's messages or inject
    /// messages that the consumers will process.
    ///
    /// ## Default assumed
    /// Without a policy only the owner account has access.
    ///
    /// ## Not evaluated
    /// When the policy is unknown, or includes an unknown document and shows no public
    /// statement otherwise.
    ///
    /// ## How to fix
    /// Restrict the statement to the publishing resource:
    /// ```hcl
    /// condition {
    ///   test     = "ArnEquals"
    ///   variable = "aws:SourceArn"
    ///   values   = [aws_sns_topic.events.arn]
    /// }
    /// ```
    pub struct SqsQueuePublicPolicy {
        id: "AWS-SQS-020",
        slug: "sqs-queue-public-policy",
        title: "SQS queue policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for SqsQueuePublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for q in &model.aws.sqs_queues {
            public_policy::check(out, &q.meta, &q.policy, "queue policy");
        }
    }
}
