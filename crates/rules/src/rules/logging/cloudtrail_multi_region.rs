//! AWS-CT-001: CloudTrail trails record every region.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudTrail trail (`aws_cloudtrail`) has
    /// `is_multi_region_trail = true`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of all system components. A single-region trail misses
    /// API activity in every other region — exactly where an attacker starts instances
    /// or creates resources to stay unnoticed — and global-service events are only
    /// guaranteed in multi-region trails.
    ///
    /// ## Default assumed
    /// `is_multi_region_trail` defaults to `false` (AWS provider docs). A configuration
    /// without any trail is not a finding: organisation trails are usually managed in a
    /// separate account.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                          = "main"
    ///   s3_bucket_name                = aws_s3_bucket.trail.id
    ///   is_multi_region_trail         = true
    ///   include_global_service_events = true
    ///   enable_log_file_validation    = true
    /// }
    /// ```
    pub struct CloudtrailMultiRegion {
        id: "AWS-CT-001",
        slug: "cloudtrail-multi-region",
        title: "CloudTrail trails cover all regions",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudtrailMultiRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.cloudtrails {
            out.require_true(
                &t.meta,
                &t.multi_region,
                "trail records only its own region",
            );
        }
    }
}
