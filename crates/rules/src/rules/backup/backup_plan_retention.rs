//! AWS-BAK-002: AWS Backup plan rules keep recovery points long enough.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every rule of every AWS Backup plan (`aws_backup_plan`): its
    /// `lifecycle.delete_after` must be at least `backup_retention_days` (default 7) in
    /// the project settings. A rule without a lifecycle keeps recovery points until they
    /// are deleted by hand and passes. A plan without any rule fails.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: corruption, ransomware or an accidental deletion is often noticed
    /// days later; recovery points that expire sooner cannot restore the data from before
    /// the incident.
    ///
    /// ## Default assumed
    /// Without `lifecycle` (or without `delete_after`) recovery points never expire (AWS
    /// Backup API `Lifecycle`).
    ///
    /// ## Not evaluated
    /// When `delete_after` comes from a variable without a value, or the rules come from
    /// a `dynamic` block that cannot be expanded.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_backup_plan" "daily" {
    ///   name = "daily"
    ///   rule {
    ///     rule_name         = "daily-35d"
    ///     target_vault_name = aws_backup_vault.main.name
    ///     schedule          = "cron(0 3 * * ? *)"
    ///     lifecycle {
    ///       delete_after = 35
    ///     }
    ///   }
    /// }
    /// ```
    pub struct BackupPlanRetention {
        id: "AWS-BAK-002",
        slug: "backup-plan-retention",
        title: "Backup plans retain recovery points at least 7 days",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for BackupPlanRetention {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let min = out.settings().backup_retention_days;
        for p in &model.aws.backup_plans {
            let rules = match &p.rules.value {
                Resolved::Set(r) | Resolved::Defaulted(r) => r,
                Resolved::Unknown(reason) => {
                    out.not_evaluated(&p.meta, &p.rules.origin, &p.rules.path, reason.to_string());
                    continue;
                }
            };
            if rules.is_empty() {
                out.fail(
                    &p.meta,
                    &p.rules.origin,
                    &p.rules.path,
                    "backup plan has no rule",
                );
                continue;
            }
            for r in rules {
                out.require(
                    &p.meta,
                    &r.delete_after_days,
                    |d| d.is_none_or(|d| d >= min),
                    |d| {
                        format!(
                            "backup rule deletes recovery points after {} day(s), fewer than {min}",
                            d.unwrap_or_default()
                        )
                    },
                );
            }
        }
    }
}
