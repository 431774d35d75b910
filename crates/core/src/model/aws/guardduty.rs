//! Amazon GuardDuty detectors.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A GuardDuty detector (`aws_guardduty_detector`, `GetDetector`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Detector {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `enable`; `Defaulted(true)` (provider docs: "Defaults to `true`"). Live AWS:
    /// `GetDetector` `Status` is `ENABLED`; `Set(false)` for the record standing for a
    /// region without a detector (see [`Detector::present`]).
    pub enabled: Value<bool>,
    /// Whether the detector exists. Always `true` from Terraform (a configuration without
    /// a detector gives no record). `false` only for the record a live AWS scan makes for
    /// a scanned region where `ListDetectors` returns no detector: GuardDuty is off there.
    /// That record's resource is `arn:{partition}:guardduty:{region}:{account}:detector/none`
    /// and its `enabled` is `Set(false)`, so the region fails like a suspended detector.
    pub present: bool,
}
