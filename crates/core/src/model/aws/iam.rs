//! IAM: the account password policy, users, groups, roles, managed policies, and the
//! policy-document type shared by IAM policies, trust policies and resource policies.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A parsed IAM policy document (identity policy, trust policy or resource policy).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyDocument {
    /// The statements, in document order.
    pub statements: Vec<Statement>,
    /// Set when some statements could not be read (an included document that is
    /// unknown); the reason. Rules that look for a statement that is absent must treat
    /// the document as not fully known.
    pub incomplete: Option<Arc<str>>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// `"Effect": "Allow"` (the default in `aws_iam_policy_document`).
    Allow,
    /// `"Effect": "Deny"`.
    Deny,
    /// The effect could not be evaluated.
    Unknown,
}

/// A list of strings from a policy (actions, resources, identifiers, condition values),
/// some of which may be unknown before apply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Patterns {
    /// The known entries, as written (wildcards kept).
    pub values: Vec<String>,
    /// Set when some entries could not be evaluated; the reason.
    pub unknown: Option<Arc<str>>,
    /// Set when some unknown entry does not come from the configuration's own
    /// resources (a variable, a module input, possibly inside a longer string such as
    /// `arn:aws:iam::${var.account_id}:root`): the reason. Such an entry may name
    /// anything outside the configuration — another account, say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<Arc<str>>,
}

impl Patterns {
    /// Patterns from known strings.
    pub fn known<I: IntoIterator<Item = S>, S: Into<String>>(it: I) -> Self {
        Patterns {
            values: it.into_iter().map(Into::into).collect(),
            unknown: None,
            external: None,
        }
    }

    /// Whether no entry is written (known and empty).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.unknown.is_none()
    }

    /// Whether a known entry equals `s` (case-insensitive, as IAM compares actions).
    pub fn contains_ci(&self, s: &str) -> bool {
        self.values.iter().any(|v| v.eq_ignore_ascii_case(s))
    }
}

/// A principal block: `{"AWS": [...]}`, `{"Service": ...}`, or `"*"` (type `*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Principal {
    /// `AWS`, `Service`, `Federated`, `CanonicalUser` or `*`.
    pub kind: String,
    /// Identifiers (ARNs, account ids, service names, `*`).
    pub identifiers: Patterns,
}

impl Principal {
    /// Whether the principal is everyone: type `*`, or type `AWS` with the identifier
    /// `*` (alone or in a list). Other types (`Service`, `Federated`, `CanonicalUser`)
    /// never name everyone.
    pub fn is_everyone(&self) -> bool {
        (self.kind == "*" || self.kind.eq_ignore_ascii_case("AWS"))
            && self.identifiers.values.iter().any(|v| v.trim() == "*")
    }
}

/// Whether a resource or trust policy grants access to everyone, as
/// [`PolicyDocument::exposure`] judges it.
#[derive(Debug, Clone, PartialEq)]
pub enum Exposure<'a> {
    /// A statement allows everyone without a condition restricting the caller: its
    /// position in the document, and the statement.
    Public(usize, &'a Statement),
    /// No statement does, and the document is fully known.
    Private,
    /// No known statement does, but part of the document is unknown; the reason.
    Unknown(Arc<str>),
}

/// One condition: `"<test>": {"<variable>": [<values>]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Condition {
    /// Operator, e.g. `Bool`, `BoolIfExists`, `StringEquals`.
    pub test: String,
    /// Context key, e.g. `aws:SecureTransport`.
    pub variable: String,
    /// Values, as strings (`false`, `true`, ...).
    pub values: Patterns,
}

