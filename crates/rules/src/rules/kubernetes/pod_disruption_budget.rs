//! K8S-AVL-002: replicated workloads have a PodDisruptionBudget.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Deployment and StatefulSet running two or more pods
    /// (`replicas`, or its autoscaler's `minReplicas`) is selected by a
    /// PodDisruptionBudget of the same namespace (`spec.selector` matching the pod
    /// template's labels). Single-replica workloads are the concern of K8S-AVL-001.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: without a budget, a node drain or cluster upgrade may evict all
    /// replicas at once; the redundancy exists on paper only.
    ///
    /// ## Default assumed
    /// Without a budget Kubernetes evicts pods without limit. A scan of files sees only
    /// the budgets in the scanned paths.
    ///
    /// ## Not evaluated
    /// When the workload's namespace is set by a kustomize overlay, or the replica count
    /// is not an integer.
    ///
    /// ## How to fix
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata: { name: api, namespace: payments }
    /// spec:
    ///   minAvailable: 1
    ///   selector:
    ///     matchLabels: { app: api }
    /// ```
    pub struct PodDisruptionBudget {
        id: "K8S-AVL-002",
        slug: "k8s-pod-disruption-budget",
        title: "Replicated workloads have a PodDisruptionBudget",
        severity: Low,
        family: Backup,
    }
}

impl Rule for PodDisruptionBudget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let k8s = &model.k8s;
        for w in k8s
            .workloads
            .iter()
            .filter(|w| matches!(&*w.object.kind, "Deployment" | "StatefulSet"))
        {
            let meta = &w.object.meta;
            let at = &meta.origin;
            let path = "podDisruptionBudget";
            let Some(replicas) = k8s.min_replicas(w) else {
                continue;
            };
            match &replicas.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(meta, &replicas.origin, path, r.to_string());
                    continue;
                }
                Resolved::Set(n) | Resolved::Defaulted(n) if *n < 2 => continue,
                _ => {}
            }
            let ns = w.object.namespace.as_ref();
            let Some(ns_name) = w.object.namespace_name() else {
                let reason = ns
                    .and_then(|n| n.unknown_reason())
                    .unwrap_or("the namespace is unknown")
                    .to_string();
                out.not_evaluated(meta, at, path, reason);
                continue;
            };
            // Budgets or autoscalers the cluster did not let the scan list may exist.
            let unlisted = ["k8s.pod_disruption_budgets", "k8s.autoscalers"]
                .iter()
                .find_map(|c| model.k8s_unlisted(c, at, Some(ns_name)));
            if let Some(r) = unlisted {
                out.not_evaluated(meta, at, path, r);
                continue;
            }
            let covered = k8s.pod_disruption_budgets.iter().any(|p| {
                p.object.namespace_name() == Some(ns_name) && p.selector.matches(&w.pod.labels)
            });
            if covered {
                out.pass(meta, at, path);
            } else {
                out.fail(
                    meta,
                    at,
                    path,
                    format!(
                        "no PodDisruptionBudget selects the pods of this {}: a drain may evict every replica at once",
                        w.object.kind
                    ),
                );
            }
        }
    }
}
