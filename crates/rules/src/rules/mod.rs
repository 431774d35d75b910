//! Rules: one file per rule under a family folder, declared with [`declare_rule!`]
//! and collected into [`registry::ALL`] by the build script (adding a rule is adding a file).

use std::sync::Arc;

use serde::Serialize;

use crate::finding::{fingerprint, CheckResult, Outcome, Severity};
use crate::model::{Model, Origin, Resolved, ResourceMeta, Value};
use crate::settings::Settings;

/// The control family a rule belongs to; used for selection and grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Data encrypted where it is stored.
    EncryptionAtRest,
    /// Data encrypted while it moves.
    EncryptionInTransit,
    /// Authentication, MFA, password policy, least privilege of identities.
    Identity,
    /// Audit logging, monitoring and detection.
    Logging,
    /// Network segmentation and exposure of services.
    Network,
    /// Backups, redundancy and recovery.
    Backup,
    /// Public exposure of data, classification and data-protection controls.
    DataProtection,
    /// Workload isolation and hardening: privileged containers, host namespaces, root
    /// users, capabilities, image pinning.
    Workload,
    /// Change management: what runs is what was reviewed and applied (drift between
    /// Terraform and the live account).
    ChangeManagement,
}

impl Family {
    /// Every family, in reporting order.
    pub const ALL: [Family; 9] = [
        Family::EncryptionAtRest,
        Family::EncryptionInTransit,
        Family::Identity,
        Family::Logging,
        Family::Network,
        Family::Backup,
        Family::DataProtection,
        Family::Workload,
        Family::ChangeManagement,
    ];

    /// Stable slug (`encryption-at-rest`), used by `--select`.
    pub fn slug(self) -> &'static str {
        match self {
            Family::EncryptionAtRest => "encryption-at-rest",
            Family::EncryptionInTransit => "encryption-in-transit",
            Family::Identity => "identity",
            Family::Logging => "logging",
            Family::Network => "network",
            Family::Backup => "backup",
            Family::DataProtection => "data-protection",
            Family::Workload => "workload",
            Family::ChangeManagement => "change-management",
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.slug())
    }
}

/// What every rule declares about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    /// Stable id, never reused (`AWS-S3-001`).
    pub id: &'static str,
    /// Human-readable slug (`s3-bucket-encryption`); also the fixture folder name.
    pub slug: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Family.
    pub family: Family,
    /// Markdown documentation (What it does / Why it matters (SOC 2) / How to fix).
    #[serde(skip)]
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim_end().to_string() + "\n"
    }
}

/// A check over the typed model.
pub trait Rule: Sync + Send {
    /// The rule's declaration.
    fn meta(&self) -> &'static RuleMeta;
    /// Walks the model once and reports one result per checked resource (and attribute).
    fn check(&self, model: &Model, out: &mut Emitter);
}

/// Declares a rule: its documentation (doc comments), id, slug, title, severity and family.
/// The struct name must be the CamelCase of the file name (the build script relies on it).
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            slug: $slug:literal,
            title: $title:literal,
            severity: $sev:ident,
            family: $fam:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// This rule's declaration.
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                slug: $slug,
                title: $title,
                severity: $crate::finding::Severity::$sev,
                family: $crate::rules::Family::$fam,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// Collects the results of one rule. The helpers turn a [`Value`] into the right outcome:
/// a known bad value is a finding, an unknown one is *not evaluated*, a good one a pass.
pub struct Emitter {
    rule: &'static RuleMeta,
    settings: Arc<Settings>,
    results: Vec<CheckResult>,
    extra_criteria: Vec<String>,
}

impl Emitter {
    /// An emitter for `rule` with the default [`Settings`].
    pub fn new(rule: &'static RuleMeta) -> Self {
        Emitter::with_settings(rule, Arc::new(Settings::default()))
    }

    /// An emitter for `rule` with the project's [`Settings`].
    pub fn with_settings(rule: &'static RuleMeta, settings: Arc<Settings>) -> Self {
        Emitter {
            rule,
            settings,
            results: Vec::new(),
            extra_criteria: Vec::new(),
        }
    }

    /// Sets the criteria that the results emitted from now on give evidence for beyond
    /// the rule's mapping ([`CheckResult::extra_criteria`]); empty to stop.
    pub fn set_extra_criteria(&mut self, criteria: &[String]) {
        self.extra_criteria = criteria.to_vec();
    }

    /// The rule parameters of this scan (required tags, retention minimums, …).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The results collected so far.
    pub fn into_results(self) -> Vec<CheckResult> {
        self.results
    }

    fn push(&mut self, subject: &ResourceMeta, at: &Origin, attribute: &str, outcome: Outcome) {
        self.results.push(CheckResult {
            rule_id: self.rule.id,
            outcome,
            resource: subject.address.clone(),
            resource_type: subject.rtype.clone(),
            attribute: attribute.into(),
            location: at.clone(),
            resource_location: subject.origin.clone(),
            fingerprint: fingerprint(self.rule.id, &subject.scope, &subject.address, attribute),
            suppression: None,
            extra_criteria: self.extra_criteria.clone(),
        });
    }

    /// Records a failure of `subject` at `at` (the offending attribute, or the block).
    pub fn fail(
        &mut self,
        subject: &ResourceMeta,
        at: &Origin,
        attribute: &str,
        message: impl Into<String>,
    ) {
        self.push(
            subject,
            at,
            attribute,
            Outcome::Fail {
                message: message.into(),
            },
        );
    }

