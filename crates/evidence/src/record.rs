//! Recording a scan: one new object, chained to the latest object of its target.

use crate::error::{EvidenceError, Result};
use crate::object::{self, Header, Key, Object};
use crate::report_json;
use crate::store::{Retention, Store};

/// What to record.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The JSON report (`scan --format json`), verbatim.
    pub report_json: &'a str,
    /// Where it came from, for messages.
    pub file: &'a str,
    /// The target; default: the report's inputs ([`report_json::ScanData::default_target`]).
    pub target: Option<String>,
    /// The scan time, RFC 3339 UTC (`2026-03-01T02:00:00Z`).
    pub scan_time: String,
    /// S3 Object Lock retention for the new object.
    pub retention: Option<Retention>,
}

/// What was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The new object's key.
    pub key: String,
    /// Its hash.
    pub hash: String,
    /// The target.
    pub target: String,
    /// The hash of the object it follows, `None` for a target's first.
    pub previous: Option<String>,
}

/// Whether `t` is `YYYY-MM-DDTHH:MM:SSZ`.
fn is_rfc3339_utc(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 20
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && crate::day::parse(&t[..10]).is_ok()
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// Records `req` into `store` (see the module documentation). The previous object is
/// the latest one of the same target at the time of recording; a scan not later than
/// it is refused (evidence is append-only).
pub fn record(store: &dyn Store, req: &Request<'_>) -> Result<Recorded> {
    if !is_rfc3339_utc(&req.scan_time) {
        return Err(EvidenceError::Invalid(format!(
            "invalid scan time {:?} (expected YYYY-MM-DDTHH:MM:SSZ)",
            req.scan_time
        )));
    }
    let data = report_json::parse(req.file, req.report_json)?;
    let target = req
        .target
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| data.default_target());
    if target.is_empty() {
        return Err(EvidenceError::BadReport {
            file: req.file.to_string(),
            message: "the report lists no input; name the target with --target".into(),
        });
    }
    let dir = object::target_dir(&target);
    let latest = store
        .list_target(&dir)?
        .iter()
        .filter_map(|k| Key::parse(k))
        .filter(|k| k.target_dir == dir)
        .max();
    let new_time = Key::of(&target, &req.scan_time, "").time;
    if let Some(l) = &latest {
        if l.time >= new_time {
            return Err(EvidenceError::NotAfterLatest {
                target,
                scan_time: req.scan_time.clone(),
                latest: l.scan_time(),
            });
        }
    }
    let previous = latest.map(|k| k.hash);
    let obj = Object {
        header: Header {
            format: object::FORMAT.into(),
            version: object::FORMAT_VERSION,
            target: target.clone(),
            scan_time: req.scan_time.clone(),
            tool_version: data.tool_version.clone(),
            ruleset_hash: data.ruleset_hash.clone(),
            commit: data.commit.clone(),
            scopes: data.scopes.clone(),
            report_sha256: object::sha256(req.report_json.as_bytes()),
            previous: previous.clone(),
        },
        report: req.report_json.to_string(),
    };
    let (stored, hash) = obj.encode();
    let key = obj.key(&hash);
    store.put_new(&key, &stored, req.retention)?;
    Ok(Recorded {
        key,
        hash,
        target,
        previous,
    })
}
