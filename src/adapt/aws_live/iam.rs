//! IAM: the account password policy, and users, groups, roles and customer managed
//! policies with their documents (`GetAccountAuthorizationDetails`), plus each user's
//! console access (`GetLoginProfile`).

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_iam::Client;
use futures_util::future::join_all;

use super::ctx::{percent_decode, ApiError, Scope, Shared};
use crate::adapt::terraform::model::policy::parse_json;
use crate::model::aws::iam::{
    AttachedPolicy, IamGroup, IamPolicy, IamRole, IamUser, InlinePolicy, PasswordPolicy,
    PolicyDocument,
};
use crate::model::aws::AwsModel;
use crate::model::{Origin, ResourceMeta, Value};

const SVC: &str = "iam";

/// Reads the account's IAM configuration (IAM is global; calls go to `scope.region`).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let client = Client::new(cfg);
    let (policy, details) = tokio::join!(
        password_policy(sh, &client, scope),
        sh.pages(
            SVC,
            &scope.region,
            "GetAccountAuthorizationDetails",
            client
                .get_account_authorization_details()
                .into_paginator()
                .send(),
        )
    );
    let mut model = AwsModel {
        password_policies: vec![policy],
        ..Default::default()
    };
    let pages = match details {
        Ok(p) => p,
        Err(e) => {
            sh.warn(format!(
                "IAM users, groups and roles not evaluated: {}",
                e.reason
            ));
            unlisted(scope, &e, &mut model);
            sh.progress.unit_done(1);
            return model;
        }
    };
    // Default-version documents of the managed policies the account can see.
    let mut managed: HashMap<String, Value<PolicyDocument>> = HashMap::new();
    for p in pages.iter().flat_map(|p| p.policies()) {
        let Some(arn) = p.arn() else { continue };
        let meta = scope.meta(arn, "aws_iam_policy");
        let doc = p
            .policy_version_list()
            .iter()
            .find(|v| v.is_default_version())
            .and_then(|v| v.document())
            .map(|d| document(d, &meta.origin, "policy"))
            .unwrap_or_else(|| {
                Value::unknown(
                    "the policy's default version was not returned",
                    meta.origin.clone(),
                    "policy",
                )
            });
        managed.insert(arn.to_string(), doc.clone());
        if !arn.contains(":aws:policy/") {
            model.iam_policies.push(IamPolicy {
                name: Value::set(
                    p.policy_name().unwrap_or_default().to_string(),
                    meta.origin.clone(),
                    "name",
                ),
                document: doc,
                meta,
            });
        }
    }
    let attached = |list: &[aws_sdk_iam::types::AttachedPolicy],
                    o: &Origin|
     -> Vec<AttachedPolicy> {
        list.iter()
            .filter_map(|a| a.policy_arn())
            .map(|arn| AttachedPolicy {
                policy: Value::set(arn.to_string(), o.clone(), "policy_arn"),
                document: managed.get(arn).cloned().unwrap_or_else(|| {
                    Value::unknown(
                        format!("the document of managed policy {arn} was not returned by iam:GetAccountAuthorizationDetails"),
                        o.clone(),
                        "policy_arn",
                    )
                }),
            })
            .collect()
    };
    let inline = |list: &[aws_sdk_iam::types::PolicyDetail], owner: &ResourceMeta, rtype: &str| {
        list.iter()
            .map(|p| {
                let name = p.policy_name().unwrap_or_default();
                let arn = format!("{}/inline-policy/{name}", owner.address);
                let meta = scope.meta(&arn, rtype);
                let doc = match p.policy_document() {
                    Some(d) => document(d, &meta.origin, "policy"),
                    None => Value::unknown(
                        "inline policy without document",
                        meta.origin.clone(),
                        "policy",
                    ),
                };
                InlinePolicy {
                    meta,
                    document: doc,
                }
            })
            .collect::<Vec<_>>()
    };
    let mut users = Vec::new();
    for u in pages.iter().flat_map(|p| p.user_detail_list()) {
        let (Some(arn), Some(name)) = (u.arn(), u.user_name()) else {
            continue;
        };
        let meta = scope.meta(arn, "aws_iam_user");
        let o = meta.origin.clone();
        users.push(IamUser {
            name: Value::set(name.to_string(), o.clone(), "name"),
            console_access: Value::unknown("not read yet", o.clone(), "login_profile"),
            inline_policies: inline(u.user_policy_list(), &meta, "aws_iam_user_policy"),
            attached_policies: attached(u.attached_managed_policies(), &o),
            groups: u
                .group_list()
                .iter()
                .map(|g| Value::set(g.clone(), o.clone(), "groups"))
                .collect(),
            unresolved: None,
            meta,
        });
    }
    for g in pages.iter().flat_map(|p| p.group_detail_list()) {
        let (Some(arn), Some(name)) = (g.arn(), g.group_name()) else {
            continue;
        };
        let meta = scope.meta(arn, "aws_iam_group");
        let o = meta.origin.clone();
        model.iam_groups.push(IamGroup {
            name: Value::set(name.to_string(), o.clone(), "name"),
            inline_policies: inline(g.group_policy_list(), &meta, "aws_iam_group_policy"),
            attached_policies: attached(g.attached_managed_policies(), &o),
            unresolved: None,
            meta,
        });
    }
    for r in pages.iter().flat_map(|p| p.role_detail_list()) {
        let (Some(arn), Some(name)) = (r.arn(), r.role_name()) else {
            continue;
        };
        let meta = scope.meta(arn, "aws_iam_role");
        let o = meta.origin.clone();
        model.iam_roles.push(IamRole {
            name: Value::set(name.to_string(), o.clone(), "name"),
            trust_policy: match r.assume_role_policy_document() {
                Some(d) => document(d, &o, "assume_role_policy"),
                None => {
                    Value::defaulted(PolicyDocument::default(), o.clone(), "assume_role_policy")
                }
            },
            max_session_duration: Value::unknown(
                "iam:GetAccountAuthorizationDetails does not return the maximum session duration",
                o.clone(),
                "max_session_duration",
            ),
            inline_policies: inline(r.role_policy_list(), &meta, "aws_iam_role_policy"),
            attached_policies: attached(r.attached_managed_policies(), &o),
            unresolved: None,
            meta,
        });
    }
    let profiles = join_all(users.iter().map(|u| {
        let name = u.name.known().cloned().unwrap_or_default();
        let client = &client;
        async move {
            sh.call(
                SVC,
                &scope.region,
                "GetLoginProfile",
                client.get_login_profile().user_name(name).send(),
            )
            .await
        }
    }))
    .await;
    for (u, p) in users.iter_mut().zip(profiles) {
        let o = u.meta.origin.clone();
        u.console_access = match p {
            Ok(_) => Value::set(true, o, "login_profile"),
            Err(e) if e.is(&["NoSuchEntity"]) => Value::defaulted(false, o, "login_profile"),
            Err(e) => e.unknown(o, "login_profile"),
        };
    }
    let n = users.len() + model.iam_groups.len() + model.iam_roles.len();
    model.iam_users = users;
    sh.progress.unit_done(n);
    model
}

