//! Benchmark: 10,000 Kubernetes objects scanned from manifest files and from a live
//! API server on a loopback port (the same objects); wall time and peak memory of the
//! whole scan. Run with `cargo bench --bench k8s` (or `scripts/bench-k8s`).
//!
//! Under `cargo test --all-targets` (no `--bench` argument) it runs once on 500
//! objects, as a smoke test.
//!
//! The parent process writes the manifests, serves the objects (500 per page, as
//! kubectl asks) and runs each measurement in a fresh child process, so that the peak
//! memory (VmHWM) is the scan's alone, not the server's.

#[path = "../tests/k8s_live/server.rs"]
mod server;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Namespace, Pod, Secret, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use serde::de::DeserializeOwned;
use serde_json::{json, Value as Json};
use soc2scan::adapt::k8s_live::LiveOptions;

/// Runs and namespaces (100 objects each) of a benchmark, and of a smoke test.
const BENCH: (usize, usize) = (5, 100);
const SMOKE: (usize, usize) = (1, 5);

fn typed<K: DeserializeOwned>(v: Json) -> K {
    serde_json::from_value(v).expect("a valid Kubernetes object")
}

/// The objects of namespace `n`, by kind, 100 in all.
#[derive(Default)]
struct Objects {
    namespaces: Vec<Namespace>,
    deployments: Vec<Deployment>,
    pods: Vec<Pod>,
    services: Vec<Service>,
    service_accounts: Vec<ServiceAccount>,
    roles: Vec<Role>,
    bindings: Vec<RoleBinding>,
    policies: Vec<NetworkPolicy>,
    pdbs: Vec<PodDisruptionBudget>,
}

fn container(i: usize) -> Json {
    json!({"name": format!("app-{i}"), "image": format!("registry.example.com/app:{}.0", i % 7),
        "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "DB_PASSWORD", "value": "not-a-real-one"}],
        "ports": [{"containerPort": 8080}],
        "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
        "securityContext": {"allowPrivilegeEscalation": i % 3 == 0, "runAsNonRoot": true,
            "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": i % 2 == 0},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}}})
}

fn generate(namespaces: usize) -> Objects {
    let mut o = Objects::default();
    for n in 0..namespaces {
        let ns = format!("team-{n:03}");
        o.namespaces.push(typed(json!({"metadata": {"name": ns}})));
        // 99 more: 30 Deployments, 20 Pods, 20 Services, 10 ServiceAccounts, 5 Roles,
        // 5 RoleBindings, 5 PodDisruptionBudgets, 4 NetworkPolicies.
        for i in 0..30 {
            let app = format!("svc-{i}");
            o.deployments.push(typed(json!({
                "metadata": {"name": app, "namespace": ns, "labels": {"app": app}},
                "spec": {"replicas": 1 + i % 3, "selector": {"matchLabels": {"app": app}},
                    "template": {"metadata": {"labels": {"app": app}},
                        "spec": {"serviceAccountName": format!("sa-{}", i % 10),
                            "containers": [container(i), container(i + 1)]}}}})));
        }
        for i in 0..20 {
            o.pods.push(typed(json!({
                "metadata": {"name": format!("job-{i}"), "namespace": ns},
                "spec": {"hostNetwork": i == 0, "containers": [container(i)]}})));
            o.services.push(typed(json!({
                "metadata": {"name": format!("svc-{i}"), "namespace": ns},
                "spec": {"type": if i == 0 { "LoadBalancer" } else { "ClusterIP" },
                    "selector": {"app": format!("svc-{i}")}, "ports": [{"port": 80}]}})));
        }
        for i in 0..10 {
            o.service_accounts.push(typed(json!({
                "metadata": {"name": format!("sa-{i}"), "namespace": ns},
                "automountServiceAccountToken": i % 2 == 0})));
        }
        for i in 0..5 {
            o.roles.push(typed(json!({
                "metadata": {"name": format!("role-{i}"), "namespace": ns},
                "rules": [{"apiGroups": [""], "resources": ["pods", "services"], "verbs": ["get", "list"]},
                          {"apiGroups": ["apps"], "resources": if i == 0 { json!(["*"]) } else { json!(["deployments"]) }, "verbs": ["get"]}]})));
            o.bindings.push(typed(json!({
                "metadata": {"name": format!("bind-{i}"), "namespace": ns},
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": format!("role-{i}")},
                "subjects": [{"kind": "ServiceAccount", "name": format!("sa-{i}"), "namespace": ns}]})));
            o.pdbs.push(typed(json!({
                "metadata": {"name": format!("pdb-{i}"), "namespace": ns},
                "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": format!("svc-{i}")}}}})));
        }
        for i in 0..4 {
            o.policies.push(typed(json!({
                "metadata": {"name": format!("np-{i}"), "namespace": ns},
                "spec": {"podSelector": {"matchLabels": {"app": format!("svc-{i}")}}, "policyTypes": ["Ingress"]}})));
        }
    }
    o
}

