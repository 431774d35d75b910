//! Kubernetes objects in the typed model. The manifest adapter (YAML/JSON files) and a
//! live-cluster source fill the same structs through one conversion
//! (`crate::k8s`), so every rule is written once.
//!
//! Conventions:
//! - **Address** of an object: `Kind/namespace/name` for namespaced kinds
//!   (`Deployment/payments/api`), `Kind/name` for cluster-scoped kinds
//!   (`ClusterRole/admin`). When the namespace is not written and is set by a kustomize
//!   overlay (unknown to the scan), the middle part is empty: `Deployment//api`.
//! - **Resource type** is the object's `kind` (`Deployment`).
//! - **Attribute paths** follow the manifest (`spec.template.spec.hostPID`); containers,
//!   volumes and subjects are named by their name, not their index
//!   (`spec.template.spec.containers[api].securityContext.privileged`), so fingerprints
//!   survive reordering.
//! - Fields whose Kubernetes default is fixed are `Value<T>` (`Defaulted` when not
//!   written, pointing at the enclosing object); fields whose effective value depends on
//!   another object or level (a container's `runAsNonRoot` falls back to the pod's) are
//!   `Option<Value<T>>`: `None` means "not written".
//! - A field written with the wrong type (a string where a boolean belongs, an
//!   unrendered template) is `Unknown` with the reason.

pub mod objects;
pub mod rbac;
pub mod selector;
pub mod workload;

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

pub use objects::{
    HorizontalPodAutoscaler, Ingress, Namespace, NetworkPolicy, ObjectInfo, PodDisruptionBudget,
    SecretObject, Service, ServiceAccount,
};
pub use rbac::{Binding, PolicyRule, Role, Subject};
pub use selector::{LabelSelector, SelectorRequirement};
pub use workload::{
    Container, ContainerKind, ContainerPort, EnvVar, PodSecurityContext, PodSpec, Volume, Workload,
};

/// Pod-running kinds listed from a cluster.
pub const WORKLOAD_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "ReplicationController",
];

/// All Kubernetes objects known to the scan, each list in input order (file, then
/// position in the file).
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct K8sModel {
    /// Pods and pod controllers (Deployment, StatefulSet, DaemonSet, Job, CronJob,
    /// ReplicaSet, ReplicationController).
    pub workloads: Vec<Workload>,
    /// Services.
    pub services: Vec<Service>,
    /// Ingresses.
    pub ingresses: Vec<Ingress>,
    /// NetworkPolicies.
    pub network_policies: Vec<NetworkPolicy>,
    /// Namespace objects.
    pub namespaces: Vec<Namespace>,
    /// ServiceAccounts.
    pub service_accounts: Vec<ServiceAccount>,
    /// Roles and ClusterRoles.
    pub roles: Vec<Role>,
    /// RoleBindings and ClusterRoleBindings.
    pub bindings: Vec<Binding>,
    /// PodDisruptionBudgets.
    pub pod_disruption_budgets: Vec<PodDisruptionBudget>,
    /// HorizontalPodAutoscalers.
    pub autoscalers: Vec<HorizontalPodAutoscaler>,
    /// Secrets (metadata only; the data is never read into the model).
    pub secrets: Vec<SecretObject>,
    /// Whether the model holds every object of the cluster (a live scan). A scan of
    /// manifest files sees only the objects in the scanned paths, so rules that look for
    /// a missing companion object (a NetworkPolicy, a PodDisruptionBudget) state that
    /// they only saw the scanned files.
    pub complete: bool,
}

