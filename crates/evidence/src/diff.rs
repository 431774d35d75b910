//! What changed since the previous scan of each target: new, resolved and changed
//! findings, and criteria whose status changed. A target with one scan compares it
//! with nothing: every finding is new.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::error::{EvidenceError, Result};
use crate::report_json::{self, Finding};
use crate::verify::{Checked, Verified};

/// Version of the diff's JSON form.
pub const JSON_VERSION: &str = "1";

/// A scan as the diff names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanRef {
    /// Object key.
    pub key: String,
    /// Scan time.
    pub scan_time: String,
    /// Commit, when known.
    pub commit: Option<String>,
}

/// A finding present in both scans that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// As in the previous scan.
    pub before: Finding,
    /// As in the latest scan.
    pub after: Finding,
    /// What differs (`severity`, `message`, `suppressed`, `no longer suppressed`).
    pub what: Vec<String>,
}

/// A criterion whose status changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionChange {
    /// Criterion id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status in the previous scan.
    pub before: String,
    /// Status in the latest scan.
    pub after: String,
}

/// The diff of one target.
#[derive(Debug, Clone)]
pub struct TargetDiff {
    /// Target.
    pub target: String,
    /// The scan before the latest, if any.
    pub previous: Option<ScanRef>,
    /// The latest scan.
    pub latest: ScanRef,
    /// Findings of the latest scan the previous one did not have.
    pub new: Vec<Finding>,
    /// Findings of the previous scan the latest one does not have.
    pub resolved: Vec<Finding>,
    /// Findings of both that differ.
    pub changed: Vec<Changed>,
    /// Criteria whose status changed.
    pub criteria: Vec<CriterionChange>,
}

/// The diff of every (selected) target.
#[derive(Debug, Clone, Default)]
pub struct Diff {
    /// One entry per target, sorted by target.
    pub targets: Vec<TargetDiff>,
}

impl Diff {
    /// Whether something new and not suppressed (a new finding, or one whose
    /// suppression ended) has a severity at or above `min` (`low` … `critical`).
    pub fn has_new_at(&self, min: &str) -> bool {
        let min = report_json::severity_rank(min);
        let counts =
            |f: &Finding| f.suppression.is_none() && report_json::severity_rank(&f.severity) >= min;
        self.targets.iter().any(|t| {
            t.new.iter().any(counts)
                || t.changed
                    .iter()
                    .any(|c| c.before.suppression.is_some() && counts(&c.after))
        })
    }
}

