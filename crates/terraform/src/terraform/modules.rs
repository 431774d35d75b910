//! Module instances: lazy, memoised evaluation of locals, resources (per attribute),
//! `count`/`for_each` expansion, module calls (local, `modules.json` copies, remote)
//! and outputs, with cycle and depth protection; and the collection of resources.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use hcl_edit::expr::TraversalOperator;
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span;

use super::eval::{self, eval, index_key, pairs, splat_end, walk, Binding, Op, Scope, NO_BINDING};
use super::ir::{self, Dyn, Mode, Unknown};
use super::loader::{is_local_source, Loader, ModuleSrc};
use super::parse::FileMeta;
use super::value::{quote_key, strip_markers, to_index, to_str, unknown_ref, EResult, RES_MARKER};
use super::vars;
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};

/// Deepest expression/reference nesting before evaluation gives up.
const MAX_DEPTH: usize = 160;
/// Deepest module nesting.
const MAX_MODULE_DEPTH: usize = 12;

/// One evaluation of a root module (single-threaded; roots run in parallel).
pub(crate) struct Run<'l> {
    /// Shared parsed modules.
    pub loader: &'l Loader,
    /// The root module directory.
    pub root_dir: PathBuf,
    /// Module copies listed in `.terraform/modules/modules.json` by key.
    pub modules_json: HashMap<String, PathBuf>,
    /// Diagnostics of this run.
    pub diags: RefCell<Vec<Diagnostic>>,
    depth: Cell<usize>,
    /// Modules this run has fetched (each fetched once per run), released with it.
    held: RefCell<HashMap<PathBuf, Option<Arc<ModuleSrc>>>>,
}

/// Decrements the evaluation depth when dropped.
pub(crate) struct DepthGuard<'a>(&'a Cell<usize>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl<'l> Run<'l> {
    /// A run for the root module in `root_dir`.
    pub fn new(loader: &'l Loader, root_dir: PathBuf) -> Self {
        let modules_json = read_modules_json(&root_dir);
        Run {
            loader,
            root_dir,
            modules_json,
            diags: RefCell::new(Vec::new()),
            depth: Cell::new(0),
            held: RefCell::new(HashMap::new()),
        }
    }

    /// The module in `dir` (normalised absolute); `None` when it has no Terraform files.
    pub fn module(&self, dir: &Path) -> Option<Arc<ModuleSrc>> {
        if let Some(m) = self.held.borrow().get(dir) {
            return m.clone();
        }
        let m = self.loader.get(dir);
        self.held.borrow_mut().insert(dir.to_path_buf(), m.clone());
        m
    }

    /// Ends the run (releasing the modules it held) and returns its diagnostics.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.diags.into_inner()
    }

    /// Enters one level of evaluation; fails beyond the depth limit.
    pub fn enter(&self) -> Result<DepthGuard<'_>, String> {
        let d = self.depth.get() + 1;
        if d > MAX_DEPTH {
            return Err("expression nesting or reference chain too deep".into());
        }
        self.depth.set(d);
        Ok(DepthGuard(&self.depth))
    }

    /// Records a diagnostic.
    pub fn diag(&self, d: Diagnostic) {
        self.diags.borrow_mut().push(d);
    }
}

/// Reads `.terraform/modules/modules.json` of a root directory.
fn read_modules_json(root: &Path) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let Ok(text) = std::fs::read_to_string(root.join(".terraform/modules/modules.json")) else {
        return out;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return out;
    };
    let Some(mods) = json.get("Modules").and_then(|m| m.as_array()) else {
        return out;
    };
    for m in mods {
        let (Some(key), Some(dir)) = (
            m.get("Key").and_then(|k| k.as_str()),
            m.get("Dir").and_then(|d| d.as_str()),
        ) else {
            continue;
        };
        if !key.is_empty() {
            out.insert(key.to_string(), crate::discover::normalize(&root.join(dir)));
        }
    }
    out
}

/// The key of one instance of a resource or module.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum InstKey {
    /// No `count`/`for_each` (or an unknown one).
    None,
    /// `count` index.
    Int(usize),
    /// `for_each` key.
    Str(String),
}

impl InstKey {
    /// The address suffix (`[0]`, `["k"]`, or nothing).
    pub fn suffix(&self) -> String {
        match self {
            InstKey::None => String::new(),
            InstKey::Int(i) => format!("[{i}]"),
            InstKey::Str(s) => format!("[{}]", quote_key(s)),
        }
    }
}

