//! Workloads: Pods and the controllers that create them, with the pod spec and every
//! container's security context, resources, probes, environment and ports.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::objects::ObjectInfo;
use crate::model::{Origin, Value};

/// A Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet or
/// ReplicationController.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Workload {
    /// Identity.
    pub object: ObjectInfo,
    /// `spec.replicas` of kinds that have it (Deployment, StatefulSet, ReplicaSet,
    /// ReplicationController): `Defaulted(1)` when not written; `None` for other kinds.
    pub replicas: Option<Value<i64>>,
    /// The pod spec (`spec` of a Pod, `spec.template.spec` of a controller,
    /// `spec.jobTemplate.spec.template.spec` of a CronJob).
    pub pod: PodSpec,
}

impl Workload {
    /// Whether the workload runs to completion (Job, CronJob) rather than serving.
    pub fn is_batch(&self) -> bool {
        matches!(&*self.object.kind, "Job" | "CronJob")
    }
}

/// Pod-level `securityContext` fields that containers inherit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PodSecurityContext {
    /// `runAsNonRoot`, when written.
    pub run_as_non_root: Option<Value<bool>>,
    /// `runAsUser`, when written.
    pub run_as_user: Option<Value<i64>>,
    /// `seccompProfile.type`, when written.
    pub seccomp_profile: Option<Value<String>>,
}

/// A pod spec.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PodSpec {
    /// Attribute path of the spec (`spec.template.spec`).
    pub path: Arc<str>,
    /// Where the spec is written (the object when it is missing).
    pub origin: Origin,
    /// Labels of the pods (`spec.template.metadata.labels`, a Pod's own labels).
    pub labels: BTreeMap<String, String>,
    /// Annotations of the pods (legacy seccomp annotations live there).
    pub annotations: BTreeMap<String, String>,
    /// `containers`, `initContainers` and `ephemeralContainers`, in that order.
    pub containers: Vec<Container>,
    /// `hostPID`; `Defaulted(false)`.
    pub host_pid: Value<bool>,
    /// `hostIPC`; `Defaulted(false)`.
    pub host_ipc: Value<bool>,
    /// `hostNetwork`; `Defaulted(false)`.
    pub host_network: Value<bool>,
    /// `volumes`.
    pub volumes: Vec<Volume>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`); `Defaulted("default")`.
    pub service_account_name: Value<String>,
    /// `automountServiceAccountToken`, when written (otherwise the service account's
    /// setting applies, and `true` without one).
    pub automount_token: Option<Value<bool>>,
    /// Pod-level security context.
    pub security_context: PodSecurityContext,
}

impl PodSpec {
    /// The effective `runAsNonRoot` of `c`: its own, else the pod's.
    pub fn run_as_non_root<'a>(&'a self, c: &'a Container) -> Option<&'a Value<bool>> {
        c.run_as_non_root
            .as_ref()
            .or(self.security_context.run_as_non_root.as_ref())
    }

    /// The effective `runAsUser` of `c`: its own, else the pod's.
    pub fn run_as_user<'a>(&'a self, c: &'a Container) -> Option<&'a Value<i64>> {
        c.run_as_user
            .as_ref()
            .or(self.security_context.run_as_user.as_ref())
    }

    /// The effective `seccompProfile.type` of `c`: its own, else the pod's.
    pub fn seccomp_profile<'a>(&'a self, c: &'a Container) -> Option<&'a Value<String>> {
        c.seccomp_profile
            .as_ref()
            .or(self.security_context.seccomp_profile.as_ref())
    }

    /// The legacy seccomp annotation for `c` (`container.seccomp.security.alpha.kubernetes.io/<name>`,
    /// else `seccomp.security.alpha.kubernetes.io/pod`), as written.
    pub fn seccomp_annotation(&self, c: &Container) -> Option<&str> {
        self.annotations
            .get(&format!(
                "container.seccomp.security.alpha.kubernetes.io/{}",
                c.name
            ))
            .or_else(|| {
                self.annotations
                    .get("seccomp.security.alpha.kubernetes.io/pod")
            })
            .map(String::as_str)
    }
}

/// Which list of the pod spec a container comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerKind {
    /// `containers`.
    Regular,
    /// `initContainers`.
    Init,
    /// `ephemeralContainers`.
    Ephemeral,
}

/// A container with the fields rules check.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Container {
    /// Which list it belongs to.
    pub kind: ContainerKind,
    /// `name` (the index, `#0`, when unnamed).
    pub name: Arc<str>,
    /// Attribute path (`spec.template.spec.containers[api]`).
    pub path: Arc<str>,
    /// Where the container is written.
    pub origin: Origin,
    /// `image`, when written.
    pub image: Option<Value<String>>,
    /// `securityContext.privileged`; `Defaulted(false)`.
    pub privileged: Value<bool>,
    /// `securityContext.allowPrivilegeEscalation`; `Defaulted(true)` (the Kubernetes
    /// default for a process without `no_new_privs`).
    pub allow_privilege_escalation: Value<bool>,
    /// `securityContext.runAsNonRoot`, when written (the pod's applies otherwise).
    pub run_as_non_root: Option<Value<bool>>,
    /// `securityContext.runAsUser`, when written (the pod's applies otherwise).
    pub run_as_user: Option<Value<i64>>,
    /// `securityContext.readOnlyRootFilesystem`; `Defaulted(false)`.
    pub read_only_root_filesystem: Value<bool>,
    /// `securityContext.capabilities.add`, one value per capability as written.
    pub capabilities_add: Vec<Value<String>>,
    /// `securityContext.capabilities.drop`; `Defaulted(empty)` when not written.
    pub capabilities_drop: Value<Vec<String>>,
    /// `securityContext.seccompProfile.type`, when written (the pod's applies otherwise).
    pub seccomp_profile: Option<Value<String>>,
    /// `resources.limits.cpu`, when written.
    pub limits_cpu: Option<Value<String>>,
    /// `resources.limits.memory`, when written.
    pub limits_memory: Option<Value<String>>,
    /// Whether `livenessProbe` is written; `Defaulted(false)`.
    pub liveness_probe: Value<bool>,
    /// Whether `readinessProbe` is written; `Defaulted(false)`.
    pub readiness_probe: Value<bool>,
    /// `env`.
    pub env: Vec<EnvVar>,
    /// `ports`.
    pub ports: Vec<ContainerPort>,
}

