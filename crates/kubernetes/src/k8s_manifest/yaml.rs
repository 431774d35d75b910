//! Parsed YAML (saphyr's `MarkedYamlOwned`) as a [`Node`] of the shared conversion,
//! with positions: every node and every mapping key carries its lines.

use saphyr::{MarkedYamlOwned, ScalarOwned, YamlDataOwned};

use crate::k8s::node::{Entry, Node, Scalar, Span};

/// The lines of a source text, to find where a node really ends (saphyr's end marker
/// of a block collection or block scalar is the start of the next token).
#[derive(Debug)]
pub struct Lines<'s> {
    lines: Vec<&'s str>,
}

impl<'s> Lines<'s> {
    /// Splits `text` into lines.
    pub fn new(text: &'s str) -> Self {
        Lines {
            lines: text.lines().collect(),
        }
    }

    /// The last line of a node that starts at `start` (1-based) and whose end marker is
    /// at `end_line` (1-based), `end_col` (0-based, characters): the end marker is
    /// exclusive, so when only indentation precedes it the node ended on an earlier
    /// line; blank and comment-only lines at the end are not part of the node.
    fn last_line(&self, start: usize, end_line: usize, end_col: usize) -> usize {
        let mut l = end_line.min(self.lines.len() + 1);
        let only_indent = |l: usize| {
            self.lines
                .get(l.wrapping_sub(1))
                .is_none_or(|t| t.chars().take(end_col).all(char::is_whitespace))
        };
        if l > start && (end_col == 0 || only_indent(l)) {
            l -= 1;
            while l > start
                && self.lines.get(l - 1).is_some_and(|t| {
                    let t = t.trim();
                    t.is_empty() || t.starts_with('#') || t == "---"
                })
            {
                l -= 1;
            }
        }
        l.max(start)
    }
}

/// A YAML node with access to the source lines.
#[derive(Debug, Clone, Copy)]
pub struct YamlNode<'a> {
    node: &'a MarkedYamlOwned,
    lines: &'a Lines<'a>,
}

impl<'a> YamlNode<'a> {
    /// Wraps a parsed document.
    pub fn new(node: &'a MarkedYamlOwned, lines: &'a Lines<'a>) -> Self {
        YamlNode { node, lines }
    }

    /// The node under any tags.
    fn data(self) -> &'a YamlDataOwned<MarkedYamlOwned> {
        let mut n = self.node;
        while let YamlDataOwned::Tagged(_, inner) = &n.data {
            n = inner;
        }
        &n.data
    }

    fn wrap(self, node: &'a MarkedYamlOwned) -> Self {
        YamlNode {
            node,
            lines: self.lines,
        }
    }

    /// Whether any mapping under this node has a key that is itself a mapping or a
    /// sequence: never the case in a Kubernetes object, always the case when a
    /// template expression `{{ … }}` was parsed as a YAML flow mapping.
    pub fn has_collection_key(self) -> bool {
        match self.data() {
            YamlDataOwned::Mapping(m) => m.iter().any(|(k, v)| {
                matches!(
                    self.wrap(k).data(),
                    YamlDataOwned::Mapping(_) | YamlDataOwned::Sequence(_)
                ) || self.wrap(v).has_collection_key()
            }),
            YamlDataOwned::Sequence(s) => s.iter().any(|i| self.wrap(i).has_collection_key()),
            _ => false,
        }
    }
}

fn span_of(lines: &Lines<'_>, start: &MarkedYamlOwned, end: &MarkedYamlOwned) -> Span {
    let s = &start.span.start;
    let e = &end.span.end;
    let line = s.line().max(1);
    Span {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(s.col() + 1).unwrap_or(u32::MAX),
        end_line: u32::try_from(lines.last_line(line, e.line(), e.col())).unwrap_or(u32::MAX),
    }
}

impl<'a> Node<'a> for YamlNode<'a> {
    fn span(self) -> Option<Span> {
        Some(span_of(self.lines, self.node, self.node))
    }

    fn scalar(self) -> Option<Scalar<'a>> {
        match self.data() {
            YamlDataOwned::Value(v) => Some(match v {
                ScalarOwned::Null => Scalar::Null,
                ScalarOwned::Boolean(b) => Scalar::Bool(*b),
                ScalarOwned::Integer(i) => Scalar::Int(*i),
                ScalarOwned::FloatingPoint(f) => Scalar::Float(f.0),
                ScalarOwned::String(s) => Scalar::Str(s),
            }),
            YamlDataOwned::Representation(s, _, _) => Some(Scalar::Str(s)),
            _ => None,
        }
    }

    fn items(self) -> Option<Vec<Self>> {
        match self.data() {
            YamlDataOwned::Sequence(s) => Some(s.iter().map(|i| self.wrap(i)).collect()),
            _ => None,
        }
    }

    fn entries(self) -> Option<Vec<Entry<'a, Self>>> {
        match self.data() {
            YamlDataOwned::Mapping(m) => Some(
                m.iter()
                    .filter_map(|(k, v)| {
                        let key = match self.wrap(k).scalar()? {
                            Scalar::Str(s) => s,
                            _ => return None,
                        };
                        Some(Entry {
                            key,
                            span: Some(span_of(self.lines, k, v)),
                            value: self.wrap(v),
                        })
                    })
                    .collect(),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr::LoadableYamlNode;

    const SRC: &str = "\
# comment
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: a
      securityContext:
        privileged: true

      env:
      - name: X
        value: |
          abc
          def
    - {name: b, image: y}
---
kind: List
";

    #[test]
    fn spans_of_keys_and_blocks() {
        let docs = MarkedYamlOwned::load_from_str(SRC).unwrap();
        assert_eq!(docs.len(), 2);
        let lines = Lines::new(SRC);
        let doc = YamlNode::new(&docs[0], &lines);
        assert_eq!(doc.span().unwrap().line, 2);
        assert_eq!(doc.span().unwrap().end_line, 15);
        let spec = doc.field("spec").unwrap();
        let cs = spec
            .value
            .field("containers")
            .unwrap()
            .value
            .items()
            .unwrap();
        let a = cs[0];
        assert_eq!(
            a.span().unwrap(),
            Span {
                line: 6,
                col: 7,
                end_line: 14
            }
        );
        let sc = a.field("securityContext").unwrap();
        assert_eq!(sc.span.unwrap().end_line, 8);
        let p = sc.value.field("privileged").unwrap();
        assert_eq!(
            p.span.unwrap(),
            Span {
                line: 8,
                col: 9,
                end_line: 8
            }
        );
        assert_eq!(p.value.scalar(), Some(Scalar::Bool(true)));
        let env = a.field("env").unwrap().value.items().unwrap();
        let v = env[0].field("value").unwrap();
        assert_eq!((v.span.unwrap().line, v.span.unwrap().end_line), (12, 14));
        assert_eq!(cs[1].span().unwrap().end_line, 15);
        assert!(!doc.has_collection_key());
    }

    #[test]
    fn template_expressions_are_collection_keys() {
        let src = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n";
        let docs = MarkedYamlOwned::load_from_str(src).unwrap();
        let lines = Lines::new(src);
        assert!(YamlNode::new(&docs[0], &lines).has_collection_key());
    }
}
