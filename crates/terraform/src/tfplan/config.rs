//! The plan's `configuration` section: which arguments a resource writes (an unknown
//! argument that is written is unknown; an unknown one that is not written is computed
//! by the provider, as absent as it is in the HCL source) and which resource an
//! expression refers to, followed through module variables and outputs.

use serde_json::{Map, Value as Json};

use crate::terraform::ir::Mode;

/// How many module boundaries a reference is followed across.
const MAX_DEPTH: usize = 16;

/// The configuration tree of one plan.
pub(crate) struct Config<'a> {
    root: Option<&'a Json>,
}

/// One step of a module instance address: call name and instance key (`[0]`, `["a"]`).
#[derive(Debug, PartialEq)]
pub(crate) struct Step<'s> {
    /// Module call name.
    pub name: &'s str,
    /// Instance key as written, empty when none.
    pub key: &'s str,
    /// Byte offset where this step's `module.` starts.
    pub start: usize,
}

/// Splits a module instance address (`module.a["x"].module.b`) into its steps; `None`
/// when it is not one.
pub(crate) fn module_steps(addr: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < addr.len() {
        let start = i;
        let rest = addr[i..].strip_prefix("module.")?;
        i += "module.".len();
        let name_len = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = &rest[..name_len];
        i += name_len;
        let key_len = key_len(&addr[i..]);
        let key = &addr[i..i + key_len];
        i += key_len;
        out.push(Step { name, key, start });
        if i < addr.len() {
            if addr.as_bytes()[i] != b'.' {
                return None;
            }
            i += 1;
        }
    }
    Some(out)
}

/// Length of a leading `[...]` instance key (quoted strings may contain brackets).
pub(crate) fn key_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first() != Some(&b'[') {
        return 0;
    }
    let mut i = 1;
    let mut quoted = false;
    while i < b.len() {
        match b[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b']' if !quoted => return i + 1,
            _ => {}
        }
        i += 1;
    }
    b.len()
}

