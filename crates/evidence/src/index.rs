//! The query index: a SQLite file built from the intact objects of a store, brought
//! up to date whenever its recorded set of object keys differs from the store's —
//! appended to when only later scans were added, else rebuilt from scratch (also when
//! missing or of another schema) — so the objects stay the only truth.
//!
//! It stores what changes, not every pass every night: each finding's presence as
//! intervals (fingerprint, first seen, last seen, resolved and how), each accepted
//! exception's the same way, each criterion's status per scan, and the coverage rows
//! of each scan that were not complete reads. Local stores keep it at
//! `DIR/index.sqlite`; S3 stores in a cache directory under the system's temporary
//! directory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{EvidenceError, Result};
use crate::object;
use crate::report_json;
use crate::verify::Verified;

/// Version of the index schema; an index of another version is rebuilt.
pub const SCHEMA_VERSION: &str = "2";
/// The index file name within the store's index directory.
pub const FILE_NAME: &str = "index.sqlite";

const SCHEMA: &str = "
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scans (
  key TEXT PRIMARY KEY, hash TEXT NOT NULL, target TEXT NOT NULL, scan_time TEXT NOT NULL,
  commit_sha TEXT, tool_version TEXT NOT NULL, ruleset_hash TEXT);
CREATE TABLE criterion_status (
  scan_key TEXT NOT NULL, position INTEGER NOT NULL, criterion TEXT NOT NULL,
  title TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (scan_key, criterion));
CREATE TABLE findings (
  id INTEGER PRIMARY KEY, target TEXT NOT NULL, fingerprint TEXT NOT NULL,
  rule_id TEXT NOT NULL, title TEXT NOT NULL, resource TEXT NOT NULL,
  severity TEXT NOT NULL, message TEXT NOT NULL, first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL, resolved TEXT, resolution TEXT);
CREATE TABLE exceptions (
  id INTEGER PRIMARY KEY, target TEXT NOT NULL, fingerprint TEXT NOT NULL,
  rule_id TEXT NOT NULL, resource TEXT NOT NULL, severity TEXT NOT NULL,
  reason TEXT NOT NULL, until TEXT, accepted_by TEXT, location TEXT NOT NULL,
  kind TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, ended TEXT);
CREATE TABLE not_read (scan_key TEXT NOT NULL, entry TEXT NOT NULL);
CREATE TABLE indexed (key TEXT PRIMARY KEY, target TEXT NOT NULL, scan_time TEXT NOT NULL);
CREATE INDEX findings_target ON findings (target, first_seen);
CREATE INDEX exceptions_target ON exceptions (target, first_seen);
";

/// One scan in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Object key.
    pub key: String,
    /// Object hash.
    pub hash: String,
    /// Target.
    pub target: String,
    /// Scan time (RFC 3339).
    pub scan_time: String,
    /// Commit scanned, if known.
    pub commit: Option<String>,
    /// Tool version.
    pub tool_version: String,
    /// Rule-set hash.
    pub ruleset_hash: Option<String>,
}

/// One stretch of scans in which a finding was present and not suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingInterval {
    /// Target.
    pub target: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: String,
    /// Resource.
    pub resource: String,
    /// Severity.
    pub severity: String,
    /// Message of the first scan that had it.
    pub message: String,
    /// Scan time of the first scan that had it.
    pub first_seen: String,
    /// Scan time of the last scan that had it.
    pub last_seen: String,
    /// Scan time of the first later scan without it; `None` while open.
    pub resolved: Option<String>,
    /// `fixed` (gone) or `accepted` (suppressed from then on); `None` while open.
    pub resolution: Option<String>,
}

/// One stretch of scans in which a finding was present and suppressed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExceptionInterval {
    /// Target.
    pub target: String,
    /// Fingerprint of the suppressed finding.
    pub fingerprint: String,
    /// Rule id.
    pub rule_id: String,
    /// Resource.
    pub resource: String,
    /// Severity.
    pub severity: String,
    /// Justification.
    pub reason: String,
    /// Expiry date, if any.
    pub until: Option<String>,
    /// Who accepted it, when given.
    pub accepted_by: Option<String>,
    /// Where it is written.
    pub location: String,
    /// `in-source` or `external`.
    pub kind: String,
    /// First scan with it.
    pub first_seen: String,
    /// Last scan with it.
    pub last_seen: String,
    /// First later scan without it; `None` while active.
    pub ended: Option<String>,
}

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    /// Whether this open rebuilt it from scratch.
    pub rebuilt: bool,
}

