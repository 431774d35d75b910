//! AWS-BAK-003: AWS Backup plans have resources assigned.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every AWS Backup plan (`aws_backup_plan`) has at least one backup
    /// selection (`aws_backup_selection` whose `plan_id` names it), by resource ARNs,
    /// tags or conditions.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2: a plan without a selection backs up nothing, yet looks like a backup control
    /// in the configuration and in the console.
    ///
    /// ## Default assumed
    /// A plan has no resources assigned until a selection names it.
    ///
    /// ## Not evaluated
    /// When a selection's `plan_id` comes from a value that cannot be resolved (a
    /// variable without a value), so it might belong to this plan.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_backup_selection" "tagged" {
    ///   name         = "tagged"
    ///   plan_id      = aws_backup_plan.daily.id
    ///   iam_role_arn = aws_iam_role.backup.arn
    ///   selection_tag {
    ///     type  = "STRINGEQUALS"
    ///     key   = "Backup"
    ///     value = "daily"
    ///   }
    /// }
    /// ```
    pub struct BackupPlanSelection {
        id: "AWS-BAK-003",
        slug: "backup-plan-selection",
        title: "Backup plans have resources assigned",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for BackupPlanSelection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for p in &model.aws.backup_plans {
            out.require_true(
                &p.meta,
                &p.has_selection,
                "backup plan has no backup selection: it protects no resource",
            );
        }
    }
}
