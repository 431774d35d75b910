//! K8S-NET-001: pods do not share the host's network namespace.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that the pod spec of every Pod and pod controller does not set
    /// `hostNetwork: true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: a pod on the host network bypasses NetworkPolicies, can bind any port of the node, reach services that listen on localhost only (the kubelet, cloud metadata endpoints) and observe the node's traffic. Network segmentation stops at the node.
    ///
    /// ## Default assumed
    /// `hostNetwork` defaults to `false`.
    ///
    /// ## Not evaluated
    /// When the value is not a boolean.
    ///
    /// ## How to fix
    /// Remove `hostNetwork: true` from the pod spec (or set it to `false`):
    /// ```yaml
    /// spec:
    ///   hostNetwork: false
    /// ```
    pub struct HostNetwork {
        id: "K8S-NET-001",
        slug: "k8s-host-network",
        title: "Pods do not use the host network",
        severity: High,
        family: Network,
    }
}

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            out.require_false(
                &w.object.meta,
                &w.pod.host_network,
                "pod shares the host's network namespace (hostNetwork: true)",
            );
        }
    }
}
