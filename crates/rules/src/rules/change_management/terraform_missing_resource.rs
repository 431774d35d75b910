//! DRIFT-003: resources a Terraform state manages exist live.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// `soc2scan drift` only. Reports every resource a Terraform state manages (of a
    /// collection the scanner models) that the live scan did not find by its ARN or id
    /// in its account and region.
    ///
    /// ## Why it matters (SOC 2)
    /// CC8.1 expects changes to be made through the change process: a resource deleted
    /// outside Terraform is an unreviewed change, and whatever control it carried
    /// (a log bucket, a security group, a backup vault) is gone while the repository
    /// still shows it.
    ///
    /// ## Not evaluated
    /// When the resource's collection was not read completely in its account and region
    /// (the region was not scanned, the call was denied or failed), or the state does not
    /// tell the account and region: a collection not read is never "missing".
    ///
    /// ## How to fix
    /// Recreate the resource (`terraform apply`) or remove it from the configuration
    /// through a reviewed change (`terraform state rm` if it is managed elsewhere now).
    pub struct TerraformMissingResource {
        id: "DRIFT-003",
        slug: "terraform-missing-resource",
        title: "Resources managed by Terraform exist live",
        severity: High,
        family: ChangeManagement,
    }
}

impl Rule for TerraformMissingResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for m in &model.drift.managed {
            let at = &m.meta.origin;
            match &m.found.value {
                Resolved::Set(true) | Resolved::Defaulted(true) => out.pass(&m.meta, at, ""),
                Resolved::Set(false) | Resolved::Defaulted(false) => out.fail(
                    &m.meta,
                    at,
                    "",
                    format!(
                        "{} ({}) is in the Terraform state but not live in {}",
                        m.meta.address,
                        m.identifier,
                        m.live_scope.as_deref().unwrap_or("its account and region")
                    ),
                ),
                Resolved::Unknown(reason) => out.not_evaluated(&m.meta, at, "", &**reason),
            }
        }
    }
}
