//! AWS-IAM-003: no IAM policy grants every action on every resource.

use crate::model::aws::iam::{Effect, PolicyDocument};
use crate::model::{Model, Resolved, ResourceMeta, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether a statement allows `*` on `*`.
fn grants_full_admin(doc: &PolicyDocument) -> bool {
    doc.statements.iter().any(|s| {
        s.effect == Effect::Allow && s.actions.contains_ci("*") && s.resources.contains_ci("*")
    })
}

fn check_doc(
    out: &mut Emitter,
    subject: &ResourceMeta,
    doc: &Value<PolicyDocument>,
    report_unknown: bool,
) {
    match &doc.value {
        Resolved::Set(d) | Resolved::Defaulted(d) => {
            if grants_full_admin(d) {
                out.fail(
                    subject,
                    &doc.origin,
                    &doc.path,
                    "policy allows every action (\"*\") on every resource (\"*\")",
                );
            } else {
                out.pass(subject, &doc.origin, &doc.path);
            }
        }
        Resolved::Unknown(r) if report_unknown => {
            out.not_evaluated(subject, &doc.origin, &doc.path, r.to_string())
        }
        Resolved::Unknown(_) => {}
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks customer managed policies (`aws_iam_policy`) and inline policies of users,
    /// groups and roles (`aws_iam_*_policy`, `inline_policy` blocks) for an `Allow`
    /// statement with `Action = "*"` and `Resource = "*"`, and users and groups that
    /// have the AWS managed `AdministratorAccess` policy attached directly.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 expects access limited to what each identity needs. A `*:*` grant makes
    /// every holder a full administrator able to disable logging, read every data
    /// store and create new identities; on a long-lived user it is the single most
    /// exploitable credential in the account.
    ///
    /// ## Default assumed
    /// None. Roles with `AdministratorAccess` attached (the usual break-glass or SSO
    /// admin role) are not reported; policies that define `*:*` are, wherever attached.
    ///
    /// ## Not evaluated
    /// A policy whose document is unknown (values without a value) or cannot be parsed.
    ///
    /// ## How to fix
    /// Grant the actions and resources the workload needs:
    /// ```hcl
    /// data "aws_iam_policy_document" "deploy" {
    ///   statement {
    ///     actions   = ["s3:PutObject", "s3:GetObject"]
    ///     resources = ["${aws_s3_bucket.artifacts.arn}/*"]
    ///   }
    /// }
    /// ```
    pub struct IamPolicyFullAdmin {
        id: "AWS-IAM-003",
        slug: "iam-policy-full-admin",
        title: "IAM policies do not grant full administrator access",
        severity: Critical,
        family: Identity,
    }
}

impl Rule for IamPolicyFullAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let aws = &model.aws;
        for p in &aws.iam_policies {
            check_doc(out, &p.meta, &p.document, true);
        }
        let inline = aws
            .iam_users
            .iter()
            .flat_map(|u| &u.inline_policies)
            .chain(aws.iam_groups.iter().flat_map(|g| &g.inline_policies))
            .chain(aws.iam_roles.iter().flat_map(|r| &r.inline_policies));
        for p in inline {
            check_doc(out, &p.meta, &p.document, true);
        }
        let direct = aws
            .iam_users
            .iter()
            .flat_map(|u| u.attached_policies.iter().map(move |a| (&u.meta, a)))
            .chain(
                aws.iam_groups
                    .iter()
                    .flat_map(|g| g.attached_policies.iter().map(move |a| (&g.meta, a))),
            );
        for (owner, a) in direct {
            if a.policy.known().map(String::as_str)
                == Some("arn:aws:iam::aws:policy/AdministratorAccess")
            {
                out.fail(
                    owner,
                    &a.policy.origin,
                    &a.policy.path,
                    "AdministratorAccess is attached directly to a user or group",
                );
            }
        }
    }
}
