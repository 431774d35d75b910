//! Amazon ECS: services and task definitions.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// An ECS service (`aws_ecs_service`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsService {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `network_configuration.assign_public_ip`: whether awsvpc tasks get a public IP;
    /// `Defaulted(false)` (provider and API default, also without a network
    /// configuration).
    pub assign_public_ip: Value<bool>,
}

/// One variable of a container's plain `environment` in a task definition. Its value is
/// never kept: only whether it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsEnvVar {
    /// The container's `name` (empty when not written).
    pub container: String,
    /// The variable's `name`.
    pub name: String,
    /// Whether the variable has a value that could be a secret: a non-empty literal, or
    /// a value unknown before apply (a variable, a generated password); `false` for an
    /// empty value and for an ARN (a reference to a secret, not the secret).
    pub valued: bool,
}

impl EcsEnvVar {
    /// Whether the variable's name says it holds a secret (`DB_PASSWORD`, `API_KEY`),
    /// judged as Kubernetes environment variables are
    /// ([`crate::secrets::name_looks_secret`]).
    pub fn name_looks_secret(&self) -> bool {
        crate::secrets::name_looks_secret(&self.name)
    }
}

/// An ECS task definition (`aws_ecs_task_definition`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EcsTaskDefinition {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The plain `environment` variables of every container of `container_definitions`
    /// (not `secrets`, which reference Secrets Manager or Parameter Store); unknown when
    /// the definitions or an `environment` list cannot be read.
    pub environment: Value<Vec<EcsEnvVar>>,
}
