//! Object identity (kind, namespace, name, labels) and the kinds with few checked
//! fields: Services, Ingresses, NetworkPolicies, Namespaces, ServiceAccounts,
//! PodDisruptionBudgets, HorizontalPodAutoscalers and Secrets.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::selector::LabelSelector;
use crate::model::{Origin, ResourceMeta, Value};

/// What every Kubernetes object has: identity, namespace, labels and annotations.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ObjectInfo {
    /// Address (`Deployment/payments/api`), type (the kind) and where the object is declared.
    pub meta: ResourceMeta,
    /// `apiVersion`.
    pub api_version: Arc<str>,
    /// `kind`.
    pub kind: Arc<str>,
    /// `metadata.name` (`metadata.generateName` when there is no name).
    pub name: Arc<str>,
    /// `metadata.namespace` of a namespaced object; `None` for cluster-scoped kinds.
    /// A manifest without a namespace is applied to the namespace of the kubectl
    /// context: `Defaulted("default")`, unless a kustomization beside the file sets one
    /// (`Set` to that namespace) or may set one (`Unknown`).
    pub namespace: Option<Value<String>>,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// `metadata.annotations` (without `kubectl.kubernetes.io/last-applied-configuration`,
    /// which can hold a whole object, secrets included).
    pub annotations: BTreeMap<String, String>,
}

impl ObjectInfo {
    /// The namespace when known (set or defaulted).
    pub fn namespace_name(&self) -> Option<&str> {
        self.namespace
            .as_ref()
            .and_then(|n| n.known())
            .map(String::as_str)
    }

    /// Where the object is declared.
    pub fn origin(&self) -> &Origin {
        &self.meta.origin
    }
}

/// A Service.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Service {
    /// Identity.
    pub object: ObjectInfo,
    /// `spec.type`; `Defaulted("ClusterIP")`.
    pub service_type: Value<String>,
    /// `spec.loadBalancerSourceRanges`; empty when not written (no restriction).
    pub load_balancer_source_ranges: Vec<String>,
}

/// An Ingress (`networking.k8s.io/v1` or the older `extensions/v1beta1`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ingress {
    /// Identity.
    pub object: ObjectInfo,
    /// Number of `spec.tls` entries; `Defaulted(0)` without `tls` (HTTP only).
    pub tls_entries: Value<usize>,
}

/// A NetworkPolicy.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NetworkPolicy {
    /// Identity.
    pub object: ObjectInfo,
    /// `spec.podSelector`; the empty selector selects every pod of the namespace.
    pub pod_selector: LabelSelector,
}

/// A Namespace object.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Namespace {
    /// Identity (`Namespace/<name>`).
    pub object: ObjectInfo,
}

/// A ServiceAccount.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceAccount {
    /// Identity.
    pub object: ObjectInfo,
    /// `automountServiceAccountToken`; `Defaulted(true)`: tokens are mounted into pods
    /// unless the pod or the account opts out.
    pub automount_token: Value<bool>,
}

/// A PodDisruptionBudget.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PodDisruptionBudget {
    /// Identity.
    pub object: ObjectInfo,
    /// `spec.selector`; empty when not written (`policy/v1` documents the empty selector
    /// as selecting every pod of the namespace).
    pub selector: LabelSelector,
}

/// A HorizontalPodAutoscaler (any `autoscaling/*` version).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HorizontalPodAutoscaler {
    /// Identity.
    pub object: ObjectInfo,
    /// `spec.scaleTargetRef.kind`.
    pub target_kind: String,
    /// `spec.scaleTargetRef.name`.
    pub target_name: String,
    /// `spec.minReplicas`; `Defaulted(1)`.
    pub min_replicas: Value<i64>,
}

/// A Secret: metadata only. The scanner never reads `data` or `stringData`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SecretObject {
    /// Identity.
    pub object: ObjectInfo,
    /// `type` (`Opaque`, `kubernetes.io/tls`, …), when written.
    pub secret_type: Option<String>,
}
