//! IAM policy documents in JSON — identity policies, resource policies, trust policies —
//! parsed into [`PolicyDocument`] in one place for every source: the Terraform adapter
//! (JSON strings and `jsonencode` values whose leaves may be unknown before apply) and
//! the live AWS adapter (documents returned by the APIs).

use std::sync::Arc;

use serde_json::Value as Json;

use super::iam::{Condition, Effect, Patterns, PolicyDocument, Principal, Statement};

/// Starts the string that stands for an unknown leaf of a structured document (never
/// a valid IAM value); the leaf's index follows.
pub const UNKNOWN_LEAF: &str = "\u{0}unknown:";

/// What an unknown leaf of a document can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    /// An attribute of a resource of the configuration (an ARN or id): a concrete
    /// value of the configuration's own, never a wildcard.
    Attribute,
    /// A string with known text around unknown parts from outside the configuration
    /// (`arn:aws:iam::${var.account_id}:root`): never a bare wildcard, but it may name
    /// anything.
    Partial,
    /// Anything (a variable, a module input): possibly a wildcard.
    Opaque,
}

/// The unknown leaves of a structured document while it is read as JSON.
#[derive(Default)]
pub struct Leaves {
    /// Every unknown leaf: its reason and what it can be.
    leaves: Vec<(Arc<str>, Leaf)>,
    /// The first leaf that could widen or narrow the document in a way rules cannot
    /// see (a variable in `Resource`, an unknown `Effect` or principal).
    incomplete: Option<Arc<str>>,
}

impl Leaves {
    /// A placeholder for an unknown leaf with its reason and what it can be.
    pub fn unknown(&mut self, reason: Arc<str>, kind: Leaf) -> Json {
        self.leaves.push((reason, kind));
        Json::String(format!("{UNKNOWN_LEAF}{}", self.leaves.len() - 1))
    }

    /// The unknown leaf a JSON value stands for, if it is one; marks the document
    /// incomplete when the leaf may be anything ([`Leaf::Opaque`]).
    fn leaf(&mut self, j: &Json) -> Option<Arc<str>> {
        self.leaf_kind(j).map(|(r, _)| r)
    }

    /// [`Leaves::leaf`] with what the leaf can be.
    fn leaf_kind(&mut self, j: &Json) -> Option<(Arc<str>, Leaf)> {
        let i: usize = j.as_str()?.strip_prefix(UNKNOWN_LEAF)?.parse().ok()?;
        let (reason, kind) = self
            .leaves
            .get(i)
            .cloned()
            .unwrap_or_else(|| ("a value is unknown before apply".into(), Leaf::Opaque));
        if kind == Leaf::Opaque {
            self.incomplete.get_or_insert_with(|| reason.clone());
        }
        Some((reason, kind))
    }

    /// Reads a document, recording incompleteness caused by unknown leaves.
    pub fn document(mut self, j: &Json) -> Result<PolicyDocument, String> {
        let mut doc = self.parse(j)?;
        doc.incomplete = self.incomplete.take();
        Ok(doc)
    }

    fn parse(&mut self, j: &Json) -> Result<PolicyDocument, String> {
        let obj = j.as_object().ok_or("not a JSON object")?;
        let st = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Statement"))
            .map(|(_, v)| v);
        if let Some(r) = st.and_then(|s| self.leaf(s)) {
            return Ok(PolicyDocument {
                statements: vec![],
                incomplete: Some(r),
            });
        }
        let list: Vec<&Json> = match st {
            None => vec![],
            Some(Json::Array(a)) => a.iter().collect(),
            Some(o @ Json::Object(_)) => vec![o],
            Some(_) => return Err("`Statement` is neither an object nor a list".into()),
        };
        let mut statements = Vec::with_capacity(list.len());
        for s in list {
            if let Some(r) = self.leaf(s) {
                self.incomplete.get_or_insert(r);
                continue;
            }
            statements.push(self.statement(s)?);
        }
        Ok(PolicyDocument {
            statements,
            incomplete: None,
        })
    }

    fn strings(&mut self, v: Option<&Json>) -> Patterns {
        let mut p = Patterns::default();
        let items: Vec<&Json> = match v {
            None | Some(Json::Null) => vec![],
            Some(Json::Array(a)) => a.iter().collect(),
            Some(o) => vec![o],
        };
        for it in items {
            if let Some((r, kind)) = self.leaf_kind(it) {
                if kind != Leaf::Attribute {
                    p.external.get_or_insert(r.clone());
                }
                p.unknown.get_or_insert(r);
                continue;
            }
            match it {
                Json::String(s) => p.values.push(s.clone()),
                Json::Bool(b) => p.values.push(b.to_string()),
                Json::Number(n) => p.values.push(n.to_string()),
                _ => {
                    p.unknown.get_or_insert("a value is not a string".into());
                }
            }
        }
        p
    }

