//! K8S-POD-007: containers add no capabilities beyond the baseline set.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Capabilities the Pod Security Standards' *baseline* profile allows to be added.
const BASELINE: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

crate::declare_rule! {
    /// ## What it does
    /// Checks `securityContext.capabilities.add` of every container: each capability
    /// outside the Pod Security Standards' baseline set (`AUDIT_WRITE`, `CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`,
    /// `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT`) is a finding — `ALL`,
    /// `SYS_ADMIN`, `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `NET_RAW`, `BPF`, … The
    /// `CAP_` prefix and the case are ignored.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 and CC6.8: `SYS_ADMIN` is close to privileged, `SYS_MODULE` loads kernel
    /// code, `SYS_PTRACE` reads other processes' memory, `NET_ADMIN`/`NET_RAW` rewrite
    /// or spoof the pod network. Each one widens what a compromised process can do to
    /// the node and its neighbours.
    ///
    /// ## Default assumed
    /// Nothing added: the runtime's default set applies and the container passes.
    ///
    /// ## How to fix
    /// ```yaml
    /// securityContext:
    ///   capabilities:
    ///     drop: ["ALL"]
    ///     add: ["NET_BIND_SERVICE"]   # only what the process needs
    /// ```
    pub struct DangerousCapabilities {
        id: "K8S-POD-007",
        slug: "k8s-dangerous-capabilities",
        title: "Containers add no capabilities beyond the baseline set",
        severity: High,
        family: Workload,
    }
}

impl Rule for DangerousCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            for c in &w.pod.containers {
                let mut bad = false;
                for cap in &c.capabilities_add {
                    let Resolved::Set(name) = &cap.value else {
                        continue;
                    };
                    let norm = name.trim().to_ascii_uppercase();
                    let norm = norm.strip_prefix("CAP_").unwrap_or(&norm);
                    if !BASELINE.contains(&norm) {
                        bad = true;
                        out.fail(
                            &w.object.meta,
                            &cap.origin,
                            &cap.path,
                            format!("container `{}` adds the capability {norm}", c.name),
                        );
                    }
                }
                if !bad {
                    out.pass(
                        &w.object.meta,
                        &c.origin,
                        &format!("{}.securityContext.capabilities.add", c.path),
                    );
                }
            }
        }
    }
}
