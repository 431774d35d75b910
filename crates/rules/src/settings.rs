//! Rule parameters that a project can tune (in `.soc2scan.toml`); rules read them
//! through [`crate::rules::Emitter::settings`]. Defaults are the documented policy.

use serde::{Deserialize, Serialize};

/// Parameters of the rules that need them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Tag keys every taggable resource must carry (data classification).
    pub required_tags: Vec<String>,
    /// Minimum retention, in days, of audit log groups.
    pub log_retention_days: i64,
    /// Tag key that classifies data (`DataClassification`); buckets whose value is one of
    /// [`Settings::confidential_tag_values`] must use SSE-KMS.
    pub classification_tag: String,
    /// Values of [`Settings::classification_tag`] that mark confidential data
    /// (compared case-insensitively).
    pub confidential_tag_values: Vec<String>,
    /// Tag key that marks business-critical resources (`Criticality`); critical buckets
    /// must replicate.
    pub criticality_tag: String,
    /// Values of [`Settings::criticality_tag`] that mark critical resources.
    pub critical_tag_values: Vec<String>,
    /// Minimum retention, in days, of backups (AWS Backup rules, cache snapshots).
    pub backup_retention_days: i64,
    /// Minimum waiting period, in days, before a KMS key scheduled for deletion is
    /// destroyed.
    pub kms_deletion_window_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            required_tags: vec!["DataClassification".to_string()],
            log_retention_days: 365,
            classification_tag: "DataClassification".to_string(),
            confidential_tag_values: vec!["confidential".to_string(), "restricted".to_string()],
            criticality_tag: "Criticality".to_string(),
            critical_tag_values: vec!["critical".to_string()],
            backup_retention_days: 7,
            kms_deletion_window_days: 14,
        }
    }
}
