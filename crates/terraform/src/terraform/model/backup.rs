//! AWS Backup: `aws_backup_vault` joined with `aws_backup_vault_lock_configuration` (by
//! `backup_vault_name`) and `aws_backup_vault_policy` (by `backup_vault_name`), and `aws_backup_plan` joined with `aws_backup_selection` (by
//! `plan_id`).

use super::attached::{attached, resource_policy};
use super::join::{Ctx, Joins, TargetSpec};
use super::read::{to_int, Conv, Reader};
use crate::model::aws::backup::{BackupPlan, BackupPlanRule, BackupVault};
use crate::model::aws::AwsModel;
use crate::model::Value;

const VAULT: TargetSpec<'static> = TargetSpec {
    types: &["aws_backup_vault"],
    name_attr: Some("name"),
    global_names: false,
};

const PLAN: TargetSpec<'static> = TargetSpec {
    types: &["aws_backup_plan"],
    name_attr: None,
    global_names: false,
};

fn plan_rule(rule: &Reader<'_>) -> BackupPlanRule {
    let delete_after_days = match rule.first("lifecycle") {
        Some(l) => l.read("delete_after", None, |d| match to_int(d, "delete_after") {
            Conv::Ok(n) => Conv::Ok(Some(n)),
            Conv::Null => Conv::Null,
            Conv::Unknown(r) => Conv::Unknown(r),
        }),
        None => match rule.block.unknown_blocks_of("lifecycle") {
            Some(u) => Value::unknown(
                u.reason.clone(),
                rule.origin_at(u.pos),
                rule.path("lifecycle.delete_after"),
            ),
            None => Value::defaulted(
                None,
                rule.block_origin(),
                rule.path("lifecycle.delete_after"),
            ),
        },
    };
    BackupPlanRule {
        name: rule.string("rule_name", ""),
        origin: rule.block_origin(),
        delete_after_days,
    }
}

/// Adds backup vaults and plans to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let locks = Joins::build(
        ctx,
        &["aws_backup_vault_lock_configuration"],
        "backup_vault_name",
        VAULT,
    );
    let policies = Joins::build(
        ctx,
        &["aws_backup_vault_policy"],
        "backup_vault_name",
        VAULT,
    );
    for r in ctx.managed(VAULT.types) {
        let rd = Reader::new(r);
        aws.backup_vaults.push(BackupVault {
            meta: ctx.meta(r),
            name: rd.string("name", ""),
            kms_key: rd.opt_ref("kms_key_arn"),
            locked: attached(&locks, r, "aws_backup_vault_lock_configuration"),
            policy: resource_policy(ctx, &policies, r, "policy", "policy"),
        });
    }
    let selections = Joins::build(ctx, &["aws_backup_selection"], "plan_id", PLAN);
    for r in ctx.managed(PLAN.types) {
        let rd = Reader::new(r);
        let rules = match rd.block.unknown_blocks_of("rule") {
            Some(u) => Value::unknown(u.reason.clone(), rd.origin_at(u.pos), "rule"),
            None => Value::set(
                rd.all("rule").iter().map(plan_rule).collect(),
                rd.owner_origin(),
                "rule",
            ),
        };
        aws.backup_plans.push(BackupPlan {
            meta: ctx.meta(r),
            rules,
            has_selection: attached(&selections, r, "aws_backup_selection"),
        });
    }
}
