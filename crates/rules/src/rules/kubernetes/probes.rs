//! K8S-AVL-003: long-running containers have liveness and readiness probes.

use crate::model::k8s::ContainerKind;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every regular container of a long-running workload (not Jobs or
    /// CronJobs, not init or ephemeral containers) has a `livenessProbe` and a
    /// `readinessProbe`; each missing probe is one finding at the container.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 and A1.2: probes are how the platform monitors the service. Without a
    /// liveness probe a hung process stays up and unhealthy forever; without a
    /// readiness probe traffic reaches pods that cannot serve it (during start-up,
    /// rollouts, overload), which turns every deployment into a partial outage.
    ///
    /// ## Default assumed
    /// No probe: the container is considered alive and ready as soon as it starts.
    ///
    /// ## How to fix
    /// ```yaml
    /// livenessProbe:
    ///   httpGet: { path: /healthz, port: 8080 }
    /// readinessProbe:
    ///   httpGet: { path: /ready, port: 8080 }
    /// ```
    pub struct Probes {
        id: "K8S-AVL-003",
        slug: "k8s-probes",
        title: "Long-running containers have liveness and readiness probes",
        severity: Low,
        family: Logging,
    }
}

impl Rule for Probes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in model.k8s.workloads.iter().filter(|w| !w.is_batch()) {
            for c in w
                .pod
                .containers
                .iter()
                .filter(|c| c.kind == ContainerKind::Regular)
            {
                for (probe, what) in [
                    (&c.liveness_probe, "livenessProbe"),
                    (&c.readiness_probe, "readinessProbe"),
                ] {
                    out.require(
                        &w.object.meta,
                        probe,
                        |p| *p,
                        |_| format!("container `{}` has no {what}", c.name),
                    );
                }
            }
        }
    }
}
