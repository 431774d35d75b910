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
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory that is
/// renamed into place, so a failed run never leaves a partial report behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
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