/// One statement of a policy document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Statement {
    /// `Sid`, if any.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Action`.
    pub actions: Patterns,
    /// `NotAction`.
    pub not_actions: Patterns,
    /// `Resource`.
    pub resources: Patterns,
    /// `NotResource`.
    pub not_resources: Patterns,
    /// `Principal` (resource and trust policies).
    pub principals: Vec<Principal>,
    /// `NotPrincipal`.
    pub not_principals: Vec<Principal>,
    /// `Condition`, flattened.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// Whether the statement applies to every principal: `"Principal": "*"`,
    /// `{"AWS": "*"}` or `{"AWS": ["*", ...]}` (only meaningful for resource and trust
    /// policies). An ARN with a wildcard inside (`arn:aws:iam::*:root`) is not everyone:
    /// IAM accepts `*` only as the whole principal and rejects such a policy.
    pub fn applies_to_everyone(&self) -> bool {
        self.principals.iter().any(Principal::is_everyone)
    }

    /// Whether the statement grants to everyone: it applies to everyone, or it is an
    /// `Allow` with `NotPrincipal` (everyone except the principals listed).
    pub fn grants_everyone(&self) -> bool {
        self.applies_to_everyone()
            || (self.effect != Effect::Deny && !self.not_principals.is_empty())
    }

    /// Whether a condition with operator `test` (or its `IfExists` form), key `variable`
    /// (both case-insensitive) includes the known value `value` (case-insensitive).
    pub fn has_condition(&self, test: &str, variable: &str, value: &str) -> bool {
        let if_exists = format!("{test}IfExists");
        self.conditions.iter().any(|c| {
            (c.test.eq_ignore_ascii_case(test) || c.test.eq_ignore_ascii_case(&if_exists))
                && c.variable.eq_ignore_ascii_case(variable)
                && c.values.contains_ci(value)
        })
    }

    /// Whether a condition limits who can use the statement to known callers: the
    /// calling account, organization, network or source resource (`aws:SourceArn`,
    /// `aws:SourceAccount`, `aws:SourceVpc(e)`, `aws:SourceIp`, `aws:PrincipalOrgID`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`, `kms:CallerAccount`, ...).
    ///
    /// Not restricting: `aws:Referer`, `aws:UserAgent`, `aws:SecureTransport` and
    /// `sts:ExternalId` (any client can send them); negated operators (`StringNotEquals`,
    /// `ArnNotLike`, `NotIpAddress`) and `Null`; `...IfExists` operators (a caller
    /// without the key, such as an anonymous one, is let through); `ForAllValues:`
    /// (true when the key is absent); and values that match anything (`*`,
    /// `0.0.0.0/0`, `::/0`).
    pub fn has_restricting_condition(&self) -> bool {
        const KEYS: [&str; 18] = [
            "aws:sourcearn",
            "aws:sourceaccount",
            "aws:sourceowner",
            "aws:sourcevpc",
            "aws:sourcevpce",
            "aws:sourceip",
            "aws:vpcsourceip",
            "aws:sourceorgid",
            "aws:sourceorgpaths",
            "aws:principalorgid",
            "aws:principalorgpaths",
            "aws:principalaccount",
            "aws:principalarn",
            "aws:userid",
            "aws:username",
            "kms:calleraccount",
            "s3:dataaccesspointaccount",
            "aws:resourceorgid",
        ];
        self.conditions.iter().any(|c| {
            let test = c.test.to_ascii_lowercase();
            let matches_anything = c.values.unknown.is_none()
                && !c.values.values.is_empty()
                && c.values.values.iter().any(|v| matches_any_caller(v));
            KEYS.contains(&c.variable.to_ascii_lowercase().as_str())
                && !test.starts_with("stringnot")
                && !test.starts_with("arnnot")
                && !test.starts_with("notipaddress")
                && !test.starts_with("forallvalues:")
                && !test.contains("null")
                && !test.ends_with("ifexists")
                && !matches_anything
        })
    }

    /// Whether the statement allows everyone (`Principal "*"`, `{"AWS": "*"}`, or an
    /// `Allow` with `NotPrincipal`) without a condition restricting the caller: a public
    /// grant in a resource or trust policy.
    pub fn is_public_allow(&self) -> bool {
        self.effect == Effect::Allow && self.grants_everyone() && !self.has_restricting_condition()
    }

    /// How to name the statement in a message: its `Sid`, else its position (1-based).
    pub fn label(&self, index: usize) -> String {
        match self.sid.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(sid) => format!("statement \"{sid}\""),
            None => format!("statement {}", index + 1),
        }
    }

    /// Whether the statement's `Action` covers `action`: an exact, case-insensitive match
    /// or an IAM pattern with `*` and `?` wildcards (see [`wildcard_match`]).
    pub fn covers_action(&self, action: &str) -> bool {
        self.actions
            .values
            .iter()
            .any(|a| wildcard_match(a, action))
    }
}

