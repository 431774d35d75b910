//! AWS-SNS-020: SNS topic policies do not allow everyone.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every SNS topic's access policy (`policy` of `aws_sns_topic` or an
    /// `aws_sns_topic_policy`) for an `Allow` statement with `Principal = "*"` and no
    /// condition restricting the caller (`aws:SourceArn`, `aws:SourceAccount`,
    /// `aws:PrincipalOrgID`, `aws:SourceVpce`, ...).
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: anyone could subscribe to the topic and receive its messages, or publish
    /// messages that its subscribers will process.
    ///
    /// ## Default assumed
    /// Without a policy only the owner account has access.
    ///
    /// ## Not evaluated
    /// When the policy is unknown, or includes an unknown document and shows no public
    /// statement otherwise.
    ///
    /// ## How to fix
    /// Restrict the statement to the publishing resource (or account):
    /// ```hcl
    /// condition {
    ///   test     = "ArnEquals"
    ///   variable = "aws:SourceArn"
    ///   values   = [aws_s3_bucket.uploads.arn]
    /// }
    /// ```
    pub struct SnsTopicPublicPolicy {
        id: "AWS-SNS-020",
        slug: "sns-topic-public-policy",
        title: "SNS topic policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for SnsTopicPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.sns_topics {
            public_policy::check(out, &t.meta, &t.policy, "topic policy");
        }
    }
}
