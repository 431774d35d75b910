//! Helpers on [`Dyn`] values: conversions, unknown propagation and Terraform-exact JSON.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::ir::{Dyn, Unknown};

/// The result of evaluating an expression: a value, or an error message (an
/// evaluation error, which `try`/`can` can catch and which becomes `Unknown` at the end).
pub(crate) type EResult = Result<Dyn, String>;

/// Hidden key of a resource instance object (`for_each = aws_x.y`, `aws_x.y[0]`) that
/// holds its address, so that attributes not written in configuration become
/// "computed attribute" unknowns that refer to it. Never visible in results.
pub(crate) const RES_MARKER: &str = "\u{1}resource";

/// Removes [`RES_MARKER`] keys from a value (before it lands in a result).
pub(crate) fn strip_markers(v: &mut Dyn) {
    match v {
        Dyn::Map(m) => {
            m.remove(RES_MARKER);
            m.values_mut().for_each(strip_markers);
        }
        Dyn::List(items) => items.iter_mut().for_each(strip_markers),
        _ => {}
    }
}

/// An unknown value that refers to a resource.
pub(crate) fn unknown_ref(reason: impl Into<Arc<str>>, refers_to: Option<Arc<str>>) -> Dyn {
    Dyn::Unknown(Unknown {
        reason: reason.into(),
        refers_to,
        json_of: None,
        partial: false,
    })
}

/// The first unknown value inside `v` (depth first), if any.
pub(crate) fn first_unknown(v: &Dyn) -> Option<&Unknown> {
    match v {
        Dyn::Unknown(u) => Some(u),
        Dyn::List(items) => items.iter().find_map(first_unknown),
        Dyn::Map(m) => m.values().find_map(first_unknown),
        _ => None,
    }
}

/// Terraform's name for the type of a value (for messages and `type`).
pub(crate) fn type_name(v: &Dyn) -> &'static str {
    match v {
        Dyn::Null => "null",
        Dyn::Bool(_) => "bool",
        Dyn::Number(_) => "number",
        Dyn::String(_) => "string",
        Dyn::List(_) => "list",
        Dyn::Map(_) => "object",
        Dyn::Unknown(_) => "unknown",
    }
}

