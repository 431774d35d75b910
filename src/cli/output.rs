//! Rendering and writing reports: stdout, or a file written atomically.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::OutputFormat;
use crate::report::{self, Report};

/// Renders `report` in `format`.
pub fn render(report: &Report, format: OutputFormat, color: bool, quiet: bool) -> String {
    match format {
        OutputFormat::Text => report::text::render(
            report,
            &report::text::TextOptions {
                color,
                quiet,
                source_root: None,
            },
        ),
        OutputFormat::Json => report::json::render(report),
        OutputFormat::Sarif => {
            report::sarif::render(report, &report::sarif::SarifOptions::default())
        }
        OutputFormat::Controls => report::controls::render(report),
        OutputFormat::Junit => report::junit::render(report),
        OutputFormat::Gitlab => report::gitlab::render(report),
        OutputFormat::Markdown => report::markdown::render(report),
        OutputFormat::Github => report::github::render(report),
    }
}

/// Renders the report of `scan` or `merge` as their options ask: [`render`], with the
/// SARIF category and, in text, the baseline line.
pub fn render_scan(
    report: &Report,
    format: OutputFormat,
    category: Option<&str>,
    color: bool,
    quiet: bool,
) -> String {
    match format {
        OutputFormat::Sarif if category.is_some() => report::sarif::render(
            report,
            &report::sarif::SarifOptions {
                category: category.map(str::to_string),
                ..Default::default()
            },
        ),
        OutputFormat::Text => {
            let mut s = render(report, format, color, quiet);
            if let Some(line) = crate::baseline::summary_line(report) {
                s.push_str(&line);
                s.push('\n');
            }
            s
        }
        format => render(report, format, color, quiet),
    }
}

/// Writes the baseline of `report` to `path` (default `.soc2scan-baseline.json`) and
/// says so on stderr; exit code 0.
pub fn write_baseline(report: &Report, path: Option<&Path>) -> Result<u8> {
    let path = path.unwrap_or(Path::new(crate::baseline::DEFAULT_FILE));
    let baseline = crate::baseline::Baseline::from_report(report);
    write_atomically(path, baseline.to_json().as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "soc2scan: recorded {} finding{} in {}",
        baseline.findings.len(),
        if baseline.findings.len() == 1 {
            ""
        } else {
            "s"
        },
        path.display()
    );
    Ok(super::EXIT_OK)
}

/// Writes `bytes` to `path` through a temporary file in the same directory that is
/// renamed into place, so a failed run never leaves a partial report behind. A path
/// that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is
/// written to directly: renaming over it would replace the device or pipe.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("opening {}", path.display()))?;
            f.write_all(bytes)?;
            return Ok(());
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".soc2scan-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("renaming into {}", path.display()))?;
    Ok(())
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
