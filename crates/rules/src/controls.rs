//! The SOC 2 criteria catalog and the rule → criteria mapping, loaded from the data
//! files `rules/criteria.toml` and `rules/soc2.toml` (embedded in the binary).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::level::Level;

/// The catalog file as shipped.
pub const CRITERIA_TOML: &str = include_str!("../../../rules/criteria.toml");
/// The mapping file as shipped.
pub const MAPPING_TOML: &str = include_str!("../../../rules/soc2.toml");

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

/// Why a rule gives evidence for its criteria, and at which level it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapping {
    /// Criteria ids.
    pub criteria: Vec<String>,
    /// One-line rationale.
    pub rationale: String,
    /// `baseline` (the default when the entry has no `level`) or `strict`.
    pub level: Level,
    /// For a strict rule: one line saying why it is hardening rather than a SOC 2
    /// deviation. Required for strict rules, refused for baseline ones.
    pub level_reason: Option<String>,
}

/// A mapping entry as written; `level` is checked by [`Controls::parse`] so an unknown
/// value names its rule.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    criteria: Vec<String>,
    rationale: String,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    level_reason: Option<String>,
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
        let raw: BTreeMap<String, RawMapping> =
            toml::from_str(mapping).map_err(|e| Error::RuleData {
                file: "rules/soc2.toml".into(),
                message: e.to_string(),
            })?;
        let data_error = |message: String| Error::RuleData {
            file: "rules/soc2.toml".into(),
            message,
        };
        let mut mapping = BTreeMap::new();
        for (rule, m) in raw {
            if m.criteria.is_empty() || m.rationale.trim().is_empty() {
                return Err(data_error(format!(
                    "{rule}: criteria and rationale are required"
                )));
            }
            let level = match m.level.as_deref() {
                None => Level::Baseline,
                Some(s) => s
                    .parse::<Level>()
                    .map_err(|e| data_error(format!("{rule}: {e}")))?,
            };
            let level_reason = m
                .level_reason
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty());
            match (level, &level_reason) {
                (Level::Strict, None) => {
                    return Err(data_error(format!(
                        "{rule}: a strict rule needs a level_reason (why it is hardening, not a SOC 2 deviation)"
                    )))
                }
                (Level::Baseline, Some(_)) => {
                    return Err(data_error(format!(
                        "{rule}: level_reason is only for strict rules"
                    )))
                }
                _ => {}
            }
            for c in &m.criteria {
                if !cat.criterion.iter().any(|k| &k.id == c) {
                    return Err(data_error(format!("{rule}: unknown criterion {c}")));
                }
            }
            mapping.insert(
                rule,
                Mapping {
                    criteria: m.criteria,
                    rationale: m.rationale,
                    level,
                    level_reason,
                },
            );
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

    /// The level of a rule (baseline when unmapped or when its entry has no `level`).
    pub fn level_of(&self, rule_id: &str) -> Level {
        self.mapping
            .get(rule_id)
            .map_or(Level::Baseline, |m| m.level)
    }

    /// Whether `id` names a criterion (case-insensitive).
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id.eq_ignore_ascii_case(id))
    }
}

/// The rule-set hash of built-in rules only: [`ruleset_hash_with_policies`] without
/// custom policies.
pub fn ruleset_hash<'a>(rules: impl IntoIterator<Item = (&'a str, Severity)>) -> String {
    ruleset_hash_with_policies(rules, [])
}

