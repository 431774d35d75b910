//! AWS-DDB-002: DynamoDB tables have point-in-time recovery.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every DynamoDB table (`aws_dynamodb_table`) has
    /// `point_in_time_recovery { enabled = true }`.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 expects backups that allow recovery: point-in-time recovery keeps 35 days
    /// of continuous backups, so a faulty deployment or a deleted item can be undone to
    /// the second. On-demand backups taken by hand do not give that evidence.
    ///
    /// ## Default assumed
    /// Point-in-time recovery is off unless enabled (AWS provider docs).
    ///
    /// ## Not evaluated
    /// When `enabled` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   # ...
    ///   point_in_time_recovery {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    pub struct DynamodbPitr {
        id: "AWS-DDB-002",
        slug: "dynamodb-pitr",
        title: "DynamoDB tables have point-in-time recovery",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for DynamodbPitr {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.dynamodb_tables {
            out.require_true(
                &t.meta,
                &t.point_in_time_recovery,
                "table has no point-in-time recovery",
            );
        }
    }
}
