//! K8S-POD-011: containers set CPU and memory limits.

use crate::model::k8s::ContainerKind;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every regular container (not init or ephemeral containers) sets
    /// `resources.limits.cpu` and `resources.limits.memory`.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.1 and CC9.1: a container without limits can take all the CPU and memory of
    /// its node — a runaway process, a leak or a denial-of-service against one service
    /// becomes an outage of every workload scheduled beside it. Limits are the capacity
    /// control of shared clusters.
    ///
    /// ## Default assumed
    /// No limit unless written (a namespace `LimitRange` may add defaults; it is not
    /// taken into account). Reported at the container.
    ///
    /// ## Not evaluated
    /// When a limit is not a scalar.
    ///
    /// ## How to fix
    /// ```yaml
    /// resources:
    ///   requests: { cpu: 100m, memory: 128Mi }
    ///   limits: { cpu: "1", memory: 256Mi }
    /// ```
    pub struct ResourceLimits {
        id: "K8S-POD-011",
        slug: "k8s-resource-limits",
        title: "Containers set CPU and memory limits",
        severity: Low,
        family: Workload,
    }
}

impl Rule for ResourceLimits {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let meta = &w.object.meta;
            for c in w
                .pod
                .containers
                .iter()
                .filter(|c| c.kind == ContainerKind::Regular)
            {
                let path = format!("{}.resources.limits", c.path);
                let limits = [("CPU", &c.limits_cpu), ("memory", &c.limits_memory)];
                if let Some(u) = limits
                    .iter()
                    .filter_map(|(_, l)| l.as_ref())
                    .find(|l| l.unknown_reason().is_some())
                {
                    let reason = u.unknown_reason().unwrap_or_default().to_string();
                    out.not_evaluated(meta, &u.origin, &path, reason);
                    continue;
                }
                let missing: Vec<&str> = limits
                    .iter()
                    .filter(|(_, l)| {
                        l.as_ref()
                            .is_none_or(|v| v.known().is_none_or(|s| s.trim().is_empty()))
                    })
                    .map(|(n, _)| *n)
                    .collect();
                if missing.is_empty() {
                    let at = c.limits_memory.as_ref().map_or(&c.origin, |v| &v.origin);
                    out.pass(meta, at, &path);
                } else {
                    out.fail(
                        meta,
                        &c.origin,
                        &path,
                        format!(
                            "container `{}` has no {} limit",
                            c.name,
                            missing.join(" and no ")
                        ),
                    );
                }
            }
        }
    }
}
