//! AWS-EMR-001: EMR security configurations encrypt data at rest.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `aws_emr_security_configuration` (its JSON `configuration`,
    /// written with `jsonencode`, a heredoc or `file()`) turns on `EncryptionConfiguration.EnableAtRestEncryption`: encryption of the data EMRFS writes to S3 and of the cluster's local disks (EBS and instance store).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1 expect data at rest to be protected. Without it, HDFS blocks,
    /// spill files and shuffle data of the jobs stay unencrypted on the cluster's disks,
    /// and EMRFS writes to S3 without the configured encryption.
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
    ///       "EnableAtRestEncryption" = true
    ///       AtRestEncryptionConfiguration = {
    ///         S3EncryptionConfiguration        = { EncryptionMode = "SSE-KMS", AwsKmsKey = aws_kms_key.emr.arn }
    ///         LocalDiskEncryptionConfiguration = { EncryptionKeyProviderType = "AwsKms", AwsKmsKey = aws_kms_key.emr.arn }
    ///       }
    ///     }
    ///   })
    /// }
    /// ```
    pub struct EmrAtRestEncryption {
        id: "AWS-EMR-001",
        slug: "emr-at-rest-encryption",
        title: "EMR security configurations encrypt data at rest",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for EmrAtRestEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.emr_security_configurations {
            out.require_true(
                &c.meta,
                &c.at_rest_encryption,
                "at-rest encryption is off: the cluster's local disks are not encrypted",
            );
        }
    }
}
