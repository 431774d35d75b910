//! Expression evaluation: literals, templates, operators, conditionals, `for`
//! expressions, splats, function calls and references. Errors are `Err(message)`
//! (so `try`/`can` can catch them); values not known before apply are `Dyn::Unknown`.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, FuncCall, ObjectKey, Traversal, TraversalOperator,
    UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Decorated;

use super::functions;
use super::ir::{Dyn, Unknown};
use super::modules::{Inst, Run};
use super::value::{
    first_unknown, json_encode_with, to_bool, to_index, to_num, to_str, type_name, unknown_ref,
    EResult, RES_MARKER,
};

/// A traversal operator as stored by hcl-edit.
pub(crate) type Op = Decorated<TraversalOperator>;

/// What `count.index` and `each.*` mean in the current block.
#[derive(Debug, Clone, Default)]
pub(crate) struct Binding {
    /// `count.index`, when the block has `count`.
    pub count_index: Option<Dyn>,
    /// `each.key` and `each.value`, when the block has `for_each`.
    pub each: Option<(Dyn, Dyn)>,
}

/// The binding of a block without `count` or `for_each`.
pub(crate) static NO_BINDING: Binding = Binding {
    count_index: None,
    each: None,
};

/// Where an expression is evaluated: the module instance, the `count`/`each`
/// binding and local names (for-expression variables, dynamic iterators).
pub(crate) struct Scope<'a> {
    /// The root evaluation this belongs to.
    pub run: &'a Run<'a>,
    /// The module instance.
    pub inst: &'a Rc<Inst>,
    /// `count`/`each`.
    pub bind: &'a Binding,
    names: Vec<(String, Dyn)>,
    parent: Option<&'a Scope<'a>>,
}

impl<'a> Scope<'a> {
    /// A scope at module level (or a resource instance, with its binding).
    pub fn new(run: &'a Run<'a>, inst: &'a Rc<Inst>, bind: &'a Binding) -> Self {
        Scope {
            run,
            inst,
            bind,
            names: Vec::new(),
            parent: None,
        }
    }

    /// A nested scope with extra names.
    pub fn child(&'a self, names: Vec<(String, Dyn)>) -> Scope<'a> {
        Scope {
            run: self.run,
            inst: self.inst,
            bind: self.bind,
            names,
            parent: Some(self),
        }
    }

    fn lookup(&self, name: &str) -> Option<&Dyn> {
        let mut s = Some(self);
        while let Some(sc) = s {
            if let Some((_, v)) = sc.names.iter().rev().find(|(n, _)| n == name) {
                return Some(v);
            }
            s = sc.parent;
        }
        None
    }
}

/// Evaluates an expression.
pub(crate) fn eval(e: &Expression, sc: &Scope) -> EResult {
    let _guard = sc.run.enter()?;
    match e {
        Expression::Null(_) => Ok(Dyn::Null),
        Expression::Bool(b) => Ok(Dyn::Bool(*b.value())),
        Expression::Number(n) => Ok(Dyn::Number(n.value().as_f64().unwrap_or(0.0))),
        Expression::String(s) => Ok(Dyn::String(s.value().to_string())),
        Expression::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            for it in a.iter() {
                out.push(eval(it, sc)?);
            }
            Ok(Dyn::List(out))
        }
        Expression::Object(o) => {
            let mut out = BTreeMap::new();
            for (k, v) in o.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(Expression::Variable(v)) => v.as_str().to_string(),
                    ObjectKey::Expression(ke) => match eval(ke, sc)? {
                        Dyn::Unknown(u) => return Ok(Dyn::Unknown(u)),
                        kv => to_str(&kv)?,
                    },
                };
                out.insert(key, eval(v.expr(), sc)?);
            }
            Ok(Dyn::Map(out))
        }
        Expression::StringTemplate(t) => eval_template(t, sc),
        Expression::HeredocTemplate(h) => eval_template(&h.template, sc),
        Expression::Parenthesis(p) => eval(p.inner(), sc),
        Expression::Variable(v) => match sc.lookup(v.as_str()) {
            Some(val) => Ok(val.clone()),
            None => resolve_root(v.as_str(), &[], sc),
        },
        Expression::Conditional(c) => {
            let cond = eval(&c.cond_expr, sc)?;
            if let Dyn::Unknown(u) = cond {
                let t = eval(&c.true_expr, sc);
                let f = eval(&c.false_expr, sc);
                return match (t, f) {
                    (Ok(t), Ok(f)) if t == f && first_unknown(&t).is_none() => Ok(t),
                    _ => Ok(Dyn::Unknown(u.opaque())),
                };
            }
            if to_bool(&cond)? {
                eval(&c.true_expr, sc)
            } else {
                eval(&c.false_expr, sc)
            }
        }
        Expression::FuncCall(f) => call(f, sc),
        Expression::Traversal(t) => eval_traversal(t, sc),
        Expression::UnaryOp(u) => {
            let v = eval(&u.expr, sc)?;
            if let Dyn::Unknown(u) = v {
                return Ok(Dyn::Unknown(u.opaque()));
            }
            match u.operator.value() {
                UnaryOperator::Neg => Ok(Dyn::Number(-to_num(&v)?)),
                UnaryOperator::Not => Ok(Dyn::Bool(!to_bool(&v)?)),
            }
        }
        Expression::BinaryOp(b) => binary(*b.operator.value(), &b.lhs_expr, &b.rhs_expr, sc),
        Expression::ForExpr(f) => eval_for(f, sc),
    }
}

