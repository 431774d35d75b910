//! AWS-IAM-009: no policy allows `iam:PassRole` on every role.

use crate::model::aws::iam::{identity_policy_documents, Effect, Statement};
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether the statement allows passing any role: an action covering `iam:PassRole` on
/// `Resource = "*"`. `*` and `iam:*` are left to AWS-IAM-003 and AWS-IAM-010.
fn passes_any_role(s: &Statement) -> bool {
    s.effect == Effect::Allow
        && s.resources.contains_ci("*")
        && s.actions.values.iter().any(|a| {
            !a.eq_ignore_ascii_case("*")
                && !a.eq_ignore_ascii_case("iam:*")
                && crate::model::aws::iam::wildcard_match(a, "iam:PassRole")
        })
}

crate::declare_rule! {
    /// ## What it does
    /// Checks customer managed policies and the inline policies of users, groups and
    /// roles for an `Allow` statement whose `Action` covers `iam:PassRole` (`iam:PassRole`,
    /// `iam:Pass*`, `iam:P*`, ...) with `Resource = "*"`. Statements with `Action = "*"`
    /// or `"iam:*"` are reported by AWS-IAM-003 and AWS-IAM-010 instead.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 expects least privilege. `iam:PassRole` on every role lets the holder hand
    /// any role — including administrator roles — to a service it controls (an EC2
    /// instance, a Lambda function, a Glue job) and act with that role's permissions: a
    /// classic privilege-escalation path.
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## Not evaluated
    /// A policy whose document is unknown (a variable without a value) or cannot be
    /// parsed, or that includes an unknown document and shows no finding otherwise.
    ///
    /// ## How to fix
    /// Name the roles that may be passed, and to which service:
    /// ```hcl
    /// data "aws_iam_policy_document" "deploy" {
    ///   statement {
    ///     actions   = ["iam:PassRole"]
    ///     resources = [aws_iam_role.app.arn]
    ///     condition {
    ///       test     = "StringEquals"
    ///       variable = "iam:PassedToService"
    ///       values   = ["ecs-tasks.amazonaws.com"]
    ///     }
    ///   }
    /// }
    /// ```
    pub struct IamPassroleWildcard {
        id: "AWS-IAM-009",
        slug: "iam-passrole-wildcard",
        title: "IAM policies do not allow iam:PassRole on every role",
        severity: High,
        family: Identity,
    }
}

impl Rule for IamPassroleWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (owner, doc) in identity_policy_documents(&model.aws) {
            match &doc.value {
                Resolved::Set(d) | Resolved::Defaulted(d) => {
                    if d.statements.iter().any(passes_any_role) {
                        out.fail(
                            owner,
                            &doc.origin,
                            &doc.path,
                            "policy allows iam:PassRole on every role (Resource \"*\")",
                        );
                    } else if let Some(r) = &d.incomplete {
                        out.not_evaluated(owner, &doc.origin, &doc.path, r.to_string());
                    } else {
                        out.pass(owner, &doc.origin, &doc.path);
                    }
                }
                Resolved::Unknown(r) => {
                    out.not_evaluated(owner, &doc.origin, &doc.path, r.to_string())
                }
            }
        }
    }
}
