//! The `soc2scan` binary: parses the command line and maps the result to an exit code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    soc2scan::cli::run(soc2scan::cli::Cli::parse())
}