/// Compares the last two intact scans of each target of `verified` (only `targets`
/// when not empty; an unknown target is an error).
pub fn diff(verified: &Verified, targets: &[String]) -> Result<Diff> {
    let mut by_target: BTreeMap<&str, Vec<&Checked>> = BTreeMap::new();
    for (c, h) in verified.intact_objects() {
        by_target.entry(h.target.as_str()).or_default().push(c);
    }
    for t in targets {
        if !by_target.contains_key(t.as_str()) {
            return Err(EvidenceError::Invalid(format!(
                "no scan of target {t:?} in the store (targets: {})",
                by_target.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let mut out = Diff::default();
    for (target, mut scans) in by_target {
        if !targets.is_empty() && !targets.iter().any(|t| t == target) {
            continue;
        }
        scans.sort_by(|a, b| (&a.scan_time, &a.key).cmp(&(&b.scan_time, &b.key)));
        let Some(&latest) = scans.last() else {
            continue;
        };
        let previous = scans.len().checked_sub(2).map(|i| scans[i]);
        let after = parse(latest)?;
        let before = match previous {
            Some(c) => Some(parse(c)?),
            None => None,
        };
        let by_fp = |fs: &[Finding]| -> BTreeMap<String, Finding> {
            fs.iter()
                .map(|f| (f.fingerprint.clone(), f.clone()))
                .collect()
        };
        let a = by_fp(&after.findings);
        let b = before
            .as_ref()
            .map(|d| by_fp(&d.findings))
            .unwrap_or_default();
        let mut d = TargetDiff {
            target: target.to_string(),
            previous: previous.map(scan_ref),
            latest: scan_ref(latest),
            new: a
                .iter()
                .filter(|(k, _)| !b.contains_key(*k))
                .map(|(_, f)| f.clone())
                .collect(),
            resolved: b
                .iter()
                .filter(|(k, _)| !a.contains_key(*k))
                .map(|(_, f)| f.clone())
                .collect(),
            changed: Vec::new(),
            criteria: Vec::new(),
        };
        for (fp, now) in &a {
            let Some(was) = b.get(fp) else { continue };
            let mut what = Vec::new();
            if was.severity != now.severity {
                what.push(format!("severity {} → {}", was.severity, now.severity));
            }
            if was.message != now.message {
                what.push("message".to_string());
            }
            match (&was.suppression, &now.suppression) {
                (None, Some(_)) => what.push("suppressed".to_string()),
                (Some(_), None) => what.push("no longer suppressed".to_string()),
                _ => {}
            }
            if !what.is_empty() {
                d.changed.push(Changed {
                    before: was.clone(),
                    after: now.clone(),
                    what,
                });
            }
        }
        if let Some(before) = &before {
            let old: BTreeMap<&str, &str> = before
                .criteria
                .iter()
                .map(|c| (c.id.as_str(), c.status.as_str()))
                .collect();
            for c in &after.criteria {
                let was = old.get(c.id.as_str()).copied().unwrap_or("absent");
                if was != c.status {
                    d.criteria.push(CriterionChange {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        before: was.to_string(),
                        after: c.status.clone(),
                    });
                }
            }
        }
        for v in [&mut d.new, &mut d.resolved] {
            v.sort_by(|x, y| finding_order(x).cmp(&finding_order(y)));
        }
        d.changed
            .sort_by(|x, y| finding_order(&x.after).cmp(&finding_order(&y.after)));
        out.targets.push(d);
    }
    Ok(out)
}

/// The report of an intact object.
fn parse(c: &Checked) -> Result<report_json::ScanData> {
    match c.object() {
        Some(o) => {
            let o = o?;
            report_json::parse(&c.key, &o.report)
        }
        None => Err(EvidenceError::Invalid(format!("{} is not intact", c.key))),
    }
}

fn scan_ref(c: &Checked) -> ScanRef {
    ScanRef {
        key: c.key.clone(),
        scan_time: c.scan_time.clone(),
        commit: c.header.as_ref().and_then(|h| h.commit.clone()),
    }
}

/// Most severe first, then rule, resource, fingerprint.
fn finding_order(f: &Finding) -> (std::cmp::Reverse<u8>, &str, &str, &str) {
    (
        std::cmp::Reverse(report_json::severity_rank(&f.severity)),
        &f.rule_id,
        &f.resource,
        &f.fingerprint,
    )
}

fn finding_line(f: &Finding) -> String {
    let sup = if f.suppression.is_some() {
        " (suppressed)"
    } else {
        ""
    };
    format!(
        "{} {} {}: {}{sup}",
        f.severity, f.rule_id, f.resource, f.message
    )
}

fn since(t: &TargetDiff) -> String {
    match &t.previous {
        Some(p) => format!("{} → {}", p.scan_time, t.latest.scan_time),
        None => format!("{} (first scan)", t.latest.scan_time),
    }
}

/// Plain text, one block per target.
pub fn render_text(d: &Diff) -> String {
    let mut s = String::new();
    for t in &d.targets {
        s.push_str(&format!(
            "{}: {}: {} new, {} resolved, {} changed, {} criteria changed\n",
            t.target,
            since(t),
            t.new.len(),
            t.resolved.len(),
            t.changed.len(),
            t.criteria.len()
        ));
        for f in &t.new {
            s.push_str(&format!("  new       {}\n", finding_line(f)));
        }
        for f in &t.resolved {
            s.push_str(&format!("  resolved  {}\n", finding_line(f)));
        }
        for c in &t.changed {
            s.push_str(&format!(
                "  changed   {} [{}]\n",
                finding_line(&c.after),
                c.what.join(", ")
            ));
        }
        for c in &t.criteria {
            s.push_str(&format!(
                "  criterion {} {}: {} → {}\n",
                c.id, c.title, c.before, c.after
            ));
        }
    }
    if d.targets.is_empty() {
        s.push_str("no scan in the store\n");
    }
    s
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown for a chat message or a ticket.
pub fn render_markdown(d: &Diff) -> String {
    let mut s = String::from("# soc2scan: changes since the previous scan\n");
    for t in &d.targets {
        s.push_str(&format!(
            "\n## {}\n\n{}: **{} new**, {} resolved, {} changed, {} criteria changed\n",
            md_cell(&t.target),
            since(t),
            t.new.len(),
            t.resolved.len(),
            t.changed.len(),
            t.criteria.len()
        ));
        let rows: Vec<(String, &Finding, String)> = t
            .new
            .iter()
            .map(|f| ("new".to_string(), f, String::new()))
            .chain(
                t.resolved
                    .iter()
                    .map(|f| ("resolved".to_string(), f, String::new())),
            )
            .chain(
                t.changed
                    .iter()
                    .map(|c| ("changed".to_string(), &c.after, c.what.join(", "))),
            )
            .collect();
        if !rows.is_empty() {
            s.push_str(
                "\n| Change | Severity | Rule | Resource | Message |\n|---|---|---|---|---|\n",
            );
            for (kind, f, what) in rows {
                let kind = if what.is_empty() {
                    kind
                } else {
                    format!("{kind} ({what})")
                };
                s.push_str(&format!(
                    "| {} | {} | {} | `{}` | {} |\n",
                    md_cell(&kind),
                    f.severity,
                    f.rule_id,
                    md_cell(&f.resource),
                    md_cell(&f.message)
                ));
            }
        }
        if !t.criteria.is_empty() {
            s.push_str("\n| Criterion | Before | After |\n|---|---|---|\n");
            for c in &t.criteria {
                s.push_str(&format!(
                    "| {} {} | {} | {} |\n",
                    c.id,
                    md_cell(&c.title),
                    c.before,
                    c.after
                ));
            }
        }
    }
    s
}

fn finding_json(f: &Finding) -> Value {
    json!({
        "fingerprint": f.fingerprint,
        "rule_id": f.rule_id,
        "resource": f.resource,
        "severity": f.severity,
        "message": f.message,
        "suppressed": f.suppression.is_some(),
    })
}

fn scan_json(s: &ScanRef) -> Value {
    json!({ "key": s.key, "scan_time": s.scan_time, "commit": s.commit })
}

/// The versioned JSON form.
pub fn to_json(d: &Diff) -> String {
    let targets: Vec<Value> = d
        .targets
        .iter()
        .map(|t| {
            json!({
                "target": t.target,
                "previous": t.previous.as_ref().map(scan_json),
                "latest": scan_json(&t.latest),
                "new": t.new.iter().map(finding_json).collect::<Vec<_>>(),
                "resolved": t.resolved.iter().map(finding_json).collect::<Vec<_>>(),
                "changed": t.changed.iter().map(|c| {
                    let mut v = finding_json(&c.after);
                    if let Value::Object(m) = &mut v {
                        m.insert("changes".into(), json!(c.what));
                    }
                    v
                }).collect::<Vec<_>>(),
                "criteria": t.criteria.iter().map(|c| json!({
                    "id": c.id, "title": c.title, "before": c.before, "after": c.after,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "kind": "soc2scan-evidence-diff",
        "version": JSON_VERSION,
        "targets": targets,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
