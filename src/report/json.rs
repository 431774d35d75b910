//! JSON reporter: a documented, versioned schema for scripts and dashboards
//! (`docs/json-schema.md`, `"schema_version": "1"`).
//!
//! The schema is written out field by field here rather than derived from the internal
//! types, so refactoring the model cannot change it silently. Passes are counted per
//! rule (`rules[].results.passed`) and per criterion, not listed. Messages and reasons
//! are passed through [`redact_line`]; no source text is copied.
//! Output is deterministic: keys in schema order, arrays in report order.

use serde_json::{json, Map, Value};

use super::common::{criteria_of, Counts};
use super::redact::redact_line;
use super::Report;
use crate::diagnostic::DiagLevel;
use crate::finding::{CheckResult, Outcome, Severity};
use crate::model::Origin;

/// Version of the JSON schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: &str = "1";

/// Renders `report` as pretty-printed JSON (with a final newline).
pub fn render(report: &Report) -> String {
    // Serialising a `Value` cannot fail.
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_default();
    s.push('\n');
    s
}

/// Builds the JSON document of `report` (see `docs/json-schema.md`).
pub fn to_value(report: &Report) -> Value {
    let all = Counts::of(report, |_| true);
    let by_sev = report.counts_by_severity();
    let mut sev = Map::new();
    for s in Severity::ALL.iter().rev() {
        sev.insert(
            s.as_str().to_string(),
            json!(by_sev.get(s).copied().unwrap_or(0)),
        );
    }
    let diag_count = |l: DiagLevel| report.diagnostics.iter().filter(|d| d.level == l).count();

    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            let c = Counts::of(report, |x| x.rule_id == r.meta.id);
            json!({
                "id": r.meta.id,
                "slug": r.meta.slug,
                "title": r.meta.title,
                "severity": r.effective_severity.as_str(),
                "default_severity": r.meta.severity.as_str(),
                "family": r.meta.family.slug(),
                "criteria": r.criteria,
                "rationale": r.rationale,
                "results": counts_json(c),
            })
        })
        .collect();

    let findings: Vec<Value> = report
        .findings()
        .map(|r| {
            let message = match &r.outcome {
                Outcome::Fail { message } => redact_line(message),
                _ => String::new(),
            };
            let mut v = result_json(report, r);
            insert_after(&mut v, "severity", "message", json!(message));
            let suppression = r.suppression.as_ref().map(|s| {
                json!({
                    "reason": redact_line(&s.reason),
                    "until": s.until,
                    "location": s.location,
                    "kind": s.kind.as_str(),
                })
            });
            if let Value::Object(m) = &mut v {
                m.insert("suppressed".into(), json!(suppression.is_some()));
                m.insert("suppression".into(), suppression.unwrap_or(Value::Null));
            }
            v
        })
        .collect();

    let not_evaluated: Vec<Value> = report
        .not_evaluated()
        .map(|r| {
            let reason = match &r.outcome {
                Outcome::NotEvaluated { reason } => redact_line(reason),
                _ => String::new(),
            };
            let mut v = result_json(report, r);
            insert_after(&mut v, "severity", "reason", json!(reason));
            v
        })
        .collect();

    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "level": level_str(d.level),
                "kind": d.kind.id(),
                "message": redact_line(&d.message),
                "file": d.file.as_ref().map(|f| f.as_str()),
                "line": d.line,
                "column": d.column,
            })
        })
        .collect();

    let criteria: Vec<Value> = report
        .criteria_summary()
        .into_iter()
        .map(|c| {
            json!({
                "id": c.id,
                "title": c.title,
                "automatable": automatable_str(c.automatable),
                "status": status_str(c.status),
                "rules": c.rules,
                "failed": c.failed,
                "suppressed": c.suppressed,
                "passed": c.passed,
                "not_evaluated": c.not_evaluated,
            })
        })
        .collect();

    json!({
        "schema_version": SCHEMA_VERSION,
        "tool": { "name": "soc2scan", "version": report.tool_version },
        "inputs": report.inputs,
        "evidence": evidence_json(report),
        "summary": {
            "files": report.stats.files,
            "resources": report.stats.resources,
            "rules": report.rules.len(),
            "findings": Value::Object(sev),
            "failed": all.failed,
            "suppressed": all.suppressed,
            "passed": all.passed,
            "not_evaluated": all.not_evaluated,
            "diagnostics": {
                "error": diag_count(DiagLevel::Error),
                "warning": diag_count(DiagLevel::Warning),
                "note": diag_count(DiagLevel::Note),
            },
            "baseline": report.baseline.as_ref().map(|b| json!({
                "file": b.file,
                "unchanged": b.unchanged.len(),
                "absent": b.absent.len(),
            })),
        },
        "rules": rules,
        "findings": findings,
        "not_evaluated": not_evaluated,
        "diagnostics": diagnostics,
        "criteria": criteria,
    })
}

