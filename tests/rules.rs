//! The data-driven rule harness: every rule has `fixtures/rules/<slug>/` with a failing
//! and a passing input; `# expect: RULE-ID` marks the line of each expected finding and
//! `# expect-not-evaluated: RULE-ID` each expected not-evaluated result. The results of
//! the rules named in a fixture directory must match its markers exactly.
//!
//! All top-level files of a fixture directory form one module; a subdirectory (for
//! example `unknown/` for a case whose unknown value would affect the other files) is
//! a module of its own. Markers are matched by path relative to the fixture directory.
//!
//! The second form of a fixture is a model document (`<case>.model.json`, what
//! `soc2scan model` prints): the model as a source records it, for what only a live
//! source can hold (the root user's MFA, the age of an access key). Its resources are
//! located by ARN; a marker sits on the line of the resource's `"address"`, in a `"//"`
//! member (JSON has no comments). Every rule fixture also passes through that form:
//! its model, written as a document and scanned again, gives the same results.
//!
//! A rule that only a live source can exercise has `fixtures/rules/<slug>/LIVE.md` and
//! `fail`/`pass`/`unknown` model documents: the note says why, and names the live tests
//! that give the rule a failing and a passing case against an emulated account; every
//! file it names must exist and mention the rule's id. Configuration files next to it
//! are still scanned against their markers (none: the source gives no result).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use soc2scan::controls::Controls;
use soc2scan::engine::Selection;
use soc2scan::finding::Outcome;
use soc2scan::scan::{scan, ScanConfig};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expect {
    rule: String,
    file: String,
    line: u32,
    kind: &'static str,
}

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

/// The note of a live-only rule, when its fixture directory has one.
const LIVE_NOTE: &str = "LIVE.md";

/// Problems with the `LIVE.md` of rule `id`: the files it names (`tests/….rs`,
/// `src/….rs`) must exist and mention `id`, and one of them must be under `tests/`.
fn live_note_problems(id: &str, note: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(note).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let named: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || "`(),;".contains(c))
        .map(|w| w.trim_end_matches(['.', ':']))
        .filter(|w| {
            (w.starts_with("tests/") || w.starts_with("src/") || w.starts_with("crates/"))
                && w.ends_with(".rs")
        })
        .collect();
    let mut problems = Vec::new();
    if !named.iter().any(|w| w.starts_with("tests/")) {
        problems.push(format!("{id}: {} names no tests/*.rs file", note.display()));
    }
    for w in named {
        match std::fs::read_to_string(root.join(w)) {
            Ok(src) if src.contains(id) => {}
            Ok(_) => problems.push(format!(
                "{id}: {w}, named in {LIVE_NOTE}, does not mention {id}"
            )),
            Err(_) => problems.push(format!("{id}: {w}, named in {LIVE_NOTE}, does not exist")),
        }
    }
    problems
}

/// The resources of the model documents under `dir`: address → (file relative to
/// `dir`, line of its `"address"` member).
fn document_addresses(dir: &Path) -> std::collections::HashMap<String, (String, u32)> {
    let mut files = Vec::new();
    files_under(dir, dir, &mut files);
    let mut out = std::collections::HashMap::new();
    for (path, rel) in files {
        if !rel.ends_with(".model.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if let Some((_, rest)) = line.split_once("\"address\": \"") {
                if let Some((address, _)) = rest.split_once('"') {
                    out.entry(address.to_string())
                        .or_insert_with(|| (rel.clone(), (i + 1) as u32));
                }
            }
        }
    }
    out
}

/// Files under `dir`, recursively, as paths relative to it (`fail.tf`, `unknown/main.tf`).
fn files_under(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, base, out);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((path, rel));
        }
    }
}

