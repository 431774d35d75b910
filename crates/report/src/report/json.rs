//! JSON reporter: a documented, versioned schema for scripts and dashboards
//! (`docs/json-schema.md`, `"schema_version": "1"`), and its reader.
//!
//! The schema is written out field by field here rather than derived from the internal
//! types, so refactoring the model cannot change it silently. Passes are counted per
//! rule (`rules[].results.passed`) and per criterion, and listed in `passed`. Messages
//! and reasons are passed through [`redact_line`]; no source text is copied.
//! Output is deterministic: keys in schema order, arrays in report order.
//!
//! The document is lossless except for the scan time (left out so that the same input
//! gives the same bytes) and unredacted messages: [`parse`] rebuilds the [`Report`]
//! from it (every result with all its fields, the rules as they ran with their
//! effective severities, diagnostics, inputs, counts, evidence and the baseline
//! outcome), which is what `soc2scan merge` combines. Redaction is idempotent, so a
//! rebuilt report renders the same redacted text as the original.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};

use super::common::Counts;
use super::redact::redact_line;
use super::{Report, RuleInfo, ScanStats};
use crate::baseline::{BaselineOutcome, Entry};
use crate::diagnostic::{DiagLevel, Diagnostic};
use crate::evidence::Evidence;
use crate::finding::{CheckResult, Outcome, Severity, Suppression};
use crate::model::Origin;
use crate::rules::RuleMeta;
use soc2scan_core::coverage::{Entry as CoverageEntry, Status as CoverageStatus, Unmodelled};

/// Version of the JSON schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: &str = "1";

/// Renders `report` as pretty-printed JSON (with a final newline). The large arrays
/// (findings, not evaluated, passed) are written one element at a time, so a scan of
/// tens of thousands of results never holds its whole document as a tree.
pub fn render(report: &Report) -> String {
    // Serialising values and strings into a `String` cannot fail.
    let mut s = serde_json::to_string_pretty(&document(report)).unwrap_or_default();
    s.push('\n');
    s
}

/// Builds the JSON document of `report` (see `docs/json-schema.md`).
pub fn to_value(report: &Report) -> Value {
    serde_json::to_value(document(report)).unwrap_or_default()
}

/// One member of the top-level object: a value, or an array built element by element
/// while it is written.
enum Part<'a> {
    Value(Value),
    Array(Box<dyn Fn() -> Box<dyn Iterator<Item = Value> + 'a> + 'a>),
}

impl Serialize for Part<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Part::Value(v) => v.serialize(s),
            Part::Array(items) => s.collect_seq(items()),
        }
    }
}

/// The top-level object, its members in schema order.
struct Document<'a>(Vec<(&'static str, Part<'a>)>);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

