//! Live IAM against moto (`scripts/moto_seed.py iam`): console users with and without an
//! MFA device or an MFA-enforcing policy, access keys, roles with short and long
//! sessions, and the root user. Exact findings, not-evaluated records and pass counts
//! of the IAM rules, then the same scan through a proxy that denies some IAM calls: the
//! values those calls give become *not evaluated* with the reason, never a pass.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;
use std::io::{BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[path = "support/moto.rs"]
mod moto;
use moto::*;

/// The IAM rules whose every result this test knows.
const RULES: &str =
    "AWS-IAM-002,AWS-IAM-005,AWS-IAM-006,AWS-IAM-011,AWS-IAM-012,AWS-IAM-013,AWS-IAM-016";

fn iam_arn(resource: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:{resource}")
}

#[test]
fn iam_users_keys_roles_and_root() {
    let moto = Moto::start();
    moto.seed("iam", 0);
    let (r, stderr) = scan(
        &moto.endpoint(),
        &["--region", "us-east-1", "--select", RULES],
    );
    assert_same(
        pairs(&r, "findings"),
        set(&[
            // Console password, no MFA device, no policy enforcing MFA.
            ("AWS-IAM-002", iam_arn("user/console-nomfa")),
            // MaxSessionDuration 43200 read from ListRoles.
            ("AWS-IAM-006", iam_arn("role/long-session")),
            // moto's root user has no MFA device.
            ("AWS-IAM-012", iam_arn("root")),
        ]),
    );
    assert_same(pairs(&r, "not_evaluated"), BTreeSet::new());
    // console-mfa passes by its enrolled device, console-policy by its group's policy;
    // api-keys has no console access and is not checked.
    assert_eq!(counts(&r, "AWS-IAM-002"), (1, 2, 0));
    // Live keys are not "created in code".
    assert_eq!(counts(&r, "AWS-IAM-005"), (0, 0, 0));
    assert_eq!(counts(&r, "AWS-IAM-006"), (1, 1, 0));
    // The active key was created seconds ago, the other is inactive.
    assert_eq!(counts(&r, "AWS-IAM-011"), (0, 2, 0));
    assert_eq!(counts(&r, "AWS-IAM-012"), (1, 0, 0));
    // moto's root user has no access keys.
    assert_eq!(counts(&r, "AWS-IAM-013"), (0, 1, 0));
    // Passwords set and keys created seconds ago, never used: within 90 days. The
    // user without a password and the inactive key pass too.
    assert_eq!(counts(&r, "AWS-IAM-016"), (0, 6, 0));
    let diags: Vec<&serde_json::Value> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !moto_gap(d))
        .collect();
    assert!(diags.is_empty(), "{diags:#?}\n{stderr}");
}

#[test]
fn denied_iam_calls_are_not_evaluated() {
    let moto = Moto::start();
    moto.seed("iam", 0);
    let proxy = DenyProxy::start(
        moto.port,
        vec![
            vec!["Action=GetAccountSummary"],
            vec!["Action=ListRoles"],
            vec!["Action=ListMFADevices"],
            vec!["Action=ListAccessKeys", "UserName=api-keys"],
            vec!["Action=ListUsers"],
        ],
    );
    let (r, _) = scan(
        &format!("http://127.0.0.1:{}", proxy.port),
        &["--region", "us-east-1", "--select", RULES],
    );
    assert!(
        proxy.denied.load(Ordering::Relaxed) >= 7,
        "the calls were made"
    );
    assert_same(pairs(&r, "findings"), BTreeSet::new());
    assert_same(
        pairs(&r, "not_evaluated"),
        set(&[
            // Without the device list, the users without an enforcing policy.
            ("AWS-IAM-002", iam_arn("user/console-mfa")),
            ("AWS-IAM-002", iam_arn("user/console-nomfa")),
            ("AWS-IAM-006", iam_arn("role/long-session")),
            ("AWS-IAM-006", iam_arn("role/short-session")),
            ("AWS-IAM-011", iam_arn("user/api-keys/access-key/*")),
            ("AWS-IAM-012", iam_arn("root")),
            ("AWS-IAM-013", iam_arn("root")),
            // Without ListUsers, when the passwords were last used is unknown.
            ("AWS-IAM-016", iam_arn("user/console-mfa")),
            ("AWS-IAM-016", iam_arn("user/console-nomfa")),
            ("AWS-IAM-016", iam_arn("user/console-policy")),
            ("AWS-IAM-016", iam_arn("user/api-keys/access-key/*")),
        ]),
    );
    // api-keys has no password.
    assert_eq!(counts(&r, "AWS-IAM-016"), (0, 1, 4));
    // The group policy still proves console-policy must use MFA.
    assert_eq!(counts(&r, "AWS-IAM-002"), (0, 1, 2));
    for f in r["not_evaluated"].as_array().unwrap() {
        let op = match f["rule_id"].as_str().unwrap() {
            "AWS-IAM-002" => "ListMFADevices",
            "AWS-IAM-006" => "ListRoles",
            "AWS-IAM-011" => "ListAccessKeys",
            "AWS-IAM-016" if f["resource"].as_str().unwrap().contains("access-key") => {
                "ListAccessKeys"
            }
            "AWS-IAM-016" => "ListUsers",
            _ => "GetAccountSummary",
        };
        let reason = f["reason"].as_str().unwrap();
        assert!(
            reason.starts_with(&format!("iam:{op} in us-east-1 failed: AccessDenied")),
            "{reason}"
        );
    }
    let diags: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for want in [
        "IAM root user not evaluated: iam:GetAccountSummary",
        "IAM role session durations not evaluated: iam:ListRoles",
        "IAM: ListMFADevices failed for 4 user(s)",
        "IAM: ListAccessKeys failed for 1 user(s)",
        "IAM users' last sign-ins not evaluated: iam:ListUsers",
    ] {
        assert!(
            diags.iter().any(|d| d.starts_with(want)),
            "{want}: {diags:#?}"
        );
    }
}

