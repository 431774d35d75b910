//! AWS-SM-020: Secrets Manager secret policies do not allow public access.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every Secrets Manager secret's resource policy (`policy` of
    /// `aws_secretsmanager_secret` or an `aws_secretsmanager_secret_policy`) for an `Allow`
    /// statement granting everyone — `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` —
    /// without a condition that narrows the caller to an account, organization, network
    /// or source resource (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`, `aws:SourceIp`, ...). The
    /// policy may be written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: a secret anyone may read hands its credential to the internet
    /// (access is still limited by the key policy of a customer managed key, which this
    /// rule does not assume).
    ///
    /// ## Default assumed
    /// Without a resource policy only the owner account has access. Negated operators, `...IfExists` operators and values matching
    /// anything (`*`, `0.0.0.0/0`) do not narrow the caller.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (a variable without a value, a file that cannot be
    /// read), or includes an unknown document or principal and shows no public
    /// statement otherwise.
    ///
    /// ## How to fix
    /// Name the principals that read the secret:
    /// ```hcl
    /// statement {
    ///   actions   = ["secretsmanager:GetSecretValue"]
    ///   resources = ["*"]
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = [aws_iam_role.app.arn]
    ///   }
    /// }
    /// ```
    pub struct SecretsmanagerSecretPublicPolicy {
        id: "AWS-SM-020",
        slug: "secretsmanager-secret-public-policy",
        title: "Secrets Manager secret policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for SecretsmanagerSecretPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.secrets {
            public_policy::check(out, &r.meta, &r.policy, "secret policy");
        }
    }
}
