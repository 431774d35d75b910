//! Live Kubernetes scans end to end: the real binary (`scan --kubernetes`) and the real
//! `kube` client against an API server on a loopback port serving objects built from
//! k8s-openapi types — kubeconfig contexts and bearer token, pagination, a 403 kind,
//! metadata-only Secrets, controller-made objects collapsed into their owner, one
//! namespace — and the same objects scanned as manifest files giving the same findings
//! with the same fingerprints.
#![cfg(feature = "kubernetes")]

#[path = "k8s_live/server.rs"]
mod server;

use std::collections::BTreeMap;

use assert_cmd::Command;
use k8s_openapi::api::apps::v1::{
    DaemonSet, DaemonSetSpec, Deployment, DeploymentSpec, ReplicaSet, ReplicaSetSpec, StatefulSet,
    StatefulSetSpec,
};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec,
};
use k8s_openapi::api::batch::v1::{CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec};
use k8s_openapi::api::core::v1::{
    Capabilities, Container, EnvVar, HTTPGetAction, Namespace, Pod, PodSpec, PodTemplateSpec,
    Probe, ReplicationController, ReplicationControllerSpec, ResourceRequirements, SeccompProfile,
    Secret, SecurityContext, Service, ServiceAccount, ServiceSpec,
};
use k8s_openapi::api::networking::v1::{
    Ingress, IngressRule, IngressSpec, NetworkPolicy, NetworkPolicySpec,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use k8s_openapi::ByteString;
use serde_json::Value as Json;
use server::{closed_port, kubeconfig, resource, to_yaml, ApiServer, Resource};

/// A value written into the served objects that must never reach any output.
const SECRET_VALUE: &str = "super-secret-value-4711";
/// A literal password in a container's environment (reported by name, never by value).
const ENV_LITERAL: &str = "hunter2-literal-0815";

fn labels(app: &str) -> Option<BTreeMap<String, String>> {
    Some(BTreeMap::from([("app".to_string(), app.to_string())]))
}

fn meta(ns: Option<&str>, name: &str, uid: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: ns.map(str::to_string),
        uid: Some(uid.into()),
        resource_version: Some("100".into()),
        ..ObjectMeta::default()
    }
}

fn owned(mut m: ObjectMeta, kind: &str, name: &str, uid: &str) -> ObjectMeta {
    m.owner_references = Some(vec![OwnerReference {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }]);
    m
}

/// A container that passes every container rule.
fn hardened(name: &str) -> Container {
    let probe = Probe {
        http_get: Some(HTTPGetAction {
            path: Some("/healthz".into()),
            port: IntOrString::Int(8080),
            ..HTTPGetAction::default()
        }),
        ..Probe::default()
    };
    Container {
        name: name.into(),
        image: Some("registry.example.com/app:1.4.2".into()),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(true),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                ..Capabilities::default()
            }),
            seccomp_profile: Some(SeccompProfile {
                type_: "RuntimeDefault".into(),
                ..SeccompProfile::default()
            }),
            ..SecurityContext::default()
        }),
        resources: Some(ResourceRequirements {
            limits: Some(BTreeMap::from([
                ("cpu".to_string(), Quantity("500m".into())),
                ("memory".to_string(), Quantity("256Mi".into())),
            ])),
            ..ResourceRequirements::default()
        }),
        liveness_probe: Some(probe.clone()),
        readiness_probe: Some(probe),
        ..Container::default()
    }
}

fn pod_spec(containers: Vec<Container>) -> PodSpec {
    PodSpec {
        containers,
        automount_service_account_token: Some(false),
        ..PodSpec::default()
    }
}

fn template(app: &str, spec: PodSpec) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: labels(app),
            ..ObjectMeta::default()
        }),
        spec: Some(spec),
    }
}

/// The objects of the test cluster.
struct Objects {
    namespaces: Vec<Namespace>,
    /// Pods nothing listed owns (checked on their own).
    pods: Vec<Pod>,
    /// Pods made by a listed ReplicaSet or Job (collapsed into it).
    owned_pods: Vec<Pod>,
    deployments: Vec<Deployment>,
    replica_sets: Vec<ReplicaSet>,
    jobs: Vec<Job>,
    cron_jobs: Vec<CronJob>,
    stateful_sets: Vec<StatefulSet>,
    daemon_sets: Vec<DaemonSet>,
    replication_controllers: Vec<ReplicationController>,
    autoscalers: Vec<HorizontalPodAutoscaler>,
    services: Vec<Service>,
    ingresses: Vec<Ingress>,
    network_policies: Vec<NetworkPolicy>,
    service_accounts: Vec<ServiceAccount>,
    roles: Vec<Role>,
    cluster_roles: Vec<ClusterRole>,
    role_bindings: Vec<RoleBinding>,
    cluster_role_bindings: Vec<ClusterRoleBinding>,
    pdbs: Vec<PodDisruptionBudget>,
    secrets: Vec<Secret>,
}

