//! Source snippets for reports: each scanned file is read once, redacted as a whole
//! (so multi-line secrets are masked, see [`super::redact`]) and cut per region.
//!
//! Reading is best effort: a file that cannot be read (deleted since the scan, a live
//! resource without a file, a path relative to another directory) gives no snippet,
//! never an error.

use std::collections::HashMap;

use camino::{Utf8Path, Utf8PathBuf};

use super::redact::redact_text;

/// Files larger than this are not read for snippets.
const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Lines longer than this (in characters) are cut around the finding's column, so a
/// one-line file (a minified plan JSON) never floods a report.
pub const MAX_LINE_CHARS: usize = 240;

/// Characters kept before the column when a long line is cut.
const CONTEXT_BEFORE: usize = 40;

/// `line` cut to [`MAX_LINE_CHARS`] characters around 1-based `column`, with `…` marking cuts.
pub fn cut_long_line(line: &str, column: u32) -> String {
    let count = line.chars().count();
    if count <= MAX_LINE_CHARS {
        return line.to_string();
    }
    let col = (column.max(1) as usize - 1).min(count - 1);
    let from = col
        .saturating_sub(CONTEXT_BEFORE)
        .min(count - MAX_LINE_CHARS);
    let to = from + MAX_LINE_CHARS;
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(line.chars().skip(from).take(to - from));
    if to < count {
        out.push('…');
    }
    out
}

/// A cut of a source file: redacted lines with their 1-based numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Number of the first line.
    pub start: u32,
    /// The redacted lines, without line terminators.
    pub lines: Vec<String>,
    /// Whether the region had more lines than were kept.
    pub truncated: bool,
}

impl Snippet {
    /// Number of the last line kept.
    pub fn end(&self) -> u32 {
        self.start + self.lines.len().saturating_sub(1) as u32
    }

    /// The lines joined with `\n` (and a final `\n`).
    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

/// A cache of redacted source files, resolved against an optional root directory.
#[derive(Debug, Default)]
pub struct SourceFiles {
    root: Option<Utf8PathBuf>,
    files: HashMap<String, Option<Vec<String>>>,
}

impl SourceFiles {
    /// Reads report paths relative to `root`, or to the working directory when `None`
    /// (report paths are relative to the directory the scan ran in).
    pub fn new(root: Option<&Utf8Path>) -> Self {
        SourceFiles {
            root: root.map(Utf8Path::to_path_buf),
            files: HashMap::new(),
        }
    }

    /// Redacted lines `start..=end` (1-based) of `path`, at most `max_lines` of them;
    /// `None` when the file cannot be read or the lines are not in it.
    pub fn snippet(
        &mut self,
        path: &str,
        start: u32,
        end: u32,
        max_lines: usize,
    ) -> Option<Snippet> {
        self.snippet_at(path, start, 1, end, max_lines)
    }

    /// Like [`SourceFiles::snippet`]; lines longer than [`MAX_LINE_CHARS`] are cut around
    /// `column` (1-based, on the first line; later lines are cut from their start).
    pub fn snippet_at(
        &mut self,
        path: &str,
        start: u32,
        column: u32,
        end: u32,
        max_lines: usize,
    ) -> Option<Snippet> {
        if start == 0 || max_lines == 0 {
            return None;
        }
        let end = end.max(start);
        let lines = self.lines(path)?;
        let first = usize::try_from(start - 1).ok()?;
        if first >= lines.len() {
            return None;
        }
        let last = usize::try_from(end).ok()?.min(lines.len());
        let kept = (last - first).min(max_lines);
        Some(Snippet {
            start,
            lines: lines[first..first + kept]
                .iter()
                .enumerate()
                .map(|(i, l)| cut_long_line(l, if i == 0 { column } else { 1 }))
                .collect(),
            truncated: last - first > kept,
        })
    }

    /// Every redacted line of `path`, read on first use.
    fn lines(&mut self, path: &str) -> Option<&[String]> {
        if !self.files.contains_key(path) {
            let full = match &self.root {
                Some(root) if !Utf8Path::new(path).is_absolute() => root.join(path),
                _ => Utf8PathBuf::from(path),
            };
            let read = std::fs::metadata(&full)
                .ok()
                .filter(|m| m.is_file() && m.len() <= MAX_FILE_BYTES)
                .and_then(|_| std::fs::read(&full).ok())
                .map(|bytes| redact_text(&String::from_utf8_lossy(&bytes)));
            self.files.insert(path.to_string(), read);
        }
        self.files.get(path).and_then(|l| l.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line: String = (0..1000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let cut = cut_long_line(&line, 500);
        assert_eq!(cut.chars().count(), MAX_LINE_CHARS + 2);
        assert!(cut.starts_with('…') && cut.ends_with('…'));
        assert!(cut.contains(&line[455..520]));
        assert_eq!(cut_long_line("short", 3), "short");
        let start = cut_long_line(&line, 1);
        assert!(start.starts_with("abc") && start.ends_with('…'));
        let end = cut_long_line(&line, 1000);
        assert!(end.starts_with('…') && end.ends_with(&line[990..]));
    }

    #[test]
    fn cuts_redacts_and_caps() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8Path::from_path(dir.path()).unwrap();
        std::fs::write(root.join("a.tf"), "a\r\npassword = \"hunter2\"\nc\nd\n").unwrap();
        let mut s = SourceFiles::new(Some(root));
        let sn = s.snippet("a.tf", 2, 3, 10).unwrap();
        assert_eq!(sn.lines, ["password = \"***\"", "c"]);
        assert!(!sn.truncated);
        assert_eq!(sn.end(), 3);
        let sn = s.snippet("a.tf", 1, 4, 2).unwrap();
        assert_eq!(sn.lines, ["a", "password = \"***\""]);
        assert!(sn.truncated);
        assert_eq!(s.snippet("a.tf", 9, 9, 2), None);
        assert_eq!(s.snippet("a.tf", 0, 1, 2), None);
        assert_eq!(s.snippet("missing.tf", 1, 1, 2), None);
        // End before start is read as a one-line region.
        assert_eq!(s.snippet("a.tf", 3, 1, 5).unwrap().lines, ["c"]);
    }
}
