//! AWS-IAM-011: active IAM access keys are rotated within 90 days.

use crate::model::aws::iam::AccessKey;
use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// The oldest accepted active key, in days.
const MAX_AGE_DAYS: i64 = 90;

crate::declare_rule! {
    /// ## What it does
    /// Live AWS scans only (`scan --aws`): checks that every active access key of an
    /// IAM user (`ListAccessKeys`) was created at most 90 days before the scan. Inactive
    /// keys pass. Ages are measured against the time the scan started, read once, so
    /// every key of one scan is judged at the same instant.
    ///
    /// A Terraform configuration gives no result: `aws_iam_access_key` is created at
    /// apply time, so the configuration has no creation date to judge (AWS-IAM-005
    /// reports active keys created in code).
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects credentials to be protected and limited in time, CC6.2 their
    /// removal when no longer needed. Access keys never expire: the older a key, the
    /// more copies of it exist (laptops, CI variables, scripts, logs) and the longer a
    /// leaked copy stays usable. Rotating at least every 90 days (CIS AWS Foundations
    /// Benchmark) bounds that exposure and shows whether keys are still in use.
    ///
    /// ## Default assumed
    /// None: the status and creation date are read from IAM.
    ///
    /// ## Not evaluated
    /// When the user's access keys cannot be listed (`iam:ListAccessKeys` denied or
    /// failed), or the users cannot be listed at all.
    ///
    /// ## How to fix
    /// Prefer roles (instance profiles, IRSA, OIDC federation for CI) to access keys.
    /// Where a key is unavoidable, rotate it: create a second key, move every consumer
    /// to it, deactivate the old key, and delete it once nothing fails:
    /// ```sh
    /// aws iam create-access-key --user-name ci
    /// aws iam update-access-key --user-name ci --access-key-id OLD_KEY_ID --status Inactive
    /// aws iam delete-access-key --user-name ci --access-key-id OLD_KEY_ID
    /// ```
    pub struct IamAccessKeyRotation {
        id: "AWS-IAM-011",
        slug: "iam-access-key-rotation",
        title: "Active IAM access keys are rotated within 90 days",
        severity: Medium,
        family: Identity,
    }
}

impl Rule for IamAccessKeyRotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for k in &model.aws.iam_access_keys {
            // Only sources that know the creation date (live scans) are judged.
            if let Some(created) = &k.created {
                check_key(k, created, model.now, out);
            }
        }
    }
}

fn check_key(
    k: &AccessKey,
    created: &crate::model::Value<i64>,
    now: Option<i64>,
    out: &mut Emitter,
) {
    let (at, attr) = (&created.origin, &created.path);
    let active = match &k.status.value {
        Resolved::Set(s) | Resolved::Defaulted(s) => s.eq_ignore_ascii_case("active"),
        Resolved::Unknown(r) => {
            out.not_evaluated(&k.meta, at, attr, r.to_string());
            return;
        }
    };
    if !active {
        out.pass(&k.meta, at, attr);
        return;
    }
    let created_at = match &created.value {
        Resolved::Set(c) | Resolved::Defaulted(c) => *c,
        Resolved::Unknown(r) => {
            out.not_evaluated(&k.meta, at, attr, r.to_string());
            return;
        }
    };
    let Some(now) = now else {
        out.not_evaluated(
            &k.meta,
            at,
            attr,
            "the time of the scan is unknown, so the key's age is too",
        );
        return;
    };
    let age_secs = now - created_at;
    if age_secs > MAX_AGE_DAYS * 86_400 {
        let user = k.user.known().map(String::as_str).unwrap_or("unknown user");
        let date = crate::time::rfc3339(created_at);
        out.fail(
            &k.meta,
            at,
            attr,
            format!(
                "active access key of IAM user {user} was created on {}, {} days before the scan; rotate keys at least every {MAX_AGE_DAYS} days",
                &date[..10],
                age_secs / 86_400
            ),
        );
    } else {
        out.pass(&k.meta, at, attr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Outcome;
    use crate::model::{Origin, ResourceMeta, Value};

    const DAY: i64 = 86_400;
    /// 2026-03-01T00:00:00Z.
    const NOW: i64 = 1_772_323_200;

    fn key(name: &str, status: &str, created: Option<Value<i64>>) -> AccessKey {
        let arn = format!("arn:aws:iam::123456789012:user/{name}/access-key/WXYZ");
        let o = Origin::Aws {
            arn: arn.as_str().into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        };
        AccessKey {
            meta: ResourceMeta::new(arn.as_str(), "aws_iam_access_key", o.clone()),
            user: Value::set(name.to_string(), o.clone(), "user"),
            status: Value::set(status.to_string(), o, "status"),
            created,
            last_used: None,
        }
    }

    fn created(secs: i64) -> Option<Value<i64>> {
        let o = Origin::Aws {
            arn: "arn:aws:iam::123456789012:user/x".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        };
        Some(Value::set(secs, o, "create_date"))
    }

    fn run(keys: Vec<AccessKey>, now: Option<i64>) -> Vec<(String, &'static str)> {
        let mut model = Model {
            now,
            ..Model::default()
        };
        model.aws.iam_access_keys = keys;
        let mut e = Emitter::new(&IamAccessKeyRotation::META);
        IamAccessKeyRotation.check(&model, &mut e);
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

    fn arn(name: &str) -> String {
        format!("arn:aws:iam::123456789012:user/{name}/access-key/WXYZ")
    }

    #[test]
    fn old_active_keys_fail_and_recent_or_inactive_keys_pass() {
        let results = run(
            vec![
                key("old", "Active", created(NOW - 91 * DAY)),
                key("edge", "Active", created(NOW - 90 * DAY)),
                key("new", "Active", created(NOW - DAY)),
                key("retired", "Inactive", created(NOW - 400 * DAY)),
            ],
            Some(NOW),
        );
        assert_eq!(
            results,
            vec![
                (arn("old"), "fail"),
                (arn("edge"), "pass"),
                (arn("new"), "pass"),
                (arn("retired"), "pass"),
            ]
        );
    }

    #[test]
    fn the_message_names_the_user_date_and_age() {
        let mut model = Model {
            now: Some(NOW),
            ..Model::default()
        };
        model.aws.iam_access_keys = vec![key("ci", "Active", created(NOW - 200 * DAY))];
        let mut e = Emitter::new(&IamAccessKeyRotation::META);
        IamAccessKeyRotation.check(&model, &mut e);
        let r = e.into_results();
        match &r[0].outcome {
            Outcome::Fail { message } => assert_eq!(
                message,
                "active access key of IAM user ci was created on 2025-08-13, 200 days before the scan; rotate keys at least every 90 days"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_values_are_not_evaluated_and_terraform_keys_give_nothing() {
        let o = Origin::Aws {
            arn: "arn:aws:iam::123456789012:user/x".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        };
        let mut denied = key(
            "denied",
            "Active",
            Some(Value::unknown(
                "iam:ListAccessKeys in us-east-1 failed: AccessDenied",
                o.clone(),
                "create_date",
            )),
        );
        denied.status = Value::unknown("iam:ListAccessKeys failed", o, "status");
        let results = run(
            vec![
                denied,
                key("terraform", "Active", None),
                key("clockless", "Active", created(NOW - 400 * DAY)),
            ],
            None,
        );
        assert_eq!(
            results,
            vec![
                (arn("denied"), "not-evaluated"),
                (arn("clockless"), "not-evaluated"),
            ]
        );
    }
}
