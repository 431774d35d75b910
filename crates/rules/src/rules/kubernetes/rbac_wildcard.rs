//! K8S-RBAC-002: Roles and ClusterRoles grant no wildcard verbs or resources.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every rule of every Role and ClusterRole: `resources: ["*"]`, or
    /// `verbs: ["*"]` on resources, is a finding at the offending line. Rules for
    /// `nonResourceURLs` only are not concerned by wildcard verbs.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3: a wildcard grants every current and future resource type or verb —
    /// including reading Secrets, `escalate`, `bind` and `impersonate` — to every
    /// subject bound to the role. Least privilege needs the list written out.
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## How to fix
    /// ```yaml
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "update"]
    /// ```
    pub struct RbacWildcard {
        id: "K8S-RBAC-002",
        slug: "k8s-rbac-wildcard",
        title: "Roles grant no wildcard verbs or resources",
        severity: High,
        family: Identity,
    }
}

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let star = |v: &[String]| v.iter().any(|x| x.trim() == "*");
        for role in &model.k8s.roles {
            let meta = &role.object.meta;
            for r in &role.rules {
                let resources = r.resources.known().cloned().unwrap_or_default();
                let verbs = r.verbs.known().cloned().unwrap_or_default();
                if star(&resources) {
                    out.fail(
                        meta,
                        &r.resources.origin,
                        &r.resources.path,
                        format!(
                            "{} grants access to every resource (\"*\")",
                            role.object.kind
                        ),
                    );
                } else if star(&verbs) && !resources.is_empty() {
                    out.fail(
                        meta,
                        &r.verbs.origin,
                        &r.verbs.path,
                        format!(
                            "{} grants every verb (\"*\") on {}",
                            role.object.kind,
                            resources.join(", ")
                        ),
                    );
                } else {
                    out.pass(meta, &r.origin, &r.path);
                }
            }
        }
    }
}
