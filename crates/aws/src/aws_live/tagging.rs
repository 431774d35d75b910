//! Resource Groups Tagging API in one region: the tags of every tagged resource of the
//! region, kept as `aws.resource_tags` (the live side table of ARN → tags), and the
//! `aws.data_stores` collection (one [`DataStore`] per data store, with its tags) built
//! from the same answer.
//!
//! One paginated `tag:GetResources` call series per account and region, without a
//! resource-type filter: the answer holds every resource of the region that has (or once
//! had) tags, whatever its kind. A data store the scan read and the complete answer does
//! not hold has no tags: known empty. When the call is denied, throttled or fails, every
//! data store of the region gets unknown tags with the reason, and the coverage of
//! `aws.data_stores` and `aws.resource_tags` there says so: AWS-TAG-001, custom policies
//! reading the tags and `[drift] unmanaged_allow` tag entries are not evaluated, never
//! passed.
//!
//! S3 buckets are left out of `aws.resource_tags`: their tags come from
//! `GetBucketTagging` (read with the rest of each bucket, in the bucket's record), and
//! each bucket is one data store in its own region. A region's answer is kept for the
//! resources of that region (and, in `us-east-1`, those whose ARNs name no region, as
//! CloudFront distributions): the API lists nothing else on AWS, and emulators that list
//! global resources in every region do not make them repeat.
//!
//! IAM roles and users are not in the API's answer: their tags come with
//! `GetAccountAuthorizationDetails` (see `iam.rs`).
//!
//! The same answer says what the scan did not judge: every tagged resource of a kind
//! the live scan does not read (a SageMaker endpoint, an SSM parameter, a Step
//! Functions state machine) is counted as *not covered* by its ARN's type
//! (`aws:ssm:parameter`; see [`not_covered`] and [`READ_TYPES`]). Only resources that
//! carry (or once carried) tags are visible this way: an untagged resource of a kind
//! the scan does not read is in no answer the scan gets, and is not counted.

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_resourcegroupstagging::Client;

use super::ctx::{ApiError, Scope, Shared};
use crate::coverage::{Coverage, Unmodelled};
use crate::model::aws::classification::DataStore;
use crate::model::aws::tags::{ResourceTags, Tags};
use crate::model::aws::AwsModel;
use crate::model::{ResourceMeta, Value};

/// The service name of the calls, as IAM names its actions (`tag:GetResources`).
const SVC: &str = "tag";

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

/// The tags of one region's tagged resources, by ARN, as `GetResources` returned them
/// to the last page.
pub type TagsByArn = BTreeMap<String, Tags>;

/// Whether the answer of `region` holds `arn` as a resource of its own: one of that
/// region's, or, in `us-east-1`, one whose ARN names no region (CloudFront). S3 buckets
/// are not (their own records hold their tags).
fn of_region(arn: &str, region: &str) -> bool {
    let mut parts = arn.splitn(6, ':');
    let service = parts.nth(2).unwrap_or_default();
    let arn_region = parts.next().unwrap_or_default();
    service != "s3" && (arn_region == region || (arn_region.is_empty() && region == "us-east-1"))
}

