//! AWS-IAM-014: IAM role trust policies do not let any AWS account assume the role.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every IAM role's trust policy (`assume_role_policy` of `aws_iam_role`,
    /// written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`) for an `Allow` statement that trusts everyone —
    /// `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` — without a condition narrowing
    /// the caller to an account, organization or source (`aws:PrincipalOrgID`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceAccount`, ...).
    /// `sts:ExternalId` alone does not narrow the caller: an external id is not a
    /// secret.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.6: any principal of any AWS account — anyone who signs up — can
    /// assume the role and act with its permissions inside the account.
    ///
    /// ## Default assumed
    /// None: the trust policy is required.
    ///
    /// ## Not evaluated
    /// When the trust policy is unknown, or includes an unknown document or principal
    /// and shows no open statement otherwise.
    ///
    /// ## How to fix
    /// Name the trusted account or role, or restrict to the organization:
    /// ```hcl
    /// statement {
    ///   actions = ["sts:AssumeRole"]
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = ["arn:aws:iam::111122223333:role/deployer"]
    ///   }
    /// }
    /// ```
    pub struct IamRoleTrustPublic {
        id: "AWS-IAM-014",
        slug: "iam-role-trust-public",
        title: "IAM roles cannot be assumed by any AWS account",
        severity: Critical,
        family: Identity,
    }
}

impl Rule for IamRoleTrustPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.iam_roles {
            public_policy::check(out, &r.meta, &r.trust_policy, "trust policy");
        }
    }
}
