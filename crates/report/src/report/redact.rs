//! Redaction of secrets in everything a reporter copies from the scanned sources
//! (code snippets) or passes through (messages): no report may contain a password,
//! a token or a private key, even when the scanned file does.
//!
//! [`redact_line`] masks one line with `***`:
//!
//! - the **literal** value of an assignment whose key looks secret (`password`,
//!   `db_password`, `clientSecret`, `AWS_SECRET_ACCESS_KEY`, `auth_token`,
//!   `secret_string`, …) in HCL (`key = "…"`), YAML (`key: …`), JSON (`"key": "…"`),
//!   `.env`/command-line (`KEY=…`, `--password=…`) and query-string (`token=…&`) form.
//!   References are kept: `password = var.db_password`, `"${var.pw}"`, `{{ .Values.pw }}`,
//!   `$DB_PASSWORD`, `!Ref DbPassword`, `null`/`true`/`false`;
//! - AWS access key ids (`AKIA…`/`ASIA…` + 16), 40-character base64 strings that look
//!   like AWS secret access keys, GitHub tokens (`ghp_…`, `github_pat_…`), Slack tokens
//!   (`xox…-`), `Bearer` tokens, PEM private-key markers, and the password of
//!   `scheme://user:password@host` URLs.
//!
//! Keys are matched on their last word (`minimum_password_length`, `secret_arn` or
//! `token_ttl` are not secret), so the lines rules point at stay readable.
//!
//! Secrets that span lines (a PEM key body, a heredoc or YAML block scalar assigned to
//! a secret key, a Kubernetes `env` entry whose `name:` is secret and whose `value:`
//! follows) need context: [`Redactor`] carries it from line to line, and
//! [`redact_text`] redacts a whole file from its first line. Snippets are cut from the
//! output of [`redact_text`], never redacted line by line out of context.

use crate::secrets::key_may_hold_secret;

/// What replaces a secret.
pub const MASK: &str = "***";

/// Masks the secrets in one line (see the module documentation). Lines without
/// secrets are returned unchanged.
pub fn redact_line(line: &str) -> String {
    mask_assignments(line, false).text
}

/// Redacts a whole text from its first line, carrying multi-line context (PEM bodies,
/// heredocs, YAML block scalars, `name:`/`value:` pairs). Returns one string per line
/// (as [`str::lines`] splits them, `\r` removed).
pub fn redact_text(text: &str) -> Vec<String> {
    let mut r = Redactor::new();
    text.lines().map(|l| r.line(l)).collect()
}

/// A line-by-line redactor that remembers multi-line secrets.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    state: State,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
enum State {
    /// Nothing pending.
    #[default]
    Normal,
    /// Inside a PEM private key: mask until the `-----END` line.
    Pem,
    /// Inside a heredoc assigned to a secret key: mask until the marker.
    Heredoc(String),
    /// Inside a YAML block scalar of a secret key: mask lines indented deeper.
    Block(usize),
    /// The previous line named a secret (`name: DB_PASSWORD`): mask a `value:` next.
    SecretName(u8),
}

/// What a line leaves pending for the next ones.
enum Pending {
    Heredoc(String),
    Block,
    SecretName,
}

impl Redactor {
    /// A redactor at the start of a file.
    pub fn new() -> Self {
        Redactor::default()
    }

    /// Redacts the next line of the file.
    pub fn line(&mut self, line: &str) -> String {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let indent_len = line.len() - line.trim_start().len();
        let indent = &line[..indent_len];
        match std::mem::take(&mut self.state) {
            State::Pem => {
                if !line.contains("-----END") {
                    self.state = State::Pem;
                }
                return format!("{indent}{MASK}");
            }
            State::Heredoc(marker) => {
                if line.trim() == marker {
                    return line.to_string();
                }
                self.state = State::Heredoc(marker);
                return format!("{indent}{MASK}");
            }
            State::Block(key_indent) => {
                if line.trim().is_empty() {
                    self.state = State::Block(key_indent);
                    return line.to_string();
                }
                if indent_len > key_indent {
                    self.state = State::Block(key_indent);
                    return format!("{indent}{MASK}");
                }
            }
            State::SecretName(left) => {
                let m = mask_assignments(line, true);
                self.state = match m.pending {
                    Some(p) => self.pending_state(p, indent_len),
                    None if m.value_consumed || m.saw_name || left <= 1 => State::Normal,
                    None => State::SecretName(left - 1),
                };
                return m.text;
            }
            State::Normal => {}
        }
        let m = mask_assignments(line, false);
        if let Some(p) = m.pending {
            self.state = self.pending_state(p, indent_len);
        }
        if let Some(b) = line.find("-----BEGIN") {
            if line[b..].contains("PRIVATE KEY-----") && !line[b..].contains("-----END") {
                self.state = State::Pem;
            }
        }
        m.text
    }

