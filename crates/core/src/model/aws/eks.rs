//! Amazon EKS clusters: control-plane logging, API endpoint exposure and secrets encryption.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// An EKS cluster (`aws_eks_cluster`, `DescribeCluster`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EksCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `enabled_cluster_log_types` (`api`, `audit`, `authenticator`, `controllerManager`,
    /// `scheduler`); `Defaulted(empty)`: no control-plane log is exported unless listed
    /// (provider docs; EKS User Guide, "Control plane logging": off by default).
    pub log_types: Value<Vec<String>>,
    /// `vpc_config.endpoint_public_access`; `Defaulted(true)` (EKS API
    /// `VpcConfigRequest`: "The default value for this parameter is true").
    pub endpoint_public_access: Value<bool>,
    /// `vpc_config.public_access_cidrs`; `Defaulted(["0.0.0.0/0"])` (EKS API
    /// `VpcConfigRequest`: the default is `0.0.0.0/0`).
    pub public_access_cidrs: Value<Vec<String>>,
    /// KMS key of the envelope encryption of Kubernetes secrets (`encryption_config`
    /// with `resources = ["secrets"]`, `provider.key_arn`; a reference to an
    /// `aws_kms_key` is that key's address). `Defaulted(None)` without one: EKS then
    /// encrypts etcd with an AWS owned key only, outside the account's key policies. The
    /// path of a `None` says what is missing: `encryption_config` (no such block),
    /// `encryption_config.resources` (it does not include `"secrets"`),
    /// `encryption_config.provider` (no provider block) or
    /// `encryption_config.provider.key_arn` (no key).
    pub secrets_kms_key: Value<Option<String>>,
}
