//! Modules as declarations: groups parsed files by directory, extracts variables,
//! locals, outputs, resources and module calls, and parses modules on demand (scanned
//! ones from their kept text, others from disk) while evaluations hold them.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

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
    /// Size of the parsed text in bytes (what the parse trees are proportional to).
    pub bytes: usize,
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
            bytes: 0,
        };
        for p in parsed {
            let fi = m.files.len();
            m.bytes += p.meta.text_len();
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
}

/// The literal `source` of every `module` block of a parsed body.
pub(crate) fn call_sources(body: &Body) -> Vec<String> {
    body.get_blocks("module")
        .filter_map(|b| {
            b.body
                .get_attribute("source")
                .and_then(|a| literal_str(&a.value))
        })
        .collect()
}

/// The directories of the local sources among `sources`, relative to `dir`, normalised.
fn local_dirs<'s>(dir: &Path, sources: impl Iterator<Item = &'s str>) -> Vec<PathBuf> {
    sources
        .filter(|s| is_local_source(s))
        .map(|s| crate::discover::normalize(&dir.join(s)))
        .collect()
}

/// Whether a module source is a local path.
pub(crate) fn is_local_source(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s == "." || s == ".."
}

/// Whether a file name is a Terraform configuration file.
fn is_tf_name(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tf.json")
}

/// Text size of the recently used modules that stay parsed when no evaluation holds
/// them (parse trees take some fifty times the text).
const RECENT_BYTES: usize = 1 << 20;

/// One scanned Terraform file whose text parsed, kept as text: parse trees are many
/// times larger than the text, so a module is parsed again when an evaluation needs it.
pub(crate) struct ScannedFile {
    /// Path to read (decides `.tf.json` handling).
    pub path: PathBuf,
    /// Display path.
    pub display: Arc<str>,
    /// The file's text.
    pub text: Arc<str>,
}

/// A scanned module directory: the texts of its files that parse, and the directories
/// of its local module calls (to find the root modules).
pub(crate) struct ScannedDir {
    /// Files in display order.
    pub files: Vec<ScannedFile>,
    /// Normalised directories of local module calls.
    pub call_dirs: Vec<PathBuf>,
}

impl ScannedDir {
    /// A directory entry from its files with the module sources they call.
    pub fn new(dir: &Path, files: Vec<(ScannedFile, Vec<String>)>) -> ScannedDir {
        let mut sources = Vec::new();
        let mut kept = Vec::with_capacity(files.len());
        for (f, s) in files {
            sources.extend(s);
            kept.push(f);
        }
        ScannedDir {
            files: kept,
            call_dirs: local_dirs(dir, sources.iter().map(String::as_str)),
        }
    }
}

/// Parsed modules shared by all root evaluations. A module stays parsed while some
/// evaluation holds it (a weak cache) and is parsed again, from its text (scanned
/// paths) or from disk (other directories), when an evaluation needs it later: peak
/// memory is that of the modules in use, not of every file scanned.
pub(crate) struct Loader {
    /// Working directory (for display paths and normalisation).
    pub cwd: PathBuf,
    scanned: HashMap<PathBuf, ScannedDir>,
    cache: Mutex<HashMap<PathBuf, Weak<ModuleSrc>>>,
    /// The most recently used modules, kept parsed up to [`RECENT_BYTES`] of text
    /// (modules that many roots call are not parsed again for each).
    recent: Mutex<VecDeque<Arc<ModuleSrc>>>,
    /// Directories outside the scanned paths already read once (counted and
    /// diagnosed), with whether they hold Terraform files.
    outside: Mutex<HashMap<PathBuf, bool>>,
    diags: Mutex<Vec<Diagnostic>>,
    parsed: AtomicUsize,
}

impl Loader {
    /// A loader that already knows the scanned modules (`parsed` files read).
    pub fn new(cwd: PathBuf, scanned: HashMap<PathBuf, ScannedDir>, parsed: usize) -> Self {
        Loader {
            cwd,
            scanned,
            cache: Mutex::new(HashMap::new()),
            recent: Mutex::new(VecDeque::new()),
            outside: Mutex::new(HashMap::new()),
            diags: Mutex::new(Vec::new()),
            parsed: AtomicUsize::new(parsed),
        }
    }

    /// The module in `dir` (normalised absolute), parsing it unless an evaluation
    /// holds it; `None` when the directory has no Terraform files.
    pub fn get(&self, dir: &Path) -> Option<Arc<ModuleSrc>> {
        let hit = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(dir).and_then(Weak::upgrade));
        let m = match hit {
            Some(m) => m,
            None => {
                let loaded = Arc::new(match self.scanned.get(dir) {
                    Some(sd) => build_scanned(dir, sd),
                    None => self.load(dir)?,
                });
                match self.cache.lock() {
                    Ok(mut cache) => match cache.get(dir).and_then(Weak::upgrade) {
                        Some(m) => m,
                        None => {
                            cache.retain(|_, w| w.strong_count() > 0);
                            cache.insert(dir.to_path_buf(), Arc::downgrade(&loaded));
                            loaded
                        }
                    },
                    Err(_) => loaded,
                }
            }
        };
        self.touch(&m);
        Some(m)
    }

    /// Marks a module as just used, dropping the least recently used ones beyond the
    /// budget (a module still in use by an evaluation stays parsed through it).
    fn touch(&self, m: &Arc<ModuleSrc>) {
        let Ok(mut recent) = self.recent.lock() else {
            return;
        };
        recent.retain(|r| !Arc::ptr_eq(r, m));
        recent.push_front(m.clone());
        let mut total = 0;
        let keep = recent
            .iter()
            .take_while(|r| {
                total += r.bytes;
                total <= RECENT_BYTES
            })
            .count()
            .max(1);
        recent.truncate(keep);
    }

    /// Reads and parses a directory outside the scanned paths. Its files are counted
    /// and their parse errors reported the first time only.
    fn load(&self, dir: &Path) -> Option<ModuleSrc> {
        if let Ok(seen) = self.outside.lock() {
            if seen.get(dir) == Some(&false) {
                return None;
            }
        }
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
        let first = match self.outside.lock() {
            Ok(mut seen) => seen.insert(dir.to_path_buf(), !paths.is_empty()).is_none(),
            Err(_) => false,
        };
        if paths.is_empty() {
            return None;
        }
        paths.sort();
        let mut parsed = Vec::new();
        for p in paths {
            let display: Arc<str> =
                Arc::from(crate::discover::display_path(&p, &self.cwd).as_str());
            if first {
                self.parsed.fetch_add(1, Ordering::Relaxed);
            }
            match parse::parse_file(&p, display) {
                Ok(f) => parsed.push(f),
                Err(d) if first => self.diag(d),
                Err(_) => {}
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

/// Parses a scanned directory again from its texts (they parsed before).
fn build_scanned(dir: &Path, sd: &ScannedDir) -> ModuleSrc {
    let parsed = sd
        .files
        .iter()
        .filter_map(|f| parse::parse_text(&f.path, f.display.clone(), f.text.clone()).ok())
        .collect();
    ModuleSrc::build(dir.to_path_buf(), parsed)
}
