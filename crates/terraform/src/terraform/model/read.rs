//! Reading evaluated attributes into typed [`Value`]s: written values keep the
//! attribute's position, absent ones get the documented default at the owning resource's
//! block, unknown ones keep the evaluator's reason, and values of the wrong type become
//! unknown with a reason.

use std::sync::Arc;

use crate::model::{Origin, ResourceMeta, Value};
use crate::terraform::ir::{Attribute, Block, Dyn, Pos, Resource};

/// A file origin for `pos` in `file`.
pub(crate) fn origin(file: &Arc<str>, pos: Pos) -> Origin {
    Origin::File {
        path: file.clone(),
        line: pos.line,
        col: pos.col,
        end_line: pos.end_line,
    }
}

/// Where the whole resource block of `r` is written.
pub(crate) fn block_origin(r: &Resource) -> Origin {
    origin(&r.file, r.body.pos)
}

/// The model identity of a resource instance, without its scope: adapters use
/// [`super::join::Ctx::meta`], which adds the root module.
pub(super) fn meta(r: &Resource) -> ResourceMeta {
    ResourceMeta::new(r.address.as_str(), r.rtype.as_str(), block_origin(r))
}

/// Reads attributes of one block of a resource (the body or a nested block).
#[derive(Clone)]
pub(crate) struct Reader<'a> {
    /// The resource instance being read.
    pub resource: &'a Resource,
    file: &'a Arc<str>,
    /// The block attributes are read from.
    pub block: &'a Block,
    /// Attribute path prefix (`rule.apply_server_side_encryption_by_default.`).
    prefix: String,
    /// Where defaulted values point: the owning resource's block.
    owner: Pos,
}

/// What a `Dyn` converts to: a value, null (treat as absent), or unknown with a reason.
pub(crate) enum Conv<T> {
    /// A known value of the right type.
    Ok(T),
    /// `null`: the attribute is treated as not written.
    Null,
    /// Unknown, or of the wrong type; the reason.
    Unknown(Arc<str>),
}

impl<'a> Reader<'a> {
    /// A reader for a resource's body.
    pub fn new(r: &'a Resource) -> Self {
        Reader {
            resource: r,
            file: &r.file,
            block: &r.body,
            prefix: String::new(),
            owner: r.body.pos,
        }
    }

    /// A reader for a nested block, with `segment` appended to the path.
    pub fn child(&self, block: &'a Block, segment: &str) -> Reader<'a> {
        Reader {
            resource: self.resource,
            file: self.file,
            block,
            prefix: format!("{}{}.", self.prefix, segment),
            owner: self.owner,
        }
    }

    /// The first nested block of type `kind`, as a reader.
    pub fn first(&self, kind: &str) -> Option<Reader<'a>> {
        self.block
            .blocks
            .iter()
            .find(|b| b.kind == kind)
            .map(|b| self.child(b, kind))
    }

