//! K8S-POD-012: workloads do not run in the default namespace.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every workload names a namespace other than `default`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.3: namespaces are the unit of access control, quotas and network
    /// policy in Kubernetes. Workloads in `default` share it with everything else that
    /// nobody placed deliberately, so RBAC and NetworkPolicies cannot be scoped to them.
    ///
    /// ## Default assumed
    /// A manifest without `metadata.namespace` is applied to the namespace of the
    /// kubectl context — `default` unless the context or `kubectl -n` says otherwise —
    /// so it is reported as defaulted to `default`, at the object. When a kustomization
    /// beside the manifest sets `namespace:`, that namespace counts.
    ///
    /// ## Not evaluated
    /// When the manifest is part of a kustomize base without a namespace: an overlay
    /// may set one.
    ///
    /// ## How to fix
    /// ```yaml
    /// metadata:
    ///   name: api
    ///   namespace: payments
    /// ```
    pub struct DefaultNamespace {
        id: "K8S-POD-012",
        slug: "k8s-default-namespace",
        title: "Workloads do not run in the default namespace",
        severity: Low,
        family: Workload,
    }
}

impl Rule for DefaultNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let Some(ns) = &w.object.namespace else {
                continue;
            };
            let meta = &w.object.meta;
            match &ns.value {
                Resolved::Set(n) if n == "default" => out.fail(
                    meta,
                    &ns.origin,
                    &ns.path,
                    "workload runs in the `default` namespace",
                ),
                Resolved::Defaulted(n) if n == "default" => out.fail(
                    meta,
                    &ns.origin,
                    &ns.path,
                    "no namespace is written: the workload lands in the kubectl context's namespace, `default` unless set otherwise",
                ),
                Resolved::Unknown(r) => out.not_evaluated(meta, &ns.origin, &ns.path, r.to_string()),
                _ => out.pass(meta, &ns.origin, &ns.path),
            }
        }
    }
}
