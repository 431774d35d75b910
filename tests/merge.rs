//! `soc2scan merge`: the JSON reports of sharded scans, merged, give exactly the report
//! one scan of everything gives, in every format and with the same exit code; bad or
//! incompatible reports are refused with the file named and nothing written.
//!
//! Every run fixes the scan time with `SOURCE_DATE_EPOCH`, so outputs are compared
//! byte for byte, timestamps included.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{sarif_schema_errors, soc2scan};

const EPOCH: &str = "1767225600";
const FORMATS: [&str; 8] = [
    "json", "sarif", "controls", "text", "junit", "gitlab", "markdown", "github",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs soc2scan in the repository root with a fixed scan time.
fn run(args: &[&str]) -> Output {
    soc2scan()
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `scan PATHS --format json -o OUT`; returns the exit code.
fn scan_json(paths: &[&str], out: &Path, extra: &[&str]) -> i32 {
    let mut args = vec!["scan", "--quiet", "--format", "json", "-o"];
    args.push(out.to_str().unwrap());
    args.extend(extra);
    args.extend(paths);
    let o = run(&args);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "scan failed: {}",
        text(&o.stderr)
    );
    o.status.code().unwrap()
}

fn merge(files: &[&Path], args: &[&str]) -> Output {
    let mut a: Vec<&str> = vec!["merge"];
    a.extend(args);
    a.extend(files.iter().map(|f| f.to_str().unwrap()));
    run(&a)
}

fn json(b: &[u8]) -> serde_json::Value {
    serde_json::from_slice(b).expect("JSON")
}

const A: &str = "fixtures/demo";
/// The level of the Terraform shards.
const STRICT: &[&str] = &["--level", "strict"];
const B: &str = "fixtures/eval/parse_error";
const C: &str = "fixtures/rules/s3-bucket-encryption";

/// Two Terraform shards and one scan of everything.
struct Tf {
    _dir: tempfile::TempDir,
    shard1: PathBuf,
    shard2: PathBuf,
    single: PathBuf,
    single_code: i32,
}

fn terraform_shards() -> Tf {
    let dir = tempfile::tempdir().unwrap();
    let (shard1, shard2, single) = (
        dir.path().join("shard-1.json"),
        dir.path().join("shard-2.json"),
        dir.path().join("single.json"),
    );
    // Strict: every rule, so the shards have every kind of record to merge.
    let c1 = scan_json(&[A], &shard1, STRICT);
    let c2 = scan_json(&[B, C], &shard2, STRICT);
    let single_code = scan_json(&[A, B, C], &single, STRICT);
    assert_eq!(c1, 1, "the demo has findings");
    assert_eq!(single_code, 1);
    assert_eq!(c2, 1);
    Tf {
        _dir: dir,
        shard1,
        shard2,
        single,
        single_code,
    }
}

#[test]
fn terraform_shards_merge_into_the_single_scan_in_every_format() {
    let tf = terraform_shards();
    let (s1, s2) = (
        json(&std::fs::read(&tf.shard1).unwrap()),
        json(&std::fs::read(&tf.shard2).unwrap()),
    );
    // The shards are really different parts: results, diagnostics and passes of each.
    assert_eq!(s1["inputs"], serde_json::json!([A]));
    assert_eq!(s2["inputs"], serde_json::json!([B, C]));
    assert!(s1["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["suppressed"] == true));
    assert!(!s1["passed"].as_array().unwrap().is_empty());
    assert_eq!(s1["diagnostics"].as_array().unwrap().len(), 0);
    assert!(s2["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["kind"] == "parse-error"));
    assert!(!s2["not_evaluated"].as_array().unwrap().is_empty());

    for format in FORMATS {
        let single = run(&[
            "scan",
            "--level",
            "strict",
            "--no-color",
            "--format",
            format,
            A,
            B,
            C,
        ]);
        // Either order of the shard files gives the same report.
        for files in [[&tf.shard1, &tf.shard2], [&tf.shard2, &tf.shard1]] {
            let merged = merge(
                &[files[0].as_path(), files[1].as_path()],
                &["--no-color", "--format", format],
            );
            assert_eq!(
                merged.status.code(),
                Some(tf.single_code),
                "{format}: {}",
                text(&merged.stderr)
            );
            assert_eq!(
                text(&merged.stdout),
                text(&single.stdout),
                "{format}: merged output differs from the single scan"
            );
        }
    }
    // The merged JSON is the single scan's JSON file byte for byte.
    let merged = merge(&[&tf.shard1, &tf.shard2], &["--format", "json"]);
    assert_eq!(merged.stdout, std::fs::read(&tf.single).unwrap());
    let sarif = merge(&[&tf.shard1, &tf.shard2], &["--format", "sarif"]);
    assert_eq!(
        sarif_schema_errors(&json(&sarif.stdout)),
        Vec::<String>::new()
    );
}

#[test]
fn one_report_reads_back_losslessly() {
    let tf = terraform_shards();
    let original = std::fs::read(&tf.single).unwrap();
    let again = merge(&[&tf.single], &["--format", "json"]);
    assert_eq!(text(&again.stdout), text(&original));
    // Merging a report with itself: every result is a duplicate and is kept once
    // (counts of files and resources add up, as for two scans of the same input).
    let twice = json(&merge(&[&tf.single, &tf.single], &["--format", "json"]).stdout);
    let once = json(&original);
    for key in [
        "findings",
        "not_evaluated",
        "passed",
        "diagnostics",
        "inputs",
    ] {
        assert_eq!(twice[key], once[key], "{key}");
    }
    assert_eq!(
        twice["summary"]["resources"].as_u64().unwrap(),
        2 * once["summary"]["resources"].as_u64().unwrap()
    );
}

#[test]
fn fail_on_and_output_file_behave_as_in_scan() {
    let tf = terraform_shards();
    let dir = tempfile::tempdir().unwrap();
    for threshold in ["low", "critical"] {
        let single = run(&[
            "scan",
            "--level",
            "strict",
            "--quiet",
            "--fail-on",
            threshold,
            A,
            B,
            C,
        ]);
        let merged = merge(
            &[&tf.shard1, &tf.shard2],
            &["--quiet", "--fail-on", threshold],
        );
        assert_eq!(merged.status.code(), single.status.code(), "{threshold}");
    }
    let out = dir.path().join("org.sarif");
    let o = merge(
        &[&tf.shard1, &tf.shard2],
        &["--format", "sarif", "-o", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    // The summary goes to stderr when the report goes to a file.
    assert!(text(&o.stderr).contains("finding"), "{}", text(&o.stderr));
    let single = run(&["scan", "--level", "strict", "--format", "sarif", A, B, C]);
    assert_eq!(std::fs::read(&out).unwrap(), single.stdout);
}

#[test]
fn baselines_merge_as_one_scan_with_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    // The demo's and the S3 fixture's findings are known…
    let o = run(&["baseline", "-o", baseline.to_str().unwrap(), A, C]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // …and two entries are gone: one in the S3 fixture's directory (within shard 2's
    // scope only) and one without a file (a live resource: within every scope).
    let mut doc = json(&std::fs::read(&baseline).unwrap());
    let entries = doc["findings"].as_array_mut().unwrap();
    let known = entries.len();
    assert!(known > 2);
    entries.push(serde_json::json!({
        "fingerprint": "0".repeat(32), "rule_id": "AWS-S3-001",
        "resource": "aws_s3_bucket.gone", "file": format!("{C}/fail.tf"),
    }));
    entries.push(serde_json::json!({
        "fingerprint": "1".repeat(32), "rule_id": "AWS-S3-001",
        "resource": "arn:aws:s3:::gone", "file": "",
    }));
    std::fs::write(&baseline, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let b = ["--baseline", baseline.to_str().unwrap()];
    let (s1, s2) = (dir.path().join("1.json"), dir.path().join("2.json"));
    scan_json(&[A], &s1, &b);
    scan_json(&[B, C], &s2, &b);
    for format in ["json", "sarif", "text", "markdown"] {
        let mut args = vec!["scan", "--no-color", "--format", format];
        args.extend(b);
        args.extend([A, B, C]);
        let single = run(&args);
        let merged = merge(&[&s1, &s2], &["--no-color", "--format", format]);
        assert_eq!(merged.status.code(), single.status.code(), "{format}");
        assert_eq!(text(&merged.stdout), text(&single.stdout), "{format}");
    }
    let merged = json(&merge(&[&s1, &s2], &["--format", "json"]).stdout);
    assert_eq!(merged["summary"]["baseline"]["unchanged"], known);
    assert_eq!(merged["summary"]["baseline"]["absent"], 2);
    let absent: Vec<&str> = merged["baseline"]["absent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["resource"].as_str().unwrap())
        .collect();
    // Sorted as a scan sorts them: by fingerprint first.
    assert_eq!(absent, ["aws_s3_bucket.gone", "arn:aws:s3:::gone"]);
    // Each shard alone sees only part of it.
    let j1 = json(&std::fs::read(&s1).unwrap());
    let j2 = json(&std::fs::read(&s2).unwrap());
    assert_eq!(j1["summary"]["baseline"]["absent"], 1, "the live entry");
    assert_eq!(j2["summary"]["baseline"]["absent"], 2, "both entries");
}

/// Asserts a merge fails with exit code 2, writes no output file, and says `needles`.
fn assert_refused(files: &[&Path], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.sarif");
    std::fs::write(&out, "previous report\n").unwrap();
    let o = merge(files, &["--format", "sarif", "-o", out.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty());
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous report\n",
        "the output file is left alone"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn bad_and_incompatible_reports_are_refused() {
    let tf = terraform_shards();
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(&tf.shard1).unwrap();
    let path = |name: &str, content: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };

    let garbage = path("garbage.json", "<html>not a report</html>\n");
    assert_refused(
        &[&tf.shard1, &garbage],
        &["garbage.json", "not valid JSON", "line 1 column 1"],
    );

    let cut = good.len() / 2;
    let truncated = path("truncated.json", &good[..cut]);
    let last_line = good[..cut].lines().count().to_string();
    assert_refused(
        &[&truncated, &tf.shard2],
        &[
            "truncated.json",
            "truncated JSON",
            &format!("line {last_line}"),
        ],
    );

    let version = env!("CARGO_PKG_VERSION");
    let old = path(
        "old.json",
        &good.replacen(
            &format!("\"version\": \"{version}\""),
            "\"version\": \"0.0.1\"",
            1,
        ),
    );
    assert_refused(
        &[&tf.shard2, &old],
        &[
            "old.json",
            "written by soc2scan 0.0.1",
            "at line 6 column 3",
        ],
    );

    let schema = path(
        "schema.json",
        &good.replacen("\"schema_version\": \"1\"", "\"schema_version\": \"9\"", 1),
    );
    assert_refused(&[&schema], &["schema.json", "schema_version \"9\""]);

    let rule = path(
        "rule.json",
        &good.replace(
            "\"rule_id\": \"AWS-S3-004\"",
            "\"rule_id\": \"AWS-NOPE-999\"",
        ),
    );
    assert!(good.contains("\"rule_id\": \"AWS-S3-004\""));
    assert_refused(
        &[&rule],
        &["rule.json", "unknown rule id \"AWS-NOPE-999\"", "line "],
    );

    let missing = dir.path().join("missing.json");
    assert_refused(&[&tf.shard1, &missing], &["cannot read", "missing.json"]);

    let not_report = path("other.json", "{\"hello\": 1}\n");
    assert_refused(
        &[&not_report],
        &["other.json", "missing field `schema_version`"],
    );

    // Another rule selection: another rule set.
    let narrow = dir.path().join("narrow.json");
    scan_json(&[B], &narrow, &["--level", "strict", "--select", "AWS-S3"]);
    assert_refused(
        &[&tf.shard1, &narrow],
        &[
            "narrow.json",
            "cannot be merged with",
            "shard-1.json",
            "other rules ran",
        ],
    );

    // Another level: refused, naming the levels before the rules they ran.
    let baseline_level = dir.path().join("baseline-level.json");
    scan_json(&[B], &baseline_level, &[]);
    assert_refused(
        &[&tf.shard1, &baseline_level],
        &[
            "baseline-level.json",
            "scanned at level baseline there, at level strict in",
            "shard-1.json",
        ],
    );

    // Another effective severity (a project policy): refused, naming the policy.
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[severity]\nAWS-S3-004 = \"critical\"\n").unwrap();
    let strict = dir.path().join("strict.json");
    scan_json(
        &[B],
        &strict,
        &["--level", "strict", "--config", policy.to_str().unwrap()],
    );
    assert_refused(
        &[&tf.shard1, &strict],
        &["strict.json", "rule AWS-S3-004 has severity critical"],
    );

    // No FILE at all is a usage error.
    let o = run(&["merge"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn merge_help_explains_itself() {
    let o = run(&["merge", "--help"]);
    let help = text(&o.stdout);
    for needle in [
        "--shard",
        "--fail-on",
        "--format",
        "-o",
        "SOURCE_DATE_EPOCH",
        "Exit codes",
    ] {
        assert!(help.contains(needle), "{needle} not in {help}");
    }
}

#[cfg(feature = "aws")]
#[path = "support/moto.rs"]
mod moto;

/// Live AWS: three moto accounts reached through assumed roles, scanned in two shards
/// and in one run.
#[cfg(feature = "aws")]
mod aws {
    use super::moto::{resources_of, soc2scan_aws, Moto};
    use super::*;
    use std::collections::BTreeSet;

    const ACCOUNTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];

    /// `soc2scan ARGS` against the emulator with dummy credentials and a fixed scan time.
    fn live(endpoint: &str, args: &[&str]) -> Output {
        soc2scan_aws(endpoint)
            .current_dir(root())
            .args(args)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap()
    }

    #[test]
    fn account_shards_merge_into_the_single_scan() {
        let moto = Moto::start();
        moto.seed("accounts", 3);
        let endpoint = moto.endpoint();
        let dir = tempfile::tempdir().unwrap();
        let accounts = dir.path().join("accounts.txt");
        // Out of order, with a comment: the scan sorts the accounts before sharding.
        std::fs::write(
            &accounts,
            format!(
                "# the organisation\narn:aws:iam::{}:role/soc2scan-audit\n\
                 arn:aws:iam::{}:role/soc2scan-audit\narn:aws:iam::{}:role/soc2scan-audit\n",
                ACCOUNTS[2], ACCOUNTS[0], ACCOUNTS[1]
            ),
        )
        .unwrap();
        // Strict: the customer managed key and rotation rules compared below are strict.
        let base = [
            "scan",
            "--level",
            "strict",
            "--aws",
            "--quiet",
            "--region",
            "us-east-1",
            "--accounts-file",
            accounts.to_str().unwrap(),
        ];
        let shard = |k: &str| {
            let out = dir.path().join(format!("shard-{}.json", &k[..1]));
            let mut args = base.to_vec();
            args.extend([
                "--shard",
                k,
                "--format",
                "json",
                "-o",
                out.to_str().unwrap(),
            ]);
            let o = live(&endpoint, &args);
            assert!(
                matches!(o.status.code(), Some(0 | 1)),
                "shard {k}: {}",
                text(&o.stderr)
            );
            (out, o.status.code())
        };
        let (s1, _) = shard("1/2");
        let (s2, _) = shard("2/2");
        let j1 = json(&std::fs::read(&s1).unwrap());
        let j2 = json(&std::fs::read(&s2).unwrap());
        // Sorted accounts 111…, 222…, 333…: shard 1 takes the 1st and 3rd, shard 2 the 2nd.
        assert_eq!(
            j1["inputs"],
            serde_json::json!([
                format!("aws:{}", ACCOUNTS[0]),
                format!("aws:{}", ACCOUNTS[2])
            ])
        );
        assert_eq!(
            j2["inputs"],
            serde_json::json!([format!("aws:{}", ACCOUNTS[1])])
        );

        for format in ["json", "sarif", "controls", "text"] {
            let mut args = base.to_vec();
            args.extend(["--no-color", "--format", format]);
            let single = live(&endpoint, &args);
            assert!(
                matches!(single.status.code(), Some(0 | 1)),
                "{}",
                text(&single.stderr)
            );
            let merged = merge(&[&s1, &s2], &["--quiet", "--no-color", "--format", format]);
            assert_eq!(
                merged.status.code(),
                single.status.code(),
                "{format}: {}",
                text(&merged.stderr)
            );
            assert_eq!(
                text(&merged.stdout),
                text(&single.stdout),
                "{format}: merged output differs from the single scan"
            );
            if format == "json" {
                let m = json(&merged.stdout);
                assert_eq!(
                    m["inputs"],
                    serde_json::json!(ACCOUNTS.map(|a| format!("aws:{a}")))
                );
                // Each account's own resources, with their own outcome.
                let bucket = |a: &str| format!("arn:aws:s3:::acct-{a}-data");
                let table = |a: &str| format!("arn:aws:dynamodb:us-east-1:{a}:table/orders");
                assert_eq!(
                    resources_of(&m, "findings", "AWS-S3-001"),
                    BTreeSet::from([bucket(ACCOUNTS[1])])
                );
                assert_eq!(
                    resources_of(&m, "findings", "AWS-DDB-002"),
                    BTreeSet::from([table(ACCOUNTS[0]), table(ACCOUNTS[2])])
                );
                let keys = resources_of(&m, "findings", "AWS-KMS-001");
                assert_eq!(keys.len(), 1, "{keys:?}");
                assert!(
                    keys.iter()
                        .all(|k| k
                            .starts_with(&format!("arn:aws:kms:us-east-1:{}:key/", ACCOUNTS[1])))
                );
                let sgs = resources_of(&m, "findings", "AWS-EC2-003");
                assert_eq!(sgs.len(), 1, "{sgs:?}");
                assert!(sgs
                    .iter()
                    .all(|k| k.contains(&format!(":{}:security-group/", ACCOUNTS[1]))));
                // Passes of every account are there too.
                let passed: BTreeSet<&str> = m["passed"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["rule_id"] == "AWS-S3-001")
                    .map(|p| p["resource"].as_str().unwrap())
                    .collect();
                assert_eq!(
                    passed,
                    BTreeSet::from([bucket(ACCOUNTS[0]).as_str(), bucket(ACCOUNTS[2]).as_str()])
                );
            }
        }
    }
}