    /// Every nested block of type `kind`, as readers with indexed paths (`kind[i]`).
    pub fn all(&self, kind: &str) -> Vec<Reader<'a>> {
        self.block
            .blocks
            .iter()
            .filter(|b| b.kind == kind)
            .enumerate()
            .map(|(i, b)| self.child(b, &format!("{kind}[{i}]")))
            .collect()
    }

    /// The attribute path of `name` in this block.
    pub fn path(&self, name: &str) -> String {
        format!("{}{}", self.prefix, name)
    }

    /// Where the owning resource is declared (defaulted values point here).
    pub fn owner_origin(&self) -> Origin {
        origin(self.file, self.owner)
    }

    /// An origin at `pos` in this reader's file.
    pub fn origin_at(&self, pos: Pos) -> Origin {
        origin(self.file, pos)
    }

    /// Where this block is written.
    pub fn block_origin(&self) -> Origin {
        origin(self.file, self.block.pos)
    }

    /// The raw attribute, when written.
    pub fn attr(&self, name: &str) -> Option<&'a Attribute> {
        self.block.attr(name)
    }

    /// The raw value of an attribute; `Dyn::Null` when not written.
    pub fn dyn_of(&self, name: &str) -> &'a Dyn {
        static NULL: Dyn = Dyn::Null;
        self.attr(name).map(|a| &a.value).unwrap_or(&NULL)
    }

    /// Whether the attribute is written with a non-null value.
    pub fn has(&self, name: &str) -> bool {
        !matches!(self.dyn_of(name), Dyn::Null)
    }

    /// Reads `name` with `conv`; absent or null gives `Defaulted(default)`.
    pub fn read<T>(&self, name: &str, default: T, conv: impl Fn(&Dyn) -> Conv<T>) -> Value<T> {
        let path = self.path(name);
        match self.attr(name) {
            None => Value::defaulted(default, self.owner_origin(), path),
            Some(a) => {
                let at = origin(self.file, a.pos);
                match conv(&a.value) {
                    Conv::Ok(v) => Value::set(v, at, path),
                    Conv::Null => Value::defaulted(default, at, path),
                    Conv::Unknown(r) => Value::unknown(r, at, path),
                }
            }
        }
    }

    /// A boolean attribute.
    pub fn bool(&self, name: &str, default: bool) -> Value<bool> {
        self.read(name, default, |d| to_bool(d, name))
    }

    /// A string attribute.
    pub fn string(&self, name: &str, default: &str) -> Value<String> {
        self.read(name, default.to_string(), |d| to_string(d, name))
    }

    /// An optional reference-like string (a key ARN or id): a literal is kept, a reference
    /// to another resource (`aws_kms_key.k.arn`) becomes that resource's address, other
    /// unknown values stay unknown. `Defaulted(None)` when absent.
    pub fn opt_ref(&self, name: &str) -> Value<Option<String>> {
        self.read(name, None, |d| match d {
            Dyn::Unknown(u) => match &u.refers_to {
                Some(a) => Conv::Ok(Some(a.to_string())),
                None => Conv::Unknown(u.reason.clone()),
            },
            Dyn::String(s) if s.is_empty() => Conv::Null,
            other => match to_string(other, name) {
                Conv::Ok(s) => Conv::Ok(Some(s)),
                Conv::Null => Conv::Null,
                Conv::Unknown(r) => Conv::Unknown(r),
            },
        })
    }

    /// A string that names another resource: a literal is kept, a reference whose value
    /// is known becomes that value, and a reference whose value is unknown before apply
    /// (`aws_s3_bucket.logs.id` of a bucket named by `bucket_prefix`) becomes the
    /// referenced resource's address. Other unknown values stay unknown.
    pub fn reference(&self, name: &str) -> Value<String> {
        self.read(name, String::new(), |d| match d {
            Dyn::Unknown(u) => match &u.refers_to {
                Some(a) => Conv::Ok(a.to_string()),
                None => Conv::Unknown(u.reason.clone()),
            },
            other => to_string(other, name),
        })
    }

    /// A whole-number attribute.
    pub fn int(&self, name: &str, default: i64) -> Value<i64> {
        self.read(name, default, |d| to_int(d, name))
    }

    /// A list-of-strings attribute (`Defaulted(empty)` when absent); unknown when the
    /// list or any element is unknown.
    pub fn strings(&self, name: &str) -> Value<Vec<String>> {
        self.read(name, Vec::new(), |d| to_strings(d, name))
    }
}

/// Converts to a bool (Terraform converts the strings `"true"`/`"false"`).
pub(crate) fn to_bool(d: &Dyn, name: &str) -> Conv<bool> {
    match d {
        Dyn::Bool(b) => Conv::Ok(*b),
        Dyn::String(s) if s == "true" => Conv::Ok(true),
        Dyn::String(s) if s == "false" => Conv::Ok(false),
        Dyn::Null => Conv::Null,
        Dyn::Unknown(u) => Conv::Unknown(u.reason.clone()),
        _ => Conv::Unknown(format!("`{name}` is not a boolean").into()),
    }
}

