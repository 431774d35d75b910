//! Merging the JSON reports of sharded scans (`soc2scan merge`) into the report one
//! scan of everything would have given.
//!
//! An organisation with many AWS accounts scans them in N parallel jobs
//! (`scan --aws --accounts-file … --shard K/N --format json`); Terraform directories can
//! be split the same way. Each job's JSON report is lossless ([`crate::report::json`]),
//! so [`load`] rebuilds its [`Report`] and [`merge`] combines them:
//!
//! - **Compatibility first.** Every report must come from this version of soc2scan
//!   (checked while reading), at the same level (`baseline` or `strict`), with the same rule set: the same rules with the same
//!   effective severities and criteria (and so the same `ruleset_hash`), the same
//!   project policy file (path and digest), the same baseline file when one was used,
//!   and no two different git commits. Otherwise the error names the file.
//! - **Results**: every result of every report, sorted exactly as a scan sorts them
//!   ([`crate::finding::sort_results`]). A result whose fingerprint and resource
//!   location an earlier report already has is a duplicate (two shards read the same
//!   account or directory) and is dropped; results within one report are all kept, as
//!   the scan that wrote it kept them.
//! - **Diagnostics**: the union, sorted and de-duplicated as a scan does.
//! - **Inputs**: the union, in the order a scan lists them (paths, then `aws:ACCOUNT`,
//!   then `kubernetes:CONTEXT`), each group sorted, so the order of the files does not
//!   matter.
//! - **Counts**: files and resources summed.
//! - **Coverage**: the rows of every report merged as one scan records them
//!   ([`Coverage::from_entries`]: complete reads of one scope and collection add up,
//!   an incomplete read wins); not-covered counts per resource type summed.
//! - **Evidence**: the shared level, rule-set hash and policy file; the git commit the reports
//!   agree on (dirty when any says so); and the scan time of the merge itself, which is
//!   when the combined scan is complete. JSON reports do not carry a scan time (so the
//!   same input gives the same bytes), and like a scan the merge honours
//!   `SOURCE_DATE_EPOCH`: merged output and a single run are then byte-identical in
//!   every format.
//! - **Baseline**: the findings each report took out as known, and the baseline entries
//!   a scan of everything would call absent: listed as absent by a report (within what
//!   it scanned, not matched there) and matched by no other report.
//!
//! The SOC 2 catalog is the embedded one, as in a scan.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::baseline::{BaselineOutcome, Entry};
use crate::evidence::{self, GitState};
use crate::finding::CheckResult;
use crate::model::Origin;
use crate::report::json::ParseError;
use crate::report::{Report, ScanStats};
use soc2scan_core::coverage::{Coverage, Entry as CoverageEntry, Unmodelled};

/// Why reports cannot be merged. Every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file could not be read.
    #[error("cannot read {path}: {error}")]
    Read {
        /// The file as given.
        path: String,
        /// Underlying error.
        error: std::io::Error,
    },
    /// A file is not a JSON report of this soc2scan.
    #[error("{path}: {error}")]
    Parse {
        /// The file as given.
        path: String,
        /// What is wrong, with line and column when the JSON parser knows them.
        error: ParseError,
    },
    /// A report was produced with other rules, policy, commit or baseline than the first.
    #[error("{path} cannot be merged with {first}: {message}")]
    Incompatible {
        /// The file that differs.
        path: String,
        /// The first file, which the others are compared with.
        first: String,
        /// What differs.
        message: String,
    },
    /// No report was given.
    #[error("no report to merge")]
    Empty,
}

/// One report to merge, with the name of the file it was read from (for messages).
#[derive(Debug, Clone)]
pub struct Part {
    /// The file as given.
    pub file: String,
    /// The report rebuilt from it.
    pub report: Report,
}

/// Reads a JSON report written by `soc2scan scan --format json` (see
/// [`crate::report::json::parse`]).
pub fn load(path: &Path) -> Result<Part, MergeError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| MergeError::Read {
        path: file.clone(),
        error,
    })?;
    let report = crate::report::json::parse(&text).map_err(|error| MergeError::Parse {
        path: file.clone(),
        error,
    })?;
    Ok(Part { file, report })
}

