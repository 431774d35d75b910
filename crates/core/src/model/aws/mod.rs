//! AWS resources in the typed model, one submodule per service. The Terraform adapter
//! and the live AWS adapter fill the same structs; field docs state the provider/API
//! default used when a value is not written.

pub mod classification;
pub mod cloudtrail;
pub mod cloudwatch_alarms;
pub mod config;
pub mod dynamodb;
pub mod ec2;
pub mod eks;
pub mod elb;
pub mod guardduty;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod links;
pub mod rds;
pub mod s3;
pub mod waf;
// Storage, messaging, delivery, backup and availability services.
pub mod apigateway;
pub mod autoscaling;
pub mod backup;
pub mod cloudfront;
pub mod cloudwatch_logs;
pub mod docdb;
pub mod ebs_snapshot;
pub mod ecr;
pub mod ecs;
pub mod efs;
pub mod elasticache;
pub mod emr;
pub mod glacier;
pub mod kinesis;
pub mod msk;
pub mod neptune;
pub mod opensearch;
pub mod policy_json;
pub mod redshift;
pub mod secretsmanager;
pub mod ses;
pub mod sns;
pub mod sqs;
pub mod tags;

use serde::{Deserialize, Serialize};

/// All AWS resources known to the scan.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct AwsModel {
    /// S3 buckets with their joined configuration.
    pub s3_buckets: Vec<s3::S3Bucket>,
    /// S3 server access logging configurations (which bucket receives whose logs).
    pub s3_bucket_loggings: Vec<s3::S3BucketLogging>,
    /// RDS DB instances (incl. Aurora cluster members).
    pub db_instances: Vec<rds::DbInstance>,
    /// RDS DB clusters.
    pub db_clusters: Vec<rds::DbCluster>,
    /// EBS volumes.
    pub ebs_volumes: Vec<ec2::EbsVolume>,
    /// EBS encryption-by-default settings (one per account and region).
    pub ebs_encryption_by_default: Vec<ec2::EbsEncryptionByDefault>,
    /// Security groups.
    pub security_groups: Vec<ec2::SecurityGroup>,
    /// Security-group rules (inline and separate), each tied to its group when possible.
    pub security_group_rules: Vec<ec2::SecurityGroupRule>,
    /// VPCs with their flow-log coverage.
    pub vpcs: Vec<ec2::Vpc>,
    /// Subnets.
    pub subnets: Vec<ec2::Subnet>,
    /// EC2 instances.
    pub instances: Vec<ec2::Instance>,
    /// DynamoDB tables.
    pub dynamodb_tables: Vec<dynamodb::DynamoDbTable>,
    /// KMS keys.
    pub kms_keys: Vec<kms::KmsKey>,
    /// Load balancers.
    pub load_balancers: Vec<elb::LoadBalancer>,
    /// Load-balancer listeners.
    pub lb_listeners: Vec<elb::Listener>,
    /// Account password policies.
    pub password_policies: Vec<iam::PasswordPolicy>,
    /// IAM users.
    pub iam_users: Vec<iam::IamUser>,
    /// IAM groups.
    pub iam_groups: Vec<iam::IamGroup>,
    /// IAM roles.
    pub iam_roles: Vec<iam::IamRole>,
    /// Customer managed IAM policies.
    pub iam_policies: Vec<iam::IamPolicy>,
    /// IAM account summaries (the root user's MFA and access keys), one per account.
    pub iam_account_summaries: Vec<iam::AccountSummary>,
    /// CloudTrail trails.
    pub cloudtrails: Vec<cloudtrail::Trail>,
    // Identity, monitoring, network and exposure resources.
    /// IAM user access keys.
    pub iam_access_keys: Vec<iam::AccessKey>,
    /// Network ACL rules (inline and separate).
    pub network_acl_rules: Vec<ec2::NetworkAclRule>,
    /// Launch templates and launch configurations.
    pub launch_templates: Vec<ec2::LaunchTemplate>,
    /// AMI launch permissions.
    pub ami_launch_permissions: Vec<ec2::AmiLaunchPermission>,
    /// Account-level S3 public access blocks.
    pub s3_account_public_access_blocks: Vec<s3::AccountPublicAccessBlock>,
    /// EKS clusters.
    pub eks_clusters: Vec<eks::EksCluster>,
    /// GuardDuty detectors.
    pub guardduty_detectors: Vec<guardduty::Detector>,
    /// AWS Config configuration recorders.
    pub config_recorders: Vec<config::ConfigRecorder>,
    /// CloudWatch Logs metric filters.
    pub metric_filters: Vec<cloudwatch_alarms::MetricFilter>,
    /// CloudWatch metric alarms.
    pub metric_alarms: Vec<cloudwatch_alarms::MetricAlarm>,
    /// WAFv2 web ACLs.
    pub web_acls: Vec<waf::WebAcl>,
    /// WAFv2 web ACL associations.
    pub web_acl_associations: Vec<waf::WebAclAssociation>,
    /// Lambda function permissions.
    pub lambda_permissions: Vec<lambda::LambdaPermission>,
    /// Data stores with their tags (for classification).
    pub data_stores: Vec<classification::DataStore>,
    // Storage, messaging, delivery, backup and availability resources.
    /// RDS DB parameter groups and DB cluster parameter groups.
    pub db_parameter_groups: Vec<rds::DbParameterGroup>,
    /// EBS snapshots and snapshot copies.
    pub ebs_snapshots: Vec<ebs_snapshot::EbsSnapshot>,
    /// EFS file systems.
    pub efs_file_systems: Vec<efs::EfsFileSystem>,
    /// ElastiCache replication groups.
    pub elasticache_replication_groups: Vec<elasticache::ReplicationGroup>,
    /// ElastiCache cache clusters.
    pub elasticache_clusters: Vec<elasticache::CacheCluster>,
    /// Redshift clusters.
    pub redshift_clusters: Vec<redshift::RedshiftCluster>,
    /// Redshift parameter groups.
    pub redshift_parameter_groups: Vec<redshift::RedshiftParameterGroup>,
    /// OpenSearch / Elasticsearch domains.
    pub search_domains: Vec<opensearch::SearchDomain>,
    /// SNS topics.
    pub sns_topics: Vec<sns::SnsTopic>,
    /// SQS queues.
    pub sqs_queues: Vec<sqs::SqsQueue>,
    /// Kinesis data streams.
    pub kinesis_streams: Vec<kinesis::KinesisStream>,
    /// CloudWatch Logs log groups.
    pub log_groups: Vec<cloudwatch_logs::LogGroup>,
    /// Secrets Manager secrets.
    pub secrets: Vec<secretsmanager::SmSecret>,
    /// ECR repositories.
    pub ecr_repositories: Vec<ecr::EcrRepository>,
    /// AWS Backup vaults.
    pub backup_vaults: Vec<backup::BackupVault>,
    /// AWS Backup plans.
    pub backup_plans: Vec<backup::BackupPlan>,
    /// CloudFront distributions.
    pub cloudfront_distributions: Vec<cloudfront::Distribution>,
    /// API Gateway stages (REST and HTTP/WebSocket).
    pub api_stages: Vec<apigateway::ApiStage>,
    /// API Gateway custom domain names (REST and HTTP/WebSocket).
    pub api_domain_names: Vec<apigateway::ApiDomainName>,
    /// MSK clusters.
    pub msk_clusters: Vec<msk::MskCluster>,
    /// Auto Scaling groups.
    pub autoscaling_groups: Vec<autoscaling::AutoScalingGroup>,
    /// ECS services.
    pub ecs_services: Vec<ecs::EcsService>,
    /// ECS task definitions.
    pub ecs_task_definitions: Vec<ecs::EcsTaskDefinition>,
    /// DocumentDB clusters.
    pub docdb_clusters: Vec<docdb::DocDbCluster>,
    /// Neptune clusters.
    pub neptune_clusters: Vec<neptune::NeptuneCluster>,
    /// EMR security configurations.
    pub emr_security_configurations: Vec<emr::EmrSecurityConfiguration>,
    /// EMR clusters.
    pub emr_clusters: Vec<emr::EmrCluster>,
    /// S3 Glacier vaults.
    pub glacier_vaults: Vec<glacier::GlacierVault>,
    /// SES sending authorization policies.
    pub ses_identity_policies: Vec<ses::SesIdentityPolicy>,
    /// Live scans: the tags of every tagged resource, by ARN (derived: see
    /// [`tags::ResourceTags`]).
    pub resource_tags: Vec<tags::ResourceTags>,
}

