//! Verifying a store: every object's hash (of its stored bytes) against its name and
//! header, and every target's hash chain (each object names the one before it, in
//! scan-time order). Only the header line of each object is decompressed.
//!
//! What is found is listed per object: **altered** (its bytes no longer hash to its
//! name, or its header contradicts its key or report), **missing** (an object names a
//! previous one the store does not have: deleted), **reordered** (an object names
//! another previous one than the object before it in time, or none although it is not
//! the first). Deleting the latest objects of a target leaves no trace in the chain;
//! S3 Object Lock retention is what prevents that.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::object::{self, Header, Key, Object};
use crate::store::Store;

/// What is wrong with one object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// Its content does not match its hash, header or report digest.
    Altered,
    /// The object it names as previous is not in the store.
    Missing,
    /// It names another previous object than the one before it in time.
    Reordered,
    /// A file in the objects directory that is not named like an object.
    Unexpected,
}

impl ProblemKind {
    /// Lower-case label.
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::Altered => "altered",
            ProblemKind::Missing => "missing",
            ProblemKind::Reordered => "reordered",
            ProblemKind::Unexpected => "unexpected",
        }
    }
}

/// One problem, naming the object concerned.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Problem {
    /// The key of the object concerned.
    pub key: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong, for people.
    pub message: String,
}

/// One object as verified.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Its key.
    pub key: String,
    /// The hash its name gives.
    pub hash: String,
    /// Its scan time (from its name).
    pub scan_time: String,
    /// Its header, when intact (the stored bytes hash to its name and the header
    /// agrees with its key).
    pub header: Option<Header>,
    /// The stored bytes, when intact.
    stored: Option<Vec<u8>>,
}

impl Checked {
    /// The whole object (decompressed, its report checked against the header), when
    /// intact.
    pub fn object(&self) -> Option<Result<Object>> {
        self.stored.as_ref().map(|s| Object::decode(&self.key, s))
    }
}

/// The result of verifying a store.
#[derive(Debug, Clone, Default)]
pub struct Verified {
    /// Every object, in key order (target directory, then scan time).
    pub objects: Vec<Checked>,
    /// Every problem, sorted by key.
    pub problems: Vec<Problem>,
}

impl Verified {
    /// Whether every object is intact and every chain complete.
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    /// The intact objects with their headers.
    pub fn intact_objects(&self) -> impl Iterator<Item = (&Checked, &Header)> {
        self.objects
            .iter()
            .filter_map(|c| c.header.as_ref().map(|h| (c, h)))
    }
}

/// One link of a chain: the object's key and, when it is intact, the previous object
/// it names.
type Link = (Key, Option<Option<String>>);

/// Reads every object of `store` and checks hashes and chains.
pub fn verify(store: &dyn Store) -> Result<Verified> {
    let mut out = Verified::default();
    let mut chains: BTreeMap<String, Vec<Link>> = BTreeMap::new();
    let keys = store.list()?;
    if keys.is_empty() {
        return Err(crate::error::EvidenceError::Invalid(format!(
            "{}: no evidence objects (record scans with `scan --record` first)",
            store.describe()
        )));
    }
    for key in keys {
        let Some(parsed) = Key::parse(&key) else {
            out.problems.push(Problem {
                key: key.clone(),
                kind: ProblemKind::Unexpected,
                message: "not named like an evidence object".into(),
            });
            continue;
        };
        let bytes = store.get(&key)?;
        let checked = match check(&key, &parsed, &bytes) {
            Ok(h) => Some(h),
            Err(message) => {
                out.problems.push(Problem {
                    key: key.clone(),
                    kind: ProblemKind::Altered,
                    message,
                });
                None
            }
        };
        let previous = checked.as_ref().map(|h| h.previous.clone());
        chains
            .entry(parsed.target_dir.clone())
            .or_default()
            .push((parsed.clone(), previous));
        let stored = checked.is_some().then_some(bytes);
        out.objects.push(Checked {
            key,
            hash: parsed.hash.clone(),
            scan_time: parsed.scan_time(),
            header: checked,
            stored,
        });
    }
    for chain in chains.values_mut() {
        chain.sort_by(|a, b| a.0.cmp(&b.0));
        for i in 0..chain.len() {
            // An altered object's header is not trusted: it is reported already.
            let Some(previous) = &chain[i].1 else {
                continue;
            };
            let expected = i.checked_sub(1).map(|j| chain[j].0.hash.clone());
            if *previous == expected {
                continue;
            }
            let key = chain[i].0.to_string();
            let known = |h: &str| chain.iter().any(|(k, _)| k.hash == h);
            let (kind, message) = match (previous, &expected) {
                (Some(p), _) if !known(p) => (
                    ProblemKind::Missing,
                    format!("the object before it ({p}) is not in the store"),
                ),
                (Some(p), Some(e)) => (
                    ProblemKind::Reordered,
                    format!("names {p} as the object before it, but that is {e}"),
                ),
                (Some(p), None) => (
                    ProblemKind::Reordered,
                    format!("is the earliest object of its target but names {p} before it"),
                ),
                (None, Some(e)) => (
                    ProblemKind::Reordered,
                    format!("starts a new chain although {e} comes before it"),
                ),
                (None, None) => continue,
            };
            out.problems.push(Problem { key, kind, message });
        }
    }
    out.problems.sort();
    Ok(out)
}

