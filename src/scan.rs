//! The library's front door: `scan(config) -> Report` runs the whole pipeline
//! (discover → adapt → model → rules → suppressions) once.

use std::path::PathBuf;

use crate::adapt::k8s::LiveOptions;
use crate::adapt::k8s_manifest;
use crate::adapt::terraform::TfOptions;
use crate::config::ProjectConfig;
use crate::controls::{ruleset_hash_with_policies, Controls};
use crate::engine::{self, Selection};
use crate::error::Result;
use crate::evidence::{self, Evidence, PolicyFile};
use crate::level::Level;
use crate::report::{Report, RuleInfo, ScanStats};
use crate::settings::Settings;
use crate::source::{SourceInput, SourceRead};
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
    /// The level to run at (`--level`): rules above it do not run (see
    /// [`Selection::apply`]). `None`: the project policy's `level`, else baseline.
    pub level: Option<Level>,
    /// Rule parameters.
    pub settings: Settings,
    /// Date used for suppression expiry (`YYYY-MM-DD`); today when `None`.
    pub today: Option<String>,
    /// The project policy (`.soc2scan.toml`): its selectors are added to `selection`,
    /// its settings replace `settings`, its severities and path suppressions apply.
    pub project: Option<ProjectConfig>,
    /// Record the git commit and working-tree state of the first path as evidence
    /// (runs `git`; off by default for library use).
    pub record_git: bool,
    /// Also list the objects of a live Kubernetes cluster (`--kubernetes`).
    pub kubernetes: Option<LiveOptions>,
    /// Live AWS accounts to scan as well (`--aws`).
    #[cfg(feature = "aws")]
    pub aws: Option<crate::adapt::aws_live::AwsOptions>,
    /// Directories of custom Rego policies (`--policies`), besides the project policy's.
    pub policies: Vec<PathBuf>,
    /// How long one custom policy may evaluate (`--policy-timeout`); else the project
    /// policy's `policy_timeout`, else [`soc2scan_policies::DEFAULT_TIME_LIMIT`].
    pub policy_timeout: Option<std::time::Duration>,
    /// How many bytes one custom policy may allocate beyond the model
    /// (`--policy-memory`); else the project policy's `policy_memory`, else
    /// [`soc2scan_policies::DEFAULT_MEMORY_LIMIT`].
    pub policy_memory: Option<u64>,
}

/// What a scan did besides the report, for people: the sources' own summary lines.
#[derive(Debug, Clone, Default)]
pub struct ScanExtras {
    /// What the live sources did (`AWS: 2 account(s) scanned, 311 API calls`).
    pub summary: Option<String>,
}

/// Scans the configured paths and returns the full report. Files that cannot be parsed
/// become diagnostics; only problems with the scan itself (a missing path, an unreadable
/// variable file, an unknown selector) are errors.
pub fn scan(config: &ScanConfig) -> Result<Report> {
    scan_detailed(config).map(|(report, _)| report)
}

/// [`scan`], also returning what the scan did (accounts, API calls).
pub fn scan_detailed(config: &ScanConfig) -> Result<(Report, ScanExtras)> {
    let mut extras = ScanExtras::default();
    let mut controls = Controls::embedded()?;
    let project = config.project.as_ref();
    let policies = load_policies(config)?;
    policies.register(&mut controls);
    let selection = match project {
        Some(p) => Selection {
            select: p
                .select
                .iter()
                .chain(&config.selection.select)
                .cloned()
                .collect(),
            ignore: p
                .ignore
                .iter()
                .chain(&config.selection.ignore)
                .cloned()
                .collect(),
        },
        None => config.selection.clone(),
    };
    // The flag wins over the policy file; baseline when neither says.
    let level = config
        .level
        .or_else(|| project.and_then(|p| p.level))
        .unwrap_or_default();
    let mut all = rules::all();
    all.extend(policies.rules());
    let selected = selection.apply(all, &controls, level)?;
    let read = read_sources(config)?;
    let report = report_of(
        config,
        read,
        &controls,
        &selected,
        &policies,
        level,
        &mut extras,
    )?;
    Ok((report, extras))
}

