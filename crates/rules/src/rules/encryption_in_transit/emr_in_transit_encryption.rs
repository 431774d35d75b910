//! AWS-EMR-002: EMR security configurations encrypt data in transit.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_emr_security_configuration` (its JSON `configuration`,
    /// written with `jsonencode`, a heredoc or `file()`) turns on `EncryptionConfiguration.EnableInTransitEncryption`: TLS between the cluster's nodes and for its applications (Spark, Hadoop shuffle, Presto, ...).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7 expects data to be protected in transmission. Without it, data moving
    /// between the nodes of the cluster and to its clients crosses the network
    /// unencrypted.
    ///
    /// ## Default assumed
    /// Off when the configuration does not set it.
    ///
    /// ## Not evaluated
    /// When the configuration, or the flag, comes from a variable without a value. On
    /// live scans: in an account and region whose security configurations could not be
    /// listed (`elasticmapreduce:ListSecurityConfigurations` denied or failed — moto 5.1,
    /// the AWS emulator of the tests, does not implement it, so there the rule is not
    /// evaluated), and for a configuration whose `DescribeSecurityConfiguration` failed
    /// or whose document is not JSON.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_emr_security_configuration" "secure" {
    ///   name = "secure"
    ///   configuration = jsonencode({
    ///     EncryptionConfiguration = {
    ///       "EnableInTransitEncryption" = true
    ///       InTransitEncryptionConfiguration = {
    ///         TLSCertificateConfiguration = { CertificateProviderType = "PEM", S3Object = "s3://certs/emr.zip" }
    ///       }
    ///     }
    ///   })
    /// }
    /// ```
    pub struct EmrInTransitEncryption {
        id: "AWS-EMR-002",
        slug: "emr-in-transit-encryption",
        title: "EMR security configurations encrypt data in transit",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for EmrInTransitEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.emr_security_configurations {
            out.require_true(
                &c.meta,
                &c.in_transit_encryption,
                "in-transit encryption is off: data moves between the cluster's nodes unencrypted",
            );
        }
    }
}
