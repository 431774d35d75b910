//! Reporters: render a [`Report`] as text, JSON, SARIF or a SOC 2 control report.
//! A reporter knows findings and rules, never the source they came from.

use std::collections::BTreeMap;

use serde::Serialize;

use soc2scan_core::coverage::{Entry, Unmodelled};

use crate::controls::{Automatable, Criterion};
use crate::diagnostic::Diagnostic;
use crate::evidence::Evidence;
use crate::finding::{CheckResult, Outcome, Severity};
use crate::level::Level;
use crate::rules::RuleMeta;

/// A rule as it ran in this scan: declaration, effective severity and SOC 2 mapping.
#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    /// The rule's declaration.
    #[serde(flatten)]
    pub meta: &'static RuleMeta,
    /// Effective severity (the declared one unless configured otherwise).
    pub effective_severity: Severity,
    /// Criteria the rule maps to.
    pub criteria: Vec<String>,
    /// Why the rule maps to them.
    pub rationale: String,
    /// The rule's level (`rules/soc2.toml`).
    pub level: Level,
}

/// Counts of what was read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanStats {
    /// Input files read.
    pub files: usize,
    /// Resources in the model.
    pub resources: usize,
}

/// Everything a reporter needs.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// soc2scan version.
    pub tool_version: &'static str,
    /// Paths scanned, as given.
    pub inputs: Vec<String>,
    /// Rules that ran, sorted by id.
    pub rules: Vec<RuleInfo>,
    /// Every check result (fail, pass, not evaluated), sorted by file, line, rule.
    pub results: Vec<CheckResult>,
    /// Files not parsed, modules not scanned, suppressions not honoured.
    pub diagnostics: Vec<Diagnostic>,
    /// The whole SOC 2 catalog, for the control report.
    pub criteria: Vec<Criterion>,
    /// Counts.
    pub stats: ScanStats,
    /// When, on which commit, with which rule set and policy the scan ran.
    pub evidence: Evidence,
    /// What `--baseline` did: findings it lists are moved here out of `results`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::baseline::BaselineOutcome>,
    /// What each source read, per scope and collection (ordered by scope and
    /// collection): the coverage table every report shows.
    pub coverage: Vec<Entry>,
    /// Resources of types no rule reads, counted by type (`google_storage_bucket: 4`).
    pub unmodelled: Unmodelled,
}

/// The status of one criterion in the control report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    /// At least one unsuppressed failing result of a rule mapped to it.
    Failed,
    /// Rules cover it but some resources could not be evaluated (and none failed), or
    /// no resource in scope was checked.
    NotEvaluated,
    /// Every check of every mapped rule passed (suppressed findings included, with their reasons).
    Passed,
    /// No machine can check it, or no rule covers it: needs people and documents.
    Manual,
}

impl ControlStatus {
    /// Lower-case label for tables.
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Failed => "failed",
            ControlStatus::NotEvaluated => "not evaluated",
            ControlStatus::Passed => "passed",
            ControlStatus::Manual => "manual",
        }
    }
}

/// Per-criterion counts and status.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionSummary {
    /// Criterion id.
    pub id: String,
    /// Short title.
    pub title: String,
    /// Machine-checkable or not.
    pub automatable: Automatable,
    /// Overall status.
    pub status: ControlStatus,
    /// Rules mapped to it that ran.
    pub rules: Vec<&'static str>,
    /// Unsuppressed failing results.
    pub failed: usize,
    /// Passing results.
    pub passed: usize,
    /// Not-evaluated results.
    pub not_evaluated: usize,
    /// Suppressed failing results.
    pub suppressed: usize,
}

impl Report {
    /// The coverage rows that are not complete reads (not read, denied, failed).
    pub fn incomplete_coverage(&self) -> impl Iterator<Item = &Entry> {
        self.coverage.iter().filter(|e| !e.status.is_complete())
    }