/// Parses a (URL-encoded) policy document returned by IAM.
fn document(raw: &str, o: &Origin, path: &str) -> Value<PolicyDocument> {
    let text = if raw.trim_start().starts_with('{') {
        raw.to_string()
    } else {
        percent_decode(raw)
    };
    match parse_json(&text) {
        Ok(d) => Value::set(d, o.clone(), path),
        Err(e) => Value::unknown(
            format!("policy is not a valid policy document: {e}"),
            o.clone(),
            path,
        ),
    }
}

/// `GetAccountPasswordPolicy`; no policy (`NoSuchEntity`) means the documented defaults.
async fn password_policy(sh: &Shared, client: &Client, scope: &Scope) -> PasswordPolicy {
    let arn = scope.global_arn("iam", "account-password-policy");
    let meta = scope.meta(&arn, "aws_iam_account_password_policy");
    let o = meta.origin.clone();
    let r = sh
        .call(
            SVC,
            &scope.region,
            "GetAccountPasswordPolicy",
            client.get_account_password_policy().send(),
        )
        .await;
    let pp = match r {
        Ok(out) => out.password_policy,
        Err(e) if e.is(&["NoSuchEntity"]) => None,
        Err(e) => return unknown_password_policy(meta, &e),
    };
    let b = |v: Option<bool>, p: &str| match v {
        Some(x) => Value::set(x, o.clone(), p),
        None => Value::defaulted(false, o.clone(), p),
    };
    let i = |v: Option<i32>, d: i64, p: &str| match v {
        Some(x) => Value::set(i64::from(x), o.clone(), p),
        None => Value::defaulted(d, o.clone(), p),
    };
    match pp {
        Some(p) => PasswordPolicy {
            minimum_length: i(p.minimum_password_length(), 6, "minimum_password_length"),
            require_symbols: Value::set(p.require_symbols(), o.clone(), "require_symbols"),
            require_numbers: Value::set(p.require_numbers(), o.clone(), "require_numbers"),
            require_uppercase: Value::set(
                p.require_uppercase_characters(),
                o.clone(),
                "require_uppercase_characters",
            ),
            require_lowercase: Value::set(
                p.require_lowercase_characters(),
                o.clone(),
                "require_lowercase_characters",
            ),
            reuse_prevention: i(
                p.password_reuse_prevention(),
                0,
                "password_reuse_prevention",
            ),
            max_age_days: i(p.max_password_age(), 0, "max_password_age"),
            meta,
        },
        None => PasswordPolicy {
            minimum_length: i(None, 6, "minimum_password_length"),
            require_symbols: b(None, "require_symbols"),
            require_numbers: b(None, "require_numbers"),
            require_uppercase: b(None, "require_uppercase_characters"),
            require_lowercase: b(None, "require_lowercase_characters"),
            reuse_prevention: i(None, 0, "password_reuse_prevention"),
            max_age_days: i(None, 0, "max_password_age"),
            meta,
        },
    }
}

