//! `soc2scan policy test DIR` and `soc2scan policy new NAME`, and the custom policies
//! that `rules` and `explain` list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{PolicyCommand, EXIT_FINDINGS, EXIT_OK};
use crate::controls::Controls;
use crate::engine::Selection;
use crate::finding::Outcome;
use crate::rules::{self, Rule};
use crate::scan::{scan, ScanConfig};

/// Runs a `policy` subcommand.
pub fn run(cmd: PolicyCommand) -> Result<u8> {
    match cmd {
        PolicyCommand::Test { dir } => test(&dir),
        PolicyCommand::New { name, dir } => new(&name, &dir).map(|_| EXIT_OK),
    }
}

/// The controls and every rule for a listing: the built-in rules, the policies of
/// `.soc2scan.toml` found from the current directory and those of `dirs`.
pub fn listing(dirs: &[PathBuf]) -> Result<(Controls, Vec<&'static dyn Rule>)> {
    let project = crate::config::discover(Path::new("."))
        .map(|p| crate::config::ProjectConfig::load(&p))
        .transpose()?;
    let set = crate::scan::load_policies(&ScanConfig {
        project,
        policies: dirs.to_vec(),
        ..Default::default()
    })?;
    let mut controls = Controls::embedded()?;
    set.register(&mut controls);
    let mut all = rules::all();
    all.extend(set.rules());
    all.sort_by_key(|r| r.meta().id);
    Ok((controls, all))
}

/// One expected or reported result of a fixture: (file relative to the fixture
/// directory, line, kind).
type Mark = (String, u32, &'static str);

/// The resources of a fixture's model documents: address → (file, line of its
/// `"address"`).
type Addresses = std::collections::HashMap<String, (String, u32)>;

/// Files under `dir`, recursively, with their path relative to `base`.
fn files_under(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, base, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.push((path, rel));
        }
    }
    Ok(())
}

/// The `# expect: ID` / `# expect-not-evaluated: ID` markers of policy `id` in the
/// fixture directory, and the line of every `"address"` of its model documents.
fn markers(dir: &Path, id: &str) -> Result<(BTreeSet<Mark>, Addresses)> {
    let mut files = Vec::new();
    files_under(dir, dir, &mut files)?;
    let mut out = BTreeSet::new();
    let mut addresses = std::collections::HashMap::new();
    for (path, rel) in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let n = (i + 1) as u32;
            for (tag, kind) in [
                ("expect-not-evaluated:", "not-evaluated"),
                ("expect:", "fail"),
            ] {
                let Some(pos) = line.find(tag) else { continue };
                if kind == "fail" && line.contains("expect-not-evaluated:") {
                    continue;
                }
                let named = line[pos + tag.len()..]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .any(|w| w == id);
                if named {
                    out.insert((rel.clone(), n, kind));
                }
            }
            if rel.ends_with(".model.json") {
                if let Some((_, rest)) = line.split_once("\"address\": \"") {
                    if let Some((address, _)) = rest.split_once('"') {
                        addresses
                            .entry(address.to_string())
                            .or_insert_with(|| (rel.clone(), n));
                    }
                }
            }
        }
    }
    Ok((out, addresses))
}

