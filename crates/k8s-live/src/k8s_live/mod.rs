//! Live Kubernetes clusters → the typed model, through the same conversion as manifest
//! files ([`crate::k8s`]), so the same rules give the same findings with the same
//! addresses and fingerprints; only the origin differs (`Origin::Cluster`).
//!
//! - **Connection** ([`client`]): kubeconfig and context as kubectl, or the pod's
//!   service account inside a cluster.
//! - **Listing** ([`list`]): the kinds of [`kinds::all`], a few at a time, each read to
//!   the end page by page. Secrets are listed by metadata only; their data is never
//!   requested.
//! - **Collapsing** ([`owners`]): ReplicaSets, Pods and Jobs made by a listed workload
//!   are checked through that workload's template, once.
//! - **Denied kinds** ([`denied`]): a kind the cluster does not let the scan list (HTTP
//!   403) is a diagnostic and an entry of the model's coverage; the engine makes the
//!   checks that need it not evaluated, with kind, namespace, status and API path as
//!   the reason; the scan goes on.

pub use soc2scan_core::denied;
pub mod client;
pub mod kinds;
pub mod list;
pub mod owners;

use serde_json::Value as Json;

use crate::diagnostic::Diagnostic;
use crate::k8s::object_to_model;
use crate::k8s::origins::{ClusterOrigins, MissingNamespace};
use crate::model::k8s::K8sModel;
use crate::model::{Model, Origin};
use crate::source::{Source, SourceInput, SourceRead};
pub use denied::Denied;

/// Annotation left by `kubectl apply`; it may hold a whole object (a Secret's data).
pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Kinds listed at the same time.
pub const CONCURRENT_LISTS: usize = 4;

pub use crate::k8s::LiveOptions;

/// What a live scan read.
#[derive(Debug, Default)]
pub struct Live {
    /// The context scanned (`in-cluster` for the pod's service account).
    pub context: String,
    /// The objects, with `complete` set: the model holds every object of its scope.
    pub model: K8sModel,
    /// Kinds that could not be listed.
    pub denied: Vec<Denied>,
    /// One diagnostic per denied kind.
    pub diagnostics: Vec<Diagnostic>,
    /// Objects listed, of every kind.
    pub listed: usize,
    /// Objects collapsed into the workload that owns them.
    pub collapsed: usize,
}

/// Why a live scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// No usable kubeconfig or in-cluster configuration, or an unknown context.
    #[error("cannot configure the Kubernetes client: {0}")]
    Config(String),
    /// The async runtime could not start.
    #[error("cannot start the Kubernetes client runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// Not one kind could be listed (the API server is unreachable or refuses everything).
    #[error("cannot read Kubernetes context `{context}`: {reason}")]
    Unreadable {
        /// The context.
        context: String,
        /// Why the first kind failed.
        reason: String,
    },
}

