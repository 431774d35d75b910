//! Terraform's built-in functions. Unknown arguments give unknown results except
//! where the result is knowable (`length`, `merge`, `coalesce`, `lookup`, …);
//! unsupported and non-deterministic functions return `Unknown`, never an error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::eval::{eval_template, Scope};
use super::ir::{Dyn, Unknown};
use super::value::{
    dedup, first_unknown, fmt_num, from_json, json_encode, json_encode_value, to_bool, to_index,
    to_num, to_str, type_name, EResult, RES_MARKER,
};

/// Functions that look at unknown arguments themselves.
const HANDLES_UNKNOWN: &[&str] = &[
    "length",
    "merge",
    "coalesce",
    "lookup",
    "concat",
    "flatten",
    "tolist",
    "toset",
    "tomap",
    "keys",
    "values",
    "element",
    "jsonencode",
    "sensitive",
    "nonsensitive",
    "contains",
    "one",
    "slice",
    "reverse",
    "compact",
    "coalescelist",
    "type",
    "zipmap",
    "distinct",
];

/// Functions whose unknown result may be an argument unchanged, so that it is still
/// the JSON encoding of a known structure ([`Unknown::json_of`]); any other function
/// derives a new value from it.
const KEEPS_JSON: &[&str] = &[
    "jsonencode",
    "templatefile",
    "tostring",
    "sensitive",
    "nonsensitive",
    "coalesce",
    "lookup",
    "element",
    "one",
];

/// Calls function `name` with evaluated arguments.
pub(crate) fn call(name: &str, args: Vec<Dyn>, sc: &Scope) -> EResult {
    if name == "jsondecode" {
        if let Some(Dyn::Unknown(Unknown {
            json_of: Some(v), ..
        })) = args.first()
        {
            return Ok(v.as_ref().clone());
        }
    }
    match call_inner(name, args, sc) {
        Ok(Dyn::Unknown(u)) if u.json_of.is_some() && !KEEPS_JSON.contains(&name) => {
            Ok(Dyn::Unknown(u.opaque()))
        }
        r => r,
    }
}

