//! AWS-OS-020: OpenSearch domains are not open to the internet.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks OpenSearch and Elasticsearch domains (`aws_opensearch_domain`,
    /// `aws_elasticsearch_domain`) deployed outside a VPC (no `vpc_options`), whose
    /// endpoint is therefore public: their access policy (`access_policies` or a
    /// `*_domain_policy` resource) must not allow everyone (`Principal "*"`) without a
    /// condition restricting the caller (`aws:SourceIp`, `aws:SourceVpce`, ...). Domains
    /// inside a VPC pass.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: an open domain lets anyone on the internet read, modify or
    /// delete the indexed data — a frequent source of large data leaks.
    ///
    /// ## Default assumed
    /// Without `vpc_options` the domain has a public endpoint; without an access policy
    /// it denies every request (API default).
    ///
    /// ## Not evaluated
    /// When `vpc_options` or the access policy is unknown, or the policy includes an
    /// unknown document and shows no public statement otherwise.
    ///
    /// ## How to fix
    /// Deploy the domain in a VPC, or restrict the policy to known principals:
    /// ```hcl
    /// resource "aws_opensearch_domain" "search" {
    ///   domain_name = "search"
    ///   vpc_options {
    ///     subnet_ids         = var.private_subnet_ids
    ///     security_group_ids = [aws_security_group.search.id]
    ///   }
    /// }
    /// ```
    pub struct OpensearchPublicAccess {
        id: "AWS-OS-020",
        slug: "opensearch-public-access",
        title: "OpenSearch domains outside a VPC do not allow everyone",
        severity: Critical,
        family: Network,
    }
}

impl Rule for OpensearchPublicAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.search_domains {
            let m = &d.meta;
            match d.in_vpc.known() {
                Some(true) => out.pass(m, &d.in_vpc.origin, &d.in_vpc.path),
                None => out.not_evaluated(
                    m,
                    &d.in_vpc.origin,
                    &d.in_vpc.path,
                    d.in_vpc.unknown_reason().unwrap_or_default().to_string(),
                ),
                Some(false) => public_policy::check(
                    out,
                    m,
                    &d.access_policy,
                    "the domain has a public endpoint and its access policy",
                ),
            }
        }
    }
}
