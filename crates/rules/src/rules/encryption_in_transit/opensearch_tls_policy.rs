//! AWS-OS-004: OpenSearch domain endpoints require TLS 1.2 or later.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every OpenSearch / Elasticsearch domain uses a
    /// `domain_endpoint_options.tls_security_policy` whose minimum is TLS 1.2:
    /// `Policy-Min-TLS-1-2-2019-07`, `Policy-Min-TLS-1-2-PFS-2023-10` or any later
    /// `Policy-Min-TLS-1-2-*` / `Policy-Min-TLS-1-3-*` policy.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow weak ciphers.
    ///
    /// ## Default assumed
    /// Without a policy the domain gets `Policy-Min-TLS-1-0-2019-07`, the policy the
    /// OpenSearch API applies when none is given (API reference,
    /// `DomainEndpointOptions.TLSSecurityPolicy`), which fails.
    ///
    /// ## Not evaluated
    /// When the policy comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// domain_endpoint_options {
    ///   enforce_https       = true
    ///   tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
    /// }
    /// ```
    pub struct OpensearchTlsPolicy {
        id: "AWS-OS-004",
        slug: "opensearch-tls-policy",
        title: "OpenSearch domains require TLS 1.2 or later",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for OpensearchTlsPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            out.require(
                &d.meta,
                &d.tls_security_policy,
                |p| p.starts_with("Policy-Min-TLS-1-2") || p.starts_with("Policy-Min-TLS-1-3"),
                |p| format!("domain endpoint uses TLS policy {p}, which allows TLS older than 1.2"),
            );
        }
    }
}