/// Merges reports into the report a single scan of all their inputs would give (see
/// the module documentation). The first part is the reference for compatibility.
pub fn merge(parts: Vec<Part>) -> Result<Report, MergeError> {
    let Some(first) = parts.first() else {
        return Err(MergeError::Empty);
    };
    for p in &parts[1..] {
        check_compatible(first, p)?;
    }
    let git = merged_git(&parts)?;
    let mut reference = first.report.clone();

    let mut inputs: Vec<String> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut stats = ScanStats::default();
    let mut results: Vec<CheckResult> = Vec::new();
    let mut unchanged: Vec<CheckResult> = Vec::new();
    // Per report: its absent entries (with multiplicity), and its known findings per fingerprint.
    let mut absent: Vec<BTreeMap<Entry, usize>> = Vec::new();
    let mut matched: Vec<BTreeMap<String, usize>> = Vec::new();
    let mut seen: HashSet<(String, Origin)> = HashSet::new();
    let mut seen_unchanged: HashSet<(String, Origin)> = HashSet::new();
    let mut coverage: Vec<CoverageEntry> = Vec::new();
    let mut unmodelled = Unmodelled::default();
    for part in parts {
        let r = part.report;
        coverage.extend(r.coverage);
        unmodelled.extend(r.unmodelled);
        inputs.extend(r.inputs);
        diagnostics.extend(r.diagnostics);
        stats.files += r.stats.files;
        stats.resources += r.stats.resources;
        results.extend(new_results(r.results, &mut seen));
        if let Some(b) = r.baseline {
            let known = new_results(b.unchanged, &mut seen_unchanged);
            let mut m: BTreeMap<String, usize> = BTreeMap::new();
            for f in &known {
                *m.entry(f.fingerprint.clone()).or_default() += 1;
            }
            matched.push(m);
            unchanged.extend(known);
            let mut a: BTreeMap<Entry, usize> = BTreeMap::new();
            for e in b.absent {
                *a.entry(e).or_default() += 1;
            }
            absent.push(a);
        }
    }
    inputs.sort_by(|a, b| (input_group(a), a).cmp(&(input_group(b), b)));
    inputs.dedup();
    diagnostics.sort();
    diagnostics.dedup();
    crate::finding::sort_results(&mut results);
    crate::finding::sort_results(&mut unchanged);

    reference.inputs = inputs;
    reference.results = results;
    reference.diagnostics = diagnostics;
    reference.stats = stats;
    reference.coverage = Coverage::from_entries(coverage).entries().collect();
    reference.unmodelled = unmodelled;
    reference.evidence.git = git;
    reference.evidence.scan_time = Some(evidence::scan_time());
    reference.baseline = reference.baseline.take().map(|b| BaselineOutcome {
        file: b.file,
        unchanged,
        absent: merged_absent(&absent, &matched),
    });
    Ok(reference)
}

/// The results of one report whose identity (fingerprint and resource location) no
/// earlier report had; records this report's identities for the next ones.
fn new_results(
    results: Vec<CheckResult>,
    seen: &mut HashSet<(String, Origin)>,
) -> Vec<CheckResult> {
    let kept: Vec<CheckResult> = results
        .into_iter()
        .filter(|r| !seen.contains(&(r.fingerprint.clone(), r.resource_location.clone())))
        .collect();
    seen.extend(
        kept.iter()
            .map(|r| (r.fingerprint.clone(), r.resource_location.clone())),
    );
    kept
}

/// The baseline entries one scan of everything would call absent, from each report's
/// absent entries and known findings. A report lists an entry as absent when the entry
/// is within what it scanned and none of its findings matched it; so the single scan's
/// count of an entry is one listing report's count minus the matches the other reports
/// made (a finding of another shard that the baseline lists).
fn merged_absent(
    absent: &[BTreeMap<Entry, usize>],
    matched: &[BTreeMap<String, usize>],
) -> Vec<Entry> {
    let mut out: BTreeMap<&Entry, usize> = BTreeMap::new();
    for (k, listed) in absent.iter().enumerate() {
        for (e, &n) in listed {
            if out.contains_key(e) {
                continue;
            }
            let elsewhere: usize = matched
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, m)| m.get(&e.fingerprint).copied().unwrap_or(0))
                .sum();
            out.insert(e, n.saturating_sub(elsewhere));
        }
    }
    out.into_iter()
        .flat_map(|(e, n)| std::iter::repeat_n(e.clone(), n))
        .collect()
}

