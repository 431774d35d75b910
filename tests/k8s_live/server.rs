//! A Kubernetes API server on a loopback port for tests and benchmarks: plain HTTP/1.1
//! on a std `TcpListener` thread, serving list answers of the kinds it is given
//! (all namespaces or one, `fieldSelector=metadata.name=`, `limit` + `continue` with a
//! page size of its own), metadata-only Secret lists (`PartialObjectMetadataList`),
//! and `Status` errors: 401 without the expected bearer token, 403 for kinds marked
//! forbidden, 404 for anything else. Every request is logged. It stops when dropped,
//! and after a fixed time at the latest.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{json, Value as Json};

/// The bearer token the server expects.
pub const TOKEN: &str = "soc2scan-test-token";

/// The longest a server runs.
const LIFETIME: Duration = Duration::from_secs(600);

/// One kind served.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `/api/v1` or `/apis/GROUP/VERSION`.
    pub base: String,
    /// Plural resource name (`deployments`).
    pub plural: String,
    /// `kind` (`Deployment`).
    pub kind: String,
    /// `apiVersion` of the objects.
    pub api_version: String,
    /// The objects, serialised from k8s-openapi types.
    pub items: Vec<Json>,
    /// Answer every list with 403 Forbidden.
    pub forbidden: bool,
}

/// A kind served, from its k8s-openapi type.
pub fn resource<K: k8s_openapi::Resource + Serialize>(items: &[K]) -> Resource {
    let base = if K::GROUP.is_empty() {
        format!("/api/{}", K::VERSION)
    } else {
        format!("/apis/{}/{}", K::GROUP, K::VERSION)
    };
    Resource {
        base,
        plural: K::URL_PATH_SEGMENT.to_string(),
        kind: K::KIND.to_string(),
        api_version: K::API_VERSION.to_string(),
        items: items
            .iter()
            .map(|i| serde_json::to_value(i).expect("k8s-openapi objects serialise"))
            .collect(),
        forbidden: false,
    }
}

/// One request the server answered.
#[derive(Debug, Clone)]
pub struct Logged {
    /// Path without the query.
    pub path: String,
    /// Query parameters, decoded.
    pub query: BTreeMap<String, String>,
    /// The `Accept` header.
    pub accept: String,
    /// Whether the expected bearer token was sent.
    pub authorized: bool,
    /// HTTP status answered.
    pub status: u16,
}

/// The running server.
pub struct ApiServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    log: Arc<Mutex<Vec<Logged>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl ApiServer {
    /// Serves `resources`, at most `page_size` objects per page.
    pub fn start(resources: Vec<Resource>, page_size: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, stop2) = (log.clone(), stop.clone());
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            while !stop2.load(Ordering::Relaxed) && started.elapsed() < LIFETIME {
                match listener.accept() {
                    Ok((stream, _)) => {
                        if let Some(entry) = serve(stream, &resources, page_size) {
                            log2.lock().unwrap().push(entry);
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    Err(_) => break,
                }
            }
        });
        ApiServer {
            port,
            log,
            stop,
            handle: Some(handle),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// A kubeconfig with two contexts: `test` (this server, a bearer token) and `broken`
/// (a closed port); `current` is the current context.
pub fn kubeconfig(server: &str, closed_port: u16, current: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
current-context: {current}
clusters:
- name: loopback
  cluster:
    server: {server}
    insecure-skip-tls-verify: true
- name: closed
  cluster:
    server: http://127.0.0.1:{closed_port}
users:
- name: ci
  user:
    token: {TOKEN}
contexts:
- name: test
  context:
    cluster: loopback
    user: ci
- name: broken
  context:
    cluster: closed
    user: ci
"
    )
}

/// A loopback port nothing listens on.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("address").port()
}

fn serve(stream: TcpStream, resources: &[Resource], page_size: usize) -> Option<Logged> {
    stream.set_nonblocking(false).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?.to_string();
    let mut accept = String::new();
    let mut authorized = false;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "accept" => accept = value.to_string(),
                "authorization" => authorized = value == format!("Bearer {TOKEN}"),
                _ => {}
            }
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), decode_query(q)),
        None => (target.clone(), BTreeMap::new()),
    };
    let (status, body) = if authorized {
        answer(&path, &query, &accept, resources, page_size)
    } else {
        (401, status_body(401, "Unauthorized", "Unauthorized"))
    };
    let text = body.to_string();
    let reason = match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        _ => "Not Found",
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = out.flush();
    Some(Logged {
        path,
        query,
        accept,
        authorized,
        status,
    })
}