/// Evaluates an expression and turns an error into an unknown value with the reason.
pub(crate) fn eval_value(e: &Expression, sc: &Scope) -> Dyn {
    let mut v = eval(e, sc).unwrap_or_else(Dyn::unknown);
    super::value::strip_markers(&mut v);
    v
}

fn binary(op: BinaryOperator, l: &Expression, r: &Expression, sc: &Scope) -> EResult {
    use BinaryOperator as B;
    let lv = eval(l, sc)?;
    match (op, &lv) {
        (B::And, Dyn::Bool(false)) => return Ok(Dyn::Bool(false)),
        (B::Or, Dyn::Bool(true)) => return Ok(Dyn::Bool(true)),
        _ => {}
    }
    let rv = eval(r, sc)?;
    if matches!(op, B::And | B::Or) {
        return match (&lv, &rv) {
            (_, Dyn::Bool(false)) if op == B::And => Ok(Dyn::Bool(false)),
            (_, Dyn::Bool(true)) if op == B::Or => Ok(Dyn::Bool(true)),
            (Dyn::Unknown(u), _) | (_, Dyn::Unknown(u)) => Ok(Dyn::Unknown(u.opaque())),
            _ => {
                let (a, b) = (to_bool(&lv)?, to_bool(&rv)?);
                Ok(Dyn::Bool(if op == B::And { a && b } else { a || b }))
            }
        };
    }
    if matches!(op, B::Eq | B::NotEq) {
        // `x != null` needs only x itself: a collection with unknown elements is not null.
        let top_known = |v: &Dyn| !matches!(v, Dyn::Unknown(_));
        if (lv == Dyn::Null || rv == Dyn::Null) && top_known(&lv) && top_known(&rv) {
            let eq = lv == rv;
            return Ok(Dyn::Bool(if op == B::Eq { eq } else { !eq }));
        }
        if let Some(u) = first_unknown(&lv).or_else(|| first_unknown(&rv)) {
            return Ok(Dyn::Unknown(u.opaque()));
        }
        let eq = lv == rv;
        return Ok(Dyn::Bool(if op == B::Eq { eq } else { !eq }));
    }
    if let (Dyn::Unknown(u), _) | (_, Dyn::Unknown(u)) = (&lv, &rv) {
        return Ok(Dyn::Unknown(u.opaque()));
    }
    let (a, b) = (to_num(&lv)?, to_num(&rv)?);
    Ok(match op {
        B::Less => Dyn::Bool(a < b),
        B::LessEq => Dyn::Bool(a <= b),
        B::Greater => Dyn::Bool(a > b),
        B::GreaterEq => Dyn::Bool(a >= b),
        B::Plus => Dyn::Number(a + b),
        B::Minus => Dyn::Number(a - b),
        B::Mul => Dyn::Number(a * b),
        B::Div if b == 0.0 => return Err("division by zero".into()),
        B::Div => Dyn::Number(a / b),
        B::Mod if b == 0.0 => return Err("modulo by zero".into()),
        B::Mod => Dyn::Number(a % b),
        _ => return Err("unsupported operator".into()),
    })
}

