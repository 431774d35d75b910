//! AWS-OS-006: OpenSearch and Elasticsearch domains publish ES_APPLICATION_LOGS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_opensearch_domain` and `aws_elasticsearch_domain` has an
    /// enabled `log_publishing_options` block with `log_type = "ES_APPLICATION_LOGS"`
    /// (the error log of the cluster).
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects anomalies in system operation to be detected. The error log shows
    /// failing queries, script errors and node problems that would otherwise be visible
    /// only to AWS; it supports detection and investigation, while the trail of access
    /// itself is the audit log's (AWS-OS-005).
    ///
    /// ## Default assumed
    /// No log is published; a `log_publishing_options` block is enabled unless it says
    /// `enabled = false`.
    ///
    /// ## Not evaluated
    /// When `log_publishing_options` is a `dynamic` block that cannot be expanded, or its
    /// `log_type` or `enabled` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   # ...
    ///   log_publishing_options {
    ///     log_type                 = "ES_APPLICATION_LOGS"
    ///     cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn
    ///   }
    /// }
    /// ```
    pub struct OpensearchApplicationLogs {
        id: "AWS-OS-006",
        slug: "opensearch-application-logs",
        title: "OpenSearch domains publish error logs",
        severity: Low,
        family: Logging,
    }
}

impl Rule for OpensearchApplicationLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            out.require(
                &d.meta,
                &d.log_types,
                |t| t.iter().any(|k| k == "ES_APPLICATION_LOGS"),
                |_| "error (application) logs are not published to CloudWatch Logs".to_string(),
            );
        }
    }
}
