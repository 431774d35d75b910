//! Baselines: a recorded list of known findings, so a CI gate fails only on new ones.
//!
//! `soc2scan baseline` writes every unsuppressed failing finding of a scan as an
//! [`Entry`] (fingerprint, plus rule id, resource and file for people) into a JSON file,
//! sorted and deterministic. `scan --baseline FILE` loads it, takes the findings it
//! lists out of the report's results into [`BaselineOutcome::unchanged`] (they neither
//! print nor fail the run; SARIF keeps them with `baselineState: "unchanged"`), and
//! counts the entries no finding matched any more ([`BaselineOutcome::absent`]).
//!
//! Matching is by fingerprint (rule id + root module directory + resource address +
//! attribute path, see [`crate::finding::fingerprint`]), so moving lines, reformatting or
//! renaming a file within its module keeps a finding baselined, while moving a whole
//! root module to another directory makes its findings new. The same address in two
//! root modules (two environments with `aws_s3_bucket.data`) gives two fingerprints;
//! entries are still matched as a multiset (each entry absorbs at most one finding, an
//! entry recorded for the same file first) for results that share one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::CheckResult;
use crate::report::Report;

/// Version of the baseline file format. Version 2 fingerprints are anchored to the
/// repository root; version 1 files (whose fingerprints were relative to the directory
/// the baseline was recorded from) are still read: they match when recorded from the
/// repository root, see [`Baseline::legacy_note`].
pub const FORMAT_VERSION: u32 = 2;
/// The file name `soc2scan baseline` writes by default.
pub const DEFAULT_FILE: &str = ".soc2scan-baseline.json";

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read.
    #[error("cannot read baseline {path}: {source}")]
    Read {
        /// The file as given.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a soc2scan baseline.
    #[error("invalid baseline {path}: {message}")]
    Invalid {
        /// The file as given.
        path: PathBuf,
        /// What is wrong, with line and column when known.
        message: String,
    },
}

/// One known finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    /// The finding's line-independent fingerprint: what matching uses.
    pub fingerprint: String,
    /// Rule id, for people reading the file.
    pub rule_id: String,
    /// Resource address (or ARN), for people.
    pub resource: String,
    /// File the finding pointed at when recorded (empty for live resources), for people
    /// and to prefer the same file when one fingerprint appears several times.
    #[serde(default)]
    pub file: String,
}

impl Entry {
    /// The entry recording `r`.
    pub fn of(r: &CheckResult) -> Entry {
        Entry {
            fingerprint: r.fingerprint.clone(),
            rule_id: r.rule_id.to_string(),
            resource: r.resource.to_string(),
            file: result_file(r).unwrap_or_default().to_string(),
        }
    }
}

/// The file a result points at: its location, else its resource's declaration.
pub fn result_file(r: &CheckResult) -> Option<&str> {
    r.location.file().or_else(|| r.resource_location.file())
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Always `soc2scan`.
    pub tool: String,
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// Known findings, sorted by file, resource, rule id and fingerprint.
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// The baseline of every unsuppressed failing finding of `report`.
    pub fn from_report(report: &Report) -> Baseline {
        Baseline::from_entries(report.active_findings().map(Entry::of).collect())
    }

    /// A baseline of `entries`, sorted.
    pub fn from_entries(mut findings: Vec<Entry>) -> Baseline {
        findings.sort_by(|a, b| {
            (&a.file, &a.resource, &a.rule_id, &a.fingerprint).cmp(&(
                &b.file,
                &b.resource,
                &b.rule_id,
                &b.fingerprint,
            ))
        });
        Baseline {
            tool: "soc2scan".to_string(),
            version: FORMAT_VERSION,
            findings,
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        // Serialising plain data cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Parses a baseline file's contents; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Baseline, BaselineError> {
        let invalid = |message: String| BaselineError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let b: Baseline = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if b.tool != "soc2scan" {
            return Err(invalid(format!("written by {:?}, not soc2scan", b.tool)));
        }
        if b.version != FORMAT_VERSION && b.version != 1 {
            return Err(invalid(format!(
                "format version {} (this soc2scan reads version {FORMAT_VERSION})",
                b.version
            )));
        }
        Ok(b)
    }

    /// For a version 1 file, a note saying that its fingerprints match only if it was
    /// recorded from the repository root (`path` is the file as given).
    pub fn legacy_note(&self, path: &Path) -> Option<String> {
        (self.version == 1).then(|| {
            format!(
                "baseline {} has format version 1: its fingerprints depended on the directory \
                 it was recorded from and match only if that was the repository root; \
                 re-record it with `soc2scan baseline` to make it independent of the \
                 working directory",
                path.display()
            )
        })
    }

    /// Reads and parses a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Baseline::parse(&text, path)
    }
}