/// Key/value pairs of a collection for iteration (`for`, `dynamic`, template `for`).
pub(crate) fn pairs(v: Dyn) -> Result<Vec<(Dyn, Dyn)>, String> {
    match v {
        Dyn::List(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Dyn::Number(i as f64), v))
            .collect()),
        Dyn::Map(m) => Ok(m
            .into_iter()
            .filter(|(k, _)| k != RES_MARKER)
            .map(|(k, v)| (Dyn::String(k), v))
            .collect()),
        Dyn::Null => Err("cannot iterate over a null value".into()),
        other => Err(format!("cannot iterate over a {} value", type_name(&other))),
    }
}

fn eval_for(f: &ForExpr, sc: &Scope) -> EResult {
    let coll = eval(&f.intro.collection_expr, sc)?;
    if let Dyn::Unknown(u) = coll {
        return Ok(Dyn::Unknown(u.opaque()));
    }
    let kname = f.intro.key_var.as_ref().map(|k| k.as_str().to_string());
    let vname = f.intro.value_var.as_str().to_string();
    let mut list = Vec::new();
    let mut map: BTreeMap<String, Dyn> = BTreeMap::new();
    let mut groups: BTreeMap<String, Vec<Dyn>> = BTreeMap::new();
    for (k, v) in pairs(coll)? {
        let mut names = Vec::with_capacity(2);
        if let Some(kn) = &kname {
            names.push((kn.clone(), k));
        }
        names.push((vname.clone(), v));
        let inner = sc.child(names);
        if let Some(cond) = &f.cond {
            match eval(&cond.expr, &inner)? {
                Dyn::Unknown(u) => return Ok(Dyn::Unknown(u)),
                c => {
                    if !to_bool(&c)? {
                        continue;
                    }
                }
            }
        }
        match &f.key_expr {
            Some(ke) => {
                let key = match eval(ke, &inner)? {
                    Dyn::Unknown(u) => return Ok(Dyn::Unknown(u)),
                    kv => to_str(&kv)?,
                };
                let val = eval(&f.value_expr, &inner)?;
                if f.grouping {
                    groups.entry(key).or_default().push(val);
                } else if map.insert(key.clone(), val).is_some() {
                    return Err(format!("duplicate key {key:?} in for expression"));
                }
            }
            None => list.push(eval(&f.value_expr, &inner)?),
        }
    }
    if f.key_expr.is_none() {
        Ok(Dyn::List(list))
    } else if f.grouping {
        Ok(Dyn::Map(
            groups.into_iter().map(|(k, v)| (k, Dyn::List(v))).collect(),
        ))
    } else {
        Ok(Dyn::Map(map))
    }
}

/// Why a template could not produce a string.
enum TFail {
    Unknown(Unknown),
    Error(String),
}

impl From<String> for TFail {
    fn from(s: String) -> Self {
        TFail::Error(s)
    }
}