/// Checks one policy against its fixture directory; the problems found.
fn check_fixtures(policies: &Path, id: &str, fixtures: &Path) -> Result<Vec<String>> {
    let (expected, addresses) = markers(fixtures, id)?;
    let report = scan(&ScanConfig {
        paths: vec![fixtures.to_path_buf()],
        selection: Selection {
            select: vec![id.to_string()],
            ignore: vec![],
        },
        policies: vec![policies.to_path_buf()],
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let base = fixtures
        .canonicalize()
        .unwrap_or_else(|_| fixtures.to_path_buf());
    let mut actual = BTreeSet::new();
    let mut passes = 0;
    for r in report.results.iter().filter(|r| r.rule_id == id) {
        let located = r
            .location
            .file()
            .and_then(|f| Path::new(f).canonicalize().ok())
            .and_then(|f| {
                f.strip_prefix(&base)
                    .ok()
                    .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            });
        let (file, line) = match located {
            Some(rel) => (rel, r.location.line().unwrap_or(0)),
            None => addresses
                .get(&*r.resource)
                .cloned()
                .unwrap_or_else(|| (r.resource.to_string(), 0)),
        };
        let kind = match &r.outcome {
            Outcome::Fail { .. } if r.suppression.is_none() => "fail",
            Outcome::NotEvaluated { .. } => "not-evaluated",
            Outcome::Pass => {
                passes += 1;
                continue;
            }
            Outcome::Fail { .. } => continue,
        };
        actual.insert((file, line, kind));
    }
    let mut problems = Vec::new();
    for m in expected.difference(&actual) {
        problems.push(format!(
            "expected but not reported: {} {}:{}",
            m.2, m.0, m.1
        ));
    }
    for m in actual.difference(&expected) {
        problems.push(format!(
            "reported but not expected: {} {}:{}",
            m.2, m.0, m.1
        ));
    }
    if !expected.iter().any(|m| m.2 == "fail") {
        problems.push("no `# expect:` marker: a fixture must fail".into());
    }
    if passes == 0 {
        problems.push("no passing result: a fixture must pass".into());
    }
    for d in &report.diagnostics {
        if d.kind == crate::diagnostic::DiagKind::ParseError
            || d.kind == crate::diagnostic::DiagKind::Policy
        {
            problems.push(format!("diagnostic: {d}"));
        }
    }
    Ok(problems)
}

/// `soc2scan policy test DIR`.
fn test(dir: &Path) -> Result<u8> {
    let controls = Controls::embedded()?;
    let set = soc2scan_policies::PolicySet::load(
        &[dir.to_path_buf()],
        &controls,
        &|id| rules::find(id).is_some(),
        soc2scan_policies::Limits::default(),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    if set.is_empty() {
        anyhow::bail!("{}: no policy (*.rego) in this directory", dir.display());
    }
    let mut failed = 0;
    let mut out = String::new();
    for p in &set.policies {
        let stem = p
            .path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let fixtures = dir.join(stem);
        let problems = if fixtures.is_dir() {
            check_fixtures(dir, p.meta.id, &fixtures)?
        } else {
            vec![format!(
                "no fixtures: expected a directory {} with failing, passing and unknown cases",
                fixtures.display()
            )]
        };
        if problems.is_empty() {
            out.push_str(&format!(
                "ok    {} fixtures {}\n",
                p.meta.id,
                fixtures.display()
            ));
        } else {
            failed += 1;
            out.push_str(&format!(
                "FAIL  {} fixtures {}\n",
                p.meta.id,
                fixtures.display()
            ));
            for problem in problems {
                out.push_str(&format!("      {problem}\n"));
            }
        }
    }
    let tests =
        soc2scan_policies::tests::run_opa_tests(dir, &set).map_err(|e| anyhow::anyhow!("{e}"))?;
    for t in &tests {
        match &t.failure {
            None => out.push_str(&format!("ok    {} {}\n", t.file, t.name)),
            Some(why) => {
                failed += 1;
                out.push_str(&format!("FAIL  {} {}: {why}\n", t.file, t.name));
            }
        }
    }
    out.push_str(&format!(
        "{} policies, {} OPA tests, {failed} failed\n",
        set.policies.len(),
        tests.len()
    ));
    super::output::write_stdout(out.as_bytes())?;
    Ok(if failed == 0 { EXIT_OK } else { EXIT_FINDINGS })
}

const POLICY_TEMPLATE: &str = r#"# METADATA
# title: S3 buckets are versioned
# description: >-
#   Every S3 bucket has versioning enabled, so that an overwritten or deleted object
#   can be restored.
# custom:
#   id: CUSTOM-{ID}-001
#   severity: medium
#   family: backup
#   criteria: [A1.2]
#   remediation: >-
#     Add an aws_s3_bucket_versioning resource with status "Enabled" for the bucket.
package custom.{NAME}

import rego.v1

# One violation per bucket whose versioning is known to be off. soc2scan.known(v) is
# undefined for an unknown value: the bucket is then reported as not evaluated.
violation contains {
	"resource": b.meta,
	"attribute": b.versioning,
	"message": sprintf("bucket %s is not versioned", [b.meta.address]),
} if {
	some b in input.model.aws.s3_buckets
	soc2scan.known(b.versioning) == false
}
"#;

const TEST_TEMPLATE: &str = r#"package custom.{NAME}_test

import rego.v1

bucket(versioning) := {"meta": {"address": "aws_s3_bucket.b", "rtype": "aws_s3_bucket"}, "versioning": {"value": versioning, "origin": {"source": "scope", "scope": "t"}, "path": "versioning"}}

test_unversioned_bucket_violates if {
	count(data.custom.{NAME}.violation) == 1 with input as {"model": {"aws": {"s3_buckets": [bucket({"state": "defaulted", "value": false})]}}}
}

test_versioned_bucket_passes if {
	count(data.custom.{NAME}.violation) == 0 with input as {"model": {"aws": {"s3_buckets": [bucket({"state": "set", "value": true})]}}}
}
"#;

const FAIL_TEMPLATE: &str = r#"resource "aws_s3_bucket" "unversioned" { # expect: CUSTOM-{ID}-001
  bucket = "example-unversioned"
}
"#;

const PASS_TEMPLATE: &str = r#"resource "aws_s3_bucket" "versioned" {
  bucket = "example-versioned"
}

resource "aws_s3_bucket_versioning" "versioned" {
  bucket = aws_s3_bucket.versioned.id
  versioning_configuration {
    status = "Enabled"
  }
}
"#;

const UNKNOWN_TEMPLATE: &str = r#"variable "versioning_status" {
  type = string
}

resource "aws_s3_bucket" "from_var" {
  bucket = "example-from-var"
}

resource "aws_s3_bucket_versioning" "from_var" {
  bucket = aws_s3_bucket.from_var.id
  versioning_configuration {
    status = var.versioning_status # expect-not-evaluated: CUSTOM-{ID}-001
  }
}
"#;

/// `soc2scan policy new NAME`.
fn new(name: &str, dir: &Path) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || !name.starts_with(|c: char| c.is_ascii_lowercase())
    {
        anyhow::bail!(
            "policy name {name:?}: lower-case letters, digits and '_', starting with a letter"
        );
    }
    let id = name.to_ascii_uppercase().replace('_', "-");
    let fill = |t: &str| t.replace("{ID}", &id).replace("{NAME}", name);
    let fixtures = dir.join(name);
    let files = [
        (dir.join(format!("{name}.rego")), fill(POLICY_TEMPLATE)),
        (dir.join(format!("{name}_test.rego")), fill(TEST_TEMPLATE)),
        (fixtures.join("fail.tf"), fill(FAIL_TEMPLATE)),
        (fixtures.join("pass.tf"), fill(PASS_TEMPLATE)),
        (fixtures.join("unknown.tf"), fill(UNKNOWN_TEMPLATE)),
    ];
    if let Some((existing, _)) = files.iter().find(|(p, _)| p.exists()) {
        anyhow::bail!("{} exists already; nothing was written", existing.display());
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    println!(
        "test it with: soc2scan policy test {}\nuse it with:  soc2scan scan --policies {} PATH",
        dir.display(),
        dir.display()
    );
    Ok(())
}