/// Whether a condition value matches every caller: `*`, the whole IPv4 or IPv6 space,
/// or an ARN pattern whose account and resource are wildcards (`arn:aws:sns:*:*:*`:
/// any topic of any account).
fn matches_any_caller(value: &str) -> bool {
    let v = value.trim();
    if matches!(v, "*" | "0.0.0.0/0" | "::/0") {
        return true;
    }
    let parts: Vec<&str> = v.split(':').collect();
    parts.len() >= 6
        && parts[0] == "arn"
        && parts[4] == "*"
        && parts[5..].iter().all(|p| p.chars().all(|c| c == '*'))
}

/// ARNs of AWS managed policies that make their holder an administrator: full access to
/// everything, or to IAM (which lets the holder grant itself everything).
pub const ADMIN_MANAGED_POLICIES: [&str; 2] = [
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/IAMFullAccess",
];

impl PolicyDocument {
    /// The one notion of a public resource or trust policy: the first statement that
    /// [`Statement::is_public_allow`]; else unknown when the document is incomplete or
    /// a statement that would be public has an unknown effect; else private.
    pub fn exposure(&self) -> Exposure<'_> {
        if let Some((i, s)) = self
            .statements
            .iter()
            .enumerate()
            .find(|(_, s)| s.is_public_allow())
        {
            return Exposure::Public(i, s);
        }
        if let Some(r) = &self.incomplete {
            return Exposure::Unknown(r.clone());
        }
        let unsure = self.statements.iter().find(|s| {
            s.effect == Effect::Unknown && s.grants_everyone() && !s.has_restricting_condition()
        });
        if unsure.is_some() {
            return Exposure::Unknown(
                "the effect of a statement granting everyone is unknown".into(),
            );
        }
        Exposure::Private
    }

    /// Whether an `Allow` statement grants an administrator-level permission: every action
    /// (`*`) or every IAM action (`iam:*`) on every resource (`*`).
    pub fn grants_admin(&self) -> bool {
        self.statements.iter().any(|s| {
            s.effect == Effect::Allow
                && s.resources.contains_ci("*")
                && (s.actions.contains_ci("*") || s.actions.contains_ci("iam:*"))
        })
    }
}

impl AttachedPolicy {
    /// Whether the attached policy is administrator-level: `Some(true)` for the AWS
    /// managed admin policies and documents that [`PolicyDocument::grants_admin`],
    /// `Some(false)` for other AWS managed policies (known by name) and documents that do
    /// not, `None` when the document is unknown.
    pub fn is_admin(&self) -> Option<bool> {
        if let Some(arn) = self.policy.known() {
            if ADMIN_MANAGED_POLICIES.contains(&arn.as_str()) {
                return Some(true);
            }
            if arn.starts_with("arn:aws:iam::aws:policy/") {
                return Some(false);
            }
        }
        self.document.known().map(PolicyDocument::grants_admin)
    }
}

/// Every identity-based policy document of the model, with the resource that declares
/// it: customer managed policies and the inline policies of users, groups and roles.
///
/// Reads: `aws.iam_policies`, `aws.iam_users`, `aws.iam_groups`, `aws.iam_roles`.
pub fn identity_policy_documents(
    aws: &super::AwsModel,
) -> Vec<(&ResourceMeta, &Value<PolicyDocument>)> {
    let mut out: Vec<(&ResourceMeta, &Value<PolicyDocument>)> = aws
        .iam_policies
        .iter()
        .map(|p| (&p.meta, &p.document))
        .collect();
    let inline = aws
        .iam_users
        .iter()
        .flat_map(|u| &u.inline_policies)
        .chain(aws.iam_groups.iter().flat_map(|g| &g.inline_policies))
        .chain(aws.iam_roles.iter().flat_map(|r| &r.inline_policies));
    out.extend(inline.map(|p| (&p.meta, &p.document)));
    out
}

