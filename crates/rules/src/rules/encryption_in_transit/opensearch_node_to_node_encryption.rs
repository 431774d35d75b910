//! AWS-OS-002: OpenSearch domains encrypt traffic between nodes.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every OpenSearch / Elasticsearch domain has
    /// `node_to_node_encryption { enabled = true }`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: shards, replicas and query results move between the domain's nodes; without
    /// node-to-node encryption they cross the network in clear.
    ///
    /// ## Default assumed
    /// Without the block node-to-node encryption is off (OpenSearch API `CreateDomain`:
    /// `NodeToNodeEncryptionOptions.Enabled` defaults to false). It is required for
    /// fine-grained access control.
    ///
    /// ## Not evaluated
    /// When `enabled` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   # ...
    ///   node_to_node_encryption {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    pub struct OpensearchNodeToNodeEncryption {
        id: "AWS-OS-002",
        slug: "opensearch-node-to-node-encryption",
        title: "OpenSearch domains encrypt node-to-node traffic",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for OpensearchNodeToNodeEncryption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            out.require_true(
                &d.meta,
                &d.node_to_node_encryption,
                "domain does not encrypt traffic between its nodes",
            );
        }
    }
}
