//! `soc2scan evidence …` and `scan --record` on bad input: exit 2 with a message that
//! names the file or value, no panic, no output file and no object written.

mod common;
use common::{soc2scan, write};

const BUCKET: &str = "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n}\n";

fn stderr_of(args: &[&str], dir: &std::path::Path) -> (i32, String) {
    let out = soc2scan().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_reports_stores_and_dates_are_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "infra/main.tf", BUCKET);
    write(d, "other.json", "{\"tool\": {\"name\": \"other\"}}");
    write(d, "truncated.json", "{\"schema_version\": \"1\", ");

    let (code, err) = stderr_of(&["evidence", "record", "missing.json", "--store", "ev"], d);
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
    for file in ["other.json", "truncated.json"] {
        let (code, err) = stderr_of(&["evidence", "record", file, "--store", "ev"], d);
        assert_eq!(code, 2);
        assert!(err.contains(file) && !err.contains("panicked"), "{err}");
    }
    assert!(!d.join("ev").exists(), "nothing written for bad reports");

    let (code, err) = stderr_of(&["evidence", "verify", "--store", "ev"], d);
    assert_eq!(code, 2);
    assert!(err.contains("ev: no evidence objects"), "{err}");

    let (code, err) = stderr_of(
        &[
            "scan",
            "infra",
            "--no-config",
            "-q",
            "--record",
            "ftp://host/x",
        ],
        d,
    );
    assert_eq!(code, 2);
    assert!(err.contains("invalid store \"ftp://host/x\""), "{err}");
    let (code, _) = stderr_of(&["scan", "infra", "--target", "x"], d);
    assert_eq!(code, 2, "--target needs --record");

    // One good scan, then bad report arguments.
    let (code, err) = stderr_of(
        &[
            "scan",
            "infra",
            "--no-config",
            "--record",
            "ev",
            "--target",
            "infra",
            "-f",
            "json",
            "-o",
            "r.json",
        ],
        d,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("soc2scan: recorded objects/infra-"), "{err}");
    for (from, to, message) in [
        (
            "2026-02-30",
            "2026-03-01",
            "--from: invalid date \"2026-02-30\"",
        ),
        ("2026-03-01", "March", "--to: invalid date \"March\""),
        (
            "2026-03-01",
            "2026-02-01",
            "--to 2026-02-01 is before --from 2026-03-01",
        ),
    ] {
        let (code, err) = stderr_of(
            &[
                "evidence", "report", "--store", "ev", "--from", from, "--to", to, "-o", "out.html",
            ],
            d,
        );
        assert_eq!(code, 2);
        assert!(err.contains(message), "{err}");
        assert!(!d.join("out.html").exists());
    }
    let (code, err) = stderr_of(
        &[
            "evidence",
            "report",
            "--store",
            "ev",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--target",
            "nope",
        ],
        d,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("no scan of target \"nope\" in the store (targets: infra)"),
        "{err}"
    );
    let (code, err) = stderr_of(
        &["evidence", "diff", "--store", "ev", "--target", "nope"],
        d,
    );
    assert_eq!(code, 2);
    assert!(err.contains("no scan of target \"nope\""), "{err}");
    // A policy file with an invalid [evidence] section names its line.
    write(d, "bad.toml", "[evidence.sla]\nhigh = 0\n");
    let (code, err) = stderr_of(
        &[
            "evidence",
            "report",
            "--store",
            "ev",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--config",
            "bad.toml",
        ],
        d,
    );
    assert_eq!(code, 2);
    assert!(err.contains("bad.toml:2:"), "{err}");
}

#[test]
fn help_lists_the_evidence_commands() {
    let out = soc2scan().args(["evidence", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in ["record", "verify", "diff", "report"] {
        assert!(help.contains(&format!("  {cmd} ")), "{help}");
    }
    let out = soc2scan()
        .args(["evidence", "verify", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("2 missing/altered/reordered objects"),
        "{help}"
    );
}

#[test]
fn record_refuses_a_narrowed_scan() {
    // A scan narrowed to changed files would make every other finding look resolved.
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "main.tf", BUCKET);
    let (code, err) = stderr_of(
        &["scan", ".", "--record", "ev", "--changed-since", "HEAD"],
        tmp.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("cannot be used with"), "{err}");
    assert!(!tmp.path().join("ev").exists());
}
