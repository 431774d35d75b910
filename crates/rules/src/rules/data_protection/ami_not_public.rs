//! AWS-EC2-023: AMIs are not shared publicly.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_ami_launch_permission` for `group = "all"`, which makes the AMI
    /// public. Permissions for accounts, organizations or organizational units pass.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: a public AMI lets any AWS customer launch a copy of the disk
    /// image — application code, configuration, embedded credentials and any data baked
    /// into it.
    ///
    /// ## Default assumed
    /// None: a launch permission names its grantee.
    ///
    /// ## Not evaluated
    /// When `group` comes from a variable without a value.
    ///
    /// ## How to fix
    /// Share with the accounts that need the image:
    /// ```hcl
    /// resource "aws_ami_launch_permission" "share" {
    ///   image_id   = aws_ami.app.id
    ///   account_id = "111122223333"
    /// }
    /// ```
    pub struct AmiNotPublic {
        id: "AWS-EC2-023",
        slug: "ami-not-public",
        title: "AMIs are not public",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for AmiNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for p in &model.aws.ami_launch_permissions {
            out.require(
                &p.meta,
                &p.group,
                |g| !g.as_deref().is_some_and(|g| g.eq_ignore_ascii_case("all")),
                |_| "the AMI is shared with every AWS account (group = \"all\")".to_string(),
            );
        }
    }
}
