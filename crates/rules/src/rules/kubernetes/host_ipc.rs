//! K8S-POD-005: pods do not share the host's IPC namespace.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that the pod spec of every Pod and pod controller does not set
    /// `hostIPC: true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.8: with the host's IPC namespace a container can read and write the shared memory and message queues of every process on the node, bypassing the isolation between workloads.
    ///
    /// ## Default assumed
    /// `hostIPC` defaults to `false`.
    ///
    /// ## Not evaluated
    /// When the value is not a boolean.
    ///
    /// ## How to fix
    /// Remove `hostIPC: true` from the pod spec (or set it to `false`):
    /// ```yaml
    /// spec:
    ///   hostIPC: false
    /// ```
    pub struct HostIpc {
        id: "K8S-POD-005",
        slug: "k8s-host-ipc",
        title: "Pods do not share the host IPC namespace",
        severity: High,
        family: Workload,
    }
}

impl Rule for HostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            out.require_false(
                &w.object.meta,
                &w.pod.host_ipc,
                "pod shares the host's IPC namespace (hostIPC: true)",
            );
        }
    }
}
