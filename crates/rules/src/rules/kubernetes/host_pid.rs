//! K8S-POD-004: pods do not share the host's process namespace.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that the pod spec of every Pod and pod controller does not set
    /// `hostPID: true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.8: with the host's process namespace a container sees every process of the node, can read their environment (secrets included) through `/proc` and signal or trace them: isolation between workloads is gone.
    ///
    /// ## Default assumed
    /// `hostPID` defaults to `false`.
    ///
    /// ## Not evaluated
    /// When the value is not a boolean.
    ///
    /// ## How to fix
    /// Remove `hostPID: true` from the pod spec (or set it to `false`):
    /// ```yaml
    /// spec:
    ///   hostPID: false
    /// ```
    pub struct HostPid {
        id: "K8S-POD-004",
        slug: "k8s-host-pid",
        title: "Pods do not share the host PID namespace",
        severity: High,
        family: Workload,
    }
}

impl Rule for HostPid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            out.require_false(
                &w.object.meta,
                &w.pod.host_pid,
                "pod shares the host's process namespace (hostPID: true)",
            );
        }
    }
}
