//! `soc2scan drift`: Terraform (sources or states) against live AWS, see [`crate::drift`].

use anyhow::Result;

use super::args::DriftArgs;

/// Runs `soc2scan drift` and returns the exit code.
pub fn run(args: DriftArgs) -> Result<u8> {
    #[cfg(feature = "aws")]
    {
        run_live(args)
    }
    #[cfg(not(feature = "aws"))]
    {
        let _ = args;
        Err(crate::error::Error::NotBuilt("aws").into())
    }
}

#[cfg(feature = "aws")]
fn run_live(args: DriftArgs) -> Result<u8> {
    use super::{emit, Emit};
    use crate::adapt::terraform::TfOptions;
    use crate::controls::Controls;
    use crate::drift::{self, CompareOptions, LoadedState};
    use crate::engine::Selection;
    use crate::model::Model;
    use crate::scan::{read_sources, report_of, ScanConfig, ScanExtras};
    use crate::source::SourceRead;

    if !args.aws.aws {
        anyhow::bail!(
            "drift compares with the live accounts: pass --aws (with the options of `scan --aws`)"
        );
    }
    let project = if args.no_config {
        None
    } else {
        let start = args
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| std::path::PathBuf::from("."));
        args.config
            .clone()
            .or_else(|| crate::config::discover(&start))
            .map(|p| crate::config::ProjectConfig::load(&p))
            .transpose()?
    };
    let aws = super::aws_options(&args.aws, args.quiet);
    // Every state first: one that cannot be read stops the run before anything is
    // written.
    let mut states: Vec<LoadedState> = Vec::new();
    for spec in &args.states {
        let loaded = if spec.starts_with("s3://") {
            let bytes = soc2scan_aws::state_object::fetch(
                spec,
                aws.profile.as_deref(),
                aws.regions.first().map(String::as_str),
            )
            .map_err(|e| anyhow::anyhow!("{spec}: cannot read the Terraform state from S3: {e}"))?;
            drift::from_bytes(spec.clone(), None, bytes)?
        } else {
            drift::load_file(std::path::Path::new(spec))?
        };
        // Parse now, so that a broken state is an error naming it.
        soc2scan_terraform::tfplan::state::parse(&loaded.text, &loaded.name)?;
        states.push(loaded);
    }
    let terraform = TfOptions {
        var_files: args.var_files.clone(),
        vars: args.vars.clone(),
        identity_root: None,
    };
    let config = ScanConfig {
        paths: args.paths.clone(),
        terraform,
        selection: Selection {
            select: vec!["DRIFT".into()],
            ignore: vec![],
        },
        project,
        record_git: !args.paths.is_empty(),
        ..Default::default()
    };
    // The declared side: the sources, and the states no source declares.
    let (mut declared, diagnostics) = if args.paths.is_empty() {
        (Model::default(), Vec::new())
    } else {
        let read = read_sources(&config)?;
        (read.model, read.diagnostics)
    };
    let (from_states, identities) = drift::read_states(&states, &declared)?;
    declared.extend(from_states);
    declared.link();
    // The live side, as `scan --aws` reads it.
    let live_config = ScanConfig {
        aws: Some(aws),
        ..Default::default()
    };
    let live = read_sources(&live_config)?;
    let controls = Controls::embedded()?;
    let allow = config
        .project
        .as_ref()
        .map(|p| p.drift.unmanaged_allow.clone())
        .unwrap_or_default();
    let opts = CompareOptions::from_rules(&controls, allow);
    let drift = drift::compare(&declared, &identities, &live.model, &opts);
    let mut model = Model {
        drift,
        ..Model::default()
    };
    model.coverage = live.model.coverage.clone();
    let mut inputs: Vec<String> = args
        .paths
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    inputs.extend(states.iter().map(|s| s.name.clone()));
    inputs.extend(live.inputs.iter().cloned());
    let mut all_diagnostics = diagnostics;
    all_diagnostics.extend(live.diagnostics.iter().cloned());
    let read = SourceRead {
        model,
        diagnostics: all_diagnostics,
        inputs,
        files: states.len(),
        resources: identities.len(),
        summary: live.summary.clone(),
    };
    let level = crate::level::Level::default();
    let selected = config
        .selection
        .apply(crate::rules::all(), &controls, level)?;
    let mut extras = ScanExtras::default();
    let report = report_of(
        &config,
        read,
        &controls,
        &selected,
        &soc2scan_policies::PolicySet::empty(),
        level,
        &mut extras,
    )?;
    if let (false, Some(summary)) = (args.quiet, &live.summary) {
        eprintln!("soc2scan: {summary}");
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
