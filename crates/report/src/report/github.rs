//! GitHub Actions reporter: one workflow command per unsuppressed finding
//! (`::error file=…,line=…,endLine=…,title=…::message`), so a repository without code
//! scanning still sees findings on the pull request's diff.
//!
//! Critical and high findings are `error`, medium `warning`, low `notice`. GitHub shows
//! only the first annotations of each kind per step, so the most severe come first.
//! Values are escaped as the runner expects: `%`, `\r`, `\n` in the message, and also
//! `:` and `,` in properties. A last plain line summarises the counts.

use super::common::{criteria_suffix, plural, Counts};
use super::markdown::by_severity;
use super::redact::redact_line;
use super::Report;
use crate::finding::{CheckResult, Outcome, Severity};
use crate::model::Origin;

/// Renders `report` as workflow commands, one per line, and a summary line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for r in by_severity(report) {
        out.push_str(&command(report, r));
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// The workflow command of `severity`.
pub fn command_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// Escapes a command's message (`%`, `\r`, `\n`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (`%`, `\r`, `\n`, `:`, `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The position of a result: the file, and its lines when known (never a made-up line).
fn position(r: &CheckResult) -> Option<(&str, Option<(u32, u32)>)> {
    let lines = |o: &Origin| match o {
        Origin::File { line, end_line, .. } if *line >= 1 => Some((*line, (*end_line).max(*line))),
        _ => None,
    };
    match (&r.location, &r.resource_location) {
        (l @ Origin::File { path, .. }, res) => {
            let res_lines = match res {
                Origin::File { path: p, .. } if p == path => lines(res),
                _ => None,
            };
            Some((path, lines(l).or(res_lines)))
        }
        (_, res @ Origin::File { path, .. }) => Some((path, lines(res))),
        _ => None,
    }
}

fn command(report: &Report, r: &CheckResult) -> String {
    let severity = report.severity_of(r.rule_id);
    let title = report
        .rule(r.rule_id)
        .map(|x| format!("{} {} ({severity})", r.rule_id, x.meta.title))
        .unwrap_or_else(|| format!("{} ({severity})", r.rule_id));
    let mut props: Vec<String> = Vec::new();
    if let Some((file, lines)) = position(r) {
        props.push(format!("file={}", escape_property(file)));
        if let Some((line, end)) = lines {
            props.push(format!("line={line}"));
            props.push(format!("endLine={end}"));
        }
    }
    props.push(format!("title={}", escape_property(&title)));
    let message = match &r.outcome {
        Outcome::Fail { message } => redact_line(message),
        _ => String::new(),
    };
    let text = format!(
        "{}: {}{}",
        r.resource,
        message,
        criteria_suffix(&report.criteria_of_result(r))
    );
    format!(
        "::{} {}::{}",
        command_name(severity),
        props.join(","),
        escape_data(&redact_line(&text))
    )
}

fn summary_line(report: &Report) -> String {
    let c = Counts::of(report, |_| true);
    let mut s = format!(
        "soc2scan: {}, {} suppressed, {} not evaluated, {} passed",
        plural(c.failed, "finding", "findings"),
        c.suppressed,
        c.not_evaluated,
        c.passed
    );
    if let Some(b) = &report.baseline {
        s.push_str(&format!(
            "; baseline {}: {} known not reported, {} no longer found",
            b.file,
            plural(b.unchanged.len(), "finding", "findings"),
            plural(b.absent.len(), "entry", "entries"),
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50%\r\nx: a,b"), "50%25%0D%0Ax: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn levels() {
        assert_eq!(command_name(Severity::Critical), "error");
        assert_eq!(command_name(Severity::High), "error");
        assert_eq!(command_name(Severity::Medium), "warning");
        assert_eq!(command_name(Severity::Low), "notice");
    }
}
