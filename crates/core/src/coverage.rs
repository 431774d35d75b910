//! What each source read, per scope: for every model collection (`aws.sqs_queues`,
//! `k8s.workloads`, …) in every scope (an AWS account and region, a Terraform root
//! module, a cluster), whether it was read completely, not read by the source, denied,
//! or failed, with the reason and the API call.
//!
//! Coverage is part of the [`crate::model::Model`]: the engine turns every incomplete
//! entry into *not evaluated* results for exactly the rules that read that collection
//! (each rule declares its collections), so no rule — and no criterion — can pass on
//! data that was not read. Reports show the table.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::denied::Denied;
use crate::model::k8s::K8sModel;
use crate::model::Origin;

/// Where a source reads, as reports name it: `aws:123456789012/eu-west-1`,
/// `terraform:envs/prod`, `kubernetes:prod/payments`.
pub type Scope = Arc<str>;

/// How much of a collection a source read in a scope.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Read to the end: every resource of the collection in the scope is in the model.
    Read {
        /// Resources read.
        count: usize,
    },
    /// The source does not read this collection (no adapter for the service, a source
    /// that cannot hold it).
    NotRead {
        /// Why, for people.
        reason: String,
    },
    /// The source was refused (AccessDenied, HTTP 403).
    Denied {
        /// The call or file that was refused (`sqs:ListQueues`).
        call: String,
        /// The error as reported.
        reason: String,
    },
    /// The read failed (throttled after every retry, timed out, a server error, a file
    /// that does not parse).
    Failed {
        /// The call or file that failed.
        call: String,
        /// The error as reported.
        reason: String,
    },
    /// Nothing to read: the scope is an AWS region not enabled for the account (an
    /// opt-in region the account has not opted in to), where no resource can be created
    /// or reached. One row per such region, collection [`ALL_AWS`]; no rule is
    /// evaluated, failed or *not evaluated* there.
    Disabled {
        /// Why, for people (`region not enabled for this account`).
        reason: String,
    },
}

/// The collection of the one coverage row of a whole AWS scope ([`Status::Disabled`]).
pub const ALL_AWS: &str = "aws.*";

impl Status {
    /// Whether every resource of the collection was read, or the scope cannot hold any
    /// ([`Status::Disabled`]).
    pub fn is_complete(&self) -> bool {
        matches!(self, Status::Read { .. } | Status::Disabled { .. })
    }

    /// Severity order for merging two statuses of one collection and scope: an
    /// incomplete read wins over a complete one.
    fn rank(&self) -> u8 {
        match self {
            Status::Read { .. } => 0,
            Status::Disabled { .. } => 1,
            Status::NotRead { .. } => 2,
            Status::Failed { .. } => 3,
            Status::Denied { .. } => 4,
        }
    }

    /// One line for people: `read (12)`, `denied: sqs:ListQueues (AccessDenied: …)`.
    pub fn describe(&self) -> String {
        match self {
            Status::Read { count } => format!("read ({count})"),
            Status::NotRead { reason } => format!("not read: {reason}"),
            Status::Denied { call, reason } => format!("denied: {call} ({reason})"),
            Status::Failed { call, reason } => format!("failed: {call} ({reason})"),
            Status::Disabled { reason } => format!("disabled: {reason}"),
        }
    }
}

/// One row of the coverage table.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Entry {
    /// The scope read.
    pub scope: Scope,
    /// The model collection (`aws.sqs_queues`).
    pub collection: String,
    /// What was read.
    #[serde(flatten)]
    pub status: Status,
}

/// What every source of a scan read: one status per scope and collection.
///
/// In a model document it is written as [`CoverageDocument`]; reports hold its
/// [`Entry`] rows only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(into = "CoverageDocument", from = "CoverageDocument")]
pub struct Coverage {
    entries: BTreeMap<(Scope, String), Status>,
    /// Where each scope points in reports (an account and region, a root module's
    /// directory, the file that did not parse).
    origins: BTreeMap<Scope, Origin>,
    /// Kubernetes kinds a live cluster did not let the scan list, with the context: the
    /// engine applies them per kind (a rule checks or consults objects of a kind), finer
    /// than per collection.
    denied_kinds: Vec<(Arc<str>, Denied)>,
}

/// [`Coverage`] as the model document writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoverageDocument {
    /// One row per scope and collection.
    pub entries: Vec<Entry>,
    /// Where results about a whole scope point.
    #[serde(default)]
    pub origins: Vec<ScopeOrigin>,
    /// Kubernetes kinds live clusters did not let the scan list.
    #[serde(default)]
    pub denied_kinds: Vec<DeniedKind>,
}