impl AwsModel {
    /// The derived collections: they repeat data of the resources other collections hold
    /// (`aws.data_stores`, each data store again with its tags; `aws.resource_tags`, the
    /// live tags by ARN), under the same addresses. Drift compares a derived collection
    /// only for the fields no other collection of the resource holds, and names an
    /// unmanaged resource by its own collection; the live scan does not count their
    /// entries as resources.
    pub const DERIVED: &'static [&'static str] = &["aws.data_stores", "aws.resource_tags"];

    /// Number of resources, the entries of [`AwsModel::DERIVED`] collections not counted.
    pub fn primary_len(&self) -> usize {
        self.counts()
            .into_iter()
            .filter(|(c, _)| !Self::DERIVED.contains(c))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Generates [`AwsModel::extend`] and [`AwsModel::len`] from the list of fields. Both
/// destructure the model without `..`, so a field added to the struct and not to this
/// list is a compile error rather than resources silently dropped.
macro_rules! model_fields {
    ($($field:ident),* $(,)?) => {
        impl AwsModel {
            /// The name of every collection, as rules declare what they read and
            /// coverage reports it: `aws.` and the field name.
            pub const COLLECTIONS: &'static [&'static str] = &[$(concat!("aws.", stringify!($field))),*];

            /// Resources per collection, in [`AwsModel::COLLECTIONS`] order.
            pub fn counts(&self) -> Vec<(&'static str, usize)> {
                let AwsModel { $($field),* } = self;
                vec![$((concat!("aws.", stringify!($field)), $field.len())),*]
            }

            /// Every resource's identity with its collection, collection by collection.
            pub fn resources(&self) -> Vec<(&'static str, &crate::model::ResourceMeta)> {
                let AwsModel { $($field),* } = self;
                let mut out = Vec::with_capacity(self.len());
                $( out.extend($field.iter().map(|r| (concat!("aws.", stringify!($field)), &r.meta))); )*
                out
            }

            /// Appends every resource of `other` (another region, account or source).
            pub fn extend(&mut self, other: AwsModel) {
                let AwsModel { $($field),* } = other;
                $( self.$field.extend($field); )*
            }

            /// Number of resources of every kind (placeholders of unlisted services included).
            pub fn len(&self) -> usize {
                let AwsModel { $($field),* } = self;
                0 $( + $field.len() )*
            }

            /// Whether the model holds no resource.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
        }
    };
}

