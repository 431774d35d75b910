//! K8S-POD-002: containers forbid privilege escalation.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container of a workload sets
    /// `securityContext.allowPrivilegeEscalation: false`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.8: without `no_new_privs`, a process in the container can gain
    /// more privileges than it started with (setuid binaries, file capabilities), which
    /// turns a foothold in the application into root in the container and a step
    /// towards the node.
    ///
    /// ## Default assumed
    /// Kubernetes allows escalation unless the field is `false`: a container that does
    /// not write it is reported (`Defaulted(true)`), at the container.
    ///
    /// ## Not evaluated
    /// When the value is not a boolean.
    ///
    /// ## How to fix
    /// ```yaml
    /// securityContext:
    ///   allowPrivilegeEscalation: false
    /// ```
    pub struct AllowPrivilegeEscalation {
        id: "K8S-POD-002",
        slug: "k8s-allow-privilege-escalation",
        title: "Containers forbid privilege escalation",
        severity: Medium,
        family: Workload,
    }
}

impl Rule for AllowPrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            for c in &w.pod.containers {
                let v = &c.allow_privilege_escalation;
                out.require(
                    &w.object.meta,
                    v,
                    |allowed| !allowed,
                    |_| {
                        if v.is_set() {
                            format!("container `{}` sets allowPrivilegeEscalation: true", c.name)
                        } else {
                            format!(
                                "container `{}` does not set allowPrivilegeEscalation: false (escalation is allowed by default)",
                                c.name
                            )
                        }
                    },
                );
            }
        }
    }
}
