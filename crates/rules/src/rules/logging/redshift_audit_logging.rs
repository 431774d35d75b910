//! AWS-RS-004: Redshift clusters have audit logging on.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_redshift_cluster` has audit logging on: an
    /// `aws_redshift_logging` resource for the cluster (its `cluster_identifier`), or,
    /// with older providers, an inline `logging { enable = true }` block. Audit logging
    /// writes the connection log and the user log to S3 or CloudWatch Logs.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects activity on systems holding customer data to be logged and
    /// monitored. Without audit logging there is no record of who connected to the
    /// warehouse, from where, or of changes to database users and their privileges.
    ///
    /// ## Default assumed
    /// Off: Redshift logs nothing unless logging is enabled.
    ///
    /// ## Not evaluated
    /// When `enable` is unknown, the `logging` block is a `dynamic` block that cannot be
    /// expanded, or an `aws_redshift_logging` might be this cluster's but its
    /// `cluster_identifier` cannot be resolved; on a live scan, when
    /// `DescribeLoggingStatus` is denied or fails.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_redshift_logging" "dw" {
    ///   cluster_identifier   = aws_redshift_cluster.dw.id
    ///   log_destination_type = "cloudwatch"
    ///   log_exports          = ["connectionlog", "userlog", "useractivitylog"]
    /// }
    /// ```
    pub struct RedshiftAuditLogging {
        id: "AWS-RS-004",
        slug: "redshift-audit-logging",
        title: "Redshift clusters have audit logging enabled",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for RedshiftAuditLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.redshift_clusters {
            out.require(
                &c.meta,
                &c.audit_logging,
                |on| *on,
                |_| "audit logging is off: connections and user changes are not logged".to_string(),
            );
        }
    }
}
