//! OpenSearch: `aws_opensearch_domain` and `aws_elasticsearch_domain`, joined with
//! `aws_opensearch_domain_policy` / `aws_elasticsearch_domain_policy` (by `domain_name`).

use super::attached::resource_policy;
use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::opensearch::SearchDomain;
use crate::model::aws::AwsModel;
use crate::model::{Resolved, Value};

const DOMAIN: TargetSpec<'static> = TargetSpec {
    types: &["aws_opensearch_domain", "aws_elasticsearch_domain"],
    name_attr: Some("domain_name"),
    global_names: false,
};

/// The TLS policy the API applies to an endpoint when none is given.
const DEFAULT_TLS_POLICY: &str = "Policy-Min-TLS-1-0-2019-07";

/// `<block>.enabled` (`Defaulted(false)` without the block, unknown for a dynamic block).
fn enabled(rd: &Reader<'_>, block: &str) -> Value<bool> {
    match rd.first(block) {
        Some(b) => b.bool("enabled", false),
        None => match rd.block.unknown_blocks_of(block) {
            Some(u) => Value::unknown(
                u.reason.clone(),
                rd.origin_at(u.pos),
                format!("{block}.enabled"),
            ),
            None => Value::defaulted(false, rd.owner_origin(), format!("{block}.enabled")),
        },
    }
}

/// Enabled log types of `log_publishing_options`.
fn log_types(rd: &Reader<'_>) -> Value<Vec<String>> {
    if let Some(u) = rd.block.unknown_blocks_of("log_publishing_options") {
        return Value::unknown(
            u.reason.clone(),
            rd.origin_at(u.pos),
            "log_publishing_options",
        );
    }
    let mut out = Vec::new();
    for o in rd.all("log_publishing_options") {
        let on = o.bool("enabled", true);
        let kind = o.string("log_type", "");
        match (&on.value, &kind.value) {
            (Resolved::Unknown(r), _) | (_, Resolved::Unknown(r)) => {
                return Value::unknown(r.clone(), o.block_origin(), "log_publishing_options")
            }
            (
                Resolved::Set(true) | Resolved::Defaulted(true),
                Resolved::Set(k) | Resolved::Defaulted(k),
            ) => out.push(k.to_ascii_uppercase()),
            _ => {}
        }
    }
    if out.is_empty() {
        Value::defaulted(out, rd.owner_origin(), "log_publishing_options")
    } else {
        Value::set(out, rd.owner_origin(), "log_publishing_options")
    }
}

/// Adds OpenSearch and Elasticsearch domains to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let policies = Joins::build(
        ctx,
        &[
            "aws_opensearch_domain_policy",
            "aws_elasticsearch_domain_policy",
        ],
        "domain_name",
        DOMAIN,
    );
    for r in ctx.managed(DOMAIN.types) {
        let rd = Reader::new(r);
        let kms_key = match rd.first("encrypt_at_rest") {
            Some(e) => e.opt_ref("kms_key_id"),
            None => Value::defaulted(None, rd.owner_origin(), "encrypt_at_rest.kms_key_id"),
        };
        let (enforce_https, tls_security_policy) = match rd.first("domain_endpoint_options") {
            Some(o) => (
                o.bool("enforce_https", true),
                o.string("tls_security_policy", DEFAULT_TLS_POLICY),
            ),
            None => match rd.block.unknown_blocks_of("domain_endpoint_options") {
                Some(u) => (
                    Value::unknown(
                        u.reason.clone(),
                        rd.origin_at(u.pos),
                        "domain_endpoint_options.enforce_https",
                    ),
                    Value::unknown(
                        u.reason.clone(),
                        rd.origin_at(u.pos),
                        "domain_endpoint_options.tls_security_policy",
                    ),
                ),
                None => (
                    Value::defaulted(
                        false,
                        rd.owner_origin(),
                        "domain_endpoint_options.enforce_https",
                    ),
                    Value::defaulted(
                        DEFAULT_TLS_POLICY.to_string(),
                        rd.owner_origin(),
                        "domain_endpoint_options.tls_security_policy",
                    ),
                ),
            },
        };
        let in_vpc = match rd.first("vpc_options") {
            Some(v) => Value::set(true, v.block_origin(), "vpc_options"),
            None => match rd.block.unknown_blocks_of("vpc_options") {
                Some(u) => Value::unknown(u.reason.clone(), rd.origin_at(u.pos), "vpc_options"),
                None => Value::defaulted(false, rd.owner_origin(), "vpc_options"),
            },
        };
        aws.search_domains.push(SearchDomain {
            meta: ctx.meta(r),
            encrypt_at_rest: enabled(&rd, "encrypt_at_rest"),
            kms_key,
            node_to_node_encryption: enabled(&rd, "node_to_node_encryption"),
            enforce_https,
            tls_security_policy,
            in_vpc,
            access_policy: resource_policy(ctx, &policies, r, "access_policies", "access_policies"),
            log_types: log_types(&rd),
        });
    }
}