/// The address with every instance key removed (`module.a["x"].aws_s3_bucket.b[0]` →
/// `module.a.aws_s3_bucket.b`).
pub(crate) fn strip_keys(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut i = 0;
    while i < addr.len() {
        let n = key_len(&addr[i..]);
        if n > 0 {
            i += n;
            continue;
        }
        let Some(c) = addr[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Joins a module instance address and a module-relative address.
pub(crate) fn join(module: &str, local: &str) -> String {
    if module.is_empty() {
        local.to_string()
    } else {
        format!("{module}.{local}")
    }
}

/// Whether `e` is an expression representation (not a nested block's expressions).
pub(crate) fn is_expression(e: &Json) -> bool {
    e.get("references").is_some() || e.get("constant_value").is_some()
}

/// Whether `e` describes a nested block (an array of block expressions, or one).
pub(crate) fn is_block_expr(e: &Json) -> bool {
    match e {
        Json::Array(items) => items.iter().all(Json::is_object),
        Json::Object(o) => {
            !o.is_empty() && !is_expression(e) && o.values().all(|v| v.is_object() || v.is_array())
        }
        _ => false,
    }
}

/// A segment of a path into a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Seg {
    /// An object key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// The expression written for the value at `path` (whose first segment is the
/// argument name) inside a block's expressions, when there is one.
pub(crate) fn expr_at<'a>(exprs: &'a Map<String, Json>, path: &[Seg]) -> Option<&'a Json> {
    let (Seg::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut cur = exprs.get(first)?;
    for seg in rest {
        if is_expression(cur) {
            break;
        }
        cur = match (cur, seg) {
            (Json::Array(a), Seg::Index(i)) => a.get(*i).or_else(|| only(a))?,
            (Json::Object(o), Seg::Key(k)) => o.get(k)?,
            (Json::Array(a), Seg::Key(k)) => only(a)?.get(k)?,
            _ => return None,
        };
    }
    is_expression(cur).then_some(cur)
}

fn only(a: &[Json]) -> Option<&Json> {
    match a {
        [one] => Some(one),
        _ => None,
    }
}

/// First segment of a reference that names something other than a resource.
const NOT_RESOURCES: &[&str] = &["local", "each", "count", "path", "terraform", "self"];

/// The identifier at the start of `s` (up to `.` or `[`).
fn ident(s: &str) -> &str {
    &s[..s.find(['.', '[']).unwrap_or(s.len())]
}

impl<'a> Config<'a> {
    /// The configuration of a plan document (absent: every lookup is `None`).
    pub fn new(doc: &'a Json) -> Self {
        Config {
            root: doc.get("configuration").and_then(|c| c.get("root_module")),
        }
    }

    /// The configuration module of a module instance.
    pub fn module(&self, module: &str) -> Option<&'a Json> {
        let mut cur = self.root?;
        for step in module_steps(module)? {
            cur = cur.get("module_calls")?.get(step.name)?.get("module")?;
        }
        Some(cur)
    }

    /// The configuration block of a resource: its `expressions` object.
    pub fn expressions(
        &self,
        module: &str,
        mode: Mode,
        rtype: &str,
        name: &str,
    ) -> Option<&'a Map<String, Json>> {
        let want_mode = match mode {
            Mode::Managed => "managed",
            Mode::Data => "data",
        };
        let m = self.module(module)?;
        let r = m.get("resources")?.as_array()?.iter().find(|r| {
            r.get("type").and_then(Json::as_str) == Some(rtype)
                && r.get("name").and_then(Json::as_str) == Some(name)
                && r.get("mode").and_then(Json::as_str).unwrap_or("managed") == want_mode
        })?;
        match r.get("expressions") {
            Some(Json::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// Local module calls of the root module: call name and source path.
    pub fn root_local_calls(&self) -> Vec<(String, String)> {
        let Some(calls) = self
            .root
            .and_then(|r| r.get("module_calls"))
            .and_then(Json::as_object)
        else {
            return Vec::new();
        };
        calls
            .iter()
            .filter_map(|(name, c)| {
                let src = c
                    .get("source")
                    .or_else(|| c.get("resolved_source"))
                    .and_then(Json::as_str)?;
                (src.starts_with("./") || src.starts_with("../"))
                    .then(|| (name.clone(), src.to_string()))
            })
            .collect()
    }

    /// The absolute address of the resource or data source that expression `expr` (in
    /// module instance `module`) refers to, following module variables up to the caller
    /// and module outputs down to the callee. `self_key` is the instance key of the
    /// resource holding the expression: a reference indexed by `count.index` or `each.key`
    /// points at the instance with the same key when `exists` says there is one.
    pub fn refers_to(
        &self,
        module: &str,
        expr: &Json,
        self_key: Option<&str>,
        exists: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        self.refers_rec(module, expr, self_key, exists, 0)
    }

    fn refers_rec(
        &self,
        module: &str,
        expr: &Json,
        self_key: Option<&str>,
        exists: &dyn Fn(&str) -> bool,
        depth: usize,
    ) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        let refs: Vec<&str> = expr
            .get("references")?
            .as_array()?
            .iter()
            .filter_map(Json::as_str)
            .collect();
        let per_instance = refs
            .iter()
            .any(|r| r.starts_with("count.index") || r.starts_with("each."));
        for r in &refs {
            if let Some(rest) = r.strip_prefix("var.") {
                if let Some(a) = self.through_variable(module, ident(rest), exists, depth) {
                    return Some(a);
                }
                continue;
            }
            if let Some(rest) = r.strip_prefix("module.") {
                if let Some(a) = self.through_output(module, rest, exists, depth) {
                    return Some(a);
                }
                continue;
            }
            if NOT_RESOURCES.contains(&ident(r)) {
                continue;
            }
            let (prefix, rest) = match r.strip_prefix("data.") {
                Some(rest) => ("data.", rest),
                None => ("", *r),
            };
            let rtype = ident(rest);
            let Some(after_type) = rest[rtype.len()..].strip_prefix('.') else {
                continue;
            };
            let name = ident(after_type);
            if rtype.is_empty() || name.is_empty() {
                continue;
            }
            let key = &after_type[name.len()..][..key_len(&after_type[name.len()..])];
            let base = join(module, &format!("{prefix}{rtype}.{name}"));
            if !key.is_empty() {
                return Some(format!("{base}{key}"));
            }
            if let (true, Some(k)) = (per_instance, self_key) {
                let keyed = format!("{base}{k}");
                if exists(&keyed) {
                    return Some(keyed);
                }
            }
            return Some(base);
        }
        None
    }

    /// Follows `var.name` in module instance `module` to the caller's argument.
    fn through_variable(
        &self,
        module: &str,
        name: &str,
        exists: &dyn Fn(&str) -> bool,
        depth: usize,
    ) -> Option<String> {
        let steps = module_steps(module)?;
        let last = steps.last()?;
        let parent = module[..last.start].trim_end_matches('.');
        let arg = self
            .module(parent)?
            .get("module_calls")?
            .get(last.name)?
            .get("expressions")?
            .get(name)?;
        self.refers_rec(parent, arg, None, exists, depth + 1)
    }

    /// Follows `module.call.output` (given without `module.`) into the called module.
    fn through_output(
        &self,
        module: &str,
        rest: &str,
        exists: &dyn Fn(&str) -> bool,
        depth: usize,
    ) -> Option<String> {
        let call = ident(rest);
        let after = &rest[call.len()..];
        let key = &after[..key_len(after)];
        let output = ident(after[key.len()..].strip_prefix('.')?);
        let child = join(module, &format!("module.{call}{key}"));
        let expr = self
            .module(module)?
            .get("module_calls")?
            .get(call)?
            .get("module")?
            .get("outputs")?
            .get(output)?
            .get("expression")?;
        self.refers_rec(&child, expr, None, exists, depth + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn module_addresses_and_keys() {
        let s = module_steps("module.a[\"x.y]\"].module.b").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].name, s[0].key), ("a", "[\"x.y]\"]"));
        assert_eq!((s[1].name, s[1].key, s[1].start), ("b", "", 17));
        assert_eq!(module_steps(""), Some(vec![]));
        assert_eq!(module_steps("aws_s3_bucket.b"), None);
        assert_eq!(
            strip_keys("module.a[\"k]\"].aws_s3_bucket.b[0]"),
            "module.a.aws_s3_bucket.b"
        );
    }

    #[test]
    fn references_follow_variables_and_outputs() {
        let doc = json!({"configuration": {"root_module": {
            "resources": [{"mode": "managed", "type": "aws_s3_bucket", "name": "root",
                           "expressions": {"bucket": {"constant_value": "r"}}}],
            "module_calls": {
                "store": {"source": "./store", "expressions": {
                    "bucket_id": {"references": ["aws_s3_bucket.root.id", "aws_s3_bucket.root"]}},
                    "module": {
                        "outputs": {"arn": {"expression": {"references": [
                            "aws_kms_key.k.arn", "aws_kms_key.k"]}}},
                        "resources": [{"mode": "managed", "type": "aws_s3_bucket_versioning",
                            "name": "v", "expressions": {"bucket": {"references": ["var.bucket_id"]}}}]
                    }},
                "remote": {"source": "terraform-aws-modules/s3-bucket/aws"}
            }
        }}});
        let c = Config::new(&doc);
        let no = |_: &str| false;
        let e = c
            .expressions(
                "module.store",
                Mode::Managed,
                "aws_s3_bucket_versioning",
                "v",
            )
            .unwrap();
        assert_eq!(
            c.refers_to("module.store", &e["bucket"], None, &no),
            Some("aws_s3_bucket.root".into())
        );
        let out = json!({"references": ["module.store.arn", "module.store"]});
        assert_eq!(
            c.refers_to("", &out, None, &no),
            Some("module.store.aws_kms_key.k".into())
        );
        let each = json!({"references": ["aws_s3_bucket.b", "each.key"]});
        let yes = |a: &str| a == "aws_s3_bucket.b[\"x\"]";
        assert_eq!(
            c.refers_to("", &each, Some("[\"x\"]"), &yes),
            Some("aws_s3_bucket.b[\"x\"]".into())
        );
        assert_eq!(
            c.refers_to("", &json!({"references": ["local.x", "var.y"]}), None, &no),
            None
        );
        assert_eq!(
            c.root_local_calls(),
            vec![("store".to_string(), "./store".to_string())]
        );
    }

    #[test]
    fn expressions_at_nested_paths() {
        let e = json!({"rule": [{"apply": [{"key": {"references": ["aws_kms_key.k"]}}]}],
                       "name": {"constant_value": "n"}});
        let m = e.as_object().unwrap();
        let p = [
            Seg::Key("rule".into()),
            Seg::Index(0),
            Seg::Key("apply".into()),
            Seg::Index(3),
            Seg::Key("key".into()),
        ];
        assert!(expr_at(m, &p).is_some());
        assert!(expr_at(m, &[Seg::Key("name".into()), Seg::Index(0)]).is_some());
        assert!(is_block_expr(&e["rule"]));
        assert!(!is_block_expr(&e["name"]));
    }
}
