//! RDS in one region: DB instances and DB clusters, and the custom parameter groups
//! they use with the parameters those groups set. DocumentDB and Neptune clusters and
//! instances, which the RDS API lists too, are left to `docdb.rs`.

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_rds::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use super::docdb::is_docdb_or_neptune;
use crate::model::aws::rds::{
    DbCluster, DbInstance, DbParameter, DbParameterGroup, ParameterGroupKind, ParameterGroupRef,
    DEFAULT_BACKUP_RETENTION_DAYS, DEFAULT_ENGINE_MODE,
};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "rds";

fn b(v: Option<bool>, o: &Origin, p: &str) -> Value<bool> {
    match v {
        Some(x) => Value::set(x, o.clone(), p),
        None => Value::defaulted(false, o.clone(), p),
    }
}

fn days(v: Option<i32>, o: &Origin) -> Value<i64> {
    match v {
        Some(x) => Value::set(i64::from(x), o.clone(), "backup_retention_period"),
        None => Value::defaulted(
            DEFAULT_BACKUP_RETENTION_DAYS,
            o.clone(),
            "backup_retention_period",
        ),
    }
}

/// A listed parameter group: ARN and family.
#[derive(Debug, Clone)]
struct Listed {
    arn: String,
    family: Option<String>,
}

/// The parameter groups of one kind in the region, by name, or why they are unknown.
type Listing = Result<BTreeMap<String, Listed>, ApiError>;

/// The custom parameter groups the databases use: kind and name → ARN and family.
type Used = BTreeMap<(Kind, String), Listed>;

/// [`ParameterGroupKind`] with an order, to key [`Used`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Instance,
    Cluster,
}

/// The reference from a DB instance or cluster to the group `name`: the engine default
/// for `default.*` groups, otherwise the listed group's ARN (recorded in `used`).
fn group(
    name: Option<&str>,
    kind: Kind,
    listing: &Listing,
    used: &mut Used,
    o: &Origin,
    region: &str,
) -> Value<ParameterGroupRef> {
    const PATH: &str = "parameter_group_name";
    let n = match name {
        None | Some("") => return Value::defaulted(ParameterGroupRef::Default, o.clone(), PATH),
        Some(n) if n.starts_with("default.") => {
            return Value::set(ParameterGroupRef::Default, o.clone(), PATH)
        }
        Some(n) => n,
    };
    match listing {
        Ok(groups) => match groups.get(n) {
            Some(g) => {
                used.insert((kind, n.to_string()), g.clone());
                Value::set(ParameterGroupRef::Group(g.arn.clone()), o.clone(), PATH)
            }
            None => {
                let op = match kind {
                    Kind::Instance => "DescribeDBParameterGroups",
                    Kind::Cluster => "DescribeDBClusterParameterGroups",
                };
                Value::unknown(
                    format!("parameter group {n} was not listed by rds:{op} in {region}"),
                    o.clone(),
                    PATH,
                )
            }
        },
        Err(e) => e.unknown(o.clone(), PATH),
    }
}

/// The groups of one listing, by name.
fn listed<'a>(
    scope: &Scope,
    prefix: &str,
    groups: impl Iterator<Item = (Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
) -> BTreeMap<String, Listed> {
    groups
        .filter_map(|(name, arn, family)| {
            let name = name?;
            let arn = arn
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("{prefix}:{name}")));
            Some((
                name.to_string(),
                Listed {
                    arn,
                    family: family.map(str::to_string),
                },
            ))
        })
        .collect()
}

