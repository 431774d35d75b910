//! Terraform HCL → evaluated resources ([`ir`]) → typed model.
//!
//! [`evaluate`] reads every `.tf`/`.tf.json` file and finds its module calls with a
//! lexical scanner ([`calls`]), groups files by directory into modules, finds the root
//! modules (directories no scanned module calls), and evaluates each root (in
//! parallel) with its variables, locals, local module calls, `count`/`for_each`,
//! `dynamic` blocks and built-in functions. Every file is parsed once, when the first
//! evaluation needs its module, which is dropped when the last one that may use it is
//! done. What cannot be known before `terraform apply` is [`ir::Dyn::Unknown`],
//! never an error.

#[doc(hidden)]
pub mod calls;
pub mod ir;
pub mod model;
pub mod to_model;

mod eval;
mod functions;
mod json;
mod loader;
mod modules;
mod parse;
mod value;
pub mod vars;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::discover::{normalize, FileKind, SourceFile};
use crate::error::{Error, Result};
use loader::{Loader, ScannedDir, ScannedFile};
use modules::Run;

/// Variable inputs given on the command line.
#[derive(Debug, Clone, Default)]
pub struct TfOptions {
    /// `--var-file FILE`, in order; later files override earlier ones.
    pub var_files: Vec<PathBuf>,
    /// `--var NAME=VALUE`, in order; override every file.
    pub vars: Vec<String>,
    /// The directory that root module scopes (and so fingerprints) are relative to:
    /// the repository root, so that a finding's identity does not depend on the
    /// directory soc2scan runs from. `None`: the current directory.
    pub identity_root: Option<PathBuf>,
}

/// Rewrites the root module of every resource of `ev` (a display path, relative to
/// the current directory `cwd` or absolute) as its scope: the path relative to
/// `identity_root`, `/`-separated, empty for `identity_root` itself. Roots outside
/// `identity_root` keep their absolute path.
pub fn anchor_roots(ev: &mut ir::Evaluated, cwd: &Path, identity_root: &Path) {
    let anchor = canonical(identity_root);
    let mut done: BTreeMap<Arc<str>, Arc<str>> = BTreeMap::new();
    for root in &mut ev.roots {
        if let Some(scope) = done.get(root) {
            *root = scope.clone();
            continue;
        }
        let abs = canonical(&cwd.join(&**root));
        let scope: Arc<str> = match abs.strip_prefix(&anchor) {
            Ok(rel) => Arc::from(rel.to_string_lossy().replace('\\', "/").as_str()),
            Err(_) => Arc::from(abs.to_string_lossy().replace('\\', "/").as_str()),
        };
        done.insert(root.clone(), scope.clone());
        *root = scope;
    }
}

/// `path` with symbolic links resolved when it exists, else only normalised.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// Stack size of evaluation threads (deeply nested expressions recurse).
const STACK_SIZE: usize = 64 << 20;

/// Parses and evaluates the Terraform files among `files`.
///
/// Only an unusable `--var-file` or a malformed `--var` is an error; everything
/// else (parse errors, remote or missing modules, unknown values) is reported in
/// [`ir::Evaluated::diagnostics`] or as unknown values.
pub fn evaluate(files: &[SourceFile], opts: &TfOptions) -> Result<ir::Evaluated> {
    Ok(evaluate_in_pool(files, opts)?.0)
}

/// [`evaluate`], also returning the number of hcl-edit parses of every file.
fn evaluate_in_pool(
    files: &[SourceFile],
    opts: &TfOptions,
) -> Result<(ir::Evaluated, BTreeMap<Arc<str>, usize>)> {
    let cli = vars::CliVars::read(&opts.var_files, &opts.vars)?;
    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })?;
    let tf: Vec<&SourceFile> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson))
        .collect();
    let work = || evaluate_counting(&tf, &cli, cwd.clone());
    match rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build()
    {
        Ok(pool) => Ok(pool.install(work)),
        Err(_) => Ok(work()),
    }
}

/// A scanned file with the module sources it calls, or why it cannot be used.
type ScanResult = std::result::Result<(ScannedFile, Vec<String>), Diagnostic>;

/// What one root evaluation produced.
type RootResult = (Vec<ir::Resource>, Vec<Diagnostic>, Arc<str>);

