//! AWS-ECR-021: ECR repository policies do not allow public access.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every ECR repository's policy (an `aws_ecr_repository_policy` for the
    /// repository) for an `Allow`
    /// statement granting everyone — `Principal "*"`, `{"AWS": "*"}` or `NotPrincipal` —
    /// without a condition that narrows the caller to an account, organization, network
    /// or source resource (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`, `aws:SourceIp`, ...). The
    /// policy may be written with `jsonencode`, a JSON heredoc, a `file()` or an
    /// `aws_iam_policy_document`.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.6: anyone could pull the images — the application's code, its
    /// configuration and any credentials baked into them — or push images the
    /// workloads will run.
    ///
    /// ## Default assumed
    /// Without a repository policy only the owner account has access. Negated operators, `...IfExists` operators and values matching
    /// anything (`*`, `0.0.0.0/0`) do not narrow the caller.
    ///
    /// ## Not evaluated
    /// When the policy is unknown (a variable without a value, a file that cannot be
    /// read), or includes an unknown document or principal and shows no public
    /// statement otherwise.
    ///
    /// ## How to fix
    /// Grant the accounts or organization that pull the images:
    /// ```hcl
    /// statement {
    ///   actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///   principals {
    ///     type        = "AWS"
    ///     identifiers = ["*"]
    ///   }
    ///   condition {
    ///     test     = "StringEquals"
    ///     variable = "aws:PrincipalOrgID"
    ///     values   = [var.organization_id]
    ///   }
    /// }
    /// ```
    pub struct EcrRepositoryPublicPolicy {
        id: "AWS-ECR-021",
        slug: "ecr-repository-public-policy",
        title: "ECR repository policies do not allow public access",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for EcrRepositoryPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.ecr_repositories {
            public_policy::check(out, &r.meta, &r.policy, "repository policy");
        }
    }
}
