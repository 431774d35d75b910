//! AWS-OS-005: OpenSearch and Elasticsearch domains publish AUDIT_LOGS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_opensearch_domain` and `aws_elasticsearch_domain` has an
    /// enabled `log_publishing_options` block with `log_type = "AUDIT_LOGS"`. Audit logs
    /// need fine-grained access control (`advanced_security_options { enabled = true }`)
    /// and a CloudWatch Logs resource policy that lets the service write.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects access to systems holding customer data to be logged. The audit
    /// log records authentication failures, who read or changed which index and
    /// changes to security settings; without it, access to the indexed documents cannot
    /// be traced.
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
    ///     log_type                 = "AUDIT_LOGS"
    ///     cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn
    ///   }
    /// }
    /// ```
    pub struct OpensearchAuditLogs {
        id: "AWS-OS-005",
        slug: "opensearch-audit-logs",
        title: "OpenSearch domains publish audit logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for OpensearchAuditLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            out.require(
                &d.meta,
                &d.log_types,
                |t| t.iter().any(|k| k == "AUDIT_LOGS"),
                |_| "audit logs are not published: who accessed which index is not recorded".to_string(),
            );
        }
    }
}
