//! K8S-POD-001: containers do not run privileged.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every container, init container and ephemeral container of Pods and pod
    /// controllers (Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet,
    /// ReplicationController) for `securityContext.privileged: true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.8: a privileged container has every capability and every device of
    /// the node; whoever controls the process (a compromised dependency, an exploited
    /// application) controls the node and every pod on it. Least privilege for workloads
    /// starts by not handing them the host.
    ///
    /// ## Default assumed
    /// `privileged` defaults to `false`.
    ///
    /// ## Not evaluated
    /// When `privileged` is not a boolean (an unrendered template).
    ///
    /// ## How to fix
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     securityContext:
    ///       privileged: false
    /// ```
    pub struct PrivilegedContainer {
        id: "K8S-POD-001",
        slug: "k8s-privileged-container",
        title: "Containers do not run privileged",
        severity: High,
        family: Workload,
    }
}

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            for c in &w.pod.containers {
                out.require(
                    &w.object.meta,
                    &c.privileged,
                    |p| !p,
                    |_| {
                        format!(
                            "container `{}` runs privileged (full access to the node)",
                            c.name
                        )
                    },
                );
            }
        }
    }
}
