//! The typed model every rule sees. Terraform, live AWS and Kubernetes adapters all
//! fill these structs; rules never see HCL, YAML or SDK types.

pub mod aws;
pub mod k8s;
pub mod value;

use std::sync::Arc;

use serde::Serialize;

pub use value::{Origin, Resolved, Secret, Value};

/// Identity of a modelled resource: its address, type and where it is declared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ResourceMeta {
    /// Terraform address (`module.m.aws_s3_bucket.b["k"]`) or ARN for live resources.
    pub address: Arc<str>,
    /// Resource type in Terraform's vocabulary (`aws_s3_bucket`), whatever the source.
    pub rtype: Arc<str>,
    /// Where the whole resource is declared (the block's lines, or the ARN).
    pub origin: Origin,
}

impl ResourceMeta {
    /// A value origin at the resource's own declaration (used for defaulted values).
    pub fn block_origin(&self) -> Origin {
        self.origin.clone()
    }
}

/// Everything the scanner knows about the scanned infrastructure.
#[derive(Debug, Default, Serialize)]
pub struct Model {
    /// AWS resources.
    pub aws: aws::AwsModel,
    /// Kubernetes objects (manifests or a live cluster).
    pub k8s: k8s::K8sModel,
}
