//! AWS-LMB-001: Lambda permissions do not let everyone invoke a function.

use crate::model::Model;
use crate::rules::{public_policy, Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_lambda_permission` whose `principal` is `*` for a restriction of
    /// the caller: `source_arn`, `source_account` or `principal_org_id`. Without one,
    /// anyone — any AWS account, or anyone on the internet for a function URL with
    /// `function_url_auth_type = "NONE"` — can invoke the function. Permissions for an
    /// account, role or service pass. The permission is judged as the statement it adds
    /// to the function's policy, by the same check as every resource policy: a
    /// restriction that matches anything (`source_arn = "*"`) is no restriction.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 and CC6.1: a publicly invocable function exposes whatever it can reach
    /// with its execution role, and its cost, to the whole internet.
    ///
    /// ## Default assumed
    /// None: `principal` is required.
    ///
    /// ## Not evaluated
    /// When the principal or a restricting argument comes from a variable without a
    /// value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_lambda_permission" "from_bucket" {
    ///   action         = "lambda:InvokeFunction"
    ///   function_name  = aws_lambda_function.thumbnail.function_name
    ///   principal      = "s3.amazonaws.com"
    ///   source_arn     = aws_s3_bucket.uploads.arn
    ///   source_account = data.aws_caller_identity.current.account_id
    /// }
    /// ```
    pub struct LambdaPermissionPublic {
        id: "AWS-LMB-001",
        slug: "lambda-permission-public",
        title: "Lambda functions are not invocable by everyone",
        severity: High,
        family: DataProtection,
    }
}

impl Rule for LambdaPermissionPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for p in &model.aws.lambda_permissions {
            public_policy::check(out, &p.meta, &p.policy(), "the function's permission");
        }
    }
}
