//! One conversion from a Kubernetes object to the typed [`crate::model::k8s`] model,
//! whatever the object was read from.
//!
//! Sources differ in two ways only, and both are abstracted:
//! - the **tree**: [`node::Node`] is a small read-only view of a JSON-like document
//!   (mapping, sequence, scalar) with an optional [`node::Span`] per node. It is
//!   implemented for `&serde_json::Value` (API answers, no positions) here and for parsed
//!   YAML (every node and key with its line and column) by `crate::k8s_manifest`;
//! - the **origin**: [`origins::Origins`] turns an object identity and an optional span
//!   into an [`crate::model::Origin`]: [`origins::FileOrigins`] gives `Origin::File` at
//!   the field's lines, [`origins::ClusterOrigins`] gives `Origin::Cluster`
//!   (context/kind/namespace/name) for the object and all its fields.
//!
//! [`object_to_model`] is generic over the tree and takes the origin builder, so a live
//! source calls it with `&serde_json::Value` + `ClusterOrigins` and gets exactly the
//! model (and therefore the findings) a manifest of the same object gives.

pub mod node;
pub mod origins;
pub mod read;
pub mod workload;

use node::Node;
use origins::{MissingNamespace, ObjectId, Origins};
use read::{child, get, int_field, selector, str_field, string_map, strings, text, Ctx};

use crate::model::k8s::{
    Binding, HorizontalPodAutoscaler, Ingress, K8sModel, Namespace, NetworkPolicy, ObjectInfo,
    PodDisruptionBudget, PolicyRule, Role, SecretObject, Service, ServiceAccount, Subject,
    Workload,
};
use crate::model::{ResourceMeta, Value};

/// Annotation left by `kubectl apply`; it may hold a whole object (a Secret's data).
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Kinds the model keeps that are cluster-scoped (no namespace).
fn cluster_scoped(kind: &str) -> bool {
    matches!(kind, "Namespace" | "ClusterRole" | "ClusterRoleBinding")
}

/// Whether `kind` is modelled.
fn modelled(kind: &str) -> bool {
    workload::template_path(kind).is_some()
        || matches!(
            kind,
            "Service"
                | "Ingress"
                | "NetworkPolicy"
                | "Namespace"
                | "ServiceAccount"
                | "Role"
                | "ClusterRole"
                | "RoleBinding"
                | "ClusterRoleBinding"
                | "PodDisruptionBudget"
                | "HorizontalPodAutoscaler"
                | "Secret"
        )
}

/// What [`object_to_model`] found in a node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Converted {
    /// Kubernetes objects seen (`apiVersion` and `kind` present), list items included.
    pub objects: usize,
    /// Objects added to the model (kinds soc2scan checks).
    pub modelled: usize,
    /// Objects of kinds no rule reads, counted as `kubernetes:<Kind>` (a `List` itself
    /// is not counted, its items are).
    pub unmodelled: soc2scan_core::coverage::Unmodelled,
}

