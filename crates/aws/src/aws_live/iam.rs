//! IAM: the account password policy, the root user's MFA and access keys
//! (`GetAccountSummary`), and users, groups, roles and customer managed policies with
//! their documents (`GetAccountAuthorizationDetails`), plus each role's maximum session
//! duration (`ListRoles`), each user's last sign-in (`ListUsers`), console access
//! (`GetLoginProfile`), MFA devices (`ListMFADevices`) and access keys
//! (`ListAccessKeys`, `GetAccessKeyLastUsed`). The tags of every role and user come
//! with `GetAccountAuthorizationDetails` too: one `aws.resource_tags` entry each (the
//! Resource Groups Tagging API does not list IAM), tagged or not.

use std::collections::HashMap;

use aws_config::SdkConfig;
use aws_sdk_iam::types::SummaryKeyType;
use aws_sdk_iam::Client;
use futures_util::future::join_all;

use super::ctx::{percent_decode, ApiError, Scope, Shared};
use crate::model::aws::iam::{
    AccessKey, AccountSummary, AttachedPolicy, IamGroup, IamPolicy, IamRole, IamUser, InlinePolicy,
    PasswordPolicy, PolicyDocument,
};
use crate::model::aws::policy_json::parse_json;
use crate::model::aws::tags::{ResourceTags, Tags};
use crate::model::aws::AwsModel;
use crate::model::{Origin, ResourceMeta, Value};

const SVC: &str = "iam";

/// The `aws.resource_tags` entry of an IAM role or user: the tags
/// `GetAccountAuthorizationDetails` returned with it (none: known empty).
fn resource_tags(
    scope: &Scope,
    arn: &str,
    rtype: &str,
    tags: &[aws_sdk_iam::types::Tag],
) -> ResourceTags {
    let meta = scope.meta(arn, rtype);
    let mut t = Tags::default();
    for tag in tags {
        t.known
            .insert(tag.key().to_string(), tag.value().to_string());
    }
    ResourceTags {
        tags: Value::set(t, meta.origin.clone(), "tags"),
        meta,
    }
}

