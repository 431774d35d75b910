//! Markdown summary for `$GITHUB_STEP_SUMMARY` and pull-request comments: the counts,
//! findings by severity and by SOC 2 criterion, and the most severe findings as a table.
//!
//! It is a summary, not the evidence: at most [`MAX_ROWS`] findings are listed (the most
//! severe first) and the rest is counted; the coverage table (what each scope read)
//! is shown when some collection was not read completely or some resource is of a type
//! no rule reads; the control report (`--format controls`)
//! and JSON/SARIF carry everything. Table cells are escaped (`|`, line breaks, HTML).

use super::common::{coverage_markdown, origin_label, plural, Counts};
use super::redact::redact_line;
use super::{ControlStatus, Report};
use crate::diagnostic::DiagLevel;
use crate::finding::{CheckResult, Outcome, Severity};

/// Most findings listed in the table.
pub const MAX_ROWS: usize = 50;

/// Unsuppressed findings, most severe first, in report order within a severity.
pub(crate) fn by_severity(report: &Report) -> Vec<&CheckResult> {
    let mut v: Vec<&CheckResult> = report.active_findings().collect();
    // Stable sort: report order (file, line, rule) within one severity.
    v.sort_by_key(|r| std::cmp::Reverse(report.severity_of(r.rule_id)));
    v
}

/// Escapes text for a Markdown table cell.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            '`' | '*' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A table cell holding `s` as inline code (resource addresses, paths); `|` is
/// still escaped, as GitHub splits table rows before reading code spans.
pub fn code_cell(s: &str) -> String {
    if s.contains('`') || s.contains('\n') || s.contains('\r') {
        return cell(s);
    }
    format!("`{}`", s.replace('|', "\\|"))
}

/// Renders the summary.
pub fn render(report: &Report) -> String {
    let c = Counts::of(report, |_| true);
    let by_sev = report.counts_by_severity();
    let mut s = String::new();
    if c.failed == 0 {
        s.push_str("## soc2scan: no findings\n\n");
    } else {
        s.push_str(&format!(
            "## soc2scan: {}\n\n",
            plural(c.failed, "finding", "findings")
        ));
    }
    let sev_list: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|sv| format!("{} {sv}", by_sev.get(sv).copied().unwrap_or(0)))
        .collect();
    let diags = report
        .diagnostics
        .iter()
        .filter(|d| d.level != DiagLevel::Note)
        .count();
    s.push_str(&format!(
        "**{}** ({}) · {} suppressed · {} not evaluated · {} passed · {} · {} in {}\n",
        plural(c.failed, "finding", "findings"),
        sev_list.join(", "),
        c.suppressed,
        c.not_evaluated,
        c.passed,
        plural(diags, "diagnostic", "diagnostics"),
        plural(report.stats.resources, "resource", "resources"),
        plural(report.stats.files, "file", "files"),
    ));
    if let Some(b) = &report.baseline {
        s.push_str(&format!(
            "\nBaseline `{}`: {} not reported, {} no longer found.\n",
            cell(&b.file),
            plural(b.unchanged.len(), "known finding", "known findings"),
            plural(b.absent.len(), "entry", "entries"),
        ));
    }

    s.push_str("\n### By severity\n\n| severity | findings |\n|---|---:|\n");
    for sv in Severity::ALL.iter().rev() {
        s.push_str(&format!(
            "| {sv} | {} |\n",
            by_sev.get(sv).copied().unwrap_or(0)
        ));
    }

    let criteria: Vec<_> = report
        .criteria_summary()
        .into_iter()
        .filter(|x| x.status != ControlStatus::Manual)
        .collect();
    if !criteria.is_empty() {
        s.push_str(
            "\n### By SOC 2 criterion\n\n| criterion | status | failed | suppressed | not evaluated | passed |\n|---|---|---:|---:|---:|---:|\n",
        );
        for x in &criteria {
            s.push_str(&format!(
                "| {} {} | {} | {} | {} | {} | {} |\n",
                cell(&x.id),
                cell(&x.title),
                x.status.label(),
                x.failed,
                x.suppressed,
                x.not_evaluated,
                x.passed
            ));
        }
    }

    let findings = by_severity(report);
    if !findings.is_empty() {
        s.push_str("\n### Findings\n\n| severity | rule | resource | location | message |\n|---|---|---|---|---|\n");
        for r in findings.iter().take(MAX_ROWS) {
            let message = match &r.outcome {
                Outcome::Fail { message } => redact_line(message),
                _ => String::new(),
            };
            let title = report.rule(r.rule_id).map(|x| x.meta.title).unwrap_or("");
            s.push_str(&format!(
                "| {} | {} {} | {} | {} | {} |\n",
                report.severity_of(r.rule_id),
                cell(r.rule_id),
                cell(title),
                code_cell(&r.resource),
                code_cell(&origin_label(&r.location)),
                cell(&message),
            ));
        }
        if findings.len() > MAX_ROWS {
            let more = findings.len() - MAX_ROWS;
            s.push_str(&format!(
                "\n… and {more} more finding{} (see the JSON or SARIF report).\n",
                if more == 1 { "" } else { "s" }
            ));
        }
    }
    // The summary shows coverage only when something was not read or not modelled.
    if report.incomplete_coverage().next().is_some() || report.not_covered_line().is_some() {
        s.push_str(&coverage_markdown(report, "### Coverage", cell));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("<script>&"), "&lt;script&gt;&amp;");
        assert_eq!(cell("x[\"k\"]"), "x\\[\"k\"\\]");
        assert_eq!(cell("a_b*c`"), "a_b\\*c\\`");
        assert_eq!(code_cell("m[\"a|b\"].x"), "`m[\"a\\|b\"].x`");
        assert_eq!(code_cell("a`b"), "a\\`b");
    }
}
