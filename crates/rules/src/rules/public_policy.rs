//! The one check of resource-based policies for public access, shared by every rule
//! that judges one (S3 buckets, SQS queues, SNS topics, KMS keys, ECR repositories,
//! Secrets Manager secrets, Backup and Glacier vaults, SES identities, OpenSearch
//! domains, Lambda permissions, IAM role trust policies). What "public" means is
//! [`PolicyDocument::exposure`]: a statement allowing everyone (`Principal "*"`,
//! `{"AWS": "*"}`, or an `Allow` with `NotPrincipal`) without a condition narrowing the
//! caller to an account, organization, network or source resource.

use crate::model::aws::iam::{Exposure, PolicyDocument, Statement};
use crate::model::{Resolved, ResourceMeta, Value};
use crate::rules::Emitter;

/// The verdict on one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A statement grants everyone; the message names it.
    Public(String),
    /// No statement does.
    Private,
    /// Whether one does is unknown; the reason.
    Unknown(String),
}

/// At most this many actions are named in a message.
const ACTIONS_SHOWN: usize = 3;

/// How a public statement is described: who it grants, what, and where (the
/// statement is named unless it is the only one of its document and has no `Sid`).
fn describe(what: &str, index: usize, s: &Statement, only: bool) -> String {
    let who = if s.applies_to_everyone() {
        "everyone (Principal \"*\")"
    } else {
        "everyone but the principals in NotPrincipal"
    };
    let actions = if !s.not_actions.values.is_empty() {
        " to every action but those in NotAction".to_string()
    } else if s.actions.values.is_empty() {
        String::new()
    } else {
        let mut a: Vec<&str> = s
            .actions
            .values
            .iter()
            .take(ACTIONS_SHOWN)
            .map(String::as_str)
            .collect();
        if s.actions.values.len() > ACTIONS_SHOWN {
            a.push("…");
        }
        format!(" to {}", a.join(", "))
    };
    let place = if only && s.sid.as_deref().is_none_or(|x| x.trim().is_empty()) {
        String::new()
    } else {
        format!(" in {}", s.label(index))
    };
    format!(
        "{what} allows {who}{actions}{place} without a condition restricting the caller to an account, organization, network or source"
    )
}

/// Judges a known document.
pub fn judge_document(doc: &PolicyDocument, what: &str) -> Verdict {
    match doc.exposure() {
        Exposure::Public(i, s) => Verdict::Public(describe(what, i, s, doc.statements.len() == 1)),
        Exposure::Private => Verdict::Private,
        Exposure::Unknown(r) => Verdict::Unknown(r.to_string()),
    }
}

/// Judges a policy value: unknown when the value is.
pub fn judge(policy: &Value<PolicyDocument>, what: &str) -> Verdict {
    match &policy.value {
        Resolved::Set(d) | Resolved::Defaulted(d) => judge_document(d, what),
        Resolved::Unknown(r) => Verdict::Unknown(r.to_string()),
    }
}

/// Records the verdict on `policy` of `subject` at the policy's origin: a finding
/// when public (`what` names the policy in the message: "key policy"), a pass when
/// not, *not evaluated* when unknown.
pub fn check(
    out: &mut Emitter,
    subject: &ResourceMeta,
    policy: &Value<PolicyDocument>,
    what: &str,
) {
    record(out, subject, policy, judge(policy, what));
}

/// Records `verdict` for `subject` at the origin of `policy`.
pub fn record(
    out: &mut Emitter,
    subject: &ResourceMeta,
    policy: &Value<PolicyDocument>,
    verdict: Verdict,
) {
    let (o, p) = (&policy.origin, &policy.path);
    match verdict {
        Verdict::Public(m) => out.fail(subject, o, p, m),
        Verdict::Private => out.pass(subject, o, p),
        Verdict::Unknown(r) => out.not_evaluated(subject, o, p, r),
    }
}
