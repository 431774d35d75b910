//! Variable values: defaults, `terraform.tfvars`, `*.auto.tfvars(.json)`,
//! `--var-file`, `--var` (Terraform's precedence), module inputs, and type
//! constraints (`optional()` defaults, primitive conversions).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Structure;

use super::ir::Dyn;
use super::loader::ModuleSrc;
use super::modules::{eval_const, Run};
use super::value::{dedup, from_json, to_str, EResult};
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::error::{Error, Result};

/// A variable value before evaluation.
pub(crate) enum RawValue {
    /// An HCL expression from a `.tfvars` file.
    Expr(Expression),
    /// A value from a `.tfvars.json` file.
    Value(Dyn),
    /// A `--var` value, interpreted by the variable's declared type.
    Cli(String),
}

/// Assignments from one variable source, in order.
pub(crate) type Assignments = Vec<(String, RawValue)>;

/// Reads a variable file (`.tfvars` or `.tfvars.json`).
pub(crate) fn read_var_file(path: &Path) -> std::result::Result<Assignments, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    parse_var_text(path, &text)
}

fn parse_var_text(path: &Path, text: &str) -> std::result::Result<Assignments, String> {
    if path.extension().is_some_and(|e| e == "json") {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))?;
        let obj = v.as_object().ok_or("a JSON object is required")?;
        return Ok(obj
            .iter()
            .map(|(k, v)| (k.clone(), RawValue::Value(from_json(v))))
            .collect());
    }
    let body = hcl_edit::parser::parse_body(text)
        .map_err(|e| format!("line {}: {}", e.location().line(), e.message()))?;
    let mut out = Vec::new();
    for st in body.into_iter() {
        match st {
            Structure::Attribute(a) => {
                out.push((a.key.as_str().to_string(), RawValue::Expr(a.value)))
            }
            Structure::Block(b) => {
                return Err(format!(
                    "unexpected block {:?} in a variable file",
                    b.ident.as_str()
                ))
            }
        }
    }
    Ok(out)
}

/// Why the Terraform variable inputs of the command line cannot be used (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A variable file given with `--var-file` could not be read or parsed.
    #[error("cannot use variable file {path}: {message}")]
    VarFile {
        /// The file as given.
        path: PathBuf,
        /// What went wrong, with line when known.
        message: String,
    },
    /// A `--var NAME=VALUE` argument is malformed.
    #[error("invalid --var {arg:?}: {message}")]
    VarArg {
        /// The argument as given.
        arg: String,
        /// What is wrong with it.
        message: String,
    },
}

/// The command-line variable sources, read once for all roots.
pub(crate) struct CliVars {
    files: Vec<Assignments>,
    vars: Assignments,
}

impl CliVars {
    /// Reads `--var-file`s and splits `--var NAME=VALUE`s; failures are exit-2 errors.
    pub fn read(var_files: &[PathBuf], vars: &[String]) -> Result<CliVars> {
        let mut files = Vec::new();
        for f in var_files {
            let a = read_var_file(f).map_err(|message| {
                Error::source(
                    "terraform",
                    InputError::VarFile {
                        path: f.clone(),
                        message,
                    },
                )
            })?;
            files.push(a);
        }
        let mut out = Vec::new();
        for arg in vars {
            let Some((name, value)) = arg.split_once('=') else {
                return Err(Error::source(
                    "terraform",
                    InputError::VarArg {
                        arg: arg.clone(),
                        message: "expected NAME=VALUE".into(),
                    },
                ));
            };
            let name = name.trim();
            if name.is_empty() || hcl_edit::Ident::try_new(name).is_err() {
                return Err(Error::source(
                    "terraform",
                    InputError::VarArg {
                        arg: arg.clone(),
                        message: "the variable name is not a valid identifier".into(),
                    },
                ));
            }
            out.push((name.to_string(), RawValue::Cli(value.to_string())));
        }
        Ok(CliVars { files, vars: out })
    }
}

/// The name of a primitive type expression (`string`, `number`, `bool`).
fn primitive(ty: Option<&Expression>) -> Option<&str> {
    match ty {
        Some(Expression::Variable(v)) => Some(v.as_str()),
        _ => None,
    }
}

fn raw_value(run: &Run, src: &Arc<ModuleSrc>, ty: Option<&Expression>, raw: &RawValue) -> EResult {
    match raw {
        RawValue::Expr(e) => eval_const(run, src, e),
        RawValue::Value(v) => Ok(v.clone()),
        RawValue::Cli(s) => {
            if primitive(ty) == Some("string") {
                return Ok(Dyn::String(s.clone()));
            }
            match hcl_edit::parser::parse_expr(s) {
                Ok(
                    e @ (Expression::Array(_)
                    | Expression::Object(_)
                    | Expression::Number(_)
                    | Expression::Bool(_)
                    | Expression::Null(_)),
                ) => eval_const(run, src, &e).or_else(|_| Ok(Dyn::String(s.clone()))),
                _ => Ok(Dyn::String(s.clone())),
            }
        }
    }
}