/// What a baseline did to a report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BaselineOutcome {
    /// The baseline file as given.
    pub file: String,
    /// Findings the baseline lists: taken out of the report's results.
    pub unchanged: Vec<CheckResult>,
    /// Entries within the scanned scope that no finding matches any more (fixed or gone).
    pub absent: Vec<Entry>,
}

/// Takes the findings `baseline` lists out of `report.results` and records the outcome in
/// `report.baseline`. Only unsuppressed failing results are matched. An entry that
/// matches nothing counts as absent when `in_scope(entry.file)` holds, so a scan of
/// one directory does not call the rest of the repository's entries gone.
pub fn apply(
    report: &mut Report,
    baseline: &Baseline,
    file: &str,
    in_scope: impl Fn(&str) -> bool,
) {
    // Remaining entries per fingerprint, each with its file.
    let mut open: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in &baseline.findings {
        open.entry(e.fingerprint.as_str()).or_default().push(e);
    }
    let mut kept = Vec::with_capacity(report.results.len());
    let mut unchanged = Vec::new();
    // Same-file matches first, so a second copy of an address in another file stays new
    // only when the baseline has no entry left for it.
    let mut matched = vec![false; report.results.len()];
    for pass in [true, false] {
        for (i, r) in report.results.iter().enumerate() {
            if matched[i] || !r.is_fail() || r.suppression.is_some() {
                continue;
            }
            let Some(entries) = open.get_mut(r.fingerprint.as_str()) else {
                continue;
            };
            let file = result_file(r).unwrap_or_default();
            let pos = if pass {
                entries.iter().position(|e| e.file == file)
            } else if entries.is_empty() {
                None
            } else {
                Some(0)
            };
            if let Some(p) = pos {
                entries.remove(p);
                matched[i] = true;
            }
        }
    }
    for (r, m) in std::mem::take(&mut report.results).into_iter().zip(matched) {
        if m {
            unchanged.push(r);
        } else {
            kept.push(r);
        }
    }
    report.results = kept;
    let mut absent: Vec<Entry> = open
        .into_values()
        .flatten()
        .filter(|e| in_scope(&e.file))
        .cloned()
        .collect();
    absent.sort();
    report.baseline = Some(BaselineOutcome {
        file: file.to_string(),
        unchanged,
        absent,
    });
}

/// The text report's baseline line, when a baseline was used:
/// `baseline .soc2scan-baseline.json: 3 known findings not reported, 1 entry no longer found`.
pub fn summary_line(report: &Report) -> Option<String> {
    let b = report.baseline.as_ref()?;
    let n = b.unchanged.len();
    let a = b.absent.len();
    Some(format!(
        "baseline {}: {n} known finding{} not reported, {a} entr{} no longer found",
        b.file,
        if n == 1 { "" } else { "s" },
        if a == 1 { "y" } else { "ies" },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_other_files() {
        let p = Path::new("b.json");
        assert!(Baseline::parse("{}", p).is_err());
        assert!(Baseline::parse(r#"{"tool":"x","version":1,"findings":[]}"#, p).is_err());
        assert!(Baseline::parse(r#"{"tool":"soc2scan","version":9,"findings":[]}"#, p).is_err());
        let old = Baseline::parse(r#"{"tool":"soc2scan","version":1,"findings":[]}"#, p).unwrap();
        assert_eq!(old.findings.len(), 0);
        // Version 1 is read, with a note on its working-directory dependent fingerprints.
        let note = old.legacy_note(p).unwrap();
        assert!(
            note.starts_with("baseline b.json has format version 1"),
            "{note}"
        );
        let new = Baseline::parse(r#"{"tool":"soc2scan","version":2,"findings":[]}"#, p).unwrap();
        assert_eq!(new.legacy_note(p), None);
        assert_eq!(Baseline::from_entries(vec![]).version, 2);
    }

    #[test]
    fn entries_sort_deterministically() {
        let e = |f: &str, r: &str| Entry {
            fingerprint: format!("{f}{r}"),
            rule_id: "R".into(),
            resource: r.into(),
            file: f.into(),
        };
        let a = Baseline::from_entries(vec![e("b.tf", "x"), e("a.tf", "y"), e("a.tf", "x")]);
        let b = Baseline::from_entries(vec![e("a.tf", "x"), e("b.tf", "x"), e("a.tf", "y")]);
        assert_eq!(a, b);
        assert_eq!(a.findings[0].file, "a.tf");
        assert_eq!(a.findings[0].resource, "x");
        assert_eq!(a.to_json(), b.to_json());
    }
}
