//! Narrowing a scan to what changed: explicit file arguments (pre-commit passes the
//! staged files) and `--changed-since REF` (files changed in git since REF).
//!
//! Both keep the evaluation whole — a Terraform file means nothing without the other
//! files of its directory (its module), so the module is always scanned — and narrow
//! only what is *reported*:
//!
//! - **explicit files**: every directory holding a named file is scanned as a module
//!   (its top-level files; called local modules are loaded as usual), and only results
//!   located in one of the named files are kept ([`FileArgs`]);
//! - **changed since REF**: the scan is unchanged, and only results in a changed file or
//!   in a directory (module) holding a changed file are kept ([`changed_since`]).
//!
//! A result's file is its location's, else its resource's ([`result_file`]). Results
//! without a file (live resources) are kept; diagnostics without a file are kept, those
//! with one follow the same rule as results.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use camino::{Utf8Path, Utf8PathBuf};

use crate::baseline::result_file;
use crate::discover::{display_path, normalize, FileKind};
use crate::report::Report;

/// Why `--changed-since` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// `git` could not be started.
    #[error("--changed-since needs git, which could not be run: {0}")]
    GitMissing(#[source] std::io::Error),
    /// The scanned path is not inside a git work tree.
    #[error("--changed-since: {path} is not inside a git repository")]
    NotARepository {
        /// The directory git was asked about.
        path: PathBuf,
    },
    /// The revision does not name a commit.
    #[error("--changed-since: unknown git revision {rev:?} (fetch it first, e.g. `git fetch origin main`, or use a commit id)")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
    },
    /// A git command failed.
    #[error("--changed-since: `git {args}` failed: {stderr}")]
    Git {
        /// The arguments.
        args: String,
        /// What git said.
        stderr: String,
    },
    /// The working directory cannot be read.
    #[error("cannot read the working directory: {0}")]
    Cwd(#[source] std::io::Error),
}

/// The working directory, normalised.
/// Whether `path` is a model document (`soc2scan model` output), judged on its start.
fn is_model_document(path: &Path) -> bool {
    use std::io::Read;
    if FileKind::of(path) != Some(FileKind::Json) {
        return false;
    }
    let mut head = Vec::with_capacity(512);
    let read = std::fs::File::open(path).and_then(|f| f.take(512).read_to_end(&mut head));
    read.is_ok() && crate::model_document::is_document(&String::from_utf8_lossy(&head))
}

fn cwd() -> Result<PathBuf, std::io::Error> {
    std::env::current_dir().map(|p| normalize(&p))
}

/// Explicit file arguments of a scan: the modules to scan and the files to report on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileArgs {
    /// What to hand to discovery: directories given as such, plus the top-level files
    /// soc2scan reads of each directory holding a named file.
    pub scan_paths: Vec<PathBuf>,
    /// Display paths of the named files.
    pub files: BTreeSet<Utf8PathBuf>,
    /// Display paths of directories given as such (everything under them is reported).
    pub dirs: Vec<Utf8PathBuf>,
    /// A model document was named: its results point at the files it was recorded from,
    /// wherever they are, and are all reported.
    pub whole: bool,
}

