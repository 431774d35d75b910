//! IAM policy documents from Terraform: JSON strings (`jsonencode(...)`, heredocs, files)
//! and `data.aws_iam_policy_document` data sources, parsed into [`PolicyDocument`].

use std::sync::Arc;

use serde_json::Value as Json;

use super::join::{base_address, Ctx};
use super::read::{number_string, Reader};
use crate::adapt::terraform::ir::{Block, Dyn, Mode, Resource};
use crate::model::aws::iam::{Condition, Effect, Patterns, PolicyDocument, Principal, Statement};
use crate::model::Value;

/// How deep `source_policy_documents` may nest before giving up.
const MAX_DEPTH: usize = 8;

/// Reads the policy attribute `name` of `rd` (`policy`, `assume_role_policy`).
/// `None` when not written, null or empty.
pub(crate) fn read_policy(
    ctx: &Ctx<'_>,
    rd: &Reader<'_>,
    name: &str,
) -> Option<Value<PolicyDocument>> {
    let a = rd.attr(name)?;
    let at = rd.origin_at(a.pos);
    let path = rd.path(name);
    match doc_from_dyn(ctx, &a.value, 0) {
        Parsed::Doc(d) => Some(Value::set(d, at, path)),
        Parsed::Empty => None,
        Parsed::Unknown(r) => Some(Value::unknown(r, at, path)),
    }
}

enum Parsed {
    Doc(PolicyDocument),
    Empty,
    Unknown(Arc<str>),
}

fn doc_from_dyn(ctx: &Ctx<'_>, d: &Dyn, depth: usize) -> Parsed {
    match d {
        Dyn::Null => Parsed::Empty,
        Dyn::String(s) if s.trim().is_empty() => Parsed::Empty,
        Dyn::String(s) => match parse_json(s) {
            Ok(doc) => Parsed::Doc(doc),
            Err(e) => Parsed::Unknown(format!("policy is not a valid policy document: {e}").into()),
        },
        Dyn::Unknown(u) => {
            if let Some(v) = &u.json_of {
                // `jsonencode({...})` or a JSON heredoc with unknown values in it.
                return match doc_from_dyn(ctx, v, depth) {
                    Parsed::Doc(d) => Parsed::Doc(d),
                    _ => Parsed::Unknown(u.reason.clone()),
                };
            }
            if let Some(addr) = &u.refers_to {
                if let Some(ds) = find_policy_data_source(ctx, addr) {
                    if depth >= MAX_DEPTH {
                        return Parsed::Unknown("policy documents nest too deeply".into());
                    }
                    return Parsed::Doc(from_data_source(ctx, ds, depth + 1));
                }
            }
            Parsed::Unknown(u.reason.clone())
        }
        // A document given as an object whose leaves may be unknown (the value of a
        // partly unknown `jsonencode`).
        Dyn::Map(_) => {
            let mut leaves = Leaves::default();
            let j = leaves.to_json(d);
            match leaves.document(&j) {
                Ok(doc) => Parsed::Doc(doc),
                Err(e) => {
                    Parsed::Unknown(format!("policy is not a valid policy document: {e}").into())
                }
            }
        }
        _ => Parsed::Unknown("policy is not a JSON string".into()),
    }
}

fn find_policy_data_source<'a>(ctx: &Ctx<'a>, addr: &str) -> Option<&'a Resource> {
    let r = ctx.get(addr).or_else(|| {
        // `data.x.y` referenced without its instance key when there is exactly one instance.
        let mut it = ctx.all.iter().filter(|r| base_address(&r.address) == addr);
        match (it.next(), it.next()) {
            (Some(r), None) => Some(r),
            _ => None,
        }
    })?;
    (r.mode == Mode::Data && r.rtype == "aws_iam_policy_document").then_some(r)
}

/// Builds the document of a `data.aws_iam_policy_document`: the source documents first,
/// then the `statement` blocks, then the override documents (statements with the same
/// `sid` are replaced, as the provider does).
pub(crate) fn from_data_source(ctx: &Ctx<'_>, ds: &Resource, depth: usize) -> PolicyDocument {
    let mut doc = PolicyDocument::default();
    let include = |doc: &mut PolicyDocument, d: &Dyn, replace: bool| {
        let items: Vec<&Dyn> = match d {
            Dyn::List(v) => v.iter().collect(),
            Dyn::Null => vec![],
            other => vec![other],
        };
        for it in items {
            match doc_from_dyn(ctx, it, depth) {
                Parsed::Doc(inc) => {
                    if let Some(r) = inc.incomplete {
                        doc.incomplete.get_or_insert(r);
                    }
                    for st in inc.statements {
                        merge(doc, st, replace);
                    }
                }
                Parsed::Empty => {}
                Parsed::Unknown(r) => {
                    doc.incomplete.get_or_insert(r);
                }
            }
        }
    };
    for name in ["source_policy_documents", "source_json"] {
        if let Some(a) = ds.body.attr(name) {
            include(&mut doc, &a.value, false);
        }
    }
    for b in ds.body.blocks_of("statement") {
        let st = statement_from_block(b);
        merge(&mut doc, st, true);
    }
    if let Some(u) = ds.body.unknown_blocks_of("statement") {
        doc.incomplete.get_or_insert(u.reason.clone());
    }
    for name in ["override_policy_documents", "override_json"] {
        if let Some(a) = ds.body.attr(name) {
            include(&mut doc, &a.value, true);
        }
    }
    doc
}