fn call_inner(name: &str, args: Vec<Dyn>, sc: &Scope) -> EResult {
    if !HANDLES_UNKNOWN.contains(&name) {
        if let Some(u) = args.iter().find_map(first_unknown) {
            return Ok(Dyn::Unknown(u.clone()));
        }
    }
    let first_is_unknown = matches!(
        name,
        "compact" | "distinct" | "element" | "reverse" | "slice" | "one" | "zipmap"
    );
    if first_is_unknown {
        if let Some(Dyn::Unknown(u)) = args.first() {
            return Ok(Dyn::Unknown(u.clone()));
        }
    }
    if name == "zipmap" {
        if let Some(Dyn::Unknown(u)) = args.get(1) {
            return Ok(Dyn::Unknown(u.clone()));
        }
    }
    let a = Args(&args, name);
    match name {
        // Numeric.
        "abs" => Ok(Dyn::Number(a.num(0)?.abs())),
        "ceil" => Ok(Dyn::Number(a.num(0)?.ceil())),
        "floor" => Ok(Dyn::Number(a.num(0)?.floor())),
        "signum" => {
            let n = a.num(0)?;
            Ok(Dyn::Number(if n > 0.0 {
                1.0
            } else if n < 0.0 {
                -1.0
            } else {
                0.0
            }))
        }
        "pow" => Ok(Dyn::Number(a.num(0)?.powf(a.num(1)?))),
        "log" => Ok(Dyn::Number(a.num(0)?.ln() / a.num(1)?.ln())),
        "max" | "min" => {
            let mut best: Option<f64> = None;
            for v in &args {
                let n = to_num(v)?;
                best = Some(match best {
                    None => n,
                    Some(b) if name == "max" => b.max(n),
                    Some(b) => b.min(n),
                });
            }
            best.map(Dyn::Number)
                .ok_or_else(|| format!("{name} needs at least one argument"))
        }
        "parseint" => {
            let s = a.string(0)?;
            let base = a.num(1)? as u32;
            if !(2..=62).contains(&base) {
                return Err("parseint base must be between 2 and 62".into());
            }
            i64::from_str_radix(s.trim(), base.min(36))
                .map(|n| Dyn::Number(n as f64))
                .map_err(|_| format!("cannot parse {s:?} as a base {base} integer"))
        }
        // Strings.
        "chomp" => Ok(Dyn::String(
            a.string(0)?.trim_end_matches(['\n', '\r']).to_string(),
        )),
        "lower" => Ok(Dyn::String(a.string(0)?.to_lowercase())),
        "upper" => Ok(Dyn::String(a.string(0)?.to_uppercase())),
        "title" => Ok(Dyn::String(title(&a.string(0)?))),
        "strrev" => Ok(Dyn::String(a.string(0)?.chars().rev().collect())),
        "trimspace" => Ok(Dyn::String(a.string(0)?.trim().to_string())),
        "trim" => {
            let cut = a.string(1)?;
            Ok(Dyn::String(
                a.string(0)?.trim_matches(|c| cut.contains(c)).to_string(),
            ))
        }
        "trimprefix" => {
            let s = a.string(0)?;
            let p = a.string(1)?;
            Ok(Dyn::String(
                s.strip_prefix(p.as_str()).unwrap_or(&s).to_string(),
            ))
        }
        "trimsuffix" => {
            let s = a.string(0)?;
            let p = a.string(1)?;
            Ok(Dyn::String(
                s.strip_suffix(p.as_str()).unwrap_or(&s).to_string(),
            ))
        }
        "startswith" => Ok(Dyn::Bool(a.string(0)?.starts_with(&a.string(1)?))),
        "endswith" => Ok(Dyn::Bool(a.string(0)?.ends_with(&a.string(1)?))),
        "strcontains" => Ok(Dyn::Bool(a.string(0)?.contains(&a.string(1)?))),
        "indent" => {
            let n = to_index(a.get(0)?)?;
            let s = a.string(1)?;
            let pad = " ".repeat(n);
            Ok(Dyn::String(s.replace('\n', &format!("\n{pad}"))))
        }
        "join" => {
            let sep = a.string(0)?;
            let mut parts = Vec::new();
            for l in &args[1..] {
                for it in as_list(l)? {
                    parts.push(to_str(it)?);
                }
            }
            Ok(Dyn::String(parts.join(&sep)))
        }
        "split" => {
            let sep = a.string(0)?;
            let s = a.string(1)?;
            if s.is_empty() {
                return Ok(Dyn::List(Vec::new()));
            }
            let parts: Vec<Dyn> = if sep.is_empty() {
                s.chars().map(|c| Dyn::String(c.to_string())).collect()
            } else {
                s.split(sep.as_str())
                    .map(|p| Dyn::String(p.to_string()))
                    .collect()
            };
            Ok(Dyn::List(parts))
        }
        "substr" => {
            let s: Vec<char> = a.string(0)?.chars().collect();
            let off = a.num(1)? as i64;
            let len = a.num(2)? as i64;
            let n = s.len() as i64;
            let start = if off < 0 {
                (n + off).max(0)
            } else {
                off.min(n)
            };
            let end = if len < 0 { n } else { (start + len).min(n) };
            Ok(Dyn::String(
                s[start as usize..end.max(start) as usize].iter().collect(),
            ))
        }
        "format" => format(&a.string(0)?, &args[1..]).map(Dyn::String),
        "formatlist" => formatlist(&a.string(0)?, &args[1..]),
        "replace" => {
            let s = a.string(0)?;
            let from = a.string(1)?;
            let to = a.string(2)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                let re = regex(&from[1..from.len() - 1])?;
                Ok(Dyn::String(re.replace_all(&s, to.as_str()).into_owned()))
            } else {
                Ok(Dyn::String(s.replace(&from, &to)))
            }
        }
        "regex" => {
            let re = regex(&a.string(0)?)?;
            let s = a.string(1)?;
            match re.captures(&s) {
                Some(c) => Ok(captures(&re, &c)),
                None => Err("regex pattern did not match".into()),
            }
        }
        "regexall" => {
            let re = regex(&a.string(0)?)?;
            let s = a.string(1)?;
            Ok(Dyn::List(
                re.captures_iter(&s).map(|c| captures(&re, &c)).collect(),
            ))
        }
        // Collections.
        "length" => match a.get(0)? {
            Dyn::String(s) => Ok(Dyn::Number(s.chars().count() as f64)),
            Dyn::List(l) => Ok(Dyn::Number(l.len() as f64)),
            Dyn::Map(m) => Ok(Dyn::Number(
                m.keys().filter(|k| *k != RES_MARKER).count() as f64
            )),
            Dyn::Unknown(u) => Ok(Dyn::Unknown(u.clone())),
            other => Err(format!("length of a {} value", type_name(other))),
        },
        "alltrue" | "anytrue" => {
            let want_all = name == "alltrue";
            let mut unknown = None;
            for it in as_list(a.get(0)?)? {
                match it {
                    Dyn::Unknown(u) => unknown = Some(u.clone()),
                    v => {
                        let b = to_bool(v)?;
                        if want_all && !b {
                            return Ok(Dyn::Bool(false));
                        }
                        if !want_all && b {
                            return Ok(Dyn::Bool(true));
                        }
                    }
                }
            }
            Ok(unknown.map(Dyn::Unknown).unwrap_or(Dyn::Bool(want_all)))
        }
        "chunklist" => {
            let l = as_list(a.get(0)?)?;
            let size = to_index(a.get(1)?)?;
            if size == 0 {
                return Ok(Dyn::List(vec![Dyn::List(l.to_vec())]));
            }
            Ok(Dyn::List(
                l.chunks(size).map(|c| Dyn::List(c.to_vec())).collect(),
            ))
        }
        "coalesce" => {
            for v in &args {
                match v {
                    Dyn::Null => continue,
                    Dyn::String(s) if s.is_empty() => continue,
                    Dyn::Unknown(_) => return Ok(v.clone()),
                    _ => return Ok(v.clone()),
                }
            }
            Err("no non-null, non-empty argument to coalesce".into())
        }
        "coalescelist" => {
            for v in &args {
                match v {
                    Dyn::Unknown(_) => return Ok(v.clone()),
                    Dyn::List(l) if l.is_empty() => continue,
                    Dyn::List(_) => return Ok(v.clone()),
                    Dyn::Null => continue,
                    other => return Err(format!("coalescelist of a {} value", type_name(other))),
                }
            }
            Ok(Dyn::List(Vec::new()))
        }
        "compact" => {
            let mut out = Vec::new();
            for it in as_list(a.get(0)?)? {
                match it {
                    Dyn::Null => {}
                    Dyn::String(s) if s.is_empty() => {}
                    other => out.push(other.clone()),
                }
            }
            Ok(Dyn::List(out))
        }
        "concat" => {
            let mut out = Vec::new();
            for v in &args {
                match v {
                    Dyn::Unknown(_) => return Ok(v.clone()),
                    other => out.extend(as_list(other)?.iter().cloned()),
                }
            }
            Ok(Dyn::List(out))
        }
        "contains" => {
            let coll = a.get(0)?;
            let want = a.get(1)?;
            if let Some(u) = first_unknown(want) {
                return Ok(Dyn::Unknown(u.clone()));
            }
            let items: Vec<&Dyn> = match coll {
                Dyn::Unknown(_) => return Ok(coll.clone()),
                Dyn::List(l) => l.iter().collect(),
                Dyn::Map(m) => m.values().collect(),
                other => return Err(format!("contains on a {} value", type_name(other))),
            };
            if items.contains(&want) {
                return Ok(Dyn::Bool(true));
            }
            match items.iter().find_map(|i| first_unknown(i)) {
                Some(u) => Ok(Dyn::Unknown(u.clone())),
                None => Ok(Dyn::Bool(false)),
            }
        }
        "distinct" => Ok(Dyn::List(dedup(as_list(a.get(0)?)?.to_vec()))),
        "element" => {
            let l = as_list(a.get(0)?)?;
            let i = match a.get(1)? {
                Dyn::Unknown(u) => return Ok(Dyn::Unknown(u.clone())),
                v => to_index(v)?,
            };
            if l.is_empty() {
                return Err("element of an empty list".into());
            }
            Ok(l[i % l.len()].clone())
        }
        "flatten" => {
            let mut out = Vec::new();
            match a.get(0)? {
                Dyn::Unknown(u) => return Ok(Dyn::Unknown(u.clone())),
                v => flatten(v, &mut out, 0)?,
            }
            Ok(Dyn::List(out))
        }
        "index" => {
            let l = as_list(a.get(0)?)?;
            let want = a.get(1)?;
            l.iter()
                .position(|i| i == want)
                .map(|i| Dyn::Number(i as f64))
                .ok_or_else(|| "item not found in list".into())
        }
        "keys" => match a.get(0)? {
            Dyn::Map(m) => Ok(Dyn::List(
                m.keys()
                    .filter(|k| *k != RES_MARKER)
                    .map(|k| Dyn::String(k.clone()))
                    .collect(),
            )),
            Dyn::Unknown(u) => Ok(Dyn::Unknown(u.clone())),
            other => Err(format!("keys of a {} value", type_name(other))),
        },
        "values" => match a.get(0)? {
            Dyn::Map(m) => Ok(Dyn::List(
                m.iter()
                    .filter(|(k, _)| *k != RES_MARKER)
                    .map(|(_, v)| v.clone())
                    .collect(),
            )),
            Dyn::Unknown(u) => Ok(Dyn::Unknown(u.clone())),
            other => Err(format!("values of a {} value", type_name(other))),
        },
        "lookup" => {
            let key = match a.get(1)? {
                Dyn::Unknown(u) => return Ok(Dyn::Unknown(u.clone())),
                k => to_str(k)?,
            };
            match a.get(0)? {
                Dyn::Map(m) => match (m.get(&key), args.get(2)) {
                    (Some(v), _) => Ok(v.clone()),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(format!("key {key:?} not found")),
                },
                Dyn::Unknown(u) => Ok(Dyn::Unknown(u.clone())),
                other => Err(format!("lookup in a {} value", type_name(other))),
            }
        }
        "matchkeys" => {
            let vals = as_list(a.get(0)?)?;
            let keys = as_list(a.get(1)?)?;
            let search = as_list(a.get(2)?)?;
            if vals.len() != keys.len() {
                return Err("matchkeys lists must have the same length".into());
            }
            Ok(Dyn::List(
                vals.iter()
                    .zip(keys)
                    .filter(|(_, k)| search.contains(k))
                    .map(|(v, _)| v.clone())
                    .collect(),
            ))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for v in &args {
                match v {
                    Dyn::Null => {}
                    Dyn::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    Dyn::Unknown(_) => return Ok(v.clone()),
                    other => return Err(format!("merge of a {} value", type_name(other))),
                }
            }
            Ok(Dyn::Map(out))
        }
        "one" => match a.get(0)? {
            Dyn::Unknown(u) => Ok(Dyn::Unknown(u.clone())),
            Dyn::Null => Ok(Dyn::Null),
            v => {
                let l = as_list(v)?;
                match l.len() {
                    0 => Ok(Dyn::Null),
                    1 => Ok(l[0].clone()),
                    n => Err(format!("one() of a list with {n} elements")),
                }
            }
        },
        "range" => {
            let nums: Vec<f64> = args.iter().map(to_num).collect::<Result<_, _>>()?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return Err("range takes one to three arguments".into()),
            };
            if step == 0.0 {
                return Err("range step must not be zero".into());
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Dyn::Number(x));
                x += step;
                if out.len() > 1024 {
                    return Err("range too long".into());
                }
            }
            Ok(Dyn::List(out))
        }
        "reverse" => Ok(Dyn::List(
            as_list(a.get(0)?)?.iter().rev().cloned().collect(),
        )),
        "setintersection" => {
            let mut acc = dedup(as_list(a.get(0)?)?.to_vec());
            for v in &args[1..] {
                let other = as_list(v)?;
                acc.retain(|x| other.contains(x));
            }
            Ok(Dyn::List(acc))
        }
        "setsubtract" => {
            let b = as_list(a.get(1)?)?;
            Ok(Dyn::List(
                dedup(as_list(a.get(0)?)?.to_vec())
                    .into_iter()
                    .filter(|x| !b.contains(x))
                    .collect(),
            ))
        }
        "setunion" => {
            let mut acc = Vec::new();
            for v in &args {
                acc.extend(as_list(v)?.iter().cloned());
            }
            Ok(Dyn::List(dedup(acc)))
        }
        "setproduct" => {
            let mut acc: Vec<Vec<Dyn>> = vec![Vec::new()];
            for v in &args {
                let l = as_list(v)?;
                let mut next = Vec::new();
                for prefix in &acc {
                    for it in l {
                        let mut p = prefix.clone();
                        p.push(it.clone());
                        next.push(p);
                    }
                }
                if next.len() > 100_000 {
                    return Err("setproduct result too large".into());
                }
                acc = next;
            }
            Ok(Dyn::List(acc.into_iter().map(Dyn::List).collect()))
        }
        "slice" => {
            let l = as_list(a.get(0)?)?;
            let (s, e) = (to_index(a.get(1)?)?, to_index(a.get(2)?)?);
            if s > e || e > l.len() {
                return Err("slice indices out of range".into());
            }
            Ok(Dyn::List(l[s..e].to_vec()))
        }
        "sort" => {
            let mut items: Vec<String> = as_list(a.get(0)?)?
                .iter()
                .map(to_str)
                .collect::<Result<_, _>>()?;
            items.sort();
            Ok(Dyn::List(items.into_iter().map(Dyn::String).collect()))
        }
        "sum" => {
            let l = as_list(a.get(0)?)?;
            if l.is_empty() {
                return Err("sum of an empty list".into());
            }
            Ok(Dyn::Number(l.iter().map(to_num).sum::<Result<f64, _>>()?))
        }
        "transpose" => {
            let m = as_map(a.get(0)?)?;
            let mut out: BTreeMap<String, Vec<Dyn>> = BTreeMap::new();
            for (k, v) in m {
                for it in as_list(v)? {
                    out.entry(to_str(it)?)
                        .or_default()
                        .push(Dyn::String(k.clone()));
                }
            }
            Ok(Dyn::Map(
                out.into_iter().map(|(k, v)| (k, Dyn::List(v))).collect(),
            ))
        }
        "zipmap" => {
            let keys = as_list(a.get(0)?)?;
            let vals = as_list(a.get(1)?)?;
            if keys.len() != vals.len() {
                return Err("zipmap lists must have the same length".into());
            }
            if let Some(u) = keys.iter().find_map(first_unknown) {
                return Ok(Dyn::Unknown(u.clone()));
            }
            let mut out = BTreeMap::new();
            for (k, v) in keys.iter().zip(vals) {
                out.insert(to_str(k)?, v.clone());
            }
            Ok(Dyn::Map(out))
        }
        // Encoding.
        "jsonencode" => Ok(json_encode_value(a.get(0)?)),
        "jsondecode" => {
            let s = a.string(0)?;
            serde_json::from_str::<serde_json::Value>(&s)
                .map(|v| from_json(&v))
                .map_err(|e| format!("invalid JSON: {e}"))
        }
        "base64encode" => Ok(Dyn::String(base64_encode(a.string(0)?.as_bytes()))),
        "base64decode" => {
            let bytes = base64_decode(&a.string(0)?).ok_or("invalid base64")?;
            String::from_utf8(bytes)
                .map(Dyn::String)
                .map_err(|_| "decoded base64 is not UTF-8".into())
        }
        "urlencode" => Ok(Dyn::String(urlencode(&a.string(0)?))),
        "csvdecode" => csvdecode(&a.string(0)?),
        "sha256" | "sha512" | "base64sha256" | "base64sha512" => {
            use sha2::Digest;
            let s = a.string(0)?;
            let bytes: Vec<u8> = if name.ends_with("256") {
                sha2::Sha256::digest(s.as_bytes()).to_vec()
            } else {
                sha2::Sha512::digest(s.as_bytes()).to_vec()
            };
            Ok(Dyn::String(if name.starts_with("base64") {
                base64_encode(&bytes)
            } else {
                bytes.iter().map(|b| format!("{b:02x}")).collect()
            }))
        }
        // Types.
        "tostring" => match a.get(0)? {
            Dyn::Null => Ok(Dyn::Null),
            v => to_str(v).map(Dyn::String),
        },
        "tonumber" => match a.get(0)? {
            Dyn::Null => Ok(Dyn::Null),
            v => to_num(v).map(Dyn::Number),
        },
        "tobool" => match a.get(0)? {
            Dyn::Null => Ok(Dyn::Null),
            v => to_bool(v).map(Dyn::Bool),
        },
        "tolist" | "toset" => match a.get(0)? {
            Dyn::List(l) if name == "toset" => Ok(Dyn::List(dedup(l.clone()))),
            v @ (Dyn::List(_) | Dyn::Unknown(_) | Dyn::Null) => Ok(v.clone()),
            other => Err(format!(
                "cannot convert a {} value to a list",
                type_name(other)
            )),
        },
        "tomap" => match a.get(0)? {
            v @ (Dyn::Map(_) | Dyn::Unknown(_) | Dyn::Null) => Ok(v.clone()),
            other => Err(format!(
                "cannot convert a {} value to a map",
                type_name(other)
            )),
        },
        "sensitive" | "nonsensitive" => Ok(a.get(0)?.clone()),
        "issensitive" => Ok(Dyn::Bool(false)),
        "type" => Ok(Dyn::unknown("function \"type\" is not evaluated")),
        // Network.
        "cidrhost" => cidr::host(&a.string(0)?, a.num(1)?).map(Dyn::String),
        "cidrnetmask" => cidr::netmask(&a.string(0)?).map(Dyn::String),
        "cidrsubnet" => cidr::subnet(&a.string(0)?, a.num(1)?, a.num(2)?).map(Dyn::String),
        "cidrsubnets" => {
            let bits: Vec<f64> = args[1..].iter().map(to_num).collect::<Result<_, _>>()?;
            cidr::subnets(&a.string(0)?, &bits)
                .map(|v| Dyn::List(v.into_iter().map(Dyn::String).collect()))
        }
        // Files and paths.
        "file" => {
            let p = a.string(0)?;
            Ok(match read_file(sc, &p) {
                Some(text) => Dyn::String(text),
                None => Dyn::unknown(format!("file {p:?} not found")),
            })
        }
        "fileset" => {
            let base = a.string(0)?;
            let pattern = a.string(1)?;
            Ok(match fileset(sc, &base, &pattern)? {
                Some(files) => Dyn::List(files.into_iter().map(Dyn::String).collect()),
                None => Dyn::unknown(format!("fileset directory {base:?} not found")),
            })
        }
        "fileexists" => Ok(Dyn::Bool(resolve(sc, &a.string(0)?).is_some())),
        "templatefile" => {
            let p = a.string(0)?;
            let Some(text) = read_file(sc, &p) else {
                return Ok(Dyn::unknown(format!("template file {p:?} not found")));
            };
            let vars = match args.get(1) {
                Some(Dyn::Map(m)) => m.clone(),
                Some(Dyn::Null) | None => BTreeMap::new(),
                Some(other) => {
                    return Err(format!(
                        "templatefile vars must be an object, not {}",
                        type_name(other)
                    ))
                }
            };
            let tpl = hcl_edit::parser::parse_template(&text)
                .map_err(|e| format!("cannot parse template {p:?}: {}", e.message()))?;
            let inner = sc.child(vars.into_iter().collect());
            match eval_template(&tpl, &inner)? {
                Dyn::Unknown(u) => Ok(Dyn::Unknown(u)),
                v => to_str(&v).map(Dyn::String),
            }
        }
        "basename" => {
            let p = a.string(0)?;
            Ok(Dyn::String(
                p.trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            ))
        }
        "dirname" => {
            let p = a.string(0)?;
            let t = p.trim_end_matches('/');
            Ok(Dyn::String(match t.rfind('/') {
                Some(0) => "/".to_string(),
                Some(i) => t[..i].to_string(),
                None => ".".to_string(),
            }))
        }
        "abspath" => {
            let p = a.string(0)?;
            let abs = crate::discover::normalize(&sc.run.root_dir.join(&p));
            Ok(Dyn::String(abs.to_string_lossy().replace('\\', "/")))
        }
        "pathexpand" => {
            let p = a.string(0)?;
            Ok(if p.starts_with('~') {
                Dyn::unknown("pathexpand depends on the home directory")
            } else {
                Dyn::String(p)
            })
        }
        "uuid" | "uuidv5" | "timestamp" | "plantimestamp" | "bcrypt" | "timeadd" | "formatdate"
        | "timecmp" => Ok(Dyn::unknown(format!(
            "function \"{name}\" is not deterministic"
        ))),
        _ => Ok(Dyn::unknown(format!(
            "function \"{name}\" is not supported"
        ))),
    }
}

