//! The library's front door: `scan(config) -> Report` runs the whole pipeline
//! (discover → adapt → model → rules → suppressions) once.

use std::path::PathBuf;

use crate::adapt::terraform::{self, TfOptions};
use crate::controls::Controls;
use crate::engine::{self, Selection};
use crate::error::Result;
use crate::report::{Report, RuleInfo, ScanStats};
use crate::settings::Settings;
use crate::{discover, rules, suppress};

/// What to scan and how.
#[derive(Debug, Clone, Default)]
pub struct ScanConfig {
    /// Files and directories to scan.
    pub paths: Vec<PathBuf>,
    /// Terraform variable inputs.
    pub terraform: TfOptions,
    /// Which rules run.
    pub selection: Selection,
    /// Rule parameters.
    pub settings: Settings,
    /// Date used for suppression expiry (`YYYY-MM-DD`); today when `None`.
    pub today: Option<String>,
}

/// Scans the configured paths and returns the full report. Files that cannot be parsed
/// become diagnostics; only problems with the scan itself (a missing path, an unreadable
/// variable file, an unknown selector) are errors.
pub fn scan(config: &ScanConfig) -> Result<Report> {
    let controls = Controls::embedded()?;
    let selected = config.selection.apply(rules::all(), &controls)?;
    let (files, mut diagnostics) = discover::discover_all(&config.paths)?;
    let evaluated = terraform::evaluate(&files, &config.terraform)?;
    diagnostics.extend(evaluated.diagnostics.iter().cloned());
    let model = terraform::to_model::to_model(&evaluated);
    let mut results = engine::run(&model, &selected, &config.settings);
    let today = config.today.clone().unwrap_or_else(suppress::today);
    suppress::apply(&mut results, &mut diagnostics, &today);
    diagnostics.sort();
    diagnostics.dedup();
    let rules = selected
        .iter()
        .map(|r| {
            let meta = r.meta();
            let mapping = controls.mapping.get(meta.id);
            RuleInfo {
                meta,
                effective_severity: meta.severity,
                criteria: mapping.map(|m| m.criteria.clone()).unwrap_or_default(),
                rationale: mapping.map(|m| m.rationale.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Report {
        tool_version: env!("CARGO_PKG_VERSION"),
        inputs: config
            .paths
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect(),
        rules,
        results,
        diagnostics,
        criteria: controls.criteria,
        stats: ScanStats {
            files: evaluated.files_parsed,
            resources: evaluated
                .resources
                .iter()
                .filter(|r| r.mode == terraform::ir::Mode::Managed)
                .count(),
        },
    })
}