/// Reads the parameters the used groups set (`Source = user`: the parameters a group
/// does not set keep the family's engine default, which the rules judge by engine and
/// version, as for a Terraform group without that `parameter` block).
async fn parameter_groups(
    sh: &Shared,
    c: &Client,
    scope: &Scope,
    used: Used,
) -> Vec<DbParameterGroup> {
    let r = scope.region.as_ref();
    let read = join_all(used.keys().map(|(kind, name)| async move {
        let params: Result<Vec<(String, String)>, ApiError> = match kind {
            Kind::Instance => sh
                .pages(SVC, r, "DescribeDBParameters", || {
                    c.describe_db_parameters()
                        .db_parameter_group_name(name)
                        .source("user")
                        .into_paginator()
                        .send()
                })
                .await
                .map(|pages| {
                    pages
                        .iter()
                        .flat_map(|p| p.parameters())
                        .filter_map(|p| {
                            Some((
                                p.parameter_name()?.to_string(),
                                p.parameter_value()?.to_string(),
                            ))
                        })
                        .collect()
                }),
            Kind::Cluster => sh
                .pages(SVC, r, "DescribeDBClusterParameters", || {
                    c.describe_db_cluster_parameters()
                        .db_cluster_parameter_group_name(name)
                        .source("user")
                        .into_paginator()
                        .send()
                })
                .await
                .map(|pages| {
                    pages
                        .iter()
                        .flat_map(|p| p.parameters())
                        .filter_map(|p| {
                            Some((
                                p.parameter_name()?.to_string(),
                                p.parameter_value()?.to_string(),
                            ))
                        })
                        .collect()
                }),
        };
        params
    }))
    .await;
    used.into_iter()
        .zip(read)
        .map(|(((kind, _), g), params)| {
            let (rtype, kind) = match kind {
                Kind::Instance => ("aws_db_parameter_group", ParameterGroupKind::Instance),
                Kind::Cluster => (
                    "aws_rds_cluster_parameter_group",
                    ParameterGroupKind::Cluster,
                ),
            };
            let meta = scope.meta(&g.arn, rtype);
            let o = meta.origin.clone();
            let family = match g.family {
                Some(f) => Value::set(f, o.clone(), "family"),
                None => Value::unknown(
                    "RDS did not report the parameter group's family",
                    o.clone(),
                    "family",
                ),
            };
            let (parameters, parameters_unknown) = match params {
                Ok(ps) => {
                    let mut ps: Vec<DbParameter> = ps
                        .into_iter()
                        .map(|(name, value)| {
                            let path = format!("parameter.{name}");
                            DbParameter {
                                name: name.to_ascii_lowercase(),
                                value: Value::set(value, o.clone(), path),
                            }
                        })
                        .collect();
                    ps.sort_by(|a, b| a.name.cmp(&b.name));
                    (ps, None)
                }
                Err(e) => {
                    sh.warn(format!(
                        "parameters of RDS parameter group {} not evaluated: {}",
                        g.arn, e.reason
                    ));
                    (Vec::new(), Some(e.reason))
                }
            };
            DbParameterGroup {
                meta,
                kind,
                family,
                parameters,
                parameters_unknown,
            }
        })
        .collect()
}

