//! AWS-IAM-016: IAM user credentials unused for more than 90 days are removed or
//! disabled.

use crate::model::aws::iam::{AccessKey, IamUser};
use crate::model::{Model, Resolved, ResourceMeta, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// The longest accepted time without use, in days.
const MAX_UNUSED_DAYS: i64 = 90;
const DAY: i64 = 86_400;

crate::declare_rule! {
    /// ## What it does
    /// Live AWS scans only (`scan --aws`): checks that no IAM user keeps a credential
    /// it has not used for more than 90 days before the scan:
    /// - a console password (`GetLoginProfile`) last used to sign in
    ///   (`ListUsers` `PasswordLastUsed`) more than 90 days ago, or never used and set
    ///   more than 90 days ago (the login profile's `CreateDate`);
    /// - an active access key last used (`GetAccessKeyLastUsed` `LastUsedDate`) more
    ///   than 90 days ago, or never used and created more than 90 days ago.
    ///
    /// Users without a password, and inactive keys, pass. Ages are measured against
    /// the time the scan started, read once for the whole scan.
    ///
    /// A Terraform configuration gives no result: it says nothing about sign-ins or
    /// key use.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.2 expects access to be removed when it is no longer needed, and CC6.1
    /// credentials to be limited to what is in use. A password or key nobody has used
    /// for three months belongs to someone who left, changed role or a retired
    /// system; it stays valid for whoever finds a copy, and nobody would notice its
    /// use. Auditors sample exactly these in the user access review; CIS AWS
    /// Foundations asks for credentials unused for 45 to 90 days to be disabled.
    ///
    /// ## Default assumed
    /// None: sign-ins, key use and creation dates are read from IAM.
    ///
    /// ## Not evaluated
    /// When the users cannot be listed (`iam:ListUsers` or
    /// `iam:GetAccountAuthorizationDetails` denied or failed), a user's login profile
    /// or access keys cannot be read (`iam:GetLoginProfile`, `iam:ListAccessKeys`), or
    /// a key's last use cannot be read (`iam:GetAccessKeyLastUsed`).
    ///
    /// ## How to fix
    /// Remove what is not used; a person who needs it again gets a new credential:
    /// ```sh
    /// aws iam delete-login-profile --user-name former-admin
    /// aws iam update-access-key --user-name ci --access-key-id OLD_KEY_ID --status Inactive
    /// aws iam delete-access-key --user-name ci --access-key-id OLD_KEY_ID
    /// ```
    pub struct IamUnusedCredentials {
        id: "AWS-IAM-016",
        slug: "iam-unused-credentials",
        title: "IAM user credentials unused for 90 days are removed",
        severity: Medium,
        family: Identity,
    }
}

impl Rule for IamUnusedCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for u in &model.aws.iam_users {
            // Only sources that know sign-ins (live scans) are judged.
            if let Some(last) = &u.password_last_used {
                check_password(u, last, model.now, out);
            }
        }
        for k in &model.aws.iam_access_keys {
            if let Some(last) = &k.last_used {
                check_key(k, last, model.now, out);
            }
        }
    }
}

/// A known value, or `None` after reporting it not evaluated on `meta`.
fn known<'a, T>(v: &'a Value<T>, meta: &ResourceMeta, out: &mut Emitter) -> Option<&'a T> {
    match &v.value {
        Resolved::Set(x) | Resolved::Defaulted(x) => Some(x),
        Resolved::Unknown(r) => {
            out.not_evaluated(meta, &v.origin, &v.path, r.to_string());
            None
        }
    }
}

/// What a credential's last use says about it at `now`: `None` when it was used or
/// created within the limit, else the failure message's tail.
fn idle(last_used: Option<i64>, created: i64, now: i64) -> Option<String> {
    let (since, what) = match last_used {
        Some(t) => (t, "last used on"),
        None => (created, "never used since it was set on"),
    };
    let days = (now - since) / DAY;
    (now - since > MAX_UNUSED_DAYS * DAY).then(|| {
        let date = crate::time::rfc3339(since);
        format!(
            "{what} {}, {days} days before the scan; remove credentials unused for {MAX_UNUSED_DAYS} days",
            &date[..10]
        )
    })
}