/// Positional argument access with messages naming the function.
struct Args<'a>(&'a [Dyn], &'a str);

impl Args<'_> {
    fn get(&self, i: usize) -> Result<&Dyn, String> {
        self.0
            .get(i)
            .ok_or_else(|| format!("{} needs at least {} arguments", self.1, i + 1))
    }
    fn string(&self, i: usize) -> Result<String, String> {
        to_str(self.get(i)?)
    }
    fn num(&self, i: usize) -> Result<f64, String> {
        to_num(self.get(i)?)
    }
}

fn as_list(v: &Dyn) -> Result<&[Dyn], String> {
    match v {
        Dyn::List(l) => Ok(l),
        other => Err(format!("a list is required, not {}", type_name(other))),
    }
}

fn as_map(v: &Dyn) -> Result<&BTreeMap<String, Dyn>, String> {
    match v {
        Dyn::Map(m) => Ok(m),
        other => Err(format!("a map is required, not {}", type_name(other))),
    }
}

fn flatten(v: &Dyn, out: &mut Vec<Dyn>, depth: usize) -> Result<(), String> {
    if depth > 64 {
        return Err("list nested too deeply".into());
    }
    match v {
        Dyn::List(l) => {
            for it in l {
                match it {
                    Dyn::List(_) => flatten(it, out, depth + 1)?,
                    other => out.push(other.clone()),
                }
            }
            Ok(())
        }
        other => Err(format!("flatten of a {} value", type_name(other))),
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_letter = false;
    for c in s.chars() {
        if !prev_letter && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_letter = c.is_alphanumeric() || c == '_' || c == '\'';
    }
    out
}

fn regex(p: &str) -> Result<regex::Regex, String> {
    regex::Regex::new(p).map_err(|e| format!("invalid regular expression: {e}"))
}

fn captures(re: &regex::Regex, c: &regex::Captures) -> Dyn {
    let named: Vec<&str> = re.capture_names().flatten().collect();
    if !named.is_empty() {
        let mut m = BTreeMap::new();
        for n in named {
            let v = c
                .name(n)
                .map(|m| Dyn::String(m.as_str().to_string()))
                .unwrap_or(Dyn::Null);
            m.insert(n.to_string(), v);
        }
        return Dyn::Map(m);
    }
    if c.len() > 1 {
        return Dyn::List(
            (1..c.len())
                .map(|i| {
                    c.get(i)
                        .map(|m| Dyn::String(m.as_str().to_string()))
                        .unwrap_or(Dyn::Null)
                })
                .collect(),
        );
    }
    Dyn::String(c.get(0).map(|m| m.as_str().to_string()).unwrap_or_default())
}

/// Go-style `format` with the verbs Terraform supports.
pub(crate) fn format(f: &str, args: &[Dyn]) -> Result<String, String> {
    let mut out = String::new();
    let cs: Vec<char> = f.chars().collect();
    let mut i = 0;
    let mut next = 0;
    while i < cs.len() {
        if cs[i] != '%' {
            out.push(cs[i]);
            i += 1;
            continue;
        }
        i += 1;
        if cs.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut flags = String::new();
        while let Some(c) = cs.get(i).filter(|c| "-+ 0#".contains(**c)) {
            flags.push(*c);
            i += 1;
        }
        let mut width = String::new();
        while let Some(c) = cs.get(i).filter(|c| c.is_ascii_digit()) {
            width.push(*c);
            i += 1;
        }
        let mut prec: Option<usize> = None;
        if cs.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            while let Some(c) = cs.get(i).filter(|c| c.is_ascii_digit()) {
                p.push(*c);
                i += 1;
            }
            prec = Some(p.parse().unwrap_or(0));
        }
        let Some(&verb) = cs.get(i) else {
            return Err("format string ends with an incomplete verb".into());
        };
        i += 1;
        let arg = args.get(next).ok_or("not enough arguments for format")?;
        next += 1;
        let text = match verb {
            's' => to_str(arg)?,
            'q' => {
                let mut s = String::new();
                json_quote(&to_str(arg)?, &mut s);
                s
            }
            'd' => {
                let n = to_num(arg)?;
                let s = fmt_num(n.trunc());
                if flags.contains('+') && n >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                }
            }
            'f' | 'e' | 'g' => {
                let n = to_num(arg)?;
                match (verb, prec) {
                    ('f', p) => format!("{:.*}", p.unwrap_or(6), n),
                    ('e', p) => format!("{:.*e}", p.unwrap_or(6), n),
                    _ => fmt_num(n),
                }
            }
            't' => to_bool(arg)?.to_string(),
            'v' => match arg {
                Dyn::List(_) | Dyn::Map(_) => json_encode(arg).map_err(|u| u.reason.to_string())?,
                Dyn::Null => "null".into(),
                other => to_str(other)?,
            },
            'x' | 'X' | 'o' | 'b' => {
                let n = to_num(arg)? as i64;
                match verb {
                    'x' => format!("{n:x}"),
                    'X' => format!("{n:X}"),
                    'o' => format!("{n:o}"),
                    _ => format!("{n:b}"),
                }
            }
            other => return Err(format!("unsupported format verb %{other}")),
        };
        let w: usize = width.parse().unwrap_or(0);
        let len = text.chars().count();
        if len < w {
            let pad = w - len;
            if flags.contains('-') {
                out.push_str(&text);
                out.push_str(&" ".repeat(pad));
            } else if flags.contains('0') && "dfe".contains(verb) {
                let (sign, digits) = match text.strip_prefix('-') {
                    Some(d) => ("-", d),
                    None => ("", text.as_str()),
                };
                out.push_str(sign);
                out.push_str(&"0".repeat(pad));
                out.push_str(digits);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&text);
            }
        } else {
            out.push_str(&text);
        }
    }
    Ok(out)
}

