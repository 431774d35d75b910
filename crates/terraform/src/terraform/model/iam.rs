//! IAM: the account password policy, managed policies, and users, groups and roles joined
//! with their inline policies, policy attachments, group memberships and login profiles.
//! Access keys are tied to their user's name.
//! Users, groups and roles are matched by name (`user = aws_iam_user.u.name` evaluates
//! to the name) or by reference.

use std::sync::Arc;

use super::join::{base_address, resolve, Ctx, Joins, TargetSpec};
use super::policy::read_policy;
use super::read::{origin, Reader};
use crate::model::aws::iam::{
    AccessKey, AttachedPolicy, Effect, IamGroup, IamPolicy, IamRole, IamUser, InlinePolicy,
    PasswordPolicy, Patterns, PolicyDocument, Statement,
};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};
use crate::terraform::ir::{Dyn, Resource};

const USER: TargetSpec<'static> = TargetSpec {
    types: &["aws_iam_user"],
    name_attr: Some("name"),
    global_names: false,
};
const GROUP: TargetSpec<'static> = TargetSpec {
    types: &["aws_iam_group"],
    name_attr: Some("name"),
    global_names: false,
};
const ROLE: TargetSpec<'static> = TargetSpec {
    types: &["aws_iam_role"],
    name_attr: Some("name"),
    global_names: false,
};

/// The document of the AWS managed `AdministratorAccess` policy (`*` on `*`).
fn administrator_access() -> PolicyDocument {
    PolicyDocument {
        statements: vec![Statement {
            sid: None,
            effect: Effect::Allow,
            actions: Patterns::known(["*"]),
            not_actions: Patterns::default(),
            resources: Patterns::known(["*"]),
            not_resources: Patterns::default(),
            principals: vec![],
            not_principals: vec![],
            conditions: vec![],
        }],
        incomplete: None,
    }
}

/// A policy attached by ARN or reference, with its document when it is known. Only the
/// policies of `scope` (the root module of the attaching resource) are candidates: a
/// reference never leaves its configuration, and IAM names are per account.
fn attached_from(
    policies: &[IamPolicy],
    scope: &str,
    d: &Dyn,
    at: Origin,
    path: &str,
) -> AttachedPolicy {
    fn unk<T>(r: String, at: &Origin, path: &str) -> Value<T> {
        Value::unknown(r, at.clone(), path)
    }
    let policies: Vec<&IamPolicy> = policies
        .iter()
        .filter(|p| *p.meta.scope == *scope)
        .collect();
    match d {
        Dyn::Unknown(u) => match &u.refers_to {
            Some(addr) => {
                let found = policies
                    .iter()
                    .find(|p| &*p.meta.address == addr.as_ref())
                    .or_else(|| {
                        let mut it = policies
                            .iter()
                            .filter(|p| base_address(&p.meta.address) == addr.as_ref());
                        match (it.next(), it.next()) {
                            (Some(p), None) => Some(p),
                            _ => None,
                        }
                    });
                AttachedPolicy {
                    policy: Value::set(addr.to_string(), at.clone(), path),
                    document: match found {
                        Some(p) => p.document.clone(),
                        None => unk(
                            format!("policy {addr} is not defined in the configuration"),
                            &at,
                            path,
                        ),
                    },
                }
            }
            None => AttachedPolicy {
                policy: unk(u.reason.to_string(), &at, path),
                document: unk(u.reason.to_string(), &at, path),
            },
        },
        Dyn::String(arn) => {
            let document = if arn == "arn:aws:iam::aws:policy/AdministratorAccess" {
                Value::set(administrator_access(), at.clone(), path)
            } else if arn.starts_with("arn:aws:iam::aws:policy/") {
                unk(
                    format!(
                        "{arn} is an AWS managed policy whose document is not in the configuration"
                    ),
                    &at,
                    path,
                )
            } else {
                let name = arn.rsplit('/').next().unwrap_or_default();
                match policies
                    .iter()
                    .find(|p| p.name.known().is_some_and(|n| n == name))
                {
                    Some(p) => p.document.clone(),
                    None => unk(
                        format!("policy {arn} is not defined in the configuration"),
                        &at,
                        path,
                    ),
                }
            };
            AttachedPolicy {
                policy: Value::set(arn.clone(), at, path),
                document,
            }
        }
        _ => AttachedPolicy {
            policy: unk("`policy_arn` is not a string".into(), &at, path),
            document: unk("`policy_arn` is not a string".into(), &at, path),
        },
    }
}