/// Variable values of a root module: defaults < `terraform.tfvars` <
/// `terraform.tfvars.json` < `*.auto.tfvars(.json)` < `--var-file` < `--var`.
pub(crate) fn root_vars(
    run: &Run,
    src: &Arc<ModuleSrc>,
    cli: &CliVars,
) -> HashMap<String, Rc<EResult>> {
    let mut values: HashMap<String, EResult> = HashMap::new();
    let apply = |values: &mut HashMap<String, EResult>, a: &Assignments| {
        for (name, raw) in a {
            if let Some(decl) = src.variables.get(name) {
                values.insert(name.clone(), raw_value(run, src, decl.ty.as_ref(), raw));
            }
        }
    };
    for f in dir_var_files(&src.dir) {
        match read_var_file(&f) {
            Ok(a) => apply(&mut values, &a),
            Err(e) => run.diag(Diagnostic::at(
                DiagKind::Variables,
                DiagLevel::Error,
                crate::discover::display_path(&f, &run.loader.cwd),
                None,
                None,
                format!("cannot use variable file: {e}"),
            )),
        }
    }
    for a in &cli.files {
        apply(&mut values, a);
    }
    apply(&mut values, &cli.vars);
    finish(run, src, values)
}

/// The variable files Terraform reads automatically from a root directory, in order.
fn dir_var_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for n in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = dir.join(n);
        if p.is_file() {
            out.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                            n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    out.extend(auto);
    out
}

/// Fills defaults and unknowns for every declared variable and applies type constraints.
fn finish(
    run: &Run,
    src: &Arc<ModuleSrc>,
    mut given: HashMap<String, EResult>,
) -> HashMap<String, Rc<EResult>> {
    let mut out = HashMap::with_capacity(src.variables.len());
    for name in src.variables.keys() {
        let v = resolve_var(run, src, name, given.remove(name));
        out.insert(name.clone(), Rc::new(v));
    }
    out
}

/// The value of declared variable `name` given its input (if any): the input, else
/// the default, else unknown; then converted towards its type constraint.
pub(crate) fn resolve_var(
    run: &Run,
    src: &Arc<ModuleSrc>,
    name: &str,
    given: Option<EResult>,
) -> EResult {
    let Some(decl) = src.variables.get(name) else {
        return Err(format!("undeclared variable {name:?}"));
    };
    // `nullable = false`: a null input means the default.
    let given = given.filter(|v| decl.nullable || !matches!(v, Ok(Dyn::Null)));
    let v = match given {
        Some(v) => v,
        None => match &decl.default {
            Some(d) => eval_const(run, src, d),
            None => Ok(Dyn::unknown(format!("variable \"{name}\" has no value"))),
        },
    };
    match (v, &decl.ty) {
        (Ok(v), Some(ty)) => Ok(apply_type(
            v,
            ty,
            &|e| eval_const(run, src, e).unwrap_or_else(Dyn::unknown),
            0,
        )),
        (v, _) => v,
    }
}

fn func_args(e: &Expression) -> Option<(&str, Vec<&Expression>)> {
    match e {
        Expression::FuncCall(f) => Some((f.name.name.as_str(), f.args.iter().collect())),
        _ => None,
    }
}

/// Converts a value towards a type constraint: primitive conversions and
/// `optional(type, default)` attributes of objects.
pub(crate) fn apply_type(
    v: Dyn,
    ty: &Expression,
    dflt: &dyn Fn(&Expression) -> Dyn,
    depth: usize,
) -> Dyn {
    if depth > 32 {
        return v;
    }
    if let Expression::Variable(t) = ty {
        return match (t.as_str(), v) {
            ("string", v @ (Dyn::Number(_) | Dyn::Bool(_))) => {
                to_str(&v).map(Dyn::String).unwrap_or(v)
            }
            ("number", Dyn::String(s)) => match s.trim().parse::<f64>() {
                Ok(n) => Dyn::Number(n),
                Err(_) => Dyn::String(s),
            },
            ("bool", Dyn::String(s)) if s == "true" || s == "false" => Dyn::Bool(s == "true"),
            (_, v) => v,
        };
    }
    let Some((name, args)) = func_args(ty) else {
        return v;
    };
    let Some(inner) = args.first() else {
        return v;
    };
    match (name, v) {
        ("list", Dyn::List(items)) => Dyn::List(
            items
                .into_iter()
                .map(|i| apply_type(i, inner, dflt, depth + 1))
                .collect(),
        ),
        ("set", Dyn::List(items)) => Dyn::List(dedup(
            items
                .into_iter()
                .map(|i| apply_type(i, inner, dflt, depth + 1))
                .collect(),
        )),
        ("map", Dyn::Map(m)) => Dyn::Map(
            m.into_iter()
                .map(|(k, i)| (k, apply_type(i, inner, dflt, depth + 1)))
                .collect(),
        ),
        ("object", Dyn::Map(mut m)) => {
            let Expression::Object(attrs) = inner else {
                return Dyn::Map(m);
            };
            for (k, at) in attrs.iter() {
                let key = match k {
                    ObjectKey::Ident(i) => i.as_str().to_string(),
                    ObjectKey::Expression(e) => match super::loader::literal_str(e) {
                        Some(s) => s,
                        None => continue,
                    },
                };
                let at = at.expr();
                let (inner_ty, optional, default) = match func_args(at) {
                    Some(("optional", oargs)) => {
                        (oargs.first().copied(), true, oargs.get(1).copied())
                    }
                    _ => (Some(at), false, None),
                };
                let current = m.remove(&key);
                let filled = match (current, default) {
                    (Some(Dyn::Null) | None, Some(d)) => Some(dflt(d)),
                    (None, None) if optional => Some(Dyn::Null),
                    (c, _) => c,
                };
                if let Some(val) = filled {
                    let val = match inner_ty {
                        Some(t) => apply_type(val, t, dflt, depth + 1),
                        None => val,
                    };
                    m.insert(key, val);
                }
            }
            Dyn::Map(m)
        }
        (_, v) => v,
    }
}
