//! Text reporter for people at a terminal: findings grouped by file with a redacted
//! code snippet, then suppressed findings, not-evaluated checks (grouped by reason),
//! diagnostics, and a closing summary by severity and by SOC 2 criterion.
//!
//! ANSI colour only when [`TextOptions::color`] is set (the caller decides from the
//! terminal and `NO_COLOR`); `quiet` prints the summary line alone.

use std::fmt::Write as _;

use camino::Utf8PathBuf;

use super::common::{origin_label, plural, Counts};
use super::redact::redact_line;
use super::snippet::SourceFiles;
use super::{ControlStatus, Report};
use crate::diagnostic::DiagLevel;
use crate::finding::{CheckResult, Outcome, Severity};
use crate::model::Origin;

/// Most source lines shown per finding.
pub const MAX_SNIPPET_LINES: usize = 8;

/// Options of the text reporter.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Print only the summary line.
    pub quiet: bool,
    /// Directory report paths are relative to, for reading snippets (working directory when `None`).
    pub source_root: Option<Utf8PathBuf>,
}

/// ANSI styling that is a no-op without colour.
#[derive(Clone, Copy)]
struct Style {
    color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(self, s: &str) -> String {
        self.paint("2", s)
    }
    fn severity(self, sev: Severity) -> String {
        let label = format!("{:<8}", sev.as_str().to_ascii_uppercase());
        let code = match sev {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
        };
        self.paint(code, &label)
    }
    fn status(self, s: ControlStatus) -> String {
        let label = format!("{:<13}", s.label());
        let code = match s {
            ControlStatus::Failed => "31",
            ControlStatus::NotEvaluated => "33",
            ControlStatus::Passed => "32",
            ControlStatus::Manual => "2",
        };
        self.paint(code, &label)
    }
}

/// Renders `report` as text.
pub fn render(report: &Report, opts: &TextOptions) -> String {
    let st = Style { color: opts.color };
    let mut out = String::new();
    if opts.quiet {
        out.push_str(&summary_line(report, st));
        out.push('\n');
        return out;
    }
    let mut sources = SourceFiles::new(opts.source_root.as_deref());

    // Unsuppressed findings, grouped by file (in report order: file, line, rule).
    let mut groups: Vec<(String, Vec<&CheckResult>)> = Vec::new();
    for r in report.active_findings() {
        let key = group_of(&r.location);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(r),
            None => groups.push((key, vec![r])),
        }
    }
    // Files first, then live resources (report order puts origins without a file first).
    groups.sort_by_key(|(_, v)| v.first().is_none_or(|r| r.location.file().is_none()));
    for (group, results) in &groups {
        let _ = writeln!(out, "{}", st.paint("1;4", group));
        for r in results {
            finding(&mut out, report, r, &mut sources, st);
        }
    }

    let suppressed: Vec<&CheckResult> = report
        .findings()
        .filter(|r| r.suppression.is_some())
        .collect();
    if !suppressed.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            st.bold(&format!("Suppressed ({})", suppressed.len()))
        );
        for r in suppressed {
            if let Some(s) = &r.suppression {
                let until = s
                    .until
                    .as_deref()
                    .map(|u| format!("until {u}, "))
                    .unwrap_or_default();
                let by = s
                    .accepted_by
                    .as_deref()
                    .map(|b| format!("accepted by {}, ", clean(&redact_line(b))))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {} {} ({}): {} {}",
                    r.rule_id,
                    r.resource,
                    origin_label(&r.location),
                    clean(&redact_line(&s.reason)),
                    st.dim(&format!("[{until}{by}{}]", s.location)),
                );
            }
        }
        out.push('\n');
    }

    // Not evaluated, grouped by reason (in order of first appearance).
    let mut reasons: Vec<(String, Vec<&CheckResult>)> = Vec::new();
    for r in report.not_evaluated() {
        let reason = match &r.outcome {
            Outcome::NotEvaluated { reason } => clean(&redact_line(reason)),
            _ => continue,
        };
        match reasons.iter_mut().find(|(k, _)| *k == reason) {
            Some((_, v)) => v.push(r),
            None => reasons.push((reason, vec![r])),
        }
    }
    if !reasons.is_empty() {
        let n: usize = reasons.iter().map(|(_, v)| v.len()).sum();
        let _ = writeln!(out, "{}", st.bold(&format!("Not evaluated ({n})")));
        for (reason, results) in &reasons {
            let _ = writeln!(out, "  {reason}");
            for r in results {
                let _ = writeln!(
                    out,
                    "    {} {} {}",
                    r.rule_id,
                    r.resource,
                    st.dim(&format!("({})", origin_label(&r.location)))
                );
            }
        }
        out.push('\n');
    }

    if !report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            st.bold(&format!("Diagnostics ({})", report.diagnostics.len()))
        );
        for d in &report.diagnostics {
            let level = match d.level {
                DiagLevel::Error => st.paint("31", "error  "),
                DiagLevel::Warning => st.paint("33", "warning"),
                DiagLevel::Note => st.paint("36", "note   "),
            };
            let mut d = d.clone();
            d.message = clean(&redact_line(&d.message));
            let _ = writeln!(
                out,
                "  {level} {} {d}",
                st.dim(&format!("[{}]", d.kind.id()))
            );
        }
        out.push('\n');
    }

    out.push_str(&summary_line(report, st));
    out.push('\n');
    let rows: Vec<_> = report
        .criteria_summary()
        .into_iter()
        .filter(|c| c.failed + c.not_evaluated + c.suppressed > 0)
        .collect();
    if !rows.is_empty() {
        out.push_str("SOC 2 criteria:\n");
        let w = rows.iter().map(|c| c.id.len()).max().unwrap_or(0);
        for c in rows {
            let mut counts = Vec::new();
            if c.failed > 0 {
                counts.push(format!("{} failed", c.failed));
            }
            if c.suppressed > 0 {
                counts.push(format!("{} suppressed", c.suppressed));
            }
            if c.not_evaluated > 0 {
                counts.push(format!("{} not evaluated", c.not_evaluated));
            }
            if c.passed > 0 {
                counts.push(format!("{} passed", c.passed));
            }
            let _ = writeln!(
                out,
                "  {:<w$}  {} {}  {}",
                c.id,
                st.status(c.status),
                counts.join(", "),
                st.dim(&c.title),
            );
        }
    }
    coverage(&mut out, report, st);
    out
}