/// Reads the account's IAM configuration (IAM is global; calls go to `scope.region`).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let client = Client::new(cfg);
    let (policy, summary, details, listed_roles, listed_users) = tokio::join!(
        password_policy(sh, &client, scope),
        account_summary(sh, &client, scope),
        sh.pages(SVC, &scope.region, "GetAccountAuthorizationDetails", || {
            client
                .get_account_authorization_details()
                .into_paginator()
                .send()
        },),
        sh.pages(SVC, &scope.region, "ListRoles", || client
            .list_roles()
            .into_paginator()
            .send()),
        sh.pages(SVC, &scope.region, "ListUsers", || client
            .list_users()
            .into_paginator()
            .send()),
    );
    let mut model = AwsModel {
        password_policies: vec![policy],
        iam_account_summaries: vec![summary],
        ..Default::default()
    };
    let pages = match details {
        Ok(p) => p,
        Err(e) => {
            sh.warn(format!(
                "IAM users, groups and roles not evaluated: {}",
                e.reason
            ));
            sh.not_listed(
                scope,
                &[
                    "aws.iam_users",
                    "aws.iam_groups",
                    "aws.iam_roles",
                    "aws.iam_policies",
                    "aws.iam_access_keys",
                ],
                &e,
            );
            sh.progress.unit_done(1);
            return model;
        }
    };
    // `GetAccountAuthorizationDetails` does not return the maximum session duration of
    // roles; `ListRoles` does.
    let session_durations: Result<HashMap<String, Option<i32>>, ApiError> =
        listed_roles.map(|pages| {
            pages
                .iter()
                .flat_map(|p| p.roles())
                .map(|r| (r.arn().to_string(), r.max_session_duration()))
                .collect()
        });
    if let Err(e) = &session_durations {
        sh.warn(format!(
            "IAM role session durations not evaluated: {}",
            e.reason
        ));
    }
    // `GetAccountAuthorizationDetails` does not say when a user's password was last
    // used; `ListUsers` does (absent: never).
    let last_sign_ins: Result<HashMap<String, Option<i64>>, ApiError> = listed_users.map(|pages| {
        pages
            .iter()
            .flat_map(|p| p.users())
            .map(|u| {
                (
                    u.arn().to_string(),
                    u.password_last_used().map(|d| d.secs()),
                )
            })
            .collect()
    });
    if let Err(e) = &last_sign_ins {
        sh.warn(format!(
            "IAM users' last sign-ins not evaluated: {}",
            e.reason
        ));
    }
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
        model
            .resource_tags
            .push(resource_tags(scope, arn, "iam:user", u.tags()));
        users.push(IamUser {
            name: Value::set(name.to_string(), o.clone(), "name"),
            console_access: Value::unknown("not read yet", o.clone(), "login_profile"),
            mfa_device: Some(Value::unknown("not read yet", o.clone(), "mfa_devices")),
            password_last_used: Some(match &last_sign_ins {
                Ok(users) => match users.get(arn) {
                    Some(last) => Value::set(*last, o.clone(), "password_last_used"),
                    None => Value::unknown(
                        "iam:ListUsers did not return this user",
                        o.clone(),
                        "password_last_used",
                    ),
                },
                Err(e) => e.unknown(o.clone(), "password_last_used"),
            }),
            password_created: None,
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
        model
            .resource_tags
            .push(resource_tags(scope, arn, "iam:role", r.tags()));
        model.iam_roles.push(IamRole {
            name: Value::set(name.to_string(), o.clone(), "name"),
            trust_policy: match r.assume_role_policy_document() {
                Some(d) => document(d, &o, "assume_role_policy"),
                None => {
                    Value::defaulted(PolicyDocument::default(), o.clone(), "assume_role_policy")
                }
            },
            max_session_duration: session_duration(&session_durations, arn, &o),
            inline_policies: inline(r.role_policy_list(), &meta, "aws_iam_role_policy"),
            attached_policies: attached(r.attached_managed_policies(), &o),
            unresolved: None,
            meta,
        });
    }
    let per_user = join_all(
        users
            .iter()
            .map(|u| user_credentials(sh, &client, scope, u)),
    )
    .await;
    let mut failed: HashMap<&'static str, (usize, std::sync::Arc<str>)> = HashMap::new();
    for (u, (profile, mfa, keys)) in users.iter_mut().zip(per_user) {
        let o = u.meta.origin.clone();
        u.console_access = match profile {
            Ok(created) => {
                u.password_created = Some(match created {
                    Some(c) => Value::set(c, o.clone(), "login_profile.create_date"),
                    None => Value::unknown(
                        "iam:GetLoginProfile did not return when the password was set",
                        o.clone(),
                        "login_profile.create_date",
                    ),
                });
                Value::set(true, o.clone(), "login_profile")
            }
            Err(e) if e.is(&["NoSuchEntity"]) => {
                Value::defaulted(false, o.clone(), "login_profile")
            }
            Err(e) => {
                note(&mut failed, "GetLoginProfile", &e);
                u.password_created = Some(e.unknown(o.clone(), "login_profile.create_date"));
                e.unknown(o.clone(), "login_profile")
            }
        };
        u.mfa_device = Some(match mfa {
            Ok(any) => Value::set(any, o.clone(), "mfa_devices"),
            Err(e) => {
                note(&mut failed, "ListMFADevices", &e);
                e.unknown(o.clone(), "mfa_devices")
            }
        });
        match keys {
            Ok((keys, errors)) => {
                if let Some(e) = errors.first() {
                    note(&mut failed, "GetAccessKeyLastUsed", e);
                }
                model.iam_access_keys.extend(keys)
            }
            Err(e) => {
                note(&mut failed, "ListAccessKeys", &e);
                model.iam_access_keys.push(unlisted_key(
                    scope,
                    &u.meta.address,
                    u.name.clone(),
                    &e,
                ));
            }
        }
    }
    let mut failed: Vec<_> = failed.into_iter().collect();
    failed.sort();
    for (op, (n, reason)) in failed {
        sh.warn(format!("IAM: {op} failed for {n} user(s), e.g. {reason}"));
    }
    let n = users.len() + model.iam_groups.len() + model.iam_roles.len();
    model.iam_users = users;
    sh.progress.unit_done(n);
    model
}

/// Counts a failed per-user call for the summary warning (the first reason is kept).
fn note(
    failed: &mut HashMap<&'static str, (usize, std::sync::Arc<str>)>,
    op: &'static str,
    e: &ApiError,
) {
    failed.entry(op).or_insert((0, e.reason.clone())).0 += 1;
}

