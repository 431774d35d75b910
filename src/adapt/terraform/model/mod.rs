//! Per-service adapters from evaluated Terraform resources to the typed AWS model, and
//! the helpers they share: typed attribute reading ([`read`]), joins between related
//! resources ([`join`]) and policy-document parsing ([`policy`]).

pub(crate) mod cloudtrail;
pub(crate) mod dynamodb;
pub(crate) mod ec2;
pub(crate) mod elb;
pub(crate) mod iam;
pub(crate) mod join;
pub(crate) mod kms;
pub(crate) mod policy;
pub(crate) mod rds;
pub(crate) mod read;
pub(crate) mod s3;

#[cfg(test)]
pub(crate) mod testutil;