/// Converts one Kubernetes object (or a `List` / `*List` of them, through `items`) into
/// the model. A node without string `apiVersion` and `kind` is not an object and is
/// ignored (`objects == 0`), as are kinds the model does not keep and kustomize's own
/// `Kustomization`/`Component` files. `missing_namespace` decides the namespace of
/// namespaced objects that do not write one.
pub fn object_to_model<'a, N: Node<'a>>(
    obj: N,
    origins: &dyn Origins,
    missing_namespace: &MissingNamespace,
    model: &mut K8sModel,
) -> Converted {
    let mut out = Converted::default();
    let (Some(api_version), Some(kind)) = (text(Some(obj), "apiVersion"), text(Some(obj), "kind"))
    else {
        return out;
    };
    if api_version.starts_with("kustomize.config.k8s.io") {
        return out;
    }
    out.objects = 1;
    if kind.ends_with("List") {
        if let Some(items) = child(Some(obj), "items").and_then(|i| i.items()) {
            for item in items {
                let c = object_to_model(item, origins, missing_namespace, model);
                out.objects += c.objects;
                out.modelled += c.modelled;
                out.unmodelled.extend(c.unmodelled);
            }
            return out;
        }
    }
    if !modelled(&kind) {
        out.unmodelled.count(&format!("kubernetes:{kind}"));
        return out;
    }
    let object = object_info(obj, origins, missing_namespace, &api_version, &kind);
    let ctx = Ctx {
        origins,
        object: object.meta.origin.clone(),
    };
    let spec = child(Some(obj), "spec");
    out.modelled = 1;
    match kind.as_str() {
        k if workload::template_path(k).is_some() => {
            let replicas = matches!(
                k,
                "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController"
            )
            .then(|| {
                int_field(&ctx, spec, "replicas", "spec.replicas")
                    .unwrap_or_else(|| Value::defaulted(1, ctx.object.clone(), "spec.replicas"))
            });
            let pod = workload::pod_spec(&ctx, obj, k);
            model.workloads.push(Workload {
                object,
                replicas,
                pod,
            });
        }
        "Service" => model.services.push(Service {
            service_type: str_field(&ctx, spec, "type", "spec.type").unwrap_or_else(|| {
                Value::defaulted("ClusterIP".into(), ctx.object.clone(), "spec.type")
            }),
            load_balancer_source_ranges: strings(child(spec, "loadBalancerSourceRanges")),
            object,
        }),
        "Ingress" => {
            let tls_entries = match get(spec, "tls") {
                Some(e) => Value::set(
                    e.value.items().map_or(0, |i| i.len()),
                    ctx.entry(&e),
                    "spec.tls",
                ),
                None => Value::defaulted(0, ctx.object.clone(), "spec.tls"),
            };
            model.ingresses.push(Ingress {
                object,
                tls_entries,
            });
        }
        "NetworkPolicy" => model.network_policies.push(NetworkPolicy {
            pod_selector: selector(child(spec, "podSelector")),
            object,
        }),
        "Namespace" => model.namespaces.push(Namespace { object }),
        "ServiceAccount" => model.service_accounts.push(ServiceAccount {
            automount_token: read::bool_field(
                &ctx,
                Some(obj),
                "automountServiceAccountToken",
                "automountServiceAccountToken",
            )
            .unwrap_or_else(|| {
                Value::defaulted(true, ctx.object.clone(), "automountServiceAccountToken")
            }),
            object,
        }),
        "Role" | "ClusterRole" => model.roles.push(Role {
            rules: policy_rules(&ctx, obj),
            object,
        }),
        "RoleBinding" | "ClusterRoleBinding" => {
            let role_ref = get(Some(obj), "roleRef");
            let role_name = match role_ref {
                Some(e) => Value::set(
                    text(Some(e.value), "name").unwrap_or_default(),
                    ctx.entry(&e),
                    "roleRef",
                ),
                None => Value::unknown("the binding has no roleRef", ctx.object.clone(), "roleRef"),
            };
            model.bindings.push(Binding {
                role_kind: text(role_ref.map(|e| e.value), "kind").unwrap_or_default(),
                role_name,
                subjects: subjects(&ctx, obj),
                object,
            });
        }
        "PodDisruptionBudget" => model.pod_disruption_budgets.push(PodDisruptionBudget {
            selector: selector(child(spec, "selector")),
            object,
        }),
        "HorizontalPodAutoscaler" => {
            let target = child(spec, "scaleTargetRef");
            model.autoscalers.push(HorizontalPodAutoscaler {
                target_kind: text(target, "kind").unwrap_or_default(),
                target_name: text(target, "name").unwrap_or_default(),
                min_replicas: int_field(&ctx, spec, "minReplicas", "spec.minReplicas")
                    .unwrap_or_else(|| Value::defaulted(1, ctx.object.clone(), "spec.minReplicas")),
                object,
            });
        }
        "Secret" => model.secrets.push(SecretObject {
            secret_type: text(Some(obj), "type"),
            object,
        }),
        _ => {
            out.modelled = 0;
            out.unmodelled.count(&format!("kubernetes:{kind}"));
        }
    }
    out
}