fn attached_of(ctx: &Ctx<'_>, policies: &[IamPolicy], r: &Resource) -> Option<AttachedPolicy> {
    let a = r.body.attr("policy_arn")?;
    Some(attached_from(
        policies,
        ctx.scope(r),
        &a.value,
        origin(&r.file, a.pos),
        "policy_arn",
    ))
}

fn inline_of(ctx: &Ctx<'_>, r: &Resource) -> InlinePolicy {
    let rd = Reader::new(r);
    InlinePolicy {
        meta: ctx.meta(r),
        document: read_policy(ctx, &rd, "policy").unwrap_or_else(|| {
            Value::defaulted(PolicyDocument::default(), rd.owner_origin(), "policy")
        }),
    }
}

/// The name of a user/group/role given as a name or a reference.
fn name_value(
    ctx: &Ctx<'_>,
    from: &Resource,
    d: &Dyn,
    at: Origin,
    spec: TargetSpec<'_>,
) -> Value<String> {
    match d {
        Dyn::String(s) => Value::set(s.clone(), at, "name"),
        Dyn::Unknown(u) => {
            let res = resolve(ctx, from, d, spec);
            let name =
                res.definite
                    .first()
                    .and_then(|t| match t.body.attr("name").map(|a| &a.value) {
                        Some(Dyn::String(n)) => Some(n.clone()),
                        _ => None,
                    });
            match name {
                Some(n) => Value::set(n, at, "name"),
                None => Value::unknown(u.reason.clone(), at, "name"),
            }
        }
        _ => Value::unknown("not a name", at, "name"),
    }
}