model_fields!(
    s3_buckets,
    s3_bucket_loggings,
    db_instances,
    db_clusters,
    ebs_volumes,
    ebs_encryption_by_default,
    security_groups,
    security_group_rules,
    vpcs,
    subnets,
    instances,
    dynamodb_tables,
    kms_keys,
    load_balancers,
    lb_listeners,
    password_policies,
    iam_users,
    iam_groups,
    iam_roles,
    iam_policies,
    iam_account_summaries,
    cloudtrails,
    iam_access_keys,
    network_acl_rules,
    launch_templates,
    ami_launch_permissions,
    s3_account_public_access_blocks,
    eks_clusters,
    guardduty_detectors,
    config_recorders,
    metric_filters,
    metric_alarms,
    web_acls,
    web_acl_associations,
    lambda_permissions,
    data_stores,
    db_parameter_groups,
    ebs_snapshots,
    efs_file_systems,
    elasticache_replication_groups,
    elasticache_clusters,
    redshift_clusters,
    redshift_parameter_groups,
    search_domains,
    sns_topics,
    sqs_queues,
    kinesis_streams,
    log_groups,
    secrets,
    ecr_repositories,
    backup_vaults,
    backup_plans,
    cloudfront_distributions,
    api_stages,
    api_domain_names,
    msk_clusters,
    autoscaling_groups,
    ecs_services,
    ecs_task_definitions,
    docdb_clusters,
    neptune_clusters,
    emr_security_configurations,
    emr_clusters,
    glacier_vaults,
    ses_identity_policies,
    resource_tags,
);
