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

/// The directories of the local sources among `sources`, relative to `dir`, normalised.
pub(crate) fn local_dirs<'s>(dir: &Path, sources: impl Iterator<Item = &'s str>) -> Vec<PathBuf> {
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

/// One Terraform file read before evaluation, kept as text until its directory is
/// parsed (a parse tree takes some fifty times the text).
pub(crate) struct ScannedFile {
    /// Path to read (decides `.tf.json` handling).
    pub path: PathBuf,
    /// Display path.
    pub display: Arc<str>,
    /// The file's text.
    pub text: Arc<str>,
}

/// A module directory known before evaluation: its files' texts and the directories
/// of the local module calls the scanner found in them.
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

    /// Reads a directory outside the scanned paths that a module call names; `None`
    /// when it has no Terraform files. Unreadable files are diagnostics for later.
    fn read(dir: &Path, cwd: &Path) -> Option<(ScannedDir, Vec<Diagnostic>)> {
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
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for p in paths {
            let display: Arc<str> = Arc::from(crate::discover::display_path(&p, cwd).as_str());
            match parse::read_text(&p, &display) {
                Ok(text) => {
                    let sources = super::calls::file_module_calls(&p, &text)
                        .into_iter()
                        .filter_map(|c| c.source)
                        .collect();
                    let file = ScannedFile {
                        path: p,
                        display,
                        text,
                    };
                    files.push((file, sources));
                }
                Err(d) => errors.push(d),
            }
        }
        Some((ScannedDir::new(dir, files), errors))
    }
}

/// Parse state of a module directory.
enum DirState {
    /// Not parsed yet.
    Unparsed,
    /// Parsed and kept for the evaluations that will still use it.
    Parsed(Arc<ModuleSrc>),
    /// Parsed once (errors reported) and dropped.
    Released,
}

/// One module directory of the table.
struct DirEntry {
    dir: PathBuf,
    /// Inside the scanned paths: a root candidate, parsed even if no evaluation uses it.
    scanned: bool,
    files: Vec<ScannedFile>,
    /// Read errors of a directory outside the scanned paths, reported when it is parsed.
    pending: Vec<Diagnostic>,
    /// Called directories (indices) by the scanner.
    scan_calls: Vec<usize>,
    /// Called directories (indices) by the parsed module, once parsed.
    parsed_calls: OnceLock<Vec<usize>>,
    state: Mutex<DirState>,
    /// Evaluations of the current wave that may still use the directory.
    users: AtomicUsize,
}

impl DirEntry {
    fn state(&self) -> MutexGuard<'_, DirState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called directories: what the parser found once parsed, what the scanner found before.
    fn calls(&self) -> &[usize] {
        self.parsed_calls.get().unwrap_or(&self.scan_calls)
    }
}

/// The module directories shared by all root evaluations.
///
/// Every directory is parsed once, when an evaluation first needs it (so are its parse
/// errors reported once), and kept while evaluations of the current wave that may call
/// it (per the call graph) have not finished; the last one drops it. Peak memory is
/// that of the modules in use, not of every file scanned.
pub(crate) struct Loader {
    /// Working directory (for display paths and normalisation).
    pub cwd: PathBuf,
    entries: Vec<DirEntry>,
    index: HashMap<PathBuf, usize>,
    /// Directories found only at evaluation time (`modules.json` copies) already read,
    /// with whether they hold Terraform files.
    outside: Mutex<HashMap<PathBuf, bool>>,
    diags: Mutex<Vec<Diagnostic>>,
    files_read: AtomicUsize,
    /// hcl-edit parses per display path.
    parses: Mutex<BTreeMap<Arc<str>, usize>>,
}