/// How a block expands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ExpKind {
    /// Neither `count` nor `for_each`.
    Single,
    /// `count`.
    Count,
    /// `for_each`.
    ForEach,
    /// `count`/`for_each` whose value is unknown: one instance, unknown key.
    Unknown,
}

/// The instances of a block.
pub(crate) struct Expansion {
    /// The kind of expansion.
    pub kind: ExpKind,
    /// Instance keys with their `count`/`each` binding.
    pub items: Vec<(InstKey, Binding)>,
}

/// Expands `count`/`for_each` of a resource or module block.
fn expand(
    body: &Body,
    sc: &Scope,
    what: &str,
    meta: &FileMeta,
    block_span: Option<std::ops::Range<usize>>,
) -> Expansion {
    let unknown = |reason: String, is_count: bool| {
        let pos = meta.pos(block_span.clone());
        sc.run.diag(Diagnostic::at(
            DiagKind::Unresolved,
            DiagLevel::Warning,
            &*meta.display,
            Some(pos.line),
            Some(pos.col),
            format!(
                "count/for_each of {what} is unknown: {reason}; evaluated once with unknown key"
            ),
        ));
        let u = Dyn::unknown(format!("instance key of {what} is unknown: {reason}"));
        let bind = if is_count {
            Binding {
                count_index: Some(u),
                each: None,
            }
        } else {
            Binding {
                count_index: None,
                each: Some((u.clone(), u)),
            }
        };
        Expansion {
            kind: ExpKind::Unknown,
            items: vec![(InstKey::None, bind)],
        }
    };
    if let Some(c) = body.get_attribute("count") {
        return match eval(&c.value, sc) {
            Ok(Dyn::Unknown(u)) => unknown(u.reason.to_string(), true),
            Ok(v) => match to_index(&v) {
                Ok(n) => Expansion {
                    kind: ExpKind::Count,
                    items: (0..n.min(100_000))
                        .map(|i| {
                            (
                                InstKey::Int(i),
                                Binding {
                                    count_index: Some(Dyn::Number(i as f64)),
                                    each: None,
                                },
                            )
                        })
                        .collect(),
                },
                Err(e) => unknown(e, true),
            },
            Err(e) => unknown(e, true),
        };
    }
    if let Some(fe) = body.get_attribute("for_each") {
        let v = match eval(&fe.value, sc) {
            Ok(v) => v,
            Err(e) => return unknown(e, false),
        };
        let mut items = Vec::new();
        match v {
            Dyn::Unknown(u) => return unknown(u.reason.to_string(), false),
            Dyn::Map(m) => {
                for (k, v) in m {
                    items.push((
                        InstKey::Str(k.clone()),
                        Binding {
                            count_index: None,
                            each: Some((Dyn::String(k), v)),
                        },
                    ));
                }
            }
            Dyn::List(list) => {
                let mut keys: Vec<String> = Vec::new();
                for it in list {
                    match it {
                        Dyn::Unknown(u) => return unknown(u.reason.to_string(), false),
                        other => match to_str(&other) {
                            Ok(s) => {
                                if !keys.contains(&s) {
                                    keys.push(s);
                                }
                            }
                            Err(e) => return unknown(format!("for_each set element: {e}"), false),
                        },
                    }
                }
                keys.sort();
                for k in keys {
                    items.push((
                        InstKey::Str(k.clone()),
                        Binding {
                            count_index: None,
                            each: Some((Dyn::String(k.clone()), Dyn::String(k))),
                        },
                    ));
                }
            }
            Dyn::Null => return unknown("for_each is null".into(), false),
            other => {
                return unknown(
                    format!(
                        "for_each must be a map or set, not {}",
                        super::value::type_name(&other)
                    ),
                    false,
                )
            }
        }
        return Expansion {
            kind: ExpKind::ForEach,
            items,
        };
    }
    Expansion {
        kind: ExpKind::Single,
        items: vec![(InstKey::None, Binding::default())],
    }
}

/// A memo slot: being computed (a cycle when seen again) or done.
enum Slot {
    Busy,
    Done(Rc<EResult>),
}

fn memo<K: std::hash::Hash + Eq + Clone>(
    cell: &RefCell<HashMap<K, Slot>>,
    key: &K,
    what: impl FnOnce() -> String,
    f: impl FnOnce() -> EResult,
) -> Rc<EResult> {
    if let Some(s) = cell.borrow().get(key) {
        return match s {
            Slot::Busy => Rc::new(Err(format!("cycle: {} refers to itself", what()))),
            Slot::Done(v) => v.clone(),
        };
    }
    cell.borrow_mut().insert(key.clone(), Slot::Busy);
    let v = Rc::new(f());
    cell.borrow_mut().insert(key.clone(), Slot::Done(v.clone()));
    v
}