fn document(report: &Report) -> Document<'_> {
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
                "level": r.level.as_str(),
                "criteria": r.criteria,
                "rationale": r.rationale,
                "results": counts_json(c),
            })
        })
        .collect();

    let findings = Part::Array(Box::new(move || {
        Box::new(report.findings().map(move |r| finding_json(report, r)))
    }));

    let not_evaluated = Part::Array(Box::new(move || {
        Box::new(report.not_evaluated().map(move |r| {
            let reason = match &r.outcome {
                Outcome::NotEvaluated { reason } => redact_line(reason),
                _ => String::new(),
            };
            let mut v = result_json(report, r);
            insert_after(&mut v, "severity", "reason", json!(reason));
            v
        }))
    }));

    let passed = Part::Array(Box::new(move || {
        Box::new(report.passes().map(move |r| result_json(report, r)))
    }));

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

    Document(vec![
        ("schema_version", Part::Value(json!(SCHEMA_VERSION))),
        (
            "tool",
            Part::Value(json!({ "name": "soc2scan", "version": report.tool_version })),
        ),
        ("inputs", Part::Value(json!(report.inputs))),
        ("evidence", Part::Value(json!(evidence_json(report)))),
        (
            "summary",
            Part::Value(json!({
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
            })),
        ),
        ("rules", Part::Value(Value::Array(rules))),
        ("findings", findings),
        ("not_evaluated", not_evaluated),
        ("passed", passed),
        ("diagnostics", Part::Value(Value::Array(diagnostics))),
        ("criteria", Part::Value(Value::Array(criteria))),
        (
            "coverage",
            Part::Value(Value::Array(
                report.coverage.iter().map(coverage_json).collect(),
            )),
        ),
        (
            "not_covered",
            Part::Value(Value::Object(
                report
                    .unmodelled
                    .types
                    .iter()
                    .map(|(t, n)| (t.clone(), json!(n)))
                    .collect::<Map<String, Value>>(),
            )),
        ),
        (
            "baseline",
            Part::Value(
                report
                    .baseline
                    .as_ref()
                    .map(|b| {
                        json!({
                            "file": b.file,
                            "unchanged": b.unchanged.iter().map(|r| finding_json(report, r)).collect::<Vec<_>>(),
                            "absent": b.absent.iter().map(|e| json!({
                                "fingerprint": e.fingerprint,
                                "rule_id": e.rule_id,
                                "resource": e.resource,
                                "file": e.file,
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .unwrap_or(Value::Null),
            ),
        ),
    ])
}

/// One row of the coverage table: `scope`, `collection`, `status` (`read`,
/// `not_read`, `denied`, `failed`, `disabled`), then `count` (read) or `call` and
/// `reason`.
fn coverage_json(e: &CoverageEntry) -> Value {
    let mut v = json!({
        "scope": &*e.scope,
        "collection": e.collection,
    });
    if let Value::Object(m) = &mut v {
        match &e.status {
            CoverageStatus::Read { count } => {
                m.insert("status".into(), json!("read"));
                m.insert("count".into(), json!(count));
            }
            CoverageStatus::NotRead { reason } => {
                m.insert("status".into(), json!("not_read"));
                m.insert("reason".into(), json!(redact_line(reason)));
            }
            CoverageStatus::Denied { call, reason } => {
                m.insert("status".into(), json!("denied"));
                m.insert("call".into(), json!(call));
                m.insert("reason".into(), json!(redact_line(reason)));
            }
            CoverageStatus::Failed { call, reason } => {
                m.insert("status".into(), json!("failed"));
                m.insert("call".into(), json!(call));
                m.insert("reason".into(), json!(redact_line(reason)));
            }
            CoverageStatus::Disabled { reason } => {
                m.insert("status".into(), json!("disabled"));
                m.insert("reason".into(), json!(redact_line(reason)));
            }
        }
    }
    v
}

/// A failing result (suppressed or not): the shared fields, its message and suppression.
fn finding_json(report: &Report, r: &CheckResult) -> Value {
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
            "accepted_by": s.accepted_by.as_deref().map(redact_line),
            "location": s.location,
            "kind": s.kind.as_str(),
        })
    });
    if let Value::Object(m) = &mut v {
        m.insert("suppressed".into(), json!(suppression.is_some()));
        m.insert("suppression".into(), suppression.unwrap_or(Value::Null));
    }
    v
}

/// The evidence of the scan without the scan time (which would make two runs over the
/// same input differ; the control report carries it).
fn evidence_json(report: &Report) -> Value {
    let ev = &report.evidence;
    json!({
        "ruleset_hash": ev.ruleset_hash,
        "level": ev.level.as_str(),
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
        "criteria": report.criteria_of_result(r),
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

/// An origin in the schema's own shape (`source`: `file` | `aws` | `cluster` |
/// `scope`).
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
        Origin::Scope { scope } => json!({
            "source": "scope",
            "scope": scope.as_ref(),
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

/// Why a JSON document cannot be read back as a report ([`parse`]). Every variant
/// that comes from the JSON parser says the line and column.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The text is not JSON.
    #[error("not valid JSON: {0}")]
    Syntax(serde_json::Error),
    /// The JSON ends early (a truncated file).
    #[error("truncated JSON: {0}")]
    Truncated(serde_json::Error),
    /// Valid JSON, but not a soc2scan report of this version and schema.
    #[error("invalid report: {0}")]
    Content(serde_json::Error),
    /// A record lacks what its kind needs (a finding without a message, …).
    #[error("{0}")]
    Invalid(String),
}

/// Rebuilds the [`Report`] a JSON document was rendered from (see the module
/// documentation). The document must come from this version of soc2scan (same
/// `tool.version`, `schema_version` [`SCHEMA_VERSION`]) and name only rules of its
/// registry. The scan time, which the document does not carry, is `None`; messages and
/// reasons are the redacted ones; results are sorted as a scan sorts them.
pub fn parse(text: &str) -> Result<Report, ParseError> {
    let doc: Doc = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Eof => ParseError::Truncated(e),
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
            ParseError::Syntax(e)
        }
        serde_json::error::Category::Data => ParseError::Content(e),
    })?;
    let rules: Vec<RuleInfo> = doc
        .rules
        .into_iter()
        .map(|r| RuleInfo {
            meta: r.id.0,
            effective_severity: r.severity,
            criteria: r.criteria,
            rationale: r.rationale,
            level: r.level,
        })
        .collect();
    let mut results = Vec::with_capacity(doc.findings.len() + doc.passed.len());
    for (i, f) in doc.findings.into_iter().enumerate() {
        results.push(f.into_finding(&format!("findings[{i}]"))?);
    }
    for (i, f) in doc.not_evaluated.into_iter().enumerate() {
        let reason = f
            .reason
            .clone()
            .ok_or_else(|| ParseError::Invalid(format!("not_evaluated[{i}] has no reason")))?;
        results.push(f.into_result(Outcome::NotEvaluated { reason }));
    }
    results.extend(doc.passed.into_iter().map(|f| f.into_result(Outcome::Pass)));
    own_criteria(&mut results, &rules);
    crate::finding::sort_results(&mut results);
    let baseline = match doc.baseline {
        Some(b) => {
            let mut unchanged = Vec::with_capacity(b.unchanged.len());
            for (i, f) in b.unchanged.into_iter().enumerate() {
                unchanged.push(f.into_finding(&format!("baseline.unchanged[{i}]"))?);
            }
            own_criteria(&mut unchanged, &rules);
            Some(BaselineOutcome {
                file: b.file,
                unchanged,
                absent: b.absent,
            })
        }
        None => None,
    };
    let criteria = crate::controls::Controls::embedded()
        .map(|c| c.criteria)
        .map_err(|e| ParseError::Invalid(format!("the SOC 2 catalog: {e}")))?;
    Ok(Report {
        tool_version: env!("CARGO_PKG_VERSION"),
        inputs: doc.inputs,
        rules,
        results,
        diagnostics: doc.diagnostics,
        criteria,
        stats: ScanStats {
            files: doc.summary.files,
            resources: doc.summary.resources,
        },
        evidence: doc.evidence,
        baseline,
        coverage: doc.coverage,
        unmodelled: Unmodelled {
            types: doc.not_covered,
        },
    })
}

/// The parts of the document [`parse`] reads, in document order (checks of
/// `schema_version` and `tool` come first, so a report of another version is named as
/// such before its rules are looked up). Counts are recomputed, not read.
#[derive(Deserialize)]
struct Doc {
    #[allow(dead_code)]
    schema_version: SchemaVersion,
    #[allow(dead_code)]
    tool: Tool,
    inputs: Vec<String>,
    evidence: Evidence,
    summary: SummaryDoc,
    rules: Vec<RuleDoc>,
    findings: Vec<ResultDoc>,
    not_evaluated: Vec<ResultDoc>,
    passed: Vec<ResultDoc>,
    diagnostics: Vec<Diagnostic>,
    #[serde(default)]
    coverage: Vec<CoverageEntry>,
    #[serde(default)]
    not_covered: std::collections::BTreeMap<String, usize>,
    #[serde(default)]
    baseline: Option<BaselineDoc>,
}

/// `schema_version`, which must be [`SCHEMA_VERSION`].
struct SchemaVersion;

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = String::deserialize(d)?;
        if v == SCHEMA_VERSION {
            Ok(SchemaVersion)
        } else {
            Err(serde::de::Error::custom(format!(
                "schema_version {v:?}, this soc2scan reads {SCHEMA_VERSION:?}"
            )))
        }
    }
}

/// `tool`: soc2scan, of exactly this version (rules, severities and mapping are those
/// of the version that ran).
struct Tool;

impl<'de> Deserialize<'de> for Tool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            name: String,
            version: String,
        }
        let raw = Raw::deserialize(d)?;
        let this = env!("CARGO_PKG_VERSION");
        if raw.name != "soc2scan" {
            return Err(serde::de::Error::custom(format!(
                "written by {:?}, not soc2scan",
                raw.name
            )));
        }
        if raw.version != this {
            return Err(serde::de::Error::custom(format!(
                "written by soc2scan {}, this is soc2scan {this}: read it with the version that wrote it",
                raw.version
            )));
        }
        Ok(Tool)
    }
}

