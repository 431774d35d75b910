//! Amazon OpenSearch Service in one region: every domain (OpenSearch and Elasticsearch
//! engines) with its encryption at rest and between nodes, endpoint HTTPS and TLS
//! policy, network placement, access policy and log publishing.

use aws_config::SdkConfig;
use aws_sdk_opensearch::types::DomainStatus;
use aws_sdk_opensearch::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::iam::PolicyDocument;
use crate::model::aws::opensearch::SearchDomain;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "es";
/// The most domains one `DescribeDomains` call takes.
const BATCH: usize = 5;
/// The TLS policy the API applies when none is given.
const DEFAULT_TLS_POLICY: &str = "Policy-Min-TLS-1-0-2019-07";

/// Reads every domain of `scope.region`: `ListDomainNames` (one answer with every
/// domain; the API has no pagination) and `DescribeDomains` by five names. A batch that
/// cannot be described leaves its domains' settings unknown.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(list) = sh.listed(
        scope,
        "OpenSearch domains",
        &["aws.search_domains"],
        sh.call(SVC, r, "ListDomainNames", || c.list_domain_names().send())
            .await,
    ) else {
        return m;
    };
    let mut names: Vec<String> = list
        .domain_names()
        .iter()
        .filter_map(|d| d.domain_name().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    let batches = join_all(names.chunks(BATCH).map(|chunk| {
        let c = &c;
        async move {
            let out = sh
                .call(SVC, r, "DescribeDomains", || {
                    c.describe_domains()
                        .set_domain_names(Some(chunk.to_vec()))
                        .send()
                })
                .await;
            match out {
                Ok(o) => {
                    let found = o.domain_status_list();
                    chunk
                        .iter()
                        .map(|n| match found.iter().find(|d| d.domain_name() == n) {
                            Some(d) => domain(scope, d),
                            None => unknown_domain(
                                scope,
                                n,
                                &format!("es:DescribeDomains in {r} did not describe domain {n}"),
                            ),
                        })
                        .collect::<Vec<_>>()
                }
                Err(e) => chunk
                    .iter()
                    .map(|n| unknown_domain(scope, n, &e.reason))
                    .collect(),
            }
        }
    }))
    .await;
    m.search_domains = batches.into_iter().flatten().collect();
    sh.progress.unit_done(m.search_domains.len());
    m
}

fn flag(v: Option<bool>, o: &Origin, path: &str) -> Value<bool> {
    match v {
        Some(x) => Value::set(x, o.clone(), path),
        None => Value::defaulted(false, o.clone(), path),
    }
}

/// The Terraform type a domain corresponds to, by its engine.
fn rtype(d: &DomainStatus) -> &'static str {
    if d.engine_version()
        .is_some_and(|v| v.starts_with("Elasticsearch_"))
    {
        "aws_elasticsearch_domain"
    } else {
        "aws_opensearch_domain"
    }
}

fn domain(scope: &Scope, d: &DomainStatus) -> SearchDomain {
    let arn = if d.arn().is_empty() {
        scope.arn(SVC, &format!("domain/{}", d.domain_name()))
    } else {
        d.arn().to_string()
    };
    let meta = scope.meta(&arn, rtype(d));
    let o = meta.origin.clone();
    let at_rest = d.encryption_at_rest_options();
    let endpoint = d.domain_endpoint_options();
    let mut logs: Vec<String> = d
        .log_publishing_options()
        .map(|m| {
            m.iter()
                .filter(|(_, opt)| opt.enabled() == Some(true))
                .map(|(k, _)| k.as_str().to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    logs.sort();
    logs.dedup();
    let in_vpc = d.vpc_options().is_some_and(|v| !v.subnet_ids().is_empty());
    SearchDomain {
        encrypt_at_rest: flag(
            at_rest.and_then(|a| a.enabled()),
            &o,
            "encrypt_at_rest.enabled",
        ),
        kms_key: match at_rest.and_then(|a| a.kms_key_id()) {
            Some(k) => Value::set(Some(k.to_string()), o.clone(), "encrypt_at_rest.kms_key_id"),
            None => Value::defaulted(None, o.clone(), "encrypt_at_rest.kms_key_id"),
        },
        node_to_node_encryption: flag(
            d.node_to_node_encryption_options()
                .and_then(|n| n.enabled()),
            &o,
            "node_to_node_encryption.enabled",
        ),
        enforce_https: flag(
            endpoint.and_then(|e| e.enforce_https()),
            &o,
            "domain_endpoint_options.enforce_https",
        ),
        tls_security_policy: match endpoint.and_then(|e| e.tls_security_policy()) {
            Some(p) => Value::set(
                p.as_str().to_string(),
                o.clone(),
                "domain_endpoint_options.tls_security_policy",
            ),
            None => Value::defaulted(
                DEFAULT_TLS_POLICY.to_string(),
                o.clone(),
                "domain_endpoint_options.tls_security_policy",
            ),
        },
        in_vpc: if in_vpc {
            Value::set(true, o.clone(), "vpc_options")
        } else {
            Value::defaulted(false, o.clone(), "vpc_options")
        },
        access_policy: access_policy(d.access_policies(), &o),
        log_types: if logs.is_empty() {
            Value::defaulted(logs, o, "log_publishing_options")
        } else {
            Value::set(logs, o, "log_publishing_options")
        },
        meta,
    }
}

/// The domain's access policy (`access_policies`); the empty default document when it
/// has none.
fn access_policy(text: Option<&str>, o: &Origin) -> Value<PolicyDocument> {
    let v = super::sqs::policy(text, o);
    Value {
        path: "access_policies".into(),
        ..v
    }
}

/// A domain whose settings could not be read: every value unknown with `reason`.
fn unknown_domain(scope: &Scope, name: &str, reason: &str) -> SearchDomain {
    let arn = scope.arn(SVC, &format!("domain/{name}"));
    let meta = scope.meta(&arn, "aws_opensearch_domain");
    let o = meta.origin.clone();
    SearchDomain {
        encrypt_at_rest: unknown(reason, &o, "encrypt_at_rest.enabled"),
        kms_key: unknown(reason, &o, "encrypt_at_rest.kms_key_id"),
        node_to_node_encryption: unknown(reason, &o, "node_to_node_encryption.enabled"),
        enforce_https: unknown(reason, &o, "domain_endpoint_options.enforce_https"),
        tls_security_policy: unknown(reason, &o, "domain_endpoint_options.tls_security_policy"),
        in_vpc: unknown(reason, &o, "vpc_options"),
        access_policy: unknown(reason, &o, "access_policies"),
        log_types: unknown(reason, &o, "log_publishing_options"),
        meta,
    }
}

fn unknown<T>(reason: &str, o: &Origin, path: &str) -> Value<T> {
    Value::unknown(reason.to_string(), o.clone(), path)
}
