//! AWS-OS-003: OpenSearch domains accept only HTTPS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every OpenSearch / Elasticsearch domain has
    /// `domain_endpoint_options { enforce_https = true }`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: without it the domain endpoint also answers plain HTTP, so documents, queries
    /// and signed requests can travel in clear.
    ///
    /// ## Default assumed
    /// Without the `domain_endpoint_options` block the API default applies and HTTPS is
    /// not enforced; inside the block the provider's default is `true` (AWS provider docs
    /// for `aws_opensearch_domain`).
    ///
    /// ## Not evaluated
    /// When `enforce_https` comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   # ...
    ///   domain_endpoint_options {
    ///     enforce_https       = true
    ///     tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
    ///   }
    /// }
    /// ```
    pub struct OpensearchEnforceHttps {
        id: "AWS-OS-003",
        slug: "opensearch-enforce-https",
        title: "OpenSearch domains require HTTPS",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for OpensearchEnforceHttps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            out.require_true(
                &d.meta,
                &d.enforce_https,
                "domain endpoint accepts plain HTTP (enforce_https is off)",
            );
        }
    }
}
