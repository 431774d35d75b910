//! Runs the selected rules over the model in parallel and collects sorted results.

use std::sync::Arc;

use rayon::prelude::*;

use crate::controls::Controls;
use crate::error::{Error, Result};
use crate::finding::{CheckResult, Severity};
use crate::level::Level;
use crate::model::Model;
use crate::rules::{Emitter, Rule};
use crate::settings::Settings;

/// Which rules run, from `--select` / `--ignore`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Selectors a rule must match one of (empty: all rules).
    pub select: Vec<String>,
    /// Selectors that exclude a rule.
    pub ignore: Vec<String>,
}

/// Whether `selector` names `rule` itself: its id or its slug (any case for the id),
/// not a prefix, family or criterion. Such a selector runs the rule at any level.
pub fn names(selector: &str, rule: &dyn Rule) -> bool {
    let m = rule.meta();
    let s = selector.trim();
    m.id.eq_ignore_ascii_case(s) || m.slug == s
}

/// Whether `selector` (rule id, id prefix, slug, family slug or criterion) matches `rule`.
pub fn matches(selector: &str, rule: &dyn Rule, controls: &Controls) -> bool {
    let m = rule.meta();
    let s = selector.trim();
    let up = s.to_ascii_uppercase();
    m.id == up
        || (m.id.starts_with(&up)
            && (m.id.len() == up.len() || up.ends_with('-') || m.id[up.len()..].starts_with('-')))
        || m.slug == s
        || m.family.slug() == s.to_ascii_lowercase()
        || controls
            .criteria_of(m.id)
            .iter()
            .any(|c| c.eq_ignore_ascii_case(s))
}

impl Selection {
    /// The rules this selection keeps at `level`: a rule whose level (in
    /// `rules/soc2.toml`) is above the scan's level does not run, unless a `select`
    /// selector names it by id or slug (prefixes, families and criteria select only
    /// the rules at or below the level). A selector that matches no rule and names no
    /// criterion is an error (a typo must not silently disable the gate).
    pub fn apply(
        &self,
        rules: Vec<&'static dyn Rule>,
        controls: &Controls,
        level: Level,
    ) -> Result<Vec<&'static dyn Rule>> {
        for s in self.select.iter().chain(&self.ignore) {
            let known =
                rules.iter().any(|r| matches(s, *r, controls)) || controls.criterion(s).is_some();
            if !known {
                return Err(Error::UnknownSelector(s.clone()));
            }
        }
        Ok(rules
            .into_iter()
            .filter(|r| {
                let in_level = controls.level_of(r.meta().id) <= level
                    || self.select.iter().any(|s| names(s, *r));
                in_level
                    && (self.select.is_empty()
                        || self.select.iter().any(|s| matches(s, *r, controls)))
                    && !self.ignore.iter().any(|s| matches(s, *r, controls))
            })
            .collect())
    }
}

/// Runs every rule once over the model (rules in parallel) and returns the results
/// sorted by file, line, rule, resource and attribute.
pub fn run(model: &Model, rules: &[&'static dyn Rule], settings: &Settings) -> Vec<CheckResult> {
    let settings = Arc::new(settings.clone());
    let mut results: Vec<CheckResult> = rules
        .par_iter()
        .flat_map_iter(|rule| {
            let mut out = Emitter::with_settings(rule.meta(), settings.clone());
            rule.check(model, &mut out);
            out.into_results()
        })
        .collect();
    results.extend(not_read(model, rules));
    results.extend(crate::cluster_coverage::denied_kinds(model, rules));
    crate::finding::sort_results(&mut results);
    results.dedup();
    results
}

/// One *not evaluated* result per rule and scope in which a collection the rule reads
/// was not read completely (not read by the source, denied, failed): the model's
/// coverage, applied once for every rule, so no rule passes on data that was not read.
pub fn not_read(model: &Model, rules: &[&'static dyn Rule]) -> Vec<CheckResult> {
    use std::collections::BTreeMap;

    use crate::model::{Origin, ResourceMeta};

    let mut out = Vec::new();
    for rule in rules {
        let mut by_scope: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for collection in crate::rules::reads(*rule) {
            for (scope, status) in model.coverage.incomplete(collection) {
                // Reported per kind by `cluster_coverage`.
                if model.coverage.is_denied_kind(scope, collection) {
                    continue;
                }
                by_scope
                    .entry(scope)
                    .or_default()
                    .push(format!("{collection} {}", status.describe()));
            }
        }
        if by_scope.is_empty() {
            continue;
        }
        let mut emitter = Emitter::new(rule.meta());
        for (scope, reasons) in by_scope {
            let origin = model
                .coverage
                .origin(scope)
                .cloned()
                .unwrap_or_else(|| Origin::Scope {
                    scope: scope.into(),
                });
            let meta = ResourceMeta::new(scope, "scope", origin.clone());
            emitter.not_evaluated(&meta, &origin, "", reasons.join("; "));
        }
        out.extend(emitter.into_results());
    }
    out
}

/// Whether any unsuppressed failing result has a rule severity at or above `threshold`.
pub fn has_failures_at(
    results: &[CheckResult],
    threshold: Severity,
    severity_of: impl Fn(&str) -> Severity,
) -> bool {
    results
        .iter()
        .any(|r| r.is_fail() && r.suppression.is_none() && severity_of(r.rule_id) >= threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(select: &[&str], level: Level) -> Vec<&'static str> {
        let controls = Controls::embedded().unwrap();
        let selection = Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: vec![],
        };
        selection
            .apply(crate::rules::all(), &controls, level)
            .unwrap()
            .iter()
            .map(|r| r.meta().id)
            .collect()
    }

    #[test]
    fn baseline_skips_strict_rules_and_strict_runs_both() {
        let controls = Controls::embedded().unwrap();
        let baseline = ids(&[], Level::Baseline);
        let strict = ids(&[], Level::Strict);
        assert_eq!(strict.len(), crate::rules::all().len());
        assert!(baseline.len() < strict.len());
        assert!(baseline
            .iter()
            .all(|id| controls.level_of(id) == Level::Baseline));
        // AWS-RDS-001 (unencrypted storage) is baseline, AWS-RDS-011 (deletion
        // protection) strict.
        assert!(baseline.contains(&"AWS-RDS-001"));
        assert!(!baseline.contains(&"AWS-RDS-011"));
        assert!(strict.contains(&"AWS-RDS-011"));
    }

    #[test]
    fn an_explicit_id_or_slug_selects_a_strict_rule_a_prefix_does_not() {
        assert_eq!(ids(&["AWS-RDS-011"], Level::Baseline), ["AWS-RDS-011"]);
        assert_eq!(ids(&["aws-rds-011"], Level::Baseline), ["AWS-RDS-011"]);
        assert_eq!(
            ids(&["rds-deletion-protection"], Level::Baseline),
            ["AWS-RDS-011"]
        );
        let prefix = ids(&["AWS-RDS"], Level::Baseline);
        assert!(prefix.contains(&"AWS-RDS-001"));
        assert!(!prefix.contains(&"AWS-RDS-011"));
        assert!(ids(&["AWS-RDS"], Level::Strict).contains(&"AWS-RDS-011"));
    }
}