/// Lists the cluster of `opts` and converts it into the model.
pub fn read_cluster(opts: &LiveOptions) -> Result<Live, LiveError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(LiveError::Runtime)?;
    runtime.block_on(read_async(opts))
}
async fn read_async(opts: &LiveOptions) -> Result<Live, LiveError> {
    use futures::stream::{self, StreamExt};

    let (client, context) = client::connect(opts.context.as_deref()).await?;
    let namespace = opts.namespace.as_deref();
    let specs = kinds::all(namespace);
    let client = &client;
    // `buffered` keeps the order of `specs`, so the model's order does not depend on
    // which answer came first.
    let answers: Vec<(&'static str, Result<Vec<Json>, Denied>)> = stream::iter(specs)
        .map(|spec| async move {
            let r = list::list_kind(client, &spec, namespace).await;
            (spec.kind, r)
        })
        .buffered(CONCURRENT_LISTS)
        .collect()
        .await;
    let mut listed: Vec<(&'static str, Vec<Json>)> = Vec::new();
    let mut denied: Vec<Denied> = Vec::new();
    for (kind, answer) in answers {
        match answer {
            Ok(items) => listed.push((kind, items)),
            Err(d) => denied.push(d),
        }
    }
    if listed.is_empty() {
        let reason = denied
            .first()
            .map(Denied::reason)
            .unwrap_or_else(|| "no kind to list".to_string());
        return Err(LiveError::Unreadable { context, reason });
    }
    Ok(convert(context, listed, denied))
}

/// Converts listed objects (kind and API objects, in listing order) into a [`Live`].
pub fn convert(
    context: String,
    listed: Vec<(&'static str, Vec<Json>)>,
    denied: Vec<Denied>,
) -> Live {
    let owners = owners::Owners::new(
        listed
            .iter()
            .flat_map(|(k, items)| items.iter().map(move |i| (*k, i))),
    );
    let origins = ClusterOrigins {
        context: context.as_str().into(),
    };
    let mut live = Live {
        diagnostics: denied.iter().map(|d| d.diagnostic(&context)).collect(),
        denied,
        ..Live::default()
    };
    live.model.complete = true;
    // Each API object is dropped once converted: the answers and the model are not
    // both held in full.
    for (_, items) in listed {
        for item in items {
            live.listed += 1;
            if owners.is_owned(&item) {
                live.collapsed += 1;
                continue;
            }
            object_to_model(&item, &origins, &MissingNamespace::Default, &mut live.model);
        }
    }
    live.context = context;
    live
}

/// An error and its sources, `: `-separated (kube's errors put the cause in the source).
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;
    use serde_json::json;

    #[test]
    fn converts_with_cluster_origins_and_collapses_owned_objects() {
        let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "api", "namespace": "web", "uid": "d1"},
            "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "c", "image": "x:1"}]}}}});
        let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": "api-1", "namespace": "web", "uid": "r1",
                "ownerReferences": [{"kind": "Deployment", "name": "api", "uid": "d1", "controller": true}]},
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1"}]}}}});
        let pod = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "api-1-x", "namespace": "web",
                "ownerReferences": [{"kind": "ReplicaSet", "name": "api-1", "uid": "r1", "controller": true}]},
            "spec": {"containers": [{"name": "c", "image": "x:1"}]}});
        let bare = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "debug", "namespace": "web"},
            "spec": {"containers": [{"name": "c", "image": "x:1"}]}});
        let d = Denied {
            kind: "NetworkPolicy".into(),
            namespace: None,
            status: Some(403),
            path: "/apis/networking.k8s.io/v1/networkpolicies".into(),
            message: "forbidden".into(),
        };
        let live = convert(
            "prod".into(),
            vec![
                ("Pod", vec![pod, bare]),
                ("Deployment", vec![deploy]),
                ("ReplicaSet", vec![rs]),
            ],
            vec![d],
        );
        let addresses: Vec<&str> = live
            .model
            .workloads
            .iter()
            .map(|w| &*w.object.meta.address)
            .collect();
        assert_eq!(addresses, vec!["Pod/web/debug", "Deployment/web/api"]);
        assert_eq!((live.listed, live.collapsed), (4, 2));
        assert!(live.model.complete);
        assert_eq!(live.diagnostics.len(), 1);
        assert!(matches!(
            &live.model.workloads[1].object.meta.origin,
            Origin::Cluster { context, kind, namespace: Some(ns), name }
                if &**context == "prod" && &**kind == "Deployment" && &**ns == "web" && &**name == "api"
        ));
    }
    #[test]
    fn error_chain_joins_sources() {
        let inner = std::io::Error::other("connection refused");
        let outer = LiveError::Runtime(inner);
        assert_eq!(
            error_chain(&outer),
            "cannot start the Kubernetes client runtime: connection refused"
        );
    }
}

/// A live cluster as a [`Source`] of the scan (`--kubernetes`).
#[derive(Debug, Clone, Default)]
pub struct ClusterSource {
    /// Which cluster and namespace.
    pub options: LiveOptions,
}

impl Source for ClusterSource {
    fn kind(&self) -> &'static str {
        "kubernetes"
    }

    fn read(&self, _input: &SourceInput<'_>) -> crate::error::Result<SourceRead> {
        let live = read_cluster(&self.options)
            .map_err(|e| crate::error::Error::source("kubernetes", e))?;
        let input = match self.options.namespace.as_deref() {
            Some(ns) => format!("kubernetes:{}/{ns}", live.context),
            None => format!("kubernetes:{}", live.context),
        };
        let mut model = Model::default();
        let scope = input.clone();
        model.coverage.count(
            live.model
                .resources()
                .into_iter()
                .map(|(collection, _)| (scope.as_str(), collection)),
        );
        model.coverage.set_origin(
            scope,
            Origin::Cluster {
                context: live.context.as_str().into(),
                kind: "Cluster".into(),
                namespace: self.options.namespace.as_deref().map(Into::into),
                name: "*".into(),
            },
        );
        for d in live.denied {
            model.coverage.deny_kind(&live.context, d);
        }
        let resources = live.model.len();
        model.k8s = live.model;
        Ok(SourceRead {
            model,
            diagnostics: live.diagnostics,
            inputs: vec![input],
            resources,
            ..SourceRead::default()
        })
    }
}
