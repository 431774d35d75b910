//! What the evidence needs from a scan's JSON report (`docs/json-schema.md`, schema
//! version 1): findings with fingerprint, severity and suppression, each criterion's
//! status, the coverage rows that were not complete reads, the commit and rule set.

use serde::Deserialize;

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
    /// Who accepted it (a person, team or ticket), when the suppression says so.
    pub accepted_by: Option<String>,
    /// Where it is written (`file:line`), whose history says who added it.
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

/// The parts of the report document read, typed: everything else (the passed and
/// not-evaluated records, diagnostics) is skipped without being built, which keeps
/// indexing a year of large reports fast.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    schema_version: Option<String>,
    tool: Option<Tool>,
    inputs: Option<Vec<String>>,
    evidence: Option<EvidenceDoc>,
    findings: Option<Vec<FindingDoc>>,
    criteria: Option<Vec<CriterionDoc>>,
    coverage: Vec<CoverageDoc>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tool {
    name: String,
    version: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EvidenceDoc {
    ruleset_hash: Option<String>,
    git: Option<GitDoc>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GitDoc {
    commit: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct FindingDoc {
    fingerprint: String,
    rule_id: String,
    title: Option<String>,
    resource: String,
    severity: String,
    message: String,
    suppression: Option<SuppressionDoc>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SuppressionDoc {
    reason: String,
    until: Option<String>,
    accepted_by: Option<String>,
    location: String,
    kind: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CriterionDoc {
    id: String,
    title: String,
    status: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CoverageDoc {
    scope: String,
    collection: String,
    status: String,
    reason: Option<String>,
}

/// Parses a JSON report; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<ScanData> {
    let bad = |message: String| EvidenceError::BadReport {
        file: file.to_string(),
        message,
    };
    let doc: Doc =
        serde_json::from_str(text).map_err(|e| bad(format!("not a soc2scan JSON report: {e}")))?;
    let tool = doc.tool.unwrap_or_default();
    if tool.name != "soc2scan" {
        return Err(bad(
            "not a soc2scan JSON report (no tool.name \"soc2scan\")".into(),
        ));
    }
    let version = doc.schema_version.unwrap_or_default();
    if version != REPORT_SCHEMA_VERSION {
        return Err(bad(format!(
            "schema version {version:?} (expected {REPORT_SCHEMA_VERSION:?})"
        )));
    }
    let findings = doc
        .findings
        .ok_or_else(|| bad("no `findings` list".into()))?;
    let criteria = doc
        .criteria
        .ok_or_else(|| bad("no `criteria` list".into()))?;
    let mut out_findings = Vec::with_capacity(findings.len());
    for f in findings {
        if f.fingerprint.is_empty() {
            return Err(bad("a finding has no fingerprint".into()));
        }
        out_findings.push(Finding {
            fingerprint: f.fingerprint,
            rule_id: f.rule_id,
            title: f.title.unwrap_or_default(),
            resource: f.resource,
            severity: f.severity,
            message: f.message,
            suppression: f.suppression.map(|x| Suppression {
                reason: x.reason,
                until: x.until,
                accepted_by: x.accepted_by,
                location: x.location,
                kind: x.kind,
            }),
        });
    }
    let mut scopes: Vec<String> = Vec::new();
    let mut not_read = Vec::new();
    for c in doc.coverage {
        // A region not enabled for the account holds nothing to read.
        if c.status != "read" && c.status != "disabled" {
            let reason = c.reason.unwrap_or_default();
            not_read.push(format!(
                "{} {}: {}{}",
                c.scope,
                c.collection,
                c.status,
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({reason})")
                }
            ));
        }
        if !c.scope.is_empty() {
            scopes.push(c.scope);
        }
    }
    scopes.sort();
    scopes.dedup();
    not_read.sort();
    not_read.dedup();
    let evidence = doc.evidence.unwrap_or_default();
    Ok(ScanData {
        tool_version: tool.version,
        ruleset_hash: evidence.ruleset_hash,
        commit: evidence.git.and_then(|g| g.commit),
        inputs: doc.inputs.unwrap_or_default(),
        scopes,
        findings: out_findings,
        criteria: criteria
            .into_iter()
            .map(|c| Criterion {
                id: c.id,
                title: c.title,
                status: c.status,
            })
            .collect(),
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
