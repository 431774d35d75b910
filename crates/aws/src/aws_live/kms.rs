//! KMS in one region: customer managed keys, their automatic rotation and key policy.

use aws_config::SdkConfig;
use aws_sdk_kms::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::iam::PolicyDocument;
use crate::model::aws::kms::KmsKey;
use crate::model::aws::policy_json::parse_json;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "kms";

/// Reads the customer managed keys of `scope.region` (AWS managed keys rotate on their
/// own and are not `aws_kms_key` resources) that are not pending deletion. A key that
/// an `alias/aws/...` alias points to is AWS managed whatever `DescribeKey` says: AWS
/// reserves that alias prefix for its own keys.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "KMS keys",
        &["aws.kms_keys"],
        sh.pages(SVC, r, "ListKeys", || c.list_keys().into_paginator().send())
            .await,
    ) else {
        return m;
    };
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.keys())
        .filter_map(|k| k.key_id().map(str::to_string))
        .collect();
    let aws_managed: std::collections::BTreeSet<String> = match sh
        .pages(SVC, r, "ListAliases", || {
            c.list_aliases().into_paginator().send()
        })
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.aliases())
            .filter(|a| a.alias_name().is_some_and(|n| n.starts_with("alias/aws/")))
            .filter_map(|a| a.target_key_id().map(str::to_string))
            .collect(),
        Err(_) => Default::default(),
    };
    let ids: Vec<String> = ids
        .into_iter()
        .filter(|id| !aws_managed.contains(id))
        .collect();
    let keys = join_all(ids.iter().map(|id| {
        let c = &c;
        async move {
            let d = sh
                .call(SVC, r, "DescribeKey", || c.describe_key().key_id(id).send())
                .await;
            let customer = match &d {
                Ok(d) => d.key_metadata().is_some_and(|k| {
                    k.key_manager().is_some_and(|m| m.as_str() == "CUSTOMER")
                        && k.key_state().is_none_or(|s| {
                            !matches!(s.as_str(), "PendingDeletion" | "PendingReplicaDeletion")
                        })
                }),
                Err(_) => true,
            };
            let rot = if customer {
                let rot = sh
                    .call(SVC, r, "GetKeyRotationStatus", || {
                        c.get_key_rotation_status().key_id(id).send()
                    })
                    .await;
                // `default` is the only key policy name KMS supports.
                let pol = sh
                    .call(SVC, r, "GetKeyPolicy", || {
                        c.get_key_policy().key_id(id).policy_name("default").send()
                    })
                    .await;
                Some((rot, pol))
            } else {
                None
            };
            (id, d, rot)
        }
    }))
    .await;
    for (id, d, rot) in keys {
        let Some((rot, pol)) = rot else { continue };
        let arn = match &d {
            Ok(d) => d
                .key_metadata()
                .and_then(|k| k.arn())
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("key/{id}"))),
            Err(_) => scope.arn(SVC, &format!("key/{id}")),
        };
        let meta = scope.meta(&arn, "aws_kms_key");
        let o = meta.origin.clone();
        let (key_spec, key_usage) = match &d {
            Ok(d) => {
                let k = d.key_metadata();
                (
                    Value::set(
                        k.and_then(|k| k.key_spec())
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_else(|| "SYMMETRIC_DEFAULT".to_string()),
                        o.clone(),
                        "customer_master_key_spec",
                    ),
                    Value::set(
                        k.and_then(|k| k.key_usage())
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_else(|| "ENCRYPT_DECRYPT".to_string()),
                        o.clone(),
                        "key_usage",
                    ),
                )
            }
            Err(e) => (
                e.unknown(o.clone(), "customer_master_key_spec"),
                e.unknown(o.clone(), "key_usage"),
            ),
        };
        let deletion_window_days = match &d {
            Ok(d) => match d
                .key_metadata()
                .and_then(|k| k.pending_deletion_window_in_days())
            {
                Some(days) => Value::set(i64::from(days), o.clone(), "deletion_window_in_days"),
                None => Value::defaulted(30, o.clone(), "deletion_window_in_days"),
            },
            Err(e) => e.unknown(o.clone(), "deletion_window_in_days"),
        };
        let symmetric = key_spec.known().is_some_and(|s| s == "SYMMETRIC_DEFAULT");
        let policy = match pol {
            Ok(p) => match p.policy() {
                Some(text) if !text.trim().is_empty() => match parse_json(text) {
                    Ok(doc) => Value::set(doc, o.clone(), "policy"),
                    Err(err) => Value::unknown(
                        format!("key policy is not a valid policy document: {err}"),
                        o.clone(),
                        "policy",
                    ),
                },
                _ => Value::defaulted(PolicyDocument::default(), o.clone(), "policy"),
            },
            Err(e) => e.unknown(o.clone(), "policy"),
        };
        let rotation_enabled = match rot {
            Ok(r) => Value::set(r.key_rotation_enabled(), o, "enable_key_rotation"),
            // Rotation is not supported for asymmetric and HMAC keys.
            Err(e) if !symmetric && e.is(&["UnsupportedOperationException"]) => {
                Value::set(false, o, "enable_key_rotation")
            }
            Err(e) => e.unknown(o, "enable_key_rotation"),
        };
        m.kms_keys.push(KmsKey {
            key_spec,
            key_usage,
            rotation_enabled,
            deletion_window_days,
            policy,
            meta,
        });
    }
    sh.progress.unit_done(m.kms_keys.len());
    m
}
