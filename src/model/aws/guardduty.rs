//! Amazon GuardDuty detectors.

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// A GuardDuty detector (`aws_guardduty_detector`, `GetDetector`).
#[derive(Debug, Clone, Serialize)]
pub struct Detector {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `enable`; `Defaulted(true)` (provider docs: "Defaults to `true`").
    pub enabled: Value<bool>,
}
