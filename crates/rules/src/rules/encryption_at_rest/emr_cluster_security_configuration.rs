//! AWS-EMR-003: EMR clusters use a security configuration.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_emr_cluster` names a `security_configuration`. Without
    /// one, EMR applies no at-rest encryption of local disks, no in-transit encryption
    /// and no Kerberos authentication; what the named configuration turns on is judged
    /// on it (AWS-EMR-001, AWS-EMR-002).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.7 expect data to be protected at rest and in transmission. A
    /// cluster without a security configuration processes customer data on unencrypted
    /// disks and moves it between nodes in clear.
    ///
    /// ## Default assumed
    /// No security configuration.
    ///
    /// ## Not evaluated
    /// When `security_configuration` comes from a variable without a value. On live
    /// scans: in an account and region whose active clusters could not be listed
    /// (`elasticmapreduce:ListClusters` denied or failed), and for a cluster whose
    /// `DescribeCluster` failed.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_emr_cluster" "etl" {
    ///   # ...
    ///   security_configuration = aws_emr_security_configuration.secure.name
    /// }
    /// ```
    pub struct EmrClusterSecurityConfiguration {
        id: "AWS-EMR-003",
        slug: "emr-cluster-security-configuration",
        title: "EMR clusters use a security configuration",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for EmrClusterSecurityConfiguration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.emr_clusters {
            out.require_true(
                &c.meta,
                &c.has_security_configuration,
                "the cluster has no security configuration: no disk or in-transit encryption",
            );
        }
    }
}
