//! K8S-AVL-001: Deployments run more than one replica.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Deployment runs at least two pods: `spec.replicas` ≥ 2, or,
    /// when a HorizontalPodAutoscaler in the scanned objects scales it, the
    /// autoscaler's `minReplicas` ≥ 2. Deployments scaled to zero on purpose pass.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: one replica means every node drain, rollout, eviction or crash
    /// is an outage of the service. Redundancy is the first availability control.
    ///
    /// ## Default assumed
    /// `replicas` defaults to 1; an autoscaler's `minReplicas` defaults to 1.
    ///
    /// ## Not evaluated
    /// When the replica count is not an integer.
    ///
    /// ## How to fix
    /// ```yaml
    /// spec:
    ///   replicas: 3
    /// ```
    pub struct SingleReplica {
        id: "K8S-AVL-001",
        slug: "k8s-single-replica",
        title: "Deployments run more than one replica",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for SingleReplica {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in model
            .k8s
            .workloads
            .iter()
            .filter(|w| &*w.object.kind == "Deployment")
        {
            let Some(v) = model.k8s.min_replicas(w) else {
                continue;
            };
            // An autoscaler the cluster did not let the scan list may set minReplicas.
            let ns = w.object.namespace_name();
            if let Some(r) = model.k8s_unlisted("k8s.autoscalers", &w.object.meta.origin, ns) {
                out.not_evaluated(&w.object.meta, &v.origin, &v.path, r);
                continue;
            }
            let from_hpa = model.k8s.autoscaler_for(w).is_some();
            out.require(
                &w.object.meta,
                v,
                |n| *n != 1,
                |_| match (&v.value, from_hpa) {
                    (_, true) => {
                        "the autoscaler of this Deployment allows a single replica (minReplicas: 1)"
                            .to_string()
                    }
                    (Resolved::Defaulted(_), _) => {
                        "Deployment runs a single replica (replicas defaults to 1)".to_string()
                    }
                    _ => "Deployment runs a single replica".to_string(),
                },
            );
        }
    }
}
