//! S3 buckets and their configuration (joined from the bucket's separate resources).

use serde::Serialize;

use crate::model::{ResourceMeta, Value};

/// An S3 bucket.
#[derive(Debug, Clone, Serialize)]
pub struct S3Bucket {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Default encryption algorithm (`AES256`, `aws:kms`, `aws:kms:dsse`); since January
    /// 2023 every new bucket is encrypted with SSE-S3 by default, so a bucket without a
    /// configuration is `Defaulted("AES256")`.
    pub sse_algorithm: Value<String>,
}
