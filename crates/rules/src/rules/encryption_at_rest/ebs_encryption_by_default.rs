//! AWS-EC2-002: the account's EBS encryption by default is not turned off.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_ebs_encryption_by_default` resource: it must keep `enabled`
    /// true, so that AWS encrypts every new EBS volume and snapshot copy in the region.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: encryption by default is the control that makes encryption at
    /// rest of block storage hold even for volumes created by hand or by tools that forget
    /// the `encrypted` flag.
    ///
    /// ## Default assumed
    /// `enabled` defaults to `true` (AWS provider docs). A configuration without this
    /// resource is not a finding: the setting is per account and region and is often
    /// managed in a separate account-baseline configuration.
    ///
    /// ## Not evaluated
    /// When `enabled` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ebs_encryption_by_default" "this" {
    ///   enabled = true
    /// }
    /// ```
    pub struct EbsEncryptionByDefault {
        id: "AWS-EC2-002",
        slug: "ebs-encryption-by-default",
        title: "EBS encryption by default is enabled",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for EbsEncryptionByDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.ebs_encryption_by_default {
            out.require_true(
                &d.meta,
                &d.enabled,
                "EBS encryption by default is turned off",
            );
        }
    }
}
