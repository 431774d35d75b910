//! Terraform JSON syntax (`.tf.json`): a small line-tracking JSON reader and a
//! translation into equivalent HCL text, so the rest of the evaluator sees one syntax.
//! Strings keep their `${…}` templates; every generated line remembers the JSON line
//! of the key it came from.

/// A JSON value with the line where it starts.
#[derive(Debug)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<(u32, J)>),
    Obj(Vec<(String, u32, J)>),
}

/// Line-tracking recursive-descent JSON reader.
struct Reader<'a> {
    s: &'a [u8],
    i: usize,
    line: u32,
    depth: usize,
}

type JResult<T> = Result<T, (u32, String)>;

impl Reader<'_> {
    fn err<T>(&self, msg: &str) -> JResult<T> {
        Err((self.line, msg.to_string()))
    }

    fn ws(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.i += 1;
        }
    }

    fn value(&mut self) -> JResult<J> {
        self.ws();
        self.depth += 1;
        if self.depth > 200 {
            return self.err("JSON nested too deeply");
        }
        let v = match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let line = self.line;
                        if self.s.get(self.i) != Some(&b'"') {
                            return self.err("expected object key");
                        }
                        let k = self.string()?;
                        self.ws();
                        if self.s.get(self.i) != Some(&b':') {
                            return self.err("expected `:`");
                        }
                        self.i += 1;
                        let v = self.value()?;
                        items.push((k, line, v));
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.err("expected `,` or `}`"),
                        }
                    }
                }
                J::Obj(items)
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let line = self.line;
                        items.push((line, self.value()?));
                        self.ws();
                        match self.s.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return self.err("expected `,` or `]`"),
                        }
                    }
                }
                J::Arr(items)
            }
            Some(b'"') => J::Str(self.string()?),
            Some(b't') if self.s[self.i..].starts_with(b"true") => {
                self.i += 4;
                J::Bool(true)
            }
            Some(b'f') if self.s[self.i..].starts_with(b"false") => {
                self.i += 5;
                J::Bool(false)
            }
            Some(b'n') if self.s[self.i..].starts_with(b"null") => {
                self.i += 4;
                J::Null
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while let Some(c) = self.s.get(self.i) {
                    if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                if text.parse::<f64>().is_err() {
                    return self.err("invalid number");
                }
                J::Num(text)
            }
            _ => return self.err("expected a JSON value"),
        };
        self.depth -= 1;
        Ok(v)
    }

    fn string(&mut self) -> JResult<String> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.s.get(self.i) {
                None => return self.err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    break;
                }
                Some(b'\\') => {
                    let esc = self.s.get(self.i + 1).copied();
                    self.i += 2;
                    match esc {
                        Some(b'n') => out.push(b'\n'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'r') => out.push(b'\r'),
                        Some(b'b') => out.push(8),
                        Some(b'f') => out.push(12),
                        Some(b'u') => {
                            let hex = |r: &Self, at: usize| {
                                r.s.get(at..at + 4)
                                    .and_then(|h| std::str::from_utf8(h).ok())
                                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                            };
                            let Some(mut cp) = hex(self, self.i) else {
                                return self.err("invalid \\u escape");
                            };
                            self.i += 4;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.s.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                if let Some(lo) = hex(self, self.i + 2) {
                                    if (0xDC00..0xE000).contains(&lo) {
                                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                        self.i += 6;
                                    }
                                }
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        Some(c) => out.push(c),
                        None => return self.err("unterminated string"),
                    }
                }
                Some(&c) => {
                    if c == b'\n' {
                        self.line += 1;
                    }
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// Generated HCL text with the original line of every generated line.
struct Gen {
    out: String,
    lines: Vec<u32>,
}

impl Gen {
    /// Ends the current generated line, which came from JSON line `orig`.
    fn line(&mut self, text: &str, orig: u32) {
        self.out.push_str(text);
        self.out.push('\n');
        self.lines.push(orig);
    }
}

/// Quotes a string as an HCL template string (templates kept, when `template`).
fn quote(s: &str, template: bool) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => o.push_str("\\\\"),
            '"' => o.push_str("\\\""),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            '$' | '%' if !template && chars.peek() == Some(&'{') => {
                o.push(c);
                o.push(c);
            }
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Renders a JSON value as a one-line HCL expression.
fn expr(v: &J, template: bool) -> String {
    match v {
        J::Null => "null".into(),
        J::Bool(b) => b.to_string(),
        J::Num(n) => n.clone(),
        J::Str(s) => quote(s, template),
        J::Arr(items) => {
            let parts: Vec<String> = items.iter().map(|(_, v)| expr(v, template)).collect();
            format!("[{}]", parts.join(", "))
        }
        J::Obj(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|(k, _, v)| format!("{} = {}", quote(k, false), expr(v, template)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// Whether an object-valued key in a body is a map attribute rather than a nested block.
fn is_map_attr(key: &str) -> bool {
    key.ends_with("tags")
        || key.ends_with("labels")
        || matches!(
            key,
            "environment"
                | "variables"
                | "triggers"
                | "metadata"
                | "annotations"
                | "parameters"
                | "attributes"
                | "options"
                | "settings"
                | "values"
                | "context"
        )
}

/// Whether `s` can be written as a bare HCL identifier.
fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && cs.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// Items of an object, or of every object in an array of objects.
fn objects(v: &J) -> Vec<&[(String, u32, J)]> {
    match v {
        J::Obj(items) => vec![items.as_slice()],
        J::Arr(elems) => elems
            .iter()
            .filter_map(|(_, e)| match e {
                J::Obj(items) => Some(items.as_slice()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Emits the body of a resource-like block (`depth` guards against deep nesting).
fn body(g: &mut Gen, items: &[(String, u32, J)], depth: usize) {
    for (k, line, v) in items {
        if !is_ident(k)
            || matches!(
                k.as_str(),
                "lifecycle" | "provisioner" | "connection" | "//"
            )
        {
            continue;
        }
        if k == "dynamic" {
            for obj in objects(v) {
                for (label, dline, spec) in obj {
                    for spec in objects(spec) {
                        g.line(&format!("dynamic {} {{", quote(label, false)), *dline);
                        for (sk, sline, sv) in spec {
                            match sk.as_str() {
                                "content" => {
                                    for content in objects(sv) {
                                        g.line("content {", *sline);
                                        if depth < 32 {
                                            body(g, content, depth + 1);
                                        }
                                        g.line("}", *sline);
                                    }
                                }
                                "iterator" => {
                                    if let J::Str(s) = sv {
                                        if is_ident(s) {
                                            g.line(&format!("iterator = {s}"), *sline);
                                        }
                                    }
                                }
                                _ if is_ident(sk) => {
                                    g.line(&format!("{sk} = {}", expr(sv, true)), *sline)
                                }
                                _ => {}
                            }
                        }
                        g.line("}", *dline);
                    }
                }
            }
            continue;
        }
        let block_like = match v {
            J::Obj(_) => !is_map_attr(k),
            J::Arr(elems) => {
                !elems.is_empty()
                    && !is_map_attr(k)
                    && elems.iter().all(|(_, e)| matches!(e, J::Obj(_)))
            }
            _ => false,
        };
        if block_like && depth < 32 {
            for obj in objects(v) {
                g.line(&format!("{k} {{"), *line);
                body(g, obj, depth + 1);
                g.line("}", *line);
            }
        } else {
            g.line(&format!("{k} = {}", expr(v, true)), *line);
        }
    }
}

/// Emits `kind "label" … { attrs }` blocks for objects keyed by one label.
fn labeled(g: &mut Gen, kind: &str, v: &J, attrs_only: bool, literal: bool) {
    for obj in objects(v) {
        for (name, line, spec) in obj {
            for spec in objects(spec) {
                g.line(&format!("{kind} {} {{", quote(name, false)), *line);
                if attrs_only {
                    for (k, l, v) in spec {
                        if is_ident(k) && k != "type" && k != "validation" {
                            g.line(&format!("{k} = {}", expr(v, !literal)), *l);
                        }
                    }
                } else {
                    body(g, spec, 0);
                }
                g.line("}", *line);
            }
        }
    }
}

/// Translates Terraform JSON into HCL text and a generated-line → JSON-line table.
pub(crate) fn to_hcl(text: &str) -> Result<(String, Vec<u32>), (u32, String)> {
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
        line: 1,
        depth: 0,
    };
    let root = r.value()?;
    r.ws();
    if r.i < r.s.len() {
        return r.err("unexpected text after the JSON value");
    }
    let mut g = Gen {
        out: String::new(),
        lines: Vec::new(),
    };
    for top in objects(&root) {
        for (key, line, v) in top {
            match key.as_str() {
                "resource" | "data" => {
                    for types in objects(v) {
                        for (rtype, _, names) in types {
                            for named in objects(names) {
                                for (name, nline, spec) in named {
                                    for spec in objects(spec) {
                                        g.line(
                                            &format!(
                                                "{key} {} {} {{",
                                                quote(rtype, false),
                                                quote(name, false)
                                            ),
                                            *nline,
                                        );
                                        body(&mut g, spec, 0);
                                        g.line("}", *nline);
                                    }
                                }
                            }
                        }
                    }
                }
                "variable" => labeled(&mut g, "variable", v, true, true),
                "output" => labeled(&mut g, "output", v, true, false),
                "module" => labeled(&mut g, "module", v, true, false),
                "locals" => {
                    for obj in objects(v) {
                        g.line("locals {", *line);
                        for (k, l, v) in obj {
                            if is_ident(k) {
                                g.line(&format!("{k} = {}", expr(v, true)), *l);
                            }
                        }
                        g.line("}", *line);
                    }
                }
                _ => {}
            }
        }
    }
    Ok((g.out, g.lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_resources_with_lines() {
        let src = r#"{
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "bucket": "x-${var.env}",
        "tags": {"a": "b"},
        "versioning": {"enabled": true}
      }
    }
  },
  "variable": {"env": {"default": "dev", "type": "string"}}
}"#;
        let (hcl, lines) = to_hcl(src).expect("valid");
        assert!(hcl.contains("resource \"aws_s3_bucket\" \"b\" {"), "{hcl}");
        assert!(hcl.contains("bucket = \"x-${var.env}\""), "{hcl}");
        assert!(hcl.contains("tags = {\"a\" = \"b\"}"), "{hcl}");
        assert!(hcl.contains("versioning {"), "{hcl}");
        assert_eq!(lines[0], 4);
        assert!(hcl_edit::parser::parse_body(&hcl).is_ok());
    }

    #[test]
    fn reports_bad_json_with_line() {
        let err = to_hcl("{\n\"a\": [1,\n}").expect_err("invalid");
        assert_eq!(err.0, 3);
    }
}
