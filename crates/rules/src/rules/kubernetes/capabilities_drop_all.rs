//! K8S-POD-008: containers drop all capabilities.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container drops all Linux capabilities:
    /// `securityContext.capabilities.drop` contains `ALL` (any case).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3: container runtimes grant a default set of capabilities (`NET_RAW`,
    /// `CHOWN`, `SETUID`, `DAC_OVERRIDE`, …) that most applications never use and that
    /// attackers do (`NET_RAW` for spoofing on the pod network). Dropping all and adding
    /// back what is needed is least privilege for processes; the Pod Security
    /// Standards' *restricted* profile requires it.
    ///
    /// ## Default assumed
    /// Nothing dropped: the runtime's default set applies. Reported at the container.
    ///
    /// ## How to fix
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    /// ```
    pub struct CapabilitiesDropAll {
        id: "K8S-POD-008",
        slug: "k8s-capabilities-drop-all",
        title: "Containers drop all capabilities",
        severity: Low,
        family: Workload,
    }
}

impl Rule for CapabilitiesDropAll {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            for c in &w.pod.containers {
                let v = &c.capabilities_drop;
                out.require(
                    &w.object.meta,
                    v,
                    |d| d.iter().any(|x| x.eq_ignore_ascii_case("ALL")),
                    |_| {
                        if v.is_set() {
                            format!("container `{}` drops some capabilities but not ALL", c.name)
                        } else {
                            format!(
                                "container `{}` does not drop capabilities (drop: [\"ALL\"])",
                                c.name
                            )
                        }
                    },
                );
            }
        }
    }
}
