//! Benchmark: wall time and peak memory of a full scan and of parsing alone, over the
//! shared corpus and its individual repositories. Run with `cargo bench --bench scan`
//! (or `scripts/bench`). Each measurement runs in a fresh child process so that peak
//! memory (VmHWM) belongs to that measurement alone.
//!
//! Usage: `cargo bench --bench scan [-- MODE DIR]` where MODE is `parse` or `scan`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rayon::prelude::*;

const RUNS: usize = 5;

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/terraform"
    ))
}

/// Peak resident set size of this process in MiB (Linux), if available.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Parses every `.tf` file under `dir` with hcl-edit in parallel; returns (files, failures).
fn parse_only(dir: &Path) -> (usize, usize) {
    let files = soc2scan::discover::discover(&[dir.to_path_buf()]).expect("discover");
    let failures = files
        .par_iter()
        .filter(|f| f.kind == soc2scan::discover::FileKind::Terraform)
        .filter(|f| {
            let text = std::fs::read_to_string(&f.path).unwrap_or_default();
            hcl_edit::parser::parse_body(&text).is_err()
        })
        .count();
    (files.len(), failures)
}

fn full_scan(dir: &Path) -> (usize, usize, usize) {
    let report = soc2scan::scan::scan(&soc2scan::scan::ScanConfig {
        paths: vec![dir.to_path_buf()],
        ..Default::default()
    })
    .expect("scan");
    (
        report.stats.files,
        report.stats.resources,
        report.active_findings().count(),
    )
}

/// Child mode: time RUNS repetitions of one measurement, print one line.
fn child(mode: &str, dir: &Path) {
    let mut times = Vec::new();
    let mut what = String::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        what = match mode {
            "parse" => {
                let (files, failures) = parse_only(dir);
                format!("files={files} parse_failures={failures}")
            }
            _ => {
                let (files, resources, findings) = full_scan(dir);
                format!("files={files} resources={resources} findings={findings}")
            }
        };
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{mode:<5} {:<28} median={:>8.1} ms  best={:>8.1} ms  peak_rss={:>6.1} MiB  {what}",
        dir.file_name().unwrap_or_default().to_string_lossy(),
        times[RUNS / 2],
        times[0],
        peak_rss_mib().unwrap_or(f64::NAN),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without
    // it, in a debug build: then only check once that the benchmark's scan works.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if !benchmarking && args.is_empty() {
        let (files, resources, _) = full_scan(&corpus().join("terragoat"));
        assert!(
            files > 0 && resources > 0,
            "the benchmark scan found nothing"
        );
        println!("benchmark smoke run: {files} files, {resources} resources (run `cargo bench` to measure)");
        return;
    }
    if args.len() == 2 {
        child(&args[0], Path::new(&args[1]));
        return;
    }
    let root = corpus();
    if !root.is_dir() {
        eprintln!(
            "{} not found: ../shared must sit beside the checkout",
            root.display()
        );
        std::process::exit(2);
    }
    let mut targets = vec![root.clone()];
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    targets.extend(subdirs);
    let exe = std::env::current_exe().expect("own path");
    println!(
        "soc2scan benchmark: {} threads, {RUNS} runs each (median, best), release build",
        rayon::current_num_threads()
    );
    for dir in &targets {
        for mode in ["parse", "scan"] {
            let status = Command::new(&exe).arg(mode).arg(dir).status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("{mode} {} failed", dir.display());
            }
        }
    }
}
