//! Pod specs and containers: the part of a workload object the hardening rules read.

use std::sync::Arc;

use super::node::Node;
use super::read::{
    bool_field, child, dig, get, int_field, str_field, string_map, strings, text, Ctx,
};
use crate::model::k8s::{
    Container, ContainerKind, ContainerPort, EnvVar, PodSecurityContext, PodSpec, Volume,
};
use crate::model::Value;

/// Where the pod template of each workload kind lives: the path to the template
/// (`None` for a Pod, whose own metadata and spec are the pod's).
pub fn template_path(kind: &str) -> Option<Option<&'static [&'static str]>> {
    match kind {
        "Pod" => Some(None),
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicaSet"
        | "ReplicationController" => Some(Some(&["spec", "template"])),
        "CronJob" => Some(Some(&["spec", "jobTemplate", "spec", "template"])),
        _ => None,
    }
}

/// Reads the pod spec of a workload object.
pub fn pod_spec<'a, N: Node<'a>>(ctx: &Ctx<'_>, obj: N, kind: &str) -> PodSpec {
    let (meta, spec, path) = match template_path(kind).flatten() {
        None => (
            child(Some(obj), "metadata"),
            child(Some(obj), "spec"),
            "spec".to_string(),
        ),
        Some(keys) => {
            let template = dig(Some(obj), keys);
            (
                child(template, "metadata"),
                child(template, "spec"),
                format!("{}.spec", keys.join(".")),
            )
        }
    };
    let origin = spec.map_or_else(|| ctx.object.clone(), |s| ctx.at(s));
    let p = |f: &str| format!("{path}.{f}");
    let obj_at = ctx.object.clone();
    let flag = |key: &str| {
        bool_field(ctx, spec, key, &p(key))
            .unwrap_or_else(|| Value::defaulted(false, obj_at.clone(), p(key)))
    };
    let sc = child(spec, "securityContext");
    let security_context = PodSecurityContext {
        run_as_non_root: bool_field(ctx, sc, "runAsNonRoot", &p("securityContext.runAsNonRoot")),
        run_as_user: int_field(ctx, sc, "runAsUser", &p("securityContext.runAsUser")),
        seccomp_profile: str_field(
            ctx,
            child(sc, "seccompProfile"),
            "type",
            &p("securityContext.seccompProfile.type"),
        ),
    };
    let service_account_name = str_field(ctx, spec, "serviceAccountName", &p("serviceAccountName"))
        .or_else(|| str_field(ctx, spec, "serviceAccount", &p("serviceAccount")))
        .unwrap_or_else(|| {
            Value::defaulted("default".into(), obj_at.clone(), p("serviceAccountName"))
        });
    let mut containers = Vec::new();
    for (key, kind) in [
        ("containers", ContainerKind::Regular),
        ("initContainers", ContainerKind::Init),
        ("ephemeralContainers", ContainerKind::Ephemeral),
    ] {
        let items = child(spec, key).and_then(|l| l.items()).unwrap_or_default();
        for (i, c) in items.into_iter().enumerate() {
            if c.entries().is_none() {
                continue;
            }
            containers.push(container(ctx, c, kind, &format!("{path}.{key}"), i));
        }
    }
    let volumes = child(spec, "volumes")
        .and_then(|l| l.items())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter(|(_, v)| v.entries().is_some())
        .map(|(i, v)| {
            let name = text(Some(v), "name").unwrap_or_else(|| format!("#{i}"));
            let vpath = format!("{path}.volumes[{name}]");
            let host_path = get(Some(v), "hostPath").map(|e| {
                let hp = text(Some(e.value), "path").unwrap_or_default();
                Value::set(hp, ctx.entry(&e), format!("{vpath}.hostPath"))
            });
            Volume {
                name,
                path: vpath.into(),
                origin: ctx.at(v),
                host_path,
            }
        })
        .collect();
    PodSpec {
        origin,
        labels: string_map(child(meta, "labels")),
        annotations: string_map(child(meta, "annotations")),
        containers,
        host_pid: flag("hostPID"),
        host_ipc: flag("hostIPC"),
        host_network: flag("hostNetwork"),
        volumes,
        service_account_name,
        automount_token: bool_field(
            ctx,
            spec,
            "automountServiceAccountToken",
            &p("automountServiceAccountToken"),
        ),
        security_context,
        path: path.into(),
    }
}