impl Objects {
    fn count(&self) -> usize {
        self.namespaces.len()
            + self.deployments.len()
            + self.pods.len()
            + self.services.len()
            + self.service_accounts.len()
            + self.roles.len()
            + self.bindings.len()
            + self.policies.len()
            + self.pdbs.len()
    }

    fn served(&self) -> Vec<server::Resource> {
        vec![
            server::resource(&self.namespaces),
            server::resource(&self.pods),
            server::resource(&self.deployments),
            server::resource(&self.services),
            server::resource(&self.service_accounts),
            server::resource(&self.roles),
            server::resource(&self.bindings),
            server::resource(&self.policies),
            server::resource(&self.pdbs),
            // Kinds the generated cluster has none of: empty lists, as a real server.
            server::resource::<StatefulSet>(&[]),
            server::resource::<DaemonSet>(&[]),
            server::resource::<ReplicaSet>(&[]),
            server::resource::<Job>(&[]),
            server::resource::<CronJob>(&[]),
            server::resource::<Ingress>(&[]),
            server::resource::<ClusterRole>(&[]),
            server::resource::<ClusterRoleBinding>(&[]),
            server::resource::<HorizontalPodAutoscaler>(&[]),
            server::resource::<Secret>(&[]),
        ]
    }

    /// One multi-document YAML file per namespace.
    fn write_manifests(&self, dir: &Path) {
        let mut files: std::collections::BTreeMap<String, String> = Default::default();
        let mut add = |v: Json| {
            let ns = v["metadata"]["namespace"]
                .as_str()
                .or(v["metadata"]["name"].as_str())
                .unwrap_or_default()
                .to_string();
            let doc = files.entry(ns).or_default();
            doc.push_str("---\n");
            doc.push_str(&server::to_yaml(&v));
        };
        fn all<T: serde::Serialize>(v: &[T], add: &mut dyn FnMut(Json)) {
            for x in v {
                add(serde_json::to_value(x).expect("serialisable"));
            }
        }
        all(&self.namespaces, &mut add);
        all(&self.deployments, &mut add);
        all(&self.pods, &mut add);
        all(&self.services, &mut add);
        all(&self.service_accounts, &mut add);
        all(&self.roles, &mut add);
        all(&self.bindings, &mut add);
        all(&self.policies, &mut add);
        all(&self.pdbs, &mut add);
        for (ns, text) in files {
            std::fs::write(dir.join(format!("{ns}.yaml")), text).expect("write manifest");
        }
    }
}

/// Peak resident set size of this process in MiB (Linux), if available.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Child mode: `runs` scans of `files DIR` or `live` (KUBECONFIG from the environment).
fn child(mode: &str, runs: usize, dir: Option<&Path>) {
    let mut times = Vec::new();
    let mut what = String::new();
    for _ in 0..runs {
        let config = soc2scan::scan::ScanConfig {
            paths: dir.map(|d| vec![d.to_path_buf()]).unwrap_or_default(),
            kubernetes: (mode == "live").then(LiveOptions::default),
            ..Default::default()
        };
        let t = Instant::now();
        let report = soc2scan::scan::scan(&config).expect("scan");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        what = format!(
            "resources={} results={} findings={} diagnostics={}",
            report.stats.resources,
            report.results.len(),
            report.active_findings().count(),
            report.diagnostics.len()
        );
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{mode:<5} median={:>8.1} ms  best={:>8.1} ms  peak_rss={:>6.1} MiB  {what}",
        times[runs / 2],
        times[0],
        peak_rss_mib().unwrap_or(f64::NAN),
    );
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let (runs, namespaces) = if all.iter().any(|a| a == "--bench") {
        BENCH
    } else {
        SMOKE
    };
    let args: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--bench")
        .collect();
    match args.as_slice() {
        ["files", n, dir] => return child("files", n.parse().unwrap_or(1), Some(Path::new(dir))),
        ["live", n] => return child("live", n.parse().unwrap_or(1), None),
        _ => {}
    }
    let objects = generate(namespaces);
    let dir = tempfile::tempdir().expect("temp dir");
    let manifests = dir.path().join("manifests");
    std::fs::create_dir(&manifests).expect("manifest dir");
    objects.write_manifests(&manifests);
    let server = server::ApiServer::start(objects.served(), 500);
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        server::kubeconfig(&server.url(), server::closed_port(), "test"),
    )
    .expect("write kubeconfig");
    println!(
        "soc2scan Kubernetes benchmark: {} objects ({namespaces} manifest files; live: loopback API server, 500 per page), {runs} runs each (median, best)",
        objects.count(),
    );
    let exe = std::env::current_exe().expect("own path");
    let mut failed = false;
    for mode in ["files", "live"] {
        let mut cmd = Command::new(&exe);
        cmd.arg(mode)
            .arg(runs.to_string())
            .env("KUBECONFIG", &kubeconfig)
            .current_dir(dir.path());
        if mode == "files" {
            cmd.arg(&manifests);
        }
        if !cmd.status().is_ok_and(|s| s.success()) {
            eprintln!("{mode} failed");
            failed = true;
        }
    }
    let pages = server.requests().len();
    println!("live: {pages} list requests answered in all runs");
    if failed {
        std::process::exit(1);
    }
}
