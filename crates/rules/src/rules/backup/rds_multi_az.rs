//! AWS-RDS-012: RDS databases run in more than one availability zone.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every RDS database survives the loss of one availability zone:
    /// - a DB instance (`aws_db_instance`, not a read replica) needs `multi_az = true`;
    /// - a Multi-AZ DB cluster (`aws_rds_cluster` with `db_cluster_instance_class`)
    ///   always passes;
    /// - an Aurora cluster needs at least two member instances
    ///   (`aws_rds_cluster_instance`, counting `count`/`for_each` instances) so a replica
    ///   in another zone can take over. `availability_zones` alone is not enough: it
    ///   places the cluster's storage, not a standby instance.
    ///
    /// Aurora Serverless v1 clusters (`engine_mode = "serverless"`) are not checked: AWS
    /// manages their failover.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: a single-AZ database is unavailable, and may lose recent writes,
    /// when its zone or host fails; a standby in another zone fails over in a minute or
    /// two.
    ///
    /// ## Default assumed
    /// `multi_az` defaults to `false` (AWS provider docs for `aws_db_instance`).
    ///
    /// ## Not evaluated
    /// When `multi_az` or an engine mode comes from a variable without a value, for an
    /// Aurora cluster none of whose instances is declared in the scanned configuration
    /// (they may be managed elsewhere), and when a member instance's cluster cannot be
    /// resolved (then the cluster's instance count is unknown).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_db_instance" "app" {
    ///   # ...
    ///   multi_az = true
    /// }
    ///
    /// resource "aws_rds_cluster_instance" "app" {
    ///   count              = 2
    ///   cluster_identifier = aws_rds_cluster.app.id
    ///   instance_class     = "db.r6g.large"
    ///   engine             = aws_rds_cluster.app.engine
    /// }
    /// ```
    pub struct RdsMultiAz {
        id: "AWS-RDS-012",
        slug: "rds-multi-az",
        title: "RDS databases span availability zones",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for RdsMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for db in model
            .aws
            .db_instances
            .iter()
            .filter(|d| d.cluster.is_none() && !d.is_replica)
        {
            out.require_true(&db.meta, &db.multi_az, "DB instance is not Multi-AZ");
        }
        // Members whose cluster could not be resolved might belong to any cluster.
        let unresolved = model
            .aws
            .db_instances
            .iter()
            .filter_map(|d| d.cluster.as_ref())
            .find_map(|c| c.unknown_reason().map(str::to_string));
        for (i, c) in model.aws.db_clusters.iter().enumerate() {
            if c.multi_az_db_cluster {
                continue;
            }
            match &c.engine_mode.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(
                        &c.meta,
                        &c.engine_mode.origin,
                        &c.engine_mode.path,
                        r.to_string(),
                    );
                    continue;
                }
                Resolved::Set(m) | Resolved::Defaulted(m) if m == "serverless" => continue,
                _ => {}
            }
            // Members in the cluster's account and region (or root module).
            let members = model.cluster_members(i).len();
            let at = c.meta.block_origin();
            if members >= 2 {
                out.pass(&c.meta, &at, "aws_rds_cluster_instance");
            } else if members == 0 {
                out.not_evaluated(
                    &c.meta,
                    &at,
                    "aws_rds_cluster_instance",
                    unresolved.clone().unwrap_or_else(|| {
                        "no instance of the cluster is declared in the scanned configuration"
                            .to_string()
                    }),
                );
            } else if let Some(r) = &unresolved {
                out.not_evaluated(&c.meta, &at, "aws_rds_cluster_instance", r.clone());
            } else {
                out.fail(
                    &c.meta,
                    &at,
                    "aws_rds_cluster_instance",
                    format!("Aurora cluster has {members} instance(s): no replica in another availability zone to fail over to"),
                );
            }
        }
    }
}
