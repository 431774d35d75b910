//! The EC2 Query protocol, the part soc2scan needs: request parameters encoded as an
//! `application/x-www-form-urlencoded` body (`Action=…&Version=2016-11-15&…`, lists as
//! `Name.1=…`, filters as `Filter.1.Name=…&Filter.1.Value.1=…`), XML answers read into a
//! small element tree, and EC2's error document
//! (`<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…`)
//! read into the SDK's [`ErrorMetadata`].
//!
//! It exists for build time: the generated `aws-sdk-ec2` crate type-checks all of EC2's
//! ~600 operations (about 200 CPU-seconds of a release build) for the 16 soc2scan calls.
//!
//! XML is tokenized by `xmlparser`, the tokenizer `aws-smithy-xml` itself is built on
//! (so no crate is added to the build). `aws-smithy-xml`'s public decoder is not used:
//! it stops silently at malformed input (its well-formedness checks are private to the
//! crate), which would turn a truncated answer into a short list. Here any malformed
//! document, an unclosed or mismatched element, or an unexpected root element is an
//! error, never an empty list.

use std::borrow::Cow;
use std::fmt;

use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::{ErrorKind, ProvideErrorKind};

/// The EC2 API version every request names.
pub const VERSION: &str = "2016-11-15";

/// One EC2 Query request: the action and its parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The operation (`DescribeInstances`).
    pub action: &'static str,
    params: Vec<(String, String)>,
}

impl Query {
    /// A request of `action` without parameters.
    pub fn new(action: &'static str) -> Self {
        Query {
            action,
            params: Vec::new(),
        }
    }

    /// Adds the parameter `name=value`.
    pub fn string(mut self, name: &str, value: &str) -> Self {
        self.params.push((name.to_string(), value.to_string()));
        self
    }

    /// Adds a boolean parameter (`true`/`false`, as the SDK writes them).
    pub fn boolean(self, name: &str, value: bool) -> Self {
        self.string(name, if value { "true" } else { "false" })
    }

    /// Adds a list in EC2's flattened form: `name.1=a&name.2=b`. An empty list adds
    /// nothing (as the SDK).
    pub fn list(mut self, name: &str, values: &[&str]) -> Self {
        for (i, v) in values.iter().enumerate() {
            self.params
                .push((format!("{name}.{}", i + 1), (*v).to_string()));
        }
        self
    }

    /// Adds one `Filter`: `Filter.N.Name=name&Filter.N.Value.1=…`, N counting the
    /// filters added so far. No call passes a filter today (each reads the whole
    /// region); it is here, tested, for the first one that does.
    #[allow(dead_code)]
    pub fn filter(mut self, name: &str, values: &[&str]) -> Self {
        let n = 1 + self
            .params
            .iter()
            .filter(|(k, _)| k.starts_with("Filter.") && k.ends_with(".Name"))
            .count();
        self.params
            .push((format!("Filter.{n}.Name"), name.to_string()));
        self.list(&format!("Filter.{n}.Value"), values)
    }

    /// The value of parameter `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets (or replaces) the parameter `name`: the pager's `NextToken`.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.params.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.to_string(),
            None => self.params.push((name.to_string(), value.to_string())),
        }
    }

    /// The form-encoded body, written by `aws-smithy-query` as the SDK writes it.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        let mut w = aws_smithy_query::QueryWriter::new(&mut out, self.action, VERSION);
        for (k, v) in &self.params {
            w.prefix(k).string(v);
        }
        w.finish();
        out
    }
}

/// A response that could not be read: malformed XML, an unexpected root element, or
/// a value of the wrong type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(pub String);

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for XmlError {}

/// One XML element: its local name (namespace prefix dropped), its text (entities
/// decoded; empty for an element with child elements only) and its child elements.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Node {
    /// Local name.
    pub name: String,
    /// Text content.
    pub text: String,
    /// Child elements, in document order.
    pub children: Vec<Node>,
}

impl Node {
    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the child `name`, when present (as the SDK: not trimmed).
    pub fn str(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.clone())
    }

    /// The `<item>` elements of the list `name` (`<name><item>…</item>…</name>`);
    /// nothing when the list is absent. Other elements in the list are skipped.
    pub fn items<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Node> + 'a {
        self.child(name)
            .into_iter()
            .flat_map(|l| l.children.iter().filter(|c| c.name == "item"))
    }

    /// The boolean child `name`: `true` or `false`; anything else is an error.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, XmlError> {
        match self.child(name).map(|c| c.text.trim()) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(XmlError(format!(
                "<{name}> is not a boolean: {other:?} (in <{}>)",
                self.name
            ))),
        }
    }

    /// The 32-bit integer child `name`; anything else is an error.
    pub fn int(&self, name: &str) -> Result<Option<i32>, XmlError> {
        match self.child(name) {
            None => Ok(None),
            Some(c) => c.text.trim().parse().map(Some).map_err(|_| {
                XmlError(format!(
                    "<{name}> is not an integer: {:?} (in <{}>)",
                    c.text, self.name
                ))
            }),
        }
    }
}

