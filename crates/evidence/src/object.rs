//! One evidence object: a header line (JSON) and the scan's full JSON report, verbatim,
//! compressed with gzip as one immutable blob.
//!
//! The object's hash is the SHA-256 of the stored (compressed) bytes; it is part of
//! the object's key (`objects/<target>/<time>-<hash>.json.gz`), so an altered object
//! no longer matches its name, and it is what the next object of the same target
//! names as `previous` (the hash chain). Hashing what is stored lets `verify` check a
//! year of objects without decompressing them: only the header line is read.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{EvidenceError, Result};

/// The `format` of every header.
pub const FORMAT: &str = "soc2scan-evidence";
/// Version of the object format.
pub const FORMAT_VERSION: u32 = 1;
/// Where objects live within a store.
pub const OBJECTS_DIR: &str = "objects";

/// What an object says about the scan it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// What was scanned, stable from one scan to the next (`repo:infra`,
    /// `aws:123456789012`, `kubernetes:prod`, or the name given with `--target`).
    pub target: String,
    /// When the scan ran, RFC 3339 UTC (`SOURCE_DATE_EPOCH` when set).
    pub scan_time: String,
    /// soc2scan version that scanned.
    pub tool_version: String,
    /// Hash of the rule set that ran (`evidence.ruleset_hash` of the report).
    pub ruleset_hash: Option<String>,
    /// The scanned repository's commit, when the report has one.
    pub commit: Option<String>,
    /// The regions or other scopes the report read (coverage scopes), sorted.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `sha256:` of the report's JSON bytes.
    pub report_sha256: String,
    /// Hash of the previous object of the same target, `None` for the first.
    pub previous: Option<String>,
}

/// A decoded object.
#[derive(Debug, Clone)]
pub struct Object {
    /// The header.
    pub header: Header,
    /// The JSON report, as recorded.
    pub report: String,
}

/// `sha256:` + lower-case hex of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Object {
    /// The uncompressed bytes: the header as one line of JSON, then the report.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising plain data cannot fail.
        let mut out = serde_json::to_vec(&self.header).unwrap_or_default();
        out.push(b'\n');
        out.extend_from_slice(self.report.as_bytes());
        out
    }

    /// The stored form and its hash: gzip of [`Object::to_bytes`] (no file name, no
    /// time in the gzip header) and `sha256:` of those compressed bytes.
    pub fn encode(&self) -> (Vec<u8>, String) {
        let mut enc = flate2::GzBuilder::new()
            .mtime(0)
            .write(Vec::new(), flate2::Compression::default());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&self.to_bytes());
        let stored = enc.finish().unwrap_or_default();
        let hash = sha256(&stored);
        (stored, hash)
    }

    /// The key of this object stored with `hash` (see [`Key`]).
    pub fn key(&self, hash: &str) -> String {
        Key::of(&self.header.target, &self.header.scan_time, hash).to_string()
    }

    /// Decodes a whole stored object and checks its report against the header's
    /// digest; `key` names it in errors.
    pub fn decode(key: &str, stored: &[u8]) -> Result<Object> {
        let bad = |message: String| EvidenceError::BadReport {
            file: key.to_string(),
            message,
        };
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(stored)
            .read_to_end(&mut raw)
            .map_err(|e| bad(format!("not a gzip stream: {e}")))?;
        let nl = raw
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| bad("no header line".into()))?;
        let header = parse_header(key, &raw[..nl])?;
        let report = String::from_utf8(raw[nl + 1..].to_vec())
            .map_err(|_| bad("the report is not UTF-8".into()))?;
        if sha256(report.as_bytes()) != header.report_sha256 {
            return Err(bad(
                "its report does not match the report digest of its header".into(),
            ));
        }
        Ok(Object { header, report })
    }
}

/// Decodes only the header line of a stored object (the rest is not decompressed).
pub fn decode_header(key: &str, stored: &[u8]) -> Result<Header> {
    let mut line = Vec::new();
    let mut reader = std::io::BufReader::new(flate2::read::GzDecoder::new(stored));
    std::io::BufRead::read_until(&mut reader, b'\n', &mut line).map_err(|e| {
        EvidenceError::BadReport {
            file: key.to_string(),
            message: format!("not a gzip stream: {e}"),
        }
    })?;
    if line.pop() != Some(b'\n') {
        return Err(EvidenceError::BadReport {
            file: key.to_string(),
            message: "no header line".into(),
        });
    }
    parse_header(key, &line)
}

