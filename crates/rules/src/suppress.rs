//! Inline suppressions: `# soc2scan:ignore AWS-S3-001 reason="…" until=2027-03-31
//! accepted_by="…"` on the offending attribute's line, on the resource's first line, or
//! on the line just above either. A reason is required; who accepted the exception is
//! optional; an expired suppression stops suppressing and is reported.

use std::collections::BTreeMap;

use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::finding::{CheckResult, Suppression};

/// The marker that starts a suppression comment.
pub const MARKER: &str = "soc2scan:ignore";

/// One suppression comment as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Rule ids it names (upper-case).
    pub rules: Vec<String>,
    /// Justification; `None` when missing (the directive is then not honoured).
    pub reason: Option<String>,
    /// Expiry date `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Who accepted the exception (`accepted_by="…"`), when given.
    pub accepted_by: Option<String>,
    /// Line of the comment (1-based).
    pub line: u32,
    /// Line the directive applies to: its own (trailing comment) or the next code line.
    pub target: u32,
}

/// Finds the suppression directives in a file's text, with parse problems as messages.
pub fn parse_directives(text: &str) -> (Vec<Directive>, Vec<(u32, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..at];
        let comment_start = ["#", "//", "/*"]
            .iter()
            .filter_map(|m| before.find(m))
            .min();
        let Some(cs) = comment_start else { continue };
        let lineno = (i + 1) as u32;
        let is_trailing = !before[..cs].trim().is_empty();
        let target = if is_trailing {
            lineno
        } else {
            // The next line that is not blank and not only a comment.
            lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, l)| {
                    let t = l.trim_start();
                    !(t.is_empty() || t.starts_with('#') || t.starts_with("//"))
                })
                .map(|(j, _)| (j + 1) as u32)
                .unwrap_or(lineno)
        };
        match parse_args(line[at + MARKER.len()..].trim_end_matches("*/")) {
            Ok(Args {
                rules,
                reason,
                until,
                accepted_by,
            }) => out.push(Directive {
                rules,
                reason,
                until,
                accepted_by,
                line: lineno,
                target,
            }),
            Err(msg) => problems.push((lineno, msg)),
        }
    }
    (out, problems)
}

/// The arguments of one directive.
struct Args {
    rules: Vec<String>,
    reason: Option<String>,
    until: Option<String>,
    accepted_by: Option<String>,
}

fn parse_args(s: &str) -> Result<Args, String> {
    let mut rules = Vec::new();
    let mut reason = None;
    let mut until = None;
    let mut accepted_by = None;
    let mut rest = s.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("reason=") {
            let (val, tail) = quoted(r, "reason")?;
            reason = Some(val);
            rest = tail.trim_start();
        } else if let Some(r) = rest.strip_prefix("accepted_by=") {
            let (val, tail) = quoted(r, "accepted_by")?;
            accepted_by = Some(val);
            rest = tail.trim_start();
        } else if let Some(u) = rest.strip_prefix("until=") {
            let end = u.find(char::is_whitespace).unwrap_or(u.len());
            let date = u[..end].trim_matches('"').to_string();
            if !is_date(&date) {
                return Err(format!("until={date} is not a date (YYYY-MM-DD)"));
            }
            until = Some(date);
            rest = u[end..].trim_start();
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == ',')
                .unwrap_or(rest.len());
            let id = &rest[..end];
            if !id.is_empty() {
                rules.push(id.to_ascii_uppercase());
            }
            rest = rest[end..].trim_start_matches(',').trim_start();
        }
    }
    if rules.is_empty() {
        return Err("names no rule id".into());
    }
    let nonempty = |v: Option<String>| v.filter(|r| !r.trim().is_empty());
    Ok(Args {
        rules,
        reason: nonempty(reason),
        until,
        accepted_by: nonempty(accepted_by),
    })
}