/// Reads a whole XML document into its root element. Malformed XML (including an
/// unclosed or mismatched element, text or a second element after the root, a
/// document type declaration) is an error.
pub fn parse_xml(body: &[u8]) -> Result<Node, XmlError> {
    use xmlparser::{ElementEnd, Token, Tokenizer};
    let text = std::str::from_utf8(body).map_err(|e| XmlError(format!("not UTF-8: {e}")))?;
    let bad = |e: &dyn fmt::Display| XmlError(format!("malformed XML: {e}"));
    // Open elements; the root is the first.
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    for tok in Tokenizer::from(text) {
        match tok.map_err(|e| bad(&e))? {
            Token::ElementStart { local, .. } => {
                if root.is_some() {
                    return Err(bad(&"a second root element"));
                }
                stack.push(Node {
                    name: local.as_str().to_string(),
                    ..Node::default()
                });
            }
            Token::ElementEnd { end, .. } => {
                match end {
                    ElementEnd::Open => continue,
                    ElementEnd::Close(_, local) => {
                        if stack.last().map(|n| n.name.as_str()) != Some(local.as_str()) {
                            return Err(bad(&format!("mismatched end tag </{}>", local.as_str())));
                        }
                    }
                    ElementEnd::Empty => {}
                }
                let Some(done) = stack.pop() else {
                    return Err(bad(&"end tag without element"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Token::Text { text } => {
                let t = text.as_str();
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&unescape(t)?),
                    None if t.trim().is_empty() => {}
                    None => return Err(bad(&"text outside the root element")),
                }
            }
            Token::Cdata { text, .. } => match stack.last_mut() {
                Some(n) => n.text.push_str(text.as_str()),
                None => return Err(bad(&"CDATA outside the root element")),
            },
            Token::DtdStart { .. } | Token::EmptyDtd { .. } | Token::EntityDeclaration { .. } => {
                return Err(bad(&"document type declarations are not accepted"));
            }
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(bad(&format!("unclosed element <{}>", open.name)));
    }
    let mut root = root.ok_or_else(|| bad(&"no root element"))?;
    drop_layout_text(&mut root);
    Ok(root)
}

/// Clears the whitespace between the child elements of a container.
fn drop_layout_text(n: &mut Node) {
    if !n.children.is_empty() && n.text.trim().is_empty() {
        n.text.clear();
    }
    n.children.iter_mut().for_each(drop_layout_text);
}

/// Decodes the five XML entities and character references.
fn unescape(s: &str) -> Result<Cow<'_, str>, XmlError> {
    if !s.contains('&') {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after
            .find(';')
            .ok_or_else(|| XmlError(format!("unterminated entity in {s:?}")))?;
        let entity = &after[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| XmlError(format!("unknown entity &{entity}; in {s:?}")))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// An EC2 error, as the SDK's operation errors: the error metadata AWS sent (code,
/// message, request id) or, for an answer that could not be read, the reason
/// ([`std::error::Error::source`]). `Shared::call` classifies it by its code
/// (`UnauthorizedOperation` → denied) exactly as an SDK error.
#[derive(Debug)]
pub struct Ec2Error {
    meta: ErrorMetadata,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Ec2Error {
    /// An error AWS answered, with its metadata.
    pub fn from_meta(meta: ErrorMetadata) -> Self {
        Ec2Error { meta, source: None }
    }

    /// An answer to `action` that could not be read (no code: never classified as
    /// denied, never retried).
    pub fn unreadable(action: &str, e: XmlError) -> Self {
        Ec2Error {
            meta: ErrorMetadata::default(),
            source: Some(Box::new(XmlError(format!(
                "unreadable {action} response: {e}"
            )))),
        }
    }
}

impl fmt::Display for Ec2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.meta.code(), self.meta.message()) {
            (Some(c), Some(m)) => write!(f, "{c}: {m}"),
            (Some(c), None) => f.write_str(c),
            (None, Some(m)) => f.write_str(m),
            (None, None) => match &self.source {
                Some(e) => write!(f, "{e}"),
                None => f.write_str("EC2 error"),
            },
        }
    }
}

impl std::error::Error for Ec2Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl ProvideErrorMetadata for Ec2Error {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// What the SDK's retry classifiers read: the code (`RequestLimitExceeded`,
/// `Throttling` are retried as throttling by `AwsErrorCodeClassifier`); EC2 models no
/// error as retryable.
impl ProvideErrorKind for Ec2Error {
    fn retryable_error_kind(&self) -> Option<ErrorKind> {
        None
    }

    fn code(&self) -> Option<&str> {
        self.meta.code()
    }
}

/// The error of a failed (non-2xx) answer: code, message and request id from EC2's
/// error document (`<Response><Errors><Error>…`), the request id also from the
/// `x-amzn-requestid` header as the SDK reads it. A body that is not such a document
/// gives an error without code, carrying why.
pub fn parse_error(action: &str, body: &[u8], headers: &Headers) -> Ec2Error {
    let root = match parse_xml(body) {
        Ok(r) => r,
        Err(e) => return Ec2Error::unreadable(action, e),
    };
    let mut b = ErrorMetadata::builder();
    if let Some(e) = root.child("Errors").and_then(|e| e.child("Error")) {
        if let Some(c) = e.str("Code") {
            b = b.code(c);
        }
        if let Some(m) = e.str("Message") {
            b = b.message(m);
        }
    }
    use aws_types::request_id::RequestId;
    b = aws_types::request_id::apply_request_id(b, headers);
    if headers.request_id().is_none() {
        // EC2 sends it in the document (`<RequestID>`), where the SDK does not look.
        if let Some(id) = root.str("RequestID").or_else(|| root.str("RequestId")) {
            b = b.custom("aws_request_id", id);
        }
    }
    Ec2Error::from_meta(b.build())
}

/// Reads a successful answer to `action`: the document must be `<{action}Response>`.
pub fn parse_response<T>(
    action: &str,
    body: &[u8],
    parse: fn(&Node) -> Result<T, XmlError>,
) -> Result<T, XmlError> {
    let root = parse_xml(body)?;
    let want = format!("{action}Response");
    if root.name != want {
        return Err(XmlError(format!("expected <{want}>, got <{}>", root.name)));
    }
    parse(&root)
}