/// Reads the tags of every tagged resource of `scope.region` (`GetResources` without a
/// resource-type filter, every page). On failure the reason is warned about, and
/// `aws.data_stores` and `aws.resource_tags` recorded as not listed there.
pub async fn read(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> Result<TagsByArn, ApiError> {
    let c = Client::new(cfg);
    let pages = sh
        .pages(SVC, &scope.region, "GetResources", || {
            c.get_resources().into_paginator().send()
        })
        .await;
    match pages {
        Ok(pages) => {
            let mut out = TagsByArn::new();
            for r in pages.iter().flat_map(|p| p.resource_tag_mapping_list()) {
                let Some(arn) = r.resource_arn().filter(|a| of_region(a, &scope.region)) else {
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
                "tags of the data stores and other resources not evaluated: {}",
                e.reason
            ));
            sh.not_listed(scope, &["aws.data_stores", "aws.resource_tags"], &e);
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

/// The entries of `aws.resource_tags` of the region of `scope`: one per tagged resource
/// the complete answer holds; none when the call failed (the coverage says so).
pub fn resource_tags(scope: &Scope, tags: &Result<TagsByArn, ApiError>) -> Vec<ResourceTags> {
    let Ok(by_arn) = tags else {
        return Vec::new();
    };
    by_arn
        .iter()
        .map(|(arn, t)| {
            let meta = scope.meta(arn, &arn_type(arn));
            ResourceTags {
                tags: Value::set(t.clone(), meta.origin.clone(), "tags"),
                meta,
            }
        })
        .collect()
}

/// The resource type an ARN names, `service:type` (`ec2:security-group`,
/// `sqs:queue` for a queue's `arn:aws:sqs:r:a:name`, `iam:role`). The type of an API
/// Gateway path is its fixed segments (`apigateway:restapis/stages` for
/// `/restapis/ID/stages/NAME`); a WAFv2 type names its scope (`wafv2:regional/webacl`
/// for `regional/webacl/NAME/ID`, `wafv2:global/webacl` for CloudFront's).
pub fn arn_type(arn: &str) -> String {
    let mut parts = arn.splitn(6, ':');
    let service = parts.nth(2).unwrap_or_default();
    let resource = parts.nth(2).unwrap_or_default();
    let kind = match (service, resource.strip_prefix('/')) {
        // `/restapis/ID/stages/NAME`: the segments that are not names or ids.
        ("apigateway", Some(path)) => path.split('/').step_by(2).collect::<Vec<_>>().join("/"),
        // `regional/webacl/NAME/ID`: the scope and the kind.
        ("wafv2", _) => resource.split('/').take(2).collect::<Vec<_>>().join("/"),
        _ => match resource.split_once(['/', ':']) {
            Some((kind, _)) => kind.to_string(),
            // The resource is a bare name (an SQS queue, an SNS topic).
            None => match service {
                "sqs" => "queue",
                "sns" => "topic",
                _ => "",
            }
            .to_string(),
        },
    };
    if kind.is_empty() {
        service.to_string()
    } else {
        format!("{service}:{kind}")
    }
}

/// The ARN types ([`arn_type`]) of the resources the live scan reads, with the model
/// collection that holds them: the ARNs the adapters of this module give their
/// resources, service by service. A tagged resource of any other type is counted as not
/// covered ([`not_covered`]). Account and region settings the adapters record under an
/// ARN of their own (EBS encryption by default, the password policy, the account public
/// access block, the IAM root user) are no resources the tagging API lists.
pub const READ_TYPES: &[(&str, &str)] = &[
    // apigateway.rs
    ("apigateway:restapis/stages", "aws.api_stages"),
    ("apigateway:apis/stages", "aws.api_stages"),
    ("apigateway:domainnames", "aws.api_domain_names"),
    // autoscaling.rs
    ("autoscaling:autoScalingGroup", "aws.autoscaling_groups"),
    ("autoscaling:launchConfiguration", "aws.launch_templates"),
    ("ec2:launch-template", "aws.launch_templates"),
    // backup.rs
    ("backup:backup-vault", "aws.backup_vaults"),
    ("backup:backup-plan", "aws.backup_plans"),
    // cloudfront.rs
    ("cloudfront:distribution", "aws.cloudfront_distributions"),
    // cloudtrail.rs
    ("cloudtrail:trail", "aws.cloudtrails"),
    // cloudwatch.rs
    ("cloudwatch:alarm", "aws.metric_alarms"),
    // config.rs
    ("config:configuration-recorder", "aws.config_recorders"),
    // rds.rs, docdb.rs (DocumentDB and Neptune clusters are RDS clusters by ARN)
    ("rds:db", "aws.db_instances"),
    ("rds:cluster", "aws.db_clusters"),
    ("rds:cluster", "aws.docdb_clusters"),
    ("rds:cluster", "aws.neptune_clusters"),
    ("rds:pg", "aws.db_parameter_groups"),
    ("rds:cluster-pg", "aws.db_parameter_groups"),
    // dynamodb.rs
    ("dynamodb:table", "aws.dynamodb_tables"),
    // ec2.rs, nacl.rs
    ("ec2:security-group", "aws.security_groups"),
    ("ec2:volume", "aws.ebs_volumes"),
    ("ec2:vpc", "aws.vpcs"),
    ("ec2:subnet", "aws.subnets"),
    ("ec2:instance", "aws.instances"),
    ("ec2:snapshot", "aws.ebs_snapshots"),
    ("ec2:image", "aws.ami_launch_permissions"),
    ("ec2:network-acl", "aws.network_acl_rules"),
    // ecr.rs
    ("ecr:repository", "aws.ecr_repositories"),
    // ecs.rs
    ("ecs:service", "aws.ecs_services"),
    ("ecs:task-definition", "aws.ecs_task_definitions"),
    // efs.rs
    ("elasticfilesystem:file-system", "aws.efs_file_systems"),
    // eks.rs
    ("eks:cluster", "aws.eks_clusters"),
    // elasticache.rs
    (
        "elasticache:replicationgroup",
        "aws.elasticache_replication_groups",
    ),
    ("elasticache:cluster", "aws.elasticache_clusters"),
    // elb.rs (application, network and classic load balancers)
    ("elasticloadbalancing:loadbalancer", "aws.load_balancers"),
    ("elasticloadbalancing:listener", "aws.lb_listeners"),
    // emr.rs
    ("elasticmapreduce:cluster", "aws.emr_clusters"),
    (
        "elasticmapreduce:security-configuration",
        "aws.emr_security_configurations",
    ),
    // glacier.rs
    ("glacier:vaults", "aws.glacier_vaults"),
    // guardduty.rs
    ("guardduty:detector", "aws.guardduty_detectors"),
    // iam.rs (global: in no region's answer, but in `aws.resource_tags`)
    ("iam:user", "aws.iam_users"),
    ("iam:role", "aws.iam_roles"),
    ("iam:group", "aws.iam_groups"),
    ("iam:policy", "aws.iam_policies"),
    // kinesis.rs
    ("kinesis:stream", "aws.kinesis_streams"),
    // kms.rs
    ("kms:key", "aws.kms_keys"),
    // lambda.rs (functions are read for their resource policies)
    ("lambda:function", "aws.lambda_permissions"),
    // logs.rs
    ("logs:log-group", "aws.log_groups"),
    // msk.rs
    ("kafka:cluster", "aws.msk_clusters"),
    // opensearch.rs
    ("es:domain", "aws.search_domains"),
    // redshift.rs
    ("redshift:cluster", "aws.redshift_clusters"),
    ("redshift:parametergroup", "aws.redshift_parameter_groups"),
    // s3.rs (buckets are left out of the answer: their own records hold their tags)
    ("s3", "aws.s3_buckets"),
    // secretsmanager.rs
    ("secretsmanager:secret", "aws.secrets"),
    // ses.rs
    ("ses:identity", "aws.ses_identity_policies"),
    // sns.rs, sqs.rs
    ("sns:topic", "aws.sns_topics"),
    ("sqs:queue", "aws.sqs_queues"),
    // waf.rs (regional web ACLs; CloudFront's, `global/webacl`, are not read)
    ("wafv2:regional/webacl", "aws.web_acls"),
];

/// The tagged resources of `resource_tags` (the live tags table, its `rtype` the ARN's
/// type) of types the scan does not read ([`READ_TYPES`]), counted as not covered by
/// `aws:<service>:<type>` (`aws:ssm:parameter`, `aws:sagemaker:endpoint`). Only
/// resources that carry (or once carried) tags are in the table: untagged resources of
/// those kinds are not counted.
pub fn not_covered(resource_tags: &[ResourceTags]) -> Unmodelled {
    let mut out = Unmodelled::default();
    for r in resource_tags {
        if !READ_TYPES.iter().any(|(t, _)| *t == &*r.meta.rtype) {
            out.count(&format!("aws:{}", r.meta.rtype));
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

    /// A region's answer is kept for that region's resources (and, in us-east-1, those
    /// whose ARNs name no region); buckets never (their own records hold their tags).
    #[test]
    fn answer_kept_for_the_region_of_the_call() {
        let sg = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1";
        let dist = "arn:aws:cloudfront::123456789012:distribution/E1";
        assert!(of_region(sg, "eu-west-1"));
        assert!(!of_region(sg, "us-east-1"));
        assert!(of_region(dist, "us-east-1"));
        assert!(!of_region(dist, "eu-west-1"));
        assert!(!of_region("arn:aws:s3:::bucket", "us-east-1"));
        assert!(!of_region("not-an-arn", "eu-west-1"));
    }

    /// The type an ARN names, as `service:type`.
    #[test]
    fn arn_types() {
        for (arn, want) in [
            (
                "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1",
                "ec2:security-group",
            ),
            ("arn:aws:sqs:eu-west-1:123456789012:jobs", "sqs:queue"),
            ("arn:aws:sns:eu-west-1:123456789012:alerts", "sns:topic"),
            ("arn:aws:rds:eu-west-1:123456789012:db:orders", "rds:db"),
            ("arn:aws:iam::123456789012:role/exec", "iam:role"),
            (
                "arn:aws:cloudfront::123456789012:distribution/E1",
                "cloudfront:distribution",
            ),
            (
                "arn:aws:apigateway:eu-west-1::/restapis/a1b2/stages/prod",
                "apigateway:restapis/stages",
            ),
            (
                "arn:aws:apigateway:eu-west-1::/restapis/a1b2",
                "apigateway:restapis",
            ),
            (
                "arn:aws:apigateway:eu-west-1::/domainnames/api.example.com",
                "apigateway:domainnames",
            ),
            (
                "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/main/1",
                "wafv2:regional/webacl",
            ),
            (
                "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1",
                "wafv2:global/webacl",
            ),
            (
                "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:1-2:autoScalingGroupName/web",
                "autoscaling:autoScalingGroup",
            ),
            (
                "arn:aws:logs:eu-west-1:123456789012:log-group:app",
                "logs:log-group",
            ),
            (
                "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db",
                "ssm:parameter",
            ),
            (
                "arn:aws:states:eu-west-1:123456789012:stateMachine:flow",
                "states:stateMachine",
            ),
            ("arn:aws:s3:::bucket", "s3"),
            ("not-an-arn", ""),
        ] {
            assert_eq!(arn_type(arn), want, "{arn}");
        }
    }

    /// Every collection a type the scan reads is held in is one the live scan fills
    /// (and so a collection of the model).
    #[test]
    fn read_types_are_in_live_collections() {
        for (t, c) in READ_TYPES {
            assert!(
                AwsModel::COLLECTIONS.contains(c),
                "{t}: {c} is no collection of the model"
            );
            assert!(
                super::super::LIVE_COLLECTIONS.contains(c),
                "{t}: {c} is not read by the live scan"
            );
        }
    }

    /// Tagged resources of types the scan does not read are counted by type; those of
    /// types it reads (an SQS queue, a security group, an IAM role) are not.
    #[test]
    fn tagged_resources_not_read_are_not_covered() {
        let s = scope();
        let tagged = |arn: &str, rtype: &str| {
            let meta = s.meta(arn, rtype);
            ResourceTags {
                tags: Value::set(Tags::default(), meta.origin.clone(), "tags"),
                meta,
            }
        };
        let mut table: Vec<ResourceTags> = [
            s.arn("ssm", "parameter/app/db"),
            s.arn("ssm", "parameter/app/key"),
            s.arn("sagemaker", "endpoint/churn"),
            s.arn("ec2", "security-group/sg-1"),
            s.arn("sqs", "jobs"),
            s.arn("apigateway", "/restapis/a1b2"),
            format!(
                "arn:aws:apigateway:{}::/restapis/a1b2/stages/prod",
                s.region
            ),
            s.arn("wafv2", "global/webacl/edge/1"),
            s.arn("wafv2", "regional/webacl/main/1"),
        ]
        .iter()
        .map(|arn| tagged(arn, &arn_type(arn)))
        .collect();
        table.push(tagged(&s.global_arn("iam", "role/exec"), "iam:role"));
        let counted = not_covered(&table);
        assert_eq!(
            counted.types,
            BTreeMap::from([
                ("aws:apigateway:restapis".to_string(), 1),
                ("aws:sagemaker:endpoint".to_string(), 1),
                ("aws:ssm:parameter".to_string(), 2),
                ("aws:wafv2:global/webacl".to_string(), 1),
            ])
        );
        assert!(not_covered(&[]).types.is_empty());
    }

    /// One table entry per tagged resource of a complete answer, at the call's scope;
    /// none when the call failed (the coverage says so, not an empty table).
    #[test]
    fn resource_tags_from_the_answer() {
        let sg = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1";
        let mut t = Tags::default();
        t.known.insert("ManagedBy".into(), "cdk".into());
        let answer = TagsByArn::from([(sg.to_string(), t.clone())]);
        let table = resource_tags(&scope(), &Ok(answer));
        assert_eq!(table.len(), 1);
        assert_eq!(&*table[0].meta.address, sg);
        assert_eq!(&*table[0].meta.rtype, "ec2:security-group");
        assert_eq!(table[0].tags.value, Resolved::Set(t));
        let e = ApiError {
            code: Some("AccessDeniedException".into()),
            reason: "denied".into(),
        };
        assert!(resource_tags(&scope(), &Err(e)).is_empty());
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