fn answer(
    path: &str,
    query: &BTreeMap<String, String>,
    accept: &str,
    resources: &[Resource],
    page_size: usize,
) -> (u16, Json) {
    for r in resources {
        let all = format!("{}/{}", r.base, r.plural);
        let namespace = if path == all {
            None
        } else {
            let Some(rest) = path.strip_prefix(&format!("{}/namespaces/", r.base)) else {
                continue;
            };
            match rest.split_once('/') {
                Some((ns, plural)) if plural == r.plural => Some(ns.to_string()),
                _ => continue,
            }
        };
        if r.forbidden {
            let scope = match &namespace {
                Some(ns) => format!("in the namespace \"{ns}\""),
                None => "at the cluster scope".to_string(),
            };
            let group = r
                .base
                .strip_prefix("/apis/")
                .and_then(|g| g.split('/').next());
            let message = format!(
                "{}{} is forbidden: User \"system:serviceaccount:ci:soc2scan\" cannot list resource \"{}\" in API group \"{}\" {scope}",
                r.plural,
                group.map(|g| format!(".{g}")).unwrap_or_default(),
                r.plural,
                group.unwrap_or_default(),
            );
            return (403, status_body(403, "Forbidden", &message));
        }
        let metadata_only = accept.contains("as=PartialObjectMetadataList");
        if r.kind == "Secret" && !metadata_only {
            return (
                403,
                status_body(
                    403,
                    "Forbidden",
                    "this server serves Secrets as metadata only",
                ),
            );
        }
        let name_filter = query
            .get("fieldSelector")
            .and_then(|f| f.strip_prefix("metadata.name="));
        let selected: Vec<&Json> = r
            .items
            .iter()
            .filter(|i| {
                namespace
                    .as_deref()
                    .is_none_or(|ns| i["metadata"]["namespace"].as_str() == Some(ns))
            })
            .filter(|i| name_filter.is_none_or(|n| i["metadata"]["name"].as_str() == Some(n)))
            .collect();
        let limit = query
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(usize::MAX)
            .min(page_size)
            .max(1);
        let offset = match query.get("continue") {
            Some(token) => match token
                .strip_prefix(&format!("{}:", r.plural))
                .and_then(|o| o.parse::<usize>().ok())
            {
                Some(o) => o,
                None => return (410, status_body(410, "Expired", "bad continue token")),
            },
            None => 0,
        };
        let end = (offset + limit).min(selected.len());
        let page = selected.get(offset..end).unwrap_or_default();
        let next = (end < selected.len()).then(|| format!("{}:{end}", r.plural));
        let items: Vec<Json> = page
            .iter()
            .map(|i| {
                if metadata_only {
                    json!({"apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata",
                        "metadata": i["metadata"].clone()})
                } else {
                    // List items carry neither apiVersion nor kind, as from a real server.
                    let mut o = (*i).clone();
                    if let Some(m) = o.as_object_mut() {
                        m.remove("apiVersion");
                        m.remove("kind");
                    }
                    o
                }
            })
            .collect();
        let mut meta = json!({"resourceVersion": "1000"});
        if let Some(n) = next {
            meta["continue"] = json!(n);
            meta["remainingItemCount"] = json!(selected.len() - end);
        }
        let (api_version, kind) = if metadata_only {
            (
                "meta.k8s.io/v1".to_string(),
                "PartialObjectMetadataList".to_string(),
            )
        } else {
            (r.api_version.clone(), format!("{}List", r.kind))
        };
        return (
            200,
            json!({"apiVersion": api_version, "kind": kind, "metadata": meta, "items": items}),
        );
    }
    (
        404,
        status_body(
            404,
            "NotFound",
            "the server could not find the requested resource",
        ),
    )
}

fn status_body(code: u16, reason: &str, message: &str) -> Json {
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code})
}

fn decode_query(q: &str) -> BTreeMap<String, String> {
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (unescape(k), unescape(v)))
        .collect()
}

fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes `value` as a block-style YAML document (strings double-quoted, JSON escapes
/// being valid YAML escapes).
pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    yaml_node(value, 0, &mut out);
    out
}

fn yaml_scalar(v: &Json) -> String {
    match v {
        Json::String(s) => Json::String(s.clone()).to_string(),
        Json::Array(a) if a.is_empty() => "[]".into(),
        Json::Object(o) if o.is_empty() => "{}".into(),
        other => other.to_string(),
    }
}

fn is_block(v: &Json) -> bool {
    match v {
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
        _ => false,
    }
}

fn yaml_node(v: &Json, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Json::Object(o) if !o.is_empty() => {
            for (k, val) in o {
                let key = Json::String(k.clone()).to_string();
                if is_block(val) {
                    out.push_str(&format!("{pad}{key}:\n"));
                    yaml_node(val, indent + 2, out);
                } else {
                    out.push_str(&format!("{pad}{key}: {}\n", yaml_scalar(val)));
                }
            }
        }
        Json::Array(a) if !a.is_empty() => {
            for item in a {
                if is_block(item) {
                    out.push_str(&format!("{pad}-\n"));
                    yaml_node(item, indent + 2, out);
                } else {
                    out.push_str(&format!("{pad}- {}\n", yaml_scalar(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", yaml_scalar(other))),
    }
}
