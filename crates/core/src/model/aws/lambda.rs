//! AWS Lambda: resource-based permissions of functions.

use serde::{Deserialize, Serialize};

use super::iam::{Condition, Effect, Patterns, PolicyDocument, Principal, Statement};
use crate::model::{Resolved, ResourceMeta, Value};

/// One statement of a function's resource policy (`aws_lambda_permission`, `GetPolicy`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LambdaPermission {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `principal`: an account id or ARN, a service (`s3.amazonaws.com`), or `*`.
    pub principal: Value<String>,
    /// `source_arn`; `Defaulted(None)`.
    pub source_arn: Value<Option<String>>,
    /// `source_account`; `Defaulted(None)`.
    pub source_account: Value<Option<String>>,
    /// `principal_org_id`; `Defaulted(None)`.
    pub principal_org_id: Value<Option<String>>,
    /// `function_url_auth_type` (`NONE` or `AWS_IAM`), for function-URL permissions;
    /// `Defaulted(None)`.
    pub function_url_auth_type: Value<Option<String>>,
}

impl LambdaPermission {
    /// The statement the permission adds to the function's resource policy, as a
    /// document located at `principal`, so that the one notion of a public policy
    /// ([`PolicyDocument::exposure`]) judges it: `principal` (`*`, a service or an
    /// account), and `source_arn`, `source_account` and `principal_org_id` as the
    /// conditions `aws:SourceArn`, `aws:SourceAccount` and `aws:PrincipalOrgID`.
    /// Unknown when the principal is; incomplete when the principal is `*`, no
    /// restriction is known and one is unknown.
    pub fn policy(&self) -> Value<PolicyDocument> {
        let pr = &self.principal;
        let principal = match &pr.value {
            Resolved::Set(p) | Resolved::Defaulted(p) => p.trim(),
            Resolved::Unknown(r) => {
                return Value::unknown(r.clone(), pr.origin.clone(), pr.path.clone())
            }
        };
        let kind = if principal == "*" {
            "*"
        } else if principal.ends_with(".amazonaws.com") {
            "Service"
        } else {
            "AWS"
        };
        let mut conditions = Vec::new();
        let mut unknown = None;
        for (test, variable, v) in [
            ("ArnLike", "aws:SourceArn", &self.source_arn),
            ("StringEquals", "aws:SourceAccount", &self.source_account),
            ("StringEquals", "aws:PrincipalOrgID", &self.principal_org_id),
        ] {
            match &v.value {
                Resolved::Set(Some(x)) | Resolved::Defaulted(Some(x)) => {
                    conditions.push(Condition {
                        test: test.into(),
                        variable: variable.into(),
                        values: Patterns::known([x.clone()]),
                    })
                }
                Resolved::Set(None) | Resolved::Defaulted(None) => {}
                Resolved::Unknown(r) => {
                    unknown.get_or_insert(r.clone());
                }
            }
        }
        let incomplete = if kind == "*" && conditions.is_empty() {
            unknown
        } else {
            None
        };
        let statement = Statement {
            sid: None,
            effect: Effect::Allow,
            actions: Patterns::default(),
            not_actions: Patterns::default(),
            resources: Patterns::default(),
            not_resources: Patterns::default(),
            principals: vec![Principal {
                kind: kind.into(),
                identifiers: Patterns::known([principal.to_string()]),
            }],
            not_principals: Vec::new(),
            conditions,
        };
        Value::set(
            PolicyDocument {
                statements: vec![statement],
                incomplete,
            },
            pr.origin.clone(),
            pr.path.clone(),
        )
    }
}
