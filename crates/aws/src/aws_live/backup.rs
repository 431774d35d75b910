//! AWS Backup in one region: vaults (their key, lock and access policy) and backup plans (their rules'
//! retention and whether a selection assigns resources to them).

use aws_config::SdkConfig;
use aws_sdk_backup::operation::list_backup_selections::ListBackupSelectionsOutput;
use aws_sdk_backup::types::BackupVaultListMember;
use aws_sdk_backup::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::backup::{BackupPlan, BackupPlanRule, BackupVault};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "backup";
const KEY: &str = "kms_key_arn";
const LOCK: &str = "aws_backup_vault_lock_configuration";
const SELECTION: &str = "aws_backup_selection";

/// Reads the vaults (`ListBackupVaults` to the end, `GetBackupVaultAccessPolicy` of
/// each) and the plans (`ListBackupPlans` to
/// the end, `GetBackupPlan` and `ListBackupSelections` of each) of `scope.region`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let kms = aws_sdk_kms::Client::new(cfg);
    let (vaults, plans) = tokio::join!(vaults(sh, &c, &kms, scope), plans(sh, &c, scope));
    sh.progress.unit_done(vaults.len() + plans.len());
    AwsModel {
        backup_vaults: vaults,
        backup_plans: plans,
        ..AwsModel::default()
    }
}

/// The key of a vault as the model has it: `Some(arn)` for a customer managed key,
/// `None` for a key of AWS's (the AWS managed `aws/backup` key, or an AWS owned key).
/// Whether a key ARN is the customer's is only known to KMS (`DescribeKey`).
async fn vault_key(
    sh: &Shared,
    kms: &aws_sdk_kms::Client,
    r: &str,
    v: &BackupVaultListMember,
    o: Origin,
) -> Value<Option<String>> {
    if v.encryption_key_type()
        .is_some_and(|t| t.as_str() == "AWS_OWNED_KMS_KEY")
    {
        return Value::set(None, o, KEY);
    }
    let Some(key) = v.encryption_key_arn() else {
        // No key reported: the default, `aws/backup`.
        return Value::defaulted(None, o, KEY);
    };
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

/// The vault's access policy (`GetBackupVaultAccessPolicy`); the empty default document
/// when it has none (AWS answers `ResourceNotFoundException`).
async fn vault_policy(
    sh: &Shared,
    c: &Client,
    r: &str,
    name: &str,
    o: Origin,
) -> Value<crate::model::aws::iam::PolicyDocument> {
    match sh
        .call(SVC, r, "GetBackupVaultAccessPolicy", || {
            c.get_backup_vault_access_policy()
                .backup_vault_name(name)
                .send()
        })
        .await
    {
        Ok(p) => super::sqs::policy(p.policy(), &o),
        Err(e) if e.is(&["ResourceNotFoundException"]) => super::sqs::policy(None, &o),
        Err(e) => e.unknown(o, "policy"),
    }
}

async fn vaults(
    sh: &Shared,
    c: &Client,
    kms: &aws_sdk_kms::Client,
    scope: &Scope,
) -> Vec<BackupVault> {
    let r = scope.region.as_ref();
    let list: Vec<BackupVaultListMember> = match sh
        .pages(SVC, r, "ListBackupVaults", || {
            c.list_backup_vaults().into_paginator().send()
        })
        .await
    {
        Ok(pages) => pages
            .into_iter()
            .flat_map(|p| p.backup_vault_list.unwrap_or_default())
            .collect(),
        Err(e) => {
            sh.warn(format!("AWS Backup vaults not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.backup_vaults"], &e);
            return Vec::new();
        }
    };
    join_all(list.iter().filter_map(|v| {
        let name = v.backup_vault_name()?;
        Some(async move {
            let arn = v
                .backup_vault_arn()
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("backup-vault:{name}")));
            let meta = scope.meta(&arn, "aws_backup_vault");
            let o = meta.origin.clone();
            BackupVault {
                name: Value::set(name.to_string(), o.clone(), "name"),
                kms_key: vault_key(sh, kms, r, v, o.clone()).await,
                locked: match v.locked() {
                    Some(l) => Value::set(l, o.clone(), LOCK),
                    None => Value::defaulted(false, o.clone(), LOCK),
                },
                policy: vault_policy(sh, c, r, name, o).await,
                meta,
            }
        })
    }))
    .await
}

async fn plans(sh: &Shared, c: &Client, scope: &Scope) -> Vec<BackupPlan> {
    let r = scope.region.as_ref();
    let list: Vec<(String, Option<String>)> = match sh
        .pages(SVC, r, "ListBackupPlans", || {
            c.list_backup_plans().into_paginator().send()
        })
        .await
    {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.backup_plans_list())
            .filter_map(|p| {
                Some((
                    p.backup_plan_id()?.to_string(),
                    p.backup_plan_arn().map(str::to_string),
                ))
            })
            .collect(),
        Err(e) => {
            sh.warn(format!("AWS Backup plans not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.backup_plans"], &e);
            return Vec::new();
        }
    };
    join_all(list.iter().map(|(id, arn)| async move {
        let (plan, selections) = tokio::join!(
            sh.call(SVC, r, "GetBackupPlan", || c
                .get_backup_plan()
                .backup_plan_id(id)
                .send()),
            sh.pages(SVC, r, "ListBackupSelections", || c
                .list_backup_selections()
                .backup_plan_id(id)
                .into_paginator()
                .send()),
        );
        let arn = arn
            .clone()
            .or_else(|| {
                plan.as_ref()
                    .ok()
                    .and_then(|p| p.backup_plan_arn())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| scope.arn(SVC, &format!("backup-plan:{id}")));
        let meta = scope.meta(&arn, "aws_backup_plan");
        let o = meta.origin.clone();
        let rules = match &plan {
            Ok(p) => Value::set(
                p.backup_plan()
                    .map(|bp| bp.rules())
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, rule)| {
                        let path = format!("rule[{i}].lifecycle.delete_after");
                        BackupPlanRule {
                            name: Value::set(
                                rule.rule_name().to_string(),
                                o.clone(),
                                format!("rule[{i}].rule_name"),
                            ),
                            origin: o.clone(),
                            delete_after_days: match rule
                                .lifecycle()
                                .and_then(|l| l.delete_after_days())
                            {
                                Some(d) => Value::set(Some(d), o.clone(), path),
                                None => Value::defaulted(None, o.clone(), path),
                            },
                        }
                    })
                    .collect(),
                o.clone(),
                "rule",
            ),
            Err(e) => e.unknown(o.clone(), "rule"),
        };
        let has_selection = selection(selections, o);
        BackupPlan {
            rules,
            has_selection,
            meta,
        }
    }))
    .await
}

/// Whether any page of `ListBackupSelections` names a selection.
fn selection(pages: Result<Vec<ListBackupSelectionsOutput>, ApiError>, o: Origin) -> Value<bool> {
    match pages {
        Ok(pages) => Value::set(
            pages.iter().any(|p| !p.backup_selections_list().is_empty()),
            o,
            SELECTION,
        ),
        Err(e) => e.unknown(o, SELECTION),
    }
}
