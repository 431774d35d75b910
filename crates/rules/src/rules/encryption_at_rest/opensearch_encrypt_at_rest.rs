//! AWS-OS-001: OpenSearch domains are encrypted at rest.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every OpenSearch / Elasticsearch domain (`aws_opensearch_domain`,
    /// `aws_elasticsearch_domain`) has `encrypt_at_rest { enabled = true }`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: search indices hold copies of customer documents and logs;
    /// encryption at rest also covers index files, swap and automated snapshots.
    ///
    /// ## Default assumed
    /// Without the `encrypt_at_rest` block the domain is created unencrypted (OpenSearch
    /// API `CreateDomain`: `EncryptionAtRestOptions.Enabled` defaults to false).
    ///
    /// ## Not evaluated
    /// When `enabled` comes from a variable without a value, or the block is a `dynamic`
    /// block that cannot be expanded.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   encrypt_at_rest {
    ///     enabled    = true
    ///     kms_key_id = aws_kms_key.search.arn
    ///   }
    /// }
    /// ```
    pub struct OpensearchEncryptAtRest {
        id: "AWS-OS-001",
        slug: "opensearch-encrypt-at-rest",
        title: "OpenSearch domains are encrypted at rest",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for OpensearchEncryptAtRest {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            out.require_true(
                &d.meta,
                &d.encrypt_at_rest,
                "domain is not encrypted at rest",
            );
        }
    }
}
