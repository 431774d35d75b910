//! AWS-SES-020: SES identity policies do not let everyone send as the identity.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every SES sending authorization policy (`aws_ses_identity_policy`) for an `Allow`
    /// statement granting everyone — `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` —
    /// without a condition that narrows the caller to an account, organization, network
    /// or source resource (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`, `aws:SourceIp`, ...). The
    /// policy may be written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.6: anyone with an AWS account could send email as the
    /// organization's domain or address — phishing that passes SPF and DKIM, and
    /// messages customers cannot tell from real ones.
    ///
    /// ## Default assumed
    /// Without a sending authorization policy only the owner account sends as the
    /// identity. Negated operators, `...IfExists` operators and values matching
    /// anything (`*`, `0.0.0.0/0`) do not narrow the caller.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (a variable without a value, a file that cannot be
    /// read), or includes an unknown document or principal and shows no public
    /// statement otherwise. On a live scan (SES v2 `ListEmailIdentities`,
    /// `GetEmailIdentityPolicies`), when either is denied or fails (moto 5.1 does not
    /// answer `ListEmailIdentities`, so SES is not evaluated against it).
    ///
    /// ## How to fix
    /// Name the accounts allowed to send:
    /// ```hcl
    /// statement {
    ///   actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    ///   resources = [aws_ses_domain_identity.example.arn]
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = ["arn:aws:iam::111122223333:root"]
    ///   }
    /// }
    /// ```
    pub struct SesIdentityPublicPolicy {
        id: "AWS-SES-020",
        slug: "ses-identity-public-policy",
        title: "SES identity policies do not let everyone send as the identity",
        severity: High,
        family: DataProtection,
    }
}

impl Rule for SesIdentityPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.ses_identity_policies {
            public_policy::check(out, &r.meta, &r.policy, "sending authorization policy");
        }
    }
}
