//! AWS-LMB-001: Lambda permissions do not let everyone invoke a function.

use crate::model::{Model, Resolved, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// `Ok(true)` when the optional value is written, `Err` when unknown.
fn written(v: &Value<Option<String>>) -> Result<bool, String> {
    match &v.value {
        Resolved::Set(x) | Resolved::Defaulted(x) => Ok(x.is_some()),
        Resolved::Unknown(r) => Err(r.to_string()),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_lambda_permission` whose `principal` is `*` for a restriction of
    /// the caller: `source_arn`, `source_account` or `principal_org_id`. Without one,
    /// anyone — any AWS account, or anyone on the internet for a function URL with
    /// `function_url_auth_type = "NONE"` — can invoke the function. Permissions for an
    /// account, role or service pass.
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
            let pr = &p.principal;
            match pr.known() {
                None => {
                    out.not_evaluated(
                        &p.meta,
                        &pr.origin,
                        &pr.path,
                        pr.unknown_reason().unwrap_or_default().to_string(),
                    );
                    continue;
                }
                Some(x) if x.trim() != "*" => {
                    out.pass(&p.meta, &pr.origin, &pr.path);
                    continue;
                }
                Some(_) => {}
            }
            let checks = [&p.source_arn, &p.source_account, &p.principal_org_id].map(written);
            if checks.contains(&Ok(true)) {
                out.pass(&p.meta, &pr.origin, &pr.path);
            } else if let Some(Err(e)) = checks.iter().find(|c| c.is_err()) {
                out.not_evaluated(&p.meta, &pr.origin, &pr.path, e.clone());
            } else {
                out.fail(
                    &p.meta,
                    &pr.origin,
                    &pr.path,
                    "anyone can invoke the function (principal \"*\" without source_arn, source_account or principal_org_id)",
                );
            }
        }
    }
}