fn quoted<'a>(s: &'a str, key: &str) -> Result<(String, &'a str), String> {
    if let Some(body) = s.strip_prefix('"') {
        match body.find('"') {
            Some(end) => Ok((body[..end].to_string(), &body[end + 1..])),
            None => Err(format!("{key}=\" is not closed")),
        }
    } else {
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        Ok((s[..end].to_string(), &s[end..]))
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

pub use crate::time::civil_from_days;

/// Applies the inline suppressions of the files that have failing results: marks the
/// matching results as suppressed and reports malformed, reason-less and expired
/// suppressions as diagnostics. `today` is `YYYY-MM-DD`.
pub fn apply(results: &mut [CheckResult], diagnostics: &mut Vec<Diagnostic>, today: &str) {
    let mut by_file: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if r.is_fail() {
            if let Some(f) = r.location.file() {
                by_file.entry(f.to_string()).or_default().push(i);
            }
        }
    }
    for (file, idxs) in by_file {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if !text.contains(MARKER) {
            continue;
        }
        let (directives, problems) = parse_directives(&text);
        for (line, msg) in problems {
            diagnostics.push(Diagnostic::at(
                DiagKind::Suppression,
                DiagLevel::Warning,
                file.as_str(),
                Some(line),
                None,
                format!("suppression ignored: {msg}"),
            ));
        }
        let mut reported = std::collections::BTreeSet::new();
        for &i in &idxs {
            let r = &results[i];
            let lines = [r.location.line(), r.resource_location.line()];
            let hit = directives.iter().find(|d| {
                d.rules.iter().any(|id| id == r.rule_id)
                    && lines.iter().flatten().any(|l| *l == d.target)
            });
            let Some(d) = hit else { continue };
            let problem = match (&d.reason, &d.until) {
                (None, _) => Some(format!(
                    "suppression of {} has no reason=\"…\"; the finding is reported",
                    r.rule_id
                )),
                (Some(_), Some(until)) if until.as_str() < today => Some(format!(
                    "suppression of {} expired on {until}; the finding is reported",
                    r.rule_id
                )),
                _ => None,
            };
            if let Some(msg) = problem {
                if reported.insert((d.line, r.rule_id)) {
                    diagnostics.push(Diagnostic::at(
                        DiagKind::Suppression,
                        DiagLevel::Warning,
                        file.as_str(),
                        Some(d.line),
                        None,
                        msg,
                    ));
                }
                continue;
            }
            results[i].suppression = Some(Suppression {
                reason: d.reason.clone().unwrap_or_default(),
                until: d.until.clone(),
                accepted_by: d.accepted_by.clone(),
                location: format!("{file}:{}", d.line),
                kind: crate::finding::SuppressionKind::InSource,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_trailing_and_leading_directives() {
        let text = "resource \"a\" \"b\" { # soc2scan:ignore AWS-S3-001 reason=\"logs only\" until=2027-03-31\n\
                    # soc2scan:ignore aws-s3-002,AWS-S3-003 reason=\"x y\"\n\
                    \n  acl = \"private\"\n}\n";
        let (d, p) = parse_directives(text);
        assert!(p.is_empty());
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].rules, vec!["AWS-S3-001"]);
        assert_eq!(d[0].reason.as_deref(), Some("logs only"));
        assert_eq!(d[0].until.as_deref(), Some("2027-03-31"));
        assert_eq!(d[0].target, 1);
        assert_eq!(d[1].rules, vec!["AWS-S3-002", "AWS-S3-003"]);
        assert_eq!(d[1].target, 4);
    }

    #[test]
    fn rejects_bad_dates_and_missing_ids() {
        let (d, p) = parse_directives(
            "# soc2scan:ignore AWS-S3-001 reason=\"logs\" accepted_by=\"CISO, R-12\" until=2027-01-01\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(d[0].accepted_by.as_deref(), Some("CISO, R-12"));
        assert_eq!(d[0].reason.as_deref(), Some("logs"));
        assert_eq!(d[0].until.as_deref(), Some("2027-01-01"));
        let (_, p) =
            parse_directives("# soc2scan:ignore AWS-S3-001 reason=\"r\" accepted_by=\"x\n");
        assert_eq!(p[0].1, "accepted_by=\" is not closed");
        let (_, p) = parse_directives("# soc2scan:ignore AWS-S3-001 reason=\"r\" until=soon\n");
        assert_eq!(p.len(), 1);
        let (_, p) = parse_directives("# soc2scan:ignore reason=\"r\"\n");
        assert_eq!(p.len(), 1);
        let (d, _) = parse_directives("# soc2scan:ignore AWS-S3-001\n");
        assert_eq!(d[0].reason, None);
    }

    #[test]
    fn marker_outside_comment_is_not_a_directive() {
        let (d, _) = parse_directives("name = \"soc2scan:ignore AWS-S3-001\"\n");
        assert!(d.is_empty());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(20_780), "2026-11-23");
        assert_eq!(civil_from_days(11_016), "2000-02-29");
    }
}
