//! Reading typed fields of one object into [`Value`]s: written values are `Set` at the
//! field's position, values of the wrong type are `Unknown` with the reason, missing
//! ones are `None` (the caller applies the Kubernetes default where there is one).

use std::collections::BTreeMap;

use super::node::{Entry, Node, Scalar};
use super::origins::Origins;
use crate::model::k8s::{LabelSelector, SelectorRequirement};
use crate::model::{Origin, Value};

/// The object being converted: where its fields come from.
pub struct Ctx<'o> {
    /// The source's origin builder.
    pub origins: &'o dyn Origins,
    /// The object's own origin.
    pub object: Origin,
}

impl Ctx<'_> {
    /// The origin of `node` (the object's when the source has no positions).
    pub fn at<'a, N: Node<'a>>(&self, node: N) -> Origin {
        self.origins.field(&self.object, node.span())
    }

    /// The origin of a field.
    pub fn entry<'a, N: Node<'a>>(&self, e: &Entry<'a, N>) -> Origin {
        self.origins.field(&self.object, e.span)
    }
}

/// The field `key` of `parent`, unless absent or `null`.
pub fn get<'a, N: Node<'a>>(parent: Option<N>, key: &str) -> Option<Entry<'a, N>> {
    parent?.field(key).filter(|e| !e.value.is_null())
}

/// The value of field `key` of `parent`, unless absent or `null`.
pub fn child<'a, N: Node<'a>>(parent: Option<N>, key: &str) -> Option<N> {
    get(parent, key).map(|e| e.value)
}

/// Follows `keys` from `node`.
pub fn dig<'a, N: Node<'a>>(node: Option<N>, keys: &[&str]) -> Option<N> {
    keys.iter().try_fold(node?, |n, k| child(Some(n), k))
}

/// A short description of a value of the wrong type, for Unknown reasons.
fn describe<'a, N: Node<'a>>(n: N) -> String {
    match n.scalar() {
        Some(Scalar::Str(s)) if s.contains("{{") || s.contains("${") => {
            "a template expression".into()
        }
        Some(Scalar::Str(_)) => "a string".into(),
        Some(Scalar::Float(_)) => "a number".into(),
        Some(_) => "a scalar".into(),
        None if n.items().is_some() => "a list".into(),
        None => "a mapping".into(),
    }
}

/// A boolean field. YAML 1.1 spellings (`yes`, `on`) count, as Kubernetes' YAML
/// decoder reads them.
pub fn bool_field<'a, N: Node<'a>>(
    ctx: &Ctx<'_>,
    parent: Option<N>,
    key: &str,
    path: &str,
) -> Option<Value<bool>> {
    let e = get(parent, key)?;
    let at = ctx.entry(&e);
    let b = match e.value.scalar() {
        Some(Scalar::Bool(b)) => Some(b),
        Some(Scalar::Str(s)) => match s {
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => {
                Some(true)
            }
            "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n"
            | "N" => Some(false),
            _ => None,
        },
        _ => None,
    };
    Some(match b {
        Some(b) => Value::set(b, at, path),
        None => Value::unknown(
            format!("`{key}` is {}, not a boolean", describe(e.value)),
            at,
            path,
        ),
    })
}

/// An integer field (numbers written as strings count).
pub fn int_field<'a, N: Node<'a>>(
    ctx: &Ctx<'_>,
    parent: Option<N>,
    key: &str,
    path: &str,
) -> Option<Value<i64>> {
    let e = get(parent, key)?;
    let at = ctx.entry(&e);
    let i = match e.value.scalar() {
        Some(Scalar::Int(i)) => Some(i),
        Some(Scalar::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
        Some(Scalar::Str(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Some(match i {
        Some(i) => Value::set(i, at, path),
        None => Value::unknown(
            format!("`{key}` is {}, not an integer", describe(e.value)),
            at,
            path,
        ),
    })
}

/// A string field (numbers and booleans in their usual spelling).
pub fn str_field<'a, N: Node<'a>>(
    ctx: &Ctx<'_>,
    parent: Option<N>,
    key: &str,
    path: &str,
) -> Option<Value<String>> {
    let e = get(parent, key)?;
    let at = ctx.entry(&e);
    Some(match e.value.text() {
        Some(s) => Value::set(s, at, path),
        None => Value::unknown(
            format!("`{key}` is {}, not a string", describe(e.value)),
            at,
            path,
        ),
    })
}

/// The plain string of field `key`, without position.
pub fn text<'a, N: Node<'a>>(parent: Option<N>, key: &str) -> Option<String> {
    child(parent, key)?.text()
}

/// The strings of a list field (non-scalar items are skipped).
pub fn strings<'a, N: Node<'a>>(node: Option<N>) -> Vec<String> {
    node.and_then(|n| n.items())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| i.text())
        .collect()
}

/// A string-to-string map (labels, annotations, `matchLabels`).
pub fn string_map<'a, N: Node<'a>>(node: Option<N>) -> BTreeMap<String, String> {
    node.and_then(|n| n.entries())
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.key.to_string(), e.value.text().unwrap_or_default()))
        .collect()
}

/// A label selector (`matchLabels`, `matchExpressions`), or a bare map of labels as the
/// `selector` of Services and ReplicationControllers is written.
pub fn selector<'a, N: Node<'a>>(node: Option<N>) -> LabelSelector {
    let Some(n) = node else {
        return LabelSelector::default();
    };
    let structured = n.field("matchLabels").is_some() || n.field("matchExpressions").is_some();
    if !structured {
        return LabelSelector {
            match_labels: string_map(Some(n)),
            match_expressions: Vec::new(),
        };
    }
    LabelSelector {
        match_labels: string_map(child(Some(n), "matchLabels")),
        match_expressions: child(Some(n), "matchExpressions")
            .and_then(|m| m.items())
            .unwrap_or_default()
            .into_iter()
            .map(|r| SelectorRequirement {
                key: text(Some(r), "key").unwrap_or_default(),
                operator: text(Some(r), "operator").unwrap_or_default(),
                values: strings(child(Some(r), "values")),
            })
            .collect(),
    }
}