/// What happened to a module call.
pub(crate) enum CallStatus {
    /// Evaluated through its instances.
    Local,
    /// Not scanned: the reason for unknown outputs.
    Unavailable(String),
}

/// The instances of one module call.
pub(crate) struct CallResult {
    status: CallStatus,
    kind: ExpKind,
    instances: Vec<(InstKey, Rc<Inst>)>,
}

/// One instance of a module, with its input values.
pub(crate) struct Inst {
    /// The module's declarations.
    pub src: Arc<ModuleSrc>,
    /// Module address (`""`, `module.a`, `module.a["x"].module.b`).
    pub addr: String,
    /// `modules.json` key (`""`, `a`, `a.b`).
    key_path: String,
    /// `path.module`.
    pub path_module: String,
    /// Variable values of a root module (precomputed).
    vars: HashMap<String, Rc<EResult>>,
    /// For a called module: the calling instance (weak: the caller owns its callees),
    /// call index and binding, from which input values are evaluated on demand.
    parent: Option<(Weak<Inst>, usize, Binding)>,
    var_memo: RefCell<HashMap<String, Slot>>,
    depth: usize,
    ancestors: Vec<PathBuf>,
    locals: RefCell<HashMap<String, Slot>>,
    outputs: RefCell<HashMap<String, Slot>>,
    expansions: RefCell<HashMap<usize, Option<Rc<Expansion>>>>,
    attrs: RefCell<HashMap<(usize, usize, String), Slot>>,
    calls: RefCell<HashMap<usize, Option<Rc<CallResult>>>>,
}

