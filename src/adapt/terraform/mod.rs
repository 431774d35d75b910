//! Terraform HCL → evaluated resources ([`ir`]) → typed model.
//!
//! [`evaluate`] parses every `.tf`/`.tf.json` file once (in parallel), groups them by
//! directory into modules, finds the root modules (directories no scanned module
//! calls), and evaluates each root (in parallel) with its variables, locals, local
//! module calls, `count`/`for_each`, `dynamic` blocks and built-in functions. What
//! cannot be known before `terraform apply` is [`ir::Dyn::Unknown`], never an error.

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
mod vars;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

/// Stack size of evaluation threads (deeply nested expressions recurse).
const STACK_SIZE: usize = 64 << 20;

/// Parses and evaluates the Terraform files among `files`.
///
/// Only an unusable `--var-file` or a malformed `--var` is an error; everything
/// else (parse errors, remote or missing modules, unknown values) is reported in
/// [`ir::Evaluated::diagnostics`] or as unknown values.
pub fn evaluate(files: &[SourceFile], opts: &TfOptions) -> Result<ir::Evaluated> {
    let cli = vars::CliVars::read(&opts.var_files, &opts.vars)?;
    let cwd = std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })?;
    let tf: Vec<&SourceFile> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson))
        .collect();
    let work = || evaluate_files(&tf, &cli, cwd.clone());
    match rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build()
    {
        Ok(pool) => Ok(pool.install(work)),
        Err(_) => Ok(work()),
    }
}

fn evaluate_files(tf: &[&SourceFile], cli: &vars::CliVars, cwd: PathBuf) -> ir::Evaluated {
    // Parse every file once to report parse errors and find module calls; keep only the
    // text (a parse tree is tens of times larger): modules are parsed again while an
    // evaluation uses them.
    let scanned_files: Vec<(
        PathBuf,
        std::result::Result<(ScannedFile, Vec<String>), Diagnostic>,
    )> = tf
        .par_iter()
        .map(|f| {
            let abs = normalize(&cwd.join(&f.path));
            let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
            let display: Arc<str> = Arc::from(f.display.as_str());
            let scanned = parse::read_text(&f.path, &display).and_then(|text| {
                let p = parse::parse_text(&f.path, display.clone(), text.clone())?;
                let file = ScannedFile {
                    path: f.path.clone(),
                    display,
                    text,
                };
                Ok((file, loader::call_sources(&p.body)))
            });
            (dir, scanned)
        })
        .collect();
    let files_parsed = scanned_files.len();
    let mut diagnostics = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, Vec<(ScannedFile, Vec<String>)>> = BTreeMap::new();
    for (dir, p) in scanned_files {
        let entry = by_dir.entry(dir).or_default();
        match p {
            Ok(p) => entry.push(p),
            Err(d) => diagnostics.push(d),
        }
    }
    let scanned: HashMap<PathBuf, ScannedDir> = by_dir
        .into_iter()
        .map(|(dir, files)| {
            let sd = ScannedDir::new(&dir, files);
            (dir, sd)
        })
        .collect();
    let roots = find_roots(&scanned);
    let loader = Loader::new(cwd.clone(), scanned, files_parsed);
    let results: Vec<(Vec<ir::Resource>, Vec<Diagnostic>, Arc<str>)> = roots
        .par_iter()
        .map(|dir| {
            let root: Arc<str> = Arc::from(crate::discover::display_path(dir, &cwd).as_str());
            let run = Run::new(&loader, dir.clone());
            let Some(src) = loader.get(dir) else {
                return (Vec::new(), Vec::new(), root);
            };
            let values = vars::root_vars(&run, &src, cli);
            let resources = modules::run_root(&run, src, values);
            (resources, run.diags.into_inner(), root)
        })
        .collect();
    let mut with_roots = Vec::new();
    for (r, d, root) in results {
        with_roots.extend(r.into_iter().map(|r| (r, root.clone())));
        diagnostics.extend(d);
    }
    let (more, files_parsed) = loader.finish();
    diagnostics.extend(more);
    with_roots.sort_by(|(a, ra), (b, rb)| {
        (&a.file, a.body.pos.line, &a.address, ra).cmp(&(&b.file, b.body.pos.line, &b.address, rb))
    });
    let (resources, roots) = with_roots.into_iter().unzip();
    diagnostics.sort();
    diagnostics.dedup();
    ir::Evaluated {
        resources,
        roots,
        diagnostics,
        files_parsed,
    }
}

/// Root modules: scanned directories that no scanned module calls through a local
/// source, plus (for call cycles) any directory not reachable from those roots.
fn find_roots(scanned: &HashMap<PathBuf, ScannedDir>) -> Vec<PathBuf> {
    let calls: HashMap<&PathBuf, &Vec<PathBuf>> =
        scanned.iter().map(|(d, m)| (d, &m.call_dirs)).collect();
    let called: HashSet<&PathBuf> = calls.values().flat_map(|v| v.iter()).collect();
    let all: BTreeSet<&PathBuf> = scanned.keys().collect();
    let mut roots: Vec<PathBuf> = all
        .iter()
        .filter(|d| !called.contains(*d))
        .map(|d| (*d).clone())
        .collect();
    let mut reached: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<PathBuf> = roots.clone();
    loop {
        while let Some(d) = stack.pop() {
            if !reached.insert(d.clone()) {
                continue;
            }
            if let Some(next) = calls.get(&d) {
                stack.extend(next.iter().filter(|n| scanned.contains_key(*n)).cloned());
            }
        }
        match all.iter().find(|d| !reached.contains(**d)) {
            Some(d) => {
                roots.push((*d).clone());
                stack.push((*d).clone());
            }
            None => break,
        }
    }
    roots
}
