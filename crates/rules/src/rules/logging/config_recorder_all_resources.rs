//! AWS-CFG-001: AWS Config recorders record every supported resource type.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every AWS Config recorder (`aws_config_configuration_recorder`) records
    /// all supported resource types (`recording_group.all_supported`, not narrowed by
    /// `recording_strategy.use_only`) including global resources such as IAM
    /// (`include_global_resource_types = true`). One result per setting. A configuration
    /// without a recorder gives no result: AWS Config is often set up organisation-wide.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.1 expects configuration changes to be detected and CC4.1 controls to be
    /// monitored: the recorder is the inventory and change history auditors sample. A
    /// recorder limited to some types leaves changes to the others, and to IAM, without
    /// a record.
    ///
    /// ## Default assumed
    /// `all_supported` defaults to `true`, `include_global_resource_types` to `false`
    /// (provider docs). Record global types in one region only to avoid duplicates:
    /// suppress this result in the others with a justification.
    ///
    /// ## Live AWS
    /// The recorder of every scanned region (`DescribeConfigurationRecorders`:
    /// `recordingGroup`, with `recordingStrategy.useOnly`). A region without a recorder
    /// gives no result here: AWS-CFG-002 reports it.
    ///
    /// ## Not evaluated
    /// When a setting comes from a variable without a value or the recording group is a
    /// `dynamic` block; live, when `DescribeConfigurationRecorders` fails.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_config_configuration_recorder" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.config.arn
    ///   recording_group {
    ///     all_supported                 = true
    ///     include_global_resource_types = true
    ///   }
    /// }
    /// ```
    pub struct ConfigRecorderAllResources {
        id: "AWS-CFG-001",
        slug: "config-recorder-all-resources",
        title: "AWS Config records all resource types",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for ConfigRecorderAllResources {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        // A region without a recorder has no settings to check (AWS-CFG-002 fails it).
        for r in model.aws.config_recorders.iter().filter(|r| r.present) {
            out.require_true(
                &r.meta,
                &r.all_supported,
                "the recorder does not record all supported resource types",
            );
            out.require_true(
                &r.meta,
                &r.include_global_resources,
                "the recorder does not record global resource types (IAM)",
            );
        }
    }
}
