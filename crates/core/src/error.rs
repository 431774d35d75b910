//! Errors that stop a scan from running at all (exit code 2). Problems with single
//! input files are not errors: they become [`crate::diagnostic::Diagnostic`]s. This type
//! names no source: a source's own error is carried by [`Error::Source`].

use std::path::PathBuf;

/// A reason the scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path given on the command line does not exist.
    #[error("path not found: {0}")]
    PathNotFound(PathBuf),
    /// The embedded or configured rule data (`rules/*.toml`) is invalid.
    #[error("invalid rule data in {file}: {message}")]
    RuleData {
        /// Which data file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// `--select`/`--ignore` names nothing the scanner knows.
    #[error("unknown rule selector {0:?} (expected a rule id, id prefix, slug, family or SOC 2 criterion)")]
    UnknownSelector(String),
    /// Writing the output failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// Output path.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Walking the input failed in a way that is not per-file.
    #[error("cannot read {path}: {source}")]
    Read {
        /// Path being read.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A custom policy cannot be used or did not finish (names its file and line).
    #[error("{0}")]
    Policy(String),
    /// This build of soc2scan cannot read a source (built without its feature).
    #[error("this soc2scan was built without the `{0}` feature")]
    NotBuilt(&'static str),
    /// A source (a live cluster, a live AWS account, …) could not be read at all:
    /// no credentials, no such context, no reachable endpoint. Per-resource problems
    /// are diagnostics and coverage, never this.
    #[error("{source}")]
    Source {
        /// Which source (`kubernetes`, `aws`, …).
        kind: &'static str,
        /// What went wrong, as the source reports it.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps the error of a source that could not be read at all.
    pub fn source(
        kind: &'static str,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Source {
            kind,
            source: Box::new(error),
        }
    }
}