fn markers(dir: &Path) -> BTreeSet<Expect> {
    let mut out = BTreeSet::new();
    let mut files = Vec::new();
    files_under(dir, dir, &mut files);
    for (path, file) in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            for (tag, kind) in [
                ("expect-not-evaluated:", "not-evaluated"),
                ("expect:", "fail"),
            ] {
                if let Some(pos) = line.find(tag) {
                    // `expect:` must not match inside `expect-not-evaluated:`.
                    if kind == "fail" && line.contains("expect-not-evaluated:") {
                        continue;
                    }
                    for id in line[pos + tag.len()..]
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    {
                        if id.starts_with("AWS-")
                            || id.starts_with("K8S-")
                            || id.starts_with("DRIFT-")
                        {
                            out.insert(Expect {
                                rule: id.to_string(),
                                file: file.clone(),
                                line: (i + 1) as u32,
                                kind,
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_rule_has_fixtures_docs_and_mapping() {
    let controls = Controls::embedded().unwrap();
    let mut problems = Vec::new();
    for rule in soc2scan::rules::all() {
        let m = rule.meta();
        let dir = fixtures_root().join(m.slug);
        let note = dir.join(LIVE_NOTE);
        if note.exists() {
            problems.extend(live_note_problems(m.id, &note));
            if !m.documentation().contains("Live AWS scans only") {
                problems.push(format!(
                    "{}: has {LIVE_NOTE} but its documentation does not say \"Live AWS scans only\"",
                    m.id
                ));
            }
        }
        for f in ["fail", "pass"] {
            // Terraform rules have `<f>.tf`, Kubernetes rules `<f>.yaml`, live-only rules
            // `<f>.model.json`.
            if !["tf", "yaml", "model.json"]
                .iter()
                .any(|ext| dir.join(format!("{f}.{ext}")).exists())
            {
                problems.push(format!(
                    "{}: missing fixtures/rules/{}/{f}.tf (or {f}.yaml, {f}.model.json)",
                    m.id, m.slug
                ));
            }
        }
        if !controls.mapping.contains_key(m.id) {
            problems.push(format!("{}: no mapping in rules/soc2.toml", m.id));
        }
        let doc = m.documentation();
        for section in [
            "## What it does",
            "## Why it matters (SOC 2)",
            "## How to fix",
        ] {
            if !doc.contains(section) {
                problems.push(format!("{}: documentation lacks {section:?}", m.id));
            }
        }
    }
    for id in controls.mapping.keys() {
        if soc2scan::rules::find(id).is_none() {
            problems.push(format!("rules/soc2.toml maps {id}, which is not a rule"));
        }
    }
    let mut ids: Vec<_> = soc2scan::rules::all().iter().map(|r| r.meta().id).collect();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate rule ids");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn fixtures_match_their_markers() {
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let slug = dir.file_name().unwrap().to_string_lossy().to_string();
        let expected = markers(&dir);
        let mut checked: BTreeSet<String> = expected.iter().map(|e| e.rule.clone()).collect();
        let own = soc2scan::rules::all()
            .into_iter()
            .find(|r| r.meta().slug == slug)
            .map(|r| r.meta().id.to_string());
        match &own {
            Some(id) => {
                checked.insert(id.clone());
            }
            None => {
                failures.push(format!("fixtures/rules/{slug}: no rule has this slug"));
                continue;
            }
        }
        let report = scan(&ScanConfig {
            paths: vec![dir.clone()],
            selection: Selection {
                select: checked.iter().cloned().collect(),
                ignore: vec![],
            },
            today: Some("2026-01-01".into()),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{slug}: {e}"));
        let mut actual = BTreeSet::new();
        let mut passes_in_pass_file = 0;
        let documented = document_addresses(&dir);
        for r in &report.results {
            let (file, line) = match r
                .location
                .file()
                .and_then(|f| f.split_once(&format!("fixtures/rules/{slug}/")))
            {
                Some((_, rel)) => (rel.to_string(), r.location.line().unwrap_or(0)),
                // A resource of a model document: the line of its address.
                None => documented
                    .get(&*r.resource)
                    .cloned()
                    .unwrap_or_else(|| (String::new(), 0)),
            };
            let kind = match r.outcome {
                Outcome::Fail { .. } if r.suppression.is_none() => "fail",
                Outcome::NotEvaluated { .. } => "not-evaluated",
                Outcome::Pass => {
                    if file.starts_with("pass") && Some(r.rule_id) == own.as_deref() {
                        passes_in_pass_file += 1;
                    }
                    continue;
                }
                _ => continue,
            };
            actual.insert(Expect {
                rule: r.rule_id.to_string(),
                file,
                line,
                kind,
            });
        }
        if actual != expected {
            let missing: Vec<_> = expected.difference(&actual).collect();
            let extra: Vec<_> = actual.difference(&expected).collect();
            failures.push(format!(
                "fixtures/rules/{slug}:\n  expected but not reported: {missing:?}\n  reported but not expected: {extra:?}"
            ));
        }
        if !expected
            .iter()
            .any(|e| e.kind == "fail" && e.file.starts_with("fail"))
        {
            failures.push(format!(
                "fixtures/rules/{slug}: fail.tf has no `# expect:` marker"
            ));
        }
        if passes_in_pass_file == 0 {
            failures.push(format!(
                "fixtures/rules/{slug}: pass.tf gives no passing result of {} (a pass fixture must exercise the rule)",
                own.unwrap_or_default()
            ));
        }
        for d in &report.diagnostics {
            if d.kind == soc2scan::diagnostic::DiagKind::ParseError {
                failures.push(format!("fixtures/rules/{slug}: {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The failure messages of rule `id` in `fixtures/rules/<slug>/`, with the file (relative
/// to the fixture directory) and line of each.
fn fail_messages(slug: &str, id: &str) -> Vec<(String, u32, String)> {
    let dir = fixtures_root().join(slug);
    let report = scan(&ScanConfig {
        paths: vec![dir],
        selection: Selection {
            select: vec![id.to_string()],
            ignore: vec![],
        },
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{slug}: {e}"));
    report
        .results
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Fail { message } if r.rule_id == id => {
                let file = r
                    .location
                    .file()
                    .and_then(|f| f.split_once(&format!("fixtures/rules/{slug}/")))
                    .map(|(_, rel)| rel.to_string())
                    .unwrap_or_default();
                Some((file, r.location.line().unwrap_or(0), message.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Failure messages say what is wrong and what to change, for the cases where the same
/// rule fails for different reasons.
#[test]
fn failure_messages_name_what_is_missing() {
    let cases: &[(&str, &str, &str, u32, &[&str])] = &[
        (
            "s3-bucket-encryption",
            "AWS-S3-001",
            "fail.tf",
            45,
            &["receives server access logs", "aws/s3", "SSE-S3 (AES256)"],
        ),
        (
            "s3-bucket-encryption",
            "AWS-S3-001",
            "fail.tf",
            66,
            &["receives server access logs", "aws/s3"],
        ),
        (
            "cloudtrail-s3-data-events",
            "AWS-CT-005",
            "writes_only/main.tf",
            5,
            &["only S3 object writes", "reads leave no audit record"],
        ),
        (
            "cloudtrail-s3-data-events",
            "AWS-CT-005",
            "reads_only/main.tf",
            17,
            &["only S3 object reads", "deletions leave no audit record"],
        ),
        (
            "cloudtrail-s3-data-events",
            "AWS-CT-005",
            "fail_module/main.tf",
            1,
            &["no trail of this configuration records S3 data events"],
        ),
        (
            "elasticache-snapshot-retention",
            "AWS-ELC-003",
            "fail.tf",
            26,
            &["cache.t1.micro", "change node_type", "before"],
        ),
        (
            "elasticache-snapshot-retention",
            "AWS-ELC-003",
            "fail.tf",
            17,
            &["snapshot_retention_limit = 0"],
        ),
        (
            "eks-secrets-encryption",
            "AWS-EKS-003",
            "fail.tf",
            1,
            &["no encryption_config"],
        ),
        (
            "eks-secrets-encryption",
            "AWS-EKS-003",
            "fail.tf",
            19,
            &["resources does not include \"secrets\""],
        ),
        (
            "eks-secrets-encryption",
            "AWS-EKS-003",
            "fail.tf",
            54,
            &["no provider block"],
        ),
        (
            "eks-secrets-encryption",
            "AWS-EKS-003",
            "fail.tf",
            69,
            &["provider has no key_arn"],
        ),
        (
            "cloudfront-viewer-https",
            "AWS-CF-001",
            "fail.tf",
            11,
            &["default_cache_behavior serves"],
        ),
        (
            "cloudfront-viewer-https",
            "AWS-CF-001",
            "fail.tf",
            25,
            &["ordered_cache_behavior[1]", "path_pattern \"/legacy/*\""],
        ),
        (
            "cloudfront-viewer-https",
            "AWS-CF-001",
            "fail.tf",
            54,
            &["ordered_cache_behavior[0]", "no path_pattern"],
        ),
    ];
    let mut problems = Vec::new();
    for (slug, id, file, line, wanted) in cases {
        let messages = fail_messages(slug, id);
        match messages.iter().find(|(f, l, _)| f == file && l == line) {
            None => problems.push(format!(
                "{slug}/{file}:{line}: no failure of {id}; failures: {messages:?}"
            )),
            Some((_, _, m)) => {
                for w in *wanted {
                    if !m.contains(w) {
                        problems.push(format!("{slug}/{file}:{line}: {m:?} lacks {w:?}"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every rule fixture, read into the model, written as a model document and scanned
/// again, gives the same results (outcomes, locations, messages, fingerprints) as the
/// fixture itself: the document is a lossless second form of any source.
#[test]
fn model_documents_give_the_same_results_as_their_sources() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("model-documents");
    let _ = std::fs::remove_dir_all(&out);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let config = |path: PathBuf| ScanConfig {
        paths: vec![path],
        level: Some(soc2scan::level::Level::Strict),
        today: Some("2026-01-01".into()),
        ..Default::default()
    };
    let mut mismatches = Vec::new();
    let mut results = 0;
    for dir in dirs {
        let slug = dir.file_name().unwrap().to_string_lossy().to_string();
        let read = soc2scan::scan::read_sources(&config(dir.clone())).unwrap();
        let doc_dir = out.join(&slug);
        std::fs::create_dir_all(&doc_dir).unwrap();
        let doc = soc2scan::model_document::to_json(&read.model);
        std::fs::write(doc_dir.join("model.json"), &doc).unwrap();
        let from_source = scan(&config(dir)).unwrap();
        let from_document = scan(&config(doc_dir)).unwrap();
        let view = |r: &soc2scan::report::Report| {
            r.results
                .iter()
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
        };
        results += from_source.results.len();
        if view(&from_source) != view(&from_document) {
            mismatches.push(format!(
                "{slug}:\n  from the source:   {:?}\n  from the document: {:?}",
                view(&from_source),
                view(&from_document)
            ));
        }
        // The document reads back to the same document.
        let again = soc2scan::model_document::parse(&doc).unwrap();
        assert_eq!(soc2scan::model_document::to_json(&again), doc, "{slug}");
    }
    assert!(results > 500, "{results} results");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