/// Evaluates a template; a template that is a single interpolation yields its value as is.
///
/// Unknown interpolations leave a placeholder in the text; a text that then parses as
/// JSON with every placeholder inside a string value (a JSON policy heredoc with
/// `${aws_s3_bucket.b.arn}`) is an unknown string whose [`Unknown::json_of`] is the
/// parsed value with those strings unknown.
pub(crate) fn eval_template(t: &Template, sc: &Scope) -> EResult {
    if let Some(Element::Interpolation(i)) = t.as_single_element() {
        return eval(&i.expr, sc);
    }
    let mut out = String::new();
    let mut holes = Vec::new();
    match render(t, sc, &mut out, &mut holes, false, false) {
        Ok(()) => match holes.first() {
            None => Ok(Dyn::String(out)),
            Some(first) => Ok(Dyn::Unknown(Unknown {
                json_of: json_with_holes(&out, &holes).map(Arc::new),
                partial: has_literal_text(&out),
                ..first.opaque()
            })),
        },
        Err(TFail::Unknown(u)) => Ok(Dyn::Unknown(holes.first().unwrap_or(&u).opaque())),
        Err(TFail::Error(_)) if !holes.is_empty() => Ok(Dyn::Unknown(holes[0].opaque())),
        Err(TFail::Error(e)) => Err(e),
    }
}

/// Whether a rendered template has known text outside its placeholders other than
/// whitespace and wildcard characters (`*`, `?`): the string is then never a bare
/// wildcard, whatever the unknown parts are.
fn has_literal_text(rendered: &str) -> bool {
    let mut in_hole = false;
    rendered.chars().any(|c| match c {
        HOLE_OPEN => {
            in_hole = true;
            false
        }
        HOLE_CLOSE => {
            in_hole = false;
            false
        }
        c => !in_hole && !c.is_whitespace() && c != '*' && c != '?',
    })
}

/// Opens a placeholder for an unknown interpolation (private-use characters, which a
/// JSON string carries unescaped).
const HOLE_OPEN: char = '\u{F8FE}';
/// Closes a placeholder.
const HOLE_CLOSE: char = '\u{F8FF}';

/// Writes the placeholder of an unknown value into a rendered template: its JSON
/// structure when it is `jsonencode` of a partly known value, else a bare placeholder.
fn push_hole(u: Unknown, out: &mut String, holes: &mut Vec<Unknown>) {
    match &u.json_of {
        Some(v) => {
            let v = v.clone();
            json_encode_with(&v, out, &mut |leaf, out| {
                out.push('"');
                push_hole_mark(leaf.opaque(), out, holes);
                out.push('"');
            });
        }
        None => push_hole_mark(u, out, holes),
    }
}

fn push_hole_mark(u: Unknown, out: &mut String, holes: &mut Vec<Unknown>) {
    out.push(HOLE_OPEN);
    out.push_str(&holes.len().to_string());
    out.push(HOLE_CLOSE);
    holes.push(u);
}

/// Parses a rendered template with placeholders as JSON; `None` unless it is a JSON
/// object or array whose placeholders are all inside string values.
fn json_with_holes(text: &str, holes: &[Unknown]) -> Option<Dyn> {
    let t = text.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let j: serde_json::Value = serde_json::from_str(text).ok()?;
    fill_holes(&j, holes)
}

fn fill_holes(j: &serde_json::Value, holes: &[Unknown]) -> Option<Dyn> {
    use serde_json::Value as J;
    Some(match j {
        J::String(s) if s.contains(HOLE_OPEN) => {
            let hole = |s: &str| -> Option<usize> {
                let start = s.find(HOLE_OPEN)? + HOLE_OPEN.len_utf8();
                let end = start + s[start..].find(HOLE_CLOSE)?;
                s[start..end].parse().ok()
            };
            let first = holes.get(hole(s)?)?;
            let whole = s.starts_with(HOLE_OPEN)
                && s.ends_with(HOLE_CLOSE)
                && s.matches(HOLE_OPEN).count() == 1;
            Dyn::Unknown(if whole { first.clone() } else { first.opaque() })
        }
        J::Array(items) => Dyn::List(
            items
                .iter()
                .map(|i| fill_holes(i, holes))
                .collect::<Option<_>>()?,
        ),
        J::Object(m) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                if k.contains(HOLE_OPEN) {
                    return None;
                }
                out.insert(k.clone(), fill_holes(v, holes)?);
            }
            Dyn::Map(out)
        }
        other => super::value::from_json(other),
    })
}

