//! Amazon SES in one region: the sending authorization policies of every identity
//! (domain or address).

use aws_config::SdkConfig;
use aws_sdk_sesv2::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::ses::SesIdentityPolicy;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "ses";

/// Reads every identity of `scope.region` (SES v2 `ListEmailIdentities` to the end) and
/// its policies (`GetEmailIdentityPolicies`): one model entry per policy. An identity
/// whose policies cannot be read is one entry whose policy is unknown.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "SES identities",
        &["aws.ses_identity_policies"],
        sh.pages(SVC, r, "ListEmailIdentities", || {
            c.list_email_identities().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.email_identities())
        .filter_map(|i| i.identity_name())
        .collect();
    let read = join_all(names.iter().map(|name| {
        let c = &c;
        async move {
            sh.call(SVC, r, "GetEmailIdentityPolicies", || {
                c.get_email_identity_policies().email_identity(*name).send()
            })
            .await
        }
    }))
    .await;
    for (name, policies) in names.iter().zip(read) {
        let identity_arn = scope.arn(SVC, &format!("identity/{name}"));
        match policies {
            Ok(out) => {
                let mut list: Vec<(&String, &String)> = out
                    .policies()
                    .map(|p| p.iter().collect())
                    .unwrap_or_default();
                list.sort();
                for (policy_name, text) in list {
                    let meta = scope.meta(
                        &format!("{identity_arn}/policy/{policy_name}"),
                        "aws_ses_identity_policy",
                    );
                    let o = meta.origin.clone();
                    m.ses_identity_policies.push(SesIdentityPolicy {
                        identity: Value::set(name.to_string(), o.clone(), "identity"),
                        policy: super::sqs::policy(Some(text), &o),
                        meta,
                    });
                }
            }
            Err(e) => {
                let meta = scope.meta(&identity_arn, "aws_ses_identity_policy");
                let o = meta.origin.clone();
                m.ses_identity_policies.push(SesIdentityPolicy {
                    identity: Value::set(name.to_string(), o.clone(), "identity"),
                    policy: e.unknown(o, "policy"),
                    meta,
                });
            }
        }
    }
    sh.progress.unit_done(m.ses_identity_policies.len());
    m
}