/// Identity, namespace, labels and annotations of an object.
fn object_info<'a, N: Node<'a>>(
    obj: N,
    origins: &dyn Origins,
    missing_namespace: &MissingNamespace,
    api_version: &str,
    kind: &str,
) -> ObjectInfo {
    let meta = child(Some(obj), "metadata");
    let name = text(meta, "name")
        .or_else(|| text(meta, "generateName"))
        .unwrap_or_default();
    let written_ns = text(meta, "namespace").filter(|n| !n.is_empty());
    let scoped = !cluster_scoped(kind);
    let id = ObjectId {
        kind,
        namespace: written_ns.as_deref().filter(|_| scoped),
        name: &name,
    };
    let origin = origins.object(&id, obj.span());
    let namespace = scoped.then(|| match get(meta, "namespace") {
        Some(e) if written_ns.is_some() => Value::set(
            written_ns.clone().unwrap_or_default(),
            origins.field(&origin, e.span),
            "metadata.namespace",
        ),
        _ => missing_namespace.value(&origin),
    });
    let address = match &namespace {
        Some(ns) => format!(
            "{kind}/{}/{name}",
            ns.known().map(String::as_str).unwrap_or("")
        ),
        None => format!("{kind}/{name}"),
    };
    let mut annotations = string_map(child(meta, "annotations"));
    annotations.remove(LAST_APPLIED);
    ObjectInfo {
        // No scope: `kind/namespace/name` is unique in a cluster, and a manifest and the
        // live object it was applied as keep one identity (fingerprint).
        meta: ResourceMeta::new(address, kind, origin),
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        namespace,
        labels: string_map(child(meta, "labels")),
        annotations,
    }
}

/// The `rules` of a Role or ClusterRole.
fn policy_rules<'a, N: Node<'a>>(ctx: &Ctx<'_>, obj: N) -> Vec<PolicyRule> {
    child(Some(obj), "rules")
        .and_then(|r| r.items())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let path = format!("rules[{i}]");
            let list = |key: &str| match get(Some(r), key) {
                Some(e) => Value::set(
                    strings(Some(e.value)),
                    ctx.entry(&e),
                    format!("{path}.{key}"),
                ),
                None => Value::defaulted(Vec::new(), ctx.at(r), format!("{path}.{key}")),
            };
            PolicyRule {
                origin: ctx.at(r),
                verbs: list("verbs"),
                resources: list("resources"),
                api_groups: strings(child(Some(r), "apiGroups")),
                non_resource_urls: strings(child(Some(r), "nonResourceURLs")),
                path: path.into(),
            }
        })
        .collect()
}

/// The `subjects` of a binding.
fn subjects<'a, N: Node<'a>>(ctx: &Ctx<'_>, obj: N) -> Vec<Subject> {
    child(Some(obj), "subjects")
        .and_then(|s| s.items())
        .unwrap_or_default()
        .into_iter()
        .map(|s| {
            let kind = text(Some(s), "kind").unwrap_or_default();
            let name = text(Some(s), "name").unwrap_or_default();
            let namespace = text(Some(s), "namespace");
            let path = match &namespace {
                Some(ns) => format!("subjects[{kind}:{ns}/{name}]"),
                None => format!("subjects[{kind}:{name}]"),
            };
            Subject {
                origin: ctx.at(s),
                path: path.into(),
                kind,
                name,
                namespace,
            }
        })
        .collect()
}

