//! The kinds a live scan lists, with their API group, version and resource path, taken
//! from the `k8s-openapi` types so they cannot drift from the Kubernetes API.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    Namespace, Pod, ReplicationController, Secret, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::{Ingress, NetworkPolicy};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use kube::core::{ApiResource, DynamicObject, Resource};

/// One kind to list.
#[derive(Debug, Clone)]
pub struct KindSpec {
    /// `kind` of its objects (`Deployment`).
    pub kind: &'static str,
    /// Group, version, `apiVersion` and plural resource name.
    pub resource: ApiResource,
    /// Whether objects of the kind live in a namespace.
    pub namespaced: bool,
    /// Whether only the metadata may be read (Secrets: the data is never requested).
    pub metadata_only: bool,
}

impl KindSpec {
    fn of<K>(namespaced: bool) -> Self
    where
        K: k8s_openapi::Resource + Resource<DynamicType = ()>,
    {
        KindSpec {
            kind: <K as k8s_openapi::Resource>::KIND,
            resource: ApiResource::erase::<K>(&()),
            namespaced,
            metadata_only: false,
        }
    }

    /// The API path that lists the kind: in `namespace` for namespaced kinds when one
    /// is given, else across the cluster.
    pub fn path(&self, namespace: Option<&str>) -> String {
        DynamicObject::url_path(&self.resource, namespace.filter(|_| self.namespaced))
    }

    /// The namespace the listing is limited to.
    pub fn scope<'a>(&self, namespace: Option<&'a str>) -> Option<&'a str> {
        namespace.filter(|_| self.namespaced)
    }
}

/// Every kind a live scan lists, in the order their objects enter the model. With a
/// namespace, the cluster-scoped RBAC kinds (ClusterRole, ClusterRoleBinding) are not
/// listed, and the Namespace only by its name.
pub fn all(namespace: Option<&str>) -> Vec<KindSpec> {
    let mut kinds = vec![
        KindSpec::of::<Namespace>(false),
        KindSpec::of::<Pod>(true),
        KindSpec::of::<Deployment>(true),
        KindSpec::of::<StatefulSet>(true),
        KindSpec::of::<DaemonSet>(true),
        KindSpec::of::<ReplicaSet>(true),
        KindSpec::of::<Job>(true),
        KindSpec::of::<CronJob>(true),
        KindSpec::of::<ReplicationController>(true),
        KindSpec::of::<Service>(true),
        KindSpec::of::<Ingress>(true),
        KindSpec::of::<NetworkPolicy>(true),
        KindSpec::of::<ServiceAccount>(true),
        KindSpec::of::<Role>(true),
        KindSpec::of::<ClusterRole>(false),
        KindSpec::of::<RoleBinding>(true),
        KindSpec::of::<ClusterRoleBinding>(false),
        KindSpec::of::<PodDisruptionBudget>(true),
        KindSpec::of::<HorizontalPodAutoscaler>(true),
        KindSpec {
            metadata_only: true,
            ..KindSpec::of::<Secret>(true)
        },
    ];
    if namespace.is_some() {
        kinds.retain(|k| !matches!(k.kind, "ClusterRole" | "ClusterRoleBinding"));
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_scopes() {
        let kinds = all(None);
        let find = |k: &str| kinds.iter().find(|s| s.kind == k).unwrap();
        assert_eq!(find("Pod").path(None), "/api/v1/pods");
        assert_eq!(
            find("Deployment").path(Some("web")),
            "/apis/apps/v1/namespaces/web/deployments"
        );
        assert_eq!(
            find("ClusterRoleBinding").path(Some("web")),
            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings"
        );
        assert_eq!(
            find("HorizontalPodAutoscaler").path(None),
            "/apis/autoscaling/v2/horizontalpodautoscalers"
        );
        assert_eq!(find("Namespace").path(Some("web")), "/api/v1/namespaces");
        assert!(find("Secret").metadata_only);
        assert_eq!(kinds.len(), 20);
        // Every pod-running kind a rule reads is listed.
        for k in crate::model::k8s::WORKLOAD_KINDS {
            assert!(kinds.iter().any(|s| s.kind == *k), "{k}");
        }
        let scoped = all(Some("web"));
        assert_eq!(scoped.len(), 18);
        assert!(!scoped.iter().any(|s| s.kind.starts_with("Cluster")));
    }
}
