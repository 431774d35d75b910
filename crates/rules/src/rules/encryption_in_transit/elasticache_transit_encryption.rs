//! AWS-ELC-002: ElastiCache encrypts traffic in transit.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every ElastiCache replication group
    /// (`aws_elasticache_replication_group`) and every Memcached cache cluster
    /// (`aws_elasticache_cluster` with `engine = "memcached"`) has
    /// `transit_encryption_enabled = true`. Standalone Redis OSS clusters cannot encrypt
    /// in transit and are reported by AWS-ELC-001; members of a replication group are
    /// covered by their group.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: without TLS, cached customer data, session tokens and the AUTH password
    /// cross the VPC network in clear.
    ///
    /// ## Default assumed
    /// `transit_encryption_enabled` defaults to `false` (AWS provider docs for both
    /// resources).
    ///
    /// ## Not evaluated
    /// When the value or a cluster's engine comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   # ...
    ///   transit_encryption_enabled = true
    ///   auth_token                 = var.redis_auth_token
    /// }
    /// ```
    pub struct ElasticacheTransitEncryption {
        id: "AWS-ELC-002",
        slug: "elasticache-transit-encryption",
        title: "ElastiCache encrypts data in transit",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for ElasticacheTransitEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for g in &model.aws.elasticache_replication_groups {
            out.require_true(
                &g.meta,
                &g.transit_encryption,
                "replication group does not encrypt traffic in transit",
            );
        }
        for c in model
            .aws
            .elasticache_clusters
            .iter()
            .filter(|c| c.replication_group.is_none())
        {
            let memcached = c.engine.map(|e| e == "memcached");
            if out.applies(&c.meta, &memcached) {
                out.require_true(
                    &c.meta,
                    &c.transit_encryption,
                    "Memcached cluster does not encrypt traffic in transit",
                );
            }
        }
    }
}
