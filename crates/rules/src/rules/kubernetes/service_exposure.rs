//! K8S-NET-004: Services are not exposed through NodePorts or public load balancers.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Annotations (and values) that make a `LoadBalancer` Service internal on the major
/// clouds.
const INTERNAL: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "0.0.0.0/0",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    ("networking.gke.io/load-balancer-type", "Internal"),
    ("cloud.google.com/load-balancer-type", "Internal"),
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        "true",
    ),
];

crate::declare_rule! {
    /// ## What it does
    /// Checks the `type` of every Service: `NodePort` fails; `LoadBalancer` fails unless
    /// it is internal (the AWS, Azure, GKE or OCI internal annotations) or restricts
    /// `loadBalancerSourceRanges` to ranges other than `0.0.0.0/0` / `::/0`.
    /// `ClusterIP`, headless and `ExternalName` Services pass.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6: a public load balancer or a port opened on every node puts the service on
    /// the network boundary, bypassing the Ingress (TLS, authentication, WAF) that is
    /// meant to be the only way in. Each exposure should be deliberate.
    ///
    /// ## Default assumed
    /// `type` defaults to `ClusterIP` (cluster-internal).
    ///
    /// ## Not evaluated
    /// When `type` is not a string.
    ///
    /// ## How to fix
    /// Use `ClusterIP` behind an Ingress, or make the load balancer internal:
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     service.beta.kubernetes.io/aws-load-balancer-scheme: internal
    /// spec:
    ///   type: LoadBalancer
    /// ```
    pub struct ServiceExposure {
        id: "K8S-NET-004",
        slug: "k8s-service-exposure",
        title: "Services are not exposed through NodePorts or public load balancers",
        severity: Medium,
        family: Network,
    }
}

impl Rule for ServiceExposure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.k8s.services {
            let meta = &s.object.meta;
            let t = &s.service_type;
            match &t.value {
                Resolved::Set(ty) | Resolved::Defaulted(ty) => match ty.as_str() {
                    "NodePort" => out.fail(
                        meta,
                        &t.origin,
                        &t.path,
                        "Service of type NodePort opens its port on every node",
                    ),
                    "LoadBalancer" => {
                        let internal = INTERNAL.iter().any(|(k, v)| {
                            s.object
                                .annotations
                                .get(*k)
                                .is_some_and(|a| a.eq_ignore_ascii_case(v))
                        });
                        let restricted = !s.load_balancer_source_ranges.is_empty()
                            && !s
                                .load_balancer_source_ranges
                                .iter()
                                .any(|r| r.trim() == "0.0.0.0/0" || r.trim() == "::/0");
                        if internal || restricted {
                            out.pass(meta, &t.origin, &t.path);
                        } else {
                            out.fail(
                                meta,
                                &t.origin,
                                &t.path,
                                "Service of type LoadBalancer is public (no internal annotation, no loadBalancerSourceRanges)",
                            );
                        }
                    }
                    _ => out.pass(meta, &t.origin, &t.path),
                },
                Resolved::Unknown(r) => out.not_evaluated(meta, &t.origin, &t.path, r.to_string()),
            }
        }
    }
}
