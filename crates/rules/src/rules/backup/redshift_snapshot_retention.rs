//! AWS-RS-002: Redshift automated snapshots are kept long enough.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Redshift cluster (`aws_redshift_cluster`) keeps automated
    /// snapshots (`automated_snapshot_retention_period`) at least
    /// `backup_retention_days` (default 7) in the project settings.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: with the default of one day, a bad load or a dropped table noticed
    /// after a day can no longer be restored; 0 turns automated snapshots off.
    ///
    /// ## Default assumed
    /// `automated_snapshot_retention_period` defaults to 1 (AWS provider docs for
    /// `aws_redshift_cluster`), which fails.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_redshift_cluster" "dw" {
    ///   # ...
    ///   automated_snapshot_retention_period = 14
    /// }
    /// ```
    pub struct RedshiftSnapshotRetention {
        id: "AWS-RS-002",
        slug: "redshift-snapshot-retention",
        title: "Redshift snapshots are retained at least 7 days",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for RedshiftSnapshotRetention {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let min = out.settings().backup_retention_days;
        for c in &model.aws.redshift_clusters {
            out.require(
                &c.meta,
                &c.snapshot_retention_days,
                |d| *d >= min,
                |d| {
                    if *d == 0 {
                        "automated snapshots are disabled (retention 0 days)".to_string()
                    } else {
                        format!("automated snapshots are kept {d} day(s), fewer than {min}")
                    }
                },
            );
        }
    }
}