/// Formats a number the way Terraform prints it (integers without a fraction).
pub(crate) fn fmt_num(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Converts a primitive to a string (Terraform's automatic conversion).
pub(crate) fn to_str(v: &Dyn) -> Result<String, String> {
    match v {
        Dyn::String(s) => Ok(s.clone()),
        Dyn::Number(n) => Ok(fmt_num(*n)),
        Dyn::Bool(b) => Ok(b.to_string()),
        Dyn::Null => Err("a null value cannot be used as a string".into()),
        other => Err(format!(
            "a {} value cannot be used as a string",
            type_name(other)
        )),
    }
}

/// Converts a primitive to a number.
pub(crate) fn to_num(v: &Dyn) -> Result<f64, String> {
    match v {
        Dyn::Number(n) => Ok(*n),
        Dyn::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("cannot convert {s:?} to a number")),
        Dyn::Null => Err("a null value cannot be used as a number".into()),
        other => Err(format!(
            "a {} value cannot be used as a number",
            type_name(other)
        )),
    }
}

/// Converts a primitive to a bool.
pub(crate) fn to_bool(v: &Dyn) -> Result<bool, String> {
    match v {
        Dyn::Bool(b) => Ok(*b),
        Dyn::String(s) if s == "true" => Ok(true),
        Dyn::String(s) if s == "false" => Ok(false),
        Dyn::Null => Err("a null value cannot be used as a bool".into()),
        other => Err(format!(
            "a {} value cannot be used as a bool",
            type_name(other)
        )),
    }
}

/// Converts a value to a non-negative integer index.
pub(crate) fn to_index(v: &Dyn) -> Result<usize, String> {
    let n = to_num(v)?;
    if n < 0.0 || n.fract() != 0.0 || !n.is_finite() {
        return Err(format!("invalid index {}", fmt_num(n)));
    }
    Ok(n as usize)
}

/// Removes duplicates keeping first appearances (set semantics).
pub(crate) fn dedup(items: Vec<Dyn>) -> Vec<Dyn> {
    let mut out: Vec<Dyn> = Vec::with_capacity(items.len());
    for it in items {
        if !out.contains(&it) {
            out.push(it);
        }
    }
    out
}

/// Converts a JSON value to a [`Dyn`].
pub(crate) fn from_json(v: &serde_json::Value) -> Dyn {
    match v {
        serde_json::Value::Null => Dyn::Null,
        serde_json::Value::Bool(b) => Dyn::Bool(*b),
        serde_json::Value::Number(n) => Dyn::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Dyn::String(s.clone()),
        serde_json::Value::Array(a) => Dyn::List(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => Dyn::Map(
            o.iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Encodes a value as JSON exactly like Terraform's `jsonencode` (compact, keys
/// sorted, `<`, `>` and `&` escaped as Go does). Unknown values make the result unknown.
pub(crate) fn json_encode(v: &Dyn) -> Result<String, Unknown> {
    if let Some(u) = first_unknown(v) {
        return Err(u.clone());
    }
    let mut out = String::new();
    json_encode_with(v, &mut out, &mut |_, out| out.push_str("null"));
    Ok(out)
}

/// Encodes a value as JSON into `out` like [`json_encode`]; `leaf` writes each
/// unknown value.
pub(crate) fn json_encode_with(
    v: &Dyn,
    out: &mut String,
    leaf: &mut dyn FnMut(&Unknown, &mut String),
) {
    match v {
        Dyn::Null => out.push_str("null"),
        Dyn::Unknown(u) => leaf(u, out),
        Dyn::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Dyn::Number(n) => out.push_str(&fmt_num(*n)),
        Dyn::String(s) => write_json_str(s, out),
        Dyn::List(items) => {
            out.push('[');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_encode_with(it, out, leaf);
            }
            out.push(']');
        }
        Dyn::Map(m) => {
            out.push('{');
            for (i, (k, it)) in m.iter().filter(|(k, _)| *k != RES_MARKER).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_str(k, out);
                out.push(':');
                json_encode_with(it, out, leaf);
            }
            out.push('}');
        }
    }
}

/// `jsonencode(v)`: the JSON text, or when `v` has unknown leaves an unknown string
/// that keeps `v` as [`Unknown::json_of`].
pub(crate) fn json_encode_value(v: &Dyn) -> Dyn {
    match json_encode(v) {
        Ok(s) => Dyn::String(s),
        Err(u) if matches!(v, Dyn::Unknown(_)) => Dyn::Unknown(u.opaque()),
        Err(u) => {
            let mut kept = v.clone();
            strip_markers(&mut kept);
            Dyn::Unknown(Unknown {
                json_of: Some(Arc::new(kept)),
                ..u.opaque()
            })
        }
    }
}

fn write_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Quotes an instance key for an address (`["k"]`).
pub(crate) fn quote_key(k: &str) -> String {
    let mut o = String::with_capacity(k.len() + 2);
    o.push('"');
    for c in k.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_terraform_exact() {
        let mut m = BTreeMap::new();
        m.insert("b".to_string(), Dyn::Number(1.0));
        m.insert("a".to_string(), Dyn::String("<x&y>".into()));
        m.insert(
            "c".to_string(),
            Dyn::List(vec![Dyn::Bool(true), Dyn::Null, Dyn::Number(1.5)]),
        );
        assert_eq!(
            json_encode(&Dyn::Map(m)).ok(),
            Some(r#"{"a":"\u003cx\u0026y\u003e","b":1,"c":[true,null,1.5]}"#.to_string())
        );
    }

    #[test]
    fn numbers_format_like_terraform() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(-2.5), "-2.5");
    }
}