/// Reads one container.
fn container<'a, N: Node<'a>>(
    ctx: &Ctx<'_>,
    c: N,
    kind: ContainerKind,
    list_path: &str,
    index: usize,
) -> Container {
    let name = text(Some(c), "name").unwrap_or_else(|| format!("#{index}"));
    let path = format!("{list_path}[{name}]");
    let origin = ctx.at(c);
    let p = |f: &str| format!("{path}.{f}");
    let sc = child(Some(c), "securityContext");
    let caps = child(sc, "capabilities");
    let limits = dig(Some(c), &["resources", "limits"]);
    let probe = |key: &str| match get(Some(c), key) {
        Some(e) => Value::set(true, ctx.entry(&e), p(key)),
        None => Value::defaulted(false, origin.clone(), p(key)),
    };
    let capabilities_add = child(caps, "add")
        .and_then(|l| l.items())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|cap| {
            let name = cap.text()?;
            Some(Value::set(
                name.clone(),
                ctx.at(cap),
                p(&format!("securityContext.capabilities.add[{name}]")),
            ))
        })
        .collect();
    let drop_path = p("securityContext.capabilities.drop");
    let capabilities_drop = match get(caps, "drop") {
        Some(e) => Value::set(strings(Some(e.value)), ctx.entry(&e), drop_path),
        None => Value::defaulted(Vec::new(), origin.clone(), drop_path),
    };
    let env = child(Some(c), "env")
        .and_then(|l| l.items())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| {
            let name = text(Some(e), "name")?;
            let literal = get(Some(e), "value").map(|v| {
                Value::set(
                    !crate::secrets::only_references(&v.value.text().unwrap_or_default()),
                    ctx.entry(&v),
                    format!("{path}.env[{name}].value"),
                )
            });
            Some(EnvVar {
                name,
                literal,
                origin: ctx.at(e),
            })
        })
        .collect();
    let ports = child(Some(c), "ports")
        .and_then(|l| l.items())
        .unwrap_or_default()
        .into_iter()
        .map(|port| {
            let id = text(Some(port), "name")
                .or_else(|| text(Some(port), "containerPort"))
                .unwrap_or_default();
            let pp = format!("{path}.ports[{id}]");
            ContainerPort {
                container_port: int_field(
                    ctx,
                    Some(port),
                    "containerPort",
                    &format!("{pp}.containerPort"),
                ),
                host_port: int_field(ctx, Some(port), "hostPort", &format!("{pp}.hostPort")),
            }
        })
        .collect();
    Container {
        kind,
        image: str_field(ctx, Some(c), "image", &p("image")),
        privileged: bool_field(ctx, sc, "privileged", &p("securityContext.privileged"))
            .unwrap_or_else(|| {
                Value::defaulted(false, origin.clone(), p("securityContext.privileged"))
            }),
        allow_privilege_escalation: bool_field(
            ctx,
            sc,
            "allowPrivilegeEscalation",
            &p("securityContext.allowPrivilegeEscalation"),
        )
        .unwrap_or_else(|| {
            Value::defaulted(
                true,
                origin.clone(),
                p("securityContext.allowPrivilegeEscalation"),
            )
        }),
        run_as_non_root: bool_field(ctx, sc, "runAsNonRoot", &p("securityContext.runAsNonRoot")),
        run_as_user: int_field(ctx, sc, "runAsUser", &p("securityContext.runAsUser")),
        read_only_root_filesystem: bool_field(
            ctx,
            sc,
            "readOnlyRootFilesystem",
            &p("securityContext.readOnlyRootFilesystem"),
        )
        .unwrap_or_else(|| {
            Value::defaulted(
                false,
                origin.clone(),
                p("securityContext.readOnlyRootFilesystem"),
            )
        }),
        capabilities_add,
        capabilities_drop,
        seccomp_profile: str_field(
            ctx,
            child(sc, "seccompProfile"),
            "type",
            &p("securityContext.seccompProfile.type"),
        ),
        limits_cpu: str_field(ctx, limits, "cpu", &p("resources.limits.cpu")),
        limits_memory: str_field(ctx, limits, "memory", &p("resources.limits.memory")),
        liveness_probe: probe("livenessProbe"),
        readiness_probe: probe("readinessProbe"),
        env,
        ports,
        name: name.into(),
        path: Arc::from(path.as_str()),
        origin,
    }
}