impl K8sModel {
    /// The name of every collection, as rules declare what they read and coverage
    /// reports it.
    pub const COLLECTIONS: &'static [&'static str] = &[
        "k8s.workloads",
        "k8s.services",
        "k8s.ingresses",
        "k8s.network_policies",
        "k8s.namespaces",
        "k8s.service_accounts",
        "k8s.roles",
        "k8s.bindings",
        "k8s.pod_disruption_budgets",
        "k8s.autoscalers",
        "k8s.secrets",
    ];

    /// The collection that holds objects of `kind` (`Deployment` → `k8s.workloads`);
    /// `None` for kinds no collection holds.
    pub fn collection_of_kind(kind: &str) -> Option<&'static str> {
        Some(match kind {
            k if WORKLOAD_KINDS.contains(&k) => "k8s.workloads",
            "Service" => "k8s.services",
            "Ingress" => "k8s.ingresses",
            "NetworkPolicy" => "k8s.network_policies",
            "Namespace" => "k8s.namespaces",
            "ServiceAccount" => "k8s.service_accounts",
            "Role" | "ClusterRole" => "k8s.roles",
            "RoleBinding" | "ClusterRoleBinding" => "k8s.bindings",
            "PodDisruptionBudget" => "k8s.pod_disruption_budgets",
            "HorizontalPodAutoscaler" => "k8s.autoscalers",
            "Secret" => "k8s.secrets",
            _ => return None,
        })
    }

    /// Appends every object of `other`, keeping order.
    pub fn extend(&mut self, other: K8sModel) {
        self.workloads.extend(other.workloads);
        self.services.extend(other.services);
        self.ingresses.extend(other.ingresses);
        self.network_policies.extend(other.network_policies);
        self.namespaces.extend(other.namespaces);
        self.service_accounts.extend(other.service_accounts);
        self.roles.extend(other.roles);
        self.bindings.extend(other.bindings);
        self.pod_disruption_budgets
            .extend(other.pod_disruption_budgets);
        self.autoscalers.extend(other.autoscalers);
        self.secrets.extend(other.secrets);
        self.complete |= other.complete;
    }

    /// Every object's identity with its collection, collection by collection.
    pub fn resources(&self) -> Vec<(&'static str, &ResourceMeta)> {
        let mut out: Vec<(&'static str, &ResourceMeta)> = Vec::with_capacity(self.len());
        out.extend(
            self.workloads
                .iter()
                .map(|o| ("k8s.workloads", &o.object.meta)),
        );
        out.extend(
            self.services
                .iter()
                .map(|o| ("k8s.services", &o.object.meta)),
        );
        out.extend(
            self.ingresses
                .iter()
                .map(|o| ("k8s.ingresses", &o.object.meta)),
        );
        out.extend(
            self.network_policies
                .iter()
                .map(|o| ("k8s.network_policies", &o.object.meta)),
        );
        out.extend(
            self.namespaces
                .iter()
                .map(|o| ("k8s.namespaces", &o.object.meta)),
        );
        out.extend(
            self.service_accounts
                .iter()
                .map(|o| ("k8s.service_accounts", &o.object.meta)),
        );
        out.extend(self.roles.iter().map(|o| ("k8s.roles", &o.object.meta)));
        out.extend(
            self.bindings
                .iter()
                .map(|o| ("k8s.bindings", &o.object.meta)),
        );
        out.extend(
            self.pod_disruption_budgets
                .iter()
                .map(|o| ("k8s.pod_disruption_budgets", &o.object.meta)),
        );
        out.extend(
            self.autoscalers
                .iter()
                .map(|o| ("k8s.autoscalers", &o.object.meta)),
        );
        out.extend(self.secrets.iter().map(|o| ("k8s.secrets", &o.object.meta)));
        out
    }

    /// Number of modelled objects.
    pub fn len(&self) -> usize {
        self.workloads.len()
            + self.services.len()
            + self.ingresses.len()
            + self.network_policies.len()
            + self.namespaces.len()
            + self.service_accounts.len()
            + self.roles.len()
            + self.bindings.len()
            + self.pod_disruption_budgets.len()
            + self.autoscalers.len()
            + self.secrets.len()
    }

    /// The HorizontalPodAutoscaler that scales `w` (same namespace, `scaleTargetRef`
    /// naming its kind and name), if one is in the model.
    ///
    /// Reads: `k8s.autoscalers`.
    pub fn autoscaler_for(&self, w: &Workload) -> Option<&HorizontalPodAutoscaler> {
        let ns = w.object.namespace_name()?;
        self.autoscalers.iter().find(|h| {
            h.object.namespace_name() == Some(ns)
                && h.target_kind == *w.object.kind
                && h.target_name == *w.object.name
        })
    }

    /// The number of pods `w` runs at least: the autoscaler's `minReplicas` when one
    /// scales it, else `spec.replicas`; `None` for kinds without replicas.
    ///
    /// Reads: `k8s.autoscalers`.
    pub fn min_replicas<'a>(&'a self, w: &'a Workload) -> Option<&'a Value<i64>> {
        w.replicas.as_ref()?;
        self.autoscaler_for(w)
            .map(|h| &h.min_replicas)
            .or(w.replicas.as_ref())
    }

    /// Whether no object is modelled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
