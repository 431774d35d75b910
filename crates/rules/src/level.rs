//! The level of a rule: whether a failure is a deviation from a SOC 2 control as an
//! auditor would cite it (`baseline`), or hardening beyond SOC 2 (`strict`). Each rule's
//! level is data, in `rules/soc2.toml`; a scan runs the rules at or below its level.

use serde::{Deserialize, Serialize};

/// A rule's level, and the level a scan runs at. Ordered: `Baseline < Strict`; a scan
/// at a level runs every rule whose level is at or below it.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A deviation from a SOC 2 control as an auditor would cite it: data not encrypted
    /// at rest, TLS not enforced, MFA missing, audit logging off, no or too-short
    /// backups, public exposure, over-broad administrator access. The default.
    #[default]
    Baseline,
    /// Hardening beyond SOC 2: customer managed keys instead of AWS managed or owned
    /// ones, deletion protection, multi-region coverage, classification tags, IMDSv2, …
    Strict,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 2] = [Level::Baseline, Level::Strict];

    /// Lower-case name (`baseline`, `strict`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Baseline => "baseline",
            Level::Strict => "strict",
        }
    }
}

impl std::str::FromStr for Level {
    type Err = String;

    /// Parses a lower-case level name (`baseline`, `strict`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown level {s:?} (expected baseline or strict)"))
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_names_and_parsing() {
        assert!(Level::Baseline < Level::Strict);
        assert_eq!(Level::default(), Level::Baseline);
        for l in Level::ALL {
            assert_eq!(l.as_str().parse::<Level>().unwrap(), l);
            assert_eq!(l.to_string(), l.as_str());
        }
        assert!("Strict".parse::<Level>().is_err());
        assert!("paranoid"
            .parse::<Level>()
            .unwrap_err()
            .contains("expected baseline or strict"));
    }
}
