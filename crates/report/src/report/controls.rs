//! SOC 2 control report in Markdown, for auditors and compliance engineers: a header
//! that can be filed as evidence (tool version, rule-set hash, policy file, scan time,
//! inputs, git commit), then every criterion of the catalog (in catalog order) with its
//! status — failed, passed, not evaluated or manual, and why a manual one is manual —
//! its counts and the rules behind it; then the failing resources per failed
//! criterion, what could not be evaluated, and the accepted exceptions (suppressed
//! findings with their reasons); last, the coverage table (per scope, which model
//! collections were read and how many resources, which were not read, denied or failed
//! and why) and the resources no rule reads. Also the coverage matrix of `soc2scan controls`:
//! criterion → rules, without a scan.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::json;

use super::common::{coverage_markdown, origin_label, Counts};
use super::redact::redact_line;
use super::{ControlStatus, CriterionSummary, Report};
use crate::controls::{ruleset_hash, Automatable, Controls};
use crate::finding::{CheckResult, Outcome, Severity, SuppressionKind};
use crate::rules::Rule;

/// Renders the control report of `report` as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let summary = report.criteria_summary();
    let all = Counts::of(report, |_| true);
    let inputs: Vec<String> = report.inputs.iter().map(|i| code(i)).collect();

    let ev = &report.evidence;
    out.push_str("# SOC 2 control report\n\n");
    let _ = writeln!(out, "- Tool: soc2scan {}", report.tool_version);
    let _ = writeln!(out, "- Level: {}", level_text(ev.level));
    if let Some(hash) = &ev.ruleset_hash {
        let _ = writeln!(
            out,
            "- Rule set: {} ({} rules with their effective severities, SOC 2 mapping and catalog)",
            code(hash),
            report.rules.len()
        );
    }
    if let Some(p) = &ev.policy {
        let _ = writeln!(
            out,
            "- Policy file: {} ({})",
            code(&p.path),
            code(&p.sha256)
        );
    }
    if let Some(t) = &ev.scan_time {
        let _ = writeln!(out, "- Scan time: {t}");
    }
    let _ = writeln!(
        out,
        "- Inputs: {}",
        if inputs.is_empty() {
            "(none)".to_string()
        } else {
            inputs.join(", ")
        }
    );
    if let Some(g) = &ev.git {
        let state = match g.dirty {
            Some(false) => "working tree clean",
            Some(true) => "working tree has uncommitted changes",
            None => "working tree state unknown",
        };
        let _ = writeln!(out, "- Git commit: {} ({state})", code(&g.commit));
    }
    let _ = writeln!(
        out,
        "- Scanned: {} files, {} resources, {} rules",
        report.stats.files,
        report.stats.resources,
        report.rules.len()
    );
    let _ = writeln!(
        out,
        "- Results: {} failed, {} suppressed, {} passed, {} not evaluated",
        all.failed, all.suppressed, all.passed, all.not_evaluated
    );
    let count = |s: ControlStatus| summary.iter().filter(|c| c.status == s).count();
    let _ = writeln!(
        out,
        "- Criteria: {} failed, {} not evaluated, {} passed, {} manual (of {})",
        count(ControlStatus::Failed),
        count(ControlStatus::NotEvaluated),
        count(ControlStatus::Passed),
        count(ControlStatus::Manual),
        summary.len()
    );
    if !report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "- Diagnostics: {} (parts of the input were not scanned; see the scan output)",
            report.diagnostics.len()
        );
    }
    out.push_str(
        "\nStatus: **failed** a mapped rule found a problem; **not evaluated** rules cover it \
         but some values could not be known or nothing in scope was checked; **passed** every \
         check passed (suppressed findings are listed as exceptions); **manual** needs people \
         and documents.\n\n",
    );

    out.push_str(
        "| Criterion | Title | Status | Failed | Suppressed | Passed | Not evaluated | Rules |\n",
    );
    out.push_str("|---|---|---|---:|---:|---:|---:|---|\n");
    for c in &summary {
        let status = match c.status {
            ControlStatus::Failed => "**failed**".to_string(),
            ControlStatus::Manual => format!("manual: {}", manual_reason(c)),
            s => s.label().to_string(),
        };
        let counts = if c.rules.is_empty() {
            "– | – | – | –".to_string()
        } else {
            format!(
                "{} | {} | {} | {}",
                c.failed, c.suppressed, c.passed, c.not_evaluated
            )
        };
        let rules = if c.rules.is_empty() {
            "–".to_string()
        } else {
            c.rules.join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            c.id,
            cell(&c.title),
            status,
            counts,
            rules
        );
    }

    let failed: Vec<&CriterionSummary> = summary
        .iter()
        .filter(|c| c.status == ControlStatus::Failed)
        .collect();
    if !failed.is_empty() {
        out.push_str("\n## Failed criteria\n");
        for c in failed {
            let _ = writeln!(out, "\n### {} {}\n", c.id, c.title);
            for r in results_of(report, c, |r| r.is_fail() && r.suppression.is_none()) {
                let message = match &r.outcome {
                    Outcome::Fail { message } => redact_line(message),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "- {} {} at {}: {}",
                    r.rule_id,
                    code(&r.resource),
                    code(&origin_label(&r.location)),
                    message
                );
            }
        }
    }

    let not_eval: Vec<&CheckResult> = report.not_evaluated().collect();
    if !not_eval.is_empty() {
        out.push_str("\n## Not evaluated\n\n");
        for r in not_eval {
            let reason = match &r.outcome {
                Outcome::NotEvaluated { reason } => redact_line(reason),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "- {} {} at {}: {} ({})",
                r.rule_id,
                code(&r.resource),
                code(&origin_label(&r.location)),
                reason,
                criteria_label(report, r)
            );
        }
    }

    let suppressed: Vec<&CheckResult> = report
        .findings()
        .filter(|r| r.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        out.push_str("\n## Accepted exceptions (suppressed findings)\n\n");
        for r in suppressed {
            if let Some(s) = &r.suppression {
                let until = s
                    .until
                    .as_deref()
                    .map(|u| format!(", until {u}"))
                    .unwrap_or_default();
                let by = s
                    .accepted_by
                    .as_deref()
                    .map(|b| format!(", accepted by {}", redact_line(b)))
                    .unwrap_or_default();
                let place = match s.kind {
                    SuppressionKind::InSource => "suppressed at",
                    SuppressionKind::External => "suppressed by the policy file at",
                };
                let _ = writeln!(
                    out,
                    "- {} {} at {} ({}): \"{}\" ({place} {}{}{})",
                    r.rule_id,
                    code(&r.resource),
                    code(&origin_label(&r.location)),
                    criteria_label(report, r),
                    redact_line(&s.reason),
                    code(&s.location),
                    until,
                    by
                );
            }
        }
    }
    out.push_str(&coverage_markdown(report, "## Coverage", cell));
    out
}