fn objects() -> Objects {
    let mut privileged = hardened("proxy");
    privileged.security_context.as_mut().unwrap().privileged = Some(true);
    let deploy_spec = pod_spec(vec![hardened("api"), privileged]);
    let rs_name = "api-6b9f7";
    let owned_pod = |name: &str| Pod {
        metadata: owned(
            ObjectMeta {
                labels: labels("api"),
                ..meta(Some("payments"), name, &format!("uid-{name}"))
            },
            "ReplicaSet",
            rs_name,
            "uid-rs",
        ),
        spec: Some(deploy_spec.clone()),
        ..Pod::default()
    };
    let mut debug = hardened("shell");
    debug.image = Some("busybox:latest".into());
    debug.env = Some(vec![EnvVar {
        name: "DB_PASSWORD".into(),
        value: Some(ENV_LITERAL.into()),
        ..EnvVar::default()
    }]);
    let mut backup_pod = pod_spec(vec![hardened("backup")]);
    backup_pod.restart_policy = Some("OnFailure".into());
    let job_pod = Pod {
        metadata: {
            let mut m = meta(Some("payments"), "backup-29001-x7", "uid-jobpod");
            m.owner_references = Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "Job".into(),
                name: "backup-29001".into(),
                uid: "uid-job".into(),
                controller: Some(true),
                block_owner_deletion: Some(true),
            }]);
            m
        },
        spec: Some(backup_pod.clone()),
        ..Pod::default()
    };
    let mut static_pod_spec = pod_spec(vec![hardened("etcd")]);
    static_pod_spec.host_network = Some(true);
    let static_pod = Pod {
        metadata: {
            let mut m = meta(Some("kube-system"), "etcd-node1", "uid-etcd");
            m.owner_references = Some(vec![OwnerReference {
                api_version: "v1".into(),
                kind: "Node".into(),
                name: "node1".into(),
                uid: "uid-node1".into(),
                controller: Some(true),
                ..OwnerReference::default()
            }]);
            m
        },
        spec: Some(static_pod_spec),
        ..Pod::default()
    };
    let mut debug_spec = pod_spec(vec![debug]);
    debug_spec.host_pid = Some(true);
    // One object of every other pod-running kind, each with one deliberate finding.
    let mut cache = hardened("redis");
    cache.security_context.as_mut().unwrap().privileged = Some(true);
    let mut agent_spec = pod_spec(vec![hardened("agent")]);
    agent_spec.host_pid = Some(true);
    let mut legacy = hardened("app");
    legacy.image = Some("legacy:latest".into());
    Objects {
        stateful_sets: vec![StatefulSet {
            metadata: meta(Some("web"), "cache", "uid-sts"),
            spec: StatefulSetSpec {
                replicas: Some(2),
                selector: LabelSelector {
                    match_labels: labels("cache"),
                    ..LabelSelector::default()
                },
                service_name: Some("cache".into()),
                template: template("cache", pod_spec(vec![cache])),
                ..StatefulSetSpec::default()
            },
            ..StatefulSet::default()
        }],
        daemon_sets: vec![DaemonSet {
            metadata: meta(Some("kube-system"), "log-agent", "uid-ds"),
            spec: DaemonSetSpec {
                selector: LabelSelector {
                    match_labels: labels("log-agent"),
                    ..LabelSelector::default()
                },
                template: template("log-agent", agent_spec),
                ..DaemonSetSpec::default()
            },
            ..DaemonSet::default()
        }],
        replication_controllers: vec![ReplicationController {
            metadata: meta(Some("web"), "legacy", "uid-rc"),
            spec: Some(ReplicationControllerSpec {
                replicas: Some(2),
                selector: Some(BTreeMap::from([("app".to_string(), "legacy".to_string())])),
                template: Some(template("legacy", pod_spec(vec![legacy]))),
                ..ReplicationControllerSpec::default()
            }),
            ..ReplicationController::default()
        }],
        autoscalers: vec![HorizontalPodAutoscaler {
            metadata: meta(Some("payments"), "api", "uid-hpa"),
            spec: HorizontalPodAutoscalerSpec {
                min_replicas: Some(2),
                max_replicas: 6,
                scale_target_ref: CrossVersionObjectReference {
                    api_version: Some("apps/v1".into()),
                    kind: "Deployment".into(),
                    name: "api".into(),
                },
                ..HorizontalPodAutoscalerSpec::default()
            },
            ..HorizontalPodAutoscaler::default()
        }],
        namespaces: ["payments", "web"]
            .iter()
            .map(|n| Namespace {
                metadata: meta(None, n, &format!("uid-ns-{n}")),
                ..Namespace::default()
            })
            .collect(),
        pods: vec![
            static_pod,
            Pod {
                metadata: meta(Some("web"), "debug", "uid-debug"),
                spec: Some(debug_spec),
                ..Pod::default()
            },
        ],
        owned_pods: vec![
            owned_pod("api-6b9f7-abcde"),
            owned_pod("api-6b9f7-fghij"),
            job_pod,
        ],
        deployments: vec![Deployment {
            metadata: meta(Some("payments"), "api", "uid-deploy"),
            spec: DeploymentSpec {
                replicas: Some(2),
                selector: LabelSelector {
                    match_labels: labels("api"),
                    ..LabelSelector::default()
                },
                template: template("api", deploy_spec.clone()),
                ..DeploymentSpec::default()
            },
            ..Deployment::default()
        }],
        replica_sets: vec![ReplicaSet {
            metadata: owned(
                meta(Some("payments"), rs_name, "uid-rs"),
                "Deployment",
                "api",
                "uid-deploy",
            ),
            spec: ReplicaSetSpec {
                replicas: Some(2),
                selector: LabelSelector {
                    match_labels: labels("api"),
                    ..LabelSelector::default()
                },
                template: Some(template("api", deploy_spec)),
                ..ReplicaSetSpec::default()
            },
            ..ReplicaSet::default()
        }],
        jobs: vec![Job {
            metadata: {
                let mut m = meta(Some("payments"), "backup-29001", "uid-job");
                m.owner_references = Some(vec![OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "CronJob".into(),
                    name: "backup".into(),
                    uid: "uid-cron".into(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }]);
                m
            },
            spec: Some(JobSpec {
                template: template("backup", backup_pod.clone()),
                ..JobSpec::default()
            }),
            ..Job::default()
        }],
        cron_jobs: vec![CronJob {
            metadata: meta(Some("payments"), "backup", "uid-cron"),
            spec: CronJobSpec {
                schedule: "0 3 * * *".into(),
                job_template: JobTemplateSpec {
                    metadata: None,
                    spec: Some(JobSpec {
                        template: template("backup", backup_pod),
                        ..JobSpec::default()
                    }),
                },
                ..CronJobSpec::default()
            },
            ..CronJob::default()
        }],
        services: vec![Service {
            metadata: meta(Some("web"), "frontend", "uid-svc"),
            spec: Some(ServiceSpec {
                type_: Some("LoadBalancer".into()),
                selector: labels("frontend"),
                ..ServiceSpec::default()
            }),
            ..Service::default()
        }],
        ingresses: vec![Ingress {
            metadata: meta(Some("web"), "frontend", "uid-ing"),
            spec: Some(IngressSpec {
                rules: Some(vec![IngressRule {
                    host: Some("shop.example.com".into()),
                    ..IngressRule::default()
                }]),
                ..IngressSpec::default()
            }),
            ..Ingress::default()
        }],
        network_policies: vec![NetworkPolicy {
            metadata: meta(Some("payments"), "default-deny", "uid-np"),
            spec: Some(NetworkPolicySpec {
                pod_selector: Some(LabelSelector::default()),
                policy_types: Some(vec!["Ingress".into(), "Egress".into()]),
                ..NetworkPolicySpec::default()
            }),
        }],
        service_accounts: vec![ServiceAccount {
            metadata: meta(Some("payments"), "api", "uid-sa"),
            automount_service_account_token: Some(false),
            ..ServiceAccount::default()
        }],
        roles: vec![Role {
            metadata: meta(Some("web"), "editor", "uid-role"),
            rules: Some(vec![PolicyRule {
                api_groups: Some(vec!["".into()]),
                resources: Some(vec!["*".into()]),
                verbs: vec!["get".into(), "list".into()],
                ..PolicyRule::default()
            }]),
        }],
        cluster_roles: vec![ClusterRole {
            metadata: meta(None, "ops-admin", "uid-cr"),
            rules: Some(vec![PolicyRule {
                api_groups: Some(vec!["apps".into()]),
                resources: Some(vec!["deployments".into()]),
                verbs: vec!["*".into()],
                ..PolicyRule::default()
            }]),
            ..ClusterRole::default()
        }],
        role_bindings: vec![RoleBinding {
            metadata: meta(Some("web"), "debuggers", "uid-rb"),
            role_ref: RoleRef {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: "ClusterRole".into(),
                name: "cluster-admin".into(),
            },
            subjects: Some(vec![Subject {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: "User".into(),
                name: "alice@example.com".into(),
                namespace: None,
            }]),
        }],
        cluster_role_bindings: vec![ClusterRoleBinding {
            metadata: meta(None, "ci-admin", "uid-crb"),
            role_ref: RoleRef {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: "ClusterRole".into(),
                name: "cluster-admin".into(),
            },
            subjects: Some(vec![Subject {
                api_group: Some("rbac.authorization.k8s.io".into()),
                kind: "Group".into(),
                name: "ci-deployers".into(),
                namespace: None,
            }]),
        }],
        pdbs: vec![
            PodDisruptionBudget {
                metadata: meta(Some("web"), "cache", "uid-pdb-cache"),
                spec: Some(PodDisruptionBudgetSpec {
                    max_unavailable: Some(IntOrString::Int(1)),
                    selector: Some(LabelSelector {
                        match_labels: labels("cache"),
                        ..LabelSelector::default()
                    }),
                    ..PodDisruptionBudgetSpec::default()
                }),
                ..PodDisruptionBudget::default()
            },
            PodDisruptionBudget {
                metadata: meta(Some("payments"), "api", "uid-pdb"),
                spec: Some(PodDisruptionBudgetSpec {
                    min_available: Some(IntOrString::Int(1)),
                    selector: Some(LabelSelector {
                        match_labels: labels("api"),
                        ..LabelSelector::default()
                    }),
                    ..PodDisruptionBudgetSpec::default()
                }),
                ..PodDisruptionBudget::default()
            },
        ],
        secrets: vec![Secret {
            metadata: ObjectMeta {
                annotations: Some(BTreeMap::from([(
                    "kubectl.kubernetes.io/last-applied-configuration".to_string(),
                    format!("{{\"stringData\":{{\"password\":\"{SECRET_VALUE}\"}}}}"),
                )])),
                ..meta(Some("payments"), "db-credentials", "uid-secret")
            },
            data: Some(BTreeMap::from([(
                "password".to_string(),
                ByteString(SECRET_VALUE.as_bytes().to_vec()),
            )])),
            type_: Some("Opaque".into()),
            ..Secret::default()
        }],
    }
}

