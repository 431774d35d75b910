//! AWS-DOC-002: DocumentDB clusters publish audit logs to CloudWatch Logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_docdb_cluster` lists `audit` in `enabled_cloudwatch_logs_exports`, so that
    /// its audit log is published to CloudWatch Logs. DocumentDB writes audit events only when the cluster parameter group also sets `audit_logs` to `enabled`; that parameter is not checked here.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects activity on systems holding customer data to be logged and
    /// monitored. Without the audit log there is no record of who authenticated to the
    /// cluster and what they did; logs kept only on the cluster are not retained or
    /// protected from its administrators.
    ///
    /// ## Default assumed
    /// No log is exported.
    ///
    /// ## Not evaluated
    /// When `enabled_cloudwatch_logs_exports` or one of its entries comes from a variable without a value;
    /// on a live scan, when `rds:DescribeDBClusters` is denied or fails in the region.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_docdb_cluster" "main" {
    ///   # ...
    ///   enabled_cloudwatch_logs_exports = ["audit"]
    /// }
    /// ```
    pub struct DocdbAuditLogs {
        id: "AWS-DOC-002",
        slug: "docdb-audit-logs",
        title: "DocumentDB clusters publish audit logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for DocdbAuditLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.docdb_clusters {
            out.require(
                &c.meta,
                &c.log_exports,
                |l| l.iter().any(|t| t.eq_ignore_ascii_case("audit")),
                |_| "the audit log is not published to CloudWatch Logs: connections and operations on the cluster are not recorded".to_string(),
            );
        }
    }
}
