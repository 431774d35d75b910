//! Kubernetes manifests end to end: multi-document files, `List`s, JSON manifests,
//! standard input, Helm templates, malformed YAML, positions in SARIF, secrets kept out
//! of every output, and the whole Kubernetes corpus.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use soc2scan::diagnostic::{DiagKind, DiagLevel};
use soc2scan::engine::Selection;
use soc2scan::finding::Outcome;
use soc2scan::report::Report;
use soc2scan::scan::{scan, ScanConfig};

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn scan_paths(paths: Vec<PathBuf>, select: &[&str]) -> Report {
    scan(&ScanConfig {
        paths,
        selection: Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: vec![],
        },
        today: Some("2026-01-01".into()),
        ..Default::default()
    })
    .unwrap()
}

/// `(rule, file name, line)` of every unsuppressed finding.
fn findings(r: &Report) -> Vec<(String, String, u32)> {
    let mut v: Vec<_> = r
        .results
        .iter()
        .filter(|x| matches!(x.outcome, Outcome::Fail { .. }))
        .map(|x| {
            let file = x.location.file().unwrap_or_default();
            let name = file.rsplit('/').next().unwrap_or_default().to_string();
            (x.rule_id.to_string(), name, x.location.line().unwrap_or(0))
        })
        .collect();
    v.sort();
    v
}

fn soc2scan() -> Command {
    Command::cargo_bin("soc2scan").unwrap()
}

const PRIVILEGED_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: web
spec:
  containers:
    - name: app
      image: app:1.0
      securityContext:
        privileged: true
";

#[test]
fn multi_document_list_and_json_manifests() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "multi.yaml",
        &format!(
            "# two documents\n{PRIVILEGED_POD}---\n{}",
            PRIVILEGED_POD.replace("name: p\n", "name: q\n")
        ),
    );
    write(
        dir.path(),
        "list.yaml",
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: { name: in-list, namespace: web }\n    spec:\n      containers:\n        - name: app\n          image: app:1.0\n          securityContext:\n            privileged: true\n",
    );
    write(
        dir.path(),
        "pod.json",
        "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"j\", \"namespace\": \"web\"},\n  \"spec\": {\"containers\": [{\"name\": \"app\", \"image\": \"app:1.0\",\n    \"securityContext\": {\"privileged\": true}}]}\n}\n",
    );
    // Not manifests: skipped without a diagnostic.
    write(
        dir.path(),
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write(
        dir.path(),
        "kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources: [multi.yaml]\n",
    );
    write(
        dir.path(),
        "values.yaml",
        "replicaCount: 1\nimage: {tag: latest}\n",
    );
    let r = scan_paths(vec![dir.path().to_path_buf()], &["K8S-POD-001"]);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        findings(&r),
        vec![
            ("K8S-POD-001".into(), "list.yaml".into(), 12),
            ("K8S-POD-001".into(), "multi.yaml".into(), 12),
            ("K8S-POD-001".into(), "multi.yaml".into(), 24),
            ("K8S-POD-001".into(), "pod.json".into(), 6),
        ]
    );
    assert_eq!(r.stats.files, 3);
    let addresses: Vec<&str> = r.results.iter().map(|x| &*x.resource).collect();
    assert!(addresses.contains(&"Pod/web/in-list"), "{addresses:?}");
    let attr = r
        .results
        .iter()
        .find(|x| &*x.resource == "Pod/web/j")
        .map(|x| x.attribute.to_string());
    assert_eq!(
        attr.as_deref(),
        Some("spec.containers[app].securityContext.privileged")
    );
}

#[test]
fn standard_input_is_a_yaml_stream() {
    let out = soc2scan()
        .args(["scan", "-", "--format", "json", "--select", "K8S-POD-001"])
        .write_stdin(format!("---\n{PRIVILEGED_POD}"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let f = &json["findings"][0];
    assert_eq!(f["rule_id"], "K8S-POD-001");
    assert_eq!(f["location"]["path"], "<stdin>");
    assert_eq!(f["location"]["line"], 12);
    assert_eq!(f["resource"], "Pod/web/p");
}

#[test]
fn helm_templates_are_notes_not_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "chart/Chart.yaml",
        "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    );
    write(dir.path(), "chart/values.yaml", "image: nginx\n");
    // Parses as YAML (a `{{ … }}` flow mapping) but is a template all the same.
    write(
        dir.path(),
        "chart/templates/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  type: LoadBalancer\n",
    );
    write(
        dir.path(),
        "chart/templates/deployment.yaml",
        "{{- if .Values.enabled }}\napiVersion: apps/v1\nkind: Deployment\n{{- end }}\n",
    );
    // Outside a chart: detected by content.
    write(
        dir.path(),
        "plain/pod-template.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ name }}\nspec:\n  containers: []\n",
    );
    let r = scan_paths(vec![dir.path().to_path_buf()], &[]);
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.kind,
                d.level,
                d.file
                    .as_ref()
                    .map(|f| f.file_name().unwrap_or("").to_string()),
            )
        })
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    for (kind, level, _) in &notes {
        assert_eq!((*kind, *level), (DiagKind::Template, DiagLevel::Note));
    }
    assert!(r
        .diagnostics
        .iter()
        .all(|d| d.message.contains("not scanned: template")));
    assert!(r.results.is_empty(), "templates are not scanned");
}

