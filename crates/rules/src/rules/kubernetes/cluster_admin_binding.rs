//! K8S-RBAC-001: cluster-admin is bound only to Kubernetes' own subjects.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every ClusterRoleBinding and RoleBinding whose `roleRef` is the
    /// ClusterRole `cluster-admin`: each subject that is not one of Kubernetes' own
    /// (`system:` users and groups such as `system:masters`) is a finding at its line.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.1: `cluster-admin` allows every verb on every resource — all
    /// Secrets, all workloads, RBAC itself. Bound to a service account, every pod
    /// using it (and whoever compromises one) is a cluster administrator; bound to a
    /// person or group, it bypasses role-based access and segregation of duties.
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## How to fix
    /// Bind a Role or ClusterRole that grants only the verbs and resources needed, in
    /// the namespaces needed:
    /// ```yaml
    /// kind: RoleBinding
    /// roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit }
    /// ```
    pub struct ClusterAdminBinding {
        id: "K8S-RBAC-001",
        slug: "k8s-cluster-admin-binding",
        title: "cluster-admin is bound only to Kubernetes' own subjects",
        severity: Critical,
        family: Identity,
    }
}

impl Rule for ClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for b in &model.k8s.bindings {
            let meta = &b.object.meta;
            let r = &b.role_name;
            match &r.value {
                Resolved::Set(name) | Resolved::Defaulted(name)
                    if name == "cluster-admin" && b.role_kind == "ClusterRole" =>
                {
                    for s in &b.subjects {
                        if s.is_system() {
                            out.pass(meta, &s.origin, &s.path);
                        } else {
                            let who = match &s.namespace {
                                Some(ns) => format!("{} {ns}/{}", s.kind, s.name),
                                None => format!("{} {}", s.kind, s.name),
                            };
                            out.fail(
                                meta,
                                &s.origin,
                                &s.path,
                                format!("{} grants cluster-admin to {who}", b.object.kind),
                            );
                        }
                    }
                }
                Resolved::Unknown(why) => {
                    out.not_evaluated(meta, &r.origin, &r.path, why.to_string())
                }
                _ => out.pass(meta, &r.origin, &r.path),
            }
        }
    }
}
