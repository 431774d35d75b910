//! Which files to read: walks the given paths with the `ignore` crate (honours
//! `.gitignore`, skips hidden directories and `.terraform/`) and classifies files.

use std::path::{Path, PathBuf};

use camino::Utf8PathBuf;

use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::error::{Error, Result};

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// `*.tf`
    Terraform,
    /// `*.tf.json`
    TerraformJson,
    /// `*.tfvars`
    TfVars,
    /// `*.tfvars.json`
    TfVarsJson,
    /// `*.yaml`, `*.yml`: Kubernetes manifests (recognised by content by their adapter).
    Yaml,
    /// Any other `*.json`: a Kubernetes manifest or a Terraform plan (recognised by content).
    Json,
}

impl FileKind {
    /// Classifies a file by its name; `None` for files soc2scan does not read.
    pub fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with(".tf.json") {
            Some(FileKind::TerraformJson)
        } else if name.ends_with(".tfvars.json") {
            Some(FileKind::TfVarsJson)
        } else if name.ends_with(".tf") {
            Some(FileKind::Terraform)
        } else if name.ends_with(".tfvars") {
            Some(FileKind::TfVars)
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            Some(FileKind::Yaml)
        } else if name.ends_with(".json") {
            Some(FileKind::Json)
        } else {
            None
        }
    }
}

/// A file to scan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceFile {
    /// Path to open.
    pub path: PathBuf,
    /// Path shown in reports: relative to the working directory when the file is under
    /// it, otherwise as given; always `/`-separated.
    pub display: Utf8PathBuf,
    /// Kind of input.
    pub kind: FileKind,
}

/// The display form of `path`: relative to `cwd` when under it, `/`-separated.
pub fn display_path(path: &Path, cwd: &Path) -> Utf8PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let abs = normalize(&abs);
    let shown = match abs.strip_prefix(normalize(cwd)) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => normalize(path),
    };
    Utf8PathBuf::from(shown.to_string_lossy().replace('\\', "/"))
}

/// Removes `.` and resolves `..` components lexically (no symlink resolution).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Finds every file soc2scan reads under `paths`, sorted by display path.
/// A path that does not exist is an error; files inside directories are filtered
/// by `.gitignore` and hidden/`.terraform` directories are skipped. A file named
/// explicitly is always read when its kind is known.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<SourceFile>> {
    discover_all(paths).map(|(files, _)| files)
}

/// Like [`discover`], and also reports directories or files the walk could not read
/// (permission denied, broken links) as diagnostics instead of skipping them silently.
pub fn discover_all(paths: &[PathBuf]) -> Result<(Vec<SourceFile>, Vec<Diagnostic>)> {
    let mut diagnostics = Vec::new();
    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })?;
    let mut out = Vec::new();
    for root in paths {
        if !root.exists() {
            return Err(Error::PathNotFound(root.clone()));
        }
        if root.is_file() {
            if let Some(kind) = FileKind::of(root) {
                out.push(SourceFile {
                    path: root.clone(),
                    display: display_path(root, &cwd),
                    kind,
                });
            }
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".terraform")
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    diagnostics.push(Diagnostic::global(
                        DiagKind::ReadError,
                        DiagLevel::Error,
                        format!("not scanned: {err}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            if let Some(kind) = FileKind::of(path) {
                out.push(SourceFile {
                    path: path.to_path_buf(),
                    display: display_path(path, &cwd),
                    kind,
                });
            }
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    Ok((out, diagnostics))
}