fn merge(doc: &mut PolicyDocument, st: Statement, replace: bool) {
    if replace {
        if let Some(sid) = st.sid.as_deref().filter(|s| !s.is_empty()) {
            if let Some(existing) = doc
                .statements
                .iter_mut()
                .find(|s| s.sid.as_deref() == Some(sid))
            {
                *existing = st;
                return;
            }
        }
    }
    doc.statements.push(st);
}

fn patterns_of(d: Option<&Dyn>) -> Patterns {
    let mut p = Patterns::default();
    let items: Vec<&Dyn> = match d {
        None | Some(Dyn::Null) => vec![],
        Some(Dyn::List(v)) => v.iter().collect(),
        Some(other) => vec![other],
    };
    for it in items {
        match it {
            Dyn::String(s) => p.values.push(s.clone()),
            Dyn::Number(n) => p.values.push(number_string(*n)),
            Dyn::Bool(b) => p.values.push(b.to_string()),
            Dyn::Unknown(u) => {
                p.unknown.get_or_insert(u.reason.clone());
            }
            Dyn::Null => {}
            _ => {
                p.unknown.get_or_insert("a value is not a string".into());
            }
        }
    }
    p
}

fn principals_of(b: &Block, kind: &str) -> Vec<Principal> {
    b.blocks_of(kind)
        .map(|p| Principal {
            kind: match p.attr("type").map(|a| &a.value) {
                Some(Dyn::String(s)) => s.clone(),
                _ => "?".to_string(),
            },
            identifiers: patterns_of(p.attr("identifiers").map(|a| &a.value)),
        })
        .collect()
}

fn statement_from_block(b: &Block) -> Statement {
    let get = |n: &str| b.attr(n).map(|a| &a.value);
    Statement {
        sid: match get("sid") {
            Some(Dyn::String(s)) => Some(s.clone()),
            _ => None,
        },
        effect: match get("effect") {
            None | Some(Dyn::Null) => Effect::Allow,
            Some(Dyn::String(s)) if s == "Allow" => Effect::Allow,
            Some(Dyn::String(s)) if s == "Deny" => Effect::Deny,
            _ => Effect::Unknown,
        },
        actions: patterns_of(get("actions")),
        not_actions: patterns_of(get("not_actions")),
        resources: patterns_of(get("resources")),
        not_resources: patterns_of(get("not_resources")),
        principals: principals_of(b, "principals"),
        not_principals: principals_of(b, "not_principals"),
        conditions: b
            .blocks_of("condition")
            .map(|c| Condition {
                test: match c.attr("test").map(|a| &a.value) {
                    Some(Dyn::String(s)) => s.clone(),
                    _ => String::new(),
                },
                variable: match c.attr("variable").map(|a| &a.value) {
                    Some(Dyn::String(s)) => s.clone(),
                    _ => String::new(),
                },
                values: patterns_of(c.attr("values").map(|a| &a.value)),
            })
            .collect(),
    }
}

/// Starts the string that stands for an unknown leaf of a structured document (never
/// a valid IAM value); the leaf's index follows.
const UNKNOWN_LEAF: &str = "\u{0}unknown:";

/// The unknown leaves of a structured document while it is read as JSON.
#[derive(Default)]
struct Leaves {
    /// Every unknown leaf: its reason, and whether it is an attribute of a resource
    /// (an ARN or id: a concrete value, never a wildcard).
    leaves: Vec<(Arc<str>, bool)>,
    /// The first leaf that could widen or narrow the document in a way rules cannot
    /// see (a variable in `Resource`, an unknown `Effect` or principal).
    incomplete: Option<Arc<str>>,
}

impl Leaves {
    /// An evaluated value as JSON, unknown leaves replaced by indexed placeholders.
    fn to_json(&mut self, d: &Dyn) -> Json {
        match d {
            Dyn::Null => Json::Null,
            Dyn::Bool(b) => Json::Bool(*b),
            Dyn::Number(n) => serde_json::Number::from_f64(*n)
                .map(Json::Number)
                .unwrap_or(Json::Null),
            Dyn::String(s) => Json::String(s.clone()),
            Dyn::List(v) => Json::Array(v.iter().map(|i| self.to_json(i)).collect()),
            Dyn::Map(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), self.to_json(v)))
                    .collect(),
            ),
            Dyn::Unknown(u) => {
                self.leaves.push((u.reason.clone(), u.refers_to.is_some()));
                Json::String(format!("{UNKNOWN_LEAF}{}", self.leaves.len() - 1))
            }
        }
    }

    /// The unknown leaf a JSON value stands for, if it is one; marks the document
    /// incomplete unless the leaf is a resource attribute.
    fn leaf(&mut self, j: &Json) -> Option<Arc<str>> {
        let i: usize = j.as_str()?.strip_prefix(UNKNOWN_LEAF)?.parse().ok()?;
        let (reason, is_ref) = self
            .leaves
            .get(i)
            .cloned()
            .unwrap_or_else(|| ("a value is unknown before apply".into(), false));
        if !is_ref {
            self.incomplete.get_or_insert_with(|| reason.clone());
        }
        Some(reason)
    }

    /// Reads a document, recording incompleteness caused by unknown leaves.
    fn document(mut self, j: &Json) -> Result<PolicyDocument, String> {
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
            if let Some(r) = self.leaf(it) {
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
                    unknown: Some(r),
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
                .map(|(k, v)| Principal {
                    kind: k.clone(),
                    identifiers: self.strings(Some(v)),
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
pub(crate) fn parse_json(s: &str) -> Result<PolicyDocument, String> {
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
