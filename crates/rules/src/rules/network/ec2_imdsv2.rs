//! AWS-EC2-004: EC2 instances require IMDSv2.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every EC2 instance (`aws_instance`) sets
    /// `metadata_options { http_tokens = "required" }` (IMDSv2 only), unless the
    /// metadata endpoint is disabled (`http_endpoint = "disabled"`).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: IMDSv1 answers any request from the instance, so a server-side
    /// request forgery in the application hands out the instance role's credentials.
    /// IMDSv2's session tokens block that path. This is hardening (Low).
    ///
    /// ## Default assumed
    /// `http_tokens` defaults to `optional` (AWS provider docs). AMIs registered with
    /// `imds_support = "v2.0"` default to `required`, which the instance resource does
    /// not show: set it explicitly.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value, or the instance uses a
    /// launch template and sets no metadata options itself.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_instance" "web" {
    ///   # ...
    ///   metadata_options {
    ///     http_endpoint = "enabled"
    ///     http_tokens   = "required"
    ///   }
    /// }
    /// ```
    pub struct Ec2Imdsv2 {
        id: "AWS-EC2-004",
        slug: "ec2-imdsv2",
        title: "EC2 instances require IMDSv2",
        severity: Low,
        family: Network,
    }
}

impl Rule for Ec2Imdsv2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for i in &model.aws.instances {
            if let Resolved::Set(e) | Resolved::Defaulted(e) = &i.metadata_endpoint.value {
                if e == "disabled" {
                    let v = &i.metadata_endpoint;
                    out.pass(&i.meta, &v.origin, &v.path);
                    continue;
                }
            }
            out.require(&i.meta, &i.metadata_tokens, |t| t == "required", |_| {
                "instance metadata service accepts IMDSv1 requests (http_tokens is not \"required\")".to_string()
            });
        }
    }
}
