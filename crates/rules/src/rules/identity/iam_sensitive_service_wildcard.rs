//! AWS-IAM-010: no policy allows every action of a sensitive service on every resource.

use crate::model::aws::iam::{identity_policy_documents, Effect, PolicyDocument};
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Services whose full access on every resource amounts to control of the account or of
/// its data: identities, credentials, keys, audit trail, organization, secrets, storage.
const SENSITIVE: [&str; 7] = [
    "iam",
    "sts",
    "kms",
    "organizations",
    "cloudtrail",
    "secretsmanager",
    "s3",
];

/// The first `<service>:*` of a sensitive service allowed on `*`, if any.
fn sensitive_wildcard(d: &PolicyDocument) -> Option<String> {
    d.statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && s.resources.contains_ci("*"))
        .flat_map(|s| s.actions.values.iter())
        .find(|a| {
            SENSITIVE
                .iter()
                .any(|svc| a.eq_ignore_ascii_case(&format!("{svc}:*")))
        })
        .cloned()
}

crate::declare_rule! {
    /// ## What it does
    /// Checks customer managed policies and the inline policies of users, groups and
    /// roles for an `Allow` statement granting every action of a sensitive service —
    /// `iam:*`, `sts:*`, `kms:*`, `organizations:*`, `cloudtrail:*`, `secretsmanager:*`,
    /// `s3:*` — on `Resource = "*"`. (`*` on `*` is AWS-IAM-003.)
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.3 expects least privilege. Full IAM or STS access lets the holder grant itself
    /// anything; full KMS or Secrets Manager access exposes every key and secret; full
    /// CloudTrail access lets it stop the audit trail; full S3 access reads and deletes
    /// every bucket (C1.1).
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## Not evaluated
    /// A policy whose document is unknown or cannot be parsed, or that includes an
    /// unknown document and shows no finding otherwise.
    ///
    /// ## How to fix
    /// List the actions and resources the workload uses:
    /// ```hcl
    /// data "aws_iam_policy_document" "app" {
    ///   statement {
    ///     actions   = ["s3:GetObject", "s3:PutObject"]
    ///     resources = ["${aws_s3_bucket.uploads.arn}/*"]
    ///   }
    /// }
    /// ```
    pub struct IamSensitiveServiceWildcard {
        id: "AWS-IAM-010",
        slug: "iam-sensitive-service-wildcard",
        title: "IAM policies do not allow all actions of sensitive services on every resource",
        severity: High,
        family: Identity,
    }
}

impl Rule for IamSensitiveServiceWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (owner, doc) in identity_policy_documents(&model.aws) {
            match &doc.value {
                Resolved::Set(d) | Resolved::Defaulted(d) => match sensitive_wildcard(d) {
                    Some(a) => out.fail(
                        owner,
                        &doc.origin,
                        &doc.path,
                        format!("policy allows {a} on every resource (\"*\")"),
                    ),
                    None => match &d.incomplete {
                        Some(r) => out.not_evaluated(owner, &doc.origin, &doc.path, r.to_string()),
                        None => out.pass(owner, &doc.origin, &doc.path),
                    },
                },
                Resolved::Unknown(r) => {
                    out.not_evaluated(owner, &doc.origin, &doc.path, r.to_string())
                }
            }
        }
    }
}