fn strips_end(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.endif_expr.strip.strip_end(),
            Directive::For(d) => d.endfor_expr.strip.strip_end(),
        },
    }
}

fn strips_start(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(d) => d.if_expr.strip.strip_start(),
            Directive::For(d) => d.for_expr.strip.strip_start(),
        },
    }
}

fn render(
    t: &Template,
    sc: &Scope,
    out: &mut String,
    holes: &mut Vec<Unknown>,
    lstrip: bool,
    rstrip: bool,
) -> Result<(), TFail> {
    let els: Vec<&Element> = t.iter().collect();
    for (i, el) in els.iter().enumerate() {
        match el {
            Element::Literal(s) => {
                let mut text = s.value().as_str();
                if (i == 0 && lstrip) || (i > 0 && strips_end(els[i - 1])) {
                    text = text.trim_start();
                }
                if (i + 1 == els.len() && rstrip) || els.get(i + 1).is_some_and(|n| strips_start(n))
                {
                    text = text.trim_end();
                }
                out.push_str(text);
            }
            Element::Interpolation(ip) => match eval(&ip.expr, sc)? {
                Dyn::Unknown(u) => push_hole(u, out, holes),
                v => out.push_str(&to_str(&v)?),
            },
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    let c = match eval(&d.if_expr.cond_expr, sc)? {
                        Dyn::Unknown(u) => return Err(TFail::Unknown(u)),
                        c => to_bool(&c)?,
                    };
                    let end_strip = d.endif_expr.strip.strip_start();
                    if c {
                        let r = d
                            .else_expr
                            .as_ref()
                            .map(|e| e.strip.strip_start())
                            .unwrap_or(end_strip);
                        let l = d.if_expr.strip.strip_end();
                        render(&d.if_expr.template, sc, out, holes, l, r)?;
                    } else if let Some(e) = &d.else_expr {
                        render(&e.template, sc, out, holes, e.strip.strip_end(), end_strip)?;
                    }
                }
                Directive::For(d) => {
                    let coll = match eval(&d.for_expr.collection_expr, sc)? {
                        Dyn::Unknown(u) => return Err(TFail::Unknown(u)),
                        c => c,
                    };
                    let kname = d.for_expr.key_var.as_ref().map(|k| k.as_str().to_string());
                    let vname = d.for_expr.value_var.as_str().to_string();
                    for (k, v) in pairs(coll)? {
                        let mut names = Vec::with_capacity(2);
                        if let Some(kn) = &kname {
                            names.push((kn.clone(), k));
                        }
                        names.push((vname.clone(), v));
                        let inner = sc.child(names);
                        render(
                            &d.for_expr.template,
                            &inner,
                            out,
                            holes,
                            d.for_expr.strip.strip_end(),
                            d.endfor_expr.strip.strip_start(),
                        )?;
                    }
                }
            },
        }
    }
    Ok(())
}

fn call(f: &FuncCall, sc: &Scope) -> EResult {
    let name = f.name.name.as_str();
    if f.name.is_namespaced() {
        let ns: Vec<&str> = f.name.namespace.iter().map(|n| n.as_str()).collect();
        return Ok(Dyn::unknown(format!(
            "provider function {}::{name} is not evaluated",
            ns.join("::")
        )));
    }
    match name {
        "try" => {
            let mut last = String::from("try needs at least one argument");
            for a in f.args.iter() {
                match eval(a, sc) {
                    Ok(v) => return Ok(v),
                    Err(e) => last = e,
                }
            }
            return Err(format!("no expression in try succeeded: {last}"));
        }
        "can" => {
            let Some(a) = f.args.iter().next() else {
                return Err("can needs one argument".into());
            };
            return Ok(match eval(a, sc) {
                Ok(v) => match first_unknown(&v) {
                    Some(u) => Dyn::Unknown(u.clone()),
                    None => Dyn::Bool(true),
                },
                Err(_) => Dyn::Bool(false),
            });
        }
        _ => {}
    }
    let mut args = Vec::with_capacity(f.args.len());
    for a in f.args.iter() {
        args.push(eval(a, sc)?);
    }
    if f.args.expand_final() {
        match args.pop() {
            Some(Dyn::List(items)) => args.extend(items),
            Some(Dyn::Unknown(u)) => return Ok(Dyn::Unknown(u)),
            Some(other) => {
                return Err(format!("cannot expand a {} value", type_name(&other)));
            }
            None => {}
        }
    }
    functions::call(name, args, sc)
}