    /// One line naming what no rule judged (`34 google_* resources, 12 azurerm_*
    /// resources`), or `None` when every resource was read by some rule. Per type when
    /// there are at most three types, per provider otherwise.
    pub fn not_covered_line(&self) -> Option<String> {
        let types = &self.unmodelled.types;
        if types.values().all(|n| *n == 0) {
            return None;
        }
        let plural = |n: usize| if n == 1 { "resource" } else { "resources" };
        let parts: Vec<String> = if types.len() <= 3 {
            types
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(t, n)| format!("{n} {t} {}", plural(*n)))
                .collect()
        } else {
            self.unmodelled
                .by_provider()
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(p, n)| format!("{n} {p}* {}", plural(n)))
                .collect()
        };
        Some(parts.join(", "))
    }

    /// The rule info for `id`.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.iter().find(|r| r.meta.id == id)
    }

    /// The SOC 2 criteria a result gives evidence for: its rule's mapping (none when the
    /// rule is unknown) followed by the criteria the result carries beyond it
    /// ([`CheckResult::extra_criteria`]: a `DRIFT-001` result's are those of the rules
    /// that read the drifted field's collection).
    pub fn criteria_of_result(&self, r: &CheckResult) -> Vec<String> {
        let mut out: Vec<String> = self
            .rule(r.rule_id)
            .map(|x| x.criteria.clone())
            .unwrap_or_default();
        for c in &r.extra_criteria {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }

    /// Effective severity of a rule (Low if unknown, which cannot happen for results of this report).
    pub fn severity_of(&self, id: &str) -> Severity {
        self.rule(id)
            .map(|r| r.effective_severity)
            .unwrap_or(Severity::Low)
    }

    /// Failing results (suppressed ones included; check `suppression`).
    pub fn findings(&self) -> impl Iterator<Item = &CheckResult> {
        self.results.iter().filter(|r| r.is_fail())
    }

    /// Unsuppressed failing results.
    pub fn active_findings(&self) -> impl Iterator<Item = &CheckResult> {
        self.findings().filter(|r| r.suppression.is_none())
    }

    /// Results that could not be evaluated.
    pub fn not_evaluated(&self) -> impl Iterator<Item = &CheckResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::NotEvaluated { .. }))
    }

    /// Passing results.
    pub fn passes(&self) -> impl Iterator<Item = &CheckResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Pass))
    }

    /// Unsuppressed findings per severity (every severity present, zero included).
    pub fn counts_by_severity(&self) -> BTreeMap<Severity, usize> {
        let mut m: BTreeMap<Severity, usize> = Severity::ALL.iter().map(|s| (*s, 0)).collect();
        for f in self.active_findings() {
            *m.entry(self.severity_of(f.rule_id)).or_default() += 1;
        }
        m
    }

    /// One summary per criterion of the catalog, in catalog order.
    pub fn criteria_summary(&self) -> Vec<CriterionSummary> {
        let of_result: Vec<Vec<String>> = self
            .results
            .iter()
            .map(|r| self.criteria_of_result(r))
            .collect();
        let extra: std::collections::BTreeSet<(&str, &str)> = self
            .results
            .iter()
            .flat_map(|r| r.extra_criteria.iter().map(|c| (r.rule_id, c.as_str())))
            .collect();
        self.criteria
            .iter()
            .map(|c| {
                // The rules mapped to it, and those with a result that carries it beyond
                // its rule's mapping (a drifted field of a collection its rules read).
                let rules: Vec<&'static str> = self
                    .rules
                    .iter()
                    .filter(|r| {
                        r.criteria.iter().any(|x| x == &c.id)
                            || extra.contains(&(r.meta.id, c.id.as_str()))
                    })
                    .map(|r| r.meta.id)
                    .collect();
                let (mut failed, mut passed, mut not_evaluated, mut suppressed) = (0, 0, 0, 0);
                // Each result counts under exactly its own criteria.
                for (r, _) in self
                    .results
                    .iter()
                    .zip(&of_result)
                    .filter(|(_, cs)| cs.contains(&c.id))
                {
                    match (&r.outcome, &r.suppression) {
                        (Outcome::Fail { .. }, None) => failed += 1,
                        (Outcome::Fail { .. }, Some(_)) => suppressed += 1,
                        (Outcome::Pass, _) => passed += 1,
                        (Outcome::NotEvaluated { .. }, _) => not_evaluated += 1,
                    }
                }
                let status = if c.automatable == Automatable::No || rules.is_empty() {
                    ControlStatus::Manual
                } else if failed > 0 {
                    ControlStatus::Failed
                } else if not_evaluated > 0 || passed + suppressed == 0 {
                    ControlStatus::NotEvaluated
                } else {
                    ControlStatus::Passed
                };
                CriterionSummary {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    automatable: c.automatable,
                    status,
                    rules,
                    failed,
                    passed,
                    not_evaluated,
                    suppressed,
                }
            })
            .collect()
    }
}

mod common;
pub mod controls;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod redact;
pub mod sarif;
pub mod snippet;
pub mod text;
