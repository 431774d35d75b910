//! Small helpers shared by the reporters (criteria of a result, counts, labels).

use crate::finding::{CheckResult, Outcome};
use crate::model::Origin;

use super::Report;

/// Outcome counts over every result of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Unsuppressed failing results.
    pub failed: usize,
    /// Suppressed failing results.
    pub suppressed: usize,
    /// Passing results.
    pub passed: usize,
    /// Not-evaluated results.
    pub not_evaluated: usize,
}

impl Counts {
    /// Counts the results of `report` for which `keep` holds.
    pub fn of(report: &Report, keep: impl Fn(&CheckResult) -> bool) -> Counts {
        let mut c = Counts::default();
        for r in report.results.iter().filter(|r| keep(r)) {
            match (&r.outcome, &r.suppression) {
                (Outcome::Fail { .. }, None) => c.failed += 1,
                (Outcome::Fail { .. }, Some(_)) => c.suppressed += 1,
                (Outcome::Pass, _) => c.passed += 1,
                (Outcome::NotEvaluated { .. }, _) => c.not_evaluated += 1,
            }
        }
        c
    }
}

/// ` (SOC 2: CC6.1, C1.1)`, or nothing when there are no criteria.
pub(crate) fn criteria_suffix(criteria: &[String]) -> String {
    if criteria.is_empty() {
        String::new()
    } else {
        format!(" (SOC 2: {})", criteria.join(", "))
    }
}

/// Where a result is, for people: `path:line`, the ARN, or the cluster object.
pub(crate) fn origin_label(origin: &Origin) -> String {
    match origin {
        Origin::File { path, line, .. } => format!("{path}:{line}"),
        Origin::Aws { arn, .. } => arn.to_string(),
        Origin::Scope { scope } => scope.to_string(),
        Origin::Cluster {
            context,
            kind,
            namespace,
            name,
        } => match namespace {
            Some(ns) => format!("{context}: {kind} {ns}/{name}"),
            None => format!("{context}: {kind} {name}"),
        },
    }
}

/// The first prose paragraph of a rule's Markdown documentation (headings skipped).
pub(crate) fn first_paragraph(doc: &str) -> Option<String> {
    let mut para: Vec<&str> = Vec::new();
    for line in doc.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with("```") {
            if !para.is_empty() {
                break;
            }
            continue;
        }
        para.push(t);
    }
    (!para.is_empty()).then(|| para.join(" "))
}

/// `s3-bucket-encryption` → `S3BucketEncryption`.
pub(crate) fn camel_case(slug: &str) -> String {
    slug.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `1 finding` / `2 findings`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The coverage table of the Markdown reports: one row per scope, with the collections
/// read completely (and how many resources) and those not read, denied or failed (and
/// why); then the resources no rule reads. `cell` escapes a table cell. Empty when the
/// report has no coverage rows and nothing unmodelled.
pub(crate) fn coverage_markdown(
    report: &Report,
    heading: &str,
    cell: fn(&str) -> String,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let not_covered = report.not_covered_line();
    if report.coverage.is_empty() && not_covered.is_none() {
        return out;
    }
    let _ = writeln!(out, "\n{heading}\n");
    if !report.coverage.is_empty() {
        out.push_str("| scope | read (resources) | not read, denied or failed |\n|---|---|---|\n");
        let mut rows: Vec<(&str, Vec<String>, Vec<String>)> = Vec::new();
        for e in &report.coverage {
            if rows.last().is_none_or(|(s, _, _)| *s != &*e.scope) {
                rows.push((&e.scope, Vec::new(), Vec::new()));
            }
            if let Some((_, read, other)) = rows.last_mut() {
                match &e.status {
                    soc2scan_core::coverage::Status::Read { count } => {
                        read.push(format!("{} ({count})", e.collection))
                    }
                    s => other.push(format!(
                        "{}: {}",
                        e.collection,
                        super::redact::redact_line(&s.describe())
                    )),
                }
            }
        }
        for (scope, read, other) in rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(scope),
                cell(&read.join(", ")),
                cell(&other.join("; ")),
            );
        }
    }
    if let Some(line) = not_covered {
        let _ = writeln!(
            out,
            "{}Not covered (no rule reads these resources): {}",
            if report.coverage.is_empty() { "" } else { "\n" },
            cell(&line)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(camel_case("s3-bucket-encryption"), "S3BucketEncryption");
        assert_eq!(
            first_paragraph("## What it does\nChecks a\nthing.\n\nMore.").as_deref(),
            Some("Checks a thing.")
        );
        assert_eq!(first_paragraph("## Only a heading\n"), None);
        assert_eq!(
            criteria_suffix(&["CC6.1".into(), "C1.1".into()]),
            " (SOC 2: CC6.1, C1.1)"
        );
        assert_eq!(criteria_suffix(&[]), "");
        assert_eq!(plural(1, "finding", "findings"), "1 finding");
    }
}
