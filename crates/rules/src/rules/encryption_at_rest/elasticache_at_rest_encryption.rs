//! AWS-ELC-001: ElastiCache (Redis OSS / Valkey) data is encrypted at rest.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every ElastiCache replication group
    /// (`aws_elasticache_replication_group`) has `at_rest_encryption_enabled = true`, and
    /// reports standalone Redis OSS / Valkey cache clusters (`aws_elasticache_cluster`
    /// with `engine = "redis"` or `"valkey"` and no `replication_group_id`), which cannot
    /// encrypt at rest. Memcached keeps data in memory only and is not checked; cluster
    /// members of a replication group are covered by their group.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: caches hold copies of customer records and sessions, and their
    /// snapshots and swap files reach disk and S3. At-rest encryption can only be chosen
    /// when the group is created.
    ///
    /// ## Default assumed
    /// `at_rest_encryption_enabled` defaults to `false` for `engine = "redis"` (the
    /// default engine) and to `true` for `valkey` (AWS provider docs for
    /// `aws_elasticache_replication_group`).
    ///
    /// ## Not evaluated
    /// When the value, or the engine it defaults from, comes from a variable without a
    /// value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "sessions" {
    ///   replication_group_id       = "sessions"
    ///   description                = "session cache"
    ///   engine                     = "redis"
    ///   node_type                  = "cache.t4g.small"
    ///   num_cache_clusters         = 2
    ///   at_rest_encryption_enabled = true
    ///   kms_key_id                 = aws_kms_key.cache.arn
    /// }
    /// ```
    pub struct ElasticacheAtRestEncryption {
        id: "AWS-ELC-001",
        slug: "elasticache-at-rest-encryption",
        title: "ElastiCache data is encrypted at rest",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for ElasticacheAtRestEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for g in &model.aws.elasticache_replication_groups {
            out.require_true(
                &g.meta,
                &g.at_rest_encryption,
                "replication group does not encrypt data at rest",
            );
        }
        for c in model
            .aws
            .elasticache_clusters
            .iter()
            .filter(|c| c.replication_group.is_none())
        {
            let redis_like = c.engine.map(|e| e == "redis" || e == "valkey");
            if out.applies(&c.meta, &redis_like) {
                out.fail(
                    &c.meta,
                    &c.engine.origin,
                    &c.engine.path,
                    "standalone Redis OSS / Valkey cache cluster cannot encrypt data at rest: use a replication group",
                );
            }
        }
    }
}
