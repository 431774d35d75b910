//! K8S-NET-003: every namespace has a NetworkPolicy.

use std::collections::BTreeMap;

use crate::model::{Model, Origin, Resolved, ResourceMeta};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every namespace in scope has at least one NetworkPolicy. Namespaces
    /// in scope are the Namespace objects and the namespaces of the scanned workloads
    /// (including `default` for manifests that write none).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: without a NetworkPolicy every pod accepts traffic from every
    /// other pod of the cluster, in every namespace: one compromised workload reaches
    /// all databases and internal APIs. A default-deny policy per namespace is the
    /// network segmentation of a cluster.
    ///
    /// ## Default assumed
    /// Kubernetes allows all traffic to pods no policy selects.
    ///
    /// ## Not evaluated
    /// A scan of files only sees the policies in the scanned paths. A namespace
    /// **declared** in the scanned files (a Namespace object) is always evaluated: its
    /// policies are expected beside it. A namespace only **used** by workloads is
    /// evaluated when the scan contains at least one NetworkPolicy (the repository
    /// manages policies) or reads a live cluster; otherwise it is not evaluated, since
    /// its policies may be managed elsewhere. Namespaces set by kustomize overlays are
    /// unknown and skipped.
    ///
    /// ## How to fix
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: { name: default-deny, namespace: payments }
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    pub struct NamespaceNetworkPolicy {
        id: "K8S-NET-003",
        slug: "k8s-namespace-network-policy",
        title: "Every namespace has a NetworkPolicy",
        severity: Medium,
        family: Network,
    }
}

/// A namespace in scope: where it is declared (or first used) and whether declared.
struct InScope {
    origin: Origin,
    declared: bool,
}

impl Rule for NamespaceNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let k8s = &model.k8s;
        let mut scope: BTreeMap<&str, InScope> = BTreeMap::new();
        for n in &k8s.namespaces {
            scope.entry(&n.object.name).or_insert(InScope {
                origin: n.object.meta.origin.clone(),
                declared: true,
            });
        }
        for w in &k8s.workloads {
            let Some(ns) = &w.object.namespace else {
                continue;
            };
            if let Resolved::Set(n) | Resolved::Defaulted(n) = &ns.value {
                scope.entry(n.as_str()).or_insert(InScope {
                    origin: w.object.meta.origin.clone(),
                    declared: false,
                });
            }
        }
        let mut policies: BTreeMap<&str, &Origin> = BTreeMap::new();
        for p in &k8s.network_policies {
            if let Some(ns) = p.object.namespace_name() {
                policies.entry(ns).or_insert(&p.object.meta.origin);
            }
        }
        let managed_here = k8s.complete || !k8s.network_policies.is_empty();
        let where_ = if k8s.complete {
            ""
        } else {
            " in the scanned files"
        };
        for (ns, s) in scope {
            let subject =
                ResourceMeta::new(format!("Namespace/{ns}"), "Namespace", s.origin.clone());
            if let Some(r) = model.k8s_unlisted("k8s.network_policies", &s.origin, Some(ns)) {
                out.not_evaluated(&subject, &s.origin, "networkPolicy", r);
            } else if policies.contains_key(ns) {
                out.pass(&subject, &s.origin, "networkPolicy");
            } else if s.declared || managed_here {
                out.fail(
                    &subject,
                    &s.origin,
                    "networkPolicy",
                    format!("namespace `{ns}` has no NetworkPolicy{where_}: its pods accept traffic from every pod of the cluster"),
                );
            } else {
                out.not_evaluated(
                    &subject,
                    &s.origin,
                    "networkPolicy",
                    format!("namespace `{ns}` is not declared and the scanned files contain no NetworkPolicy; policies may be managed elsewhere"),
                );
            }
        }
    }
}