/// How far the rule catalog covers a criterion (the coverage matrix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// Machine-checkable, and rules check it.
    Automated,
    /// Partly machine-checkable; rules check the technical part, the rest needs people.
    PartlyAutomated,
    /// Organisational, or no rule covers it yet: needs people and documents.
    Manual,
}

impl Coverage {
    /// Label for tables and JSON.
    pub fn label(self) -> &'static str {
        match self {
            Coverage::Automated => "automated",
            Coverage::PartlyAutomated => "partly automated",
            Coverage::Manual => "manual",
        }
    }
}

/// A rule as it appears in the coverage matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoveringRule {
    /// Rule id.
    pub id: &'static str,
    /// Declared severity.
    pub severity: Severity,
    /// One-line title.
    pub title: &'static str,
}

/// One row of the coverage matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionCoverage {
    /// Criterion id.
    pub id: String,
    /// Category.
    pub group: String,
    /// Short title.
    pub title: String,
    /// Whether a machine can check it.
    pub automatable: Automatable,
    /// How far the rules cover it.
    pub coverage: Coverage,
    /// Rules mapped to it, by id.
    pub rules: Vec<CoveringRule>,
}

/// The coverage matrix of `soc2scan controls`: every criterion and the rules covering it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageMatrix {
    /// soc2scan version.
    pub tool_version: &'static str,
    /// [`ruleset_hash`] of every rule with its declared severity.
    pub ruleset_hash: String,
    /// Number of rules.
    pub rules: usize,
    /// Every criterion, in catalog order.
    pub criteria: Vec<CriterionCoverage>,
    /// Rules that map to no criterion (should be none).
    pub unmapped_rules: Vec<&'static str>,
}