/// Locks a mutex, recovering the data of a poisoned one.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Loader {
    /// A table of the scanned directories (`files_read` files read) and of the
    /// directories outside them that their local module calls reach.
    pub fn new(cwd: PathBuf, scanned: BTreeMap<PathBuf, ScannedDir>, files_read: usize) -> Self {
        let mut dirs: Vec<(PathBuf, ScannedDir, bool, Vec<Diagnostic>)> = scanned
            .into_iter()
            .map(|(d, sd)| (d, sd, true, Vec::new()))
            .collect();
        let mut index: HashMap<PathBuf, usize> = dirs
            .iter()
            .enumerate()
            .map(|(i, (d, ..))| (d.clone(), i))
            .collect();
        let mut missing: BTreeSet<PathBuf> = BTreeSet::new();
        let mut next = 0;
        while next < dirs.len() {
            let wanted: Vec<PathBuf> = dirs[next].1.call_dirs.clone();
            next += 1;
            for d in wanted {
                if index.contains_key(&d) || missing.contains(&d) {
                    continue;
                }
                match ScannedDir::read(&d, &cwd) {
                    Some((sd, errors)) => {
                        index.insert(d.clone(), dirs.len());
                        dirs.push((d, sd, false, errors));
                    }
                    None => {
                        missing.insert(d);
                    }
                }
            }
        }
        let entries = dirs
            .into_iter()
            .map(|(dir, sd, scanned, pending)| DirEntry {
                scan_calls: sd
                    .call_dirs
                    .iter()
                    .filter_map(|d| index.get(d).copied())
                    .collect(),
                dir,
                scanned,
                files: sd.files,
                pending,
                parsed_calls: OnceLock::new(),
                state: Mutex::new(DirState::Unparsed),
                users: AtomicUsize::new(0),
            })
            .collect();
        Loader {
            cwd,
            entries,
            index,
            outside: Mutex::new(HashMap::new()),
            diags: Mutex::new(Vec::new()),
            files_read: AtomicUsize::new(files_read),
            parses: Mutex::new(BTreeMap::new()),
        }
    }

    /// The directory of entry `i`.
    pub fn dir(&self, i: usize) -> &Path {
        &self.entries[i].dir
    }

    /// Root modules not in `done`: scanned directories that no scanned directory calls
    /// through a local source (per the parser for parsed directories, the scanner for
    /// the others), plus, for call cycles, directories that no root reaches; in path order.
    pub fn roots(&self, done: &BTreeSet<usize>) -> Vec<usize> {
        let scanned = |i: &usize| self.entries[*i].scanned;
        let mut called = vec![false; self.entries.len()];
        for e in self.entries.iter().filter(|e| e.scanned) {
            for &c in e.calls() {
                called[c] = true;
            }
        }
        let mut roots: BTreeSet<usize> = (0..self.entries.len())
            .filter(|i| scanned(i) && !called[*i])
            .collect();
        roots.extend(done.iter().copied());
        let mut reached = vec![false; self.entries.len()];
        let mut stack: Vec<usize> = roots.iter().copied().collect();
        loop {
            while let Some(i) = stack.pop() {
                if std::mem::replace(&mut reached[i], true) {
                    continue;
                }
                stack.extend(self.entries[i].calls().iter().filter(|c| scanned(c)));
            }
            // Entries are in path order: scanned ones first, sorted.
            match (0..self.entries.len()).find(|i| scanned(i) && !reached[*i]) {
                Some(i) => {
                    roots.insert(i);
                    stack.push(i);
                }
                None => break,
            }
        }
        roots.into_iter().filter(|i| !done.contains(i)).collect()
    }

    /// The directories an evaluation of root `root` may use (the root included), per
    /// the current call graph; registers the evaluation as one of their users.
    pub fn add_user(&self, root: usize) -> Vec<usize> {
        let mut seen = vec![false; self.entries.len()];
        let mut stack = vec![root];
        let mut out = Vec::new();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            out.push(i);
            stack.extend(self.entries[i].calls());
        }
        for &i in &out {
            self.entries[i].users.fetch_add(1, Ordering::AcqRel);
        }
        out
    }

    /// An evaluation that used `dirs` (from [`Loader::add_user`]) is done: directories
    /// it was the last user of are dropped.
    pub fn release(&self, dirs: &[usize]) {
        for &i in dirs {
            let e = &self.entries[i];
            let prev = e
                .users
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
            if prev == Ok(1) {
                let mut st = e.state();
                if matches!(*st, DirState::Parsed(_)) {
                    *st = DirState::Released;
                }
            }
        }
    }

    /// Parses the scanned directories no evaluation has parsed (their parse errors are
    /// reported all the same); returns whether there were any.
    pub fn parse_rest(&self) -> bool {
        use rayon::prelude::*;
        let rest: Vec<&DirEntry> = self
            .entries
            .iter()
            .filter(|e| e.scanned && matches!(*e.state(), DirState::Unparsed))
            .collect();
        rest.par_iter().for_each(|e| {
            let mut st = e.state();
            if matches!(*st, DirState::Unparsed) {
                drop(self.parse_entry(e, true));
                *st = DirState::Released;
            }
        });
        !rest.is_empty()
    }

    /// The module in `dir` (normalised absolute): parsed on first use, shared while
    /// kept; `None` when the directory has no Terraform files.
    pub fn get(&self, dir: &Path) -> Option<Arc<ModuleSrc>> {
        let Some(&i) = self.index.get(dir) else {
            return self.load(dir).map(Arc::new);
        };
        let e = &self.entries[i];
        let mut st = e.state();
        match &*st {
            DirState::Parsed(m) => Some(m.clone()),
            DirState::Unparsed => {
                let m = Arc::new(self.parse_entry(e, true));
                *st = if e.users.load(Ordering::Acquire) > 0 {
                    DirState::Parsed(m.clone())
                } else {
                    DirState::Released
                };
                Some(m)
            }
            // A use the call graph did not foresee (a `modules.json` copy, a call after
            // its directory's last foreseen user): parsed again, errors already reported.
            DirState::Released => Some(Arc::new(self.parse_entry(e, false))),
        }
    }

    /// Parses the files of an entry; the `first` time, reports parse and read errors,
    /// counts files outside the scanned paths and records the calls found.
    fn parse_entry(&self, e: &DirEntry, first: bool) -> ModuleSrc {
        let mut parsed = Vec::with_capacity(e.files.len());
        for f in &e.files {
            self.count_parse(&f.display);
            match parse::parse_text(&f.path, f.display.clone(), f.text.clone()) {
                Ok(p) => parsed.push(p),
                Err(d) if first => self.diag(d),
                Err(_) => {}
            }
        }
        let m = ModuleSrc::build(e.dir.clone(), parsed);
        if first {
            for d in &e.pending {
                self.diag(d.clone());
            }
            if !e.scanned {
                self.files_read
                    .fetch_add(e.files.len() + e.pending.len(), Ordering::Relaxed);
            }
            let calls = local_dirs(&e.dir, m.call_sources.iter().map(String::as_str))
                .iter()
                .filter_map(|d| self.index.get(d).copied())
                .collect();
            let _ = e.parsed_calls.set(calls);
        }
        m
    }

    fn count_parse(&self, display: &Arc<str>) {
        *lock(&self.parses).entry(display.clone()).or_insert(0) += 1;
    }

    /// Reads and parses a directory no scanned directory calls (a `modules.json`
    /// copy). Its files are counted and their parse errors reported the first time only.
    fn load(&self, dir: &Path) -> Option<ModuleSrc> {
        if lock(&self.outside).get(dir) == Some(&false) {
            return None;
        }
        let read = ScannedDir::read(dir, &self.cwd);
        let first = lock(&self.outside)
            .insert(dir.to_path_buf(), read.is_some())
            .is_none();
        let (sd, errors) = read?;
        let e = DirEntry {
            dir: dir.to_path_buf(),
            scanned: false,
            files: sd.files,
            pending: errors,
            scan_calls: Vec::new(),
            parsed_calls: OnceLock::new(),
            state: Mutex::new(DirState::Unparsed),
            users: AtomicUsize::new(0),
        };
        Some(self.parse_entry(&e, first))
    }

    /// Records a diagnostic.
    pub fn diag(&self, d: Diagnostic) {
        lock(&self.diags).push(d);
    }

    /// Takes the diagnostics, the number of files read and the hcl-edit parses per file.
    pub fn finish(self) -> (Vec<Diagnostic>, usize, BTreeMap<Arc<str>, usize>) {
        let ds = self
            .diags
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let parses = self
            .parses
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        (ds, self.files_read.load(Ordering::Relaxed), parses)
    }
}
