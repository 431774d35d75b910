//! ECS: `aws_ecs_service` (public IPs of its tasks) and `aws_ecs_task_definition` (the
//! plain environment of its containers, names only).

use std::sync::Arc;

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::ecs::{EcsEnvVar, EcsService, EcsTaskDefinition};
use crate::model::aws::AwsModel;
use crate::model::Value;
use crate::terraform::ir::Dyn;

/// A JSON value as an evaluated value (`file("containers.json")`, a heredoc).
pub(crate) fn from_json(j: &serde_json::Value) -> Dyn {
    match j {
        serde_json::Value::Null => Dyn::Null,
        serde_json::Value::Bool(b) => Dyn::Bool(*b),
        serde_json::Value::Number(n) => Dyn::Number(n.as_f64().unwrap_or_default()),
        serde_json::Value::String(s) => Dyn::String(s.clone()),
        serde_json::Value::Array(a) => Dyn::List(a.iter().map(from_json).collect()),
        serde_json::Value::Object(o) => {
            Dyn::Map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// The container definitions as a value: a JSON string parsed, the known structure of a
/// partly unknown `jsonencode`, or the reason they cannot be read.
fn definitions(d: &Dyn) -> Result<Dyn, Arc<str>> {
    match d {
        Dyn::String(s) => serde_json::from_str::<serde_json::Value>(s)
            .map(|j| from_json(&j))
            .map_err(|e| format!("container_definitions is not valid JSON: {e}").into()),
        Dyn::Unknown(u) => match &u.json_of {
            Some(v) => Ok((**v).clone()),
            None => Err(u.reason.clone()),
        },
        Dyn::List(_) => Ok(d.clone()),
        Dyn::Null => Ok(Dyn::List(vec![])),
        _ => Err("container_definitions is not a JSON list".into()),
    }
}

/// Whether a variable's value could be a secret: a non-empty literal that is not an ARN,
/// or a value unknown before apply.
fn valued(v: Option<&Dyn>) -> bool {
    match v {
        None | Some(Dyn::Null) => false,
        Some(Dyn::String(s)) => !s.trim().is_empty() && !s.trim_start().starts_with("arn:"),
        Some(Dyn::Unknown(_)) => true,
        Some(Dyn::Number(_) | Dyn::Bool(_)) => true,
        Some(Dyn::List(_) | Dyn::Map(_)) => false,
    }
}

/// The plain environment variables of every container of `defs`.
fn environment(defs: &Dyn) -> Result<Vec<EcsEnvVar>, Arc<str>> {
    let containers = match defs {
        Dyn::List(c) => c,
        Dyn::Unknown(u) => return Err(u.reason.clone()),
        _ => return Err("container_definitions is not a list of containers".into()),
    };
    let mut out = Vec::new();
    for c in containers {
        let Dyn::Map(c) = c else {
            if let Dyn::Unknown(u) = c {
                return Err(u.reason.clone());
            }
            continue;
        };
        let container = match c.get("name") {
            Some(Dyn::String(n)) => n.clone(),
            _ => String::new(),
        };
        let vars = match c.get("environment") {
            None | Some(Dyn::Null) => continue,
            Some(Dyn::List(v)) => v,
            Some(Dyn::Unknown(u)) => {
                return Err(format!(
                    "the environment of container {container:?} is unknown: {}",
                    u.reason
                )
                .into())
            }
            Some(_) => continue,
        };
        for v in vars {
            match v {
                Dyn::Map(m) => match m.get("name") {
                    Some(Dyn::String(name)) => out.push(EcsEnvVar {
                        container: container.clone(),
                        name: name.clone(),
                        valued: valued(m.get("value")),
                    }),
                    Some(Dyn::Unknown(u)) => {
                        return Err(format!(
                            "the name of an environment variable of container {container:?} is unknown: {}",
                            u.reason
                        )
                        .into())
                    }
                    _ => {}
                },
                Dyn::Unknown(u) => {
                    return Err(format!(
                        "an environment variable of container {container:?} is unknown: {}",
                        u.reason
                    )
                    .into())
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Adds ECS services and task definitions to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_ecs_service"]) {
        let rd = Reader::new(r);
        let path = "network_configuration.assign_public_ip";
        let assign_public_ip = match rd.first("network_configuration") {
            Some(n) => n.bool("assign_public_ip", false),
            None => match rd.block.unknown_blocks_of("network_configuration") {
                Some(u) => Value::unknown(u.reason.clone(), rd.origin_at(u.pos), path),
                None => Value::defaulted(false, rd.owner_origin(), path),
            },
        };
        aws.ecs_services.push(EcsService {
            meta: ctx.meta(r),
            assign_public_ip,
        });
    }
    for r in ctx.managed(&["aws_ecs_task_definition"]) {
        let rd = Reader::new(r);
        let path = "container_definitions";
        let environment = match rd.attr(path) {
            None => Value::defaulted(vec![], rd.owner_origin(), path),
            Some(a) => {
                let at = rd.origin_at(a.pos);
                match definitions(&a.value).and_then(|d| environment(&d)) {
                    Ok(env) => Value::set(env, at, path),
                    Err(reason) => Value::unknown(reason, at, path),
                }
            }
        };
        aws.ecs_task_definitions.push(EcsTaskDefinition {
            meta: ctx.meta(r),
            environment,
        });
    }
}
