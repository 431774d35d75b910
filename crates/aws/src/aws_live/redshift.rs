//! Amazon Redshift in one region: every provisioned cluster (encryption, snapshot
//! retention, public accessibility, audit logging) and the custom parameter groups the
//! clusters use with the parameters those groups set.

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use aws_sdk_redshift::types::Cluster;
use aws_sdk_redshift::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::rds::{DbParameter, ParameterGroupRef};
use crate::model::aws::redshift::{RedshiftCluster, RedshiftParameterGroup};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "redshift";
const GROUP: &str = "cluster_parameter_group_name";
const LOGGING: &str = "logging.enable";

/// Reads every cluster of `scope.region` (`DescribeClusters` to the end),
/// `DescribeLoggingStatus` of each, and `DescribeClusterParameters` (source `user`, to
/// the end) of every custom parameter group a cluster uses.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "Redshift clusters",
        &["aws.redshift_clusters", "aws.redshift_parameter_groups"],
        sh.pages(SVC, r, "DescribeClusters", || {
            c.describe_clusters().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let list: Vec<&Cluster> = pages.iter().flat_map(|p| p.clusters()).collect();
    let mut used = BTreeSet::new();
    let clusters = join_all(list.iter().map(|cl| {
        let c = &c;
        async move {
            let id = cl.cluster_identifier().unwrap_or_default();
            let logging = sh
                .call(SVC, r, "DescribeLoggingStatus", || {
                    c.describe_logging_status().cluster_identifier(id).send()
                })
                .await;
            let meta = scope.meta(
                &scope.arn(SVC, &format!("cluster:{id}")),
                "aws_redshift_cluster",
            );
            let o = meta.origin.clone();
            RedshiftCluster {
                encrypted: flag(cl.encrypted(), &o, "encrypted"),
                kms_key: match cl.kms_key_id().filter(|k| !k.is_empty()) {
                    Some(k) => Value::set(Some(k.to_string()), o.clone(), "kms_key_id"),
                    None => Value::defaulted(None, o.clone(), "kms_key_id"),
                },
                snapshot_retention_days: match cl.automated_snapshot_retention_period() {
                    Some(d) => Value::set(
                        i64::from(d),
                        o.clone(),
                        "automated_snapshot_retention_period",
                    ),
                    None => Value::defaulted(1, o.clone(), "automated_snapshot_retention_period"),
                },
                publicly_accessible: flag(cl.publicly_accessible(), &o, "publicly_accessible"),
                parameter_group: Value::defaulted(ParameterGroupRef::Default, o.clone(), GROUP),
                audit_logging: match logging {
                    Ok(l) => flag(l.logging_enabled(), &o, LOGGING),
                    Err(e) => e.unknown(o, LOGGING),
                },
                meta,
            }
        }
    }))
    .await;
    m.redshift_clusters = clusters
        .into_iter()
        .zip(&list)
        .map(|(mut rc, cl)| {
            let o = rc.meta.origin.clone();
            rc.parameter_group = group(scope, cl, &o, &mut used);
            rc
        })
        .collect();
    m.redshift_parameter_groups = parameter_groups(sh, &c, scope, used).await;
    sh.progress
        .unit_done(m.redshift_clusters.len() + m.redshift_parameter_groups.len());
    m
}

fn flag(v: Option<bool>, o: &Origin, path: &str) -> Value<bool> {
    match v {
        Some(x) => Value::set(x, o.clone(), path),
        None => Value::defaulted(false, o.clone(), path),
    }
}

/// The ARN of parameter group `name`.
fn group_arn(scope: &Scope, name: &str) -> String {
    scope.arn(SVC, &format!("parametergroup:{name}"))
}

/// The cluster's parameter group: the default for `default.*` groups (and when the
/// cluster reports none), otherwise the custom group by ARN (recorded in `used`).
fn group(
    scope: &Scope,
    cl: &Cluster,
    o: &Origin,
    used: &mut BTreeSet<String>,
) -> Value<ParameterGroupRef> {
    let names: Vec<&str> = cl
        .cluster_parameter_groups()
        .iter()
        .filter_map(|g| g.parameter_group_name())
        .collect();
    match names.as_slice() {
        [] => Value::defaulted(ParameterGroupRef::Default, o.clone(), GROUP),
        [n] if n.starts_with("default.") => {
            Value::set(ParameterGroupRef::Default, o.clone(), GROUP)
        }
        [n] => {
            used.insert(n.to_string());
            Value::set(
                ParameterGroupRef::Group(group_arn(scope, n)),
                o.clone(),
                GROUP,
            )
        }
        _ => Value::unknown(
            format!(
                "Redshift reported {} parameter groups for the cluster",
                names.len()
            ),
            o.clone(),
            GROUP,
        ),
    }
}

/// The parameters the used groups set (`Source = user`: a parameter a group does not
/// set keeps Redshift's default, `false` for `require_ssl` and
/// `enable_user_activity_logging`).
async fn parameter_groups(
    sh: &Shared,
    c: &Client,
    scope: &Scope,
    used: BTreeSet<String>,
) -> Vec<RedshiftParameterGroup> {
    let r = scope.region.as_ref();
    join_all(used.into_iter().map(|name| async move {
        let arn = group_arn(scope, &name);
        let meta = scope.meta(&arn, "aws_redshift_parameter_group");
        let o = meta.origin.clone();
        let read = sh
            .pages(SVC, r, "DescribeClusterParameters", || {
                c.describe_cluster_parameters()
                    .parameter_group_name(&name)
                    .source("user")
                    .into_paginator()
                    .send()
            })
            .await;
        let (parameters, parameters_unknown) = match read {
            Ok(pages) => {
                let mut ps: Vec<DbParameter> = pages
                    .iter()
                    .flat_map(|p| p.parameters())
                    // Only what the group sets (an endpoint that ignores the filter
                    // returns the defaults too).
                    .filter(|p| p.source().is_none_or(|s| s == "user"))
                    .filter_map(|p| {
                        let name = p.parameter_name()?;
                        let value = p.parameter_value()?;
                        Some(DbParameter {
                            name: name.to_ascii_lowercase(),
                            value: Value::set(
                                value.to_string(),
                                o.clone(),
                                format!("parameter.{name}"),
                            ),
                        })
                    })
                    .collect();
                ps.sort_by(|a, b| a.name.cmp(&b.name));
                (ps, None)
            }
            Err(e) => {
                sh.warn(format!(
                    "parameters of Redshift parameter group {arn} not evaluated: {}",
                    e.reason
                ));
                (Vec::new(), Some(e.reason))
            }
        };
        RedshiftParameterGroup {
            meta,
            parameters,
            parameters_unknown,
        }
    }))
    .await
}
