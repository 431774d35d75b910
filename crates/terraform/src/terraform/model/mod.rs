//! Per-service adapters from evaluated Terraform resources to the typed AWS model, and
//! the helpers they share: typed attribute reading ([`read`]), joins between related
//! resources ([`join`]) and policy-document parsing ([`policy`]).

pub(crate) mod classification;
pub(crate) mod cloudtrail;
pub(crate) mod cloudwatch_alarms;
pub(crate) mod config;
pub(crate) mod dynamodb;
pub(crate) mod ec2;
pub(crate) mod eks;
pub(crate) mod elb;
pub(crate) mod guardduty;
pub(crate) mod iam;
pub(crate) mod join;
pub(crate) mod kms;
pub(crate) mod lambda;
pub(crate) mod policy;
pub(crate) mod rds;
pub(crate) mod read;
pub(crate) mod s3;
pub(crate) mod s3_account;
pub(crate) mod waf;
// Storage, messaging, delivery, backup and availability services.
pub(crate) mod apigateway;
pub(crate) mod attached;
pub(crate) mod autoscaling;
pub(crate) mod backup;
pub(crate) mod cloudfront;
pub(crate) mod cloudwatch_logs;
pub(crate) mod docdb;
pub(crate) mod ebs_snapshot;
pub(crate) mod ecr;
pub(crate) mod ecs;
pub(crate) mod efs;
pub(crate) mod elasticache;
pub(crate) mod emr;
pub(crate) mod glacier;
pub(crate) mod kinesis;
pub(crate) mod msk;
pub(crate) mod neptune;
pub(crate) mod opensearch;
pub(crate) mod rds_params;
pub(crate) mod redshift;
pub(crate) mod secretsmanager;
pub(crate) mod ses;
pub(crate) mod sns;
pub(crate) mod sqs;
pub(crate) mod tags;

#[cfg(test)]
pub(crate) mod testutil;