fn check_password(u: &IamUser, last: &Value<Option<i64>>, now: Option<i64>, out: &mut Emitter) {
    let Some(&console) = known(&u.console_access, &u.meta, out) else {
        return;
    };
    if !console {
        out.pass(&u.meta, &u.console_access.origin, &u.console_access.path);
        return;
    }
    let Some(&last_used) = known(last, &u.meta, out) else {
        return;
    };
    let created = match (&u.password_created, last_used) {
        (_, Some(_)) => 0,
        (Some(c), None) => match known(c, &u.meta, out) {
            Some(&c) => c,
            None => return,
        },
        (None, None) => {
            out.not_evaluated(
                &u.meta,
                &last.origin,
                &last.path,
                "the password was never used and when it was set is unknown",
            );
            return;
        }
    };
    let Some(now) = now else {
        out.not_evaluated(&u.meta, &last.origin, &last.path, NO_NOW);
        return;
    };
    let name = u.name.known().map(String::as_str).unwrap_or("unknown user");
    match idle(last_used, created, now) {
        Some(tail) => out.fail(
            &u.meta,
            &last.origin,
            &last.path,
            format!("console password of IAM user {name} was {tail}"),
        ),
        None => out.pass(&u.meta, &last.origin, &last.path),
    }
}

fn check_key(k: &AccessKey, last: &Value<Option<i64>>, now: Option<i64>, out: &mut Emitter) {
    let Some(status) = known(&k.status, &k.meta, out) else {
        return;
    };
    if !status.eq_ignore_ascii_case("active") {
        out.pass(&k.meta, &k.status.origin, &k.status.path);
        return;
    }
    let Some(&last_used) = known(last, &k.meta, out) else {
        return;
    };
    let created = match (&k.created, last_used) {
        (_, Some(_)) => 0,
        (Some(c), None) => match known(c, &k.meta, out) {
            Some(&c) => c,
            None => return,
        },
        (None, None) => {
            out.not_evaluated(
                &k.meta,
                &last.origin,
                &last.path,
                "the key was never used and its creation date is unknown",
            );
            return;
        }
    };
    let Some(now) = now else {
        out.not_evaluated(&k.meta, &last.origin, &last.path, NO_NOW);
        return;
    };
    let user = k.user.known().map(String::as_str).unwrap_or("unknown user");
    match idle(last_used, created, now) {
        Some(tail) => out.fail(
            &k.meta,
            &last.origin,
            &last.path,
            format!("active access key of IAM user {user} was {tail}"),
        ),
        None => out.pass(&k.meta, &last.origin, &last.path),
    }
}