/// Checks one object's bytes and header against its key.
fn check(key: &str, parsed: &Key, bytes: &[u8]) -> std::result::Result<Header, String> {
    let hash = object::sha256(bytes);
    if hash != parsed.hash {
        return Err(format!(
            "its content hashes to {hash}, not to the {} of its name",
            parsed.hash
        ));
    }
    let header = object::decode_header(key, bytes).map_err(|e| e.to_string())?;
    if object::target_dir(&header.target) != parsed.target_dir
        || header.scan_time != parsed.scan_time()
    {
        return Err(format!(
            "its header (target {:?}, scan time {}) does not match its key",
            header.target, header.scan_time
        ));
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::{Header, FORMAT, FORMAT_VERSION};
    use crate::record::{record, Request};
    use crate::store::LocalStore;

    const REPORT: &str = r#"{"schema_version": "1", "tool": {"name": "soc2scan", "version": "0.1.0"},
        "inputs": ["infra"], "findings": [], "criteria": []}"#;

    fn put(s: &LocalStore, time: &str) -> String {
        record(
            s,
            &Request {
                report_json: REPORT,
                file: "r.json",
                target: Some("t".into()),
                scan_time: time.into(),
                retention: None,
            },
        )
        .unwrap()
        .hash
    }

    /// Writes an object by hand (not through `record`), naming `previous`.
    fn forge(s: &LocalStore, time: &str, previous: Option<String>) -> String {
        let o = Object {
            header: Header {
                format: FORMAT.into(),
                version: FORMAT_VERSION,
                target: "t".into(),
                scan_time: time.into(),
                tool_version: "0.1.0".into(),
                ruleset_hash: None,
                commit: None,
                scopes: vec![],
                report_sha256: object::sha256(REPORT.as_bytes()),
                previous,
            },
            report: REPORT.into(),
        };
        let (bytes, hash) = o.encode();
        let key = o.key(&hash);
        s.put_new(&key, &bytes, None).unwrap();
        key
    }

    fn kinds(v: &Verified) -> Vec<(ProblemKind, String)> {
        v.problems
            .iter()
            .map(|p| (p.kind, Key::parse(&p.key).unwrap().time))
            .collect()
    }

    #[test]
    fn finds_reordered_and_missing_objects() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::new(dir.path());
        assert!(verify(&s).is_err(), "an empty store is an error");
        let h0 = put(&s, "2026-01-01T02:00:00Z");
        let h1 = put(&s, "2026-01-02T02:00:00Z");
        put(&s, "2026-01-03T02:00:00Z");
        let v = verify(&s).unwrap();
        assert!(v.intact(), "{:?}", v.problems);
        assert_eq!(v.intact_objects().count(), 3);
        // Re-inserted between day 2 and 3, chained to day 2: day 3 no longer follows
        // the object before it.
        forge(&s, "2026-01-02T12:00:00Z", Some(h1.clone()));
        assert_eq!(
            kinds(&verify(&s).unwrap()),
            vec![(ProblemKind::Reordered, "20260103T020000Z".into())]
        );
        // An object claiming an unknown predecessor, and one starting a second chain.
        forge(
            &s,
            "2026-01-04T02:00:00Z",
            Some(format!("sha256:{}", "0".repeat(64))),
        );
        forge(&s, "2026-01-05T02:00:00Z", None);
        let v = verify(&s).unwrap();
        assert_eq!(
            kinds(&v),
            vec![
                (ProblemKind::Reordered, "20260103T020000Z".into()),
                (ProblemKind::Missing, "20260104T020000Z".into()),
                (ProblemKind::Reordered, "20260105T020000Z".into()),
            ]
        );
        assert!(v.problems[2]
            .message
            .starts_with("starts a new chain although"));
        // Recording refuses to go back in time.
        let late = record(
            &s,
            &Request {
                report_json: REPORT,
                file: "r.json",
                target: Some("t".into()),
                scan_time: "2026-01-01T03:00:00Z".into(),
                retention: None,
            },
        );
        assert!(matches!(
            late,
            Err(crate::EvidenceError::NotAfterLatest { .. })
        ));
        assert_ne!(h0, h1);
    }
}