    fn pending_state(&self, p: Pending, indent_len: usize) -> State {
        match p {
            Pending::Heredoc(m) => State::Heredoc(m),
            Pending::Block => State::Block(indent_len),
            Pending::SecretName => State::SecretName(3),
        }
    }
}

/// The separator of an assignment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// `key = value` (HCL, `.env`, command lines, query strings).
    Equals,
    /// `key: value` (YAML, JSON).
    Colon,
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

/// One line after masking, with what it leaves pending.
struct Masked {
    text: String,
    pending: Option<Pending>,
    /// A `value` key was masked because a secret `name` preceded it.
    value_consumed: bool,
    /// The line has a `name` key (a new `name`/`value` entry starts).
    saw_name: bool,
}

/// Masks secret assignments, then token patterns; reports multi-line context.
/// `value_is_secret`: a preceding line named a secret, so a `value` key is one.
fn mask_assignments(line: &str, value_is_secret: bool) -> Masked {
    let b = line.as_bytes();
    // Byte ranges to replace with MASK, in order, non-overlapping.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut pending = None;
    let mut secret_name_seen = value_is_secret;
    let mut value_consumed = false;
    let mut saw_name = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let quoted = c == b'"' || c == b'\'';
        let start = if quoted { i + 1 } else { i };
        if !quoted && (!is_key_byte(c) || (i > 0 && is_key_byte(b[i - 1]))) {
            i += 1;
            continue;
        }
        let mut k = start;
        while k < b.len() && is_key_byte(b[k]) {
            k += 1;
        }
        if k == start {
            i += 1;
            continue;
        }
        let key = &line[start..k];
        let mut j = k;
        if quoted {
            if j < b.len() && b[j] == c {
                j += 1;
            } else {
                i += 1;
                continue;
            }
        }
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        let sep = match (b.get(j), b.get(j + 1)) {
            (Some(b'='), next) if !matches!(next, Some(b'=' | b'>' | b'~')) => Sep::Equals,
            (Some(b':'), None | Some(b' ' | b'\t' | b'"' | b'\'')) => Sep::Colon,
            _ => {
                i = if quoted { i + 1 } else { k };
                continue;
            }
        };
        j += 1;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        let named_value = secret_name_seen && key.eq_ignore_ascii_case("value");
        if named_value {
            value_consumed = true;
            secret_name_seen = false;
            if matches!(pending, Some(Pending::SecretName)) {
                pending = None;
            }
        }
        if !named_value && !key_may_hold_secret(key) {
            if key.eq_ignore_ascii_case("name") {
                saw_name = true;
                secret_name_seen = false;
                let v = unquoted_value(line, j, sep);
                if key_may_hold_secret(v.trim_matches(|ch| ch == '"' || ch == '\'')) {
                    secret_name_seen = true;
                    pending = Some(Pending::SecretName);
                }
            }
            i = j;
            continue;
        }
        match b.get(j) {
            None => {
                i = j;
            }
            Some(&q @ (b'"' | b'\'')) => {
                let close = find_close(b, j + 1, q);
                let end = close.unwrap_or(b.len());
                let content = &line[j + 1..end];
                if !content.is_empty() && !is_reference(content, Sep::Colon) {
                    cuts.push((j + 1, end));
                }
                i = close.map_or(b.len(), |e| e + 1);
            }
            Some(b'<') if line[j..].starts_with("<<") => {
                let m = line[j + 2..]
                    .trim_start_matches('-')
                    .trim_start_matches('~');
                let m = m.trim_matches(|ch| ch == '"' || ch == '\'');
                let marker: String = m
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                    .collect();
                if !marker.is_empty() {
                    pending = Some(Pending::Heredoc(marker));
                }
                i = b.len();
            }
            Some(b'|' | b'>') if sep == Sep::Colon => {
                let rest = line[j + 1..]
                    .trim_start_matches(['-', '+', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
                let rest = rest.trim();
                if rest.is_empty() || rest.starts_with('#') {
                    pending = Some(Pending::Block);
                }
                i = b.len();
            }
            Some(b'{' | b'[' | b'(') => {
                i = j + 1;
            }
            Some(_) => {
                let v = unquoted_value(line, j, sep);
                if !v.is_empty() && !is_reference(v, sep) {
                    cuts.push((j, j + v.len()));
                }
                i = j + v.len().max(1);
            }
        }
    }
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for (s, e) in cuts {
        out.push_str(&line[last..s]);
        out.push_str(MASK);
        last = e;
    }
    out.push_str(&line[last..]);
    Masked {
        text: mask_patterns(&out),
        pending,
        value_consumed,
        saw_name,
    }
}

/// The index of the closing quote `q` at or after `from` (backslash escapes skipped).
fn find_close(b: &[u8], from: usize, q: u8) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        if b[i] == b'\\' && q == b'"' {
            i += 2;
            continue;
        }
        if b[i] == q {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// An unquoted value starting at `j`, up to its terminator.
fn unquoted_value(line: &str, j: usize, sep: Sep) -> &str {
    let rest = &line[j.min(line.len())..];
    if rest.starts_with('"') || rest.starts_with('\'') {
        let q = rest.as_bytes()[0];
        return match find_close(rest.as_bytes(), 1, q) {
            Some(e) => &rest[..=e],
            None => rest,
        };
    }
    let end = match sep {
        Sep::Colon => {
            // A leading `${…}` / `{{…}}` is one value, braces included.
            let skip = rest.len() - strip_leading_interpolation(rest).len();
            let mut end = rest.len();
            for (idx, ch) in rest.char_indices().skip_while(|(idx, _)| *idx < skip) {
                if matches!(ch, ',' | '}' | ']')
                    || (ch == '#' && idx > 0 && rest[..idx].ends_with([' ', '\t']))
                {
                    end = idx;
                    break;
                }
            }
            end
        }
        Sep::Equals => rest
            .find(|ch: char| {
                ch.is_whitespace()
                    || matches!(ch, ',' | '}' | ']' | ')' | '&' | ';' | '"' | '\'' | '#')
            })
            .unwrap_or(rest.len()),
    };
    rest[..end].trim_end()
}

/// Whether a value is a reference or a non-secret keyword rather than a literal secret.
fn is_reference(value: &str, sep: Sep) -> bool {
    let v = value.trim();
    let v = v.strip_prefix('&').map_or(v, |a| {
        // YAML anchor: `&name value`.
        a.split_once(' ').map_or("", |(_, rest)| rest.trim())
    });
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    // A keyword followed by punctuation or more prose (`…Token: true) while …`) is still
    // a keyword, not a secret.
    let lower = lower
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches([')', ']', '}', ',', '.', ';']);
    if matches!(
        lower,
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "nil"
    ) {
        return true;
    }
    if v.starts_with('*') || v.starts_with('!') || lower.starts_with("arn:") {
        return true;
    }
    // `$VAR`, `${VAR}`, `$(cmd)`, `${var.x}`, `{{ .Values.x }}`, possibly several.
    let stripped = strip_interpolations(v);
    if !stripped.chars().any(|ch| ch.is_ascii_alphanumeric()) {
        return true;
    }
    if let Some(name) = v.strip_prefix('$') {
        if name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        {
            return true;
        }
    }
    if sep == Sep::Equals {
        // HCL expressions: traversals (`var.x`, `aws_x.y.z`) and function calls.
        let first = v.as_bytes()[0];
        if (first.is_ascii_alphabetic() || first == b'_')
            && v.contains(['.', '(', '['])
            && !v.contains("://")
        {
            return true;
        }
    }
    false
}

/// `rest` without a leading `${…}`, `$(…)` or `{{…}}` segment.
fn strip_leading_interpolation(rest: &str) -> &str {
    let (o, c) = if rest.starts_with("${") || rest.starts_with("{{") {
        ('{', '}')
    } else if rest.starts_with("$(") {
        ('(', ')')
    } else {
        return rest;
    };
    let mut depth = 0usize;
    for (idx, ch) in rest.char_indices() {
        if ch == o {
            depth += 1;
        } else if ch == c {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                let after = &rest[idx + 1..];
                return if rest.starts_with("{{") {
                    after.strip_prefix('}').unwrap_or(after)
                } else {
                    after
                };
            }
        }
    }
    ""
}

/// Removes `${…}`, `$(…)` and `{{…}}` segments.
fn strip_interpolations(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    loop {
        let next = [("${", '{', '}'), ("$(", '(', ')'), ("{{", '{', '}')]
            .iter()
            .filter_map(|(open, o, c)| rest.find(open).map(|p| (p, *open, *o, *c)))
            .min_by_key(|(p, ..)| *p);
        let Some((p, open, o, c)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..p]);
        let mut depth = 0usize;
        let mut end = None;
        for (idx, ch) in rest[p + open.len() - 1..].char_indices() {
            if ch == o {
                depth += 1;
            } else if ch == c {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    end = Some(p + open.len() - 1 + idx + 1);
                    break;
                }
            }
        }
        match end {
            Some(e) => {
                rest = &rest[e..];
                rest = rest
                    .strip_prefix('}')
                    .filter(|_| open == "{{")
                    .unwrap_or(rest);
            }
            None => {
                out.push_str(&rest[p..]);
                return out;
            }
        }
    }
}

