//! `soc2scan evidence …` and `scan --record`: the CLI edge of the evidence store.

use std::path::Path;

use anyhow::{Context, Result};

use super::args::{DiffFormat, EvidenceCommand, PeriodFormat};
use super::{output, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::evidence_store::{self as store, period, record, verify};
use crate::report::Report;

/// Runs one `evidence` subcommand and returns the exit code.
pub fn run(cmd: EvidenceCommand) -> Result<u8> {
    match cmd {
        EvidenceCommand::Record {
            file,
            store,
            target,
            config,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            // A report of this soc2scan, complete and well-formed: the same check as `merge`.
            crate::report::json::parse(&text)
                .with_context(|| format!("{} is not a soc2scan JSON report", file.display()))?;
            let retention = match &config {
                Some(p) => {
                    crate::config::ProjectConfig::load(p)?
                        .evidence
                        .retention_days
                }
                None => None,
            };
            let shown = file.display().to_string();
            let done = record_json(
                &text,
                &shown,
                &store,
                target,
                crate::evidence::scan_time(),
                retention,
            )?;
            print_recorded(&done);
            Ok(EXIT_OK)
        }
        EvidenceCommand::Verify { store } => {
            let s = store::store::open(&store)?;
            let v = verify::verify(s.as_ref())?;
            let mut out = String::new();
            for p in &v.problems {
                out.push_str(&format!("{}: {} {}\n", p.kind.label(), p.key, p.message));
            }
            let targets: std::collections::BTreeSet<&str> =
                v.intact_objects().map(|(_, h)| h.target.as_str()).collect();
            out.push_str(&format!(
                "{}: {} objects of {} targets, {} problems: {}\n",
                s.describe(),
                v.objects.len(),
                targets.len(),
                v.problems.len(),
                if v.intact() { "intact" } else { "NOT intact" }
            ));
            output::write_stdout(out.as_bytes())?;
            Ok(if v.intact() { EXIT_OK } else { EXIT_ERROR })
        }
        EvidenceCommand::Diff {
            store,
            targets,
            format,
            fail_on,
            output: file,
        } => {
            let s = store::store::open(&store)?;
            let v = verify::verify(s.as_ref())?;
            for p in &v.problems {
                eprintln!(
                    "soc2scan: warning: {} {}: {} (left out)",
                    p.kind.label(),
                    p.key,
                    p.message
                );
            }
            let d = store::diff::diff(&v, &targets)?;
            let text = match format {
                DiffFormat::Text => store::diff::render_text(&d),
                DiffFormat::Markdown => store::diff::render_markdown(&d),
                DiffFormat::Json => store::diff::to_json(&d),
            };
            write(file.as_deref(), &text)?;
            Ok(if d.has_new_at(fail_on.as_str()) {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            })
        }
        EvidenceCommand::Report {
            store,
            from,
            to,
            targets,
            format,
            output: file,
            config,
        } => {
            let from = store::day::parse(&from).context("--from")?;
            let to = store::day::parse(&to).context("--to")?;
            let policy = match config {
                Some(p) => Some(crate::config::ProjectConfig::load(&p)?),
                None => crate::config::discover(Path::new("."))
                    .map(|p| crate::config::ProjectConfig::load(&p))
                    .transpose()?,
            };
            let sla = policy.map(|p| p.evidence.sla).unwrap_or_default();
            let s = store::store::open(&store)?;
            let v = verify::verify(s.as_ref())?;
            let index = store::index::Index::open(&s.index_dir(), &v)?;
            let r = period::build(
                &v,
                &index,
                &period::Options {
                    from,
                    to,
                    targets,
                    sla,
                    store: s.describe(),
                },
            )?;
            let text = match format {
                PeriodFormat::Html => period::render_html(&r),
                PeriodFormat::Markdown => period::render_markdown(&r),
                PeriodFormat::Json => period::to_json(&r),
                PeriodFormat::Csv => period::render_csv(&r),
                PeriodFormat::ExceptionsCsv => period::render_exceptions_csv(&r),
            };
            write(file.as_deref(), &text)?;
            if !r.integrity.chain_verified {
                eprintln!(
                    "soc2scan: warning: the store did not verify ({} problems); the report's \
                     integrity section lists them",
                    r.integrity.problems.len()
                );
            }
            Ok(EXIT_OK)
        }
    }
}

/// Writes `text` to `file` atomically, or to stdout.
fn write(file: Option<&Path>, text: &str) -> Result<()> {
    match file {
        Some(p) => output::write_atomically(p, text.as_bytes())
            .with_context(|| format!("writing {}", p.display())),
        None => output::write_stdout(text.as_bytes()),
    }
}

fn record_json(
    text: &str,
    file: &str,
    store: &str,
    target: Option<String>,
    scan_time: String,
    retention_days: Option<u32>,
) -> Result<record::Recorded> {
    let s = store::store::open(store)?;
    let done = record::record(
        s.as_ref(),
        &record::Request {
            report_json: text,
            file,
            target,
            scan_time,
            retention: retention_days.map(|days| store::store::Retention { days }),
        },
    )?;
    Ok(done)
}

fn print_recorded(r: &record::Recorded) {
    eprintln!(
        "soc2scan: recorded {} ({}) for target {:?}{}",
        r.key,
        r.hash,
        r.target,
        match &r.previous {
            Some(p) => format!(", after {p}"),
            None => ", the target's first".to_string(),
        }
    );
}

/// `scan --record STORE`: keeps the scan's full JSON report as an evidence object.
pub fn record_report(
    report: &Report,
    store: &str,
    target: Option<String>,
    retention_days: Option<u32>,
    quiet: bool,
) -> Result<()> {
    let text = crate::report::json::render(report);
    let scan_time = report
        .evidence
        .scan_time
        .clone()
        .unwrap_or_else(crate::evidence::scan_time);
    let done = record_json(&text, "scan", store, target, scan_time, retention_days)?;
    if !quiet {
        print_recorded(&done);
    }
    Ok(())
}
