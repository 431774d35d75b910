//! AWS-CFG-002: AWS Config recorders are started.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every AWS Config recorder (`aws_config_configuration_recorder`) is
    /// started by an `aws_config_configuration_recorder_status` naming it with
    /// `is_enabled = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.1 and CC4.1: a recorder that is not started records nothing — the
    /// configuration history the auditor expects does not exist.
    ///
    /// ## Default assumed
    /// A recorder is created stopped (AWS Config `PutConfigurationRecorder`; it records
    /// only after `StartConfigurationRecorder`), so a recorder without a status resource
    /// fails.
    ///
    /// ## Live AWS
    /// The recorder of every scanned region (`DescribeConfigurationRecorders`,
    /// `DescribeConfigurationRecorderStatus`: `recording`). A region with no recorder
    /// records nothing: it fails, with the resource
    /// `arn:aws:config:<region>:<account>:configuration-recorder/none`.
    ///
    /// ## Not evaluated
    /// When `is_enabled` is unknown, or a status resource whose `name` is unknown might
    /// start the recorder; live, when a `DescribeConfigurationRecorder*` call fails.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_config_configuration_recorder_status" "main" {
    ///   name       = aws_config_configuration_recorder.main.name
    ///   is_enabled = true
    ///   depends_on = [aws_config_delivery_channel.main]
    /// }
    /// ```
    pub struct ConfigRecorderEnabled {
        id: "AWS-CFG-002",
        slug: "config-recorder-enabled",
        title: "AWS Config recorders are started",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for ConfigRecorderEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.config_recorders {
            if r.present {
                out.require_true(
                    &r.meta,
                    &r.recording,
                    "the configuration recorder is not started (no recorder status with is_enabled = true)",
                );
            } else {
                out.fail(
                    &r.meta,
                    &r.recording.origin,
                    &r.recording.path,
                    "no AWS Config recorder in this region: configuration changes are not recorded",
                );
            }
        }
    }
}
