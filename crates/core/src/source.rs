//! The one interface every source implements: read into the typed model and report what
//! was read ([`crate::coverage`]). The binary lists its sources (Terraform, manifests, a
//! live cluster, live AWS accounts) and merges what they read; nothing in the scan
//! knows a source by name.

use crate::diagnostic::Diagnostic;
use crate::discover::SourceFile;
use crate::error::Result;
use crate::model::Model;

/// What the sources of one scan are given.
#[derive(Debug, Clone, Copy)]
pub struct SourceInput<'a> {
    /// The files found under the scanned paths.
    pub files: &'a [SourceFile],
    /// Standard input (`-` among the paths), when given.
    pub stdin: Option<&'a str>,
}

/// What one source read.
#[derive(Debug, Default)]
pub struct SourceRead {
    /// The resources, their links, and the coverage of every collection and scope.
    pub model: Model,
    /// Problems with single inputs (a file that does not parse, a denied call).
    pub diagnostics: Vec<Diagnostic>,
    /// How the report names what was read (`aws:123456789012`, `kubernetes:prod`).
    pub inputs: Vec<String>,
    /// Files parsed.
    pub files: usize,
    /// Resources read.
    pub resources: usize,
    /// One line for people about the work done (`AWS: 2 account(s), 311 API calls`).
    pub summary: Option<String>,
}

impl SourceRead {
    /// Adds what another source read.
    pub fn extend(&mut self, other: SourceRead) {
        self.model.extend(other.model);
        self.diagnostics.extend(other.diagnostics);
        self.inputs.extend(other.inputs);
        self.files += other.files;
        self.resources += other.resources;
        if let Some(s) = other.summary {
            self.summary = Some(match self.summary.take() {
                Some(old) => format!("{old}; {s}"),
                None => s,
            });
        }
    }
}

/// A source of infrastructure: Terraform sources, manifests, a live cluster, live AWS.
pub trait Source: Send + Sync {
    /// The kind of source (`terraform`, `kubernetes`, `aws`), as reports name it.
    fn kind(&self) -> &'static str;

    /// Reads the source. Problems with single inputs become diagnostics and coverage;
    /// an error means the source could not be read at all (no credentials, no cluster).
    fn read(&self, input: &SourceInput<'_>) -> Result<SourceRead>;
}
