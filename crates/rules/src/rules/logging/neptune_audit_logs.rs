//! AWS-NEP-002: Neptune clusters publish audit logs to CloudWatch Logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_neptune_cluster` lists `audit` in `enable_cloudwatch_logs_exports`, so that
    /// its audit log is published to CloudWatch Logs. Neptune writes audit events only when the cluster parameter group also sets `neptune_enable_audit_log` to `1`; that parameter is not checked here.
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
    /// When `enable_cloudwatch_logs_exports` or one of its entries comes from a variable without a value;
    /// on a live scan, when `rds:DescribeDBClusters` is denied or fails in the region.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_neptune_cluster" "main" {
    ///   # ...
    ///   enable_cloudwatch_logs_exports = ["audit"]
    /// }
    /// ```
    pub struct NeptuneAuditLogs {
        id: "AWS-NEP-002",
        slug: "neptune-audit-logs",
        title: "Neptune clusters publish audit logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for NeptuneAuditLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.neptune_clusters {
            out.require(
                &c.meta,
                &c.log_exports,
                |l| l.iter().any(|t| t.eq_ignore_ascii_case("audit")),
                |_| "the audit log is not published to CloudWatch Logs: connections and operations on the cluster are not recorded".to_string(),
            );
        }
    }
}
