//! Diagnostics: what the scanner could not read, resolve or scan, reported instead of hidden.

use camino::Utf8PathBuf;
use serde::{Deserialize, Serialize};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagLevel {
    /// Something was not scanned at all (a file that does not parse).
    Error,
    /// Something was scanned only partly (a remote module, an expired suppression).
    Warning,
    /// Information worth keeping in the evidence (a template file skipped).
    Note,
}

/// What kind of problem a diagnostic reports; stable strings used in JSON and SARIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagKind {
    /// A file could not be parsed.
    ParseError,
    /// A file could not be read.
    ReadError,
    /// A module source that is not local and has no copy in `.terraform/modules`.
    RemoteModule,
    /// A local module source that does not exist.
    MissingModule,
    /// An expression could not be evaluated in a way that matters (e.g. an unresolvable `for_each`).
    Unresolved,
    /// A suppression comment that is malformed or expired.
    Suppression,
    /// A variable file given on the command line or found beside a module could not be used.
    Variables,
    /// A live API call failed (access denied, region disabled, timeout) or an account
    /// could not be scanned.
    LiveApi,
    /// A template (a Helm chart template) that is not scanned until it is rendered.
    Template,
    /// A custom policy failed while it was evaluated (a run-time error in Rego, a
    /// violation naming no resource of the model).
    Policy,
}

impl DiagKind {
    /// Stable identifier used as SARIF notification descriptor id.
    pub fn id(self) -> &'static str {
        match self {
            DiagKind::ParseError => "parse-error",
            DiagKind::ReadError => "read-error",
            DiagKind::RemoteModule => "remote-module",
            DiagKind::MissingModule => "missing-module",
            DiagKind::Unresolved => "unresolved",
            DiagKind::Suppression => "suppression",
            DiagKind::Variables => "variables",
            DiagKind::LiveApi => "live-api",
            DiagKind::Template => "template",
            DiagKind::Policy => "policy",
        }
    }
}

/// One diagnostic, with the file and position it concerns when there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// File the diagnostic is about (display path, relative to the working directory when possible).
    pub file: Option<Utf8PathBuf>,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// Seriousness.
    pub level: DiagLevel,
    /// Category.
    pub kind: DiagKind,
    /// Human-readable message; never contains secret values.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic at a file position.
    pub fn at(
        kind: DiagKind,
        level: DiagLevel,
        file: impl Into<Utf8PathBuf>,
        line: Option<u32>,
        column: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: Some(file.into()),
            line,
            column,
            level,
            kind,
            message: message.into(),
        }
    }

    /// A diagnostic that concerns no particular file.
    pub fn global(kind: DiagKind, level: DiagLevel, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            line: None,
            column: None,
            level,
            kind,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.file, self.line) {
            (Some(p), Some(l)) => write!(f, "{p}:{l}: {}", self.message),
            (Some(p), None) => write!(f, "{p}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}
