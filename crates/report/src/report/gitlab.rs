//! GitLab code quality reporter (`artifacts:reports:codequality`): a JSON array of
//! issues that GitLab shows in the merge request widget and on the diff.
//!
//! Every unsuppressed finding located in a file is one issue with `description`,
//! `check_name` (the rule id), `fingerprint`, `severity` (low → `minor`, medium →
//! `major`, high → `critical`, critical → `blocker`) and `location.path` +
//! `location.lines.begin`; checks that could not be evaluated are `info` issues, so
//! they stay visible without counting as defects. Results without a file (live
//! resources) have no place in a diff and are left out.
//!
//! GitLab compares issues of two pipelines by fingerprint, so it is soc2scan's
//! line-independent fingerprint; when one fingerprint occurs twice in a report (the same
//! address in two root modules) the file path is hashed in to keep issues distinct.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::common::criteria_suffix;
use super::redact::redact_line;
use super::Report;
use crate::finding::{CheckResult, Outcome, Severity};
use crate::model::Origin;

/// GitLab's severity name for `severity`.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "minor",
        Severity::Medium => "major",
        Severity::High => "critical",
        Severity::Critical => "blocker",
    }
}

/// The path and first line of a result (the resource's line when the location has none).
fn place(r: &CheckResult) -> Option<(&str, u32)> {
    let line_of = |o: &Origin| o.line().filter(|l| *l >= 1);
    match (&r.location, &r.resource_location) {
        (l @ Origin::File { path, .. }, res) => {
            let fallback = match res {
                Origin::File { path: p, .. } if p == path => line_of(res),
                _ => None,
            };
            Some((path, line_of(l).or(fallback).unwrap_or(1)))
        }
        (_, res @ Origin::File { path, .. }) => Some((path, line_of(res).unwrap_or(1))),
        _ => None,
    }
}

/// Renders `report` as a GitLab code quality report (pretty JSON, final newline).
pub fn render(report: &Report) -> String {
    let issues: Vec<(&CheckResult, &str, &str, u32)> = report
        .results
        .iter()
        .filter(|r| r.suppression.is_none())
        .filter_map(|r| {
            let severity = match &r.outcome {
                Outcome::Fail { .. } => severity_name(report.severity_of(r.rule_id)),
                Outcome::NotEvaluated { .. } => "info",
                Outcome::Pass => return None,
            };
            let (path, line) = place(r)?;
            Some((r, severity, path, line))
        })
        .collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (r, ..) in &issues {
        *seen.entry(r.fingerprint.as_str()).or_default() += 1;
    }
    let out: Vec<Value> = issues
        .iter()
        .map(|(r, severity, path, line)| {
            let text = match &r.outcome {
                Outcome::Fail { message } => redact_line(message),
                Outcome::NotEvaluated { reason } => {
                    format!("not evaluated: {}", redact_line(reason))
                }
                Outcome::Pass => String::new(),
            };
            let title = report.rule(r.rule_id).map(|x| x.meta.title).unwrap_or("");
            let fingerprint = if seen.get(r.fingerprint.as_str()).copied().unwrap_or(0) > 1 {
                let mut h = Sha256::new();
                h.update(r.fingerprint.as_bytes());
                h.update([0]);
                h.update(path.as_bytes());
                h.finalize()[..16]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            } else {
                r.fingerprint.clone()
            };
            json!({
                "description": format!(
                    "{}: {} on {}: {}{}",
                    r.rule_id,
                    title,
                    r.resource,
                    text,
                    criteria_suffix(&report.criteria_of_result(r))
                ),
                "check_name": r.rule_id,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": { "path": path, "lines": { "begin": line } },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&Value::Array(out)).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities() {
        assert_eq!(severity_name(Severity::Low), "minor");
        assert_eq!(severity_name(Severity::Medium), "major");
        assert_eq!(severity_name(Severity::High), "critical");
        assert_eq!(severity_name(Severity::Critical), "blocker");
    }
}