fn sql_err(path: &Path, e: impl std::fmt::Display) -> EvidenceError {
    EvidenceError::Index {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// The digest of the set of intact objects an index is built from.
fn objects_digest(verified: &Verified) -> String {
    let mut keys: Vec<&str> = verified
        .intact_objects()
        .map(|(c, _)| c.key.as_str())
        .collect();
    keys.sort();
    object::sha256(keys.join("\n").as_bytes())
}

impl Index {
    /// Opens the index in `dir` for the objects of `verified`: as it is when it was
    /// built from exactly those objects, appended to when they only add later scans of
    /// their targets, else rebuilt from them (missing, of another schema version,
    /// unreadable, or an indexed object altered or gone).
    pub fn open(dir: &Path, verified: &Verified) -> Result<Index> {
        let path = dir.join(FILE_NAME);
        let digest = objects_digest(verified);
        if path.exists() {
            if let Ok(mut conn) = Connection::open(&path) {
                let _ = conn.busy_timeout(std::time::Duration::from_secs(60));
                let current = |conn: &Connection, name: &str| -> Option<String> {
                    conn.query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                        r.get(0)
                    })
                    .optional()
                    .ok()
                    .flatten()
                };
                if current(&conn, "schema_version").as_deref() == Some(SCHEMA_VERSION) {
                    if current(&conn, "objects").as_deref() == Some(digest.as_str()) {
                        return Ok(Index {
                            conn,
                            path,
                            rebuilt: false,
                        });
                    }
                    // Only later scans were added: append them (one transaction).
                    if let Ok(true) = append(&mut conn, verified, &digest) {
                        return Ok(Index {
                            conn,
                            path,
                            rebuilt: false,
                        });
                    }
                }
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| sql_err(&path, e))?;
        // Built beside, then renamed over: readers never see a half-built index.
        let tmp = tempfile::Builder::new()
            .prefix(".index-")
            .suffix(".sqlite")
            .tempfile_in(dir)
            .map_err(|e| sql_err(&path, e))?;
        {
            let mut conn = Connection::open(tmp.path()).map_err(|e| sql_err(&path, e))?;
            build(&mut conn, verified, &digest).map_err(|e| sql_err(&path, e))?;
        }
        tmp.persist(&path).map_err(|e| sql_err(&path, e.error))?;
        let conn = Connection::open(&path).map_err(|e| sql_err(&path, e))?;
        Ok(Index {
            conn,
            path,
            rebuilt: true,
        })
    }

    fn err(&self, e: rusqlite::Error) -> EvidenceError {
        sql_err(&self.path, e)
    }

    /// Every scan, by target and time.
    pub fn scans(&self) -> Result<Vec<Scan>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT key, hash, target, scan_time, commit_sha, tool_version, ruleset_hash \
                 FROM scans ORDER BY target, scan_time, key",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([], |r| {
                Ok(Scan {
                    key: r.get(0)?,
                    hash: r.get(1)?,
                    target: r.get(2)?,
                    scan_time: r.get(3)?,
                    commit: r.get(4)?,
                    tool_version: r.get(5)?,
                    ruleset_hash: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Criterion statuses of one scan: (id, title, status), in catalog order.
    pub fn criteria(&self, scan_key: &str) -> Result<Vec<(String, String, String)>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT criterion, title, status FROM criterion_status \
                 WHERE scan_key = ?1 ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([scan_key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Coverage rows of one scan that were not complete reads.
    pub fn not_read(&self, scan_key: &str) -> Result<Vec<String>> {
        let mut st = self
            .conn
            .prepare_cached("SELECT entry FROM not_read WHERE scan_key = ?1 ORDER BY entry")
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map([scan_key], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Finding intervals overlapping `[from, to]` (RFC 3339 times), sorted.
    pub fn findings(&self, from: &str, to: &str) -> Result<Vec<FindingInterval>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT target, fingerprint, rule_id, title, resource, severity, message, \
                 first_seen, last_seen, resolved, resolution FROM findings \
                 WHERE first_seen <= ?2 AND (resolved IS NULL OR resolved >= ?1) \
                 ORDER BY target, first_seen, rule_id, resource, fingerprint",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![from, to], |r| {
                Ok(FindingInterval {
                    target: r.get(0)?,
                    fingerprint: r.get(1)?,
                    rule_id: r.get(2)?,
                    title: r.get(3)?,
                    resource: r.get(4)?,
                    severity: r.get(5)?,
                    message: r.get(6)?,
                    first_seen: r.get(7)?,
                    last_seen: r.get(8)?,
                    resolved: r.get(9)?,
                    resolution: r.get(10)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Exception intervals overlapping `[from, to]`, sorted.
    pub fn exceptions(&self, from: &str, to: &str) -> Result<Vec<ExceptionInterval>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT target, fingerprint, rule_id, resource, severity, reason, until, \
                 location, kind, first_seen, last_seen, ended, accepted_by FROM exceptions \
                 WHERE first_seen <= ?2 AND (ended IS NULL OR ended >= ?1) \
                 ORDER BY target, first_seen, rule_id, resource, fingerprint",
            )
            .map_err(|e| self.err(e))?;
        let rows = st
            .query_map(params![from, to], |r| {
                Ok(ExceptionInterval {
                    target: r.get(0)?,
                    fingerprint: r.get(1)?,
                    rule_id: r.get(2)?,
                    resource: r.get(3)?,
                    severity: r.get(4)?,
                    reason: r.get(5)?,
                    until: r.get(6)?,
                    location: r.get(7)?,
                    kind: r.get(8)?,
                    first_seen: r.get(9)?,
                    last_seen: r.get(10)?,
                    ended: r.get(11)?,
                    accepted_by: r.get(12)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }
}

/// Fills an empty database from the intact objects, target by target in time order.
fn build(conn: &mut Connection, verified: &Verified, digest: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    tx.execute(
        "INSERT INTO meta VALUES ('schema_version', ?1), ('objects', ?2)",
        params![SCHEMA_VERSION, digest],
    )?;
    add_scans(&tx, verified, &BTreeSet::new())?;
    tx.commit()
}

/// Appends the intact objects the index does not have yet, when each is later than
/// every indexed scan of its target and every indexed object is still intact; returns
/// `false` (and changes nothing) otherwise, and the index is then rebuilt.
fn append(conn: &mut Connection, verified: &Verified, digest: &str) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let indexed: BTreeSet<String> = {
        let mut st = tx.prepare("SELECT key FROM indexed")?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let intact: BTreeMap<&str, &crate::verify::Checked> = verified
        .intact_objects()
        .map(|(c, _)| (c.key.as_str(), c))
        .collect();
    if indexed.iter().any(|k| !intact.contains_key(k.as_str())) {
        return Ok(false);
    }
    for (key, c) in &intact {
        if indexed.contains(*key) {
            continue;
        }
        let Some(h) = &c.header else {
            return Ok(false);
        };
        let latest: Option<String> = tx.query_row(
            "SELECT max(scan_time) FROM indexed WHERE target = ?1",
            [&h.target],
            |r| r.get(0),
        )?;
        if latest.is_some_and(|l| l >= c.scan_time) {
            return Ok(false);
        }
    }
    let done: BTreeSet<&str> = indexed.iter().map(String::as_str).collect();
    add_scans(&tx, verified, &done)?;
    tx.execute(
        "UPDATE meta SET value = ?1 WHERE name = 'objects'",
        params![digest],
    )?;
    tx.commit()?;
    Ok(true)
}

/// Adds the intact objects not in `done`, target by target in time order, continuing
/// the intervals each target has open in the index.
fn add_scans(
    tx: &rusqlite::Transaction<'_>,
    verified: &Verified,
    done: &BTreeSet<&str>,
) -> rusqlite::Result<()> {
    let mut by_target: BTreeMap<&str, Vec<&crate::verify::Checked>> = BTreeMap::new();
    for (c, h) in verified.intact_objects() {
        if !done.contains(c.key.as_str()) {
            by_target.entry(h.target.as_str()).or_default().push(c);
        }
    }
    for (target, mut scans) in by_target {
        scans.sort_by(|a, b| (&a.scan_time, &a.key).cmp(&(&b.scan_time, &b.key)));
        // Open intervals: fingerprint → row id.
        let open_of = |table: &str, end: &str| -> rusqlite::Result<BTreeMap<String, i64>> {
            let mut st = tx.prepare(&format!(
                "SELECT fingerprint, id FROM {table} WHERE target = ?1 AND {end} IS NULL"
            ))?;
            let rows = st.query_map([target], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        let mut open = open_of("findings", "resolved")?;
        let mut open_exc = open_of("exceptions", "ended")?;
        for c in scans {
            let key = c.key.as_str();
            tx.execute(
                "INSERT INTO indexed VALUES (?1, ?2, ?3)",
                params![key, target, c.scan_time],
            )?;
            // An object whose bytes match its name but whose report does not decode
            // (written by a faulty writer) is left out, never guessed at.
            let Some(Ok(o)) = c.object() else {
                continue;
            };
            let h = &o.header;
            let Ok(data) = report_json::parse(key, &o.report) else {
                continue;
            };
            let t = h.scan_time.as_str();
            tx.execute(
                "INSERT INTO scans VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    key,
                    c.hash,
                    target,
                    t,
                    h.commit,
                    h.tool_version,
                    h.ruleset_hash
                ],
            )?;
            for (i, c) in data.criteria.iter().enumerate() {
                tx.execute(
                    "INSERT OR REPLACE INTO criterion_status VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![key, i as i64, c.id, c.title, c.status],
                )?;
            }
            for e in &data.not_read {
                tx.execute("INSERT INTO not_read VALUES (?1, ?2)", params![key, e])?;
            }
            let mut active: BTreeSet<&str> = BTreeSet::new();
            let mut suppressed: BTreeSet<&str> = BTreeSet::new();
            for f in &data.findings {
                let fp = f.fingerprint.as_str();
                match &f.suppression {
                    None => {
                        if !active.insert(fp) {
                            continue;
                        }
                        if let Some(id) = open.get(fp) {
                            tx.execute(
                                "UPDATE findings SET last_seen = ?1 WHERE id = ?2",
                                params![t, id],
                            )?;
                        } else {
                            tx.execute(
                                "INSERT INTO findings (target, fingerprint, rule_id, title, \
                                 resource, severity, message, first_seen, last_seen) \
                                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                                params![
                                    target, fp, f.rule_id, f.title, f.resource, f.severity,
                                    f.message, t
                                ],
                            )?;
                            open.insert(fp.to_string(), tx.last_insert_rowid());
                        }
                    }
                    Some(s) => {
                        if !suppressed.insert(fp) {
                            continue;
                        }
                        if let Some(id) = open_exc.get(fp) {
                            tx.execute(
                                "UPDATE exceptions SET last_seen = ?1 WHERE id = ?2",
                                params![t, id],
                            )?;
                        } else {
                            tx.execute(
                                "INSERT INTO exceptions (target, fingerprint, rule_id, resource, \
                                 severity, reason, until, location, kind, first_seen, last_seen, \
                                 accepted_by) \
                                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)",
                                params![
                                    target,
                                    fp,
                                    f.rule_id,
                                    f.resource,
                                    f.severity,
                                    s.reason,
                                    s.until,
                                    s.location,
                                    s.kind,
                                    t,
                                    s.accepted_by
                                ],
                            )?;
                            open_exc.insert(fp.to_string(), tx.last_insert_rowid());
                        }
                    }
                }
            }
            let gone: Vec<String> = open
                .keys()
                .filter(|fp| !active.contains(fp.as_str()))
                .cloned()
                .collect();
            for fp in gone {
                if let Some(id) = open.remove(&fp) {
                    let how = if suppressed.contains(fp.as_str()) {
                        "accepted"
                    } else {
                        "fixed"
                    };
                    tx.execute(
                        "UPDATE findings SET resolved = ?1, resolution = ?2 WHERE id = ?3",
                        params![t, how, id],
                    )?;
                }
            }
            let ended: Vec<String> = open_exc
                .keys()
                .filter(|fp| !suppressed.contains(fp.as_str()))
                .cloned()
                .collect();
            for fp in ended {
                if let Some(id) = open_exc.remove(&fp) {
                    tx.execute(
                        "UPDATE exceptions SET ended = ?1 WHERE id = ?2",
                        params![t, id],
                    )?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{record, Request};
    use crate::store::{LocalStore, Store};
    use crate::verify::verify;

    /// A report with one failing result per fingerprint in `failing`.
    fn report(failing: &[&str]) -> String {
        let findings: Vec<String> = failing
            .iter()
            .map(|f| {
                format!(
                    r#"{{"fingerprint": "{f}", "rule_id": "R-1", "title": "t", "resource": "r.{f}",
                    "severity": "high", "message": "m", "suppression": null}}"#
                )
            })
            .collect();
        format!(
            r#"{{"schema_version": "1", "tool": {{"name": "soc2scan", "version": "0.1.0"}},
            "inputs": ["infra"], "findings": [{}],
            "criteria": [{{"id": "CC6.1", "title": "c", "status": "{}"}}]}}"#,
            findings.join(","),
            if failing.is_empty() {
                "passed"
            } else {
                "failed"
            }
        )
    }

    fn put(s: &LocalStore, day: u32, failing: &[&str]) {
        let text = report(failing);
        record(
            s,
            &Request {
                report_json: &text,
                file: "r.json",
                target: Some("t".into()),
                scan_time: format!("2026-01-{day:02}T02:00:00Z"),
                retention: None,
            },
        )
        .unwrap();
    }

    #[test]
    fn later_scans_are_appended_and_match_a_fresh_build() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStore::new(dir.path());
        put(&s, 1, &["a"]);
        put(&s, 2, &["a", "b"]);
        let first = Index::open(dir.path(), &verify(&s).unwrap()).unwrap();
        assert!(first.rebuilt);
        drop(first);
        assert!(
            !Index::open(dir.path(), &verify(&s).unwrap())
                .unwrap()
                .rebuilt
        );
        put(&s, 3, &["b"]);
        put(&s, 4, &[]);
        let appended = Index::open(dir.path(), &verify(&s).unwrap()).unwrap();
        assert!(!appended.rebuilt, "later scans are appended");
        let fresh_dir = tempfile::tempdir().unwrap();
        let fresh = Index::open(fresh_dir.path(), &verify(&s).unwrap()).unwrap();
        assert!(fresh.rebuilt);
        let all = ("2026-01-01T00:00:00Z", "2026-12-31T23:59:59Z");
        let got = appended.findings(all.0, all.1).unwrap();
        assert_eq!(got, fresh.findings(all.0, all.1).unwrap());
        let spans: Vec<(&str, &str, &str, Option<&str>)> = got
            .iter()
            .map(|f| {
                (
                    f.fingerprint.as_str(),
                    &f.first_seen[..10],
                    &f.last_seen[..10],
                    f.resolved.as_deref().map(|r| &r[..10]),
                )
            })
            .collect();
        assert_eq!(
            spans,
            vec![
                ("a", "2026-01-01", "2026-01-02", Some("2026-01-03")),
                ("b", "2026-01-02", "2026-01-03", Some("2026-01-04")),
            ]
        );
        assert_eq!(appended.scans().unwrap().len(), 4);
        drop(appended);
        // An indexed object that is gone: rebuilt, never patched.
        let first_key = s.list().unwrap()[0].clone();
        std::fs::remove_file(dir.path().join(&first_key)).unwrap();
        let rebuilt = Index::open(dir.path(), &verify(&s).unwrap()).unwrap();
        assert!(rebuilt.rebuilt);
        assert_eq!(rebuilt.scans().unwrap().len(), 3);
    }
}