/// The report of a scan whose sources were read into `read`: the selected rules run on
/// its model, suppressions applied, evidence recorded. `soc2scan drift` uses it with
/// the model it builds. Custom `policies` run beside the built-in rules, on the same
/// model converted once.
pub fn report_of(
    config: &ScanConfig,
    read: SourceRead,
    controls: &Controls,
    selected: &[&'static dyn crate::rules::Rule],
    policies: &soc2scan_policies::PolicySet,
    level: Level,
    extras: &mut ScanExtras,
) -> Result<Report> {
    let project = config.project.as_ref();
    let settings = project.map(|p| &p.settings).unwrap_or(&config.settings);
    let mut diagnostics = read.diagnostics;
    let inputs = read.inputs;
    extras.summary = read.summary;
    let model = read.model;
    let results_model = &model;
    let mut results = engine::run(results_model, selected, settings);
    if !policies.is_empty() {
        // Custom policies: the model converted for Rego once, the policies in parallel.
        let evaluation = policies
            .evaluate(results_model, selected)
            .map_err(|e| crate::error::Error::Policy(e.to_string()))?;
        results.extend(evaluation.results);
        diagnostics.extend(evaluation.diagnostics);
        crate::finding::sort_results(&mut results);
        results.dedup();
    }
    // Suppressions expire by the scan's day: SOURCE_DATE_EPOCH when set (a backfilled
    // scan of a past day judges them as on that day), else today.
    let scan_time = evidence::scan_time();
    let today = config.today.clone().unwrap_or_else(|| {
        scan_time
            .get(..10)
            .map(str::to_string)
            .unwrap_or_else(suppress::today)
    });
    suppress::apply(&mut results, &mut diagnostics, &today);
    if let Some(p) = project {
        p.apply_suppressions(&mut results, &mut diagnostics, &today);
    }
    diagnostics.sort();
    diagnostics.dedup();
    let rules = selected
        .iter()
        .map(|r| {
            let meta = r.meta();
            let mapping = controls.mapping.get(meta.id);
            RuleInfo {
                meta,
                effective_severity: project.map_or(meta.severity, |p| p.severity_of(*r)),
                criteria: mapping.map(|m| m.criteria.clone()).unwrap_or_default(),
                rationale: mapping.map(|m| m.rationale.clone()).unwrap_or_default(),
                level: controls.level_of(meta.id),
            }
        })
        .collect::<Vec<RuleInfo>>();
    let evidence = Evidence {
        scan_time: Some(scan_time),
        git: if config.record_git {
            config.paths.first().and_then(|p| evidence::git_state(p))
        } else {
            None
        },
        // Custom policies that ran: their text, so editing one changes the hash.
        ruleset_hash: Some(ruleset_hash_with_policies(
            rules.iter().map(|r| (r.meta.id, r.effective_severity)),
            policies
                .policies
                .iter()
                .filter(|p| rules.iter().any(|r| r.meta.id == p.meta.id))
                .map(|p| (p.meta.id, &*p.text)),
        )),
        policy: project.map(|p| PolicyFile {
            path: p.display.clone(),
            sha256: p.sha256.clone(),
        }),
        level,
    };
    let report = Report {
        tool_version: env!("CARGO_PKG_VERSION"),
        inputs,
        rules,
        results,
        diagnostics,
        criteria: controls.criteria.clone(),
        stats: ScanStats {
            files: read.files,
            resources: read.resources,
        },
        evidence,
        baseline: None,
        coverage: model.coverage.entries().collect(),
        unmodelled: model.unmodelled.clone(),
    };
    Ok(report)
}

/// The custom policies of a scan: the project policy's `policies` and `--policies`,
/// with the time limit of `--policy-timeout`, else `policy_timeout`, and the memory
/// limit of `--policy-memory`, else `policy_memory`.
pub fn load_policies(config: &ScanConfig) -> Result<soc2scan_policies::PolicySet> {
    let project = config.project.as_ref();
    let limit = soc2scan_policies::Limits {
        time: config
            .policy_timeout
            .or_else(|| project.and_then(|p| p.policy_timeout))
            .unwrap_or(soc2scan_policies::DEFAULT_TIME_LIMIT),
        memory: config
            .policy_memory
            .or_else(|| project.and_then(|p| p.policy_memory))
            .unwrap_or(soc2scan_policies::DEFAULT_MEMORY_LIMIT),
    };
    let mut set = match project {
        Some(p) => (*p.policies).clone(),
        None => soc2scan_policies::PolicySet::empty(),
    };
    let controls = Controls::embedded()?;
    let extra = soc2scan_policies::PolicySet::load(
        &config.policies,
        &controls,
        &|id| rules::find(id).is_some(),
        limit,
    )
    .and_then(|more| set.extend(more))
    .map_err(|e| crate::error::Error::Policy(e.to_string()));
    extra?;
    set.limits = limit;
    Ok(set)
}

/// Reads every source of `config` into one model, sets the instant rules measure ages
/// against, and resolves the links between resources. What `soc2scan model` prints.
pub fn read_sources(config: &ScanConfig) -> Result<SourceRead> {
    // The instant rules measure ages against (see `Model::now`). The clock, not
    // `SOURCE_DATE_EPOCH`: a fixed past time would understate the age of credentials. A
    // recorded model document keeps the instant it was read at.
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64);
    // `-` is standard input: a YAML stream of Kubernetes manifests (`helm template … | soc2scan scan -`).
    let (stdin_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) = config
        .paths
        .iter()
        .cloned()
        .partition(|p| k8s_manifest::is_stdin(p));
    let stdin = if stdin_paths.is_empty() {
        None
    } else {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|source| {
            crate::error::Error::Read {
                path: PathBuf::from("-"),
                source,
            }
        })?;
        Some(text)
    };
    let (files, mut diagnostics) = discover::discover_all(&paths)?;
    // Finding identities are anchored to the repository root (the git top level, else
    // the first scanned path), never to the directory soc2scan runs from.
    let mut terraform = config.terraform.clone();
    if terraform.identity_root.is_none() {
        terraform.identity_root = paths.first().and_then(|p| evidence::identity_root(p));
    }
    let input = SourceInput {
        files: &files,
        stdin: stdin.as_deref(),
    };
    let mut read = SourceRead::default();
    for source in crate::sources::list(config, &terraform)? {
        read.extend(source.read(&input)?);
    }
    diagnostics.append(&mut read.diagnostics);
    let mut inputs: Vec<String> = config
        .paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    inputs.append(&mut read.inputs);
    let summary = read.summary.take();
    let mut model = read.model;
    model.now = model.now.or(started);
    // Links between resources (a user's groups, a database's parameter group) are
    // resolved once, over every source, within each account, region or root module.
    model.link();
    Ok(SourceRead {
        model,
        diagnostics,
        inputs,
        files: read.files,
        resources: read.resources,
        summary,
    })
}
