//! S3 buckets and their configuration (joined from the bucket's separate resources).

use serde::{Deserialize, Serialize};

use crate::model::aws::iam::PolicyDocument;
use crate::model::aws::tags::Tags;
use crate::model::{ResourceMeta, Value};

/// The default encryption of a bucket without an encryption configuration: SSE-S3
/// (every bucket since January 2023, AWS S3 User Guide, "Setting default server-side
/// encryption behavior"). Every source that meets an absent configuration uses this one
/// definition.
pub const DEFAULT_SSE_ALGORITHM: &str = "AES256";

/// A server access logging configuration: some bucket sends its access logs to
/// `target`. In Terraform an `aws_s3_bucket_logging` resource or an inline `logging`
/// block (whichever bucket it configures, even one outside the configuration); live, the
/// `GetBucketLogging` answer of a bucket that logs. Whether a bucket *receives* access
/// logs is derived from these once, for every source:
/// [`Model::receives_access_logs`](crate::model::Model::receives_access_logs).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct S3BucketLogging {
    /// The configuration (Terraform) or the logging bucket (live).
    pub meta: ResourceMeta,
    /// The target bucket's name, or, in a configuration where that name is only known
    /// after apply, the target bucket resource's address (`aws_s3_bucket.logs`). Unknown
    /// when the configuration could not be read or names a bucket only known at apply.
    pub target: Value<String>,
}

/// An S3 bucket, with the configuration AWS returns for it (`GetBucketEncryption`,
/// `GetBucketVersioning`, `GetBucketLogging`, `GetBucketPolicy`, ...). The Terraform
/// adapter fills the fields from the bucket's inline blocks (provider v3) or from the
/// separate `aws_s3_bucket_*` resources (provider v4+) that configure it.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct S3Bucket {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Bucket name (`bucket`); unknown when generated (`bucket_prefix`, no name) or computed.
    pub name: Value<String>,
    /// Default encryption algorithm (`AES256`, `aws:kms`, `aws:kms:dsse`). Since January
    /// 2023 every new bucket is encrypted with SSE-S3 by default (AWS S3 User Guide,
    /// "Setting default server-side encryption behavior"), so a bucket without a
    /// configuration is `Defaulted("AES256")`.
    pub sse_algorithm: Value<String>,
    /// KMS key of the default encryption (`kms_master_key_id`); `Defaulted(None)` means the
    /// AWS managed key `aws/s3` when the algorithm is `aws:kms`.
    pub kms_key: Value<Option<String>>,
    /// Whether versioning is enabled (`Enabled`). Buckets start unversioned:
    /// `Defaulted(false)` without a versioning configuration; `Suspended` is `false`.
    pub versioning: Value<bool>,
    /// Whether server access logging is configured; `Defaulted(false)` without a logging
    /// configuration (access logging is off by default).
    pub access_logging: Value<bool>,
    /// Bucket policy; `Defaulted` empty document when the bucket has none.
    pub policy: Value<PolicyDocument>,
    /// Canned ACL (`acl`); `Defaulted("private")` without one.
    pub acl: Value<String>,
    /// URIs of the group grantees of the bucket's ACL grants (`grant { uri }` inline, or
    /// `access_control_policy { grant { grantee { uri } } }` of an `aws_s3_bucket_acl`),
    /// e.g. `http://acs.amazonaws.com/groups/global/AllUsers`; `Defaulted(empty)` without
    /// grants.
    pub acl_grantees: Value<Vec<String>>,
    /// Public access block of the bucket; `None` when the bucket has none (then only the
    /// account-level block, if any, applies).
    pub public_access_block: Option<PublicAccessBlock>,
    /// Whether a replication configuration with at least one enabled rule exists;
    /// `Defaulted(false)` without one.
    pub replication: Value<bool>,
    /// Whether a lifecycle configuration with at least one enabled rule exists;
    /// `Defaulted(false)` without one.
    pub lifecycle: Value<bool>,
    /// The bucket's `tags`; `Defaulted` empty without them.
    pub tags: Value<Tags>,
}

/// The account-level S3 public access block (`aws_s3_account_public_access_block`,
/// `GetPublicAccessBlock` of S3 Control).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountPublicAccessBlock {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The four settings.
    pub block: PublicAccessBlock,
}

/// The four settings of an S3 public access block (each defaults to `false` in the
/// provider and the API).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublicAccessBlock {
    /// `block_public_acls`.
    pub block_public_acls: Value<bool>,
    /// `block_public_policy`.
    pub block_public_policy: Value<bool>,
    /// `ignore_public_acls`.
    pub ignore_public_acls: Value<bool>,
    /// `restrict_public_buckets`.
    pub restrict_public_buckets: Value<bool>,
}
