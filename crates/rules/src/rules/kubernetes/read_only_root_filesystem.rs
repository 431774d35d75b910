//! K8S-POD-010: containers have a read-only root file system.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every container sets `securityContext.readOnlyRootFilesystem: true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.8: a writable root file system lets an intruder drop tools, modify the
    /// application's binaries or configuration, and persist across process restarts
    /// within the container. Read-only images make the deployed software the software
    /// that runs.
    ///
    /// ## Default assumed
    /// `readOnlyRootFilesystem` defaults to `false`; reported at the container.
    ///
    /// ## Not evaluated
    /// When the value is not a boolean.
    ///
    /// ## How to fix
    /// Mount `emptyDir` volumes where the application writes (`/tmp`, caches):
    /// ```yaml
    /// securityContext:
    ///   readOnlyRootFilesystem: true
    /// volumeMounts:
    ///   - name: tmp
    ///     mountPath: /tmp
    /// ```
    pub struct ReadOnlyRootFilesystem {
        id: "K8S-POD-010",
        slug: "k8s-read-only-root-filesystem",
        title: "Containers have a read-only root file system",
        severity: Low,
        family: Workload,
    }
}

impl Rule for ReadOnlyRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            for c in &w.pod.containers {
                out.require(
                    &w.object.meta,
                    &c.read_only_root_filesystem,
                    |ro| *ro,
                    |_| format!("container `{}` has a writable root file system", c.name),
                );
            }
        }
    }
}
