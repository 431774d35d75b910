//! What the evidence needs from a scan's JSON report (`docs/json-schema.md`, schema
//! version 1): findings with fingerprint, severity and suppression, each criterion's
//! status, the coverage rows that were not complete reads, the commit and rule set.

use serde_json::Value;

use crate::error::{EvidenceError, Result};

/// The JSON schema version of reports this crate reads.
pub const REPORT_SCHEMA_VERSION: &str = "1";

/// One failing result (suppressed or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable identity.
    pub fingerprint: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: String,
    /// Resource address or ARN.
    pub resource: String,
    /// Effective severity (`low` … `critical`).
    pub severity: String,
    /// What is wrong.
    pub message: String,
    /// The accepted exception, when suppressed.
    pub suppression: Option<Suppression>,
}

/// An accepted exception as the report states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The justification.
    pub reason: String,
    /// Expiry date, if any.
    pub until: Option<String>,
    /// Where it is written (`file:line`), which says who accepted it through the history
    /// of that file.
    pub location: String,
    /// `in-source` or `external` (the project policy file).
    pub kind: String,
}

/// One criterion's status in one scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Criterion id (`CC6.1`).
    pub id: String,
    /// Short title.
    pub title: String,
    /// `failed`, `not-evaluated`, `passed` or `manual`.
    pub status: String,
}

/// The parts of one report the evidence uses.
#[derive(Debug, Clone, Default)]
pub struct ScanData {
    /// soc2scan version that scanned.
    pub tool_version: String,
    /// Rule-set hash.
    pub ruleset_hash: Option<String>,
    /// Commit of the scanned repository.
    pub commit: Option<String>,
    /// Inputs as listed by the report (paths, `aws:ACCOUNT`, `kubernetes:CONTEXT`).
    pub inputs: Vec<String>,
    /// Coverage scopes (accounts and regions, root modules, clusters), sorted.
    pub scopes: Vec<String>,
    /// Failing results.
    pub findings: Vec<Finding>,
    /// Every criterion of the catalog, in catalog order.
    pub criteria: Vec<Criterion>,
    /// Coverage rows that were not complete reads: `scope collection: status (reason)`.
    pub not_read: Vec<String>,
}

impl ScanData {
    /// The default target of a report: its inputs, sorted, joined by a space.
    pub fn default_target(&self) -> String {
        let mut v = self.inputs.clone();
        v.sort();
        v.dedup();
        v.join(" ")
    }
}

fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn opt(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Parses a JSON report; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<ScanData> {
    let bad = |message: String| EvidenceError::BadReport {
        file: file.to_string(),
        message,
    };
    let doc: Value = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
    if doc.pointer("/tool/name").and_then(Value::as_str) != Some("soc2scan") {
        return Err(bad(
            "not a soc2scan JSON report (no tool.name \"soc2scan\")".into(),
        ));
    }
    let version = s(&doc, "schema_version");
    if version != REPORT_SCHEMA_VERSION {
        return Err(bad(format!(
            "schema version {version:?} (expected {REPORT_SCHEMA_VERSION:?})"
        )));
    }
    let array = |key: &str| -> Result<&Vec<Value>> {
        doc.get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("no `{key}` list")))
    };
    let mut findings = Vec::new();
    for f in array("findings")? {
        let fingerprint = s(f, "fingerprint");
        if fingerprint.is_empty() {
            return Err(bad("a finding has no fingerprint".into()));
        }
        let suppression = f
            .get("suppression")
            .filter(|v| v.is_object())
            .map(|x| Suppression {
                reason: s(x, "reason"),
                until: opt(x, "until"),
                location: s(x, "location"),
                kind: s(x, "kind"),
            });
        findings.push(Finding {
            fingerprint,
            rule_id: s(f, "rule_id"),
            title: s(f, "title"),
            resource: s(f, "resource"),
            severity: s(f, "severity"),
            message: s(f, "message"),
            suppression,
        });
    }
    let criteria = array("criteria")?
        .iter()
        .map(|c| Criterion {
            id: s(c, "id"),
            title: s(c, "title"),
            status: s(c, "status"),
        })
        .collect();
    let mut scopes: Vec<String> = Vec::new();
    let mut not_read = Vec::new();
    for c in doc
        .get("coverage")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let scope = s(c, "scope");
        if !scope.is_empty() {
            scopes.push(scope.clone());
        }
        let status = s(c, "status");
        if status != "read" {
            let reason = s(c, "reason");
            not_read.push(format!(
                "{scope} {}: {status}{}",
                s(c, "collection"),
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({reason})")
                }
            ));
        }
    }
    scopes.sort();
    scopes.dedup();
    not_read.sort();
    not_read.dedup();
    Ok(ScanData {
        tool_version: doc
            .pointer("/tool/version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        ruleset_hash: doc
            .pointer("/evidence/ruleset_hash")
            .and_then(Value::as_str)
            .map(str::to_string),
        commit: doc
            .pointer("/evidence/git/commit")
            .and_then(Value::as_str)
            .map(str::to_string),
        inputs: doc
            .get("inputs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        scopes,
        findings,
        criteria,
        not_read,
    })
}

/// Rank of a severity name for comparisons (`low` 0 … `critical` 3; unknown 0).
pub fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" => 3,
        "high" => 2,
        "medium" => 1,
        _ => 0,
    }
}
