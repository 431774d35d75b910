//! Module calls of a Terraform file found without a syntax tree.
//!
//! Finding the roots of a configuration only needs each file's top-level
//! `module "NAME" { source = "LITERAL" }` blocks, and a parse tree costs some fifty
//! times the text, so [`module_calls`] reads them with a scanner that follows HCL's
//! lexical structure exactly as hcl-edit does: comments (`#`, `//`, `/* */`), quoted
//! strings with escapes and `${ … }`/`%{ … }` template sequences (which nest
//! expressions, braces and strings), heredocs (`<<EOF`, `<<-EOF`, ended by the first
//! line holding only the delimiter outside template directives) and bracket depth.
//! Only depth-0 `module` blocks with one label count, and only a depth-1 `source`
//! attribute whose whole value is one literal string (possibly parenthesised) gives a
//! source. On text that parses, the result equals what the parser finds (a test
//! checks every file of the corpus); on text that does not, it is a best effort.

/// One top-level `module` block with exactly one label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ModuleCall {
    /// The block label (the module call name).
    pub name: String,
    /// The `source` attribute when it is a literal string.
    pub source: Option<String>,
}

/// The module calls of an HCL text, in file order.
pub fn module_calls(text: &str) -> Vec<ModuleCall> {
    let mut sc = Scanner {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    let mut out = Vec::new();
    sc.body(Ctx::Top, &mut out);
    out
}

/// The module calls of a Terraform file: `.tf.json` files are read through the HCL
/// text they translate to (as the parser reads them); one that does not translate
/// calls nothing.
pub fn file_module_calls(path: &std::path::Path, text: &str) -> Vec<ModuleCall> {
    if super::parse::is_json(path) {
        return match super::json::to_hcl(text) {
            Ok((hcl, _)) => module_calls(&hcl),
            Err(_) => Vec::new(),
        };
    }
    module_calls(text)
}

/// The same calls read from a parsed body: top-level `module` blocks with one label
/// and their literal `source`.
pub(crate) fn parsed_calls(body: &hcl_edit::structure::Body) -> Vec<ModuleCall> {
    body.get_blocks("module")
        .filter_map(|b| match b.labels.as_slice() {
            [name] => Some(ModuleCall {
                name: name.as_str().to_string(),
                source: b
                    .body
                    .get_attribute("source")
                    .and_then(|a| super::loader::literal_str(&a.value)),
            }),
            _ => None,
        })
        .collect()
}

/// Where a body is.
#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// The file.
    Top,
    /// The body of a top-level `module` block.
    Module,
    /// Any other block body.
    Other,
}

struct Scanner<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

