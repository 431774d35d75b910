//! DynamoDB in one region: tables, the key that encrypts them, and point-in-time
//! recovery.

use aws_config::SdkConfig;
use aws_sdk_dynamodb::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::dynamodb::{DynamoDbTable, TableKey};
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "dynamodb";

/// Reads every table of `scope.region` (`ListTables` to the end, then `DescribeTable`
/// and `DescribeContinuousBackups` of each).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let kms = aws_sdk_kms::Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "DynamoDB tables",
        &["aws.dynamodb_tables"],
        sh.pages(SVC, r, "ListTables", || {
            c.list_tables().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.table_names())
        .cloned()
        .collect();
    let tables = join_all(names.iter().map(|name| {
        let (c, kms) = (&c, &kms);
        async move {
            let (d, pitr) = tokio::join!(
                sh.call(SVC, r, "DescribeTable", || c
                    .describe_table()
                    .table_name(name)
                    .send()),
                sh.call(SVC, r, "DescribeContinuousBackups", || c
                    .describe_continuous_backups()
                    .table_name(name)
                    .send()),
            );
            let arn = d
                .as_ref()
                .ok()
                .and_then(|d| d.table())
                .and_then(|t| t.table_arn())
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("table/{name}")));
            let meta = scope.meta(&arn, "aws_dynamodb_table");
            let o = meta.origin.clone();
            const KEY: &str = "server_side_encryption";
            let encryption_key = match &d {
                Ok(d) => {
                    let sse = d.table().and_then(|t| t.sse_description());
                    let active = sse.is_some_and(|s| {
                        s.status().is_none_or(|x| {
                            matches!(x.as_str(), "ENABLED" | "ENABLING" | "UPDATING")
                        })
                    });
                    match sse.and_then(|s| s.kms_master_key_arn()).filter(|_| active) {
                        None => Value::defaulted(TableKey::AwsOwned, o.clone(), KEY),
                        Some(key) => {
                            // Whether the key is AWS managed (`aws/dynamodb`) or the
                            // customer's is only known to KMS.
                            match sh
                                .call("kms", r, "DescribeKey", || {
                                    kms.describe_key().key_id(key).send()
                                })
                                .await
                            {
                                Ok(k) => {
                                    let customer = k.key_metadata().is_some_and(|m| {
                                        m.key_manager().is_some_and(|x| x.as_str() == "CUSTOMER")
                                    });
                                    let v = if customer {
                                        TableKey::CustomerManaged(key.to_string())
                                    } else {
                                        TableKey::AwsManaged
                                    };
                                    Value::set(v, o.clone(), KEY)
                                }
                                Err(e) => e.unknown(o.clone(), KEY),
                            }
                        }
                    }
                }
                Err(e) => e.unknown(o.clone(), KEY),
            };
            const PITR: &str = "point_in_time_recovery.enabled";
            let point_in_time_recovery = match pitr {
                Ok(p) => {
                    let on = p
                        .continuous_backups_description()
                        .and_then(|d| d.point_in_time_recovery_description())
                        .and_then(|d| d.point_in_time_recovery_status())
                        .is_some_and(|s| s.as_str() == "ENABLED");
                    Value::set(on, o, PITR)
                }
                Err(e) => e.unknown(o, PITR),
            };
            DynamoDbTable {
                encryption_key,
                point_in_time_recovery,
                meta,
            }
        }
    }))
    .await;
    sh.progress.unit_done(tables.len());
    m.dynamodb_tables = tables;
    m
}
