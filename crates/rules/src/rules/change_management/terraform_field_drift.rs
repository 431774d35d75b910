//! DRIFT-001: a control-relevant setting of a managed resource is what Terraform declares.

use crate::model::drift::{same_setting, show};
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// `soc2scan drift` only. For every resource a Terraform state manages and the live
    /// scan found (matched by ARN or id within its account and region), compares every
    /// field of the scanner's model that the SOC 2 rules read (encryption, policies,
    /// public access, logging, network rules, backups, tags, …) between the declared
    /// side (the Terraform sources evaluated with their variables, or the state when no
    /// sources are given) and the live resource. Each field that differs is a finding
    /// naming the field, the declared and the live value, the declaration and the ARN.
    /// Security group rules declared as resources of their own are compared with their
    /// group's live rules, with its inline ones.
    ///
    /// ## Why it matters (SOC 2)
    /// CC8.1 expects changes to infrastructure to be authorised, tested and approved
    /// before they are implemented. A setting changed in the console or by a script
    /// bypasses the review the Terraform change went through, and the scan of the
    /// repository no longer describes production: the controls the drifted field
    /// carries may no longer hold. Each result therefore gives evidence for CC8.1 and
    /// for the criteria of the rules that read the field's collection (rules declare
    /// collections, not single fields): those rules are named in the message, and the
    /// result carries their criteria, so the control report counts it under exactly
    /// these (a bucket's encryption under the S3 rules' criteria, a security group's
    /// ports under CC6.1, CC6.6, CC6.7 and C1.1).
    ///
    /// ## Not evaluated
    /// When the declared value is known only after apply (a computed attribute, a
    /// variable without a value), or the live value could not be read: never drift.
    ///
    /// ## How to fix
    /// Either bring production back to the reviewed configuration (`terraform apply`),
    /// or make the change in Terraform, have it reviewed, and apply it:
    /// ```sh
    /// terraform plan    # shows the same difference
    /// terraform apply
    /// ```
    pub struct TerraformFieldDrift {
        id: "DRIFT-001",
        slug: "terraform-field-drift",
        title: "Control-relevant settings of managed resources match Terraform",
        severity: High,
        family: ChangeManagement,
    }
}

impl Rule for TerraformFieldDrift {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.drift.fields {
            // Each result gives evidence for CC8.1 and for the criteria of the rules
            // that read the field's collection.
            out.set_extra_criteria(&c.criteria);
            let at = &c.declared.origin;
            let declared = match &c.declared.value {
                Resolved::Set(v) | Resolved::Defaulted(v) => v,
                Resolved::Unknown(reason) => {
                    out.not_evaluated(
                        &c.meta,
                        at,
                        &c.field,
                        format!("the declared `{}` is not known: {reason}", c.field),
                    );
                    continue;
                }
            };
            let live = match &c.live.value {
                Resolved::Set(v) | Resolved::Defaulted(v) => v,
                Resolved::Unknown(reason) => {
                    out.not_evaluated(
                        &c.meta,
                        at,
                        &c.field,
                        format!("the live `{}` is not known: {reason}", c.field),
                    );
                    continue;
                }
            };
            if same_setting(declared, live) {
                out.pass(&c.meta, at, &c.field);
                continue;
            }
            let read_by = if c.read_by.is_empty() {
                String::new()
            } else {
                format!("; read by {}", c.read_by.join(", "))
            };
            out.fail(
                &c.meta,
                at,
                &c.field,
                format!(
                    "`{}` of {} is {} in Terraform but {} live ({}){read_by}",
                    c.field,
                    c.meta.address,
                    show(&c.field, declared),
                    show(&c.field, live),
                    live_name(&c.meta.origin),
                ),
            );
        }
    }
}

/// The live resource's ARN, account and region, for messages.
pub(crate) fn live_name(o: &crate::model::Origin) -> String {
    match o {
        crate::model::Origin::Aws {
            arn,
            region,
            account,
        } => format!("{arn} in {account}/{region}"),
        _ => "live resource".into(),
    }
}
