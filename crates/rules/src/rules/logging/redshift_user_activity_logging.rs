//! AWS-RS-005: Redshift clusters log user activity (every query).

use crate::model::aws::redshift::redshift_parameter;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_redshift_cluster` uses a parameter group
    /// (`cluster_parameter_group_name`, linked to its `aws_redshift_parameter_group`)
    /// that sets `enable_user_activity_logging = true`. A cluster without a group, or
    /// with a `default.*` group, fails: the default group leaves it off. The user
    /// activity log is only written when audit logging is on (AWS-RS-004).
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of activity on systems holding customer data. The
    /// connection and user logs say who connected; only the user activity log records
    /// each query, which is what an investigation of a data access needs.
    ///
    /// ## Default assumed
    /// `enable_user_activity_logging` is `false` in the default parameter group and in a
    /// group that does not set it.
    ///
    /// ## Not evaluated
    /// When the group name is unknown, names a group that is not in the scanned
    /// configuration, or the group's parameters cannot be read (a `dynamic "parameter"`
    /// block that cannot be expanded, an unknown value; on a live scan, a denied or
    /// failed `DescribeClusterParameters`).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_redshift_parameter_group" "audited" {
    ///   name   = "audited"
    ///   family = "redshift-1.0"
    ///   parameter {
    ///     name  = "enable_user_activity_logging"
    ///     value = "true"
    ///   }
    /// }
    /// ```
    pub struct RedshiftUserActivityLogging {
        id: "AWS-RS-005",
        slug: "redshift-user-activity-logging",
        title: "Redshift clusters log user activity",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for RedshiftUserActivityLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, c) in model.aws.redshift_clusters.iter().enumerate() {
            let linked = model.redshift_parameter_group(i);
            out.require(
                &c.meta,
                &redshift_parameter(&c.parameter_group, linked, "enable_user_activity_logging"),
                |v| v.is_on,
                |v| format!("{}: queries run on the cluster are not logged", v.describe("enable_user_activity_logging")),
            );
        }
    }
}