/// A lexical relative path from `from` to `to` (both normalised absolute).
fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..f.len() {
        parts.push("..".into());
    }
    for c in &t[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

impl Inst {
    /// A module instance with given variable values.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        run: &Run,
        src: Arc<ModuleSrc>,
        addr: String,
        key_path: String,
        vars: HashMap<String, Rc<EResult>>,
        parent: Option<(Weak<Inst>, usize, Binding)>,
        depth: usize,
        ancestors: Vec<PathBuf>,
    ) -> Inst {
        let path_module = relative(&run.root_dir, &src.dir);
        Inst {
            src,
            addr,
            key_path,
            path_module,
            vars,
            parent,
            var_memo: RefCell::new(HashMap::new()),
            depth,
            ancestors,
            locals: RefCell::new(HashMap::new()),
            outputs: RefCell::new(HashMap::new()),
            expansions: RefCell::new(HashMap::new()),
            attrs: RefCell::new(HashMap::new()),
            calls: RefCell::new(HashMap::new()),
        }
    }

    fn prefix(&self) -> String {
        if self.addr.is_empty() {
            String::new()
        } else {
            format!("{}.", self.addr)
        }
    }

    /// The value of `var.name`.
    pub fn var(&self, run: &Run, name: &str) -> Rc<EResult> {
        let Some((parent, ci, bind)) = &self.parent else {
            return match self.vars.get(name) {
                Some(v) => v.clone(),
                None => Rc::new(Err(format!("undeclared variable {name:?}"))),
            };
        };
        memo(
            &self.var_memo,
            &name.to_string(),
            || format!("var.{name}"),
            || {
                let given = match parent.upgrade() {
                    Some(parent) if self.src.variables.contains_key(name) => parent.src.calls[*ci]
                        .block
                        .body
                        .get_attribute(name)
                        .map(|a| eval(&a.value, &Scope::new(run, &parent, bind))),
                    Some(_) => None,
                    None => Some(Err("the calling module instance is gone".into())),
                };
                vars::resolve_var(run, &self.src, name, given)
            },
        )
    }

    /// The value of `local.name`.
    pub fn local(self: &Rc<Self>, run: &Run, name: &str) -> Rc<EResult> {
        memo(
            &self.locals,
            &name.to_string(),
            || format!("local.{name}"),
            || match self.src.locals.get(name) {
                Some(d) => eval(&d.expr, &Scope::new(run, self, &NO_BINDING)),
                None => Err(format!("undeclared local value {name:?}")),
            },
        )
    }

    /// The value of output `name`.
    pub fn output(self: &Rc<Self>, run: &Run, name: &str) -> Rc<EResult> {
        memo(
            &self.outputs,
            &name.to_string(),
            || format!("output {name}"),
            || match self.src.outputs.get(name) {
                Some(d) => eval(&d.expr, &Scope::new(run, self, &NO_BINDING)),
                None => Err(format!("module has no output {name:?}")),
            },
        )
    }

    /// All outputs as an object.
    fn outputs_object(self: &Rc<Self>, run: &Run) -> Dyn {
        let mut names: Vec<&String> = self.src.outputs.keys().collect();
        names.sort();
        let mut m = BTreeMap::new();
        for n in names {
            let v = match self.output(run, n).as_ref() {
                Ok(v) => v.clone(),
                Err(e) => Dyn::unknown(e.clone()),
            };
            m.insert(n.clone(), v);
        }
        Dyn::Map(m)
    }

    /// The expansion of resource `ri`.
    pub fn expansion(self: &Rc<Self>, run: &Run, ri: usize) -> Rc<Expansion> {
        if let Some(e) = self.expansions.borrow().get(&ri) {
            return match e {
                Some(e) => e.clone(),
                None => Rc::new(Expansion {
                    kind: ExpKind::Unknown,
                    items: vec![(InstKey::None, Binding::default())],
                }),
            };
        }
        self.expansions.borrow_mut().insert(ri, None);
        let decl = &self.src.resources[ri];
        let meta = &self.src.files[decl.file];
        let what = format!("{}{}", self.prefix(), decl.key);
        let sc = Scope::new(run, self, &NO_BINDING);
        let e = Rc::new(expand(
            &decl.block.body,
            &sc,
            &what,
            meta,
            decl.block.span(),
        ));
        self.expansions.borrow_mut().insert(ri, Some(e.clone()));
        e
    }

    fn instance_addr(&self, ri: usize, key: &InstKey) -> String {
        format!(
            "{}{}{}",
            self.prefix(),
            self.src.resources[ri].key,
            key.suffix()
        )
    }

    /// The value of a top-level attribute of resource instance `(ri, i)`.
    fn res_attr(self: &Rc<Self>, run: &Run, ri: usize, i: usize, name: &str) -> Rc<EResult> {
        memo(
            &self.attrs,
            &(ri, i, name.to_string()),
            || format!("{}.{name}", self.src.resources[ri].key),
            || {
                let exp = self.expansion(run, ri);
                let bind = exp.items.get(i).map(|(_, b)| b).unwrap_or(&NO_BINDING);
                match self.src.resources[ri].block.body.get_attribute(name) {
                    Some(a) => eval(&a.value, &Scope::new(run, self, bind)),
                    None => Err(format!("no attribute {name}")),
                }
            },
        )
    }

    /// Evaluates the body of resource instance `(ri, i)`.
    fn res_body(self: &Rc<Self>, run: &Run, ri: usize, i: usize) -> ir::Block {
        let exp = self.expansion(run, ri);
        let bind = exp.items.get(i).map(|(_, b)| b).unwrap_or(&NO_BINDING);
        let decl = &self.src.resources[ri];
        let meta = &self.src.files[decl.file];
        let sc = Scope::new(run, self, bind);
        let mut out = ir::Block {
            kind: match decl.mode {
                Mode::Managed => "resource".into(),
                Mode::Data => "data".into(),
            },
            labels: vec![decl.rtype.clone(), decl.name.clone()],
            pos: meta.pos(decl.block.span()),
            ..Default::default()
        };
        eval_body(&decl.block.body, &sc, meta, &mut out, Some((ri, i)));
        out
    }

    /// Resolves `TYPE.NAME…` / `data.TYPE.NAME…` (after the name) from scope `sc`.
    pub fn resource_ref(self: &Rc<Self>, sc: &Scope, ri: usize, ops: &[Op]) -> EResult {
        let run = sc.run;
        let exp = self.expansion(run, ri);
        let keys: Vec<&InstKey> = exp.items.iter().map(|(k, _)| k).collect();
        let value_of = |i: usize, ops: &[Op]| -> EResult {
            let addr: Arc<str> = Arc::from(self.instance_addr(ri, keys[i]));
            let body = &self.src.resources[ri].block.body;
            if let Some(TraversalOperator::GetAttr(a)) = ops.first().map(|o| o.value()) {
                let a = a.as_str();
                let is_meta = matches!(a, "count" | "for_each" | "provider" | "depends_on");
                if let Some(attr) = body.get_attribute(a).filter(|_| !is_meta) {
                    // A value passed through (`bucket = aws_s3_bucket.b.id`) still refers
                    // to what it names; a text built around it (`"pg-${local.prefix}"`)
                    // names this resource.
                    let composite = is_composite_template(&attr.value);
                    return match self.res_attr(run, ri, i, a).as_ref() {
                        Ok(Dyn::Unknown(u)) if u.refers_to.is_none() => Ok(unknown_ref(
                            format!("{addr}.{a} is unknown: {}", u.reason),
                            Some(addr),
                        )),
                        Ok(Dyn::Unknown(u)) if composite && ops.len() == 1 => {
                            Ok(Dyn::Unknown(Unknown {
                                reason: format!("{addr}.{a} is unknown: {}", u.reason).into(),
                                refers_to: Some(addr),
                                json_of: u.json_of.clone(),
                                partial: u.partial,
                            }))
                        }
                        Ok(v) => walk(v, &ops[1..], sc),
                        Err(e) => Ok(unknown_ref(format!("{addr}.{a}: {e}"), Some(addr))),
                    };
                }
                let has_block = body.blocks().any(|b| {
                    b.ident.as_str() == a
                        || (b.ident.as_str() == "dynamic"
                            && b.labels.first().is_some_and(|l| l.as_str() == a))
                });
                if !has_block {
                    return Ok(unknown_ref(
                        format!("computed attribute {addr}.{a}"),
                        Some(addr),
                    ));
                }
            }
            let obj = block_object(&self.res_body(run, ri, i), Some(&addr));
            walk(&obj, ops, sc)
        };
        let base = || -> Arc<str> { Arc::from(self.instance_addr(ri, &InstKey::None)) };
        let whole = || {
            let addr = base();
            unknown_ref(format!("instances of {addr} are unknown"), Some(addr))
        };
        // `aws_s3_bucket.b[var.i].id`: one of b's instances, which one is unknown.
        let by_unknown_key = |u: &Unknown| {
            let addr = base();
            unknown_ref(
                format!(
                    "instance of {addr} selected by an unknown key: {}",
                    u.reason
                ),
                Some(addr),
            )
        };
        select(exp.kind, &keys, ops, sc, &value_of, &whole, &by_unknown_key)
    }

    /// The module call `ci`, instantiated (memoised).
    fn call(self: &Rc<Self>, run: &Run, ci: usize) -> Rc<CallResult> {
        if let Some(c) = self.calls.borrow().get(&ci) {
            return match c {
                Some(c) => c.clone(),
                None => Rc::new(CallResult {
                    status: CallStatus::Unavailable("module call refers to itself".into()),
                    kind: ExpKind::Single,
                    instances: Vec::new(),
                }),
            };
        }
        self.calls.borrow_mut().insert(ci, None);
        let r = Rc::new(self.instantiate(run, ci));
        self.calls.borrow_mut().insert(ci, Some(r.clone()));
        r
    }

    fn instantiate(self: &Rc<Self>, run: &Run, ci: usize) -> CallResult {
        let decl = &self.src.calls[ci];
        let meta = &self.src.files[decl.file];
        let pos = meta.pos(decl.block.span());
        let unavailable = |reason: String| CallResult {
            status: CallStatus::Unavailable(reason),
            kind: ExpKind::Single,
            instances: Vec::new(),
        };
        let key_path = if self.key_path.is_empty() {
            decl.name.clone()
        } else {
            format!("{}.{}", self.key_path, decl.name)
        };
        let source = decl.source.clone().unwrap_or_default();
        let dir = if let Some(d) = run.modules_json.get(&key_path) {
            d.clone()
        } else if is_local_source(&source) {
            crate::discover::normalize(&self.src.dir.join(&source))
        } else {
            let shown = if source.is_empty() {
                "(not a literal string)".to_string()
            } else {
                source.clone()
            };
            run.diag(Diagnostic::at(
                DiagKind::RemoteModule,
                DiagLevel::Warning,
                &*meta.display,
                Some(pos.line),
                Some(pos.col),
                format!(
                    "module \"{}\" not scanned: remote source {shown}",
                    decl.name
                ),
            ));
            return unavailable(format!("output of remote module {}", decl.name));
        };
        if self.depth >= MAX_MODULE_DEPTH || self.ancestors.contains(&dir) || dir == self.src.dir {
            run.diag(Diagnostic::at(
                DiagKind::Unresolved,
                DiagLevel::Warning,
                &*meta.display,
                Some(pos.line),
                Some(pos.col),
                format!(
                    "module \"{}\" not evaluated: module cycle or nesting too deep",
                    decl.name
                ),
            ));
            return unavailable(format!("output of module {} (cycle)", decl.name));
        }
        let Some(child_src) = run.module(&dir) else {
            run.diag(Diagnostic::at(
                DiagKind::MissingModule,
                DiagLevel::Warning,
                &*meta.display,
                Some(pos.line),
                Some(pos.col),
                format!(
                    "module \"{}\": local source {source} has no Terraform files",
                    decl.name
                ),
            ));
            return unavailable(format!("output of missing module {}", decl.name));
        };
        let sc = Scope::new(run, self, &NO_BINDING);
        let what = format!("{}module.{}", self.prefix(), decl.name);
        let exp = expand(&decl.block.body, &sc, &what, meta, decl.block.span());
        let mut ancestors = self.ancestors.clone();
        ancestors.push(self.src.dir.clone());
        let mut instances = Vec::new();
        for (key, bind) in &exp.items {
            let addr = format!("{what}{}", key.suffix());
            let child = Inst::new(
                run,
                child_src.clone(),
                addr,
                key_path.clone(),
                HashMap::new(),
                Some((Rc::downgrade(self), ci, bind.clone())),
                self.depth + 1,
                ancestors.clone(),
            );
            instances.push((key.clone(), Rc::new(child)));
        }
        CallResult {
            status: CallStatus::Local,
            kind: exp.kind,
            instances,
        }
    }

    /// Resolves `module.NAME…` (after the name) from scope `sc`.
    pub fn module_ref(self: &Rc<Self>, sc: &Scope, name: &str, ops: &[Op]) -> EResult {
        let Some(&ci) = self.src.call_index.get(name) else {
            return Err(format!("reference to undeclared module {name:?}"));
        };
        let call = self.call(sc.run, ci);
        if let CallStatus::Unavailable(reason) = &call.status {
            return Ok(Dyn::unknown(reason.clone()));
        }
        let keys: Vec<&InstKey> = call.instances.iter().map(|(k, _)| k).collect();
        let value_of = |i: usize, ops: &[Op]| -> EResult {
            let child = &call.instances[i].1;
            if let Some(TraversalOperator::GetAttr(a)) = ops.first().map(|o| o.value()) {
                return match child.output(sc.run, a.as_str()).as_ref() {
                    Ok(v) => walk(v, &ops[1..], sc),
                    Err(e) => Ok(Dyn::unknown(format!("module.{name}.{}: {e}", a.as_str()))),
                };
            }
            walk(&child.outputs_object(sc.run), ops, sc)
        };
        let whole = || Dyn::unknown(format!("instances of module.{name} are unknown"));
        let by_unknown_key = |u: &Unknown| Dyn::Unknown(u.opaque());
        select(
            call.kind,
            &keys,
            ops,
            sc,
            &value_of,
            &whole,
            &by_unknown_key,
        )
    }

    /// Appends every resource instance of this module instance and its children.
    pub fn collect(self: &Rc<Self>, run: &Run, out: &mut Vec<ir::Resource>) {
        for (ri, decl) in self.src.resources.iter().enumerate() {
            let exp = self.expansion(run, ri);
            let file: Arc<str> = self.src.files[decl.file].display.clone();
            for (i, (key, _)) in exp.items.iter().enumerate() {
                let body = self.res_body(run, ri, i);
                out.push(ir::Resource {
                    mode: decl.mode,
                    rtype: decl.rtype.clone(),
                    name: decl.name.clone(),
                    address: self.instance_addr(ri, key),
                    module: self.addr.clone(),
                    file: file.clone(),
                    body,
                });
            }
        }
        for ci in 0..self.src.calls.len() {
            let call = self.call(run, ci);
            for (_, child) in &call.instances {
                child.collect(run, out);
            }
        }
    }
}

