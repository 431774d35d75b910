//! Terraform plan JSON (`terraform show -json tfplan > plan.json`) → the same evaluated
//! resources ([`ir::Evaluated`]) the HCL evaluator produces, so the model adapters and
//! every rule work on plans unchanged.
//!
//! - **Detection by content**: a `.json` file is a plan when its top level has
//!   `format_version` and `planned_values` or `resource_changes`; any other JSON file is
//!   left to the other adapters. A file that looks like a plan but does not parse is a
//!   parse-error diagnostic with its line; the scan goes on.
//! - **Values**: `planned_values` (every child module) gives the values Terraform knows
//!   after planning: variables given at plan time, `count`/`for_each` expanded, data
//!   sources read. Leaves marked in `resource_changes[].change.after_unknown` are
//!   [`ir::Dyn::Unknown`] "known after apply", referring to the resource the
//!   configuration's expression names (followed through module variables and outputs), so
//!   joins by reference still work. An argument unknown as a whole that the configuration
//!   does not write is computed by the provider and left out, as in the HCL source.
//! - **Positions**: when the `.tf` sources are beside the plan (its directory is the
//!   root module, or the root module's local module sources are relative to it), they
//!   are evaluated and every plan resource points at its block and arguments there;
//!   otherwise at the resource's `"address"` in the plan file.
//! - **Identity**: a plan's resources belong to the root module directory the plan is
//!   beside (the same [`ir::Evaluated::roots`] entry the HCL evaluator gives its
//!   sources, so a plan and its sources give the same fingerprints); a plan without its
//!   sources is a configuration of its own, named by the plan file.
//! - **No double scan**: the plan represents the sources it was matched with.
//!   [`Plans::merge_into`] drops the HCL resources of those files and addresses (instance
//!   keys ignored) and keeps the plan's, so each resource is reported once.

mod config;
mod convert;
mod plan;
mod positions;
pub mod state;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::discover::{display_path, normalize, FileKind, SourceFile};
use crate::terraform::ir::{self, Mode, Pos};

use config::{strip_keys, Config};
use positions::{address_positions, Sources};

/// What the plans among the scanned files contribute.
#[derive(Debug, Default)]
pub struct Plans {
    /// The resources of every plan, diagnostics about plans, and the number of plans read
    /// (`files_parsed`).
    pub evaluated: ir::Evaluated,
    /// (file, address without instance keys) of HCL resources that a plan represents.
    covered: HashSet<(Arc<str>, String)>,
    /// (root module, file, address without instance keys) of the same resources.
    covered_in: HashSet<(Arc<str>, Arc<str>, String)>,
    /// Source files whose resources a plan represents.
    covered_files: HashSet<Arc<str>>,
}

impl Plans {
    /// Whether `r`, evaluated from HCL, is represented by a plan.
    pub fn covers(&self, r: &ir::Resource) -> bool {
        self.covered
            .contains(&(r.file.clone(), strip_keys(&r.address)))
    }

    /// Whether `r`, evaluated from HCL in the root module `root`, is represented by a
    /// plan (a module that several root modules call is represented only in the roots
    /// a plan covers).
    pub fn covers_in(&self, r: &ir::Resource, root: &str) -> bool {
        self.covered_in
            .contains(&(Arc::from(root), r.file.clone(), strip_keys(&r.address)))
    }

    /// Merges the plans into the HCL evaluation: HCL resources a plan represents are
    /// replaced by the plan's, and "unresolved" diagnostics about the files a plan
    /// represents are dropped (the plan resolved them).
    pub fn merge_into(self, ev: &mut ir::Evaluated) {
        // Root modules stay parallel to resources (an HCL evaluation that did not tell
        // them is one configuration: the empty root).
        let hcl_roots = std::mem::take(&mut ev.roots);
        let roots_known = hcl_roots.len() == ev.resources.len();
        let hcl_roots = hcl_roots
            .into_iter()
            .chain(std::iter::repeat_with(|| Arc::from("")));
        let mut with_roots: Vec<(ir::Resource, Arc<str>)> = std::mem::take(&mut ev.resources)
            .into_iter()
            .zip(hcl_roots)
            .filter(|(r, root)| {
                if roots_known {
                    !self.covers_in(r, root)
                } else {
                    !self.covers(r)
                }
            })
            .collect();
        ev.diagnostics.retain(|d| {
            !(d.kind == DiagKind::Unresolved
                && d.file
                    .as_ref()
                    .is_some_and(|f| self.covered_files.contains(f.as_str())))
        });
        let plan_roots = self
            .evaluated
            .roots
            .into_iter()
            .chain(std::iter::repeat_with(|| Arc::from("")));
        with_roots.extend(self.evaluated.resources.into_iter().zip(plan_roots));
        sort_with_roots(&mut with_roots);
        (ev.resources, ev.roots) = with_roots.into_iter().unzip();
        ev.diagnostics.extend(self.evaluated.diagnostics);
        ev.diagnostics.sort();
        ev.diagnostics.dedup();
        ev.files_parsed += self.evaluated.files_parsed;
    }
}