fn unknown_password_policy(meta: ResourceMeta, e: &ApiError) -> PasswordPolicy {
    let o = meta.origin.clone();
    PasswordPolicy {
        minimum_length: e.unknown(o.clone(), "minimum_password_length"),
        require_symbols: e.unknown(o.clone(), "require_symbols"),
        require_numbers: e.unknown(o.clone(), "require_numbers"),
        require_uppercase: e.unknown(o.clone(), "require_uppercase_characters"),
        require_lowercase: e.unknown(o.clone(), "require_lowercase_characters"),
        reuse_prevention: e.unknown(o.clone(), "password_reuse_prevention"),
        max_age_days: e.unknown(o.clone(), "max_password_age"),
        meta,
    }
}

/// Placeholders for users and roles that could not be listed.
fn unlisted(scope: &Scope, e: &ApiError, model: &mut AwsModel) {
    let meta = scope.meta(&scope.global_arn("iam", "user/*"), "aws_iam_user");
    let o = meta.origin.clone();
    model.iam_users.push(IamUser {
        name: e.unknown(o.clone(), "name"),
        console_access: e.unknown(o.clone(), "login_profile"),
        inline_policies: vec![InlinePolicy {
            meta: meta.clone(),
            document: e.unknown(o.clone(), "policy"),
        }],
        attached_policies: Vec::new(),
        groups: Vec::new(),
        unresolved: Some(e.reason.clone()),
        meta,
    });
    let meta = scope.meta(&scope.global_arn("iam", "policy/*"), "aws_iam_policy");
    model.iam_policies.push(IamPolicy {
        name: e.unknown(meta.origin.clone(), "name"),
        document: e.unknown(meta.origin.clone(), "policy"),
        meta,
    });
}