/// Selects instances of an expanded resource or module by the leading index or
/// splat operator, then applies `value_of(instance, remaining operators)`;
/// `unknown_key` is the value selected by an unknown instance key.
fn select(
    kind: ExpKind,
    keys: &[&InstKey],
    ops: &[Op],
    sc: &Scope,
    value_of: &dyn Fn(usize, &[Op]) -> EResult,
    unknown_whole: &dyn Fn() -> Dyn,
    unknown_key: &dyn Fn(&Unknown) -> Dyn,
) -> EResult {
    let first = ops.first().map(|o| o.value());
    let is_splat = matches!(
        first,
        Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_))
    );
    if kind == ExpKind::Unknown && (ops.is_empty() || is_splat) {
        return Ok(unknown_whole());
    }
    if keys.is_empty() {
        return match kind {
            ExpKind::ForEach if ops.is_empty() => Ok(Dyn::Map(BTreeMap::new())),
            _ if ops.is_empty() || is_splat => Ok(Dyn::List(Vec::new())),
            _ => Err("the resource or module has no instances".into()),
        };
    }
    if is_splat {
        let end = splat_end(ops, 0);
        let mut items = Vec::with_capacity(keys.len());
        for i in 0..keys.len() {
            items.push(value_of(i, &ops[1..end])?);
        }
        return walk(&Dyn::List(items), &ops[end..], sc);
    }
    match kind {
        ExpKind::Single => value_of(0, ops),
        ExpKind::Unknown => {
            let rest = match first.and_then(|o| index_key(o, sc)) {
                Some(_) => &ops[1..],
                None => ops,
            };
            value_of(0, rest)
        }
        ExpKind::Count | ExpKind::ForEach => {
            let Some(op) = first else {
                let mut list = Vec::new();
                let mut map = BTreeMap::new();
                for (i, k) in keys.iter().enumerate() {
                    let v = value_of(i, &[])?;
                    match k {
                        InstKey::Str(s) => {
                            map.insert(s.clone(), v);
                        }
                        _ => list.push(v),
                    }
                }
                return Ok(if kind == ExpKind::ForEach {
                    Dyn::Map(map)
                } else {
                    Dyn::List(list)
                });
            };
            let key = match index_key(op, sc) {
                Some(k) => k?,
                None => {
                    return Err(
                        "missing instance key on a resource or module with count/for_each".into(),
                    )
                }
            };
            if let Dyn::Unknown(u) = key {
                return Ok(unknown_key(&u));
            }
            let wanted = if kind == ExpKind::Count {
                InstKey::Int(to_index(&key)?)
            } else {
                InstKey::Str(to_str(&key)?)
            };
            match keys.iter().position(|k| **k == wanted) {
                Some(i) => value_of(i, &ops[1..]),
                None => Err(format!("no instance {}", wanted.suffix())),
            }
        }
    }
}