/// The served kinds; `forbidden` kinds answer 403.
fn resources(o: &Objects, forbidden: &[&str]) -> Vec<Resource> {
    let pods: Vec<Pod> = o.pods.iter().chain(&o.owned_pods).cloned().collect();
    let mut r = vec![
        resource(&o.namespaces),
        resource(&pods),
        resource(&o.deployments),
        resource(&o.stateful_sets),
        resource(&o.daemon_sets),
        resource(&o.replica_sets),
        resource(&o.jobs),
        resource(&o.cron_jobs),
        resource(&o.replication_controllers),
        resource(&o.services),
        resource(&o.ingresses),
        resource(&o.network_policies),
        resource(&o.service_accounts),
        resource(&o.roles),
        resource(&o.cluster_roles),
        resource(&o.role_bindings),
        resource(&o.cluster_role_bindings),
        resource(&o.pdbs),
        resource(&o.autoscalers),
        resource(&o.secrets),
    ];
    for x in &mut r {
        x.forbidden = forbidden.contains(&x.kind.as_str());
    }
    r
}

/// The objects a repository would hold as manifests: everything but what controllers
/// make (owned Pods, ReplicaSets, Jobs) and the `skip` kinds.
fn manifests(o: &Objects, skip: &[&str]) -> Vec<Json> {
    fn all<T: serde::Serialize>(v: &[T]) -> Vec<Json> {
        v.iter().map(|x| serde_json::to_value(x).unwrap()).collect()
    }
    let mut secrets = all(&o.secrets);
    for s in &mut secrets {
        // A manifest does not carry what the server adds.
        s["metadata"].as_object_mut().unwrap().remove("annotations");
    }
    [
        all(&o.namespaces),
        all(&o.pods),
        all(&o.deployments),
        all(&o.cron_jobs),
        all(&o.stateful_sets),
        all(&o.daemon_sets),
        all(&o.replication_controllers),
        all(&o.autoscalers),
        all(&o.services),
        all(&o.ingresses),
        all(&o.network_policies),
        all(&o.service_accounts),
        all(&o.roles),
        all(&o.cluster_roles),
        all(&o.role_bindings),
        all(&o.cluster_role_bindings),
        all(&o.pdbs),
        secrets,
    ]
    .concat()
    .into_iter()
    .filter(|m| !skip.contains(&m["kind"].as_str().unwrap_or_default()))
    .collect()
}