const NO_NOW: &str = "the time of the scan is unknown, so how long the credential was unused is too";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Outcome;
    use crate::model::{Origin, ResourceMeta};

    /// 2026-03-01T00:00:00Z.
    const NOW: i64 = 1_772_323_200;

    fn origin() -> Origin {
        Origin::Aws {
            arn: "arn:aws:iam::123456789012:user/x".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }

    fn user(name: &str, console: bool, last: Value<Option<i64>>, created: i64) -> IamUser {
        let arn = format!("arn:aws:iam::123456789012:user/{name}");
        let o = origin();
        IamUser {
            meta: ResourceMeta::new(arn.as_str(), "aws_iam_user", o.clone()),
            name: Value::set(name.to_string(), o.clone(), "name"),
            console_access: Value::set(console, o.clone(), "login_profile"),
            mfa_device: None,
            password_last_used: Some(last),
            password_created: console.then(|| Value::set(created, o, "create_date")),
            inline_policies: vec![],
            attached_policies: vec![],
            groups: vec![],
            unresolved: None,
        }
    }

    fn key(name: &str, status: &str, last: Value<Option<i64>>, created: i64) -> AccessKey {
        let arn = format!("arn:aws:iam::123456789012:user/{name}/access-key/WXYZ");
        let o = origin();
        AccessKey {
            meta: ResourceMeta::new(arn.as_str(), "aws_iam_access_key", o.clone()),
            user: Value::set(name.to_string(), o.clone(), "user"),
            status: Value::set(status.to_string(), o.clone(), "status"),
            created: Some(Value::set(created, o, "create_date")),
            last_used: Some(last),
        }
    }

    fn used(t: Option<i64>) -> Value<Option<i64>> {
        Value::set(t, origin(), "last_used")
    }

    fn run(model: &Model) -> Vec<(String, &'static str)> {
        let mut e = Emitter::new(&IamUnusedCredentials::META);
        IamUnusedCredentials.check(model, &mut e);
        e.into_results()
            .into_iter()
            .map(|r| {
                let kind = match r.outcome {
                    Outcome::Fail { .. } => "fail",
                    Outcome::Pass => "pass",
                    Outcome::NotEvaluated { .. } => "not-evaluated",
                };
                (r.resource.to_string(), kind)
            })
            .collect()
    }

    fn users(names: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        names
            .iter()
            .map(|(n, k)| (format!("arn:aws:iam::123456789012:user/{n}"), *k))
            .collect()
    }

    #[test]
    fn passwords_unused_for_90_days_fail() {
        let mut model = Model {
            now: Some(NOW),
            ..Model::default()
        };
        model.aws.iam_users = vec![
            user("idle", true, used(Some(NOW - 91 * DAY)), NOW - 400 * DAY),
            user("edge", true, used(Some(NOW - 90 * DAY)), NOW - 400 * DAY),
            user("never-old", true, used(None), NOW - 91 * DAY),
            user("never-new", true, used(None), NOW - 10 * DAY),
            user("api-only", false, used(None), 0),
            user(
                "unread",
                true,
                Value::unknown("iam:ListUsers denied", origin(), "last_used"),
                NOW,
            ),
        ];
        assert_eq!(
            run(&model),
            users(&[
                ("idle", "fail"),
                ("edge", "pass"),
                ("never-old", "fail"),
                ("never-new", "pass"),
                ("api-only", "pass"),
                ("unread", "not-evaluated"),
            ])
        );
    }

    #[test]
    fn active_keys_unused_for_90_days_fail() {
        let mut model = Model {
            now: Some(NOW),
            ..Model::default()
        };
        model.aws.iam_access_keys = vec![
            key("idle", "Active", used(Some(NOW - 100 * DAY)), NOW - 400 * DAY),
            key("busy", "Active", used(Some(NOW - DAY)), NOW - 400 * DAY),
            key("never-old", "Active", used(None), NOW - 120 * DAY),
            key("never-new", "Active", used(None), NOW - DAY),
            key("off", "Inactive", used(None), NOW - 900 * DAY),
            key(
                "unread",
                "Active",
                Value::unknown("iam:GetAccessKeyLastUsed denied", origin(), "last_used"),
                NOW,
            ),
        ];
        let arn = |n: &str| format!("arn:aws:iam::123456789012:user/{n}/access-key/WXYZ");
        assert_eq!(
            run(&model),
            vec![
                (arn("idle"), "fail"),
                (arn("busy"), "pass"),
                (arn("never-old"), "fail"),
                (arn("never-new"), "pass"),
                (arn("off"), "pass"),
                (arn("unread"), "not-evaluated"),
            ]
        );
    }

    #[test]
    fn configurations_give_no_result_and_an_unknown_clock_is_not_a_pass() {
        let mut model = Model::default();
        let mut u = user("idle", true, used(Some(NOW - 91 * DAY)), NOW);
        let mut k = key("idle", "Active", used(Some(NOW - 91 * DAY)), NOW);
        model.aws.iam_users = vec![u.clone()];
        model.aws.iam_access_keys = vec![k.clone()];
        let results = run(&model);
        assert!(results.iter().all(|(_, kind)| *kind == "not-evaluated"));
        assert_eq!(results.len(), 2);
        u.password_last_used = None;
        k.last_used = None;
        model.aws.iam_users = vec![u];
        model.aws.iam_access_keys = vec![k];
        model.now = Some(NOW);
        assert!(run(&model).is_empty());
    }
}
