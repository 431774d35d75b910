//! K8S-RBAC-003: service-account tokens are not mounted automatically.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that API tokens are not mounted into pods that did not ask for them:
    /// - every workload: `automountServiceAccountToken` of the pod spec, else of its
    ///   ServiceAccount when that account is in the scanned objects, must be `false`.
    ///   A pod spec that writes `automountServiceAccountToken: true` asks for the token
    ///   (an operator, a metrics exporter, an RBAC proxy calling the API) and passes:
    ///   opting in per pod is the fix this rule recommends;
    /// - every ServiceAccount: `automountServiceAccountToken: false`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.3: a mounted token is a credential for the Kubernetes API in the
    /// file system of every container of the pod. Most applications never call the
    /// API; for them the token only serves an intruder (and whatever RBAC grants the
    /// account, often more than intended).
    ///
    /// ## Default assumed
    /// Both fields default to `true`: tokens are mounted unless the pod or its account
    /// opts out. A workload whose account is not in the scanned files is reported as
    /// defaulted, at the object.
    ///
    /// ## Not evaluated
    /// When the value is not a boolean.
    ///
    /// ## How to fix
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata: { name: api, namespace: payments }
    /// automountServiceAccountToken: false
    /// ```
    /// and set `automountServiceAccountToken: true` only on the pods that call the API.
    pub struct ServiceAccountTokenAutomount {
        id: "K8S-RBAC-003",
        slug: "k8s-service-account-token-automount",
        title: "Service-account tokens are not mounted automatically",
        severity: Low,
        family: Identity,
    }
}

impl Rule for ServiceAccountTokenAutomount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let k8s = &model.k8s;
        for sa in &k8s.service_accounts {
            out.require(
                &sa.object.meta,
                &sa.automount_token,
                |m| !m,
                |_| "ServiceAccount mounts its API token into every pod that uses it".to_string(),
            );
        }
        for w in &k8s.workloads {
            let meta = &w.object.meta;
            if let Some(v) = &w.pod.automount_token {
                // Written on the pod: `false` opts out, `true` is a deliberate opt-in.
                match &v.value {
                    Resolved::Unknown(r) => {
                        out.not_evaluated(meta, &v.origin, &v.path, r.to_string())
                    }
                    _ => out.pass(meta, &v.origin, &v.path),
                }
                continue;
            }
            let sa_name = w.pod.service_account_name.known();
            let account = k8s.service_accounts.iter().find(|sa| {
                Some(&*sa.object.name) == sa_name.map(String::as_str)
                    && sa.object.namespace_name().is_some()
                    && sa.object.namespace_name() == w.object.namespace_name()
            });
            let path = format!("{}.automountServiceAccountToken", w.pod.path);
            match account.map(|a| &a.automount_token) {
                Some(v) => match &v.value {
                    Resolved::Set(false) | Resolved::Defaulted(false) => {
                        out.pass(meta, &v.origin, &path)
                    }
                    Resolved::Unknown(r) => out.not_evaluated(meta, &v.origin, &path, r.to_string()),
                    _ => out.fail(
                        meta,
                        &w.object.meta.origin,
                        &path,
                        "pod mounts its service-account token (neither the pod nor its ServiceAccount sets automountServiceAccountToken: false)",
                    ),
                },
                None => match model.k8s_unlisted(
                    "k8s.service_accounts",
                    &w.object.meta.origin,
                    w.object.namespace_name(),
                ) {
                    // Its ServiceAccount may opt out, and could not be listed.
                    Some(r) => out.not_evaluated(meta, &w.object.meta.origin, &path, r),
                    None => out.fail(
                        meta,
                        &w.object.meta.origin,
                        &path,
                        "pod mounts its service-account token (automountServiceAccountToken is not false; the default is true)",
                    ),
                },
            }
        }
    }
}
