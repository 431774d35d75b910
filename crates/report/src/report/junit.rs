//! JUnit XML reporter, for CI systems that show test results (GitLab, Jenkins, Azure).
//!
//! One `<testsuite>` per rule that ran, one `<testcase>` per rule × resource: a
//! `<failure>` when the resource has an unsuppressed failing result (every message of
//! the resource listed), `<skipped>` when it could not be evaluated or its finding is
//! suppressed (the reason given), and a passing test case otherwise. Rules with no
//! resource in scope get an empty suite. Text is XML-escaped and characters XML 1.0
//! cannot carry are dropped.

use std::collections::BTreeMap;

use super::common::{criteria_suffix, origin_label};
use super::redact::redact_line;
use super::Report;
use crate::finding::{CheckResult, Outcome};

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// What one rule × resource test case concluded.
enum Verdict<'a> {
    Failed(Vec<&'a CheckResult>),
    Skipped(String),
    Passed,
}

fn verdict<'a>(results: &[&'a CheckResult]) -> Verdict<'a> {
    let failed: Vec<&CheckResult> = results
        .iter()
        .copied()
        .filter(|r| r.is_fail() && r.suppression.is_none())
        .collect();
    if !failed.is_empty() {
        return Verdict::Failed(failed);
    }
    let mut reasons: Vec<String> = Vec::new();
    for r in results {
        match (&r.outcome, &r.suppression) {
            (Outcome::NotEvaluated { reason }, _) => {
                reasons.push(format!("not evaluated: {}", redact_line(reason)))
            }
            (Outcome::Fail { .. }, Some(s)) => {
                reasons.push(format!("suppressed: {}", redact_line(&s.reason)))
            }
            _ => {}
        }
    }
    if reasons.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Skipped(reasons.join("; "))
    }
}

/// Renders `report` as a JUnit XML document.
pub fn render(report: &Report) -> String {
    // rule id → resource → results, in report order.
    let mut cases: BTreeMap<&str, BTreeMap<&str, Vec<&CheckResult>>> = BTreeMap::new();
    for r in &report.results {
        cases
            .entry(r.rule_id)
            .or_default()
            .entry(&r.resource)
            .or_default()
            .push(r);
    }
    let mut suites = String::new();
    let (mut total, mut total_failed, mut total_skipped) = (0, 0, 0);
    for rule in &report.rules {
        let id = rule.meta.id;
        let empty = BTreeMap::new();
        let resources = cases.get(id).unwrap_or(&empty);
        let mut body = String::new();
        let (mut failed, mut skipped) = (0, 0);
        for (resource, results) in resources {
            let first = results[0];
            let file = first
                .location
                .file()
                .or_else(|| first.resource_location.file());
            let line = first
                .resource_location
                .line()
                .filter(|l| *l >= 1)
                .or_else(|| first.location.line().filter(|l| *l >= 1));
            let mut attrs = format!(
                "name=\"{}\" classname=\"{}\" time=\"0\"",
                escape(resource),
                escape(&format!("soc2scan.{id}"))
            );
            if let Some(f) = file {
                attrs.push_str(&format!(" file=\"{}\"", escape(f)));
            }
            if let Some(l) = line {
                attrs.push_str(&format!(" line=\"{l}\""));
            }
            match verdict(results) {
                Verdict::Passed => body.push_str(&format!("    <testcase {attrs}/>\n")),
                Verdict::Skipped(reason) => {
                    skipped += 1;
                    body.push_str(&format!(
                        "    <testcase {attrs}>\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                        escape(&reason)
                    ));
                }
                Verdict::Failed(fails) => {
                    failed += 1;
                    let messages: Vec<String> = fails
                        .iter()
                        .map(|r| match &r.outcome {
                            Outcome::Fail { message } => redact_line(message),
                            _ => String::new(),
                        })
                        .collect();
                    let details: Vec<String> = fails
                        .iter()
                        .zip(&messages)
                        .map(|(r, m)| {
                            let attr = if r.attribute.is_empty() {
                                String::new()
                            } else {
                                format!(" [{}]", r.attribute)
                            };
                            format!("{}{attr}: {m}", origin_label(&r.location))
                        })
                        .collect();
                    // The rule's criteria and those the failures carry beyond them.
                    let mut criteria: Vec<String> = Vec::new();
                    for c in fails.iter().flat_map(|r| report.criteria_of_result(r)) {
                        if !criteria.contains(&c) {
                            criteria.push(c);
                        }
                    }
                    body.push_str(&format!(
                        "    <testcase {attrs}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                        escape(&format!(
                            "{}{}",
                            messages.join("; "),
                            criteria_suffix(&criteria)
                        )),
                        escape(rule.effective_severity.as_str()),
                        escape(&details.join("\n")),
                    ));
                }
            }
        }
        let tests = resources.len();
        total += tests;
        total_failed += failed;
        total_skipped += skipped;
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">\n",
            escape(&format!("{id} {}", rule.meta.title)),
        ));
        suites.push_str(&format!(
            "    <properties>\n      <property name=\"severity\" value=\"{}\"/>\n      <property name=\"criteria\" value=\"{}\"/>\n    </properties>\n",
            escape(rule.effective_severity.as_str()),
            escape(&rule.criteria.join(",")),
        ));
        suites.push_str(&body);
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"soc2scan\" tests=\"{total}\" failures=\"{total_failed}\" errors=\"0\" skipped=\"{total_skipped}\" time=\"0\">\n{suites}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_invalid_characters() {
        assert_eq!(
            escape("a<b>&\"c'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;"
        );
        assert_eq!(escape("module.m[\"k\"]"), "module.m[&quot;k&quot;]");
    }
}
