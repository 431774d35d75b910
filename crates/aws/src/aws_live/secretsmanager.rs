//! Secrets Manager in one region: every secret's KMS key, rotation and resource policy.
//! Secret values are never read.

use aws_config::SdkConfig;
use aws_sdk_secretsmanager::types::SecretListEntry;
use aws_sdk_secretsmanager::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::secretsmanager::SmSecret;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "secretsmanager";
const KEY: &str = "kms_key_id";

/// Reads every secret of `scope.region`: `ListSecrets` to the end (name, ARN, key and
/// rotation), `GetResourcePolicy` of each, and KMS `DescribeKey` of a key that is not
/// named by an `alias/aws/` alias (whether a key is the customer's is only known to KMS).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let kms = aws_sdk_kms::Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "Secrets Manager secrets",
        &["aws.secrets"],
        sh.pages(SVC, r, "ListSecrets", || {
            c.list_secrets().max_results(100).into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let list: Vec<&SecretListEntry> = pages.iter().flat_map(|p| p.secret_list()).collect();
    let secrets = join_all(list.into_iter().map(|s| {
        let (c, kms) = (&c, &kms);
        async move {
            let name = s.name().unwrap_or_default();
            let arn = s
                .arn()
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("secret:{name}")));
            let meta = scope.meta(&arn, "aws_secretsmanager_secret");
            let o = meta.origin.clone();
            let (kms_key, policy) = tokio::join!(
                secret_key(sh, kms, r, s.kms_key_id(), o.clone()),
                sh.call(SVC, r, "GetResourcePolicy", || c
                    .get_resource_policy()
                    .secret_id(&arn)
                    .send(),),
            );
            SmSecret {
                kms_key,
                rotation: match s.rotation_enabled() {
                    Some(x) => Value::set(x, o.clone(), "rotation"),
                    None => Value::defaulted(false, o.clone(), "rotation"),
                },
                policy: match policy {
                    Ok(p) => super::sqs::policy(p.resource_policy(), &o),
                    Err(e) => e.unknown(o, "policy"),
                },
                meta,
            }
        }
    }))
    .await;
    sh.progress.unit_done(secrets.len());
    m.secrets = secrets;
    m
}

/// The secret's key as the model has it: `Some(key)` for a customer managed key, `None`
/// for the AWS managed key `aws/secretsmanager` (no key reported, or a key KMS says AWS
/// manages); an `alias/aws/...` name is kept as written.
async fn secret_key(
    sh: &Shared,
    kms: &aws_sdk_kms::Client,
    r: &str,
    key: Option<&str>,
    o: Origin,
) -> Value<Option<String>> {
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        return Value::defaulted(None, o, KEY);
    };
    if key.contains("alias/aws/") {
        return Value::set(Some(key.to_string()), o, KEY);
    }
    match sh
        .call("kms", r, "DescribeKey", || {
            kms.describe_key().key_id(key).send()
        })
        .await
    {
        Ok(k) => {
            let customer = k
                .key_metadata()
                .is_some_and(|m| m.key_manager().is_some_and(|x| x.as_str() == "CUSTOMER"));
            Value::set(customer.then(|| key.to_string()), o, KEY)
        }
        Err(e) => e.unknown(o, KEY),
    }
}
