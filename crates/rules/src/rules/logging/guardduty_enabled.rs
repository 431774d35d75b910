//! AWS-GD-001: GuardDuty detectors are enabled.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every GuardDuty detector (`aws_guardduty_detector`) is enabled
    /// (`enable` not `false`). A configuration without a detector gives no result:
    /// GuardDuty is usually enabled organisation-wide from a security account.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 and CC6.8 expect detection of anomalies and malicious activity, CC7.3 their
    /// evaluation. GuardDuty is AWS's intrusion detection: compromised credentials,
    /// crypto-mining, calls from known malicious addresses. A suspended detector
    /// produces no findings.
    ///
    /// ## Default assumed
    /// `enable` defaults to `true` (provider docs).
    ///
    /// ## Live AWS
    /// Every detector of every scanned region (`ListDetectors`, `GetDetector`: `Status`
    /// `ENABLED`). A region with no detector at all has GuardDuty off: it fails, with the
    /// resource `arn:aws:guardduty:<region>:<account>:detector/none`. A delegated
    /// administrator that enables GuardDuty for member accounts still creates a detector
    /// in each member account and region, so this holds organisation-wide too.
    ///
    /// ## Not evaluated
    /// When `enable` comes from a variable without a value; live, when `ListDetectors` or
    /// `GetDetector` fails (access denied, region not enabled).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_guardduty_detector" "main" {
    ///   enable = true
    /// }
    /// ```
    pub struct GuarddutyEnabled {
        id: "AWS-GD-001",
        slug: "guardduty-enabled",
        title: "GuardDuty detectors are enabled",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for GuarddutyEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.guardduty_detectors {
            if d.present {
                out.require_true(&d.meta, &d.enabled, "GuardDuty detector is disabled");
            } else {
                out.fail(
                    &d.meta,
                    &d.enabled.origin,
                    &d.enabled.path,
                    "no GuardDuty detector in this region: GuardDuty is off",
                );
            }
        }
    }
}