impl FileArgs {
    /// Splits `paths` into files and directories; `None` when no path is an existing
    /// file (the scan is then unchanged). Missing paths are left for discovery to report.
    pub fn plan(paths: &[PathBuf]) -> Result<Option<FileArgs>, std::io::Error> {
        if !paths.iter().any(|p| p.is_file()) {
            return Ok(None);
        }
        let cwd = cwd()?;
        let mut out = FileArgs::default();
        let mut module_dirs: BTreeSet<PathBuf> = BTreeSet::new();
        for p in paths {
            if crate::adapt::k8s_manifest::is_stdin(p) {
                // Standard input is read as given and reported whole.
                out.files
                    .insert(crate::adapt::k8s_manifest::STDIN_PATH.into());
                out.scan_paths.push(p.clone());
            } else if p.is_file() && is_model_document(p) {
                out.whole = true;
                out.scan_paths.push(p.clone());
            } else if p.is_file() {
                out.files.insert(display_path(p, &cwd));
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                module_dirs.insert(dir);
            } else {
                out.dirs.push(display_path(p, &cwd));
                out.scan_paths.push(p.clone());
            }
        }
        for dir in module_dirs {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or(".");
                    !name.starts_with('.') && FileKind::of(p).is_some()
                })
                .collect();
            files.sort();
            out.scan_paths.extend(files);
        }
        Ok(Some(out))
    }

    /// Whether results in `file` (a display path) are reported.
    pub fn keeps(&self, file: &str) -> bool {
        // Standard input is always named explicitly (`scan -`), so its results stay.
        if self.whole || file == crate::adapt::k8s_manifest::STDIN_PATH {
            return true;
        }
        let f = Utf8Path::new(file);
        self.files.contains(f) || self.dirs.iter().any(|d| is_under(f, d))
    }
}

/// Whether `file` lies in `dir` or below (display paths; the empty path and `.` are the
/// working directory, which holds every relative path).
fn is_under(file: &Utf8Path, dir: &Utf8Path) -> bool {
    let d = dir.as_str();
    if d.is_empty() || d == "." {
        return file.is_relative() && !file.starts_with("..");
    }
    file.starts_with(dir)
}

/// Files changed in a git repository, as display paths, and the directories holding them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Changed, added, deleted and untracked files.
    pub files: BTreeSet<Utf8PathBuf>,
    /// Their directories (the modules a change can affect).
    pub dirs: BTreeSet<Utf8PathBuf>,
}

impl ChangeSet {
    /// Whether results in `file` (a display path) are reported: the file changed, or its
    /// directory holds a changed file.
    pub fn keeps(&self, file: &str) -> bool {
        let f = Utf8Path::new(file);
        self.files.contains(f) || self.dirs.contains(parent_of(f))
    }
}

fn parent_of(f: &Utf8Path) -> &Utf8Path {
    f.parent().unwrap_or(Utf8Path::new(""))
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, DiffError> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(DiffError::GitMissing)
}