/// Which cluster to scan and how much of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveOptions {
    /// kubeconfig context; the current context when `None`.
    pub context: Option<String>,
    /// Only this namespace (and no cluster-scoped RBAC); every namespace when `None`.
    pub namespace: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Resolved};

    fn convert(v: serde_json::Value) -> K8sModel {
        let mut m = K8sModel::default();
        let origins = origins::ClusterOrigins {
            context: "prod".into(),
        };
        object_to_model(&v, &origins, &MissingNamespace::Default, &mut m);
        m
    }

    #[test]
    fn api_json_converts_with_cluster_origins() {
        let m = convert(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "namespace": "payments"},
            "spec": {"template": {"metadata": {"labels": {"app": "api"}}, "spec": {
                "hostPID": true,
                "containers": [{"name": "web", "image": "nginx:1.27",
                    "securityContext": {"privileged": true},
                    "env": [{"name": "DB_PASSWORD", "value": "hunter2"}]}]
            }}}
        }));
        let w = &m.workloads[0];
        assert_eq!(&*w.object.meta.address, "Deployment/payments/api");
        assert_eq!(w.replicas.as_ref().unwrap().value, Resolved::Defaulted(1));
        assert_eq!(w.pod.host_pid.value, Resolved::Set(true));
        assert_eq!(w.pod.labels.get("app").map(String::as_str), Some("api"));
        let c = &w.pod.containers[0];
        assert_eq!(
            &*c.privileged.path,
            "spec.template.spec.containers[web].securityContext.privileged"
        );
        assert_eq!(c.privileged.value, Resolved::Set(true));
        assert_eq!(
            c.allow_privilege_escalation.value,
            Resolved::Defaulted(true)
        );
        assert!(matches!(
            &c.privileged.origin,
            Origin::Cluster { context, kind, namespace: Some(ns), name }
                if &**context == "prod" && &**kind == "Deployment" && &**ns == "payments" && &**name == "api"
        ));
        assert!(!format!("{:?}", m).contains("hunter2"));
    }

    #[test]
    fn file_and_live_objects_share_fingerprints() {
        use crate::discover::FileKind;
        use crate::model::Model;
        let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: payments\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          securityContext:\n            privileged: true\n";
        let from_file = crate::k8s_manifest::load_text(
            yaml,
            std::sync::Arc::from("deploy.yaml"),
            FileKind::Yaml,
            &MissingNamespace::Default,
        )
        .model;
        let live = convert(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "namespace": "payments"},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27",
                "securityContext": {"privileged": true}}]}}}
        }));
        let rule = crate::rules::find("K8S-POD-001").expect("rule");
        let run = |k8s: K8sModel| {
            let model = Model {
                k8s,
                ..Model::default()
            };
            let mut e = crate::rules::Emitter::new(rule.meta());
            rule.check(&model, &mut e);
            e.into_results()
        };
        let (a, b) = (run(from_file), run(live));
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(b.len(), 1, "{b:?}");
        assert!(a[0].is_fail() && b[0].is_fail());
        assert_ne!(a[0].location, b[0].location, "origins differ");
        assert_eq!(a[0].fingerprint, b[0].fingerprint, "identity does not");
        assert_eq!(
            a[0].fingerprint,
            crate::finding::fingerprint("K8S-POD-001", "", &a[0].resource, &a[0].attribute)
        );
    }

    #[test]
    fn lists_cluster_scope_and_non_objects() {
        let mut m = K8sModel::default();
        let origins = origins::ClusterOrigins {
            context: "c".into(),
        };
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": {"name": "admin"}, "rules": [{"verbs": ["*"], "resources": ["pods"]}]},
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
        ]});
        let c = object_to_model(&list, &origins, &MissingNamespace::Default, &mut m);
        assert_eq!(
            c,
            Converted {
                objects: 3,
                modelled: 1,
                unmodelled: soc2scan_core::coverage::Unmodelled {
                    types: [("kubernetes:ConfigMap".to_string(), 1)].into(),
                },
            }
        );
        assert_eq!(&*m.roles[0].object.meta.address, "ClusterRole/admin");
        assert_eq!(
            m.roles[0].rules[0].verbs.known().unwrap(),
            &vec!["*".to_string()]
        );
        let plan = serde_json::json!({"format_version": "1.2", "planned_values": {}});
        let c = object_to_model(&plan, &origins, &MissingNamespace::Default, &mut m);
        assert_eq!(c.objects, 0);
    }

    #[test]
    fn missing_namespace_is_defaulted() {
        let m = convert(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"image": "x"}]}
        }));
        let w = &m.workloads[0];
        assert_eq!(&*w.object.meta.address, "Pod/default/p");
        assert_eq!(
            w.object.namespace.as_ref().unwrap().value,
            Resolved::Defaulted("default".into())
        );
        assert_eq!(&*w.pod.containers[0].path, "spec.containers[#0]");
    }
}