/// Reads the DB instances and clusters of `scope.region`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let (instances, clusters, groups, cluster_groups) = tokio::join!(
        sh.pages(SVC, r, "DescribeDBInstances", || c
            .describe_db_instances()
            .into_paginator()
            .send()),
        sh.pages(SVC, r, "DescribeDBClusters", || c
            .describe_db_clusters()
            .into_paginator()
            .send()),
        sh.pages(SVC, r, "DescribeDBParameterGroups", || c
            .describe_db_parameter_groups()
            .into_paginator()
            .send()),
        sh.pages(SVC, r, "DescribeDBClusterParameterGroups", || c
            .describe_db_cluster_parameter_groups()
            .into_paginator()
            .send()),
    );
    let groups: Listing = groups.map(|pages| {
        listed(
            scope,
            "pg",
            pages.iter().flat_map(|p| p.db_parameter_groups()).map(|g| {
                (
                    g.db_parameter_group_name(),
                    g.db_parameter_group_arn(),
                    g.db_parameter_group_family(),
                )
            }),
        )
    });
    let cluster_groups: Listing = cluster_groups.map(|pages| {
        listed(
            scope,
            "cluster-pg",
            pages
                .iter()
                .flat_map(|p| p.db_cluster_parameter_groups())
                .map(|g| {
                    (
                        g.db_cluster_parameter_group_name(),
                        g.db_cluster_parameter_group_arn(),
                        g.db_parameter_group_family(),
                    )
                }),
        )
    });
    for (what, l) in [("DB", &groups), ("DB cluster", &cluster_groups)] {
        if let Err(e) = l {
            sh.warn(format!(
                "RDS {what} parameter groups not evaluated: {}",
                e.reason
            ));
        }
    }
    let mut used = Used::new();
    let mut m = AwsModel::default();
    match instances {
        Ok(pages) => {
            // DocumentDB and Neptune instances answer the RDS API too; their clusters
            // are read as such (`docdb.rs`), as in Terraform.
            for i in pages
                .iter()
                .flat_map(|p| p.db_instances())
                .filter(|i| !is_docdb_or_neptune(i.engine()))
            {
                let Some(id) = i.db_instance_identifier() else {
                    continue;
                };
                let arn = i
                    .db_instance_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| scope.arn(SVC, &format!("db:{id}")));
                let meta = scope.meta(&arn, "aws_db_instance");
                let o = meta.origin.clone();
                m.db_instances.push(DbInstance {
                    engine: Value::set(
                        i.engine().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine",
                    ),
                    cluster: i.db_cluster_identifier().map(|cl| {
                        Value::set(
                            scope.arn(SVC, &format!("cluster:{cl}")),
                            o.clone(),
                            "cluster_identifier",
                        )
                    }),
                    is_replica: i.read_replica_source_db_instance_identifier().is_some(),
                    storage_encrypted: b(i.storage_encrypted(), &o, "storage_encrypted"),
                    publicly_accessible: b(i.publicly_accessible(), &o, "publicly_accessible"),
                    backup_retention_days: days(i.backup_retention_period(), &o),
                    multi_az: b(i.multi_az(), &o, "multi_az"),
                    deletion_protection: b(i.deletion_protection(), &o, "deletion_protection"),
                    log_exports: Value::set(
                        i.enabled_cloudwatch_logs_exports().to_vec(),
                        o.clone(),
                        "enabled_cloudwatch_logs_exports",
                    ),
                    engine_version: Value::set(
                        i.engine_version().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine_version",
                    ),
                    parameter_group: group(
                        i.db_parameter_groups()
                            .first()
                            .and_then(|g| g.db_parameter_group_name()),
                        Kind::Instance,
                        &groups,
                        &mut used,
                        &o,
                        r,
                    ),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("RDS DB instances not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.db_instances"], &e);
        }
    }
    match clusters {
        Ok(pages) => {
            for cl in pages
                .iter()
                .flat_map(|p| p.db_clusters())
                .filter(|cl| !is_docdb_or_neptune(cl.engine()))
            {
                let Some(id) = cl.db_cluster_identifier() else {
                    continue;
                };
                let arn = cl
                    .db_cluster_arn()
                    .map(str::to_string)
                    .unwrap_or_else(|| scope.arn(SVC, &format!("cluster:{id}")));
                let meta = scope.meta(&arn, "aws_rds_cluster");
                let o = meta.origin.clone();
                m.db_clusters.push(DbCluster {
                    engine: Value::set(
                        cl.engine().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine",
                    ),
                    engine_mode: match cl.engine_mode() {
                        Some(x) => Value::set(x.to_string(), o.clone(), "engine_mode"),
                        None => Value::defaulted(
                            DEFAULT_ENGINE_MODE.to_string(),
                            o.clone(),
                            "engine_mode",
                        ),
                    },
                    is_replica: cl.replication_source_identifier().is_some(),
                    storage_encrypted: b(cl.storage_encrypted(), &o, "storage_encrypted"),
                    backup_retention_days: days(cl.backup_retention_period(), &o),
                    deletion_protection: b(cl.deletion_protection(), &o, "deletion_protection"),
                    log_exports: Value::set(
                        cl.enabled_cloudwatch_logs_exports().to_vec(),
                        o.clone(),
                        "enabled_cloudwatch_logs_exports",
                    ),
                    engine_version: Value::set(
                        cl.engine_version().unwrap_or_default().to_string(),
                        o.clone(),
                        "engine_version",
                    ),
                    parameter_group: group(
                        cl.db_cluster_parameter_group(),
                        Kind::Cluster,
                        &cluster_groups,
                        &mut used,
                        &o,
                        r,
                    ),
                    availability_zones: Value::set(
                        cl.availability_zones().to_vec(),
                        o.clone(),
                        "availability_zones",
                    ),
                    multi_az_db_cluster: cl.db_cluster_instance_class().is_some()
                        && !cl.engine().unwrap_or_default().starts_with("aurora"),
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!("RDS DB clusters not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.db_clusters"], &e);
        }
    }
    m.db_parameter_groups = parameter_groups(sh, &c, scope, used).await;
    sh.progress
        .unit_done(m.db_instances.len() + m.db_clusters.len());
    m
}
