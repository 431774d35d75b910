//! ECS in one region: services (whether their awsvpc tasks get a public IP) and the
//! active task definitions (the names of their containers' plain environment variables;
//! values are never kept, only whether one is set).

use aws_config::SdkConfig;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::types::{AssignPublicIp, ContainerDefinition, Service, TaskDefinitionStatus};
use aws_sdk_ecs::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::ecs::{EcsEnvVar, EcsService, EcsTaskDefinition};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "ecs";

/// Services one `DescribeServices` call takes at most.
const DESCRIBE_BATCH: usize = 10;

/// Reads every service and active task definition of `scope.region`: `ListClusters`,
/// `ListServices` of each cluster (to the end), `DescribeServices` by ten;
/// `ListTaskDefinitions` (status `ACTIVE`, to the end) and `DescribeTaskDefinition` of
/// each. A failed listing leaves its collection not read in the region; a failed
/// description leaves the resources it would have described unknown.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let mut m = AwsModel::default();
    let (services, definitions) =
        tokio::join!(services(sh, &c, scope), task_definitions(sh, &c, scope));
    match services {
        Ok(s) => m.ecs_services = s,
        Err(e) => {
            sh.warn(format!("ECS services not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.ecs_services"], &e);
        }
    }
    match definitions {
        Ok(t) => m.ecs_task_definitions = t,
        Err(e) => {
            sh.warn(format!("ECS task definitions not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.ecs_task_definitions"], &e);
        }
    }
    sh.progress
        .unit_done(m.ecs_services.len() + m.ecs_task_definitions.len());
    m
}

/// The services of every cluster; `Err` when a cluster or its services cannot be listed
/// (a partial list would hide services).
async fn services(sh: &Shared, c: &Client, scope: &Scope) -> Result<Vec<EcsService>, ApiError> {
    let r = scope.region.as_ref();
    let clusters: Vec<String> = sh
        .pages(SVC, r, "ListClusters", || {
            c.list_clusters().into_paginator().send()
        })
        .await?
        .iter()
        .flat_map(|p| p.cluster_arns())
        .cloned()
        .collect();
    let listed = join_all(clusters.iter().map(|cluster| async move {
        sh.pages(SVC, r, "ListServices", || {
            c.list_services().cluster(cluster).into_paginator().send()
        })
        .await
        .map(|pages| {
            let arns: Vec<String> = pages
                .iter()
                .flat_map(|p| p.service_arns())
                .cloned()
                .collect();
            (cluster.as_str(), arns)
        })
    }))
    .await;
    let mut batches = Vec::new();
    for l in listed {
        let (cluster, arns) = l?;
        for b in arns.chunks(DESCRIBE_BATCH) {
            batches.push((cluster, b.to_vec()));
        }
    }
    let described = join_all(batches.iter().map(|(cluster, arns)| async move {
        let d = sh
            .call(SVC, r, "DescribeServices", || {
                c.describe_services()
                    .cluster(*cluster)
                    .set_services(Some(arns.clone()))
                    .send()
            })
            .await;
        described_services(scope, arns, &d)
    }))
    .await;
    Ok(described.into_iter().flatten().collect())
}

/// The model of the services `arns`, from their `DescribeServices` answer `d`.
fn described_services(
    scope: &Scope,
    arns: &[String],
    d: &Result<DescribeServicesOutput, ApiError>,
) -> Vec<EcsService> {
    let path = "network_configuration.assign_public_ip";
    arns.iter()
        .map(|arn| {
            let meta = scope.meta(arn, "aws_ecs_service");
            let o = meta.origin.clone();
            let assign_public_ip = match d {
                Err(e) => e.unknown(o, path),
                Ok(out) => match out
                    .services()
                    .iter()
                    .find(|s| s.service_arn() == Some(arn.as_str()))
                {
                    Some(s) => public_ip(s, &o),
                    None => {
                        let why = match out
                            .failures()
                            .iter()
                            .find(|f| f.arn() == Some(arn.as_str()))
                            .and_then(|f| f.reason())
                        {
                            Some(reason) => format!("DescribeServices failed for it: {reason}"),
                            None => "DescribeServices returned no service".to_string(),
                        };
                        Value::unknown(why, o, path)
                    }
                },
            };
            EcsService {
                meta,
                assign_public_ip,
            }
        })
        .collect()
}

/// `networkConfiguration.awsvpcConfiguration.assignPublicIp` of a described service;
/// `Defaulted(false)` without one (the API default, and no public IP outside awsvpc).
fn public_ip(s: &Service, o: &Origin) -> Value<bool> {
    let path = "network_configuration.assign_public_ip";
    match s
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .and_then(|a| a.assign_public_ip())
    {
        Some(a) => Value::set(*a == AssignPublicIp::Enabled, o.clone(), path),
        None => Value::defaulted(false, o.clone(), path),
    }
}