/// One `env` entry.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EnvVar {
    /// `name`.
    pub name: String,
    /// Whether the `value`, when written, is a literal (`true`) rather than empty or only
    /// references to other variables (`$(DB_PASS)`, which Kubernetes expands:
    /// [`crate::secrets::only_references`]). The value itself may be a password: it is
    /// judged when read and never kept in the model.
    pub literal: Option<Value<bool>>,
    /// Where the entry is written.
    pub origin: Origin,
}

impl EnvVar {
    /// Whether the variable's name says it holds a secret (`DB_PASSWORD`, `apiKey`,
    /// `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`), judged on its last word so that
    /// `PASSWORD_FILE`, `TOKEN_TTL` or `SECRET_NAME` are not.
    pub fn name_looks_secret(&self) -> bool {
        crate::secrets::name_looks_secret(&self.name)
    }
}

/// One `ports` entry.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContainerPort {
    /// `containerPort`, when written.
    pub container_port: Option<Value<i64>>,
    /// `hostPort`, when written (0 means none).
    pub host_port: Option<Value<i64>>,
}

/// One `volumes` entry.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Volume {
    /// `name`.
    pub name: String,
    /// Attribute path (`spec.template.spec.volumes[data]`).
    pub path: Arc<str>,
    /// Where the volume is written.
    pub origin: Origin,
    /// `hostPath.path`, for hostPath volumes (the `hostPath` block's position).
    pub host_path: Option<Value<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str) -> EnvVar {
        EnvVar {
            name: name.into(),
            literal: None,
            origin: Origin::File {
                path: "a.yaml".into(),
                line: 1,
                col: 1,
                end_line: 1,
            },
        }
    }

    #[test]
    fn secret_names_by_last_word() {
        assert!(var("DB_PASSWORD").name_looks_secret());
        assert!(!var("PASSWORD_FILE").name_looks_secret());
    }
}