/// Whether `b` may start an identifier (non-ASCII bytes are taken as letters).
fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Whether `b` may continue an identifier.
fn is_id_continue(b: u8) -> bool {
    is_id_start(b) || b.is_ascii_digit() || b == b'-'
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn at(&self, pat: &[u8]) -> bool {
        self.s.get(self.i..).is_some_and(|r| r.starts_with(pat))
    }

    /// Skips to the end of the line (the line ending itself stays).
    fn skip_line(&mut self) {
        while let Some(b) = self.peek() {
            if b == b'\n' || self.at(b"\r\n") {
                return;
            }
            self.i += 1;
        }
    }

    /// Skips a `/* … */` comment (the cursor is on `/*`).
    fn skip_block_comment(&mut self) {
        self.i += 2;
        while self.i < self.s.len() {
            if self.at(b"*/") {
                self.i += 2;
                return;
            }
            self.i += 1;
        }
    }

    /// Skips spaces, tabs and inline comments; with `newlines`, also line endings
    /// and line comments.
    fn skip_ws(&mut self, newlines: bool) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' => self.i += 1,
                b'\n' | b'\r' if newlines => self.i += 1,
                b'#' if newlines => self.skip_line(),
                b'/' if newlines && self.at(b"//") => self.skip_line(),
                b'/' if self.at(b"/*") => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.i;
        while self.peek().is_some_and(is_id_continue) {
            self.i += 1;
        }
        self.text.get(start..self.i).unwrap_or("")
    }

    /// A body up to its closing `}` (consumed) or the end of the text; in a module
    /// block, the literal value of its `source` attribute.
    fn body(&mut self, ctx: Ctx, out: &mut Vec<ModuleCall>) -> Option<String> {
        // Outer `Some`: the first `source` attribute was seen.
        let mut source: Option<Option<String>> = None;
        loop {
            self.skip_ws(true);
            let Some(b) = self.peek() else {
                return source.flatten();
            };
            if b == b'}' {
                self.i += 1;
                if ctx != Ctx::Top {
                    return source.flatten();
                }
                continue;
            }
            if !is_id_start(b) {
                // Not a structure: skip what follows as an expression to stay in step.
                self.i += 1;
                self.expr(false);
                continue;
            }
            let name = self.ident().to_string();
            self.skip_ws(false);
            match self.peek() {
                Some(b'=') => {
                    self.i += 1;
                    let value = self.expr(false);
                    if ctx == Ctx::Module && name == "source" && source.is_none() {
                        source = Some(value);
                    }
                }
                Some(b'{' | b'"') => self.block(ctx, &name, out),
                Some(b) if is_id_start(b) => self.block(ctx, &name, out),
                _ => {}
            }
        }
    }

    /// A block after its type: labels, then the body.
    fn block(&mut self, ctx: Ctx, kind: &str, out: &mut Vec<ModuleCall>) {
        let mut labels: Vec<Option<String>> = Vec::new();
        loop {
            self.skip_ws(false);
            match self.peek() {
                Some(b'"') => labels.push(self.string()),
                Some(b) if is_id_start(b) => labels.push(Some(self.ident().to_string())),
                Some(b'{') => break,
                _ => return,
            }
        }
        self.i += 1;
        if ctx == Ctx::Top && kind == "module" {
            if let [Some(name)] = labels.as_slice() {
                let name = name.clone();
                let source = self.body(Ctx::Module, out);
                out.push(ModuleCall { name, source });
                return;
            }
        }
        self.body(Ctx::Other, out);
    }

    /// An expression: up to a line ending at bracket depth 0 (unless `newlines`), an
    /// unmatched `}` (left in place) or the end of the text. Returns the value when the
    /// whole expression is one literal string, possibly in parentheses.
    fn expr(&mut self, newlines: bool) -> Option<String> {
        /// Progress of the literal test: `(`…, one string, then as many `)`.
        enum Lit {
            Opening(usize),
            Closing(usize, usize, Option<String>),
            No,
        }
        let mut lit = Lit::Opening(0);
        let mut depth = 0usize;
        loop {
            self.skip_ws(newlines || depth > 0);
            let Some(b) = self.peek() else { break };
            match b {
                b'\n' | b'\r' => break,
                b'#' => self.skip_line(),
                b'/' if self.at(b"//") => self.skip_line(),
                b'}' if depth == 0 => break,
                b'"' => {
                    let v = self.string();
                    lit = match lit {
                        Lit::Opening(n) => Lit::Closing(n, 0, v),
                        _ => Lit::No,
                    };
                }
                b'<' if self.heredoc() => lit = Lit::No,
                b'(' | b'[' | b'{' => {
                    lit = match lit {
                        Lit::Opening(n) if b == b'(' => Lit::Opening(n + 1),
                        _ => Lit::No,
                    };
                    depth += 1;
                    self.i += 1;
                }
                b')' | b']' | b'}' => {
                    lit = match lit {
                        Lit::Closing(n, c, v) if b == b')' && c < n => Lit::Closing(n, c + 1, v),
                        _ => Lit::No,
                    };
                    depth = depth.saturating_sub(1);
                    self.i += 1;
                }
                _ => {
                    lit = Lit::No;
                    self.i += 1;
                }
            }
        }
        match lit {
            Lit::Closing(n, c, v) if n == c => v,
            _ => None,
        }
    }

    /// A template sequence `${ … }` or `%{ … }` (the cursor is on `$` or `%`), up to
    /// its closing `}`. Returns the change of directive depth (`if`/`for` open one,
    /// `endif`/`endfor` close one).
    fn sequence(&mut self) -> isize {
        let directive = self.peek() == Some(b'%');
        self.i += 2;
        let mut delta = 0;
        if directive {
            let save = self.i;
            if self.peek() == Some(b'~') {
                self.i += 1;
            }
            self.skip_ws(true);
            delta = match self.ident() {
                "if" | "for" => 1,
                "endif" | "endfor" => -1,
                _ => 0,
            };
            self.i = save;
        }
        self.expr(true);
        if self.peek() == Some(b'}') {
            self.i += 1;
        }
        delta
    }

    /// A quoted string (the cursor is on `"`); its value when it has no template
    /// sequence and its escapes are valid.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut value = Some(String::new());
        let mut directives = 0isize;
        let mut lit_start = self.i;
        let flush = |v: &mut Option<String>, text: &str| {
            if let Some(v) = v {
                v.push_str(text);
            }
        };
        loop {
            let Some(b) = self.peek() else {
                // Unterminated: the parser rejects the file.
                return None;
            };
            let marker = self.at(b"$${") || self.at(b"%%{");
            let seq = !marker && (self.at(b"${") || self.at(b"%{"));
            let end = directives <= 0 && (b == b'"' || b == b'\\');
            if marker || seq || end {
                flush(&mut value, self.text.get(lit_start..self.i).unwrap_or(""));
            }
            if marker {
                flush(&mut value, if b == b'$' { "${" } else { "%{" });
                self.i += 3;
            } else if seq {
                value = None;
                directives += self.sequence();
            } else if end && b == b'"' {
                self.i += 1;
                return value;
            } else if end {
                self.i += 1;
                let c = self.escape();
                match (c, value.as_mut()) {
                    (Some(c), Some(v)) => v.push(c),
                    (None, _) => value = None,
                    _ => {}
                }
            } else {
                self.i += 1;
                continue;
            }
            lit_start = self.i;
        }
    }

    /// The character of an escape after `\`.
    fn escape(&mut self) -> Option<char> {
        let b = self.peek()?;
        self.i += 1;
        let n = match b {
            b'n' => return Some('\n'),
            b'r' => return Some('\r'),
            b't' => return Some('\t'),
            b'\\' => return Some('\\'),
            b'"' => return Some('"'),
            b'u' => 4,
            b'U' => 8,
            _ => return None,
        };
        let hex = self.s.get(self.i..self.i + n)?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        self.i += n;
        let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
        char::from_u32(code)
    }

    /// A heredoc, when the cursor is on one (`<<ID` or `<<-ID` and a line ending);
    /// returns whether it was one. Like hcl-edit, the heredoc ends at the first line
    /// ending followed by optional blanks, the delimiter and no identifier character,
    /// outside template directives; failing that, an empty heredoc whose first line
    /// is the delimiter.
    fn heredoc(&mut self) -> bool {
        let save = self.i;
        if !self.at(b"<<") {
            return false;
        }
        self.i += 2;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        if !self.peek().is_some_and(is_id_start) {
            self.i = save;
            return false;
        }
        let delim_start = self.i;
        self.ident();
        let delim = delim_start..self.i;
        if self.at(b"\r\n") {
            self.i += 2;
        } else if self.peek() == Some(b'\n') {
            self.i += 1;
        } else {
            self.i = save;
            return false;
        }
        let content = self.i;
        let mut directives = 0isize;
        while let Some(b) = self.peek() {
            if self.at(b"$${") || self.at(b"%%{") {
                self.i += 3;
            } else if self.at(b"${") || self.at(b"%{") {
                directives += self.sequence();
            } else if directives <= 0 && (b == b'\n' || self.at(b"\r\n")) {
                let nl = if b == b'\n' { 1 } else { 2 };
                if let Some(end) = self.delimiter_at(self.i + nl, delim.clone()) {
                    self.i = end;
                    return true;
                }
                self.i += nl;
            } else {
                self.i += 1;
            }
        }
        match self.delimiter_at(content, delim) {
            Some(end) => self.i = end,
            None => self.i = self.s.len(),
        }
        true
    }

    /// The end of `[ \t]*DELIM` at `pos` when no identifier character follows.
    fn delimiter_at(&self, mut pos: usize, delim: std::ops::Range<usize>) -> Option<usize> {
        while matches!(self.s.get(pos), Some(b' ' | b'\t')) {
            pos += 1;
        }
        let d = self.s.get(delim)?;
        let end = pos + d.len();
        if self.s.get(pos..end)? != d || self.s.get(end).is_some_and(|b| is_id_continue(*b)) {
            return None;
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> Vec<(String, Option<String>)> {
        module_calls(text)
            .into_iter()
            .map(|c| (c.name, c.source))
            .collect()
    }

    fn one(name: &str, source: Option<&str>) -> Vec<(String, Option<String>)> {
        vec![(name.to_string(), source.map(str::to_string))]
    }

    #[test]
    fn finds_literal_sources() {
        let t = "module \"a\" {\n  source = \"./m\"\n  x = 1\n}\nmodule b {\n  source = (\"../n\") # c\n}\n";
        assert_eq!(
            calls(t),
            vec![
                ("a".to_string(), Some("./m".to_string())),
                ("b".to_string(), Some("../n".to_string()))
            ]
        );
        assert_eq!(
            calls("module \"a\" { source = \"./m\" }\n"),
            one("a", Some("./m"))
        );
    }

    #[test]
    fn non_literal_sources_have_none() {
        for v in [
            "\"./${var.x}\"",
            "var.x",
            "\"./m\"[0]",
            "(\"./m\") == \"\" ? 1 : 2",
            "<<EOF\n./m\nEOF",
            "\"%{ if true }./m%{ endif }\"",
            "\"a\\q\"",
        ] {
            let t = format!("module \"a\" {{\n  source = {v}\n}}\n");
            assert_eq!(calls(&t), one("a", None), "{v}");
        }
        assert_eq!(calls("module \"a\" {\n}\n"), one("a", None));
    }

    #[test]
    fn escapes_are_decoded() {
        let t = "module \"a\\u0062\" {\n  source = \"./m\\\\$${x}%%{y}\\U0001F600\"\n}\n";
        assert_eq!(calls(t), one("ab", Some("./m\\${x}%{y}\u{1F600}")));
    }

    #[test]
    fn only_top_level_module_blocks_with_one_label() {
        let t = concat!(
            "resource \"x\" \"y\" {\n  module \"n\" {\n    source = \"./no\"\n  }\n}\n",
            "module \"a\" \"b\" {\n  source = \"./no\"\n}\n",
            "module = \"./no\"\n",
            "module \"c\" {\n  inner {\n    source = \"./no\"\n  }\n  x = { source = \"./no\" }\n  source = \"./yes\"\n}\n",
        );
        assert_eq!(calls(t), one("c", Some("./yes")));
    }

    #[test]
    fn comments_strings_and_heredocs_hide_braces() {
        let t = concat!(
            "# module \"x\" {\n",
            "// }\n",
            "/* module \"y\" { source = \"./no\" } */\n",
            "locals {\n",
            "  a = \"}${ { k = \"}\" }[\"k\"] }%{ if x }\"}%{ endif }\"\n",
            "  b = <<-EOT\n    }\n    ${ \"}\" }\n    %{ if x }\n    EOT\n    %{ endif }\n    EOT\n",
            "  c = <<EOT\nEOT\n",
            "  d = [\n    \"}\", # }\n  ]\n",
            "}\n",
            "module \"z\" {\n  source = \"./m\"\n}\n",
        );
        assert_eq!(calls(t), one("z", Some("./m")));
    }

    #[test]
    fn heredoc_delimiter_must_stand_alone() {
        let t = "locals {\n  a = <<EOT\nEOTX }\n  EOT\n}\nmodule \"z\" {\n  source = \"./m\"\n}\n";
        assert_eq!(calls(t), one("z", Some("./m")));
    }
}