/// Reads every Terraform plan among `files` (JSON files recognised by content).
pub fn read(files: &[SourceFile]) -> Plans {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = Plans::default();
    for f in files.iter().filter(|f| f.kind == FileKind::Json) {
        read_one(f, &cwd, &mut out);
    }
    let mut with_roots: Vec<(ir::Resource, Arc<str>)> =
        std::mem::take(&mut out.evaluated.resources)
            .into_iter()
            .zip(std::mem::take(&mut out.evaluated.roots))
            .collect();
    sort_with_roots(&mut with_roots);
    (out.evaluated.resources, out.evaluated.roots) = with_roots.into_iter().unzip();
    out.evaluated.diagnostics.sort();
    out
}

/// Sorts resources with their root modules: file, line, address, root.
fn sort_with_roots(v: &mut [(ir::Resource, Arc<str>)]) {
    v.sort_by(|(a, ra), (b, rb)| {
        (&a.file, a.body.pos.line, &a.address, ra).cmp(&(&b.file, b.body.pos.line, &b.address, rb))
    });
}

/// Whether a text may be a plan (cheap test before parsing).
fn looks_like_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
}

/// Whether a parsed document is a plan.
fn is_plan(doc: &Json) -> bool {
    doc.get("format_version").is_some()
        && (doc.get("planned_values").is_some() || doc.get("resource_changes").is_some())
}

/// A JSON error message without its "at line L column C" suffix (the diagnostic has them).
fn without_position(e: &serde_json::Error) -> String {
    let mut s = e.to_string();
    if let Some(i) = s.rfind(" at line ") {
        s.truncate(i);
    }
    s
}

fn read_one(f: &SourceFile, cwd: &Path, out: &mut Plans) {
    let display = f.display.as_str();
    let diag =
        |kind, level, line, col, msg: String| Diagnostic::at(kind, level, display, line, col, msg);
    let text = match std::fs::read_to_string(&f.path) {
        Ok(t) => t,
        Err(e) => {
            // Only a file that can be read can be recognised; say why this one was not.
            out.evaluated.diagnostics.push(diag(
                DiagKind::ReadError,
                DiagLevel::Error,
                None,
                None,
                format!("cannot read: {e}"),
            ));
            return;
        }
    };
    if !looks_like_plan(&text) {
        return;
    }
    let doc: Json = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            out.evaluated.diagnostics.push(diag(
                DiagKind::ParseError,
                DiagLevel::Error,
                u32::try_from(e.line()).ok().filter(|l| *l > 0),
                u32::try_from(e.column()).ok().filter(|c| *c > 0),
                format!(
                    "Terraform plan JSON does not parse: {}",
                    without_position(&e)
                ),
            ));
            return;
        }
    };
    if !is_plan(&doc) {
        return;
    }
    let version = match doc.get("format_version") {
        Some(Json::String(v)) => v.as_str(),
        _ => "",
    };
    if !matches!(version.split('.').next(), Some("0" | "1")) {
        out.evaluated.diagnostics.push(diag(
            DiagKind::ParseError,
            DiagLevel::Error,
            None,
            None,
            format!(
                "Terraform plan format_version {version:?} is not supported (1.x is); not scanned"
            ),
        ));
        return;
    }
    out.evaluated.files_parsed += 1;
    let mut problems = Vec::new();
    let planned = plan::resources(&doc, &mut problems);
    for p in problems {
        out.evaluated.diagnostics.push(diag(
            DiagKind::ParseError,
            DiagLevel::Warning,
            None,
            None,
            format!("Terraform plan: {p}"),
        ));
    }
    let config = Config::new(&doc);
    let sources = Sources::load(&f.path, &config, cwd);
    let positions = address_positions(&text);
    let addresses: HashSet<&str> = planned.iter().map(|r| r.address.as_str()).collect();
    let plan_file: Arc<str> = Arc::from(display);
    // The root module: the directory of the sources beside the plan, as the HCL
    // evaluator names it; else the plan itself.
    let root: Arc<str> = match &sources.root {
        Some(dir) => Arc::from(display_path(&normalize(&cwd.join(dir)), cwd).as_str()),
        None => plan_file.clone(),
    };
    for r in &planned {
        let hcl = sources.find(&r.address);
        let refers = |e: &Json| config.refers_to(&r.module, e, r.key(), &|a| addresses.contains(a));
        let ctx = convert::Ctx {
            exprs: config.expressions(&r.module, r.mode, &r.rtype, &r.name),
            hcl: hcl.map(|h| &h.body),
            pos: positions.get(&r.address).copied().unwrap_or(Pos {
                line: 1,
                col: 1,
                end_line: 1,
            }),
            refers: &refers,
        };
        let kind = match r.mode {
            Mode::Managed => "resource",
            Mode::Data => "data",
        };
        let body = convert::body(
            kind,
            vec![r.rtype.clone(), r.name.clone()],
            r.values,
            r.unknown,
            &ctx,
        );
        out.evaluated.resources.push(ir::Resource {
            mode: r.mode,
            rtype: r.rtype.clone(),
            name: r.name.clone(),
            address: r.address.clone(),
            module: r.module.clone(),
            file: hcl
                .map(|h| h.file.clone())
                .unwrap_or_else(|| plan_file.clone()),
            body,
        });
        out.evaluated.roots.push(root.clone());
    }
    for (root, file, addr) in sources.covered() {
        out.covered_files.insert(file.clone());
        out.covered.insert((file.clone(), addr.clone()));
        out.covered_in.insert((root, file, addr));
    }
}
