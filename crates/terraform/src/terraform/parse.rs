//! Reading and parsing one Terraform file (`.tf` or `.tf.json`) with positions.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use hcl_edit::structure::Body;

use super::ir::Pos;
use super::json;
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};

/// A parsed file's identity and the tables that turn byte offsets into positions.
#[derive(Debug)]
pub(crate) struct FileMeta {
    /// Display path used in resources and diagnostics.
    pub display: Arc<str>,
    /// The text that was parsed (for `.tf.json`: the generated HCL).
    src: Arc<str>,
    /// Byte offset of the start of every line of `src`.
    starts: Vec<usize>,
    /// For generated text: the original line of every generated line.
    line_map: Option<Vec<u32>>,
}

impl FileMeta {
    /// Builds the line table for `src`.
    pub fn new(display: Arc<str>, src: Arc<str>, line_map: Option<Vec<u32>>) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        FileMeta {
            display,
            src,
            starts,
            line_map,
        }
    }

    /// 0-based line index of a byte offset.
    fn line_idx(&self, off: usize) -> usize {
        match self.starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// 1-based line (original line for generated text) and 1-based column of an offset.
    fn line_col(&self, off: usize) -> (u32, u32) {
        let idx = self.line_idx(off);
        if let Some(map) = &self.line_map {
            return (map.get(idx).copied().unwrap_or(1), 1);
        }
        let start = self.starts.get(idx).copied().unwrap_or(0);
        let off = off.min(self.src.len());
        let col = self
            .src
            .get(start..off)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (idx as u32 + 1, col as u32 + 1)
    }

    /// Position spanning from the start of `first` to the end of `last`.
    pub fn span_pos(&self, first: Option<Range<usize>>, last: Option<Range<usize>>) -> Pos {
        // A node without a span (never the case for parsed source) has no position:
        // line 0 tells reporters to fall back to the enclosing block, never a fake line 1.
        let Some(first) = first else {
            return Pos::default();
        };
        let (line, col) = self.line_col(first.start);
        let end = last.map(|r| r.end).unwrap_or(first.end);
        let end_line = self.line_col(end.saturating_sub(1).max(first.start)).0;
        Pos {
            line,
            col,
            end_line: end_line.max(line),
        }
    }

    /// Position of one span.
    pub fn pos(&self, span: Option<Range<usize>>) -> Pos {
        self.span_pos(span, None)
    }
}

/// A parsed file: its metadata and its body.
pub(crate) struct Parsed {
    /// Identity and position tables.
    pub meta: FileMeta,
    /// The HCL body.
    pub body: Body,
}

/// Whether a path names a `.tf.json` file.
pub(crate) fn is_json(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with(".json"))
}

/// Parses the text of a Terraform file; a failure is a `ParseError` diagnostic.
pub(crate) fn parse_text(
    path: &Path,
    display: Arc<str>,
    text: Arc<str>,
) -> Result<Parsed, Diagnostic> {
    if is_json(path) {
        let (hcl, map) = json::to_hcl(&text).map_err(|(line, msg)| {
            Diagnostic::at(
                DiagKind::ParseError,
                DiagLevel::Error,
                &*display,
                Some(line),
                None,
                format!("cannot parse JSON: {msg}"),
            )
        })?;
        return match hcl_edit::parser::parse_body(&hcl) {
            Ok(body) => Ok(Parsed {
                meta: FileMeta::new(display, Arc::from(hcl), Some(map)),
                body,
            }),
            Err(e) => {
                let idx = e.location().line().saturating_sub(1);
                let line = map.get(idx).copied().unwrap_or(1);
                Err(Diagnostic::at(
                    DiagKind::ParseError,
                    DiagLevel::Error,
                    &*display,
                    Some(line),
                    None,
                    format!("unsupported Terraform JSON: {}", e.message()),
                ))
            }
        };
    }
    match hcl_edit::parser::parse_body(&text) {
        Ok(body) => Ok(Parsed {
            meta: FileMeta::new(display, text, None),
            body,
        }),
        Err(e) => Err(Diagnostic::at(
            DiagKind::ParseError,
            DiagLevel::Error,
            &*display,
            Some(e.location().line() as u32),
            Some(e.location().column() as u32),
            format!("cannot parse HCL: {}", e.message()),
        )),
    }
}

/// Reads a file as text (invalid UTF-8 replaced); unreadable files are `ReadError`
/// diagnostics.
pub(crate) fn read_text(path: &Path, display: &Arc<str>) -> Result<Arc<str>, Diagnostic> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Arc::from(String::from_utf8_lossy(&bytes))),
        Err(e) => Err(Diagnostic::at(
            DiagKind::ReadError,
            DiagLevel::Error,
            &**display,
            None,
            None,
            format!("cannot read file: {e}"),
        )),
    }
}