/// Case-insensitive match of an IAM pattern with `*` (any run of characters, possibly
/// empty) and `?` (exactly one character) wildcards. Case folding is ASCII only; `?`
/// matches one Unicode scalar value, not one byte, so `?` matches `é`.
///
/// The patterns come from scanned policy documents, so the matcher must stay fast on
/// hostile input: it is the greedy matcher that, on a mismatch, retries from the last
/// `*` with one more character absorbed. No recursion, no allocation, and at most
/// `O(len(pattern) * len(s))` steps (earlier stars never need revisiting: a later star
/// can absorb whatever an earlier one would have).
pub fn wildcard_match(pattern: &str, s: &str) -> bool {
    // Byte offsets into `pattern` and `s`, always on character boundaries.
    let (mut pi, mut si) = (0usize, 0usize);
    // After the last `*` seen: the pattern offset just past it, and the offset in `s`
    // where the star's current absorption ends.
    let mut star: Option<(usize, usize)> = None;
    loop {
        match (pattern[pi..].chars().next(), s[si..].chars().next()) {
            (Some('*'), _) => {
                pi += 1;
                star = Some((pi, si));
                continue;
            }
            (Some(pc), Some(sc)) if pc == '?' || pc.eq_ignore_ascii_case(&sc) => {
                pi += pc.len_utf8();
                si += sc.len_utf8();
                continue;
            }
            (None, None) => return true,
            _ => {}
        }
        // Mismatch: let the last star absorb one more character, or fail.
        let Some((star_p, star_s)) = star else {
            return false;
        };
        let Some(c) = s[star_s..].chars().next() else {
            return false;
        };
        let star_s = star_s + c.len_utf8();
        star = Some((star_p, star_s));
        pi = star_p;
        si = star_s;
    }
}

/// The account password policy (`aws_iam_account_password_policy`,
/// `GetAccountPasswordPolicy`). Defaults are the provider's (registry.terraform.io
/// `aws_iam_account_password_policy`): length 6, no character classes, no reuse
/// prevention, no expiry.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PasswordPolicy {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `minimum_password_length`; `Defaulted(6)`.
    pub minimum_length: Value<i64>,
    /// `require_symbols`; `Defaulted(false)`.
    pub require_symbols: Value<bool>,
    /// `require_numbers`; `Defaulted(false)`.
    pub require_numbers: Value<bool>,
    /// `require_uppercase_characters`; `Defaulted(false)`.
    pub require_uppercase: Value<bool>,
    /// `require_lowercase_characters`; `Defaulted(false)`.
    pub require_lowercase: Value<bool>,
    /// `password_reuse_prevention`: how many previous passwords cannot be reused;
    /// `Defaulted(0)` (no prevention).
    pub reuse_prevention: Value<i64>,
    /// `max_password_age` in days; `Defaulted(0)` (passwords never expire).
    pub max_age_days: Value<i64>,
}

/// A policy attached to a user, group or role: which one, and its document.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AttachedPolicy {
    /// The policy ARN, or the address of the Terraform resource that defines it.
    pub policy: Value<String>,
    /// The policy's (default version) document; unknown for AWS managed policies and
    /// policies not defined in the scanned configuration.
    pub document: Value<PolicyDocument>,
}

/// An inline policy embedded in a user, group or role.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InlinePolicy {
    /// Where the inline policy is declared (its own resource or the owner's block).
    pub meta: ResourceMeta,
    /// The document.
    pub document: Value<PolicyDocument>,
}

/// An IAM user.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamUser {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// User name.
    pub name: Value<String>,
    /// Whether the user has a console password (`aws_iam_user_login_profile`,
    /// `GetLoginProfile`); `Defaulted(false)` without one, unknown when a login profile's
    /// user could not be resolved.
    pub console_access: Value<bool>,
    /// Whether the user has an MFA device enrolled (`ListMFADevices`: at least one
    /// device). `None` when the source cannot know: Terraform cannot enable an MFA device
    /// (`aws_iam_virtual_mfa_device` only creates one; enabling it needs two codes from
    /// the authenticator), so a configuration never says whether a user enrolled one.
    /// Rules must treat `None` as "no evidence either way", never as a device.
    pub mfa_device: Option<Value<bool>>,
    /// When the console password was last used to sign in, in seconds since the Unix
    /// epoch (`ListUsers` `PasswordLastUsed`); `Set(None)` when it never was. `None`
    /// when the source cannot know: a configuration says nothing about sign-ins.
    #[serde(default)]
    pub password_last_used: Option<Value<Option<i64>>>,
    /// When the console password was set (`GetLoginProfile` `CreateDate`), the
    /// reference for a password never used. `None` when the source cannot know (a
    /// configuration sets it at apply time) or the user has no password.
    #[serde(default)]
    pub password_created: Option<Value<i64>>,
    /// Inline policies (`aws_iam_user_policy`).
    pub inline_policies: Vec<InlinePolicy>,
    /// Managed policies attached to the user.
    pub attached_policies: Vec<AttachedPolicy>,
    /// Names of the groups the user belongs to.
    pub groups: Vec<Value<String>>,
    /// Set when some policy attachment, group membership or login profile could not be
    /// tied to a user (its user is unknown) and might concern this one; the reason.
    pub unresolved: Option<Arc<str>>,
}

