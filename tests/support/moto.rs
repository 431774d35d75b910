//! The live-AWS test harness: moto's server from the project-local `.venv`
//! (`scripts/moto-venv`, created on first use — the tests fail with a clear message when
//! it cannot be created, they never skip), seeded by `scripts/moto_seed.py`, and the real
//! `soc2scan` binary run against it with dummy credentials; and what the live tests
//! share to build and compare their expectations: the scan arguments of some rules in
//! some regions ([`select`]), one seed-and-scan into comparable pairs ([`scan_pairs`]),
//! one coverage record per rule and region ([`records`]).
// Each test crate includes this module and uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The account moto gives the default credentials.
pub const ACCOUNT: &str = "123456789012";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Creates `.venv` once per test binary (serialised between tests).
pub fn venv_python() -> PathBuf {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let r = READY.get_or_init(|| {
        let out = Command::new(root().join("scripts/moto-venv"))
            .current_dir(root())
            .output()
            .map_err(|e| format!("cannot run scripts/moto-venv: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "scripts/moto-venv failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    });
    if let Err(e) = r {
        panic!(
            "the live-AWS tests need moto in .venv (python3 -m venv .venv && \
             .venv/bin/pip install 'moto[server]' boto3): {e}"
        );
    }
    root().join(".venv/bin/python")
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A moto server on a free loopback port, stopped on drop.
pub struct Moto {
    child: Child,
    /// The loopback port moto listens on.
    pub port: u16,
}

impl Moto {
    pub fn start() -> Moto {
        let py = venv_python();
        let port = free_port();
        let child = Command::new(&py)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto server starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not listen on {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, port }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seed(&self, scenario: &str, count: usize) {
        let out = Command::new(venv_python())
            .arg(root().join("scripts/moto_seed.py"))
            .args([&self.endpoint(), scenario, &count.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "seeding failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `code` with the venv's python against this server: `client(service,
    /// region="us-east-1")` gives a boto3 client with the dummy credentials, for
    /// resources the seed scenarios do not create.
    pub fn boto3(&self, code: &str) {
        let prelude = "import json, sys, boto3\n\
            def client(service, region='us-east-1'):\n    \
            return boto3.client(service, region_name=region, endpoint_url=sys.argv[1], \
            aws_access_key_id='testing', aws_secret_access_key='testing')\n";
        let out = Command::new(venv_python())
            .args(["-c", &format!("{prelude}{code}"), &self.endpoint()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "boto3 script failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `soc2scan` binary set to reach AWS at `endpoint` with dummy credentials and
/// nothing from the environment's own AWS configuration.
pub fn soc2scan_aws(endpoint: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_soc2scan"));
    // Three attempts per call: enough for the throttling tests, and few for the calls
    // moto 5.1 answers with HTTP 500 because it does not implement them.
    c.env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_MAX_ATTEMPTS", "3")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env("AWS_CONFIG_FILE", "/nonexistent/soc2scan-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/soc2scan-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

/// Runs `soc2scan scan --aws ARGS --format json` against `endpoint`.
pub fn scan(endpoint: &str, args: &[&str]) -> (serde_json::Value, String) {
    let out = soc2scan_aws(endpoint)
        .args(["scan", "--aws", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed ({:?}): {stderr}",
        out.status
    );
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    (json, stderr)
}

/// The two regions most live tests scan.
pub const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];

/// `--region` for each of `regions` and `--select` for each of `rules`: the arguments
/// of a scan of those regions with those rules only.
pub fn select<'a>(regions: &[&'a str], rules: &[&'a str]) -> Vec<&'a str> {
    let mut v = Vec::new();
    v.extend(regions.iter().flat_map(|r| ["--region", *r]));
    v.extend(rules.iter().flat_map(|r| ["--select", *r]));
    v
}

/// One record per rule and region: the `(rule, scope)` pairs of the not-evaluated
/// records about whole scopes ([`coverage_records`]) of a scan of `regions` of
/// `account` where the collections `rules` read were not read completely.
pub fn records(rules: &[&str], regions: &[&str], account: &str) -> BTreeSet<(String, String)> {
    regions
        .iter()
        .flat_map(|region| {
            rules
                .iter()
                .map(move |rule| (rule.to_string(), format!("aws:{account}/{region}")))
        })
        .collect()
}

/// What one live scan gave, as the tests compare it.
pub struct ScanPairs {
    /// The JSON report.
    pub report: serde_json::Value,
    /// `(rule, resource)` of the findings ([`pairs`]).
    pub findings: BTreeSet<(String, String)>,
    /// `(rule, resource)` of the passes.
    pub passed: BTreeSet<(String, String)>,
    /// `(rule, resource)` of the not-evaluated records about resources.
    pub not_evaluated: BTreeSet<(String, String)>,
    /// The not-evaluated records about whole scopes, with their reasons
    /// ([`coverage_records`]).
    pub coverage: BTreeMap<(String, String), String>,
    /// The exit code.
    pub code: Option<i32>,
    /// The report as printed.
    pub stdout: String,
    /// What the scan printed on stderr.
    pub stderr: String,
}

impl ScanPairs {
    /// The `(rule, scope)` pairs of [`ScanPairs::coverage`], to compare with
    /// [`records`].
    pub fn coverage_pairs(&self) -> BTreeSet<(String, String)> {
        self.coverage.keys().cloned().collect()
    }
}

/// Starts moto, seeds `scenario` (`count` as `scripts/moto_seed.py` takes it) and runs
/// `soc2scan scan --aws --format json ARGS` against it, every service of `deny`
/// answering AccessDenied (each named as in its `AWS_ENDPOINT_URL_<SERVICE>` setting:
/// `SQS`, `SECRETS_MANAGER`; see [`deny_server`]). The scan must exit 0 or 1 with a
/// JSON report.
pub fn scan_pairs(scenario: &str, count: usize, args: &[&str], deny: &[&str]) -> ScanPairs {
    let moto = Moto::start();
    moto.seed(scenario, count);
    let mut cmd = soc2scan_aws(&moto.endpoint());
    cmd.args(["scan", "--aws", "--format", "json"]).args(args);
    if !deny.is_empty() {
        let url = format!("http://127.0.0.1:{}", deny_server());
        for service in deny {
            cmd.env(format!("AWS_ENDPOINT_URL_{service}"), &url);
        }
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "scan failed ({:?}): {stderr}",
        out.status
    );
    let report: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    ScanPairs {
        findings: pairs(&report, "findings"),
        passed: pairs(&report, "passed"),
        not_evaluated: pairs(&report, "not_evaluated"),
        coverage: coverage_records(&report),
        code: out.status.code(),
        report,
        stdout,
        stderr,
    }
}

/// Asserts that every one of `collections` was read completely in each of `regions`
/// of `account`.
pub fn assert_read(
    report: &serde_json::Value,
    account: &str,
    regions: &[&str],
    collections: &[&str],
) {
    let rows = report["coverage"].as_array().unwrap();
    for region in regions {
        for collection in collections {
            assert!(
                rows.iter()
                    .any(|e| e["scope"] == format!("aws:{account}/{region}")
                        && e["collection"] == *collection
                        && e["status"] == "read"),
                "{collection} in {region}: {rows:#?}"
            );
        }
    }
}

/// `(rule_id, resource)` of every entry of `key` (`findings`, `not_evaluated`).
pub fn pairs(report: &serde_json::Value, key: &str) -> BTreeSet<(String, String)> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !is_coverage_record(f))
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The resources of `rule`'s records under `key` (`findings`, `passed`, …).
pub fn resources_of(report: &serde_json::Value, key: &str, rule: &str) -> BTreeSet<String> {
    report[key]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .map(|f| f["resource"].as_str().unwrap().to_string())
        .collect()
}

/// Whether a not-evaluated record is about a whole scope (`aws:<account>/<region>`)
/// whose coverage was incomplete, rather than about one resource.
pub fn is_coverage_record(f: &serde_json::Value) -> bool {
    f["resource"]
        .as_str()
        .is_some_and(|r| r.starts_with("aws:"))
}

/// The (rule, scope) pairs of the not-evaluated records about whole scopes, with
/// their reasons.
pub fn coverage_records(report: &serde_json::Value) -> BTreeMap<(String, String), String> {
    report["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| is_coverage_record(f))
        .map(|f| {
            (
                (
                    f["rule_id"].as_str().unwrap().to_string(),
                    f["resource"].as_str().unwrap().to_string(),
                ),
                f["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

pub fn set(v: &[(&str, String)]) -> BTreeSet<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.clone())).collect()
}

/// Maps moto's generated ids to the ARNs in a report: the ARNs of the `n` resources
/// with a finding or not-evaluated record of `rule` whose ARN starts with `prefix`.
pub fn arns_of(report: &serde_json::Value, rule: &str, prefix: &str, n: usize) -> Vec<String> {
    let all: BTreeSet<String> = ["findings", "not_evaluated"]
        .iter()
        .flat_map(|k| report[k].as_array().unwrap().iter())
        .filter(|f| f["rule_id"] == rule)
        .map(|f| f["resource"].as_str().unwrap().to_string())
        .filter(|r| r.starts_with(prefix))
        .collect();
    assert_eq!(all.len(), n, "{prefix}: {all:?}");
    all.into_iter().collect()
}

pub fn arn_of(report: &serde_json::Value, rule: &str, prefix: &str) -> String {
    arns_of(report, rule, prefix, 1).remove(0)
}

/// Asserts two sets of `(rule_id, resource)` are equal, listing what is missing and
/// what is unexpected.
pub fn assert_same(found: BTreeSet<(String, String)>, want: BTreeSet<(String, String)>) {
    assert_eq!(
        found,
        want,
        "\nmissing: {:#?}\nunexpected: {:#?}",
        want.difference(&found).collect::<Vec<_>>(),
        found.difference(&want).collect::<Vec<_>>()
    );
}

/// `(failed, passed, not_evaluated)` of `rule` in the report's per-rule counts.
pub fn counts(r: &serde_json::Value, rule: &str) -> (u64, u64, u64) {
    let c = &r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == rule)
        .unwrap_or_else(|| panic!("{rule} did not run"))["results"];
    let n = |k: &str| c[k].as_u64().unwrap();
    (n("failed"), n("passed"), n("not_evaluated"))
}

/// Reads an HTTP request line and headers; `None` at the end of the stream.
pub fn read_head(r: &mut BufReader<TcpStream>) -> Option<(String, Vec<String>)> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let start = line.trim_end().to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end().to_string();
        if h.is_empty() {
            break;
        }
        headers.push(h);
    }
    Some((start, headers))
}

/// The value of header `name` (case-insensitive).
pub fn header<'a>(headers: &'a [String], name: &str) -> Option<&'a str> {
    headers.iter().find_map(|h| {
        let (k, v) = h.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The body of an HTTP/1.1 chunked transfer encoding.
pub fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
}

/// A loopback server answering every request as AWS answers a caller whose policy
/// denies the service: `AccessDeniedException` (HTTP 400) in the JSON and REST
/// protocols,
/// `AuthorizationError` (HTTP 403) in the query protocol (SNS, for example),
/// `AccessDenied` (HTTP 403) in CloudFront's REST-XML protocol. Point a
/// service's endpoint at it (`AWS_ENDPOINT_URL_<SERVICE>`) to deny that service.
pub fn deny_server() -> u16 {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut out = conn.try_clone().unwrap();
                let mut r = BufReader::new(conn);
                while let Some((start, headers)) = read_head(&mut r) {
                    let len: usize = header(&headers, "content-length")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let mut body = vec![0; len];
                    if r.read_exact(&mut body).is_err() {
                        return;
                    }
                    // The query protocol posts a form and CloudFront's REST-XML API lives
                    // under its version path: both get XML; every other protocol JSON.
                    let rest_xml = start.contains(" /2020-05-31/");
                    let json = !rest_xml
                        && !header(&headers, "content-type")
                            .is_some_and(|t| t.contains("x-www-form-urlencoded"));
                    let who = "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action";
                    let code = if rest_xml {
                        "AccessDenied"
                    } else {
                        "AuthorizationError"
                    };
                    let msg = if json {
                        let body =
                            format!(r#"{{"__type":"AccessDeniedException","message":"{who}"}}"#);
                        format!(
                            "HTTP/1.1 400 Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-ErrorType: AccessDeniedException\r\nx-amzn-RequestId: denied\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                    } else {
                        let body = format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{who}</Message></Error><RequestId>denied</RequestId></ErrorResponse>");
                        format!(
                            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nx-amzn-RequestId: denied\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                    };
                    if out.write_all(msg.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    port
}

/// Whether a diagnostic reports a call moto 5.1 does not answer, which every live scan
/// against it makes: SES v2 `ListEmailIdentities` and EMR `ListSecurityConfigurations`
/// (their rules are not evaluated there, as `tests/aws_live_policies.rs` and
/// `tests/aws_live_monitoring_compute.rs` assert).
pub fn moto_gap(diagnostic: &serde_json::Value) -> bool {
    diagnostic["message"].as_str().is_some_and(|m| {
        m.starts_with("SES identities not evaluated: ses:ListEmailIdentities ")
            || m.starts_with(
                "EMR security configurations not evaluated: elasticmapreduce:ListSecurityConfigurations ",
            )
    })
}
