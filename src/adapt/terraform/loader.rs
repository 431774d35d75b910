//! Modules as declarations: groups parsed files by directory, extracts variables,
//! locals, outputs, resources and module calls, and loads local modules outside the
//! scanned paths from disk on demand (each directory parsed once, then cached).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
                    let default = block.body.get_attribute("default").map(|a| a.value.clone());
                    let ty = block.body.get_attribute("type").map(|a| a.value.clone());
                    self.variables.insert(name.clone(), VarDecl { default, ty });
                }
                ("locals", []) => {
                    for a in block.body.into_attributes() {
                        self.locals
                            .insert(a.key.as_str().to_string(), ExprDecl { expr: a.value });
                    }
                }
                ("output", [name]) => {
                    if let Some(a) = block.body.get_attribute("value") {
                        let expr = a.value.clone();
                        self.outputs.insert(name.clone(), ExprDecl { expr });
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
                    if self.call_index.contains_key(name) {
                        continue;
                    }
                    let source = block
                        .body
                        .get_attribute("source")
                        .and_then(|a| literal_str(&a.value));
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

    /// Directories of the local module calls (`./x`, `../x`), normalised.
    pub fn local_call_dirs(&self) -> Vec<PathBuf> {
        self.calls
            .iter()
            .filter_map(|c| c.source.as_deref())
            .filter(|s| is_local_source(s))
            .map(|s| crate::discover::normalize(&self.dir.join(s)))
            .collect()
    }
}

/// Whether a module source is a local path.
pub(crate) fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s == "." || s == ".."
}

/// Whether a file name is a Terraform configuration file.
fn is_tf_name(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Parsed modules shared by all root evaluations; directories outside the scanned
/// paths are read on demand and cached.
pub(crate) struct Loader {
    /// Working directory (for display paths and normalisation).
    pub cwd: PathBuf,
    cache: Mutex<HashMap<PathBuf, Option<Arc<ModuleSrc>>>>,
    diags: Mutex<Vec<Diagnostic>>,
    parsed: AtomicUsize,
}

impl Loader {
    /// A loader that already knows the scanned modules.
    pub fn new(cwd: PathBuf, scanned: HashMap<PathBuf, Arc<ModuleSrc>>, parsed: usize) -> Self {
        Loader {
            cwd,
            cache: Mutex::new(scanned.into_iter().map(|(k, v)| (k, Some(v))).collect()),
            diags: Mutex::new(Vec::new()),
            parsed: AtomicUsize::new(parsed),
        }
    }

    /// The module in `dir` (normalised absolute), loading it from disk if needed;
    /// `None` when the directory has no Terraform files.
    pub fn get(&self, dir: &Path) -> Option<Arc<ModuleSrc>> {
        if let Ok(cache) = self.cache.lock() {
            if let Some(hit) = cache.get(dir) {
                return hit.clone();
            }
        }
        let loaded = self.load(dir).map(Arc::new);
        match self.cache.lock() {
            Ok(mut cache) => cache.entry(dir.to_path_buf()).or_insert(loaded).clone(),
            Err(_) => loaded,
        }
    }

    fn load(&self, dir: &Path) -> Option<ModuleSrc> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_tf_name)
            })
            .collect();
        if paths.is_empty() {
            return None;
        }
        paths.sort();
        let mut parsed = Vec::new();
        for p in paths {
            let display: Arc<str> =
                Arc::from(crate::discover::display_path(&p, &self.cwd).as_str());
            self.parsed.fetch_add(1, Ordering::Relaxed);
            match parse::parse_file(&p, display) {
                Ok(f) => parsed.push(f),
                Err(d) => self.diag(d),
            }
        }
        Some(ModuleSrc::build(dir.to_path_buf(), parsed))
    }

    /// Records a diagnostic.
    pub fn diag(&self, d: Diagnostic) {
        if let Ok(mut ds) = self.diags.lock() {
            ds.push(d);
        }
    }

    /// Takes the diagnostics and the number of files parsed.
    pub fn finish(self) -> (Vec<Diagnostic>, usize) {
        let ds = self.diags.into_inner().unwrap_or_default();
        (ds, self.parsed.load(Ordering::Relaxed))
    }
}