/// A role's maximum session duration from the `ListRoles` listing.
fn session_duration(
    listed: &Result<HashMap<String, Option<i32>>, ApiError>,
    arn: &str,
    o: &Origin,
) -> Value<i64> {
    const PATH: &str = "max_session_duration";
    match listed {
        Ok(map) => match map.get(arn) {
            Some(Some(secs)) => Value::set(i64::from(*secs), o.clone(), PATH),
            Some(None) => Value::unknown(
                "iam:ListRoles did not return the role's maximum session duration",
                o.clone(),
                PATH,
            ),
            None => Value::unknown(
                "the role was not returned by iam:ListRoles (created or deleted during the scan?)",
                o.clone(),
                PATH,
            ),
        },
        Err(e) => e.unknown(o.clone(), PATH),
    }
}

/// What one user's credentials calls returned: the login profile (`Ok` with when the
/// password was set, when it exists), whether an MFA device is enrolled, and the access
/// keys with the `GetAccessKeyLastUsed` calls that failed.
type UserCredentials = (
    Result<Option<i64>, ApiError>,
    Result<bool, ApiError>,
    Result<(Vec<AccessKey>, Vec<ApiError>), ApiError>,
);

/// `GetLoginProfile`, `ListMFADevices` and `ListAccessKeys` of one user.
async fn user_credentials(
    sh: &Shared,
    client: &Client,
    scope: &Scope,
    u: &IamUser,
) -> UserCredentials {
    let name = u.name.known().cloned().unwrap_or_default();
    let (profile, mfa, keys) = tokio::join!(
        sh.call(SVC, &scope.region, "GetLoginProfile", || client
            .get_login_profile()
            .user_name(&name)
            .send(),),
        sh.pages(SVC, &scope.region, "ListMFADevices", || client
            .list_mfa_devices()
            .user_name(&name)
            .into_paginator()
            .send(),),
        sh.pages(SVC, &scope.region, "ListAccessKeys", || client
            .list_access_keys()
            .user_name(&name)
            .into_paginator()
            .send(),),
    );
    let mfa = mfa.map(|pages| pages.iter().any(|p| !p.mfa_devices().is_empty()));
    let keys = match keys {
        Ok(pages) => {
            let listed: Vec<&aws_sdk_iam::types::AccessKeyMetadata> =
                pages.iter().flat_map(|p| p.access_key_metadata()).collect();
            Ok(keys_of(sh, client, scope, u, &name, &listed).await)
        }
        Err(e) => Err(e),
    };
    let profile = profile.map(|p| p.login_profile().map(|lp| lp.create_date().secs()));
    (profile, mfa, keys)
}

/// The listed access keys of user `u`, each with when it was last used
/// (`GetAccessKeyLastUsed`), and the last-used calls that failed.
async fn keys_of(
    sh: &Shared,
    client: &Client,
    scope: &Scope,
    u: &IamUser,
    name: &str,
    listed: &[&aws_sdk_iam::types::AccessKeyMetadata],
) -> (Vec<AccessKey>, Vec<ApiError>) {
    let ids: Vec<&str> = listed.iter().filter_map(|k| k.access_key_id()).collect();
    let last_used = join_all(listed.iter().map(|k| async move {
        let id = k.access_key_id()?;
        Some(
            sh.call(SVC, &scope.region, "GetAccessKeyLastUsed", || {
                client.get_access_key_last_used().access_key_id(id).send()
            })
            .await,
        )
    }))
    .await;
    let mut errors = Vec::new();
    let keys = listed
        .iter()
        .zip(last_used)
        .map(|(k, last)| {
            let label = key_label(k.access_key_id().unwrap_or_default(), &ids);
            let arn = format!("{}/access-key/{label}", u.meta.address);
            let meta = scope.meta(&arn, "aws_iam_access_key");
            let o = meta.origin.clone();
            let last_used = match last {
                // Absent when the key was never used (AWS answers Region "N/A").
                Some(Ok(r)) => Value::set(
                    r.access_key_last_used()
                        .and_then(|l| l.last_used_date())
                        .map(|d| d.secs()),
                    o.clone(),
                    "last_used_date",
                ),
                Some(Err(e)) => {
                    let v = e.unknown(o.clone(), "last_used_date");
                    errors.push(e);
                    v
                }
                None => Value::unknown(
                    "iam:ListAccessKeys did not return the key's id",
                    o.clone(),
                    "last_used_date",
                ),
            };
            AccessKey {
                user: Value::set(name.to_string(), o.clone(), "user"),
                status: match k.status() {
                    Some(s) => Value::set(s.as_str().to_string(), o.clone(), "status"),
                    None => Value::unknown(
                        "iam:ListAccessKeys did not return the key's status",
                        o.clone(),
                        "status",
                    ),
                },
                created: Some(match k.create_date() {
                    Some(d) => Value::set(d.secs(), o.clone(), "create_date"),
                    None => Value::unknown(
                        "iam:ListAccessKeys did not return the key's creation date",
                        o.clone(),
                        "create_date",
                    ),
                }),
                last_used: Some(last_used),
                meta,
            }
        })
        .collect();
    (keys, errors)
}