/// Masks secrets recognised by their shape, wherever they appear in the line.
fn mask_patterns(line: &str) -> String {
    let line = mask_pem(line);
    let line = mask_url_password(&line);
    mask_tokens(&line)
}

/// `-----BEGIN RSA PRIVATE KEY-----…` → `***`.
fn mask_pem(line: &str) -> String {
    let mut out = line.to_string();
    for marker in ["-----BEGIN", "-----END"] {
        if let Some(b) = out.find(marker) {
            if let Some(p) = out[b..].find("PRIVATE KEY-----") {
                let tail = &out[b + p + "PRIVATE KEY-----".len()..];
                let end = if marker == "-----BEGIN" {
                    match tail.find("-----END") {
                        Some(e) => {
                            let after = &tail[e..];
                            let close = after
                                .find("PRIVATE KEY-----")
                                .map_or(after.len(), |q| q + "PRIVATE KEY-----".len());
                            out.len() - tail.len() + e + close
                        }
                        None => {
                            // The key continues to the end of the line (or the string).
                            let q = tail.find(['"', '\'']).unwrap_or(tail.len());
                            out.len() - tail.len() + q
                        }
                    }
                } else {
                    b + p + "PRIVATE KEY-----".len()
                };
                out.replace_range(b..end, MASK);
            }
        }
    }
    out
}

