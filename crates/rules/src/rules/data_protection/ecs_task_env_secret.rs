//! AWS-ECS-002: ECS task definitions do not put secrets in plain environment variables.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks the plain `environment` of every container in the `container_definitions`
    /// of `aws_ecs_task_definition` (written with `jsonencode`, a JSON heredoc or
    /// `file()`) for variables whose name says they hold a secret — judged on the last
    /// word of the name as Kubernetes environment variables are (K8S-SEC-001):
    /// `DB_PASSWORD`, `API_KEY`, `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, but not
    /// `PASSWORD_FILE` or `SECRET_ARN` — with a value: a literal, or a variable or
    /// generated password (unknown before apply, and stored in the task definition all
    /// the same). Empty values and ARNs are not secrets. Only names are reported, never
    /// values.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects credentials to be protected and C1.1 confidential information. A
    /// plain environment value is stored in clear in the task definition, readable by
    /// anyone with `ecs:DescribeTaskDefinition`, kept in every revision and, when
    /// literal, in the repository. The `secrets` list with `valueFrom` (Secrets Manager
    /// or Parameter Store) injects it at start without storing it.
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## Not evaluated
    /// When the container definitions, or a container's `environment`, come from a
    /// variable or a resource that cannot be read before apply. On live scans: in an
    /// account and region whose active task definitions could not be listed
    /// (`ecs:ListTaskDefinitions` denied or failed), and for a task definition whose
    /// `DescribeTaskDefinition` failed.
    ///
    /// ## How to fix
    /// ```hcl
    /// container_definitions = jsonencode([{
    ///   name  = "api"
    ///   image = "example/api:1.4.2"
    ///   secrets = [{
    ///     name      = "DB_PASSWORD"
    ///     valueFrom = aws_secretsmanager_secret.db.arn
    ///   }]
    /// }])
    /// ```
    pub struct EcsTaskEnvSecret {
        id: "AWS-ECS-002",
        slug: "ecs-task-env-secret",
        title: "ECS task definitions keep secrets out of plain environment variables",
        severity: High,
        family: DataProtection,
    }
}

impl Rule for EcsTaskEnvSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.ecs_task_definitions {
            out.require(
                &t.meta,
                &t.environment,
                |env| !env.iter().any(|v| v.valued && v.name_looks_secret()),
                |env| {
                    let names: Vec<String> = env
                        .iter()
                        .filter(|v| v.valued && v.name_looks_secret())
                        .map(|v| {
                            if v.container.is_empty() {
                                v.name.clone()
                            } else {
                                format!("{}/{}", v.container, v.name)
                            }
                        })
                        .collect();
                    format!(
                        "plain environment variables hold secrets ({}): use `secrets` with `valueFrom` instead",
                        names.join(", ")
                    )
                },
            );
        }
    }
}
