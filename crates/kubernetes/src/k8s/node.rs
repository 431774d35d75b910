//! The JSON-like tree the conversion reads: mappings, sequences and scalars, with an
//! optional position per node. Implemented for `serde_json::Value` (API answers, no
//! positions) here and for parsed YAML (positions) by the manifest adapter.

/// A position in a source file: 1-based line and column, and the last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First line (1-based).
    pub line: u32,
    /// First column (1-based).
    pub col: u32,
    /// Last line (1-based).
    pub end_line: u32,
}

/// A scalar value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// `null`, `~` or an empty value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(&'a str),
}

/// One field of a mapping.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a, N> {
    /// The key.
    pub key: &'a str,
    /// Where the field is written: from its key to the end of its value.
    pub span: Option<Span>,
    /// The value.
    pub value: N,
}

/// A node of a Kubernetes object: a cheap, copyable handle into a parsed document.
pub trait Node<'a>: Copy + 'a {
    /// Where the node is written, when the source has positions.
    fn span(self) -> Option<Span>;
    /// The scalar, when the node is one.
    fn scalar(self) -> Option<Scalar<'a>>;
    /// The items, when the node is a sequence.
    fn items(self) -> Option<Vec<Self>>;
    /// The fields with string keys, in order, when the node is a mapping.
    fn entries(self) -> Option<Vec<Entry<'a, Self>>>;

    /// The field `key` of a mapping.
    fn field(self, key: &str) -> Option<Entry<'a, Self>> {
        self.entries()?.into_iter().find(|e| e.key == key)
    }

    /// The string value of a scalar (numbers and booleans in their usual spelling).
    fn text(self) -> Option<String> {
        match self.scalar()? {
            Scalar::Str(s) => Some(s.to_string()),
            Scalar::Int(i) => Some(i.to_string()),
            Scalar::Float(f) => Some(f.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Null => None,
        }
    }

    /// Whether the node is `null` (an empty value counts as not written).
    fn is_null(self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }
}

impl<'a> Node<'a> for &'a serde_json::Value {
    fn span(self) -> Option<Span> {
        None
    }

    fn scalar(self) -> Option<Scalar<'a>> {
        use serde_json::Value as J;
        match self {
            J::Null => Some(Scalar::Null),
            J::Bool(b) => Some(Scalar::Bool(*b)),
            J::Number(n) => Some(match n.as_i64() {
                Some(i) => Scalar::Int(i),
                None => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
            }),
            J::String(s) => Some(Scalar::Str(s)),
            J::Array(_) | J::Object(_) => None,
        }
    }

    fn items(self) -> Option<Vec<Self>> {
        self.as_array().map(|a| a.iter().collect())
    }

    fn entries(self) -> Option<Vec<Entry<'a, Self>>> {
        self.as_object().map(|o| {
            o.iter()
                .map(|(k, v)| Entry {
                    key: k.as_str(),
                    span: None,
                    value: v,
                })
                .collect()
        })
    }

    fn field(self, key: &str) -> Option<Entry<'a, Self>> {
        let (k, v) = self.as_object()?.get_key_value(key)?;
        Some(Entry {
            key: k.as_str(),
            span: None,
            value: v,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nodes() {
        let v = serde_json::json!({"a": {"b": [1, "x", true, null]}});
        let a = (&v).field("a").unwrap().value;
        let items = a.field("b").unwrap().value.items().unwrap();
        assert_eq!(items[0].scalar(), Some(Scalar::Int(1)));
        assert_eq!(items[1].text().as_deref(), Some("x"));
        assert_eq!(items[2].text().as_deref(), Some("true"));
        assert!(items[3].is_null());
        assert!((&v).span().is_none());
        assert!((&v).field("missing").is_none());
    }
}