/// Rows of the incomplete-coverage section before "… and N more".
const COVERAGE_LINES: usize = 20;

/// The coverage section: incomplete rows only (not read, denied, failed), at most
/// [`COVERAGE_LINES`], and the resources no rule reads. Nothing when the scan read
/// everything and modelled every resource.
fn coverage(out: &mut String, report: &Report, st: Style) {
    let incomplete: Vec<_> = report.incomplete_coverage().collect();
    let not_covered = report.not_covered_line();
    if incomplete.is_empty() && not_covered.is_none() {
        return;
    }
    let _ = writeln!(out, "{}", st.bold("Coverage:"));
    for e in incomplete.iter().take(COVERAGE_LINES) {
        let _ = writeln!(
            out,
            "  {} {}  {}",
            clean(&e.scope),
            clean(&e.collection),
            clean(&redact_line(&e.status.describe())),
        );
    }
    if incomplete.len() > COVERAGE_LINES {
        let _ = writeln!(out, "  … and {} more", incomplete.len() - COVERAGE_LINES);
    }
    if let Some(line) = not_covered {
        let _ = writeln!(out, "  not covered: {}", clean(&line));
    }
}

/// Replaces control characters (an ANSI escape in a scanned file or a message must not
/// drive the terminal) with `?`; tabs are kept.
fn clean(s: &str) -> String {
    if s.chars().any(|c| c.is_control() && c != '\t') {
        s.chars()
            .map(|c| if c.is_control() && c != '\t' { '?' } else { c })
            .collect()
    } else {
        s.to_string()
    }
}

/// The heading a result is grouped under.
fn group_of(o: &Origin) -> String {
    match o {
        Origin::File { path, .. } => path.to_string(),
        Origin::Aws {
            account, region, ..
        } => format!("AWS account {account} ({region})"),
        Origin::Cluster { context, .. } => format!("Kubernetes cluster {context}"),
        Origin::Scope { scope } => format!("Scope {scope}"),
    }
}

/// One finding: headline, resource and location, message, criteria, snippet.
fn finding(
    out: &mut String,
    report: &Report,
    r: &CheckResult,
    sources: &mut SourceFiles,
    st: Style,
) {
    let sev = report.severity_of(r.rule_id);
    let title = report.rule(r.rule_id).map(|x| x.meta.title).unwrap_or("");
    let message = match &r.outcome {
        Outcome::Fail { message } => clean(&redact_line(message)),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  {} {} {}",
        st.severity(sev),
        st.bold(r.rule_id),
        title
    );
    let at = origin_label(&r.location);
    if at == *r.resource {
        let _ = writeln!(out, "    {}", r.resource);
    } else {
        let _ = writeln!(out, "    {}  {}", r.resource, st.dim(&at));
    }
    let _ = writeln!(out, "    {message}");
    let criteria = report.criteria_of_result(r);
    if !criteria.is_empty() {
        let _ = writeln!(out, "    SOC 2: {}", criteria.join(", "));
    }
    if let Origin::File {
        path,
        line,
        col,
        end_line,
    } = &r.location
    {
        if let Some(sn) = sources.snippet_at(path, *line, *col, *end_line, MAX_SNIPPET_LINES) {
            let last = sn.end() + u32::from(sn.truncated);
            let w = last.to_string().len();
            for (i, l) in sn.lines.iter().enumerate() {
                let n = sn.start + i as u32;
                let _ = writeln!(out, "    {} {}", st.dim(&format!("{n:>w$} │")), clean(l));
            }
            if sn.truncated {
                let _ = writeln!(out, "    {} …", st.dim(&format!("{:>w$} │", "")));
            }
        }
    }
    out.push('\n');
}

/// `3 findings (1 critical, 1 high, 1 medium, 0 low), 1 suppressed, 2 passed, 2 not evaluated, 1 diagnostic`.
fn summary_line(report: &Report, st: Style) -> String {
    let c = Counts::of(report, |_| true);
    let by_sev = report.counts_by_severity();
    let sev: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| format!("{} {}", by_sev.get(s).copied().unwrap_or(0), s.as_str()))
        .collect();
    let headline = plural(c.failed, "finding", "findings");
    let headline = if c.failed > 0 {
        st.paint("1;31", &headline)
    } else {
        st.paint("1;32", &headline)
    };
    format!(
        "{headline} ({}), {} suppressed, {} passed, {} not evaluated, {}",
        sev.join(", "),
        c.suppressed,
        c.passed,
        c.not_evaluated,
        plural(report.diagnostics.len(), "diagnostic", "diagnostics"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(clean("a\x1b[31mb\tc\r"), "a?[31mb\tc?");
        assert_eq!(clean("plain"), "plain");
    }
}