/// `scheme://user:password@host` → `scheme://user:***@host`.
fn mask_url_password(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(p) = rest.find("://") {
        let auth_start = p + 3;
        let after = &rest[auth_start..];
        let auth_len = after
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '`' | '<' | '>')
            })
            .unwrap_or(after.len());
        let authority = &after[..auth_len];
        out.push_str(&rest[..auth_start]);
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.split_once(':') {
                    Some((user, pw))
                        if !pw.is_empty() && !pw.starts_with(MASK) && !is_interpolation(pw) =>
                    {
                        out.push_str(user);
                        out.push(':');
                        out.push_str(MASK);
                        out.push_str(&authority[at..]);
                    }
                    _ => out.push_str(authority),
                }
            }
            None => out.push_str(authority),
        }
        rest = &after[auth_len..];
    }
    out.push_str(rest);
    out
}

fn is_interpolation(v: &str) -> bool {
    !strip_interpolations(v)
        .chars()
        .any(|c| c.is_ascii_alphanumeric())
        || (v.starts_with('$')
            && v[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn is_token_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'/' | b'+' | b'_' | b'-' | b'.')
}

/// AWS key ids, AWS secret keys, GitHub, Slack and Bearer tokens.
fn mask_tokens(line: &str) -> String {
    let b = line.as_bytes();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_token_byte(b[i]) || (i > 0 && is_token_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        let mut e = i;
        while e < b.len() && is_token_byte(b[e]) {
            e += 1;
        }
        let word = &line[i..e];
        if let Some(len) = secret_token_len(word) {
            cuts.push((i, i + len));
        } else if let Some(inner) = embedded_token(word) {
            cuts.push((i + inner.0, i + inner.1));
        }
        i = e;
    }
    // `Bearer <token>`.
    for prefix in ["Bearer ", "bearer "] {
        let mut from = 0;
        while let Some(p) = line[from..].find(prefix) {
            let s = from + p + prefix.len();
            let e = s + line[s..]
                .bytes()
                .take_while(|c| is_token_byte(*c) || matches!(*c, b'~' | b'='))
                .count();
            if e - s >= 8 && !line[s..e].starts_with(MASK) {
                cuts.push((s, e));
            }
            from = e.max(s);
        }
    }
    cuts.sort_unstable();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for (s, e) in cuts {
        if s < last {
            continue;
        }
        out.push_str(&line[last..s]);
        out.push_str(MASK);
        last = e;
    }
    out.push_str(&line[last..]);
    out
}

/// The length of the secret at the start of `word`, when `word` is one.
fn secret_token_len(word: &str) -> Option<usize> {
    let b = word.as_bytes();
    // AWS access key id: AKIA/ASIA + 16 upper-case letters or digits.
    if (word.starts_with("AKIA") || word.starts_with("ASIA"))
        && b.len() >= 20
        && b[4..20]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b.get(20).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        return Some(20);
    }
    // GitHub tokens.
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"] {
        if let Some(rest) = word.strip_prefix(prefix) {
            let n = rest
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                .count();
            if n >= 20 {
                return Some(prefix.len() + n);
            }
        }
    }
    // Slack tokens.
    for prefix in [
        "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-",
    ] {
        if let Some(rest) = word.strip_prefix(prefix) {
            let n = rest
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == b'-')
                .count();
            if n >= 10 {
                return Some(prefix.len() + n);
            }
        }
    }
    // AWS secret access key: 40 base64 characters, mixed case and digits.
    if b.len() == 40
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'/' || *c == b'+')
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
    {
        return Some(40);
    }
    None
}