#[test]
fn denied_key_last_use_is_not_evaluated() {
    let moto = Moto::start();
    moto.seed("iam", 0);
    let proxy = DenyProxy::start(moto.port, vec![vec!["Action=GetAccessKeyLastUsed"]]);
    let (r, _) = scan(
        &format!("http://127.0.0.1:{}", proxy.port),
        &["--region", "us-east-1", "--select", "AWS-IAM-016"],
    );
    assert_eq!(proxy.denied.load(Ordering::Relaxed), 2, "one call per key");
    assert_same(pairs(&r, "findings"), BTreeSet::new());
    let ne = r["not_evaluated"].as_array().unwrap();
    assert_eq!(ne.len(), 1, "{ne:#?}");
    // The active key; the inactive one passes whatever its use.
    let key = ne[0]["resource"].as_str().unwrap();
    assert!(
        key.starts_with(&iam_arn("user/api-keys/access-key/")),
        "{key}"
    );
    let reason = ne[0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("iam:GetAccessKeyLastUsed in us-east-1 failed: AccessDenied"),
        "{reason}"
    );
    assert_eq!(counts(&r, "AWS-IAM-016"), (0, 5, 1));
    let diags: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        diags
            .iter()
            .any(|d| d.starts_with("IAM: GetAccessKeyLastUsed failed for 1 user(s)")),
        "{diags:#?}"
    );
}

/// A loopback proxy to moto that answers IAM requests whose body contains every
/// string of one of its patterns with `AccessDenied`.
struct DenyProxy {
    port: u16,
    denied: Arc<AtomicUsize>,
}

impl DenyProxy {
    fn start(upstream: u16, deny: Vec<Vec<&'static str>>) -> DenyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let denied = Arc::new(AtomicUsize::new(0));
        let d2 = denied.clone();
        let deny = Arc::new(deny);
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (denied, deny) = (d2.clone(), deny.clone());
                std::thread::spawn(move || serve(conn, upstream, &deny, &denied));
            }
        });
        DenyProxy { port, denied }
    }
}

fn serve(conn: TcpStream, upstream: u16, deny: &[Vec<&str>], denied: &AtomicUsize) {
    let mut client = conn.try_clone().unwrap();
    let mut r = BufReader::new(conn);
    while let Some((start, headers)) = read_head(&mut r) {
        let len: usize = header(&headers, "content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if r.read_exact(&mut body).is_err() {
            return;
        }
        let text = String::from_utf8_lossy(&body);
        if deny.iter().any(|p| p.iter().all(|s| text.contains(s))) {
            denied.fetch_add(1, Ordering::Relaxed);
            let xml = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform this action</Message></Error><RequestId>deny</RequestId></ErrorResponse>";
            let msg = format!(
                "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nx-amzn-RequestId: deny\r\n\r\n{xml}",
                xml.len()
            );
            if client.write_all(msg.as_bytes()).is_err() {
                return;
            }
            continue;
        }
        // Forward, one upstream connection per request.
        let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)) else {
            return;
        };
        let mut req = format!("{start}\r\n");
        for h in &headers {
            if !h.to_ascii_lowercase().starts_with("connection:") {
                req.push_str(h);
                req.push_str("\r\n");
            }
        }
        req.push_str("Connection: close\r\n\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(&body);
        if up.write_all(&bytes).is_err() {
            return;
        }
        let mut resp = Vec::new();
        let _ = up.read_to_end(&mut resp);
        let _ = up.shutdown(Shutdown::Both);
        let Some(split) = resp.windows(4).position(|w| w == b"\r\n\r\n") else {
            return;
        };
        let head = String::from_utf8_lossy(&resp[..split]).to_string();
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        let rbody = if chunked {
            dechunk(&resp[split + 4..])
        } else {
            resp[split + 4..].to_vec()
        };
        let mut out = String::new();
        for (i, l) in head.split("\r\n").enumerate() {
            let low = l.to_ascii_lowercase();
            if i > 0
                && (low.starts_with("connection:")
                    || low.starts_with("content-length:")
                    || low.starts_with("transfer-encoding:"))
            {
                continue;
            }
            out.push_str(l);
            out.push_str("\r\n");
        }
        out.push_str(&format!("Content-Length: {}\r\n\r\n", rbody.len()));
        let mut all = out.into_bytes();
        all.extend_from_slice(&rbody);
        if client.write_all(&all).is_err() {
            return;
        }
    }
}