/// Evaluates the files; also returns the number of hcl-edit parses of every file.
fn evaluate_counting(
    tf: &[&SourceFile],
    cli: &vars::CliVars,
    cwd: PathBuf,
) -> (ir::Evaluated, BTreeMap<Arc<str>, usize>) {
    // Read every file and find its module calls without parsing it: parse trees are
    // some fifty times the text, so each directory is parsed later, once, while the
    // evaluations that use it run.
    let scanned_files: Vec<(PathBuf, ScanResult)> = tf
        .par_iter()
        .map(|f| {
            let abs = normalize(&cwd.join(&f.path));
            let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
            let display: Arc<str> = Arc::from(f.display.as_str());
            let scanned = parse::read_text(&f.path, &display).map(|text| {
                let sources = calls::file_module_calls(&f.path, &text)
                    .into_iter()
                    .filter_map(|c| c.source)
                    .collect();
                let file = ScannedFile {
                    path: f.path.clone(),
                    display,
                    text,
                };
                (file, sources)
            });
            (dir, scanned)
        })
        .collect();
    let files_read = scanned_files.len();
    let mut diagnostics = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, Vec<(ScannedFile, Vec<String>)>> = BTreeMap::new();
    for (dir, p) in scanned_files {
        let entry = by_dir.entry(dir).or_default();
        match p {
            Ok(p) => entry.push(p),
            Err(d) => diagnostics.push(d),
        }
    }
    let scanned: BTreeMap<PathBuf, ScannedDir> = by_dir
        .into_iter()
        .map(|(dir, files)| {
            let sd = ScannedDir::new(&dir, files);
            (dir, sd)
        })
        .collect();
    let loader = Loader::new(cwd.clone(), scanned, files_read);
    // Roots come from the call graph; parsing can change it (a file that does not
    // parse calls nothing), so directories it leaves uncalled are evaluated in a next
    // wave, until every scanned directory has been parsed and no root is left.
    let mut done: BTreeSet<usize> = BTreeSet::new();
    let mut results: Vec<RootResult> = Vec::new();
    let mut rest_parsed = false;
    loop {
        let roots = loader.roots(&done);
        if roots.is_empty() {
            if rest_parsed || !loader.parse_rest() {
                break;
            }
            rest_parsed = true;
            continue;
        }
        results.extend(run_wave(&loader, &roots, cli, &cwd));
        done.extend(roots);
    }
    let mut with_roots = Vec::new();
    for (r, d, root) in results {
        with_roots.extend(r.into_iter().map(|r| (r, root.clone())));
        diagnostics.extend(d);
    }
    let (more, files_parsed, parses) = loader.finish();
    diagnostics.extend(more);
    with_roots.sort_by(|(a, ra), (b, rb)| {
        (&a.file, a.body.pos.line, &a.address, ra).cmp(&(&b.file, b.body.pos.line, &b.address, rb))
    });
    let (resources, roots) = with_roots.into_iter().unzip();
    diagnostics.sort();
    diagnostics.dedup();
    let ev = ir::Evaluated {
        resources,
        roots,
        diagnostics,
        files_parsed,
    };
    (ev, parses)
}

/// Evaluates `roots` (in path order, so that roots sharing modules run close
/// together) on every thread of the pool; each module directory is parsed when first
/// needed and dropped when the last root that may use it is done. Results are in
/// the order of `roots`.
fn run_wave(loader: &Loader, roots: &[usize], cli: &vars::CliVars, cwd: &Path) -> Vec<RootResult> {
    let uses: Vec<Vec<usize>> = roots.iter().map(|&r| loader.add_user(r)).collect();
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, RootResult)>> = Mutex::new(Vec::with_capacity(roots.len()));
    rayon::broadcast(|_| loop {
        let k = next.fetch_add(1, Ordering::Relaxed);
        let Some(&root) = roots.get(k) else {
            break;
        };
        let result = eval_root(loader, loader.dir(root), cli, cwd);
        loader.release(&uses[k]);
        done.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((k, result));
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Evaluates one root module; the modules it held are released when it returns.
fn eval_root(loader: &Loader, dir: &Path, cli: &vars::CliVars, cwd: &Path) -> RootResult {
    let root: Arc<str> = Arc::from(crate::discover::display_path(dir, cwd).as_str());
    let run = Run::new(loader, dir.to_path_buf());
    let Some(src) = run.module(dir) else {
        return (Vec::new(), Vec::new(), root);
    };
    let values = vars::root_vars(&run, &src, cli);
    let resources = modules::run_root(&run, src, values);
    (resources, run.finish(), root)
}

/// Evaluates the Terraform files among `files` and counts the hcl-edit parses of
/// every file (by display path): each file is parsed once.
#[doc(hidden)]
pub fn evaluate_with_parse_counts(
    files: &[SourceFile],
    opts: &TfOptions,
) -> Result<(ir::Evaluated, BTreeMap<String, usize>)> {
    let (ev, parses) = evaluate_in_pool(files, opts)?;
    let parses = parses
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Ok((ev, parses))
}

/// The module calls the parser finds in a file (`None` when it does not parse): the
/// reference the call scanner must agree with.
#[doc(hidden)]
pub fn parsed_module_calls(path: &Path, text: &str) -> Option<Vec<calls::ModuleCall>> {
    let p = parse::parse_text(path, Arc::from(""), Arc::from(text)).ok()?;
    Some(calls::parsed_calls(&p.body))
}