    fn principals(&mut self, v: Option<&Json>) -> Result<Vec<Principal>, String> {
        if let Some(r) = v.and_then(|v| self.leaf(v)) {
            return Ok(vec![Principal {
                kind: "?".into(),
                identifiers: Patterns {
                    values: vec![],
                    unknown: Some(r.clone()),
                    external: Some(r),
                },
            }]);
        }
        match v {
            None | Some(Json::Null) => Ok(vec![]),
            Some(Json::String(s)) => Ok(vec![Principal {
                kind: "*".into(),
                identifiers: Patterns::known([s.clone()]),
            }]),
            Some(Json::Object(m)) => Ok(m
                .iter()
                .map(|(k, v)| {
                    // An unknown service, identity provider or canonical user is never
                    // everyone: it leaves the document complete.
                    let before = self.incomplete.clone();
                    let identifiers = self.strings(Some(v));
                    if !(k == "*" || k.eq_ignore_ascii_case("AWS")) {
                        self.incomplete = before;
                    }
                    Principal {
                        kind: k.clone(),
                        identifiers,
                    }
                })
                .collect()),
            Some(_) => Err("`Principal` is neither \"*\" nor an object".into()),
        }
    }

    fn statement(&mut self, j: &Json) -> Result<Statement, String> {
        let obj = j.as_object().ok_or("a statement is not an object")?;
        let get = |k: &str| obj.get(k);
        let effect = match get("Effect") {
            Some(Json::String(s)) if s == "Allow" => Effect::Allow,
            Some(Json::String(s)) if s == "Deny" => Effect::Deny,
            Some(e) => {
                if let Some(r) = self.leaf(e) {
                    self.incomplete.get_or_insert(r);
                }
                Effect::Unknown
            }
            None => return Err("a statement has no `Effect`".into()),
        };
        let mut conditions = Vec::new();
        if let Some(c) = get("Condition") {
            if let Some(r) = self.leaf(c) {
                self.incomplete.get_or_insert(r);
            } else {
                let ops = c.as_object().ok_or("`Condition` is not an object")?;
                for (test, keys) in ops {
                    if let Some(r) = self.leaf(keys) {
                        self.incomplete.get_or_insert(r);
                        continue;
                    }
                    let keys = keys
                        .as_object()
                        .ok_or("a condition operator is not an object")?;
                    for (variable, values) in keys {
                        conditions.push(Condition {
                            test: test.clone(),
                            variable: variable.clone(),
                            values: self.strings(Some(values)),
                        });
                    }
                }
            }
        }
        Ok(Statement {
            sid: get("Sid")
                .and_then(Json::as_str)
                .filter(|s| !s.starts_with(UNKNOWN_LEAF))
                .map(str::to_string),
            effect,
            actions: self.strings(get("Action")),
            not_actions: self.strings(get("NotAction")),
            resources: self.strings(get("Resource")),
            not_resources: self.strings(get("NotResource")),
            principals: self.principals(get("Principal"))?,
            not_principals: self.principals(get("NotPrincipal"))?,
            conditions,
        })
    }
}

/// Parses a JSON policy document.
pub fn parse_json(s: &str) -> Result<PolicyDocument, String> {
    let j: Json = serde_json::from_str(s).map_err(|e| e.to_string())?;
    Leaves::default().document(&j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_compact_json_from_jsonencode() {
        let s = r#"{"Statement":[{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny","Principal":"*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}],"Version":"2012-10-17"}"#;
        let d = parse_json(s).unwrap();
        assert_eq!(d.statements.len(), 1);
        let st = &d.statements[0];
        assert_eq!(st.effect, Effect::Deny);
        assert!(st.applies_to_everyone());
        assert!(st.has_condition("Bool", "aws:securetransport", "false"));
        assert_eq!(st.resources.values.len(), 2);
    }

    #[test]
    fn parses_single_statement_object_and_principal_map() {
        let s = r#"{
          "Version": "2012-10-17",
          "Statement": {
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
            "Action": "sts:AssumeRole",
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true}}
          }
        }"#;
        let d = parse_json(s).unwrap();
        let st = &d.statements[0];
        assert_eq!(st.principals[0].kind, "AWS");
        assert!(!st.applies_to_everyone());
        assert!(st.has_condition("Bool", "aws:MultiFactorAuthPresent", "true"));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_json("not json").is_err());
        assert!(parse_json(r#"{"Statement":[{"Action":"*"}]}"#).is_err());
        assert!(parse_json(r#"{"Statement":[{"Effect":"Allow","Principal":5}]}"#).is_err());
    }
}
