//! Resource Groups Tagging API in one region: the tags of the data stores the scan read,
//! and the `aws.data_stores` collection (one [`DataStore`] per data store, with its
//! tags) built from them.
//!
//! One paginated `tag:GetResources` call series per account and region, filtered to the
//! data-store resource types ([`RESOURCE_TYPES`]). `GetResources` only returns resources
//! that have (or once had) tags, so a data store the scan read and the complete answer
//! does not hold has no tags: known empty. When the call is denied, throttled or fails,
//! every data store of the region gets unknown tags with the reason, and the coverage of
//! `aws.data_stores` there says so: AWS-TAG-001 and custom policies reading the tags are
//! not evaluated, never passed.
//!
//! S3 buckets are not asked for: their tags come from `GetBucketTagging` (read with the
//! rest of each bucket), and each bucket is one data store in its own region.
//!
//! The data stores double as the live side table of ARN → tags that `[drift]
//! unmanaged_allow` tag entries match against: every resource of these kinds whose tags
//! were read has them in `aws.data_stores` under its ARN.

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_resourcegroupstagging::Client;

use super::ctx::{ApiError, Scope, Shared};
use crate::coverage::Coverage;
use crate::model::aws::classification::DataStore;
use crate::model::aws::tags::Tags;
use crate::model::aws::AwsModel;
use crate::model::{ResourceMeta, Value};

/// The service name of the calls, as IAM names its actions (`tag:GetResources`).
const SVC: &str = "tag";

/// The `GetResources` resource-type filters (`service:type`, as in the ARNs): every
/// data-store kind the live scan reads except S3 buckets. DocumentDB and Neptune clusters
/// are `rds:cluster` resources, OpenSearch and Elasticsearch domains `es:domain`.
pub const RESOURCE_TYPES: &[&str] = &[
    "rds:db",
    "rds:cluster",
    "dynamodb:table",
    "elasticfilesystem:file-system",
    "elasticache:replicationgroup",
    "redshift:cluster",
    "es:domain",
    "ec2:volume",
    "kinesis:stream",
    "backup:backup-vault",
];

/// The model collections data stores are made of. `aws.data_stores` is complete in a
/// scope only where all of these are (and the tags were read): a data store of a
/// service that could not be listed is missing from it.
pub const SOURCES: &[&str] = &[
    "aws.s3_buckets",
    "aws.db_instances",
    "aws.db_clusters",
    "aws.dynamodb_tables",
    "aws.efs_file_systems",
    "aws.elasticache_replication_groups",
    "aws.redshift_clusters",
    "aws.search_domains",
    "aws.docdb_clusters",
    "aws.neptune_clusters",
    "aws.ebs_volumes",
    "aws.kinesis_streams",
    "aws.backup_vaults",
];

/// The tags of one region's tagged data stores, by ARN, as `GetResources` returned them
/// to the last page.
pub type TagsByArn = BTreeMap<String, Tags>;

