//! DRIFT-002: live resources of the collections the rules cover are managed by Terraform.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// `soc2scan drift` only. Reports every live resource of a collection some SOC 2
    /// rule reads (S3 buckets, queues, security groups, databases, …) that no Terraform
    /// state given to the run manages. Resources matched by an entry of
    /// `[drift] unmanaged_allow` in `.soc2scan.toml` (an ARN glob such as
    /// `arn:aws:s3:::cdk-*`, or a tag `tag:Key` / `tag:Key=Value`) pass; the allowed
    /// entry is named in the JSON report. Tag entries match the tags the live scan read:
    /// those of S3 buckets and of every other data store (RDS, DynamoDB, EFS, EBS, …,
    /// through the Resource Groups Tagging API); other kinds carry no tags in the model
    /// and are allowed by ARN glob only.
    ///
    /// ## Why it matters (SOC 2)
    /// CC8.1 expects every change to production to go through the change process; a
    /// resource created by hand never went through review, is not in the repository the
    /// scans and the auditors look at, and its controls are nobody's. The other criteria
    /// a rule of the collection gives evidence for are at stake as well.
    ///
    /// ## How to fix
    /// Import the resource into Terraform (`terraform import` or an `import` block) and
    /// review its configuration, delete it, or list it in `[drift] unmanaged_allow` with
    /// the reason it is managed elsewhere.
    pub struct TerraformUnmanagedResource {
        id: "DRIFT-002",
        slug: "terraform-unmanaged-resource",
        title: "Live resources are managed by Terraform",
        severity: Medium,
        family: ChangeManagement,
    }
}

impl Rule for TerraformUnmanagedResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for u in &model.drift.unmanaged {
            if u.allowed_by.is_some() {
                out.pass(&u.meta, &u.meta.origin, "");
                continue;
            }
            out.fail(
                &u.meta,
                &u.meta.origin,
                "",
                format!(
                    "{} ({}) is managed by no Terraform state of this run",
                    u.meta.address, u.meta.rtype
                ),
            );
        }
    }
}