/// An AWS key id inside a longer token (`=AKIA…`, `/AKIA…`).
fn embedded_token(word: &str) -> Option<(usize, usize)> {
    for prefix in ["AKIA", "ASIA"] {
        if let Some(p) = word.find(prefix) {
            if p > 0 && !word.as_bytes()[p - 1].is_ascii_alphanumeric() {
                if let Some(n) = secret_token_len(&word[p..]) {
                    return Some((p, p + n));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_literal_secrets_are_masked() {
        assert_eq!(
            redact_line(r#"  password = "hunter2""#),
            r#"  password = "***""#
        );
        assert_eq!(
            redact_line(r#"  master_password    = "s3cr3t!" # rotate"#),
            r#"  master_password    = "***" # rotate"#
        );
        assert_eq!(
            redact_line(r#"secret_string = "{\"a\":1}""#),
            r#"secret_string = "***""#
        );
        assert_eq!(
            redact_line(r#"  auth_token = 'abc'"#),
            r#"  auth_token = '***'"#
        );
        assert_eq!(redact_line("  password = 123456"), "  password = ***");
        assert_eq!(
            redact_line(r#"{ api_key = "k1", user = "u" }"#),
            r#"{ api_key = "***", user = "u" }"#
        );
    }

    #[test]
    fn keywords_in_prose_are_kept() {
        let msg = "pod sets automountServiceAccountToken: true) while its account does not";
        assert_eq!(redact_line(msg), msg);
    }

    #[test]
    fn references_are_kept() {
        for l in [
            "  password = var.db_password",
            "  password = random_password.db.result",
            "  password = data.aws_secretsmanager_secret_version.db.secret_string",
            r#"  password = "${var.db_password}""#,
            r#"  password = "${var.user}:${var.pass}""#,
            "  password = null",
            "  manage_master_user_password = true",
            "  token = base64decode(var.x)",
            "password: ${DB_PASSWORD}",
            "password: \"{{ .Values.db.password }}\"",
            "MasterUserPassword: !Ref DbPassword",
            "password: *default_password",
            "password:",
            r#"  password = """#,
        ] {
            assert_eq!(redact_line(l), l, "{l}");
        }
    }

    #[test]
    fn non_secret_keys_are_kept() {
        for l in [
            "  minimum_password_length        = 14",
            "  password_reuse_prevention = 24",
            r#"  secret_arn = "arn:aws:secretsmanager:eu-west-1:1:secret:x""#,
            r#"  secret_name = "prod/db""#,
            "  token_ttl = 3600",
            "  kms_key_id = aws_kms_key.data.arn",
            r#"  sse_algorithm = "AES256""#,
            r#"  authorization = "NONE""#,
            "  iam_database_authentication_enabled = true",
            r#"  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0 me@host""#,
            r#"  description = "Allow HTTPS from the VPC""#,
            "  is_enabled = var.x == \"password\"",
        ] {
            assert_eq!(redact_line(l), l, "{l}");
        }
    }

    #[test]
    fn yaml_and_json_secrets_are_masked() {
        assert_eq!(redact_line("  password: hunter2"), "  password: ***");
        assert_eq!(
            redact_line("  password: hunter2 # prod"),
            "  password: *** # prod"
        );
        assert_eq!(
            redact_line("- clientSecret: 'x y'"),
            "- clientSecret: '***'"
        );
        assert_eq!(
            redact_line("spring.datasource.password: p"),
            "spring.datasource.password: ***"
        );
        assert_eq!(
            redact_line(r#"{"username": "admin", "password": "hunter2"}"#),
            r#"{"username": "admin", "password": "***"}"#
        );
        assert_eq!(
            redact_line(r#"{"DB_PASSWORD":"hunter2"}"#),
            r#"{"DB_PASSWORD":"***"}"#
        );
        assert_eq!(
            redact_line("{password: hunter2, user: u}"),
            "{password: ***, user: u}"
        );
    }

    #[test]
    fn env_and_command_line_secrets_are_masked() {
        assert_eq!(
            redact_line("AWS_SECRET_ACCESS_KEY=abc"),
            "AWS_SECRET_ACCESS_KEY=***"
        );
        assert_eq!(
            redact_line(r#"command = "mysql --password=hunter2 -h db""#),
            r#"command = "mysql --password=*** -h db""#
        );
        assert_eq!(
            redact_line(r#"url = "https://h/x?token=abc123&page=2""#),
            r#"url = "https://h/x?token=***&page=2""#
        );
    }

    #[test]
    fn name_value_pairs_are_masked() {
        assert_eq!(
            redact_line(r#"  { name = "DB_PASSWORD", value = "hunter2" },"#),
            r#"  { name = "DB_PASSWORD", value = "***" },"#
        );
        assert_eq!(
            redact_line(r#"  { name = "DB_HOST", value = "db.local" },"#),
            r#"  { name = "DB_HOST", value = "db.local" },"#
        );
        let yaml =
            "env:\n  - name: DB_PASSWORD\n    value: hunter2\n  - name: DB_HOST\n    value: db\n";
        assert_eq!(
            redact_text(yaml),
            [
                "env:",
                "  - name: DB_PASSWORD",
                "    value: ***",
                "  - name: DB_HOST",
                "    value: db"
            ]
        );
    }

    #[test]
    fn every_env_name_a_rule_flags_has_its_value_masked() {
        let yaml = "env:\n  - name: ENCRYPTION_KEY\n    value: s3cr3t-k3y\n  - name: DBPassword\n    value: hunter2\n";
        let out = redact_text(yaml);
        assert_eq!(out[2], "    value: ***");
        assert_eq!(out[4], "    value: ***");
    }

    #[test]
    fn multi_line_name_value_pairs_are_masked() {
        let hcl = "resource \"aws_ssm_parameter\" \"db\" {\n  name  = \"/prod/db/password\"\n  type  = \"SecureString\"\n  value = \"hunter2\"\n}\n";
        assert_eq!(redact_text(hcl)[3], "  value = \"***\"");
        let yaml = "- name: API_TOKEN\n  valueFrom:\n    secretKeyRef: {name: api, key: token}\n- name: MODE\n  value: fast\n";
        let out = redact_text(yaml);
        assert_eq!(out[4], "  value: fast");
        let json =
            r#"[{"Name": "DB_PASSWORD", "Value": "hunter2"}, {"Name": "HOST", "Value": "db"}]"#;
        assert_eq!(
            redact_line(json),
            r#"[{"Name": "DB_PASSWORD", "Value": "***"}, {"Name": "HOST", "Value": "db"}]"#
        );
    }

    #[test]
    fn token_shapes_are_masked() {
        assert_eq!(
            redact_line(r#"  access_key_id = "AKIAIOSFODNN7EXAMPLE""#),
            r#"  access_key_id = "***""#
        );
        assert_eq!(redact_line("id ASIAY34FZKBOKMUTVV7A."), "id ***.");
        assert_eq!(
            redact_line(r#"  aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY""#),
            r#"  aws = "***""#
        );
        assert_eq!(
            redact_line("gh: ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "gh: ***"
        );
        assert_eq!(
            redact_line(r#"hook = "xoxb-123456789012-abcdefghijkl""#),
            r#"hook = "***""#
        );
        assert_eq!(
            redact_line(r#"headers = { Authorization = "Bearer eyJhbGciOiJIUzI1NiJ9.x.y" }"#),
            r#"headers = { Authorization = "Bearer ***" }"#
        );
        // A git commit hash (lower-case hex) is not an AWS secret.
        let l = r#"source = "git::https://x/m.git?ref=3f786850e387550fdab836ed7e6dc881de23001b""#;
        assert_eq!(redact_line(l), l);
    }

    #[test]
    fn url_passwords_are_masked() {
        assert_eq!(
            redact_line(r#"url = "postgres://admin:hunter2@db.example.com:5432/app""#),
            r#"url = "postgres://admin:***@db.example.com:5432/app""#
        );
        let l = r#"url = "postgres://admin:${var.pw}@db:5432/app""#;
        assert_eq!(redact_line(l), l);
        let l = "see https://example.com/a:b@c";
        assert_eq!(redact_line(l), l);
    }

    #[test]
    fn pem_keys_are_masked_across_lines() {
        let text = "key = <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\nEOF\nname = \"x\"\n";
        let out = redact_text(text);
        assert_eq!(
            out,
            [
                "key = <<EOF",
                "***",
                "***",
                "***",
                "***",
                "EOF",
                "name = \"x\""
            ]
        );
        assert_eq!(
            redact_line(r#"k = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n""#),
            r#"k = "***\n""#
        );
    }

    #[test]
    fn secret_heredocs_and_block_scalars_are_masked() {
        let hcl = "  password = <<-EOT\n    hunter2\n  EOT\n  user = \"admin\"";
        assert_eq!(
            redact_text(hcl),
            [
                "  password = <<-EOT",
                "    ***",
                "  EOT",
                "  user = \"admin\""
            ]
        );
        let yaml = "data:\n  token: |\n    abc\n    def\n\n  other: x\n";
        assert_eq!(
            redact_text(yaml),
            [
                "data:",
                "  token: |",
                "    ***",
                "    ***",
                "",
                "  other: x"
            ]
        );
    }

    #[test]
    fn non_ascii_lines_do_not_panic() {
        let l = "  description = \"Zugriff für Prüfer — ✓\" # ü";
        assert_eq!(redact_line(l), l);
        assert_eq!(
            redact_line("  password = \"pässwörd\""),
            "  password = \"***\""
        );
        assert_eq!(redact_line("  passwörd: x"), "  passwörd: x");
    }

    #[test]
    fn redaction_is_idempotent() {
        // JSON reports hold redacted messages; a report read back (`soc2scan merge`)
        // is redacted again when rendered and must print the same text.
        for l in [
            r#"  password = "hunter2""#,
            "  password: hunter2",
            r#"  "password": "hunter2","#,
            "AWS_SECRET_ACCESS_KEY=abc",
            "--password=hunter2 --user=x",
            "https://x/y?token=abc&a=b",
            r#"  { name = "DB_PASSWORD", value = "hunter2" },"#,
            r#"  access_key_id = "AKIAIOSFODNN7EXAMPLE""#,
            "id ASIAY34FZKBOKMUTVV7A.",
            r#"  aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY""#,
            "gh: ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            r#"hook = "xoxb-123456789012-abcdefghijkl""#,
            r#"headers = { Authorization = "Bearer eyJhbGciOiJIUzI1NiJ9.x.y" }"#,
            r#"url = "postgres://admin:hunter2@db.example.com:5432/app""#,
            "-----BEGIN RSA PRIVATE KEY-----",
            "bucket acme-data is not encrypted with a KMS key",
        ] {
            let once = redact_line(l);
            assert_eq!(redact_line(&once), once, "{l}");
        }
    }
}
