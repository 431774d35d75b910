//! AWS-RS-020: Redshift clusters are not publicly accessible.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no Redshift cluster (`aws_redshift_cluster`) sets
    /// `publicly_accessible = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1 expect data stores inside the network boundary; C1.1 protection
    /// of confidential data. A publicly accessible cluster gets a public address, and
    /// only its security groups and credentials stand between the warehouse and the
    /// internet.
    ///
    /// ## Default assumed
    /// `publicly_accessible` defaults to `false` since AWS provider 5.0 (provider docs;
    /// it defaulted to `true` before). Configurations pinned to an older provider should
    /// write `false` explicitly.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_redshift_cluster" "dw" {
    ///   cluster_identifier  = "dw"
    ///   node_type           = "ra3.xlplus"
    ///   publicly_accessible = false
    /// }
    /// ```
    pub struct RedshiftPubliclyAccessible {
        id: "AWS-RS-020",
        slug: "redshift-publicly-accessible",
        title: "Redshift clusters are not publicly accessible",
        severity: High,
        family: Network,
    }
}

impl Rule for RedshiftPubliclyAccessible {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.redshift_clusters {
            out.require_false(
                &c.meta,
                &c.publicly_accessible,
                "the Redshift cluster is publicly accessible",
            );
        }
    }
}