/// Whether `e` builds a string around interpolations (`"pg-${local.prefix}"`) rather
/// than being a single interpolation or a plain literal.
fn is_composite_template(e: &hcl_edit::expr::Expression) -> bool {
    use hcl_edit::expr::Expression as E;
    let t = match e {
        E::StringTemplate(t) => t,
        E::HeredocTemplate(h) => &h.template,
        _ => return false,
    };
    t.as_single_element().is_none()
}

/// An evaluated block as an object value: attributes, nested blocks as lists, and
/// (for a resource) unknown `id`/`arn` that refer to it.
pub(crate) fn block_object(b: &ir::Block, refers_to: Option<&Arc<str>>) -> Dyn {
    let mut m: BTreeMap<String, Dyn> = BTreeMap::new();
    for (k, a) in &b.attributes {
        m.insert(k.clone(), a.value.clone());
    }
    for nb in &b.blocks {
        let entry = m
            .entry(nb.kind.clone())
            .or_insert_with(|| Dyn::List(Vec::new()));
        if let Dyn::List(items) = entry {
            items.push(block_object(nb, None));
        }
    }
    for ub in &b.unknown_blocks {
        m.insert(ub.kind.clone(), Dyn::unknown(ub.reason.clone()));
    }
    if let Some(addr) = refers_to {
        m.insert(RES_MARKER.to_string(), Dyn::String(addr.to_string()));
    }
    Dyn::Map(m)
}

