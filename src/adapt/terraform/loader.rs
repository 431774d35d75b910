//! Modules as declarations: extracts variables, locals, outputs, resources and module
//! calls of a parsed directory, and the table of module directories that parses each
//! one once, when an evaluation first needs it, and drops it when its last user is done.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body, Structure};

use super::ir::Mode;
use super::parse::{self, FileMeta, Parsed};
use crate::diagnostic::Diagnostic;

/// A `variable` block.
pub(crate) struct VarDecl {
    /// `default`, if any.
    pub default: Option<Expression>,
    /// `type`, if any (used for `optional()` defaults and primitive `--var` values).
    pub ty: Option<Expression>,
    /// `nullable` (default `true`); when `false`, a null input means the default.
    pub nullable: bool,
}

/// An expression declared in a file of the module (a local or an output).
pub(crate) struct ExprDecl {
    /// The expression.
    pub expr: Expression,
}

/// A `resource` or `data` block.
pub(crate) struct ResourceDecl {
    /// Managed or data.
    pub mode: Mode,
    /// Resource type.
    pub rtype: String,
    /// Resource name.
    pub name: String,
    /// `TYPE.NAME` or `data.TYPE.NAME`.
    pub key: String,
    /// The block.
    pub block: Block,
    /// Index into [`ModuleSrc::files`].
    pub file: usize,
}

/// A `module` block.
pub(crate) struct CallDecl {
    /// Module call name.
    pub name: String,
    /// The literal `source`, if it is a literal string.
    pub source: Option<String>,
    /// The block.
    pub block: Block,
    /// Index into [`ModuleSrc::files`].
    pub file: usize,
}

/// One module directory, parsed.
pub(crate) struct ModuleSrc {
    /// Normalised absolute directory.
    pub dir: PathBuf,
    /// Files in display-path order.
    pub files: Vec<FileMeta>,
    /// Variables by name.
    pub variables: HashMap<String, VarDecl>,
    /// Locals by name.
    pub locals: HashMap<String, ExprDecl>,
    /// Outputs by name.
    pub outputs: HashMap<String, ExprDecl>,
    /// Resources and data sources in file order.
    pub resources: Vec<ResourceDecl>,
    /// Index into `resources` by key.
    pub res_index: HashMap<String, usize>,
    /// Module calls in file order.
    pub calls: Vec<CallDecl>,
    /// The literal source of every `module` block with one label, duplicates included
    /// (the calls that decide which directories are roots).
    pub call_sources: Vec<String>,
    /// Index into `calls` by name.
    pub call_index: HashMap<String, usize>,
}

/// The literal string value of an expression, if it is one.
pub(crate) fn literal_str(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                out.push_str(el.as_literal()?.value());
            }
            Some(out)
        }
        Expression::Parenthesis(p) => literal_str(p.inner()),
        _ => None,
    }
}

impl ModuleSrc {
    /// Builds a module from its parsed files (in display order).
    pub fn build(dir: PathBuf, parsed: Vec<Parsed>) -> ModuleSrc {
        let mut m = ModuleSrc {
            dir,
            files: Vec::with_capacity(parsed.len()),
            variables: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            resources: Vec::new(),
            res_index: HashMap::new(),
            calls: Vec::new(),
            call_index: HashMap::new(),
            call_sources: Vec::new(),
        };
        for p in parsed {
            let fi = m.files.len();
            m.files.push(p.meta);
            m.add_body(p.body, fi);
        }
        m
    }

    fn add_body(&mut self, body: Body, fi: usize) {
        for st in body.into_iter() {
            let Structure::Block(block) = st else {
                continue;
            };
            let labels: Vec<String> = block
                .labels
                .iter()
                .map(|l| l.as_str().to_string())
                .collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    let (mut default, mut ty, mut nullable) = (None, None, true);
                    for a in block.body.into_attributes() {
                        match a.key.as_str() {
                            "default" => default = Some(a.value),
                            "type" => ty = Some(a.value),
                            "nullable" => {
                                nullable = !matches!(&a.value, Expression::Bool(b) if !*b.value())
                            }
                            _ => {}
                        }
                    }
                    let decl = VarDecl {
                        default,
                        ty,
                        nullable,
                    };
                    self.variables.insert(name.clone(), decl);
                }
                ("locals", []) => {
                    for a in block.body.into_attributes() {
                        self.locals
                            .insert(a.key.as_str().to_string(), ExprDecl { expr: a.value });
                    }
                }
                ("output", [name]) => {
                    if let Some(a) = block
                        .body
                        .into_attributes()
                        .find(|a| a.key.as_str() == "value")
                    {
                        self.outputs
                            .insert(name.clone(), ExprDecl { expr: a.value });
                    }
                }
                ("resource" | "data", [rtype, name]) => {
                    let mode = if block.ident.as_str() == "data" {
                        Mode::Data
                    } else {
                        Mode::Managed
                    };
                    let key = match mode {
                        Mode::Data => format!("data.{rtype}.{name}"),
                        Mode::Managed => format!("{rtype}.{name}"),
                    };
                    if self.res_index.contains_key(&key) {
                        continue;
                    }
                    self.res_index.insert(key.clone(), self.resources.len());
                    self.resources.push(ResourceDecl {
                        mode,
                        rtype: rtype.clone(),
                        name: name.clone(),
                        key,
                        block,
                        file: fi,
                    });
                }
                ("module", [name]) => {
                    let source = block
                        .body
                        .get_attribute("source")
                        .and_then(|a| literal_str(&a.value));
                    if let Some(s) = &source {
                        self.call_sources.push(s.clone());
                    }
                    if self.call_index.contains_key(name) {
                        continue;
                    }
                    self.call_index.insert(name.clone(), self.calls.len());
                    self.calls.push(CallDecl {
                        name: name.clone(),
                        source,
                        block,
                        file: fi,
                    });
                }
                _ => {}
            }
        }
    }
}