fn eval_traversal(t: &Traversal, sc: &Scope) -> EResult {
    let ops = t.operators.as_slice();
    if let Expression::Variable(v) = &t.expr {
        let name = v.as_str();
        if let Some(val) = sc.lookup(name) {
            return walk(val, ops, sc);
        }
        return resolve_root(name, ops, sc);
    }
    let base = eval(&t.expr, sc)?;
    walk(&base, ops, sc)
}

/// The attribute name of the first operator, and the rest.
pub(crate) fn first_attr<'o>(ops: &'o [Op], what: &str) -> Result<(&'o str, &'o [Op]), String> {
    match ops.first().map(|o| o.value()) {
        Some(TraversalOperator::GetAttr(a)) => Ok((a.as_str(), &ops[1..])),
        Some(TraversalOperator::Index(Expression::String(s))) => {
            Ok((s.value().as_str(), &ops[1..]))
        }
        _ => Err(format!("invalid reference to {what}")),
    }
}

fn resolve_root(name: &str, ops: &[Op], sc: &Scope) -> EResult {
    match name {
        "var" => {
            let (n, rest) = first_attr(ops, "var")?;
            let v = sc.inst.var(sc.run, n);
            match v.as_ref() {
                Ok(d) => walk(d, rest, sc),
                Err(e) => Err(e.clone()),
            }
        }
        "local" => {
            let (n, rest) = first_attr(ops, "local")?;
            let v = sc.inst.local(sc.run, n);
            match v.as_ref() {
                Ok(d) => walk(d, rest, sc),
                Err(e) => Err(e.clone()),
            }
        }
        "count" => {
            let (n, rest) = first_attr(ops, "count")?;
            match (n, &sc.bind.count_index) {
                ("index", Some(i)) => walk(i, rest, sc),
                _ => Err("count.index used outside a block with count".into()),
            }
        }
        "each" => {
            let (n, rest) = first_attr(ops, "each")?;
            match (n, &sc.bind.each) {
                ("key", Some((k, _))) => walk(k, rest, sc),
                ("value", Some((_, v))) => walk(v, rest, sc),
                _ => Err(format!("each.{n} used outside a block with for_each")),
            }
        }
        "path" => {
            let (n, rest) = first_attr(ops, "path")?;
            let v = match n {
                "module" => Dyn::String(sc.inst.path_module.clone()),
                "root" => Dyn::String(".".into()),
                "cwd" => Dyn::String(sc.run.root_dir.to_string_lossy().replace('\\', "/")),
                _ => return Err(format!("unknown path.{n}")),
            };
            walk(&v, rest, sc)
        }
        "terraform" => {
            let (n, rest) = first_attr(ops, "terraform")?;
            match n {
                "workspace" => walk(&Dyn::String("default".into()), rest, sc),
                _ => Err(format!("unknown terraform.{n}")),
            }
        }
        "self" => Ok(Dyn::unknown("self is not evaluated")),
        "module" => {
            let (n, rest) = first_attr(ops, "module")?;
            sc.inst.module_ref(sc, n, rest)
        }
        "data" => {
            let (t, rest) = first_attr(ops, "data")?;
            let (n, rest) = first_attr(rest, "data source")?;
            let key = format!("data.{t}.{n}");
            match sc.inst.src.res_index.get(&key) {
                Some(&ri) => sc.inst.resource_ref(sc, ri, rest),
                None => Err(format!("reference to undeclared data source {key}")),
            }
        }
        _ => {
            let (n, rest) = first_attr(ops, name)?;
            let key = format!("{name}.{n}");
            match sc.inst.src.res_index.get(&key) {
                Some(&ri) => sc.inst.resource_ref(sc, ri, rest),
                None => Err(format!("reference to undeclared resource or name {key}")),
            }
        }
    }
}