/// The one place the rule-set hash is computed: `sha256:` + hex SHA-256 over the rule
/// ids with their (effective) severities, sorted by id, followed by the text of the
/// embedded `rules/soc2.toml` and `rules/criteria.toml`, then, when the scan ran custom
/// policies, each policy's id and the text of its `.rego` file, sorted by id. Two
/// reports with the same hash ran the same checks with the same severities against the
/// same SOC 2 mapping; editing a policy changes it. Without policies the hash is the one
/// earlier versions computed.
pub fn ruleset_hash_with_policies<'a>(
    rules: impl IntoIterator<Item = (&'a str, Severity)>,
    policies: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let mut rules: Vec<(&str, Severity)> = rules.into_iter().collect();
    rules.sort();
    rules.dedup();
    let mut h = Sha256::new();
    for (id, severity) in rules {
        h.update(id.as_bytes());
        h.update(b" ");
        h.update(severity.as_str().as_bytes());
        h.update(b"\n");
    }
    h.update([0]);
    h.update(MAPPING_TOML.as_bytes());
    h.update([0]);
    h.update(CRITERIA_TOML.as_bytes());
    let mut policies: Vec<(&str, &str)> = policies.into_iter().collect();
    policies.sort();
    policies.dedup();
    for (id, text) in policies {
        // Id and length first: no two lists of policies hash the same bytes.
        h.update([0]);
        h.update(id.as_bytes());
        h.update(format!("\n{}\n", text.len()).as_bytes());
        h.update(text.as_bytes());
    }
    let digest = h.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
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

    #[test]
    fn levels_parse_and_default_to_baseline() {
        let c = Controls::parse(
            CRITERIA_TOML,
            r#"
"X-1" = { criteria = ["CC6.1"], rationale = "r" }
"X-2" = { criteria = ["CC6.1"], rationale = "r", level = "strict", level_reason = "hardening" }
"X-3" = { criteria = ["CC6.1"], rationale = "r", level = "baseline" }
"#,
        )
        .unwrap();
        assert_eq!(c.level_of("X-1"), Level::Baseline);
        assert_eq!(c.level_of("X-2"), Level::Strict);
        assert_eq!(c.mapping["X-2"].level_reason.as_deref(), Some("hardening"));
        assert_eq!(c.level_of("X-3"), Level::Baseline);
        assert_eq!(c.level_of("NOT-MAPPED"), Level::Baseline);
    }

    #[test]
    fn unknown_level_names_the_rule() {
        let err = Controls::parse(
            CRITERIA_TOML,
            r#""X-1" = { criteria = ["CC6.1"], rationale = "r", level = "paranoid", level_reason = "x" }"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("rules/soc2.toml"), "{err}");
        assert!(err.contains("X-1: unknown level \"paranoid\""), "{err}");
    }

    #[test]
    fn strict_needs_a_reason_and_baseline_takes_none() {
        let err = Controls::parse(
            CRITERIA_TOML,
            r#""X-1" = { criteria = ["CC6.1"], rationale = "r", level = "strict" }"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("X-1: a strict rule needs a level_reason"),
            "{err}"
        );
        let err = Controls::parse(
            CRITERIA_TOML,
            r#""X-1" = { criteria = ["CC6.1"], rationale = "r", level_reason = "why" }"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("X-1: level_reason is only for strict rules"),
            "{err}"
        );
    }

    #[test]
    fn every_shipped_strict_rule_has_a_one_line_reason() {
        let c = Controls::embedded().unwrap();
        let strict: Vec<_> = c
            .mapping
            .iter()
            .filter(|(_, m)| m.level == Level::Strict)
            .collect();
        assert!(!strict.is_empty());
        for (id, m) in strict {
            let reason = m.level_reason.as_deref().unwrap();
            assert!(!reason.contains('\n'), "{id}");
        }
    }

    #[test]
    fn ruleset_hash_is_order_independent_and_sees_severities() {
        let a = ruleset_hash([("A-1", Severity::Low), ("B-1", Severity::High)]);
        assert_eq!(
            a,
            ruleset_hash([("B-1", Severity::High), ("A-1", Severity::Low)])
        );
        assert_ne!(
            a,
            ruleset_hash([("A-1", Severity::Medium), ("B-1", Severity::High)])
        );
        assert_ne!(a, ruleset_hash([("A-1", Severity::Low)]));
        // Custom policies: none is the built-in hash; the text and the id count, the
        // order does not.
        let rules = [("A-1", Severity::Low), ("B-1", Severity::High)];
        assert_eq!(ruleset_hash_with_policies(rules, []), a);
        let p = ruleset_hash_with_policies(rules, [("CUSTOM-1", "package x\n"), ("CUSTOM-2", "y")]);
        assert_ne!(p, a);
        assert_eq!(
            p,
            ruleset_hash_with_policies(rules, [("CUSTOM-2", "y"), ("CUSTOM-1", "package x\n")])
        );
        assert_ne!(
            p,
            ruleset_hash_with_policies(
                rules,
                [("CUSTOM-1", "package x\n# edited\n"), ("CUSTOM-2", "y")]
            )
        );
        assert_ne!(
            p,
            ruleset_hash_with_policies(rules, [("CUSTOM-3", "package x\n"), ("CUSTOM-2", "y")])
        );
        assert!(a.starts_with("sha256:") && a.len() == 7 + 64);
    }
}