/// Evaluates the attributes and nested blocks of `body` into `out`. With `res`
/// (a resource instance), top-level meta-arguments are dropped and attribute values
/// come from the per-attribute memo.
pub(crate) fn eval_body(
    body: &Body,
    sc: &Scope,
    meta: &FileMeta,
    out: &mut ir::Block,
    res: Option<(usize, usize)>,
) {
    for st in body.iter() {
        match st {
            Structure::Attribute(a) => {
                let name = a.key.as_str();
                if res.is_some() && matches!(name, "count" | "for_each" | "provider" | "depends_on")
                {
                    continue;
                }
                let value = match res {
                    Some((ri, i)) => match sc.inst.res_attr(sc.run, ri, i, name).as_ref() {
                        Ok(v) => {
                            let mut v = v.clone();
                            strip_markers(&mut v);
                            v
                        }
                        Err(e) => Dyn::unknown(e.clone()),
                    },
                    None => eval::eval_value(&a.value, sc),
                };
                out.attributes.insert(
                    name.to_string(),
                    ir::Attribute {
                        value,
                        pos: meta.span_pos(a.key.span(), a.value.span()),
                    },
                );
            }
            Structure::Block(b) => {
                let kind = b.ident.as_str();
                if res.is_some() && matches!(kind, "lifecycle" | "provisioner" | "connection") {
                    continue;
                }
                if kind == "dynamic" {
                    expand_dynamic(b, sc, meta, out);
                    continue;
                }
                let mut nb = ir::Block {
                    kind: kind.to_string(),
                    labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                    pos: meta.pos(b.span()),
                    ..Default::default()
                };
                eval_body(&b.body, sc, meta, &mut nb, None);
                out.blocks.push(nb);
            }
        }
    }
}

