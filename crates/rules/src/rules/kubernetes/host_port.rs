//! K8S-NET-002: containers do not bind host ports.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks the `ports` of every container for a non-zero `hostPort`; each one is a
    /// finding at its line.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6: a host port publishes the container on the node's own IP address,
    /// outside Services, Ingresses and the load balancers' controls, and often outside
    /// what NetworkPolicies and cloud firewalls were designed around.
    ///
    /// ## Default assumed
    /// No `hostPort`: the port is reachable only through the pod network.
    ///
    /// ## Not evaluated
    /// When `hostPort` is not an integer.
    ///
    /// ## How to fix
    /// Remove `hostPort` and expose the port through a Service:
    /// ```yaml
    /// ports:
    ///   - containerPort: 8080
    /// ```
    pub struct HostPort {
        id: "K8S-NET-002",
        slug: "k8s-host-port",
        title: "Containers do not bind host ports",
        severity: Medium,
        family: Network,
    }
}

impl Rule for HostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let meta = &w.object.meta;
            for c in &w.pod.containers {
                let mut reported = false;
                for hp in c.ports.iter().filter_map(|p| p.host_port.as_ref()) {
                    match &hp.value {
                        Resolved::Set(n) | Resolved::Defaulted(n) if *n > 0 => {
                            reported = true;
                            out.fail(
                                meta,
                                &hp.origin,
                                &hp.path,
                                format!("container `{}` binds host port {n}", c.name),
                            );
                        }
                        Resolved::Unknown(r) => {
                            reported = true;
                            out.not_evaluated(meta, &hp.origin, &hp.path, r.to_string());
                        }
                        _ => {}
                    }
                }
                if !reported {
                    out.pass(meta, &c.origin, &format!("{}.ports", c.path));
                }
            }
        }
    }
}
