//! Robustness: the whole pipeline over every Terraform input of the shared corpus
//! (real-world modules and vulnerable-by-design code) must finish without a panic or
//! an abort, and report the files it cannot parse with file and line.

use std::path::PathBuf;

use soc2scan::diagnostic::DiagKind;
use soc2scan::scan::{scan, ScanConfig};

fn corpus() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/terraform"
    ))
}

#[test]
fn whole_corpus_scans_without_abort() {
    let root = corpus();
    assert!(
        root.is_dir(),
        "{} is missing: ../shared must sit beside the checkout",
        root.display()
    );
    let report = scan(&ScanConfig {
        paths: vec![root],
        ..Default::default()
    })
    .expect("the corpus scan runs");
    assert!(report.stats.files > 3000, "{} files", report.stats.files);
    assert!(
        report.stats.resources > 1500,
        "{} resources",
        report.stats.resources
    );
    // The one file hcl-edit rejects is reported with its line, and the scan went on.
    let parse_errors: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::ParseError)
        .collect();
    let fabric = parse_errors
        .iter()
        .find(|d| {
            d.file
                .as_ref()
                .is_some_and(|f| f.as_str().ends_with("modules/cloudsql-instance/main.tf"))
        })
        .expect("cloudsql-instance/main.tf is reported as a parse error");
    assert!(fabric.line.is_some_and(|l| l > 1), "{fabric}");
    // Every diagnostic that names a file names it relative, with a line when it is a parse error.
    for d in &parse_errors {
        assert!(d.line.is_some(), "{d}");
    }
    // The vulnerable-by-design repository produces findings of several families.
    let terragoat: std::collections::BTreeSet<_> = report
        .active_findings()
        .filter(|f| f.location.file().is_some_and(|p| p.contains("terragoat")))
        .map(|f| f.rule_id)
        .collect();
    assert!(terragoat.len() >= 8, "terragoat findings: {terragoat:?}");
}
