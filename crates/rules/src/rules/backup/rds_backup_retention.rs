//! AWS-RDS-003: RDS automated backups are kept at least 7 days.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// Minimum retention, in days.
const MIN_DAYS: i64 = 7;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every RDS DB instance (`aws_db_instance`, not read replicas or
    /// Aurora members, whose backups belong to the source or cluster) and DB cluster
    /// (`aws_rds_cluster`) keeps automated backups for at least 7 days
    /// (`backup_retention_period` ≥ 7).
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 expects backups that support recovery objectives, and CC9.1 mitigation of
    /// business disruption: with 1 day of retention, corruption noticed after a weekend
    /// can no longer be rolled back, and 0 disables point-in-time restore entirely.
    ///
    /// ## Default assumed
    /// `backup_retention_period` defaults to 1 day for clusters (AWS provider docs:
    /// "Default `1`") and for instances (the provider leaves it to the RDS API, whose
    /// `CreateDBInstance` default is 1; RDS User Guide, "Backup retention period").
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_db_instance" "app" {
    ///   # ...
    ///   backup_retention_period = 14
    /// }
    /// ```
    pub struct RdsBackupRetention {
        id: "AWS-RDS-003",
        slug: "rds-backup-retention",
        title: "RDS backups are retained at least 7 days",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for RdsBackupRetention {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let msg = |d: &i64| {
            if *d == 0 {
                "automated backups are disabled (retention 0 days)".to_string()
            } else {
                format!("automated backups are kept {d} day(s), fewer than {MIN_DAYS}")
            }
        };
        for db in model
            .aws
            .db_instances
            .iter()
            .filter(|d| d.cluster.is_none() && !d.is_replica)
        {
            out.require(&db.meta, &db.backup_retention_days, |d| *d >= MIN_DAYS, msg);
        }
        for c in &model.aws.db_clusters {
            out.require(&c.meta, &c.backup_retention_days, |d| *d >= MIN_DAYS, msg);
        }
    }
}