/// A rule id, mapped back to the rule of the registry.
struct RuleRef(&'static RuleMeta);

impl<'de> Deserialize<'de> for RuleRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        crate::rules::meta_of(&id).map(RuleRef).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown rule id {id:?} (not a rule of soc2scan {})",
                env!("CARGO_PKG_VERSION")
            ))
        })
    }
}

#[derive(Deserialize)]
struct SummaryDoc {
    files: usize,
    resources: usize,
}

/// Keeps of each result's criteria (as read) only those beyond its rule's mapping.
fn own_criteria(results: &mut [CheckResult], rules: &[RuleInfo]) {
    for r in results {
        let mapped = rules
            .iter()
            .find(|x| x.meta.id == r.rule_id)
            .map(|x| x.criteria.as_slice())
            .unwrap_or(&[]);
        r.extra_criteria.retain(|c| !mapped.contains(c));
    }
}

/// A rule of `rules`; a custom policy's (`CUSTOM-…`) is declared from the document,
/// so that its results can be read (see [`crate::rules::register_custom`]).
#[derive(Deserialize)]
#[serde(try_from = "RawRuleDoc")]
struct RuleDoc {
    id: RuleRef,
    severity: Severity,
    #[serde(default)]
    level: crate::level::Level,
    criteria: Vec<String>,
    rationale: String,
}

