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
    /// an S3 bucket's own (`GetBucketTagging`), an IAM role's or user's (with
    /// `GetAccountAuthorizationDetails`), and those of every other tagged resource of
    /// the region (security groups, queues, topics, keys, load balancers, databases, …:
    /// one Resource Groups Tagging API `GetResources` call series per account and
    /// region). When a resource's tags were not read — the tagging API denied or failed
    /// in its region, or a kind whose tags the scan does not read (IAM policies, groups
    /// and access keys, listeners, API Gateway stages, Auto Scaling groups, …: allow
    /// those by ARN glob) — the finding says the tag entries could not be checked and
    /// why: it is never allowed, nor judged untagged, on tags nobody read.
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
            let mut message = format!(
                "{} ({}) is managed by no Terraform state of this run",
                u.meta.address, u.meta.rtype
            );
            if let Some(reason) = &u.tags_not_read {
                message.push_str(&format!(
                    "; the tag entries of [drift] unmanaged_allow could not be checked: {reason}"
                ));
            }
            out.fail(&u.meta, &u.meta.origin, "", message);
        }
    }
}
