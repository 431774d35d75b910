//! Evidence about one scan for the control report: when it ran, which commit of the
//! scanned repository it saw (and whether the working tree had uncommitted changes),
//! which rule set and which project policy file were used.
//!
//! The scan time is the only value here that changes between two runs over the same
//! input, so only the Markdown control report prints it; JSON and SARIF stay
//! byte-identical. It honours `SOURCE_DATE_EPOCH` (the reproducible-builds convention)
//! so that a report can be regenerated exactly.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use crate::discover::FileKind;
use crate::level::Level;

/// What an auditor needs to file a report as evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// When the scan ran, RFC 3339 in UTC (`2026-03-01T09:30:00Z`). Not in the JSON
    /// report (see the module documentation).
    #[serde(default)]
    pub scan_time: Option<String>,
    /// The scanned repository's commit, when the first input is inside a git work tree.
    pub git: Option<GitState>,
    /// [`crate::controls::ruleset_hash`] of the rules that ran.
    pub ruleset_hash: Option<String>,
    /// The project policy file (`.soc2scan.toml`) that applied, if any.
    pub policy: Option<PolicyFile>,
    /// The level the scan ran at (`--level`, `level =` in the policy file): `baseline`
    /// runs the baseline rules, `strict` the strict ones as well.
    #[serde(default)]
    pub level: Level,
}

/// The state of the scanned git work tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitState {
    /// `git rev-parse HEAD`.
    pub commit: String,
    /// Whether the work tree differs from the commit: a tracked file is modified,
    /// added or deleted, or an untracked file is of a kind soc2scan reads (an
    /// untracked `report.sarif` written into the tree does not count, an untracked
    /// `main.tf` does). `None` when git could not say.
    pub dirty: Option<bool>,
}

/// A policy file as used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFile {
    /// Path, relative to the working directory when under it.
    pub path: String,
    /// `sha256:` + hex digest of its bytes.
    pub sha256: String,
}

/// The environment variable that fixes the scan time (seconds since the Unix epoch).
pub const SOURCE_DATE_EPOCH: &str = "SOURCE_DATE_EPOCH";

/// The scan time: `SOURCE_DATE_EPOCH` when it is set to an integer, else the clock.
pub fn scan_time() -> String {
    let fixed = std::env::var(SOURCE_DATE_EPOCH)
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok());
    let secs = fixed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    });
    rfc3339(secs)
}

pub use crate::time::rfc3339;

/// The git state of the work tree that contains `input` (a file or directory), or
/// `None` when git is not installed, `input` is not in a work tree, or the repository
/// has no commit yet. Never an error: the report then simply has no commit.
pub fn git_state(input: &Path) -> Option<GitState> {
    let dir = if input.is_file() {
        input.parent().filter(|p| !p.as_os_str().is_empty())?
    } else {
        input
    };
    let head = git(dir, &["rev-parse", "--verify", "HEAD"])?;
    let commit = head.trim().to_string();
    if commit.len() < 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let dirty = git(dir, &["status", "--porcelain", "--untracked-files=all"])
        .map(|status| status.lines().any(changes_scanned_content));
    Some(GitState { commit, dirty })
}

/// The directory finding identities are anchored to for a scan of `input`: the top
/// level of the git work tree that contains it, else `input` itself (its directory
/// when it is a file), with symbolic links resolved. `None` when `input` does not
/// exist.
pub fn identity_root(input: &Path) -> Option<PathBuf> {
    let dir = if input.is_file() {
        match input.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    } else {
        input.to_path_buf()
    };
    let dir = std::fs::canonicalize(dir).ok()?;
    let top = git(&dir, &["rev-parse", "--show-toplevel"])
        .map(|t| PathBuf::from(t.trim_end_matches(['\n', '\r'])))
        .filter(|t| !t.as_os_str().is_empty())
        .and_then(|t| std::fs::canonicalize(t).ok());
    Some(top.unwrap_or(dir))
}

/// Whether one line of `git status --porcelain` makes the scanned content differ from
/// the commit.
fn changes_scanned_content(line: &str) -> bool {
    match line.strip_prefix("?? ") {
        Some(path) => FileKind::of(Path::new(path.trim_matches('"'))).is_some(),
        None => !line.trim().is_empty(),
    }
}

/// Runs `git -C dir args…` and returns its stdout when it succeeds. Variables that
/// would point git at another repository (set inside git hooks) are removed.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// `sha256:` + hex digest of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_600 + 3661), "2026-01-01T01:01:01Z");
        assert_eq!(rfc3339(951_782_399), "2000-02-28T23:59:59Z");
    }

    #[test]
    fn untracked_files_count_only_when_scanned() {
        assert!(changes_scanned_content(" M README.md"));
        assert!(changes_scanned_content("D  infra/old.tf"));
        assert!(changes_scanned_content("?? infra/new.tf"));
        assert!(changes_scanned_content("?? \"dir with space/x.tfvars\""));
        assert!(!changes_scanned_content("?? soc2scan.sarif"));
        assert!(!changes_scanned_content("?? notes.txt"));
        assert!(!changes_scanned_content(""));
    }

    #[test]
    fn no_git_outside_a_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(git_state(dir.path()), None);
        // Outside a work tree, identities are anchored to the scanned path itself.
        let real = std::fs::canonicalize(dir.path()).unwrap();
        let sub = dir.path().join("infra");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("main.tf"), "").unwrap();
        assert_eq!(identity_root(&sub), Some(real.join("infra")));
        assert_eq!(
            identity_root(&sub.join("main.tf")),
            Some(real.join("infra"))
        );
        assert_eq!(identity_root(&dir.path().join("missing")), None);
    }
}