#[derive(Deserialize)]
struct RawRuleDoc {
    id: String,
    severity: Severity,
    #[serde(default)]
    level: crate::level::Level,
    criteria: Vec<String>,
    rationale: String,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    default_severity: Option<Severity>,
}

impl TryFrom<RawRuleDoc> for RuleDoc {
    type Error = String;

    fn try_from(raw: RawRuleDoc) -> Result<Self, String> {
        let meta = match crate::rules::meta_of(&raw.id) {
            Some(m) => m,
            None if raw.id.starts_with("CUSTOM-") => {
                let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
                let family = crate::rules::Family::ALL
                    .into_iter()
                    .find(|f| Some(f.slug()) == raw.family.as_deref())
                    .ok_or_else(|| format!("custom rule {}: unknown family", raw.id))?;
                let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
                    id: leak(raw.id.clone()),
                    slug: leak(raw.slug.clone().unwrap_or_else(|| raw.id.to_lowercase())),
                    title: leak(raw.title.clone().unwrap_or_else(|| raw.id.clone())),
                    severity: raw.default_severity.unwrap_or(raw.severity),
                    family,
                    doc: "",
                }));
                crate::rules::register_custom(meta);
                meta
            }
            None => {
                return Err(format!(
                    "unknown rule id {:?} (not a rule of soc2scan {})",
                    raw.id,
                    env!("CARGO_PKG_VERSION")
                ))
            }
        };
        Ok(RuleDoc {
            id: RuleRef(meta),
            severity: raw.severity,
            level: raw.level,
            criteria: raw.criteria,
            rationale: raw.rationale,
        })
    }
}

/// A record of `findings`, `not_evaluated`, `passed` or `baseline.unchanged`.
#[derive(Deserialize)]
struct ResultDoc {
    rule_id: RuleRef,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    resource: Arc<str>,
    resource_type: Arc<str>,
    attribute: Arc<str>,
    location: Origin,
    resource_location: Origin,
    fingerprint: String,
    #[serde(default)]
    suppression: Option<Suppression>,
    /// Every criterion of the result; those beyond its rule's become its
    /// [`CheckResult::extra_criteria`] once the rules are read.
    #[serde(default)]
    criteria: Vec<String>,
}

impl ResultDoc {
    fn into_result(self, outcome: Outcome) -> CheckResult {
        CheckResult {
            rule_id: self.rule_id.0.id,
            outcome,
            resource: self.resource,
            resource_type: self.resource_type,
            attribute: self.attribute,
            location: self.location,
            resource_location: self.resource_location,
            fingerprint: self.fingerprint,
            suppression: self.suppression,
            extra_criteria: self.criteria,
        }
    }

    fn into_finding(mut self, what: &str) -> Result<CheckResult, ParseError> {
        let message = self
            .message
            .take()
            .ok_or_else(|| ParseError::Invalid(format!("{what} has no message")))?;
        Ok(self.into_result(Outcome::Fail { message }))
    }
}

#[derive(Deserialize)]
struct BaselineDoc {
    file: String,
    unchanged: Vec<ResultDoc>,
    absent: Vec<Entry>,
}