/// The order in which a scan lists its inputs: paths, live AWS accounts, clusters.
fn input_group(input: &str) -> u8 {
    if input.starts_with("aws:") {
        1
    } else if input.starts_with("kubernetes:") {
        2
    } else {
        0
    }
}

/// Checks that `p` was produced with the same rules, policy and baseline as `first`.
fn check_compatible(first: &Part, p: &Part) -> Result<(), MergeError> {
    let fail = |message: String| MergeError::Incompatible {
        path: p.file.clone(),
        first: first.file.clone(),
        message,
    };
    let (a, b) = (&first.report, &p.report);
    // Before the rules: another level runs other rules, and this says why.
    if a.evidence.level != b.evidence.level {
        return Err(fail(format!(
            "scanned at level {} there, at level {} in {}",
            b.evidence.level, a.evidence.level, first.file
        )));
    }
    let ids = |r: &Report| r.rules.iter().map(|x| x.meta.id).collect::<Vec<_>>();
    if ids(a) != ids(b) {
        let (ia, ib) = (ids(a), ids(b));
        let only_b: Vec<&str> = ib.iter().filter(|x| !ia.contains(x)).copied().collect();
        let only_a: Vec<&str> = ia.iter().filter(|x| !ib.contains(x)).copied().collect();
        return Err(fail(format!(
            "other rules ran (only in {}: {}; only in {}: {})",
            p.file,
            list(&only_b),
            first.file,
            list(&only_a)
        )));
    }
    for (x, y) in a.rules.iter().zip(&b.rules) {
        if x.effective_severity != y.effective_severity {
            return Err(fail(format!(
                "rule {} has severity {} there and {} in {}",
                y.meta.id, y.effective_severity, x.effective_severity, first.file
            )));
        }
        if x.criteria != y.criteria {
            return Err(fail(format!(
                "rule {} maps to {} there and to {} in {}",
                y.meta.id,
                y.criteria.join(", "),
                x.criteria.join(", "),
                first.file
            )));
        }
    }
    if a.evidence.ruleset_hash != b.evidence.ruleset_hash {
        return Err(fail(format!(
            "rule set {} there, {} in {}",
            b.evidence.ruleset_hash.as_deref().unwrap_or("(none)"),
            a.evidence.ruleset_hash.as_deref().unwrap_or("(none)"),
            first.file
        )));
    }
    if a.evidence.policy != b.evidence.policy {
        let show = |r: &Report| match &r.evidence.policy {
            Some(pf) => format!("policy file {} ({})", pf.path, pf.sha256),
            None => "no policy file".to_string(),
        };
        return Err(fail(format!(
            "scanned with {}, {} with {}",
            show(b),
            first.file,
            show(a)
        )));
    }
    let baseline_file = |r: &Report| r.baseline.as_ref().map(|x| x.file.clone());
    if baseline_file(a) != baseline_file(b) {
        let show =
            |f: Option<String>| f.map_or("no baseline".to_string(), |f| format!("baseline {f}"));
        return Err(fail(format!(
            "scanned with {}, {} with {}",
            show(baseline_file(b)),
            first.file,
            show(baseline_file(a))
        )));
    }
    Ok(())
}

/// The git state the reports agree on: reports without one (live scans) do not count;
/// two different commits cannot be one scan. Dirty when any report says so, unknown when
/// any cannot say and none says dirty.
fn merged_git(parts: &[Part]) -> Result<Option<GitState>, MergeError> {
    let mut out: Option<(GitState, &str)> = None;
    for p in parts {
        let Some(g) = &p.report.evidence.git else {
            continue;
        };
        match &mut out {
            None => out = Some((g.clone(), &p.file)),
            Some((merged, file)) => {
                if merged.commit != g.commit {
                    return Err(MergeError::Incompatible {
                        path: p.file.clone(),
                        first: file.to_string(),
                        message: format!("commit {} there, {} in {file}", g.commit, merged.commit),
                    });
                }
                merged.dirty = match (merged.dirty, g.dirty) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                };
            }
        }
    }
    Ok(out.map(|(g, _)| g))
}

/// Up to five rule ids, then how many more.
fn list(ids: &[&str]) -> String {
    const SHOWN: usize = 5;
    match ids.len() {
        0 => "none".to_string(),
        n if n <= SHOWN => ids.join(", "),
        n => format!("{} and {} more", ids[..SHOWN].join(", "), n - SHOWN),
    }
}