impl CoverageMatrix {
    /// The coverage matrix of `rules` against the catalog of `controls`.
    pub fn build(controls: &Controls, rules: &[&'static dyn Rule]) -> CoverageMatrix {
        let mut metas: Vec<_> = rules.iter().map(|r| r.meta()).collect();
        metas.sort_by_key(|m| m.id);
        let criteria = controls
            .criteria
            .iter()
            .map(|c| {
                let covering: Vec<CoveringRule> = metas
                    .iter()
                    .filter(|m| controls.criteria_of(m.id).iter().any(|x| x == &c.id))
                    .map(|m| CoveringRule {
                        id: m.id,
                        severity: m.severity,
                        title: m.title,
                    })
                    .collect();
                let coverage = match (c.automatable, covering.is_empty()) {
                    (Automatable::No, _) | (_, true) => Coverage::Manual,
                    (Automatable::Yes, false) => Coverage::Automated,
                    (Automatable::Partly, false) => Coverage::PartlyAutomated,
                };
                CriterionCoverage {
                    id: c.id.clone(),
                    group: c.group.clone(),
                    title: c.title.clone(),
                    automatable: c.automatable,
                    coverage,
                    rules: covering,
                }
            })
            .collect();
        CoverageMatrix {
            tool_version: env!("CARGO_PKG_VERSION"),
            ruleset_hash: ruleset_hash(metas.iter().map(|m| (m.id, m.severity))),
            rules: metas.len(),
            criteria,
            unmapped_rules: metas
                .iter()
                .filter(|m| controls.criteria_of(m.id).is_empty())
                .map(|m| m.id)
                .collect(),
        }
    }
}

/// Renders the coverage matrix as Markdown.
pub fn render_coverage(m: &CoverageMatrix) -> String {
    let mut out = String::new();
    out.push_str("# SOC 2 coverage matrix\n\n");
    let _ = writeln!(out, "- Tool: soc2scan {}", m.tool_version);
    let _ = writeln!(
        out,
        "- Rule set: {} ({} rules with their declared severities, SOC 2 mapping and catalog)",
        code(&m.ruleset_hash),
        m.rules
    );
    let count = |c: Coverage| m.criteria.iter().filter(|x| x.coverage == c).count();
    let _ = writeln!(
        out,
        "- Criteria: {} automated, {} partly automated, {} manual (of {})",
        count(Coverage::Automated),
        count(Coverage::PartlyAutomated),
        count(Coverage::Manual),
        m.criteria.len()
    );
    out.push_str(
        "\nCoverage: **automated** a machine can check the criterion and rules do; **partly \
         automated** rules check its technical part, the rest needs people; **manual** it is \
         organisational, or no rule covers it yet.\n\n",
    );
    out.push_str("| Criterion | Group | Title | Machine-checkable | Coverage | Rules |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for c in &m.criteria {
        let coverage = match (c.coverage, c.automatable, c.rules.is_empty()) {
            (Coverage::Manual, Automatable::No, true) => "manual: organisational".to_string(),
            (Coverage::Manual, Automatable::No, false) => {
                "manual: organisational (rules give supporting evidence only)".to_string()
            }
            (Coverage::Manual, _, _) => "manual: no rule covers it yet".to_string(),
            (cov, _, _) => format!("**{}**", cov.label()),
        };
        let rules = if c.rules.is_empty() {
            "–".to_string()
        } else {
            c.rules.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            c.id,
            cell(&c.group),
            cell(&c.title),
            automatable_label(c.automatable),
            coverage,
            rules
        );
    }
    if !m.unmapped_rules.is_empty() {
        let _ = writeln!(
            out,
            "\nRules without a SOC 2 mapping (add them to `rules/soc2.toml`): {}",
            m.unmapped_rules.join(", ")
        );
    }
    out
}

/// Renders the coverage matrix as JSON (pretty-printed, final newline).
pub fn coverage_json(m: &CoverageMatrix) -> String {
    let criteria: Vec<serde_json::Value> = m
        .criteria
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "group": c.group,
                "title": c.title,
                "automatable": automatable_label(c.automatable),
                "coverage": c.coverage.label(),
                "rules": c.rules.iter().map(|r| json!({
                    "id": r.id,
                    "severity": r.severity.as_str(),
                    "title": r.title,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "schema_version": "1",
        "tool": { "name": "soc2scan", "version": m.tool_version },
        "ruleset_hash": m.ruleset_hash,
        "rules": m.rules,
        "criteria": criteria,
        "unmapped_rules": m.unmapped_rules,
    });
    // Serialising a `Value` cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn automatable_label(a: Automatable) -> &'static str {
    match a {
        Automatable::Yes => "yes",
        Automatable::Partly => "partly",
        Automatable::No => "no",
    }
}

/// Why a criterion is manual.
fn manual_reason(c: &CriterionSummary) -> &'static str {
    match (c.automatable, c.rules.is_empty()) {
        (Automatable::No, true) => "organisational",
        (Automatable::No, false) => "organisational (mapped rules give supporting evidence only)",
        (_, _) => "no rule in this scan covers it",
    }
}

fn criteria_label(report: &Report, r: &CheckResult) -> String {
    let c = report.criteria_of_result(r);
    if c.is_empty() {
        "no SOC 2 mapping".to_string()
    } else {
        c.join(", ")
    }
}

/// Results that give evidence for criterion `c` (by their rule's mapping or their own
/// criteria) for which `keep` holds.
fn results_of<'a>(
    report: &'a Report,
    c: &CriterionSummary,
    keep: impl Fn(&CheckResult) -> bool,
) -> Vec<&'a CheckResult> {
    report
        .results
        .iter()
        .filter(|r| report.criteria_of_result(r).contains(&c.id) && keep(r))
        .collect()
}

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Inline code, with a fence long enough for backticks inside.
fn code(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// What the scan's level ran, for the report header.
fn level_text(level: crate::level::Level) -> &'static str {
    match level {
        crate::level::Level::Baseline => {
            "baseline (deviations from SOC 2 controls; hardening rules of the strict level did not run)"
        }
        crate::level::Level::Strict => "strict (baseline rules and hardening beyond SOC 2)",
    }
}