fn json_quote(s: &str, out: &mut String) {
    out.push_str(&json_encode(&Dyn::String(s.to_string())).unwrap_or_default());
}

fn formatlist(f: &str, args: &[Dyn]) -> EResult {
    let mut n: Option<usize> = None;
    for a in args {
        if let Dyn::List(l) = a {
            match n {
                Some(m) if m != l.len() => {
                    return Err("formatlist lists must have the same length".into())
                }
                _ => n = Some(l.len()),
            }
        }
    }
    let n = n.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row: Vec<Dyn> = args
            .iter()
            .map(|a| match a {
                Dyn::List(l) => l[i].clone(),
                other => other.clone(),
            })
            .collect();
        out.push(Dyn::String(format(f, &row)?));
    }
    Ok(Dyn::List(out))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (k, shift) in [18, 12, 6, 0].iter().enumerate() {
            if k <= chunk.len() {
                out.push(B64[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn csvdecode(s: &str) -> EResult {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in s.lines().filter(|l| !l.is_empty()) {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        fields.push(cur);
        rows.push(fields);
    }
    let Some((header, body)) = rows.split_first() else {
        return Ok(Dyn::List(Vec::new()));
    };
    let mut out = Vec::new();
    for r in body {
        if r.len() != header.len() {
            return Err("csvdecode: wrong number of fields".into());
        }
        out.push(Dyn::Map(
            header
                .iter()
                .cloned()
                .zip(r.iter().map(|v| Dyn::String(v.clone())))
                .collect(),
        ));
    }
    Ok(Dyn::List(out))
}

/// Resolves a path used by a file function: relative to the root module directory
/// (Terraform's working directory), then to the calling module's directory.
fn resolve(sc: &Scope, p: &str) -> Option<PathBuf> {
    let path = PathBuf::from(p);
    let candidates = if path.is_absolute() {
        vec![path]
    } else {
        vec![sc.run.root_dir.join(&path), sc.inst.src.dir.join(&path)]
    };
    candidates.into_iter().find(|c| c.is_file())
}

/// Files under `base` (relative paths, sorted) matching a glob `pattern`; `None`
/// when the directory does not exist.
fn fileset(sc: &Scope, base: &str, pattern: &str) -> Result<Option<Vec<String>>, String> {
    let path = PathBuf::from(base);
    let dirs = if path.is_absolute() {
        vec![path]
    } else {
        vec![sc.run.root_dir.join(&path), sc.inst.src.dir.join(&path)]
    };
    let Some(dir) = dirs.into_iter().find(|d| d.is_dir()) else {
        return Ok(None);
    };
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| format!("invalid fileset pattern: {e}"))?
        .compile_matcher();
    let mut out = Vec::new();
    let mut stack = vec![(dir.clone(), 0usize)];
    while let Some((d, depth)) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                if depth < 16 {
                    stack.push((p, depth + 1));
                }
            } else if let Ok(rel) = p.strip_prefix(&dir) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                if glob.is_match(&rel) {
                    out.push(rel);
                }
            }
            if out.len() > 10_000 {
                return Err("fileset matched too many files".into());
            }
        }
    }
    out.sort();
    Ok(Some(out))
}