struct Env {
    dir: tempfile::TempDir,
    server: ApiServer,
}

impl Env {
    fn new(forbidden: &[&str], current_context: &str) -> Env {
        let server = ApiServer::start(resources(&objects(), forbidden), 2);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("kubeconfig"),
            kubeconfig(&server.url(), closed_port(), current_context),
        )
        .unwrap();
        Env { dir, server }
    }

    fn soc2scan(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("soc2scan")
            .unwrap()
            .current_dir(self.dir.path())
            .env("KUBECONFIG", self.dir.path().join("kubeconfig"))
            .env_remove("KUBERNETES_SERVICE_HOST")
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// A JSON scan at the strict level, so that every Kubernetes rule runs on the
    /// live objects (and on their manifests, where both are compared).
    fn scan_json(&self, args: &[&str]) -> Json {
        let mut all = vec![
            "scan",
            "--format",
            "json",
            "--no-config",
            "--level",
            "strict",
        ];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = self.soc2scan(&all);
        assert!(code == 0 || code == 1, "exit {code}: {stderr}");
        for leaked in [SECRET_VALUE, ENV_LITERAL, server::TOKEN] {
            assert!(!stdout.contains(leaked), "{leaked} leaked into the report");
            assert!(!stderr.contains(leaked), "{leaked} leaked into stderr");
        }
        serde_json::from_str(&stdout).unwrap()
    }
}

