//! AWS resources in the typed model, one submodule per service. The Terraform adapter
//! and the live AWS adapter fill the same structs; field docs state the provider/API
//! default used when a value is not written.

pub mod cloudtrail;
pub mod dynamodb;
pub mod ec2;
pub mod elb;
pub mod iam;
pub mod kms;
pub mod rds;
pub mod s3;

use serde::Serialize;

/// All AWS resources known to the scan.
#[derive(Debug, Default, Serialize)]
pub struct AwsModel {
    /// S3 buckets with their joined configuration.
    pub s3_buckets: Vec<s3::S3Bucket>,
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
    /// CloudTrail trails.
    pub cloudtrails: Vec<cloudtrail::Trail>,
}
