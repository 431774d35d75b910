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
    /// Live AWS accounts to scan as well (`--aws`).
    #[cfg(feature = "aws")]
    pub aws: Option<crate::adapt::aws_live::AwsOptions>,
}

/// What a scan did besides the report: figures for people and benchmarks.
#[derive(Debug, Clone, Default)]
pub struct ScanExtras {
    /// AWS accounts scanned live.
    pub aws_accounts: Vec<String>,
    /// AWS API calls made.
    pub aws_api_calls: u64,
}

/// Scans the configured paths and returns the full report. Files that cannot be parsed
/// become diagnostics; only problems with the scan itself (a missing path, an unreadable
/// variable file, an unknown selector) are errors.
pub fn scan(config: &ScanConfig) -> Result<Report> {
    scan_detailed(config).map(|(report, _)| report)
}

/// [`scan`], also returning what the scan did (accounts, API calls).
pub fn scan_detailed(config: &ScanConfig) -> Result<(Report, ScanExtras)> {
    #[allow(unused_mut)]
    let mut extras = ScanExtras::default();
    let controls = Controls::embedded()?;
    let selected = config.selection.apply(rules::all(), &controls)?;
    let (files, mut diagnostics) = discover::discover_all(&config.paths)?;
    let evaluated = terraform::evaluate(&files, &config.terraform)?;
    diagnostics.extend(evaluated.diagnostics.iter().cloned());
    #[allow(unused_mut)]
    let mut model = terraform::to_model::to_model(&evaluated);
    #[allow(unused_mut)]
    let mut live_resources = 0;
    #[allow(unused_mut)]
    let mut inputs: Vec<String> = config
        .paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    #[cfg(feature = "aws")]
    if let Some(opts) = &config.aws {
        use crate::adapt::aws_live;
        let live = aws_live::scan(opts)?;
        live_resources = aws_live::resource_count(&live.model);
        aws_live::merge_into(&mut model.aws, live.model);
        diagnostics.extend(live.diagnostics);
        inputs.extend(live.accounts.iter().map(|a| format!("aws:{a}")));
        extras.aws_accounts = live.accounts;
        extras.aws_api_calls = live.api_calls;
    }
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
    let report = Report {
        tool_version: env!("CARGO_PKG_VERSION"),
        inputs,
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
                .count()
                + live_resources,
        },
    };
    Ok((report, extras))
}