/// The evidence of the scan without the scan time (which would make two runs over the
/// same input differ; the control report carries it).
fn evidence_json(report: &Report) -> Value {
    let ev = &report.evidence;
    json!({
        "ruleset_hash": ev.ruleset_hash,
        "git": ev.git.as_ref().map(|g| json!({ "commit": g.commit, "dirty": g.dirty })),
        "policy": ev.policy.as_ref().map(|p| json!({ "path": p.path, "sha256": p.sha256 })),
    })
}

fn counts_json(c: Counts) -> Value {
    json!({
        "failed": c.failed,
        "suppressed": c.suppressed,
        "passed": c.passed,
        "not_evaluated": c.not_evaluated,
    })
}

/// The fields findings and not-evaluated records share.
fn result_json(report: &Report, r: &CheckResult) -> Value {
    let rule = report.rule(r.rule_id);
    json!({
        "rule_id": r.rule_id,
        "title": rule.map(|x| x.meta.title),
        "severity": report.severity_of(r.rule_id).as_str(),
        "criteria": criteria_of(report, r.rule_id),
        "resource": r.resource.as_ref(),
        "resource_type": r.resource_type.as_ref(),
        "attribute": r.attribute.as_ref(),
        "location": origin_json(&r.location),
        "resource_location": origin_json(&r.resource_location),
        "fingerprint": r.fingerprint,
    })
}

/// Inserts `key` right after `after` (key order is part of the readable schema).
fn insert_after(v: &mut Value, after: &str, key: &str, value: Value) {
    if let Value::Object(m) = v {
        let old = std::mem::take(m);
        for (k, val) in old {
            let hit = k == after;
            m.insert(k, val);
            if hit {
                m.insert(key.to_string(), value.clone());
            }
        }
        if !m.contains_key(key) {
            m.insert(key.to_string(), value);
        }
    }
}

/// An origin in the schema's own shape (`source`: `file` | `aws` | `cluster`).
fn origin_json(o: &Origin) -> Value {
    match o {
        Origin::File {
            path,
            line,
            col,
            end_line,
        } => json!({
            "source": "file",
            "path": path.as_ref(),
            "line": line,
            "column": col,
            "end_line": end_line,
        }),
        Origin::Aws {
            arn,
            region,
            account,
        } => json!({
            "source": "aws",
            "arn": arn.as_ref(),
            "region": region.as_ref(),
            "account": account.as_ref(),
        }),
        Origin::Cluster {
            context,
            kind,
            namespace,
            name,
        } => json!({
            "source": "cluster",
            "context": context.as_ref(),
            "kind": kind.as_ref(),
            "namespace": namespace.as_deref(),
            "name": name.as_ref(),
        }),
    }
}

fn level_str(l: DiagLevel) -> &'static str {
    match l {
        DiagLevel::Error => "error",
        DiagLevel::Warning => "warning",
        DiagLevel::Note => "note",
    }
}

fn automatable_str(a: crate::controls::Automatable) -> &'static str {
    match a {
        crate::controls::Automatable::Yes => "yes",
        crate::controls::Automatable::Partly => "partly",
        crate::controls::Automatable::No => "no",
    }
}

fn status_str(s: super::ControlStatus) -> &'static str {
    match s {
        super::ControlStatus::Failed => "failed",
        super::ControlStatus::NotEvaluated => "not-evaluated",
        super::ControlStatus::Passed => "passed",
        super::ControlStatus::Manual => "manual",
    }
}