/// How an access key is named in its address: the last four characters of its id (the
/// full id is masked in reports, as a credential), eight when another key of the same
/// user ends the same way.
fn key_label(id: &str, ids: &[&str]) -> String {
    let tail = |s: &str, n: usize| -> String {
        let c: Vec<char> = s.chars().collect();
        c[c.len().saturating_sub(n)..].iter().collect()
    };
    let short = tail(id, 4);
    if ids.iter().filter(|other| tail(other, 4) == short).count() > 1 {
        tail(id, 8)
    } else {
        short
    }
}

/// A placeholder for the access keys of a user whose keys could not be listed.
fn unlisted_key(scope: &Scope, user_arn: &str, user: Value<String>, e: &ApiError) -> AccessKey {
    let meta = scope.meta(&format!("{user_arn}/access-key/*"), "aws_iam_access_key");
    let o = meta.origin.clone();
    AccessKey {
        user: Value {
            path: "user".into(),
            ..user
        },
        status: e.unknown(o.clone(), "status"),
        created: Some(e.unknown(o.clone(), "create_date")),
        last_used: Some(e.unknown(o, "last_used_date")),
        meta,
    }
}

/// `GetAccountSummary`: whether the root user has MFA and access keys.
async fn account_summary(sh: &Shared, client: &Client, scope: &Scope) -> AccountSummary {
    let arn = scope.global_arn("iam", "root");
    let meta = scope.meta(&arn, "aws_iam_root_user");
    let o = meta.origin.clone();
    let r = sh
        .call(SVC, &scope.region, "GetAccountSummary", || {
            client.get_account_summary().send()
        })
        .await;
    let map = match r {
        Ok(out) => out.summary_map.unwrap_or_default(),
        Err(e) => {
            sh.warn(format!("IAM root user not evaluated: {}", e.reason));
            return AccountSummary {
                root_mfa_enabled: e.unknown(o.clone(), "AccountMFAEnabled"),
                root_access_keys_present: e.unknown(o, "AccountAccessKeysPresent"),
                meta,
            };
        }
    };
    let flag = |key: SummaryKeyType, path: &str| match map.get(&key) {
        Some(v) => Value::set(*v != 0, o.clone(), path),
        None => Value::unknown(
            format!("iam:GetAccountSummary did not return {path}"),
            o.clone(),
            path,
        ),
    };
    AccountSummary {
        root_mfa_enabled: flag(SummaryKeyType::AccountMfaEnabled, "AccountMFAEnabled"),
        root_access_keys_present: flag(
            SummaryKeyType::AccountAccessKeysPresent,
            "AccountAccessKeysPresent",
        ),
        meta,
    }
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
        .call(SVC, &scope.region, "GetAccountPasswordPolicy", || {
            client.get_account_password_policy().send()
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_keys_are_named_by_the_end_of_their_id() {
        let a = "AKIAIOSFODNN7EXAMPLE";
        let b = "AKIAIOSFODNN7EXAMPLF";
        assert_eq!(key_label(a, &[a, b]), "MPLE");
        // Two keys of one user ending alike are told apart by eight characters.
        let c = "AKIAJJJJJJJJJJJXMPLE";
        assert_eq!(key_label(a, &[a, c]), "7EXAMPLE");
        assert_eq!(key_label(c, &[a, c]), "JJJXMPLE");
    }
}