fn first_possible(target: &Resource, joins: &[&Joins<'_>]) -> Option<Arc<str>> {
    joins.iter().find_map(|j| j.possible(target).cloned())
}

/// Adds IAM resources to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_iam_account_password_policy"]) {
        let rd = Reader::new(r);
        aws.password_policies.push(PasswordPolicy {
            meta: ctx.meta(r),
            minimum_length: rd.int("minimum_password_length", 6),
            require_symbols: rd.bool("require_symbols", false),
            require_numbers: rd.bool("require_numbers", false),
            require_uppercase: rd.bool("require_uppercase_characters", false),
            require_lowercase: rd.bool("require_lowercase_characters", false),
            reuse_prevention: rd.int("password_reuse_prevention", 0),
            max_age_days: rd.int("max_password_age", 0),
        });
    }
    let start = aws.iam_policies.len();
    for r in ctx.managed(&["aws_iam_policy"]) {
        let rd = Reader::new(r);
        let name = if rd.has("name") {
            rd.string("name", "")
        } else {
            Value::unknown(
                "the policy name is generated by Terraform",
                rd.owner_origin(),
                "name",
            )
        };
        aws.iam_policies.push(IamPolicy {
            meta: ctx.meta(r),
            name,
            document: read_policy(ctx, &rd, "policy").unwrap_or_else(|| {
                Value::unknown("the policy has no document", rd.owner_origin(), "policy")
            }),
        });
    }
    let policies = aws.iam_policies[start..].to_vec();

    let login = Joins::build(ctx, &["aws_iam_user_login_profile"], "user", USER);
    let user_inline = Joins::build(ctx, &["aws_iam_user_policy"], "user", USER);
    let user_attach = Joins::build(ctx, &["aws_iam_user_policy_attachment"], "user", USER);
    let pa_users = Joins::build(ctx, &["aws_iam_policy_attachment"], "users", USER);
    let pa_groups = Joins::build(ctx, &["aws_iam_policy_attachment"], "groups", GROUP);
    let pa_roles = Joins::build(ctx, &["aws_iam_policy_attachment"], "roles", ROLE);
    let user_groups = Joins::build(ctx, &["aws_iam_user_group_membership"], "user", USER);
    let group_members = Joins::build(ctx, &["aws_iam_group_membership"], "users", USER);
    let group_inline = Joins::build(ctx, &["aws_iam_group_policy"], "group", GROUP);
    let group_attach = Joins::build(ctx, &["aws_iam_group_policy_attachment"], "group", GROUP);
    let role_inline = Joins::build(ctx, &["aws_iam_role_policy"], "role", ROLE);
    let role_attach = Joins::build(ctx, &["aws_iam_role_policy_attachment"], "role", ROLE);

    for u in ctx.managed(USER.types) {
        let rd = Reader::new(u);
        let a = u;
        let console_access = match login.definite(a).first() {
            Some(l) => Value::set(true, Reader::new(l).owner_origin(), "login_profile"),
            None => match login.possible(a) {
                Some(r) => Value::unknown(r.clone(), rd.owner_origin(), "login_profile"),
                None => Value::defaulted(false, rd.owner_origin(), "login_profile"),
            },
        };
        let mut groups = Vec::new();
        for m in user_groups.definite(a) {
            if let Some(attr) = m.body.attr("groups") {
                let at = origin(&m.file, attr.pos);
                match &attr.value {
                    Dyn::List(items) => {
                        for g in items {
                            groups.push(name_value(ctx, m, g, at.clone(), GROUP));
                        }
                    }
                    other => groups.push(name_value(ctx, m, other, at, GROUP)),
                }
            }
        }
        for m in group_members.definite(a) {
            if let Some(attr) = m.body.attr("group") {
                groups.push(name_value(
                    ctx,
                    m,
                    &attr.value,
                    origin(&m.file, attr.pos),
                    GROUP,
                ));
            }
        }
        let mut attached: Vec<AttachedPolicy> = user_attach
            .definite(a)
            .iter()
            .chain(pa_users.definite(a))
            .filter_map(|r| attached_of(ctx, &policies, r))
            .collect();
        attached.dedup_by(|x, y| x.policy == y.policy);
        aws.iam_users.push(IamUser {
            meta: ctx.meta(u),
            name: rd.string("name", ""),
            console_access,
            // Terraform cannot enable an MFA device: the configuration cannot know.
            mfa_device: None,
            // Sign-ins are not in a configuration.
            password_last_used: None,
            password_created: None,
            inline_policies: user_inline
                .definite(a)
                .iter()
                .map(|r| inline_of(ctx, r))
                .collect(),
            attached_policies: attached,
            groups,
            unresolved: first_possible(
                a,
                &[
                    &user_inline,
                    &user_attach,
                    &pa_users,
                    &user_groups,
                    &group_members,
                ],
            ),
        });
    }

    for g in ctx.managed(GROUP.types) {
        let rd = Reader::new(g);
        let a = g;
        aws.iam_groups.push(IamGroup {
            meta: ctx.meta(g),
            name: rd.string("name", ""),
            inline_policies: group_inline
                .definite(a)
                .iter()
                .map(|r| inline_of(ctx, r))
                .collect(),
            attached_policies: group_attach
                .definite(a)
                .iter()
                .chain(pa_groups.definite(a))
                .filter_map(|r| attached_of(ctx, &policies, r))
                .collect(),
            unresolved: first_possible(a, &[&group_inline, &group_attach, &pa_groups]),
        });
    }

    for role in ctx.managed(ROLE.types) {
        let rd = Reader::new(role);
        let a = role;
        let mut inline: Vec<InlinePolicy> = role_inline
            .definite(a)
            .iter()
            .map(|r| inline_of(ctx, r))
            .collect();
        for b in rd.all("inline_policy") {
            if let Some(doc) = read_policy(ctx, &b, "policy") {
                inline.push(InlinePolicy {
                    meta: ctx.meta(role),
                    document: doc,
                });
            }
        }
        let mut attached: Vec<AttachedPolicy> = role_attach
            .definite(a)
            .iter()
            .chain(pa_roles.definite(a))
            .filter_map(|r| attached_of(ctx, &policies, r))
            .collect();
        if let Some(m) = rd.attr("managed_policy_arns") {
            let at = rd.origin_at(m.pos);
            if let Dyn::List(items) = &m.value {
                for it in items {
                    attached.push(attached_from(
                        &policies,
                        ctx.scope(role),
                        it,
                        at.clone(),
                        "managed_policy_arns",
                    ));
                }
            }
        }
        aws.iam_roles.push(IamRole {
            meta: ctx.meta(role),
            name: rd.string("name", ""),
            trust_policy: read_policy(ctx, &rd, "assume_role_policy").unwrap_or_else(|| {
                Value::unknown(
                    "the role has no trust policy",
                    rd.owner_origin(),
                    "assume_role_policy",
                )
            }),
            max_session_duration: rd.int("max_session_duration", 3600),
            inline_policies: inline,
            attached_policies: attached,
            unresolved: first_possible(a, &[&role_inline, &role_attach, &pa_roles]),
        });
    }

    for k in ctx.managed(&["aws_iam_access_key"]) {
        let rd = Reader::new(k);
        let user = match rd.attr("user") {
            Some(attr) => name_value(ctx, k, &attr.value, rd.origin_at(attr.pos), USER),
            None => Value::unknown("the key names no user", rd.owner_origin(), "user"),
        };
        aws.iam_access_keys.push(AccessKey {
            meta: ctx.meta(k),
            user: Value {
                path: "user".into(),
                ..user
            },
            status: rd.string("status", "Active"),
            // Created at apply time: the configuration has no creation date.
            created: None,
            last_used: None,
        });
    }
}