/// Where results about a whole scope point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScopeOrigin {
    /// The scope.
    pub scope: Scope,
    /// Its origin.
    pub origin: Origin,
}

/// A kind a live cluster (kubeconfig context) did not let the scan list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeniedKind {
    /// The kubeconfig context.
    pub context: Arc<str>,
    /// What was denied.
    pub denied: Denied,
}

impl From<Coverage> for CoverageDocument {
    fn from(c: Coverage) -> Self {
        CoverageDocument {
            entries: c.entries().collect(),
            origins: c
                .origins
                .into_iter()
                .map(|(scope, origin)| ScopeOrigin { scope, origin })
                .collect(),
            denied_kinds: c
                .denied_kinds
                .into_iter()
                .map(|(context, denied)| DeniedKind { context, denied })
                .collect(),
        }
    }
}

impl From<CoverageDocument> for Coverage {
    fn from(d: CoverageDocument) -> Self {
        let mut c = Coverage::from_entries(d.entries);
        c.origins = d.origins.into_iter().map(|o| (o.scope, o.origin)).collect();
        c.denied_kinds = d
            .denied_kinds
            .into_iter()
            .map(|k| (k.context, k.denied))
            .collect();
        c
    }
}

impl Coverage {
    /// Records `status` for `collection` in `scope`. Two records of one collection and
    /// scope (two calls, two shards) merge: counts add up when both are complete,
    /// otherwise the incomplete one stays.
    pub fn record(&mut self, scope: impl Into<Scope>, collection: &str, status: Status) {
        let key = (scope.into(), collection.to_string());
        match self.entries.get_mut(&key) {
            None => {
                self.entries.insert(key, status);
            }
            Some(old) => match (&*old, &status) {
                (Status::Read { count: a }, Status::Read { count: b }) => {
                    *old = Status::Read { count: a + b }
                }
                _ if status.rank() > old.rank() => *old = status,
                _ => {}
            },
        }
    }

    /// Sets where results about `scope` as a whole point.
    pub fn set_origin(&mut self, scope: impl Into<Scope>, origin: Origin) {
        self.origins.insert(scope.into(), origin);
    }

    /// Where results about `scope` as a whole point, if the source said.
    pub fn origin(&self, scope: &str) -> Option<&Origin> {
        self.origins.get(scope)
    }

    /// Records that `context` did not let the scan list a kind: the kind's collection
    /// (`k8s.bindings` for ClusterRoleBindings) is denied in the cluster's scope, or the
    /// namespace's when the listing was namespaced. The engine turns it into one
    /// not-evaluated record per rule that reads the collection, naming the kind
    /// (finer than the collection), instead of one per scope.
    pub fn deny_kind(&mut self, context: &str, denied: Denied) {
        let scope = denied_scope(context, &denied);
        let collection = K8sModel::collection_of_kind(&denied.kind).unwrap_or("k8s.other");
        self.record(
            scope,
            collection,
            Status::Denied {
                call: format!("GET {}", denied.path),
                reason: denied.reason(),
            },
        );
        self.denied_kinds.push((context.into(), denied));
    }

    /// Whether the incomplete entry (`scope`, `collection`) is a Kubernetes kind the
    /// cluster did not let the scan list (reported per kind, see
    /// [`Coverage::deny_kind`]).
    pub fn is_denied_kind(&self, scope: &str, collection: &str) -> bool {
        self.denied_kinds.iter().any(|(context, d)| {
            denied_scope(context, d) == scope
                && K8sModel::collection_of_kind(&d.kind).unwrap_or("k8s.other") == collection
        })
    }

    /// The kinds live clusters did not let the scan list, with their context.
    pub fn denied_kinds(&self) -> &[(Arc<str>, Denied)] {
        &self.denied_kinds
    }

    /// Records a complete read of `count` resources.
    pub fn read(&mut self, scope: impl Into<Scope>, collection: &str, count: usize) {
        self.record(scope, collection, Status::Read { count });
    }

