//! Runs the selected rules over the model in parallel and collects sorted results.

use std::sync::Arc;

use rayon::prelude::*;

use crate::controls::Controls;
use crate::error::{Error, Result};
use crate::finding::{CheckResult, Severity};
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
    /// The rules this selection keeps; a selector that matches no rule and names no
    /// criterion is an error (a typo must not silently disable the gate).
    pub fn apply(
        &self,
        rules: Vec<&'static dyn Rule>,
        controls: &Controls,
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
                (self.select.is_empty() || self.select.iter().any(|s| matches(s, *r, controls)))
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
    crate::finding::sort_results(&mut results);
    results.dedup();
    let ids: Vec<&'static str> = rules.iter().map(|r| r.meta().id).collect();
    for (context, denied) in group_denied(model.coverage.denied_kinds()) {
        crate::cluster_coverage::apply_denied(&mut results, &ids, &denied, context);
    }
    results
}

/// Denied kinds grouped by cluster context, in order of first appearance.
fn group_denied(
    kinds: &[(std::sync::Arc<str>, crate::denied::Denied)],
) -> Vec<(&str, Vec<crate::denied::Denied>)> {
    let mut out: Vec<(&str, Vec<crate::denied::Denied>)> = Vec::new();
    for (context, d) in kinds {
        match out.iter_mut().find(|(c, _)| *c == &**context) {
            Some((_, v)) => v.push(d.clone()),
            None => out.push((context, vec![d.clone()])),
        }
    }
    out
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
                .unwrap_or_else(|| Origin::Aws {
                    arn: scope.into(),
                    region: "".into(),
                    account: "".into(),
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
