//! Lambda in one region: the statements of every function's resource policy, as the
//! permissions they grant (who may invoke the function, narrowed how).

use aws_config::SdkConfig;
use aws_sdk_lambda::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::iam::{Effect, Statement};
use crate::model::aws::lambda::LambdaPermission;
use crate::model::aws::policy_json::parse_json;
use crate::model::aws::AwsModel;
use crate::model::{Origin, ResourceMeta, Value};

const SVC: &str = "lambda";

/// Reads every function of `scope.region` (`ListFunctions` to the end) and its resource
/// policy (`GetPolicy`; a function without one grants nothing).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "Lambda functions",
        &["aws.lambda_permissions"],
        sh.pages(SVC, r, "ListFunctions", || {
            c.list_functions().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let functions: Vec<(String, String)> = pages
        .iter()
        .flat_map(|p| p.functions())
        .filter_map(|f| {
            let name = f.function_name()?.to_string();
            let arn = f
                .function_arn()
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("function:{name}")));
            Some((name, arn))
        })
        .collect();
    let permissions = join_all(functions.iter().map(|(name, arn)| {
        let c = &c;
        async move {
            match sh
                .call(SVC, r, "GetPolicy", || {
                    c.get_policy().function_name(name).send()
                })
                .await
            {
                Ok(p) => match p.policy().map(parse_json) {
                    Some(Ok(doc)) => doc
                        .statements
                        .iter()
                        .filter(|s| s.effect == Effect::Allow)
                        .enumerate()
                        .map(|(i, s)| permission(scope, arn, i, s))
                        .collect(),
                    Some(Err(err)) => vec![unknown(
                        scope,
                        arn,
                        format!("the function's policy is not a valid policy document: {err}"),
                    )],
                    None => Vec::new(),
                },
                Err(e) if e.is(&["ResourceNotFoundException"]) => Vec::new(),
                Err(e) => vec![unknown(scope, arn, e.reason.to_string())],
            }
        }
    }))
    .await;
    m.lambda_permissions = permissions.into_iter().flatten().collect();
    sh.progress.unit_done(functions.len());
    m
}

/// The identity of the `i`-th statement of the policy of the function `arn`.
fn meta(scope: &Scope, arn: &str, sid: &str) -> (ResourceMeta, Origin) {
    let meta = scope.meta(&format!("{arn}/policy/{sid}"), "aws_lambda_permission");
    let o = meta.origin.clone();
    (meta, o)
}

/// One statement of a function's policy as the permission it grants: its principal and
/// the conditions that narrow the caller (`AWS:SourceArn`, `AWS:SourceAccount`,
/// `aws:PrincipalOrgID`, `lambda:FunctionUrlAuthType`).
fn permission(scope: &Scope, arn: &str, i: usize, s: &Statement) -> LambdaPermission {
    let sid = s.sid.clone().unwrap_or_else(|| i.to_string());
    let (meta, o) = meta(scope, arn, &sid);
    let principal = s
        .principals
        .iter()
        .flat_map(|p| p.identifiers.values.iter())
        .next()
        .cloned()
        .unwrap_or_else(|| "*".to_string());
    let condition = |key: &str, path: &str| -> Value<Option<String>> {
        match s
            .conditions
            .iter()
            .find(|c| c.variable.eq_ignore_ascii_case(key))
            .and_then(|c| c.values.values.first())
        {
            Some(v) => Value::set(Some(v.clone()), o.clone(), path),
            None => Value::defaulted(None, o.clone(), path),
        }
    };
    LambdaPermission {
        principal: Value::set(principal, o.clone(), "principal"),
        source_arn: condition("aws:SourceArn", "source_arn"),
        source_account: condition("aws:SourceAccount", "source_account"),
        principal_org_id: condition("aws:PrincipalOrgID", "principal_org_id"),
        function_url_auth_type: condition("lambda:FunctionUrlAuthType", "function_url_auth_type"),
        meta,
    }
}

/// A function whose policy could not be read: one permission of unknown contents.
fn unknown(scope: &Scope, arn: &str, reason: String) -> LambdaPermission {
    let (meta, o) = meta(scope, arn, "*");
    LambdaPermission {
        principal: Value::unknown(reason.clone(), o.clone(), "principal"),
        source_arn: Value::unknown(reason.clone(), o.clone(), "source_arn"),
        source_account: Value::unknown(reason.clone(), o.clone(), "source_account"),
        principal_org_id: Value::unknown(reason.clone(), o.clone(), "principal_org_id"),
        function_url_auth_type: Value::unknown(reason, o, "function_url_auth_type"),
        meta,
    }
}
