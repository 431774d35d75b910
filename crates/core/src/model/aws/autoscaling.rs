//! EC2 Auto Scaling groups.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A subnet an Auto Scaling group launches into.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AsgSubnet {
    /// The subnet: the address of an `aws_subnet` of the configuration, or a literal id.
    pub id: String,
    /// Its availability zone (`availability_zone` or `availability_zone_id` of the
    /// `aws_subnet`); unknown for subnets outside the configuration.
    pub availability_zone: Value<String>,
}

/// An Auto Scaling group (`aws_autoscaling_group`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutoScalingGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `availability_zones` (EC2-Classic style placement); `Defaulted(empty)`.
    pub availability_zones: Value<Vec<String>>,
    /// `vpc_zone_identifier`: the subnets; `Defaulted(empty)`.
    pub subnets: Value<Vec<AsgSubnet>>,
}