fn read_file(sc: &Scope, p: &str) -> Option<String> {
    let path = resolve(sc, p)?;
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// CIDR arithmetic for IPv4 and IPv6.
mod cidr {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    /// A parsed prefix: address as u128, prefix length, total bits (32 or 128).
    fn parse(s: &str) -> Result<(u128, u32, u32), String> {
        let (ip, len) = s
            .split_once('/')
            .ok_or_else(|| format!("invalid CIDR {s:?}"))?;
        let len: u32 = len.parse().map_err(|_| format!("invalid CIDR {s:?}"))?;
        let ip: IpAddr = ip.parse().map_err(|_| format!("invalid CIDR {s:?}"))?;
        let (v, bits) = match ip {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        if len > bits {
            return Err(format!("invalid prefix length in {s:?}"));
        }
        let host_bits = bits - len;
        let mask = if host_bits >= 128 {
            0
        } else {
            !((1u128 << host_bits) - 1)
        };
        Ok((v & mask, len, bits))
    }

    fn show(v: u128, bits: u32) -> String {
        if bits == 32 {
            Ipv4Addr::from(v as u32).to_string()
        } else {
            Ipv6Addr::from(v).to_string()
        }
    }

    pub(super) fn subnet(s: &str, newbits: f64, num: f64) -> Result<String, String> {
        let (base, len, bits) = parse(s)?;
        let nl = len + newbits as u32;
        if nl > bits || num < 0.0 {
            return Err("cidrsubnet: not enough address space".into());
        }
        let num = num as u128;
        if newbits as u32 >= 64 || num >= (1u128 << newbits as u32) {
            return Err("cidrsubnet: netnum too large".into());
        }
        Ok(format!("{}/{nl}", show(base | (num << (bits - nl)), bits)))
    }

    pub(super) fn host(s: &str, num: f64) -> Result<String, String> {
        let (base, len, bits) = parse(s)?;
        let size: u128 = if bits - len >= 128 {
            u128::MAX
        } else {
            1u128 << (bits - len)
        };
        let n = if num < 0.0 {
            size.checked_sub((-num) as u128)
                .ok_or("cidrhost: host number out of range")?
        } else {
            num as u128
        };
        if n >= size {
            return Err("cidrhost: host number out of range".into());
        }
        Ok(show(base + n, bits))
    }

    pub(super) fn netmask(s: &str) -> Result<String, String> {
        let (_, len, bits) = parse(s)?;
        if bits != 32 {
            return Err("cidrnetmask only supports IPv4".into());
        }
        let mask: u32 = if len == 0 { 0 } else { u32::MAX << (32 - len) };
        Ok(Ipv4Addr::from(mask).to_string())
    }

    pub(super) fn subnets(s: &str, newbits: &[f64]) -> Result<Vec<String>, String> {
        let (base, len, bits) = parse(s)?;
        let mut cur: u128 = base;
        let end: u128 = base.saturating_add(if bits - len >= 128 {
            u128::MAX
        } else {
            1u128 << (bits - len)
        });
        let mut out = Vec::new();
        for nb in newbits {
            let nl = len + *nb as u32;
            if nl > bits {
                return Err("cidrsubnets: not enough address space".into());
            }
            let size = 1u128 << (bits - nl);
            cur = cur.div_ceil(size) * size;
            if cur + size > end {
                return Err("cidrsubnets: not enough address space".into());
            }
            out.push(format!("{}/{nl}", show(cur, bits)));
            cur += size;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8="), Some(b"hello".to_vec()));
    }

    #[test]
    fn cidr_math() {
        assert_eq!(
            cidr::subnet("10.0.0.0/16", 8.0, 2.0).ok().as_deref(),
            Some("10.0.2.0/24")
        );
        assert_eq!(
            cidr::host("10.0.0.0/24", 5.0).ok().as_deref(),
            Some("10.0.0.5")
        );
        assert_eq!(
            cidr::netmask("10.0.0.0/12").ok().as_deref(),
            Some("255.240.0.0")
        );
        assert_eq!(
            cidr::subnets("10.1.0.0/16", &[4.0, 4.0, 8.0, 4.0]).ok(),
            Some(vec![
                "10.1.0.0/20".to_string(),
                "10.1.16.0/20".into(),
                "10.1.32.0/24".into(),
                "10.1.48.0/20".into()
            ])
        );
    }

    #[test]
    fn format_verbs() {
        let args = [Dyn::String("a".into()), Dyn::Number(5.0), Dyn::Number(1.5)];
        assert_eq!(
            format("%s-%03d-%.2f%%", &args).ok().as_deref(),
            Some("a-005-1.50%")
        );
    }
}