/// Converts to a string (numbers and booleans convert as in Terraform).
pub(crate) fn to_string(d: &Dyn, name: &str) -> Conv<String> {
    match d {
        Dyn::String(s) => Conv::Ok(s.clone()),
        Dyn::Bool(b) => Conv::Ok(b.to_string()),
        Dyn::Number(n) => Conv::Ok(number_string(*n)),
        Dyn::Null => Conv::Null,
        Dyn::Unknown(u) => Conv::Unknown(u.reason.clone()),
        _ => Conv::Unknown(format!("`{name}` is not a string").into()),
    }
}

/// A number as Terraform prints it (integers without a fraction).
pub(crate) fn number_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Converts to a whole number (numeric strings convert as in Terraform).
pub(crate) fn to_int(d: &Dyn, name: &str) -> Conv<i64> {
    let bad = || Conv::Unknown(format!("`{name}` is not a whole number").into());
    match d {
        Dyn::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => Conv::Ok(*n as i64),
        Dyn::String(s) => s
            .trim()
            .parse::<i64>()
            .map(Conv::Ok)
            .unwrap_or_else(|_| bad()),
        Dyn::Null => Conv::Null,
        Dyn::Unknown(u) => Conv::Unknown(u.reason.clone()),
        _ => bad(),
    }
}

/// Converts to a list of strings (a single string is not a list).
pub(crate) fn to_strings(d: &Dyn, name: &str) -> Conv<Vec<String>> {
    match d {
        Dyn::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                match to_string(it, name) {
                    Conv::Ok(s) => out.push(s),
                    Conv::Null => {}
                    Conv::Unknown(r) => return Conv::Unknown(r),
                }
            }
            Conv::Ok(out)
        }
        Dyn::Null => Conv::Null,
        Dyn::Unknown(u) => Conv::Unknown(u.reason.clone()),
        _ => Conv::Unknown(format!("`{name}` is not a list of strings").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resolved;
    use crate::terraform::ir::Mode;

    fn res(attrs: Vec<(&str, Dyn, u32)>) -> Resource {
        let mut body = Block {
            kind: "resource".into(),
            labels: vec!["aws_x".into(), "y".into()],
            pos: Pos {
                line: 1,
                col: 1,
                end_line: 10,
            },
            ..Block::default()
        };
        for (k, v, line) in attrs {
            body.attributes.insert(
                k.into(),
                Attribute {
                    value: v,
                    pos: Pos {
                        line,
                        col: 3,
                        end_line: line,
                    },
                },
            );
        }
        Resource {
            mode: Mode::Managed,
            rtype: "aws_x".into(),
            name: "y".into(),
            address: "aws_x.y".into(),
            module: String::new(),
            file: "main.tf".into(),
            body,
        }
    }

    #[test]
    fn reads_set_defaulted_unknown_and_wrong_types() {
        let r = res(vec![
            ("a", Dyn::Bool(true), 2),
            ("b", Dyn::unknown("var.b has no value"), 3),
            ("c", Dyn::String("yes".into()), 4),
            ("n", Dyn::String("7".into()), 5),
            ("z", Dyn::Null, 6),
        ]);
        let rd = Reader::new(&r);
        let a = rd.bool("a", false);
        assert_eq!(a.value, Resolved::Set(true));
        assert_eq!(a.origin.line(), Some(2));
        let missing = rd.bool("m", false);
        assert_eq!(missing.value, Resolved::Defaulted(false));
        assert_eq!(missing.origin.line(), Some(1));
        assert_eq!(
            rd.bool("b", false).unknown_reason(),
            Some("var.b has no value")
        );
        assert!(rd.bool("c", false).unknown_reason().is_some());
        assert_eq!(rd.int("n", 0).value, Resolved::Set(7));
        let z = rd.int("z", 1);
        assert_eq!(z.value, Resolved::Defaulted(1));
        assert_eq!(z.origin.line(), Some(6));
    }
}