    /// Records complete reads from `rows` of (scope, collection), one row per resource
    /// read: counted first, then recorded once per scope and collection.
    pub fn count<S: Into<Scope> + Ord>(
        &mut self,
        rows: impl IntoIterator<Item = (S, &'static str)>,
    ) {
        let mut counts: BTreeMap<(S, &'static str), usize> = BTreeMap::new();
        for key in rows {
            *counts.entry(key).or_default() += 1;
        }
        for ((scope, collection), n) in counts {
            self.read(scope, collection, n);
        }
    }

    /// Appends the entries of `other`.
    pub fn extend(&mut self, other: Coverage) {
        for ((scope, collection), status) in other.entries {
            self.record(scope, &collection, status);
        }
        self.origins.extend(other.origins);
        self.denied_kinds.extend(other.denied_kinds);
    }

    /// Every entry, ordered by scope and collection.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.entries
            .iter()
            .map(|((scope, collection), status)| Entry {
                scope: scope.clone(),
                collection: collection.clone(),
                status: status.clone(),
            })
    }

    /// The scopes in which `collection` was not read completely, with the status.
    pub fn incomplete<'a>(
        &'a self,
        collection: &'a str,
    ) -> impl Iterator<Item = (&'a Scope, &'a Status)> + 'a {
        self.entries
            .iter()
            .filter(move |((_, c), s)| c == collection && !s.is_complete())
            .map(|((scope, _), s)| (scope, s))
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Rebuilds coverage from report rows.
    pub fn from_entries(entries: impl IntoIterator<Item = Entry>) -> Coverage {
        let mut c = Coverage::default();
        for e in entries {
            c.record(e.scope, &e.collection, e.status);
        }
        c
    }
}

/// The coverage scope of a kind `context` did not let the scan list.
fn denied_scope(context: &str, denied: &Denied) -> String {
    match &denied.namespace {
        Some(ns) => format!("kubernetes:{context}/{ns}"),
        None => format!("kubernetes:{context}"),
    }
}

/// Resources of types that no rule reads, counted by type, so a report can say what
/// the scan did not judge (`google_storage_bucket: 4`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unmodelled {
    /// Resource type → how many were seen.
    pub types: BTreeMap<String, usize>,
}

impl Unmodelled {
    /// Counts one resource of `rtype`.
    pub fn count(&mut self, rtype: &str) {
        *self.types.entry(rtype.to_string()).or_default() += 1;
    }

    /// Adds the counts of `other`.
    pub fn extend(&mut self, other: Unmodelled) {
        for (t, n) in other.types {
            *self.types.entry(t).or_default() += n;
        }
    }

    /// Counts by provider, for the one-line summary: the part of the type up to its
    /// first `:` for a prefixed type (`kubernetes:` for `kubernetes:ConfigMap`, `aws:`
    /// for a live AWS kind such as `aws:ssm:parameter`), else up to its first `_`
    /// (`google_`, `azurerm_`, `aws_` for Terraform resource types). The separator is
    /// kept, so Terraform's `aws_*` and live AWS's `aws:*` stay apart.
    pub fn by_provider(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for (t, n) in &self.types {
            let end = match t.find(':') {
                Some(i) => i + 1,
                None => t.find('_').map_or(t.len(), |i| i + 1),
            };
            *out.entry(t[..end].to_string()).or_default() += n;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_wins_and_complete_counts_add() {
        let mut c = Coverage::default();
        c.read("aws:1/eu-west-1", "aws.sqs_queues", 2);
        c.read("aws:1/eu-west-1", "aws.sqs_queues", 3);
        c.read("aws:1/us-east-1", "aws.sqs_queues", 1);
        c.record(
            "aws:1/us-east-1",
            "aws.sqs_queues",
            Status::Denied {
                call: "sqs:ListQueues".into(),
                reason: "AccessDenied".into(),
            },
        );
        c.read("aws:1/us-east-1", "aws.sqs_queues", 4);
        let rows: Vec<Entry> = c.entries().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].status, Status::Read { count: 5 });
        assert!(matches!(rows[1].status, Status::Denied { .. }));
        let bad: Vec<&str> = c.incomplete("aws.sqs_queues").map(|(s, _)| &**s).collect();
        assert_eq!(bad, ["aws:1/us-east-1"]);
    }

    #[test]
    fn unmodelled_by_provider() {
        let mut u = Unmodelled::default();
        u.count("google_storage_bucket");
        u.count("google_sql_database_instance");
        u.count("azurerm_storage_account");
        u.count("kubernetes:ConfigMap");
        u.count("aws_route53_zone");
        u.count("aws:ssm:parameter");
        u.count("aws:states:stateMachine");
        let p = u.by_provider();
        assert_eq!(p["kubernetes:"], 1);
        assert_eq!(p["google_"], 2);
        assert_eq!(p["azurerm_"], 1);
        assert_eq!(p["aws_"], 1);
        assert_eq!(p["aws:"], 2);
        assert_eq!(p.len(), 5);
    }
}
