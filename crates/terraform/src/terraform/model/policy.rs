//! IAM policy documents from Terraform: JSON strings (`jsonencode(...)`, heredocs, files)
//! and `data.aws_iam_policy_document` data sources, parsed into [`PolicyDocument`].

use std::sync::Arc;

use serde_json::Value as Json;

use super::join::{base_address, Ctx};
use super::read::{number_string, Reader};
use crate::model::aws::iam::{Condition, Effect, Patterns, PolicyDocument, Principal, Statement};
pub(crate) use crate::model::aws::policy_json::parse_json;
use crate::model::aws::policy_json::{Leaf, Leaves};
use crate::model::Value;
use crate::terraform::ir::{Block, Dyn, Mode, Resource};

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
    match doc_from_dyn(ctx, rd.resource, &a.value, 0) {
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

/// The document of `d`, a value written in `from` (references are followed within the
/// root module of `from`).
fn doc_from_dyn(ctx: &Ctx<'_>, from: &Resource, d: &Dyn, depth: usize) -> Parsed {
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
                return match doc_from_dyn(ctx, from, v, depth) {
                    Parsed::Doc(d) => Parsed::Doc(d),
                    _ => Parsed::Unknown(u.reason.clone()),
                };
            }
            if let Some(addr) = &u.refers_to {
                if let Some(ds) = find_policy_data_source(ctx, from, addr) {
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
            let j = json_of(&mut leaves, d);
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

/// The policy-document data source at `addr` in the root module of `from`.
fn find_policy_data_source<'a>(ctx: &Ctx<'a>, from: &Resource, addr: &str) -> Option<&'a Resource> {
    let r = ctx.get(from, addr).or_else(|| {
        // `data.x.y` referenced without its instance key when there is exactly one instance.
        let mut it = ctx
            .all
            .iter()
            .filter(|r| base_address(&r.address) == addr && ctx.same_root(r, from));
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
            match doc_from_dyn(ctx, ds, it, depth) {
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
        if let Some(r) = unknown_grant(b) {
            doc.incomplete.get_or_insert(r);
        }
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
                if u.refers_to.is_none() {
                    p.external.get_or_insert(u.reason.clone());
                }
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

/// Why a `statement` block may grant more than it shows: its `effect`, or a principal's
/// `type` or `identifiers`, is unknown and neither an attribute of a resource (an ARN or
/// id of a resource is a concrete value, never a wildcard) nor a string with known text
/// around its unknown parts — as an unknown leaf marks a JSON document incomplete.
fn unknown_grant(b: &Block) -> Option<Arc<str>> {
    let not_ref = |d: &Dyn| -> Option<Arc<str>> {
        let items: Vec<&Dyn> = match d {
            Dyn::List(v) => v.iter().collect(),
            other => vec![other],
        };
        items.into_iter().find_map(|i| match i {
            Dyn::Unknown(u) if u.refers_to.is_none() && !u.partial => Some(u.reason.clone()),
            _ => None,
        })
    };
    if let Some(r) = b.attr("effect").and_then(|a| not_ref(&a.value)) {
        return Some(r);
    }
    for kind in ["principals", "not_principals"] {
        if let Some(u) = b.unknown_blocks_of(kind) {
            return Some(u.reason.clone());
        }
        for p in b.blocks_of(kind) {
            if let Some(r) = p.attr("type").and_then(|a| not_ref(&a.value)) {
                return Some(r);
            }
            // An unknown service, identity provider or canonical user is never everyone.
            let may_be_everyone = match p.attr("type").map(|a| &a.value) {
                Some(Dyn::String(t)) => t == "*" || t.eq_ignore_ascii_case("AWS"),
                _ => true,
            };
            if may_be_everyone {
                if let Some(r) = p.attr("identifiers").and_then(|a| not_ref(&a.value)) {
                    return Some(r);
                }
            }
        }
    }
    None
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

/// An evaluated value as JSON, unknown leaves replaced by indexed placeholders.
fn json_of(leaves: &mut Leaves, d: &Dyn) -> Json {
    match d {
        Dyn::Null => Json::Null,
        Dyn::Bool(b) => Json::Bool(*b),
        Dyn::Number(n) => serde_json::Number::from_f64(*n)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        Dyn::String(s) => Json::String(s.clone()),
        Dyn::List(v) => Json::Array(v.iter().map(|i| json_of(leaves, i)).collect()),
        Dyn::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), json_of(leaves, v)))
                .collect(),
        ),
        Dyn::Unknown(u) => {
            let kind = if u.refers_to.is_some() {
                Leaf::Attribute
            } else if u.partial {
                Leaf::Partial
            } else {
                Leaf::Opaque
            };
            leaves.unknown(u.reason.clone(), kind)
        }
    }
}
