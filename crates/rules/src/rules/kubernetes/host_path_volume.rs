//! K8S-POD-006: pods do not mount host paths.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks the `volumes` of every pod spec for `hostPath` volumes; each one is a
    /// finding at its `hostPath` line.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.1: a hostPath volume gives the container the node's file system —
    /// the container runtime socket (`/var/run/docker.sock`), kubelet credentials, other
    /// pods' volumes and secrets. Mounting `/` or the runtime socket is equivalent to
    /// root on the node.
    ///
    /// ## Default assumed
    /// None: a pod without hostPath volumes passes.
    ///
    /// ## How to fix
    /// Use `emptyDir`, a PersistentVolumeClaim, a ConfigMap or a Secret volume; node
    /// agents that truly need the host belong in a dedicated, reviewed namespace (and
    /// an inline suppression with the reason).
    /// ```yaml
    /// volumes:
    ///   - name: cache
    ///     emptyDir: {}
    /// ```
    pub struct HostPathVolume {
        id: "K8S-POD-006",
        slug: "k8s-host-path-volume",
        title: "Pods do not mount host paths",
        severity: High,
        family: Workload,
    }
}

impl Rule for HostPathVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let mut found = false;
            for v in &w.pod.volumes {
                if let Some(hp) = &v.host_path {
                    found = true;
                    let shown = hp.known().map(String::as_str).unwrap_or("");
                    out.fail(
                        &w.object.meta,
                        &hp.origin,
                        &hp.path,
                        format!("volume `{}` mounts the host path `{shown}`", v.name),
                    );
                }
            }
            if !found {
                out.pass(
                    &w.object.meta,
                    &w.pod.origin,
                    &format!("{}.volumes", w.pod.path),
                );
            }
        }
    }
}
