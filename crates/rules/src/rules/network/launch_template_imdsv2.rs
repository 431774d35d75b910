//! AWS-EC2-022: launch templates and launch configurations require IMDSv2.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every launch template (`aws_launch_template`) and launch configuration
    /// (`aws_launch_configuration`) sets `metadata_options { http_tokens = "required" }`,
    /// unless the metadata endpoint is disabled (`http_endpoint = "disabled"`). Instances
    /// are AWS-EC2-004; Auto Scaling groups and EKS node groups launch from templates.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: every instance launched from the template inherits IMDSv1, which
    /// lets a server-side request forgery in the application read the instance role's
    /// credentials. This is hardening (Low).
    ///
    /// ## Default assumed
    /// `http_tokens` defaults to `optional` (provider docs), unless the AMI is registered
    /// with `imds_support = "v2.0"`, which the template does not show.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value or `metadata_options` is a
    /// `dynamic` block that cannot be expanded; on a live scan (which judges each launch
    /// template's default version and each launch configuration), when the template's
    /// default version cannot be read.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_launch_template" "app" {
    ///   name_prefix   = "app-"
    ///   image_id      = data.aws_ami.app.id
    ///   instance_type = "t3.small"
    ///   metadata_options {
    ///     http_endpoint = "enabled"
    ///     http_tokens   = "required"
    ///   }
    /// }
    /// ```
    pub struct LaunchTemplateImdsv2 {
        id: "AWS-EC2-022",
        slug: "launch-template-imdsv2",
        title: "Launch templates require IMDSv2",
        severity: Low,
        family: Network,
    }
}

impl Rule for LaunchTemplateImdsv2 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.launch_templates {
            if let Resolved::Set(e) = &t.metadata_endpoint.value {
                if e == "disabled" {
                    out.pass(
                        &t.meta,
                        &t.metadata_endpoint.origin,
                        &t.metadata_endpoint.path,
                    );
                    continue;
                }
            }
            out.require(
                &t.meta,
                &t.metadata_tokens,
                |v| v == "required",
                |_| "instances launched from this template accept IMDSv1 (http_tokens is not \"required\")".to_string(),
            );
        }
    }
}
