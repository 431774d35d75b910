//! Command-line interface: clap definitions and the subcommands `scan`, `baseline`,
//! `model`, `merge`, `drift`, `rules`, `explain`, `controls` and `evidence`.

mod args;
mod drift;
mod evidence;
mod output;
mod policy;

pub use args::{
    Cli, Command, ControlsFormat, DiffFormat, DriftArgs, EvidenceCommand, MergeArgs, OutputFormat,
    PeriodFormat, PolicyCommand, RulesFormat, ScanArgs,
};

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::engine::{self, Selection};
use crate::finding::Severity;
use crate::scan::{scan_detailed, ScanConfig};
use crate::{adapt::terraform::TfOptions, report, rules};

/// Exit code: no failing finding at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: failing findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the scan could not run.
pub const EXIT_ERROR: u8 = 2;

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Baseline(args) => run_scan(ScanArgs {
            record_baseline: true,
            ..args
        }),
        Command::Model(args) => run_scan(ScanArgs {
            print_model: true,
            ..args
        }),
        Command::Merge(args) => run_merge(args),
        Command::Drift(args) => drift::run(args),
        Command::Rules { format, policies } => run_rules(format, &policies).map(|_| EXIT_OK),
        Command::Explain { rule, policies } => run_explain(&rule, &policies),
        Command::Policy(cmd) => policy::run(cmd),
        Command::Controls { format, policies } => run_controls(format, &policies).map(|_| EXIT_OK),
        Command::Evidence(cmd) => evidence::run(cmd),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("soc2scan: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run_scan(args: ScanArgs) -> Result<u8> {
    if args.schema {
        if !args.print_model {
            anyhow::bail!("--schema is an option of `soc2scan model`");
        }
        let schema = crate::model_document::schema_json();
        match &args.output {
            Some(path) => output::write_atomically(path, schema.as_bytes())?,
            None => output::write_stdout(schema.as_bytes())?,
        }
        return Ok(EXIT_OK);
    }
    #[cfg(feature = "aws")]
    let live = args.aws.aws;
    #[cfg(not(feature = "aws"))]
    let live = false;
    // `--kubernetes` or `--aws` alone scans only the live targets.
    let paths = if args.paths.is_empty() && !args.kubernetes && !live {
        vec![std::path::PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let project = if args.no_config {
        None
    } else {
        let file = match &args.config {
            Some(p) => Some(p.clone()),
            None => paths
                .first()
                .cloned()
                .or_else(|| args.kubernetes.then(|| std::path::PathBuf::from(".")))
                .and_then(|p| crate::config::discover(&p)),
        };
        file.map(|p| crate::config::ProjectConfig::load(&p))
            .transpose()?
    };
    // Explicit files and --changed-since narrow what is reported (see crate::diff).
    let narrowing = crate::diff::Narrowing::plan(&paths, args.changed_since.as_deref())?;
    let paths = narrowing.scan_paths(paths);
    let config = ScanConfig {
        paths,
        terraform: TfOptions {
            var_files: args.var_files.clone(),
            vars: args.vars.clone(),
            identity_root: None,
        },
        selection: Selection {
            select: split_list(&args.select),
            ignore: split_list(&args.ignore),
        },
        level: args.level,
        settings: Default::default(),
        today: None,
        project,
        record_git: true,
        kubernetes: args.kubernetes.then(|| crate::adapt::k8s::LiveOptions {
            context: args.context.clone(),
            namespace: args.namespace.clone(),
        }),
        #[cfg(feature = "aws")]
        aws: args.aws.aws.then(|| aws_options(&args.aws, args.quiet)),
        policies: args.policies.clone(),
        policy_timeout: args.policy_timeout.map(std::time::Duration::from_secs),
        policy_memory: args.policy_memory.map(|mib| mib << 20),
    };
    if args.print_model {
        let read = crate::scan::read_sources(&config)?;
        for d in &read.diagnostics {
            eprintln!("soc2scan: {d}");
        }
        let doc = crate::model_document::to_json(&read.model);
        match &args.output {
            Some(path) => output::write_atomically(path, doc.as_bytes())?,
            None => output::write_stdout(doc.as_bytes())?,
        }
        return Ok(EXIT_OK);
    }
    let (mut report, extras) = scan_detailed(&config)?;
    if let (true, Some(summary)) = (live && !args.quiet, &extras.summary) {
        eprintln!("soc2scan: {summary}");
    }
    narrowing.apply(&mut report);
    if let (false, Some(store)) = (args.record_baseline, &args.record) {
        // The full report, before a baseline takes known findings out of it.
        let retention = config
            .project
            .as_ref()
            .and_then(|p| p.evidence.retention_days);
        evidence::record_report(
            &report,
            store,
            args.record_target.clone(),
            retention,
            args.quiet,
        )?;
    }
    if args.record_baseline {
        return output::write_baseline(&report, args.output.as_deref());
    }
    if let Some(file) = &args.baseline {
        let known = crate::baseline::Baseline::load(file)?;
        if let (false, Some(note)) = (args.quiet, known.legacy_note(file)) {
            eprintln!("soc2scan: warning: {note}");
        }
        let shown = file.display().to_string();
        crate::baseline::apply(&mut report, &known, &shown, |f| narrowing.in_scope(f));
    }
    emit(
        &report,
        &Emit {
            format: args.format,
            output: args.output.as_deref(),
            category: args.category.as_deref(),
            no_color: args.no_color,
            quiet: args.quiet,
            fail_on: args.fail_on,
        },
    )
}

/// How `scan`, `merge` and `drift` hand a finished report over.
struct Emit<'a> {
    format: OutputFormat,
    output: Option<&'a std::path::Path>,
    category: Option<&'a str>,
    no_color: bool,
    quiet: bool,
    fail_on: Severity,
}

/// Renders `report`, writes it to the output file (atomically) or stdout, repeats the
/// summary on stderr when it went to a file, and returns the exit code of `--fail-on`.
fn emit(report: &report::Report, e: &Emit) -> Result<u8> {
    let color = !e.no_color
        && e.output.is_none()
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal();
    let rendered = output::render_scan(report, e.format, e.category, color, e.quiet);
    match e.output {
        Some(path) => output::write_atomically(path, rendered.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => output::write_stdout(rendered.as_bytes())?,
    }
    if e.output.is_some() && !e.quiet {
        // Keep people informed when the report went to a file.
        let text = report::text::render(
            report,
            &report::text::TextOptions {
                color: false,
                quiet: true,
                source_root: None,
            },
        );
        eprint!("{text}");
        if let Some(line) = crate::baseline::summary_line(report) {
            eprintln!("{line}");
        }
    }
    let failing = engine::has_failures_at(&report.results, e.fail_on, |id| report.severity_of(id));
    Ok(if failing { EXIT_FINDINGS } else { EXIT_OK })
}

/// `soc2scan merge`: reads every report (all of them, before anything is written),
/// merges them and emits the result as `scan` would.
fn run_merge(args: MergeArgs) -> Result<u8> {
    let parts = args
        .files
        .iter()
        .map(|f| crate::merge::load(f))
        .collect::<Result<Vec<_>, _>>()?;
    let report = crate::merge::merge(parts)?;
    emit(
        &report,
        &Emit {
            format: args.format,
            output: args.output.as_deref(),
            category: args.category.as_deref(),
            no_color: args.no_color,
            quiet: args.quiet,
            fail_on: args.fail_on,
        },
    )
}

/// The live-scan options of `--aws` (`scan`, `drift`).
#[cfg(feature = "aws")]
fn aws_options(a: &args::AwsArgs, quiet: bool) -> crate::adapt::aws_live::AwsOptions {
    let max = a.max_concurrency as usize;
    crate::adapt::aws_live::AwsOptions {
        profile: a.profile.clone(),
        regions: a.regions.clone(),
        all_regions: a.all_regions,
        assume_roles: a.assume_roles.clone(),
        external_id: a.external_id.clone(),
        accounts_file: a.accounts_file.clone(),
        shard: a.shard,
        max_concurrency: max,
        per_service_region: max.min(8),
        call_timeout: std::time::Duration::from_secs(a.call_timeout),
        progress: !quiet,
        ..Default::default()
    }
}

/// Splits repeated, comma-separated selector arguments.
fn split_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn run_rules(format: RulesFormat, policy_dirs: &[std::path::PathBuf]) -> Result<()> {
    let (controls, all) = policy::listing(policy_dirs)?;
    let text = match format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "id": m.id,
                        "slug": m.slug,
                        "title": m.title,
                        "severity": m.severity,
                        "family": m.family,
                        "criteria": controls.criteria_of(m.id),
                        "level": controls.level_of(m.id),
                        "level_reason": controls.mapping.get(m.id).and_then(|x| x.level_reason.as_deref()),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        RulesFormat::Text => {
            let mut s = String::new();
            for r in &all {
                let m = r.meta();
                s.push_str(&format!(
                    "{:<12} {:<9} {:<8} {:<22} {:<40} {}\n    {}\n",
                    m.id,
                    m.severity.as_str(),
                    controls.level_of(m.id).as_str(),
                    m.family.slug(),
                    m.slug,
                    controls.criteria_of(m.id).join(", "),
                    m.title
                ));
            }
            s
        }
    };
    output::write_stdout(text.as_bytes())
}

fn run_explain(rule: &str, policy_dirs: &[std::path::PathBuf]) -> Result<u8> {
    let (controls, all) = policy::listing(policy_dirs)?;
    let found = rules::find(rule).or_else(|| {
        all.iter()
            .copied()
            .find(|r| r.meta().id.eq_ignore_ascii_case(rule) || r.meta().slug == rule)
    });
    let Some(r) = found else {
        anyhow::bail!("no rule {rule:?} (see `soc2scan rules`)");
    };
    let m = r.meta();
    let mapping = controls.mapping.get(m.id);
    let text = format!(
        "# {} {}: {}\n\nSeverity: {} · Family: {} · SOC 2: {}\n{}{}\n{}",
        m.id,
        m.slug,
        m.title,
        m.severity,
        m.family,
        controls.criteria_of(m.id).join(", "),
        crate::docs::level_line(mapping),
        mapping
            .map(|x| format!("Mapping rationale: {}\n", x.rationale))
            .unwrap_or_default(),
        m.documentation()
    );
    output::write_stdout(text.as_bytes())?;
    Ok(EXIT_OK)
}

fn run_controls(format: ControlsFormat, policy_dirs: &[std::path::PathBuf]) -> Result<()> {
    let (controls, all) = policy::listing(policy_dirs)?;
    let coverage = report::controls::CoverageMatrix::build(&controls, &all);
    let text = match format {
        ControlsFormat::Markdown => report::controls::render_coverage(&coverage),
        ControlsFormat::Json => report::controls::coverage_json(&coverage),
    };
    output::write_stdout(text.as_bytes())
}

/// The severity threshold names, for help text.
pub fn severity_names() -> Vec<&'static str> {
    Severity::ALL.iter().map(|s| s.as_str()).collect()
}