/// How far a splat reaches: attribute-only splats cover the following attribute
/// accesses, full splats every following operator.
pub(crate) fn splat_end(ops: &[Op], at: usize) -> usize {
    match ops[at].value() {
        TraversalOperator::AttrSplat(_) => {
            let mut end = at + 1;
            while end < ops.len() && matches!(ops[end].value(), TraversalOperator::GetAttr(_)) {
                end += 1;
            }
            end
        }
        _ => ops.len(),
    }
}

/// Evaluates an index operator's key.
pub(crate) fn index_key(op: &TraversalOperator, sc: &Scope) -> Option<EResult> {
    match op {
        TraversalOperator::Index(e) => Some(eval(e, sc)),
        TraversalOperator::LegacyIndex(n) => Some(Ok(Dyn::Number(*n.value() as f64))),
        _ => None,
    }
}

/// Applies traversal operators to a value.
pub(crate) fn walk(cur: &Dyn, ops: &[Op], sc: &Scope) -> EResult {
    let Some(op) = ops.first() else {
        return Ok(cur.clone());
    };
    if let Dyn::Unknown(u) = cur {
        return Ok(Dyn::Unknown(u.opaque()));
    }
    let rest = &ops[1..];
    match op.value() {
        TraversalOperator::GetAttr(a) => match cur {
            Dyn::Map(m) => match m.get(a.as_str()) {
                Some(v) => walk(v, rest, sc),
                None => match m.get(RES_MARKER) {
                    Some(Dyn::String(addr)) => Ok(unknown_ref(
                        format!("computed attribute {addr}.{}", a.as_str()),
                        Some(Arc::from(addr.as_str())),
                    )),
                    _ => Err(format!("unsupported attribute {:?}", a.as_str())),
                },
            },
            Dyn::Null => Err(format!(
                "attempt to get attribute {:?} from a null value",
                a.as_str()
            )),
            other => Err(format!(
                "cannot get attribute {:?} of a {} value",
                a.as_str(),
                type_name(other)
            )),
        },
        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
            let end = splat_end(ops, 0);
            let items: Vec<&Dyn> = match cur {
                Dyn::List(items) => items.iter().collect(),
                Dyn::Null => Vec::new(),
                other => vec![other],
            };
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                out.push(walk(it, &ops[1..end], sc)?);
            }
            walk(&Dyn::List(out), &ops[end..], sc)
        }
        other => {
            let key = match index_key(other, sc) {
                Some(k) => k?,
                None => return Err("unsupported traversal".into()),
            };
            if let Dyn::Unknown(u) = key {
                return Ok(Dyn::Unknown(u.opaque()));
            }
            match cur {
                Dyn::List(items) => {
                    let i = to_index(&key)?;
                    match items.get(i) {
                        Some(v) => walk(v, rest, sc),
                        None => Err(format!(
                            "index {i} out of range for list of {} elements",
                            items.len()
                        )),
                    }
                }
                Dyn::Map(m) => {
                    let k = to_str(&key)?;
                    match m.get(&k) {
                        Some(v) => walk(v, rest, sc),
                        None => Err(format!("key {k:?} not found")),
                    }
                }
                Dyn::Null => Err("cannot index a null value".into()),
                other => Err(format!("cannot index a {} value", type_name(other))),
            }
        }
    }
}
