//! AWS resources in the typed model, one submodule per service.

pub mod s3;

use serde::Serialize;

/// All AWS resources known to the scan.
#[derive(Debug, Default, Serialize)]
pub struct AwsModel {
    /// S3 buckets with their joined configuration.
    pub s3_buckets: Vec<s3::S3Bucket>,
}