/// The active task definitions (every revision that can still be run); `Err` when they
/// cannot be listed.
async fn task_definitions(
    sh: &Shared,
    c: &Client,
    scope: &Scope,
) -> Result<Vec<EcsTaskDefinition>, ApiError> {
    let r = scope.region.as_ref();
    let arns: Vec<String> = sh
        .pages(SVC, r, "ListTaskDefinitions", || {
            c.list_task_definitions()
                .status(TaskDefinitionStatus::Active)
                .into_paginator()
                .send()
        })
        .await?
        .iter()
        .flat_map(|p| p.task_definition_arns())
        .cloned()
        .collect();
    Ok(join_all(arns.iter().map(|arn| async move {
        let d = sh
            .call(SVC, r, "DescribeTaskDefinition", || {
                c.describe_task_definition().task_definition(arn).send()
            })
            .await;
        let meta = scope.meta(arn, "aws_ecs_task_definition");
        let o = meta.origin.clone();
        let path = "container_definitions";
        let environment = match &d {
            Err(e) => e.unknown(o, path),
            Ok(out) => match out.task_definition() {
                Some(t) => Value::set(environment(t.container_definitions()), o, path),
                None => Value::unknown(
                    "DescribeTaskDefinition returned no task definition",
                    o,
                    path,
                ),
            },
        };
        EcsTaskDefinition { meta, environment }
    }))
    .await)
}

/// The plain environment variables of `containers`: names only, and whether each has a
/// value that could be a secret (non-empty and not an ARN). Values are not kept.
fn environment(containers: &[ContainerDefinition]) -> Vec<EcsEnvVar> {
    containers
        .iter()
        .flat_map(|c| {
            let container = c.name().unwrap_or_default();
            c.environment().iter().filter_map(move |kv| {
                Some(EcsEnvVar {
                    container: container.to_string(),
                    name: kv.name()?.to_string(),
                    valued: kv.value().is_some_and(|v| {
                        !v.trim().is_empty() && !v.trim_start().starts_with("arn:")
                    }),
                })
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecs::types::{AwsVpcConfiguration, Failure, KeyValuePair, NetworkConfiguration};

    fn scope() -> Scope {
        Scope {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }
    }

    /// Names and whether valued; an empty value or an ARN is not a secret; the values
    /// themselves appear nowhere in the model.
    #[test]
    fn environment_keeps_names_not_values() {
        let kv = |n: &str, v: Option<&str>| {
            KeyValuePair::builder()
                .name(n)
                .set_value(v.map(str::to_string))
                .build()
        };
        let c = ContainerDefinition::builder()
            .name("app")
            .environment(kv("DB_PASSWORD", Some("hunter2")))
            .environment(kv("EMPTY", Some(" ")))
            .environment(kv("TOKEN_ARN", Some("arn:aws:secretsmanager:x")))
            .environment(kv("UNSET", None))
            .build();
        let env = environment(&[c, ContainerDefinition::builder().build()]);
        let got: Vec<(&str, &str, bool)> = env
            .iter()
            .map(|v| (v.container.as_str(), v.name.as_str(), v.valued))
            .collect();
        assert_eq!(
            got,
            vec![
                ("app", "DB_PASSWORD", true),
                ("app", "EMPTY", false),
                ("app", "TOKEN_ARN", false),
                ("app", "UNSET", false),
            ]
        );
        assert!(!format!("{env:?}").contains("hunter2"));
    }

    /// A described service, one without a network configuration, and one the answer
    /// reports as a failure.
    #[test]
    fn services_from_the_answer() {
        let arn = |n: &str| format!("arn:aws:ecs:eu-west-1:123456789012:service/prod/{n}");
        let open = Service::builder()
            .service_arn(arn("open"))
            .network_configuration(
                NetworkConfiguration::builder()
                    .awsvpc_configuration(
                        AwsVpcConfiguration::builder()
                            .subnets("subnet-1")
                            .assign_public_ip(AssignPublicIp::Enabled)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .build();
        let bridge = Service::builder().service_arn(arn("bridge")).build();
        let out = DescribeServicesOutput::builder()
            .services(open)
            .services(bridge)
            .failures(
                Failure::builder()
                    .arn(arn("gone"))
                    .reason("MISSING")
                    .build(),
            )
            .build();
        let arns = vec![arn("open"), arn("bridge"), arn("gone")];
        let got = described_services(&scope(), &arns, &Ok(out));
        assert_eq!(got[0].assign_public_ip.known(), Some(&true));
        assert!(got[0].assign_public_ip.is_set());
        assert_eq!(got[1].assign_public_ip.known(), Some(&false));
        assert!(!got[1].assign_public_ip.is_set());
        assert_eq!(
            got[2].assign_public_ip.unknown_reason(),
            Some("DescribeServices failed for it: MISSING")
        );
    }
}
