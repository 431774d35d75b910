//! K8S-POD-009: containers run with a seccomp profile.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container runs with a seccomp profile: `seccompProfile.type`
    /// `RuntimeDefault` or `Localhost` in the container's or the pod's
    /// `securityContext`, or the legacy annotations
    /// (`container.seccomp.security.alpha.kubernetes.io/<name>`,
    /// `seccomp.security.alpha.kubernetes.io/pod`) set to `runtime/default`,
    /// `docker/default` or `localhost/…`. `Unconfined` fails at its line.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.8 and CC6.3: seccomp filters the system calls a container may make; without
    /// a profile the whole kernel interface is reachable, and most container escapes
    /// use system calls the runtime's default profile blocks.
    ///
    /// ## Default assumed
    /// No profile written: Kubernetes runs the container `Unconfined` (unless the
    /// kubelet's `--seccomp-default` is on, which a manifest cannot show). Reported at
    /// the container.
    ///
    /// ## Not evaluated
    /// When the profile type is not a string.
    ///
    /// ## How to fix
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    /// ```
    pub struct SeccompProfile {
        id: "K8S-POD-009",
        slug: "k8s-seccomp-profile",
        title: "Containers run with a seccomp profile",
        severity: Low,
        family: Workload,
    }
}

impl Rule for SeccompProfile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let meta = &w.object.meta;
            for c in &w.pod.containers {
                // Per container, also when the profile is inherited from the pod.
                let path = format!("{}.securityContext.seccompProfile.type", c.path);
                if let Some(v) = w.pod.seccomp_profile(c) {
                    match &v.value {
                        Resolved::Set(t) | Resolved::Defaulted(t) => {
                            if t == "RuntimeDefault" || t == "Localhost" {
                                out.pass(meta, &v.origin, &path);
                            } else {
                                out.fail(
                                    meta,
                                    &v.origin,
                                    &path,
                                    format!(
                                        "container `{}` runs with seccomp profile `{t}`",
                                        c.name
                                    ),
                                );
                            }
                        }
                        Resolved::Unknown(r) => {
                            out.not_evaluated(meta, &v.origin, &path, r.to_string())
                        }
                    }
                    continue;
                }
                match w.pod.seccomp_annotation(c) {
                    Some(a)
                        if a == "runtime/default"
                            || a == "docker/default"
                            || a.starts_with("localhost/") =>
                    {
                        out.pass(meta, &w.object.meta.origin, &path)
                    }
                    Some(a) => out.fail(
                        meta,
                        &w.object.meta.origin,
                        &path,
                        format!(
                            "container `{}` runs with seccomp profile `{a}` (annotation)",
                            c.name
                        ),
                    ),
                    None => out.fail(
                        meta,
                        &c.origin,
                        &path,
                        format!(
                            "container `{}` has no seccomp profile (it runs Unconfined)",
                            c.name
                        ),
                    ),
                }
            }
        }
    }
}