fn git_ok(dir: &Path, args: &[&str]) -> Result<Vec<u8>, DiffError> {
    let out = git(dir, args)?;
    if !out.status.success() {
        return Err(DiffError::Git {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// What changed in the git repository holding `path` since `rev`: files changed between
/// the merge base of `rev` and `HEAD` and `HEAD` (`git diff REF...HEAD`), plus staged,
/// unstaged and untracked (not ignored) files.
pub fn changed_since(path: &Path, rev: &str) -> Result<ChangeSet, DiffError> {
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    let top = git(&dir, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(DiffError::NotARepository { path: dir });
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim_end_matches(['\n', '\r']));
    let spec = format!("{rev}^{{commit}}");
    let verify = git(&top, &["rev-parse", "--verify", "--quiet", &spec])?;
    if rev.starts_with('-') || !verify.status.success() {
        return Err(DiffError::UnknownRevision {
            rev: rev.to_string(),
        });
    }
    let range = format!("{rev}...HEAD");
    let mut names: Vec<u8> = Vec::new();
    for args in [
        vec!["diff", "--name-only", "-z", "--no-renames", &range, "--"],
        vec!["diff", "--name-only", "-z", "--no-renames", "HEAD", "--"],
        vec!["ls-files", "--others", "--exclude-standard", "-z"],
    ] {
        names.extend(git_ok(&top, &args)?);
        names.push(0);
    }
    let cwd = cwd().map_err(DiffError::Cwd)?;
    let mut set = ChangeSet::default();
    for name in names.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let rel = String::from_utf8_lossy(name);
        let shown = display_path(&top.join(rel.as_ref()), &cwd);
        set.dirs.insert(parent_of(&shown).to_path_buf());
        set.files.insert(shown);
    }
    Ok(set)
}

/// Everything that narrows a scan's report: explicit files, `--changed-since`, and the
/// scanned paths themselves (for deciding which baseline entries were in scope).
#[derive(Debug, Clone, Default)]
pub struct Narrowing {
    /// Explicit file arguments, when any path is a file.
    pub files: Option<FileArgs>,
    /// Files changed since the `--changed-since` revision.
    pub changes: Option<ChangeSet>,
    /// Display paths of the scanned paths.
    pub roots: Vec<Utf8PathBuf>,
}

/// Why a scan cannot be narrowed as asked.
#[derive(Debug, thiserror::Error)]
pub enum NarrowError {
    /// `--changed-since` failed.
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// The directory of a named file could not be listed.
    #[error("cannot list the module directory of a given file: {0}")]
    Files(#[source] std::io::Error),
}

impl Narrowing {
    /// Plans the narrowing of a scan of `paths`; runs git for `changed_since`.
    pub fn plan(paths: &[PathBuf], changed_since: Option<&str>) -> Result<Narrowing, NarrowError> {
        let cwd = cwd().map_err(NarrowError::Files)?;
        let files = FileArgs::plan(paths).map_err(NarrowError::Files)?;
        let changes = match changed_since {
            Some(rev) => {
                let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
                Some(self::changed_since(&first, rev)?)
            }
            None => None,
        };
        Ok(Narrowing {
            files,
            changes,
            roots: paths.iter().map(|p| display_path(p, &cwd)).collect(),
        })
    }

    /// The paths to scan instead of `paths`.
    pub fn scan_paths(&self, paths: Vec<PathBuf>) -> Vec<PathBuf> {
        match &self.files {
            Some(f) => f.scan_paths.clone(),
            None => paths,
        }
    }

    /// Whether results in `file` are reported.
    pub fn keeps(&self, file: &str) -> bool {
        self.files.as_ref().is_none_or(|f| f.keeps(file))
            && self.changes.as_ref().is_none_or(|c| c.keeps(file))
    }

    /// Whether `file` was in the scan's scope: under a scanned path and reported. Live
    /// resources (no file) are in scope.
    pub fn in_scope(&self, file: &str) -> bool {
        if file.is_empty() {
            return true;
        }
        let f = Utf8Path::new(file);
        let whole = self.files.as_ref().is_some_and(|a| a.whole);
        self.keeps(file) && (whole || self.roots.iter().any(|r| f == r || is_under(f, r)))
    }

    /// Removes what is out of scope from `report` (a no-op when nothing narrows).
    pub fn apply(&self, report: &mut Report) {
        if self.files.is_some() || self.changes.is_some() {
            retain(report, |f| self.keeps(f));
        }
    }
}

/// Keeps only the results (and file diagnostics) whose file `keep` accepts; results
/// and diagnostics without a file stay.
pub fn retain(report: &mut Report, keep: impl Fn(&str) -> bool) {
    report.results.retain(|r| result_file(r).is_none_or(&keep));
    report
        .diagnostics
        .retain(|d| d.file.as_ref().is_none_or(|f| keep(f.as_str())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under() {
        assert!(is_under(Utf8Path::new("a/b.tf"), Utf8Path::new("")));
        assert!(is_under(Utf8Path::new("a/b.tf"), Utf8Path::new("a")));
        assert!(!is_under(Utf8Path::new("ab/b.tf"), Utf8Path::new("a")));
        assert!(!is_under(Utf8Path::new("../x/b.tf"), Utf8Path::new("")));
    }

    #[test]
    fn change_set_keeps_files_and_their_modules() {
        let mut c = ChangeSet::default();
        c.files.insert("infra/main.tf".into());
        c.dirs.insert("infra".into());
        c.files.insert("top.tf".into());
        c.dirs.insert("".into());
        assert!(c.keeps("infra/main.tf"));
        assert!(c.keeps("infra/other.tf"));
        assert!(c.keeps("root.tf"));
        assert!(!c.keeps("infra/modules/x/main.tf"));
        assert!(!c.keeps("other/main.tf"));
    }
}
