//! SOC 2 control report in Markdown, for auditors and compliance engineers: every
//! criterion of the catalog (in catalog order) with its status — failed, passed,
//! not evaluated or manual, and why a manual one is manual — its counts and the rules
//! behind it; then the failing resources per failed criterion, what could not be
//! evaluated, and the accepted exceptions (suppressed findings with their reasons).

use std::fmt::Write as _;

use super::common::{origin_label, Counts};
use super::redact::redact_line;
use super::{ControlStatus, CriterionSummary, Report};
use crate::controls::Automatable;
use crate::finding::{CheckResult, Outcome};

/// Renders the control report of `report` as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let summary = report.criteria_summary();
    let all = Counts::of(report, |_| true);
    let inputs: Vec<String> = report.inputs.iter().map(|i| code(i)).collect();

    out.push_str("# SOC 2 control report\n\n");
    let _ = writeln!(out, "- Tool: soc2scan {}", report.tool_version);
    let _ = writeln!(
        out,
        "- Inputs: {}",
        if inputs.is_empty() {
            "(none)".to_string()
        } else {
            inputs.join(", ")
        }
    );
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
                criteria_label(report, r.rule_id)
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
                let _ = writeln!(
                    out,
                    "- {} {} at {} ({}): \"{}\" (suppressed at {}{})",
                    r.rule_id,
                    code(&r.resource),
                    code(&origin_label(&r.location)),
                    criteria_label(report, r.rule_id),
                    redact_line(&s.reason),
                    code(&s.location),
                    until
                );
            }
        }
    }
    out
}

/// Why a criterion is manual.
fn manual_reason(c: &CriterionSummary) -> &'static str {
    match (c.automatable, c.rules.is_empty()) {
        (Automatable::No, true) => "organisational",
        (Automatable::No, false) => "organisational (mapped rules give supporting evidence only)",
        (_, _) => "no rule covers it yet",
    }
}

fn criteria_label(report: &Report, rule_id: &str) -> String {
    let c = super::common::criteria_of(report, rule_id);
    if c.is_empty() {
        "no SOC 2 mapping".to_string()
    } else {
        c.join(", ")
    }
}

/// Results of the rules behind criterion `c` for which `keep` holds.
fn results_of<'a>(
    report: &'a Report,
    c: &CriterionSummary,
    keep: impl Fn(&CheckResult) -> bool,
) -> Vec<&'a CheckResult> {
    report
        .results
        .iter()
        .filter(|r| c.rules.contains(&r.rule_id) && keep(r))
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