    /// Records that `subject` satisfies the rule for `attribute`.
    pub fn pass(&mut self, subject: &ResourceMeta, at: &Origin, attribute: &str) {
        self.push(subject, at, attribute, Outcome::Pass);
    }

    /// Records that the rule could not be evaluated for `subject`.
    pub fn not_evaluated(
        &mut self,
        subject: &ResourceMeta,
        at: &Origin,
        attribute: &str,
        reason: impl Into<String>,
    ) {
        self.push(
            subject,
            at,
            attribute,
            Outcome::NotEvaluated {
                reason: reason.into(),
            },
        );
    }

    /// Checks `value` with `ok`: pass when it holds, a finding with `message` when it does
    /// not, *not evaluated* when the value is unknown.
    pub fn require<T>(
        &mut self,
        subject: &ResourceMeta,
        value: &Value<T>,
        ok: impl FnOnce(&T) -> bool,
        message: impl FnOnce(&T) -> String,
    ) {
        match &value.value {
            Resolved::Set(v) | Resolved::Defaulted(v) => {
                if ok(v) {
                    self.pass(subject, &value.origin, &value.path);
                } else {
                    let m = message(v);
                    self.fail(subject, &value.origin, &value.path, m);
                }
            }
            Resolved::Unknown(reason) => {
                self.not_evaluated(subject, &value.origin, &value.path, reason.to_string())
            }
        }
    }

    /// Whether the rule applies to `subject` by `condition` (e.g. "is tagged critical"):
    /// `true` when the condition is known to hold; when it is unknown, records *not
    /// evaluated* with its reason at its origin and returns `false`.
    pub fn applies(&mut self, subject: &ResourceMeta, condition: &Value<bool>) -> bool {
        match &condition.value {
            Resolved::Set(holds) | Resolved::Defaulted(holds) => *holds,
            Resolved::Unknown(reason) => {
                self.not_evaluated(subject, &condition.origin, &condition.path, &**reason);
                false
            }
        }
    }

    /// [`Emitter::require`] for booleans that must be `true`.
    pub fn require_true(&mut self, subject: &ResourceMeta, value: &Value<bool>, message: &str) {
        self.require(subject, value, |v| *v, |_| message.to_string());
    }

    /// [`Emitter::require`] for booleans that must be `false`.
    pub fn require_false(&mut self, subject: &ResourceMeta, value: &Value<bool>, message: &str) {
        self.require(subject, value, |v| !*v, |_| message.to_string());
    }
}

pub mod public_policy;

/// The generated list of every rule (see `build.rs`).
pub mod registry {
    include!(concat!(env!("OUT_DIR"), "/rule_registry.rs"));
}

/// Every rule, sorted by id.
pub fn all() -> Vec<&'static dyn Rule> {
    let mut v: Vec<&'static dyn Rule> = registry::ALL.to_vec();
    v.sort_by_key(|r| r.meta().id);
    v
}

/// Why one of `collections` is not completely read in the live account and region of
/// `meta` (`aws.web_acl_associations denied: …`), `None` when they all are or `meta` is
/// not from a live scan. A rule that concludes from the absence of a related resource
/// (no alarm watches a filter, no web ACL protects a load balancer) must not conclude
/// where those resources were not read.
pub(crate) fn unread_in_scope(
    model: &Model,
    meta: &ResourceMeta,
    collections: &[&str],
) -> Option<String> {
    let Origin::Aws {
        account, region, ..
    } = &meta.origin
    else {
        return None;
    };
    let scope = format!("aws:{account}/{region}");
    collections.iter().find_map(|c| {
        model
            .coverage
            .incomplete(c)
            .find(|(s, _)| s.as_ref() == scope)
            .map(|(_, status)| format!("{c} {}", status.describe()))
    })
}

/// The model collections `rule` reads (`aws.sqs_queues`), found in its source by the
/// build script: a collection not read completely in a scope makes the rule *not
/// evaluated* there (see [`crate::engine::not_read`]).
pub fn reads(rule: &dyn Rule) -> &'static [&'static str] {
    let id = rule.meta().id;
    registry::ALL
        .iter()
        .position(|r| r.meta().id == id)
        .and_then(|i| registry::READS.get(i))
        .map_or(&[], |(_, reads)| *reads)
}

/// Declarations of rules defined outside the registry: custom policies loaded by this
/// process, and those named by a JSON report read back (merge, evidence).
static CUSTOM: std::sync::Mutex<Vec<&'static RuleMeta>> = std::sync::Mutex::new(Vec::new());

/// Registers the declaration of a rule defined outside the registry (a custom policy),
/// so that reports naming its id can be read back. A second declaration of an id
/// already known is ignored.
pub fn register_custom(meta: &'static RuleMeta) {
    let mut custom = CUSTOM.lock().unwrap_or_else(|e| e.into_inner());
    if !custom.iter().any(|m| m.id == meta.id) {
        custom.push(meta);
    }
}

/// The declaration of the rule with this id: a built-in rule's, else a registered
/// custom policy's.
pub fn meta_of(id: &str) -> Option<&'static RuleMeta> {
    registry::ALL
        .iter()
        .map(|r| r.meta())
        .find(|m| m.id == id)
        .or_else(|| {
            CUSTOM
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .copied()
                .find(|m| m.id == id)
        })
}

/// The rule with this id or slug (case-insensitive id).
pub fn find(id_or_slug: &str) -> Option<&'static dyn Rule> {
    registry::ALL
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id_or_slug) || r.meta().slug == id_or_slug)
}