fn parse_header(key: &str, line: &[u8]) -> Result<Header> {
    let bad = |message: String| EvidenceError::BadReport {
        file: key.to_string(),
        message,
    };
    let header: Header =
        serde_json::from_slice(line).map_err(|e| bad(format!("invalid header: {e}")))?;
    if header.format != FORMAT || header.version != FORMAT_VERSION {
        return Err(bad(format!(
            "format {:?} version {} (this soc2scan reads {FORMAT} version {FORMAT_VERSION})",
            header.format, header.version
        )));
    }
    Ok(header)
}

/// A parsed object key: `objects/<target dir>/<YYYYMMDDTHHMMSSZ>-<hex hash>.json.gz`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    /// The target's directory ([`target_dir`]).
    pub target_dir: String,
    /// Compact scan time (`20260301T093000Z`): keys sort by time within a target.
    pub time: String,
    /// The object's hash (`sha256:…`).
    pub hash: String,
}

impl Key {
    /// The key of an object of `target` scanned at `scan_time` (RFC 3339) with `hash`.
    pub fn of(target: &str, scan_time: &str, hash: &str) -> Key {
        Key {
            target_dir: target_dir(target),
            time: scan_time.replace(['-', ':'], ""),
            hash: hash.to_string(),
        }
    }

    /// Parses a key; `None` for anything else in the store.
    pub fn parse(key: &str) -> Option<Key> {
        let rest = key.strip_prefix(OBJECTS_DIR)?.strip_prefix('/')?;
        let (dir, file) = rest.split_once('/')?;
        let stem = file.strip_suffix(".json.gz")?;
        let (time, hex) = stem.split_once('-')?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) || time.len() != 16 {
            return None;
        }
        Some(Key {
            target_dir: dir.to_string(),
            time: time.to_string(),
            hash: format!("sha256:{hex}"),
        })
    }

    /// The scan time as RFC 3339.
    pub fn scan_time(&self) -> String {
        let t = &self.time;
        if t.len() != 16 {
            return t.clone();
        }
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &t[..4],
            &t[4..6],
            &t[6..8],
            &t[9..11],
            &t[11..13],
            &t[13..15]
        )
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hex = self.hash.strip_prefix("sha256:").unwrap_or(&self.hash);
        write!(
            f,
            "{OBJECTS_DIR}/{}/{}-{hex}.json.gz",
            self.target_dir, self.time
        )
    }
}

/// The directory of a target's objects: the target with characters outside
/// `[A-Za-z0-9._-]` replaced by `_` (at most 64), then `-` and 8 hex digits of its
/// hash, so two targets never share a directory.
pub fn target_dir(target: &str) -> String {
    let slug: String = target
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let h = sha256(target.as_bytes());
    format!("{slug}-{}", &h[7..15])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object() -> Object {
        Object {
            header: Header {
                format: FORMAT.into(),
                version: FORMAT_VERSION,
                target: "repo:infra".into(),
                scan_time: "2026-03-01T09:30:00Z".into(),
                tool_version: "0.1.0".into(),
                ruleset_hash: Some("sha256:ab".into()),
                commit: None,
                scopes: vec![],
                report_sha256: sha256(b"{}"),
                previous: None,
            },
            report: "{}".into(),
        }
    }

    #[test]
    fn round_trips_and_keys_parse() {
        let o = object();
        let (stored, hash) = o.encode();
        assert_eq!(hash, sha256(&stored));
        let back = Object::decode("k", &stored).unwrap();
        assert_eq!(back.header, o.header);
        assert_eq!(back.report, "{}");
        assert_eq!(decode_header("k", &stored).unwrap(), o.header);
        let key = o.key(&hash);
        assert!(key.starts_with("objects/repo_infra-"), "{key}");
        let parsed = Key::parse(&key).unwrap();
        assert_eq!(parsed.hash, hash);
        assert_eq!(parsed.scan_time(), "2026-03-01T09:30:00Z");
        assert_eq!(parsed.to_string(), key);
        assert_eq!(Key::parse("objects/x/notes.txt"), None);
        assert!(Object::decode("k", b"garbage").is_err());
        assert!(decode_header("k", b"garbage").is_err());
        // A report that does not match the header's digest.
        let mut wrong = o.clone();
        wrong.report = "[]".into();
        assert!(Object::decode("k", &wrong.encode().0).is_err());
        assert!(decode_header("k", b"garbage").is_err());
        // A report that does not match the header's digest.
        let mut wrong = o.clone();
        wrong.report = "[]".into();
        assert!(Object::decode("k", &wrong.encode().0).is_err());
    }
}