#[test]
fn malformed_yaml_is_a_diagnostic_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
    );
    write(dir.path(), "good.yaml", PRIVILEGED_POD);
    let r = scan_paths(vec![dir.path().to_path_buf()], &["K8S-POD-001"]);
    let errors: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::ParseError)
        .collect();
    assert_eq!(errors.len(), 1, "{:?}", r.diagnostics);
    assert!(errors[0]
        .file
        .as_ref()
        .unwrap()
        .as_str()
        .ends_with("broken.yaml"));
    assert_eq!(errors[0].line, Some(5));
    assert_eq!(
        findings(&r),
        vec![("K8S-POD-001".into(), "good.yaml".into(), 11)]
    );
}

#[test]
fn sarif_points_at_the_offending_key() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pod.yaml", PRIVILEGED_POD);
    let out = soc2scan()
        .current_dir(dir.path())
        .args([
            "scan",
            "pod.yaml",
            "--format",
            "sarif",
            "--select",
            "K8S-POD-001,K8S-POD-002",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let sarif: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let region = |rule: &str| {
        let r = results
            .iter()
            .find(|r| r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {results:?}"));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "pod.yaml");
        (
            loc["region"]["startLine"].as_i64(),
            loc["region"]["startColumn"].as_i64(),
        )
    };
    // `privileged: true` is written on line 11, column 9.
    assert_eq!(region("K8S-POD-001"), (Some(11), Some(9)));
    // allowPrivilegeEscalation is missing: the container's first line.
    assert_eq!(region("K8S-POD-002"), (Some(8), Some(7)));
}

#[test]
fn literal_secrets_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: web\nspec:\n  selector:\n    matchLabels: { app: api }\n  template:\n    metadata:\n      labels: { app: api }\n    spec:\n      containers:\n        - name: api\n          image: api:1.0\n          env:\n            - name: PASSWORD\n              value: hunter2\n            - name: DB_PASSWORD\n              value: \"hunter2\"\n            - { name: API_TOKEN, value: hunter2 }\n",
    );
    for format in ["text", "json", "sarif", "controls"] {
        let out = soc2scan()
            .current_dir(dir.path())
            .args(["scan", ".", "--format", format, "--no-color"])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stdout.contains("hunter2") && !stderr.contains("hunter2"),
            "{format} output leaks the secret:\n{stdout}"
        );
        if format == "json" {
            let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            let secrets = json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["rule_id"] == "K8S-SEC-001")
                .count();
            assert_eq!(secrets, 3, "every literal secret is a finding");
        }
    }
}

#[test]
fn namespaces_only_used_need_policies_in_scope() {
    let fixture = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/rules/k8s-namespace-network-policy/unmanaged"
    ));
    let r = scan_paths(vec![fixture], &["K8S-NET-003"]);
    let outcomes: Vec<_> = r
        .results
        .iter()
        .map(|x| (&*x.resource, &x.outcome))
        .collect();
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].0, "Namespace/catalog");
    assert!(
        matches!(outcomes[0].1, Outcome::NotEvaluated { reason } if reason.contains("no NetworkPolicy")),
        "{outcomes:?}"
    );
}

#[test]
fn kubernetes_corpus_scans_without_abort() {
    let root = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/kubernetes"
    ));
    assert!(root.is_dir(), "{} is missing", root.display());
    let r = scan_paths(vec![root], &[]);
    assert!(r.stats.files > 300, "{} files", r.stats.files);
    assert!(r.stats.resources > 250, "{} objects", r.stats.resources);
    // The five files with duplicate keys are parse errors with their line; nothing else.
    let mut parse_errors: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::ParseError)
        .map(|d| {
            assert!(d.line.is_some(), "{d}");
            assert!(d.message.contains("duplicated key"), "{d}");
            let f = d.file.as_ref().unwrap().as_str();
            f[f.find("k8s-examples").unwrap_or(0)..].to_string()
        })
        .collect();
    parse_errors.sort();
    assert_eq!(
        parse_errors,
        vec![
            "k8s-examples/_archived/openshift-origin/etcd-controller.yaml",
            "k8s-examples/_archived/openshift-origin/etcd-discovery-controller.yaml",
            "k8s-examples/_archived/openshift-origin/openshift-controller.yaml",
            "k8s-examples/_archived/persistent-volume-provisioning/quobyte/quobyte-admin-secret.yaml",
            "k8s-examples/_archived/volumes/scaleio/sc-pvc.yaml",
        ]
    );
    // Every Helm chart template of kubernetes-goat is a note, none an error.
    let helm: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| {
            d.file.as_ref().is_some_and(|f| {
                f.as_str().contains("kubernetes-goat") && f.as_str().contains("/templates/")
            })
        })
        .collect();
    assert_eq!(helm.len(), 6, "{helm:?}");
    assert!(helm
        .iter()
        .all(|d| d.kind == DiagKind::Template && d.level == DiagLevel::Note));
    // kubernetes-goat is vulnerable by design: its privileged pods, host mounts and the
    // cluster-admin binding are found.
    let goat = |rule: &str| {
        r.results.iter().any(|x| {
            x.rule_id == rule
                && matches!(x.outcome, Outcome::Fail { .. })
                && x.location
                    .file()
                    .is_some_and(|f| f.contains("kubernetes-goat"))
        })
    };
    for rule in [
        "K8S-POD-001",
        "K8S-POD-004",
        "K8S-POD-006",
        "K8S-RBAC-001",
        "K8S-NET-001",
    ] {
        assert!(goat(rule), "kubernetes-goat gives no {rule} finding");
    }
}
