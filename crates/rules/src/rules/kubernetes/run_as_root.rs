//! K8S-POD-003: containers do not run as root.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container runs as a non-root user: `runAsNonRoot: true` or a
    /// non-zero `runAsUser`, in the container's `securityContext` or inherited from the
    /// pod's. A `runAsUser: 0` fails wherever it is written.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.8: root in a container is root on the node's kernel, one kernel or
    /// runtime flaw away from the host, and can modify the container's own binaries.
    /// Without `runAsNonRoot` the kubelet does not check the user at all.
    ///
    /// ## Default assumed
    /// Neither field written: the image's `USER` applies, which is root for most images,
    /// and the kubelet does not refuse root. Reported at the container.
    ///
    /// ## Not evaluated
    /// When the fields are not of the right type.
    ///
    /// ## How to fix
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    /// ```
    pub struct RunAsRoot {
        id: "K8S-POD-003",
        slug: "k8s-run-as-root",
        title: "Containers do not run as root",
        severity: Medium,
        family: Workload,
    }
}

impl Rule for RunAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let meta = &w.object.meta;
            for c in &w.pod.containers {
                let user = w.pod.run_as_user(c);
                let non_root = w.pod.run_as_non_root(c);
                // Per container, also when the value is inherited from the pod, so each
                // container's result has its own fingerprint.
                let user_path = format!("{}.securityContext.runAsUser", c.path);
                let non_root_path = format!("{}.securityContext.runAsNonRoot", c.path);
                if let Some(u) = user {
                    match &u.value {
                        Resolved::Set(0) | Resolved::Defaulted(0) => {
                            out.fail(
                                meta,
                                &u.origin,
                                &user_path,
                                format!("container `{}` runs as UID 0 (root)", c.name),
                            );
                            continue;
                        }
                        Resolved::Unknown(r) => {
                            out.not_evaluated(meta, &u.origin, &user_path, r.to_string());
                            continue;
                        }
                        _ => {}
                    }
                }
                match non_root.map(|v| (v, &v.value)) {
                    Some((v, Resolved::Set(true) | Resolved::Defaulted(true))) => {
                        out.pass(meta, &v.origin, &non_root_path)
                    }
                    _ if user.is_some() => {
                        if let Some(u) = user {
                            out.pass(meta, &u.origin, &user_path);
                        }
                    }
                    Some((v, Resolved::Unknown(r))) => {
                        out.not_evaluated(meta, &v.origin, &non_root_path, r.to_string())
                    }
                    Some((v, _)) => out.fail(
                        meta,
                        &v.origin,
                        &non_root_path,
                        format!(
                            "container `{}` sets runAsNonRoot: false and no non-root runAsUser",
                            c.name
                        ),
                    ),
                    None => out.fail(
                        meta,
                        &c.origin,
                        &non_root_path,
                        format!(
                            "container `{}` sets neither runAsNonRoot: true nor a non-root runAsUser (it runs as the image's user, often root)",
                            c.name
                        ),
                    ),
                }
            }
        }
    }
}
