//! The SOC 2 criteria catalog and the rule → criteria mapping, loaded from the data
//! files `rules/criteria.toml` and `rules/soc2.toml` (embedded in the binary).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The catalog file as shipped.
pub const CRITERIA_TOML: &str = include_str!("../rules/criteria.toml");
/// The mapping file as shipped.
pub const MAPPING_TOML: &str = include_str!("../rules/soc2.toml");

/// Whether a machine can check a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Automatable {
    /// Technical controls a scanner can verify.
    Yes,
    /// Some aspects can be checked; the rest needs people.
    Partly,
    /// Organisational; always manual.
    No,
}

/// One Trust Services Criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Official id (`CC6.1`).
    pub id: String,
    /// Category (`Logical and physical access`).
    pub group: String,
    /// soc2scan's own short title.
    pub title: String,
    /// Machine-checkable or not.
    pub automatable: Automatable,
}

/// Why a rule gives evidence for its criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Criteria ids.
    pub criteria: Vec<String>,
    /// One-line rationale.
    pub rationale: String,
}

#[derive(Deserialize)]
struct CatalogFile {
    criterion: Vec<Criterion>,
}

/// The loaded catalog and mapping.
#[derive(Debug, Clone)]
pub struct Controls {
    /// Every criterion, in catalog order.
    pub criteria: Vec<Criterion>,
    /// Rule id → mapping.
    pub mapping: BTreeMap<String, Mapping>,
}

impl Controls {
    /// Loads the embedded data files.
    pub fn embedded() -> Result<Controls> {
        Controls::parse(CRITERIA_TOML, MAPPING_TOML)
    }

    /// Parses catalog and mapping text; every mapped criterion must exist in the catalog.
    pub fn parse(criteria: &str, mapping: &str) -> Result<Controls> {
        let cat: CatalogFile = toml::from_str(criteria).map_err(|e| Error::RuleData {
            file: "rules/criteria.toml".into(),
            message: e.to_string(),
        })?;
        let mapping: BTreeMap<String, Mapping> =
            toml::from_str(mapping).map_err(|e| Error::RuleData {
                file: "rules/soc2.toml".into(),
                message: e.to_string(),
            })?;
        for (rule, m) in &mapping {
            if m.criteria.is_empty() || m.rationale.trim().is_empty() {
                return Err(Error::RuleData {
                    file: "rules/soc2.toml".into(),
                    message: format!("{rule}: criteria and rationale are required"),
                });
            }
            for c in &m.criteria {
                if !cat.criterion.iter().any(|k| &k.id == c) {
                    return Err(Error::RuleData {
                        file: "rules/soc2.toml".into(),
                        message: format!("{rule}: unknown criterion {c}"),
                    });
                }
            }
        }
        Ok(Controls {
            criteria: cat.criterion,
            mapping,
        })
    }

    /// The criteria of a rule (empty when unmapped).
    pub fn criteria_of(&self, rule_id: &str) -> &[String] {
        self.mapping
            .get(rule_id)
            .map(|m| m.criteria.as_slice())
            .unwrap_or(&[])
    }

    /// Whether `id` names a criterion (case-insensitive).
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        let c = Controls::embedded().unwrap();
        assert!(c.criteria.len() >= 61);
        assert!(c.criterion("cc6.1").is_some());
        assert_eq!(c.criterion("CC6.4").unwrap().automatable, Automatable::No);
    }

    #[test]
    fn unknown_criterion_is_rejected() {
        let err = Controls::parse(
            CRITERIA_TOML,
            r#""X-1" = { criteria = ["CC6.4x"], rationale = "r" }"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown criterion CC6.4x"));
    }
}
