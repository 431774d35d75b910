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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            required_tags: vec!["DataClassification".to_string()],
            log_retention_days: 365,
        }
    }
}
