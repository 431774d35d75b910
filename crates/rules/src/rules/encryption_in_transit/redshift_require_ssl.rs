//! AWS-RS-003: Redshift clusters refuse connections without SSL.

use crate::model::aws::redshift::redshift_parameter;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_redshift_cluster` uses a parameter group
    /// (`cluster_parameter_group_name`, linked to its `aws_redshift_parameter_group`)
    /// that sets `require_ssl = true`. A cluster without a group, or with a `default.*`
    /// group, fails: the default group has `require_ssl = false`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7 expects data to be protected in transmission. Without `require_ssl` the
    /// warehouse accepts plain-text connections, and query results with customer data
    /// and database passwords cross the network unencrypted.
    ///
    /// ## Default assumed
    /// `require_ssl` is `false` in the default parameter group and in a group that does
    /// not set it (Redshift documentation, "Amazon Redshift parameter groups").
    ///
    /// ## Not evaluated
    /// When the group name is unknown, names a group that is not in the scanned
    /// configuration, or the group's parameters come from a `dynamic "parameter"` block
    /// that cannot be expanded or a value that is unknown; on a live scan, when
    /// `DescribeClusterParameters` of the group is denied or fails.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_redshift_parameter_group" "secure" {
    ///   name   = "secure"
    ///   family = "redshift-1.0"
    ///   parameter {
    ///     name  = "require_ssl"
    ///     value = "true"
    ///   }
    /// }
    ///
    /// resource "aws_redshift_cluster" "dw" {
    ///   # ...
    ///   cluster_parameter_group_name = aws_redshift_parameter_group.secure.name
    /// }
    /// ```
    pub struct RedshiftRequireSsl {
        id: "AWS-RS-003",
        slug: "redshift-require-ssl",
        title: "Redshift clusters require SSL connections",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for RedshiftRequireSsl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, c) in model.aws.redshift_clusters.iter().enumerate() {
            let linked = model.redshift_parameter_group(i);
            out.require(
                &c.meta,
                &redshift_parameter(&c.parameter_group, linked, "require_ssl"),
                |v| v.is_on,
                |v| format!("{}: the cluster accepts connections without SSL", v.describe("require_ssl")),
            );
        }
    }
}