/// Expands a `dynamic "label"` block into ordinary blocks (or an unknown block).
fn expand_dynamic(b: &Block, sc: &Scope, meta: &FileMeta, out: &mut ir::Block) {
    let Some(label) = b.labels.first().map(|l| l.as_str().to_string()) else {
        return;
    };
    let pos = meta.pos(b.span());
    let unknown = |out: &mut ir::Block, reason: String| {
        out.unknown_blocks.push(ir::UnknownBlock {
            kind: label.clone(),
            reason: Arc::from(reason),
            pos,
        });
    };
    let Some(fe) = b.body.get_attribute("for_each") else {
        unknown(out, "dynamic block without for_each".into());
        return;
    };
    let iter_name = b
        .body
        .get_attribute("iterator")
        .and_then(|a| match &a.value {
            hcl_edit::expr::Expression::Variable(v) => Some(v.as_str().to_string()),
            other => super::loader::literal_str(other),
        })
        .unwrap_or_else(|| label.clone());
    let coll = match eval(&fe.value, sc) {
        Ok(Dyn::Unknown(u)) => {
            unknown(
                out,
                format!("for_each of dynamic \"{label}\" is unknown: {}", u.reason),
            );
            return;
        }
        Ok(Dyn::Null) => return,
        Ok(v) => v,
        Err(e) => {
            unknown(out, format!("for_each of dynamic \"{label}\" failed: {e}"));
            return;
        }
    };
    let items = match pairs(coll) {
        Ok(p) => p,
        Err(e) => {
            unknown(out, e);
            return;
        }
    };
    let Some(content) = b.body.get_blocks("content").next() else {
        return;
    };
    for (k, v) in items {
        let mut it = BTreeMap::new();
        it.insert("key".to_string(), k);
        it.insert("value".to_string(), v);
        let inner_names = vec![(iter_name.clone(), Dyn::Map(it))];
        let inner = sc.child(inner_names);
        let labels = match b.body.get_attribute("labels") {
            Some(a) => match eval(&a.value, &inner) {
                Ok(Dyn::List(ls)) => ls.iter().filter_map(|l| to_str(l).ok()).collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let mut nb = ir::Block {
            kind: label.clone(),
            labels,
            pos: meta.pos(content.span()),
            ..Default::default()
        };
        eval_body(&content.body, &inner, meta, &mut nb, None);
        out.blocks.push(nb);
    }
}

/// Instantiates a root module with its variable values and returns its resources.
pub(crate) fn run_root(
    run: &Run,
    src: Arc<ModuleSrc>,
    vars: HashMap<String, Rc<EResult>>,
) -> Vec<ir::Resource> {
    let root = Rc::new(Inst::new(
        run,
        src,
        String::new(),
        String::new(),
        vars,
        None,
        0,
        Vec::new(),
    ));
    let mut out = Vec::new();
    root.collect(run, &mut out);
    out
}

/// Evaluates an expression with nothing in scope (variable files, defaults).
pub(crate) fn eval_const(
    run: &Run,
    src: &Arc<ModuleSrc>,
    e: &hcl_edit::expr::Expression,
) -> EResult {
    let inst = Rc::new(Inst::new(
        run,
        src.clone(),
        String::new(),
        String::new(),
        HashMap::new(),
        None,
        0,
        Vec::new(),
    ));
    eval(e, &Scope::new(run, &inst, &NO_BINDING))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b")), ".");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/m/x")), "m/x");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/c")), "../c");
        assert_eq!(InstKey::Str("a\"b".into()).suffix(), "[\"a\\\"b\"]");
    }
}
