//! S3 Glacier in one region: every vault's access policy.

use aws_config::SdkConfig;
use aws_sdk_glacier::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::glacier::GlacierVault;
use crate::model::aws::AwsModel;

const SVC: &str = "glacier";

/// Reads every vault of `scope.region` (`ListVaults` to the end) and its access policy
/// (`GetVaultAccessPolicy`; `ResourceNotFoundException` when it has none).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "Glacier vaults",
        &["aws.glacier_vaults"],
        sh.pages(SVC, r, "ListVaults", || {
            c.list_vaults().account_id("-").into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let vaults = join_all(
        pages
            .iter()
            .flat_map(|p| p.vault_list())
            .filter_map(|v| Some((v.vault_name()?, v.vault_arn())))
            .map(|(name, arn)| {
                let c = &c;
                async move {
                    let arn = arn
                        .map(str::to_string)
                        .unwrap_or_else(|| scope.arn(SVC, &format!("vaults/{name}")));
                    let meta = scope.meta(&arn, "aws_glacier_vault");
                    let o = meta.origin.clone();
                    let policy = match sh
                        .call(SVC, r, "GetVaultAccessPolicy", || {
                            c.get_vault_access_policy()
                                .account_id("-")
                                .vault_name(name)
                                .send()
                        })
                        .await
                    {
                        Ok(p) => super::sqs::policy(p.policy().and_then(|p| p.policy()), &o),
                        // No policy: only the owner account has access.
                        Err(e) if e.is(&["ResourceNotFoundException"]) => {
                            super::sqs::policy(None, &o)
                        }
                        Err(e) => e.unknown(o, "policy"),
                    };
                    let policy = crate::model::Value {
                        path: "access_policy".into(),
                        ..policy
                    };
                    GlacierVault { meta, policy }
                }
            }),
    )
    .await;
    sh.progress.unit_done(vaults.len());
    m.glacier_vaults = vaults;
    m
}