/// An IAM group.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Group name.
    pub name: Value<String>,
    /// Inline policies (`aws_iam_group_policy`).
    pub inline_policies: Vec<InlinePolicy>,
    /// Managed policies attached to the group.
    pub attached_policies: Vec<AttachedPolicy>,
    /// Set when some policy attachment could not be tied to a group and might concern
    /// this one; the reason.
    pub unresolved: Option<Arc<str>>,
}

/// An IAM role.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamRole {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Role name.
    pub name: Value<String>,
    /// Trust policy (`assume_role_policy`).
    pub trust_policy: Value<PolicyDocument>,
    /// `max_session_duration` in seconds; `Defaulted(3600)` (provider docs: "Default is
    /// 3600 seconds"; IAM API `CreateRole`: 1 hour).
    pub max_session_duration: Value<i64>,
    /// Inline policies (`inline_policy` blocks and `aws_iam_role_policy`).
    pub inline_policies: Vec<InlinePolicy>,
    /// Managed policies attached to the role.
    pub attached_policies: Vec<AttachedPolicy>,
    /// Set when some policy attachment could not be tied to a role and might concern
    /// this one; the reason.
    pub unresolved: Option<Arc<str>>,
}

/// An access key of an IAM user (`aws_iam_access_key`, `ListAccessKeys`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccessKey {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Name of the user the key belongs to.
    pub user: Value<String>,
    /// `status`: `Active` or `Inactive`; `Defaulted("Active")` (provider docs).
    pub status: Value<String>,
    /// When the key was created, in seconds since the Unix epoch (UTC)
    /// (`ListAccessKeys` `CreateDate`). `None` when the source cannot know: a
    /// configuration creates the key at apply time, so it has no creation date.
    pub created: Option<Value<i64>>,
    /// When the key was last used to sign a request (`GetAccessKeyLastUsed`
    /// `LastUsedDate`), in seconds since the Unix epoch; `Set(None)` when it never was.
    /// `None` when the source cannot know (a configuration).
    #[serde(default)]
    pub last_used: Option<Value<Option<i64>>>,
}

/// The account's root user as `GetAccountSummary` describes it; one per account,
/// identified by the root ARN (`arn:aws:iam::ACCOUNT:root`). Only live scans know it:
/// no Terraform resource declares or reads the root user's credentials.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AccountSummary {
    /// Identity: the root user's ARN.
    pub meta: ResourceMeta,
    /// Whether the root user has an MFA device (`AccountMFAEnabled` = 1).
    pub root_mfa_enabled: Value<bool>,
    /// Whether the root user has access keys, active or not (`AccountAccessKeysPresent`
    /// = 1).
    pub root_access_keys_present: Value<bool>,
}