/// `RULE resource attribute` of every entry of `section`, sorted.
fn entries(report: &Json, section: &str) -> Vec<String> {
    let mut v: Vec<String> = report[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let attr = f["attribute"].as_str().unwrap();
            let res = f["resource"].as_str().unwrap();
            let rule = f["rule_id"].as_str().unwrap();
            if attr.is_empty() {
                format!("{rule} {res}")
            } else {
                format!("{rule} {res} {attr}")
            }
        })
        .collect();
    v.sort();
    v
}

/// `(rule, fingerprint)` of every entry of `section`, sorted.
fn fingerprints(report: &Json, section: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Per-rule `(id, failed, passed, not_evaluated)`.
fn rule_counts(report: &Json) -> Vec<(String, u64, u64, u64)> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let c = &r["results"];
            (
                r["id"].as_str().unwrap().to_string(),
                c["failed"].as_u64().unwrap(),
                c["passed"].as_u64().unwrap(),
                c["not_evaluated"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The findings the served objects give when every kind can be listed, except those of
/// `K8S-RBAC-001` on ClusterRoleBindings.
const FINDINGS: &[&str] = &[
    "K8S-NET-001 Pod/kube-system/etcd-node1 spec.hostNetwork",
    "K8S-NET-003 Namespace/kube-system networkPolicy",
    "K8S-NET-003 Namespace/web networkPolicy",
    "K8S-NET-004 Service/web/frontend spec.type",
    "K8S-NET-005 Ingress/web/frontend spec.tls",
    "K8S-POD-001 Deployment/payments/api spec.template.spec.containers[proxy].securityContext.privileged",
    "K8S-POD-001 StatefulSet/web/cache spec.template.spec.containers[redis].securityContext.privileged",
    "K8S-POD-004 DaemonSet/kube-system/log-agent spec.template.spec.hostPID",
    "K8S-POD-004 Pod/web/debug spec.hostPID",
    "K8S-POD-013 Pod/web/debug spec.containers[shell].image",
    "K8S-POD-013 ReplicationController/web/legacy spec.template.spec.containers[app].image",
    "K8S-RBAC-001 RoleBinding/web/debuggers subjects[User:alice@example.com]",
    "K8S-RBAC-002 ClusterRole/ops-admin rules[0].verbs",
    "K8S-RBAC-002 Role/web/editor rules[0].resources",
    "K8S-SEC-001 Pod/web/debug spec.containers[shell].env[DB_PASSWORD].value",
];

#[test]
fn live_scan_lists_paginates_collapses_and_reports_a_forbidden_kind() {
    let env = Env::new(&["ClusterRoleBinding"], "broken");
    let report = env.scan_json(&["--kubernetes", "--context", "test"]);
    assert_eq!(report["inputs"], serde_json::json!(["kubernetes:test"]));
    assert_eq!(entries(&report, "findings"), FINDINGS);
    // The forbidden kind: one not-evaluated record for the rule that checks it, with
    // kind, HTTP status and API path, and a diagnostic; nothing else is unevaluated.
    assert_eq!(
        entries(&report, "not_evaluated"),
        ["K8S-RBAC-001 ClusterRoleBinding/*"]
    );
    let ne = &report["not_evaluated"][0];
    assert_eq!(
        ne["reason"].as_str().unwrap(),
        "cannot list ClusterRoleBinding in the cluster (HTTP 403 Forbidden for GET \
         /apis/rbac.authorization.k8s.io/v1/clusterrolebindings): clusterrolebindings.rbac.authorization.k8s.io \
         is forbidden: User \"system:serviceaccount:ci:soc2scan\" cannot list resource \
         \"clusterrolebindings\" in API group \"rbac.authorization.k8s.io\" at the cluster scope"
    );
    assert_eq!(
        ne["location"],
        serde_json::json!({"source": "cluster", "context": "test", "kind": "ClusterRoleBinding",
            "namespace": null, "name": "*"})
    );
    let diags = report["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["level"], "error");
    assert!(diags[0]["message"].as_str().unwrap().starts_with(
        "Kubernetes context `test`: cannot list ClusterRoleBinding in the cluster (HTTP 403"
    ));
    // Findings point at the cluster object.
    let privileged = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule_id"] == "K8S-POD-001")
        .unwrap();
    assert_eq!(
        privileged["location"],
        serde_json::json!({"source": "cluster", "context": "test", "kind": "Deployment",
            "namespace": "payments", "name": "api"})
    );
    // Owned ReplicaSets, Pods and Jobs are collapsed: 2 namespaces + 2 pods + Deployment
    // + CronJob + StatefulSet + DaemonSet + ReplicationController + Service + Ingress +
    // NetworkPolicy + ServiceAccount + Role + ClusterRole + RoleBinding + 2 PDBs +
    // HorizontalPodAutoscaler + Secret.
    assert_eq!(report["summary"]["resources"], 20);

    let requests = env.server.requests();
    assert!(
        requests.iter().all(|r| r.authorized),
        "the kubeconfig token is sent"
    );
    // Pods (5 objects, 2 per page) are read to the end with the continue token.
    let pods: Vec<_> = requests
        .iter()
        .filter(|r| r.path == "/api/v1/pods")
        .collect();
    assert_eq!(pods.len(), 3, "{pods:?}");
    assert!(pods
        .iter()
        .all(|r| r.query.get("limit").map(String::as_str) == Some("500")));
    let mut tokens: Vec<Option<&str>> = pods
        .iter()
        .map(|r| r.query.get("continue").map(String::as_str))
        .collect();
    tokens.sort();
    assert_eq!(tokens, [None, Some("pods:2"), Some("pods:4")]);
    // Secrets are listed once, by metadata only.
    let secrets: Vec<_> = requests
        .iter()
        .filter(|r| r.path.contains("secrets"))
        .collect();
    assert_eq!(secrets.len(), 1);
    assert!(secrets[0].accept.contains("as=PartialObjectMetadataList"));
    assert_eq!(secrets[0].status, 200);
    // Every kind is listed across the cluster, once (pods: three pages).
    assert_eq!(requests.len(), 20 + 2, "{requests:?}");
}

#[test]
fn live_and_manifest_scans_give_the_same_findings() {
    let env = Env::new(&[], "test");
    let live = env.scan_json(&["--kubernetes"]);
    let files = env.dir.path().join("manifests");
    std::fs::create_dir(&files).unwrap();
    for (i, m) in manifests(&objects(), &[]).iter().enumerate() {
        let name = format!(
            "{i:02}-{}-{}.yaml",
            m["kind"].as_str().unwrap().to_lowercase(),
            m["metadata"]["name"].as_str().unwrap()
        );
        std::fs::write(files.join(name), to_yaml(m)).unwrap();
    }
    let from_files = env.scan_json(&["manifests"]);
    let mut expected: Vec<String> = FINDINGS.iter().map(|s| s.to_string()).collect();
    expected
        .push("K8S-RBAC-001 ClusterRoleBinding/ci-admin subjects[Group:ci-deployers]".to_string());
    expected.sort();
    assert_eq!(entries(&live, "findings"), expected);
    assert_eq!(entries(&from_files, "findings"), expected);
    assert_eq!(
        fingerprints(&live, "findings"),
        fingerprints(&from_files, "findings")
    );
    assert_eq!(entries(&live, "not_evaluated"), Vec::<String>::new());
    assert_eq!(entries(&from_files, "not_evaluated"), Vec::<String>::new());
    assert_eq!(rule_counts(&live), rule_counts(&from_files));
    assert_eq!(live["summary"]["passed"], from_files["summary"]["passed"]);
    assert_eq!(
        live["summary"]["resources"],
        from_files["summary"]["resources"]
    );
    // Only the origin differs.
    let sources = |r: &Json| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["location"]["source"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(sources(&live).iter().all(|s| s == "cluster"));
    assert!(sources(&from_files).iter().all(|s| s == "file"));
}

#[test]
fn one_namespace_lists_only_that_namespace() {
    let env = Env::new(&[], "test");
    let report = env.scan_json(&["--kubernetes", "--namespace", "web"]);
    assert_eq!(report["inputs"], serde_json::json!(["kubernetes:test/web"]));
    assert_eq!(
        entries(&report, "findings"),
        [
            "K8S-NET-003 Namespace/web networkPolicy",
            "K8S-NET-004 Service/web/frontend spec.type",
            "K8S-NET-005 Ingress/web/frontend spec.tls",
            "K8S-POD-001 StatefulSet/web/cache spec.template.spec.containers[redis].securityContext.privileged",
            "K8S-POD-004 Pod/web/debug spec.hostPID",
            "K8S-POD-013 Pod/web/debug spec.containers[shell].image",
            "K8S-POD-013 ReplicationController/web/legacy spec.template.spec.containers[app].image",
            "K8S-RBAC-001 RoleBinding/web/debuggers subjects[User:alice@example.com]",
            "K8S-RBAC-002 Role/web/editor rules[0].resources",
            "K8S-SEC-001 Pod/web/debug spec.containers[shell].env[DB_PASSWORD].value",
        ]
    );
    let requests = env.server.requests();
    assert!(requests
        .iter()
        .all(|r| r.path == "/api/v1/namespaces" || r.path.contains("/namespaces/web/")));
    assert!(!requests.iter().any(|r| r.path.contains("clusterrole")));
    let ns = requests
        .iter()
        .find(|r| r.path == "/api/v1/namespaces")
        .unwrap();
    assert_eq!(
        ns.query.get("fieldSelector").map(String::as_str),
        Some("metadata.name=web")
    );
}

#[test]
fn a_forbidden_companion_kind_makes_its_rule_not_evaluated() {
    let env = Env::new(&["NetworkPolicy"], "test");
    let report = env.scan_json(&["--kubernetes", "--select", "K8S-NET-003"]);
    assert_eq!(entries(&report, "findings"), Vec::<String>::new());
    assert_eq!(
        entries(&report, "not_evaluated"),
        [
            "K8S-NET-003 Namespace/kube-system networkPolicy",
            "K8S-NET-003 Namespace/payments networkPolicy",
            "K8S-NET-003 Namespace/web networkPolicy",
            // The rule reads NetworkPolicies: the kind it could not read is named too.
            "K8S-NET-003 NetworkPolicy/*/*",
        ]
    );
    let reason = report["not_evaluated"][0]["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("the rule consults NetworkPolicy objects, which could not be listed: cannot list NetworkPolicy in the cluster (HTTP 403 Forbidden for GET /apis/networking.k8s.io/v1/networkpolicies)"),
        "{reason}"
    );
    // The control report does not call the criterion passed.
    assert_eq!(report["summary"]["failed"], 0);
    assert_eq!(report["summary"]["not_evaluated"], 4);
}

#[test]
fn an_unreachable_cluster_stops_the_scan() {
    let env = Env::new(&[], "broken");
    let (code, stdout, stderr) = env.soc2scan(&["scan", "--kubernetes", "--no-config"]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("cannot read Kubernetes context `broken`: cannot list Namespace in the cluster (no answer for GET /api/v1/namespaces)"),
        "{stderr}"
    );
    let (code, _, stderr) = env.soc2scan(&["scan", "--kubernetes", "--context", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("context `nope`"), "{stderr}");
    // --context and --namespace need --kubernetes.
    let (code, _, _) = env.soc2scan(&["scan", "--context", "test"]);
    assert_eq!(code, 2);
}

#[test]
fn kubeconfig_must_exist_for_a_named_context() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("soc2scan")
        .unwrap()
        .current_dir(dir.path())
        .env("KUBECONFIG", dir.path().join("missing"))
        .env_remove("KUBERNETES_SERVICE_HOST")
        .args(["scan", "--kubernetes", "--context", "prod"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("context `prod` was asked for, but no kubeconfig can be read"),
        "{stderr}"
    );
}

#[test]
fn text_and_sarif_reports_of_a_live_scan() {
    let env = Env::new(&["ClusterRoleBinding"], "test");
    let (code, text, stderr) = env.soc2scan(&[
        "scan",
        "--kubernetes",
        "--no-config",
        "--no-color",
        "--select",
        "K8S-POD-001,K8S-RBAC-001",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(text.contains("test: Deployment payments/api"), "{text}");
    assert!(text.contains("ClusterRoleBinding/*"), "{text}");
    assert!(text.contains("HTTP 403 Forbidden"), "{text}");
    let (code, sarif, stderr) = env.soc2scan(&[
        "scan",
        "--kubernetes",
        "--no-config",
        "--level",
        "strict",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!sarif.contains(SECRET_VALUE) && !sarif.contains(ENV_LITERAL));
    let doc: Json = serde_json::from_str(&sarif).unwrap();
    let schema_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/schemas/sarif-schema-2.1.0.json"
    );
    let schema: Json =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["automationDetails"]["id"], "soc2scan/kubernetes/");
    let results = runs[0]["results"].as_array().unwrap();
    let failing = results.iter().filter(|r| r["kind"] == "fail").count();
    assert_eq!(failing, FINDINGS.len());
    // The check the 403 left unevaluated and the diagnostic are notifications.
    let notes = runs[0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    let ids: Vec<(&str, &str)> = notes
        .iter()
        .map(|n| {
            (
                n["descriptor"]["id"].as_str().unwrap(),
                n["associatedRule"]["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("read-error", ""),
            ("not-evaluated", "K8S-RBAC-001"),
            ("coverage-incomplete", "")
        ],
        "{notes:?}"
    );
}

#[test]
fn a_forbidden_budget_kind_leaves_the_disruption_check_not_evaluated() {
    // With budgets listed, the served Deployment (3 replicas) is covered by its budget.
    let env = Env::new(&[], "test");
    let select = ["--kubernetes", "--select", "K8S-AVL-002"];
    let report = env.scan_json(&select);
    assert_eq!(entries(&report, "findings"), Vec::<String>::new());
    assert_eq!(
        entries(&report, "passed"),
        [
            "K8S-AVL-002 Deployment/payments/api podDisruptionBudget",
            "K8S-AVL-002 StatefulSet/web/cache podDisruptionBudget",
        ]
    );
    // Without them, the check cannot say whether a budget exists: not evaluated, and
    // the kind is named.
    let env = Env::new(&["PodDisruptionBudget"], "test");
    let report = env.scan_json(&select);
    assert_eq!(entries(&report, "findings"), Vec::<String>::new());
    assert_eq!(entries(&report, "passed"), Vec::<String>::new());
    assert_eq!(
        entries(&report, "not_evaluated"),
        [
            "K8S-AVL-002 Deployment/payments/api podDisruptionBudget",
            "K8S-AVL-002 PodDisruptionBudget/*/*",
            "K8S-AVL-002 StatefulSet/web/cache podDisruptionBudget",
        ]
    );
    let coverage = report["coverage"].as_array().unwrap();
    assert!(coverage.iter().any(|e| e["scope"] == "kubernetes:test"
        && e["collection"] == "k8s.pod_disruption_budgets"
        && e["status"] == "denied"));
}

/// `CUSTOM-…` entries of `section` (`RULE resource attribute`), sorted.
fn custom(report: &Json, section: &str) -> Vec<String> {
    entries(report, section)
        .into_iter()
        .filter(|e| e.starts_with("CUSTOM-K8S"))
        .collect()
}

#[test]
fn custom_policies_judge_live_objects_as_their_manifests() {
    let env = Env::new(&[], "test");
    let policies = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/policies");
    let policies = policies.to_str().unwrap();
    let live = env.scan_json(&["--kubernetes", "--policies", policies]);
    let files = env.dir.path().join("manifests");
    std::fs::create_dir(&files).unwrap();
    for (i, m) in manifests(&objects(), &[]).iter().enumerate() {
        let name = format!(
            "{i:02}-{}-{}.yaml",
            m["kind"].as_str().unwrap().to_lowercase(),
            m["metadata"]["name"].as_str().unwrap()
        );
        std::fs::write(files.join(name), to_yaml(m)).unwrap();
    }
    let from_files = env.scan_json(&["manifests", "--policies", policies]);
    let findings = custom(&live, "findings");
    assert_eq!(findings, EXPECTED_CUSTOM);
    assert_eq!(custom(&from_files, "findings"), EXPECTED_CUSTOM);
    assert_eq!(custom(&live, "not_evaluated"), Vec::<String>::new());
    let custom_fps = |r: &Json| -> Vec<(String, String)> {
        fingerprints(r, "findings")
            .into_iter()
            .filter(|(id, _)| id.starts_with("CUSTOM-K8S"))
            .collect()
    };
    assert_eq!(custom_fps(&live), custom_fps(&from_files));
    // Both example policies judged the live objects (passes as well as failures).
    let judged: Vec<(String, bool)> = rule_counts(&live)
        .into_iter()
        .filter(|r| r.0.starts_with("CUSTOM-K8S"))
        .map(|(id, failed, passed, _)| (id, failed + passed > 0 && passed > 0))
        .collect();
    assert_eq!(
        judged,
        vec![
            ("CUSTOM-K8S-LIMITS-001".to_string(), true),
            ("CUSTOM-K8S-REGISTRY-001".to_string(), true)
        ]
    );
    assert_eq!(
        rule_counts(&live)
            .into_iter()
            .filter(|r| r.0.starts_with("CUSTOM-K8S"))
            .collect::<Vec<_>>(),
        rule_counts(&from_files)
            .into_iter()
            .filter(|r| r.0.starts_with("CUSTOM-K8S"))
            .collect::<Vec<_>>()
    );
}

/// The example policies' findings on the served objects: two images from outside the
/// approved registries; every workload sets resource limits.
const EXPECTED_CUSTOM: &[&str] = &[
    "CUSTOM-K8S-REGISTRY-001 Pod/web/debug spec.containers[shell].image",
    "CUSTOM-K8S-REGISTRY-001 ReplicationController/web/legacy spec.template.spec.containers[app].image",
];