/// Reads the tags of every data store of `scope.region` (`GetResources` filtered to
/// [`RESOURCE_TYPES`], every page). On failure the reason is warned about, and
/// `aws.data_stores` recorded as not listed there.
pub async fn read(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> Result<TagsByArn, ApiError> {
    let c = Client::new(cfg);
    let types: Vec<String> = RESOURCE_TYPES.iter().map(|t| t.to_string()).collect();
    let pages = sh
        .pages(
            SVC,
            &scope.region,
            "GetResources",
            c.get_resources()
                .set_resource_type_filters(Some(types))
                .into_paginator()
                .send(),
        )
        .await;
    match pages {
        Ok(pages) => {
            let mut out = TagsByArn::new();
            for r in pages.iter().flat_map(|p| p.resource_tag_mapping_list()) {
                let Some(arn) = r.resource_arn() else {
                    continue;
                };
                let tags = out.entry(arn.to_string()).or_default();
                for t in r.tags() {
                    tags.known
                        .insert(t.key().to_string(), t.value().to_string());
                }
            }
            sh.progress.unit_done(out.len());
            Ok(out)
        }
        Err(e) => {
            sh.warn(format!(
                "tags of the data stores not evaluated: {}",
                e.reason
            ));
            sh.not_listed(scope, &["aws.data_stores"], &e);
            sh.progress.unit_done(0);
            Err(e)
        }
    }
}

/// The tags of the resource `meta` from the region's answer: the tags returned, none
/// when the complete answer does not hold it, unknown with the reason when it failed.
fn tags_of(meta: &ResourceMeta, tags: &Result<TagsByArn, ApiError>) -> Value<Tags> {
    let o = meta.origin.clone();
    match tags {
        Ok(by_arn) => match by_arn.get(&*meta.address) {
            Some(t) => Value::set(t.clone(), o, "tags"),
            None => Value::defaulted(Tags::default(), o, "tags"),
        },
        Err(e) => e.unknown(o, "tags"),
    }
}

/// One data store per data-store resource of `parts` (one region's services), with its
/// tags from `tags`. Aurora members (instances of a cluster) are covered by their
/// cluster, as in Terraform.
pub fn data_stores(parts: &[AwsModel], tags: &Result<TagsByArn, ApiError>) -> Vec<DataStore> {
    let mut out = Vec::new();
    for m in parts {
        let metas = m
            .db_instances
            .iter()
            .filter(|i| i.cluster.is_none())
            .map(|i| &i.meta)
            .chain(m.db_clusters.iter().map(|r| &r.meta))
            .chain(m.dynamodb_tables.iter().map(|r| &r.meta))
            .chain(m.efs_file_systems.iter().map(|r| &r.meta))
            .chain(m.elasticache_replication_groups.iter().map(|r| &r.meta))
            .chain(m.redshift_clusters.iter().map(|r| &r.meta))
            .chain(m.search_domains.iter().map(|r| &r.meta))
            .chain(m.docdb_clusters.iter().map(|r| &r.meta))
            .chain(m.neptune_clusters.iter().map(|r| &r.meta))
            .chain(m.ebs_volumes.iter().map(|r| &r.meta))
            .chain(m.kinesis_streams.iter().map(|r| &r.meta))
            .chain(m.backup_vaults.iter().map(|r| &r.meta));
        for meta in metas {
            out.push(DataStore {
                meta: meta.clone(),
                tags: tags_of(meta, tags),
            });
        }
    }
    out
}

/// One data store per S3 bucket of `m`, in the bucket's own region, with the tags
/// `GetBucketTagging` gave.
pub fn bucket_stores(m: &AwsModel) -> Vec<DataStore> {
    m.s3_buckets
        .iter()
        .map(|b| DataStore {
            meta: b.meta.clone(),
            tags: b.tags.clone(),
        })
        .collect()
}

/// Makes `aws.data_stores` incomplete wherever one of its [`SOURCES`] is: a service
/// denied or failed in a scope leaves its data stores out of the collection there.
pub fn derive_coverage(coverage: &mut Coverage) {
    let incomplete: Vec<_> = coverage
        .entries()
        .filter(|e| SOURCES.contains(&e.collection.as_str()) && !e.status.is_complete())
        .collect();
    for e in incomplete {
        coverage.record(e.scope, "aws.data_stores", e.status);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::Status;
    use crate::model::aws::kinesis::KinesisStream;
    use crate::model::Resolved;

    fn scope() -> Scope {
        Scope {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        }
    }

    fn stream(name: &str) -> KinesisStream {
        let s = scope();
        let meta = s.meta(
            &s.arn("kinesis", &format!("stream/{name}")),
            "aws_kinesis_stream",
        );
        let o = meta.origin.clone();
        KinesisStream {
            encryption_type: Value::set("KMS".into(), o.clone(), "encryption_type"),
            kms_key: Value::defaulted(None, o.clone(), "kms_key_id"),
            retention_hours: Value::defaulted(24, o, "retention_period"),
            meta,
        }
    }

    fn model() -> AwsModel {
        AwsModel {
            kinesis_streams: vec![stream("tagged"), stream("untagged")],
            ..AwsModel::default()
        }
    }

    /// A store the complete answer holds has its tags; one it does not hold has none.
    #[test]
    fn tags_from_a_complete_answer() {
        let mut answer = TagsByArn::new();
        let mut t = Tags::default();
        t.known
            .insert("DataClassification".into(), "internal".into());
        answer.insert(
            "arn:aws:kinesis:eu-west-1:123456789012:stream/tagged".into(),
            t.clone(),
        );
        let stores = data_stores(&[model()], &Ok(answer));
        assert_eq!(stores.len(), 2);
        assert_eq!(stores[0].tags.value, Resolved::Set(t));
        assert_eq!(stores[1].tags.value, Resolved::Defaulted(Tags::default()));
        assert_eq!(stores[1].meta.rtype.as_ref(), "aws_kinesis_stream");
    }

    /// A failed answer makes every store's tags unknown with the reason, never empty.
    #[test]
    fn tags_unknown_when_the_call_failed() {
        let e = ApiError {
            code: Some("AccessDeniedException".into()),
            reason: "tag:GetResources in eu-west-1 failed: AccessDeniedException (HTTP 400)".into(),
        };
        let stores = data_stores(&[model()], &Err(e));
        assert_eq!(stores.len(), 2);
        for s in &stores {
            assert_eq!(
                s.tags.unknown_reason(),
                Some("tag:GetResources in eu-west-1 failed: AccessDeniedException (HTTP 400)")
            );
        }
    }

    /// A source collection denied in a scope makes the data stores incomplete there.
    #[test]
    fn data_stores_incomplete_where_a_source_is() {
        let mut c = Coverage::default();
        let us = "aws:123456789012/us-east-1";
        let eu = "aws:123456789012/eu-west-1";
        for s in [us, eu] {
            c.read(s, "aws.data_stores", 0);
            c.read(s, "aws.kinesis_streams", 0);
        }
        let denied = Status::Denied {
            call: "kinesis:ListStreams".into(),
            reason: "AccessDeniedException".into(),
        };
        c.record(eu, "aws.kinesis_streams", denied.clone());
        derive_coverage(&mut c);
        let status = |s: &str| {
            c.entries()
                .find(|e| &*e.scope == s && e.collection == "aws.data_stores")
                .map(|e| e.status)
        };
        assert_eq!(status(us), Some(Status::Read { count: 0 }));
        assert_eq!(status(eu), Some(denied));
    }
}