/// A customer managed policy (`aws_iam_policy`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IamPolicy {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// Policy name.
    pub name: Value<String>,
    /// The document.
    pub document: Value<PolicyDocument>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> PolicyDocument {
        crate::model::aws::policy_json::parse_json(json).expect("valid policy")
    }

    #[test]
    fn exposure_of_resource_policies() {
        let public = |j: &str| matches!(doc(j).exposure(), Exposure::Public(..));
        // Everyone, in every spelling.
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*"}]}"#
        ));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*"}]}"#
        ));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"s3:*"}]}"#
        ));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*"}]}"#
        ));
        // Conditions that do not narrow the caller.
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-1"}}}]}"#
        ));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringLike":{"aws:SourceAccount":"*"}}}]}"#
        ));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}]}"#
        ));
        assert!(public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}"#
        ));
        // Narrowed, denied, or not everyone.
        assert!(!public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#
        ));
        assert!(!public(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#
        ));
        assert!(!public(
            r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*"}]}"#
        ));
        assert!(!public(
            r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*"}]}"#
        ));
        assert!(!public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"*"},"Action":"s3:*"}]}"#
        ));
        // IAM rejects a wildcard inside an ARN: not everyone.
        assert!(!public(
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::*:root"},"Action":"s3:*"}]}"#
        ));
        assert_eq!(
            doc(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"}}]}"#).exposure(),
            Exposure::Private
        );
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "s3:GetObject"));
        assert!(wildcard_match("s3:*", "S3:GetObject"));
        assert!(wildcard_match("s3:Get*", "s3:GetObject"));
        assert!(!wildcard_match("s3:Put*", "s3:GetObject"));
        assert!(wildcard_match("iam:?etUser", "iam:GetUser"));
    }

    #[test]
    fn wildcard_edge_cases() {
        // Empty pattern matches only the empty string.
        assert!(wildcard_match("", ""));
        assert!(!wildcard_match("", "a"));
        // `*` alone, and runs of stars, match anything including the empty string.
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("**", ""));
        assert!(wildcard_match("***", "iam:PassRole"));
        // Trailing stars.
        assert!(wildcard_match("iam:Pass*", "iam:Pass"));
        assert!(wildcard_match("iam:Pass**", "iam:PassRole"));
        assert!(!wildcard_match("iam:Pass*", "iam:Pas"));
        // Leading and inner stars.
        assert!(wildcard_match("*Role", "iam:PassRole"));
        assert!(wildcard_match("iam:*Role", "iam:PassRole"));
        assert!(wildcard_match("*:*", "iam:PassRole"));
        assert!(!wildcard_match("*:*", "iamPassRole"));
        assert!(wildcard_match("*a*b", "xaxxbxab"));
        assert!(!wildcard_match("*a*b", "xaxxbxa"));
        // The match is anchored at both ends.
        assert!(!wildcard_match("iam:Pass", "iam:PassRole"));
        assert!(!wildcard_match("Role", "iam:PassRole"));
        // `?` matches exactly one character, including at the end.
        assert!(wildcard_match("iam:PassRol?", "iam:PassRole"));
        assert!(!wildcard_match("iam:PassRole?", "iam:PassRole"));
        assert!(!wildcard_match("iam:PassRol??", "iam:PassRole"));
        assert!(!wildcard_match("?", ""));
        assert!(wildcard_match("?*", "a"));
        assert!(!wildcard_match("?*", ""));
        assert!(wildcard_match("*?", "ab"));
        // ASCII case-insensitive, both ways.
        assert!(wildcard_match("IAM:PASSROLE", "iam:passrole"));
        assert!(wildcard_match("iam:passrole", "IAM:PassRole"));
        assert!(wildcard_match("IAM:*", "iam:PassRole"));
        // Wildcard characters in the subject are plain characters.
        assert!(!wildcard_match("a", "*"));
        assert!(wildcard_match("?", "*"));
    }

    #[test]
    fn wildcard_question_mark_is_one_character() {
        // `?` consumes a whole UTF-8 character, never part of one.
        assert!(wildcard_match("?", "é"));
        assert!(!wildcard_match("??", "é"));
        assert!(wildcard_match("s3:caf?", "s3:café"));
        assert!(wildcard_match("*é", "aé"));
        assert!(wildcard_match("?*?", "日本"));
        // Non-ASCII characters compare exactly (case folding is ASCII only).
        assert!(!wildcard_match("É", "é"));
    }

    #[test]
    fn wildcard_hostile_pattern_terminates() {
        // A recursive matcher takes exponential time here; the greedy matcher is
        // O(len(pattern) * len(subject)).
        let subject = "a".repeat(10_000);
        let pattern = "*a".repeat(50) + "b";
        assert!(!wildcard_match(&pattern, &subject));
        let pattern = "*a".repeat(50) + "*";
        assert!(wildcard_match(&pattern, &subject));
        let pattern = "*?".repeat(50) + "*b";
        assert!(!wildcard_match(&pattern, &subject));
        let subject = "A".repeat(10_000) + "B";
        let pattern = "*a".repeat(50) + "b";
        assert!(wildcard_match(&pattern, &subject));
    }
}
