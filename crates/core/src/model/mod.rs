//! The typed model every rule sees. Terraform, live AWS and Kubernetes adapters all
//! fill these structs; rules never see HCL, YAML or SDK types.

pub mod aws;
pub mod drift;
pub mod k8s;
pub mod value;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use value::{Origin, Resolved, Value};

use crate::coverage::{Coverage, Unmodelled};

/// Identity of a modelled resource: its address, type and where it is declared.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct ResourceMeta {
    /// Terraform address (`module.m.aws_s3_bucket.b["k"]`) or ARN for live resources.
    pub address: Arc<str>,
    /// Resource type in Terraform's vocabulary (`aws_s3_bucket`), whatever the source.
    pub rtype: Arc<str>,
    /// Where the whole resource is declared (the block's lines, or the ARN).
    pub origin: Origin,
    /// What makes `address` unique within a scan, and part of every fingerprint: for
    /// Terraform the root module directory (display path relative to the working
    /// directory, `/`-separated; empty for the working directory itself), because several
    /// root modules may declare the same address; for a plan without its sources, the
    /// plan file. Empty where the address is unique on its own: ARNs of live AWS
    /// resources, Kubernetes objects (a manifest and the live object keep one identity).
    #[serde(default)]
    pub scope: Arc<str>,
}

impl ResourceMeta {
    /// A resource identity with an empty [`ResourceMeta::scope`] (the address is unique
    /// on its own).
    pub fn new(address: impl Into<Arc<str>>, rtype: impl Into<Arc<str>>, origin: Origin) -> Self {
        ResourceMeta {
            address: address.into(),
            rtype: rtype.into(),
            origin,
            scope: Arc::from(""),
        }
    }

    /// The same identity within `scope` (a Terraform root module directory).
    pub fn with_scope(mut self, scope: impl Into<Arc<str>>) -> Self {
        self.scope = scope.into();
        self
    }

    /// Whether `other` is in the same scope (configuration): a reference by address
    /// from this resource can only mean a resource of the same scope.
    pub fn same_scope(&self, other: &ResourceMeta) -> bool {
        self.scope == other.scope
    }

    /// Within what this resource can be linked to another by name or address: for a
    /// live AWS resource its account and region, for a resource of a configuration its
    /// root module (or plan file, or manifest set: [`ResourceMeta::scope`]). Two
    /// resources are linked (a database to its parameter group, a metric filter to its
    /// alarms) only when their link scopes are equal. Global services (IAM, the S3
    /// account settings) use [`ResourceMeta::account_link_scope`].
    pub fn link_scope(&self) -> LinkScope {
        match &self.origin {
            Origin::Aws {
                account, region, ..
            } => LinkScope::Region {
                account: Arc::clone(account),
                region: Arc::clone(region),
            },
            _ => LinkScope::Config(Arc::clone(&self.scope)),
        }
    }

    /// [`ResourceMeta::link_scope`] for resources of global services, named uniquely
    /// per account whatever the region (IAM users, groups, roles and policies; S3
    /// buckets and the account's S3 settings): the account alone for a live resource,
    /// the root module for a resource of a configuration.
    pub fn account_link_scope(&self) -> LinkScope {
        match &self.origin {
            Origin::Aws { account, .. } => LinkScope::Account(Arc::clone(account)),
            _ => LinkScope::Config(Arc::clone(&self.scope)),
        }
    }

    /// A value origin at the resource's own declaration (used for defaulted values).
    pub fn block_origin(&self) -> Origin {
        self.origin.clone()
    }
}

/// Where a name or address can designate another resource (see
/// [`ResourceMeta::link_scope`]).
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LinkScope {
    /// One configuration: a Terraform root module directory, a plan file, a set of
    /// manifests ([`ResourceMeta::scope`]).
    Config(Arc<str>),
    /// One region of one live AWS account.
    Region {
        /// Account id.
        account: Arc<str>,
        /// Region.
        region: Arc<str>,
    },
    /// One live AWS account (global services).
    Account(Arc<str>),
}

/// Everything the scanner knows about the scanned infrastructure.
#[derive(Debug, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Model {
    /// AWS resources.
    pub aws: aws::AwsModel,
    /// Kubernetes objects (manifests or a live cluster).
    pub k8s: k8s::K8sModel,
    /// What `soc2scan drift` compared between declared and live resources (empty in a
    /// scan).
    #[serde(skip_serializing_if = "drift::DriftModel::is_empty")]
    pub drift: drift::DriftModel,
    /// The instant the scan is assessed at, in seconds since the Unix epoch (UTC): the
    /// clock when the scan started, read once so that every rule measuring an age (an
    /// access key's) uses the same instant. `None` when the model was built without a
    /// clock (library use); rules that need it then report *not evaluated*.
    pub now: Option<i64>,
    /// What the sources read, per scope and collection: an incomplete collection makes
    /// the rules that read it *not evaluated* in that scope.
    pub coverage: Coverage,
    /// Resources of types that no rule reads, by type.
    pub unmodelled: Unmodelled,
    /// The links between resources (a user's groups, a database's parameter group, a
    /// metric filter's alarms), resolved once by [`Model::link`] after every source is
    /// merged. Rules read these instead of looking resources up by name.
    #[serde(skip)]
    pub links: aws::links::AwsLinks,
}

impl Model {
    /// Adds the resources, coverage and uncovered types of `other` (another source).
    pub fn extend(&mut self, other: Model) {
        let Model {
            aws,
            k8s,
            drift,
            now,
            coverage,
            unmodelled,
            links: _,
        } = other;
        // Links index into the collections: they must be resolved again after a merge.
        self.links = aws::links::AwsLinks::default();
        self.aws.extend(aws);
        self.k8s.extend(k8s);
        self.drift.extend(drift);
        self.now = self.now.or(now);
        self.coverage.extend(coverage);
        self.unmodelled.extend(unmodelled);
    }

    /// Why objects of `collection` may be missing for an object of the live cluster
    /// `origin` points into, in `namespace`: the reason when the cluster did not let the
    /// scan list a kind of that collection there (cluster-wide or in that namespace).
    /// Rules that judge an object by the *absence* of others (a namespace without a
    /// NetworkPolicy, a Deployment without a PodDisruptionBudget) report *not
    /// evaluated* with it instead of a finding or a pass. `None` for objects of files.
    pub fn k8s_unlisted(
        &self,
        collection: &str,
        origin: &Origin,
        namespace: Option<&str>,
    ) -> Option<String> {
        let Origin::Cluster { context, .. } = origin else {
            return None;
        };
        self.coverage
            .denied_kinds()
            .iter()
            .find(|(c, d)| {
                c == context
                    && k8s::K8sModel::collection_of_kind(&d.kind) == Some(collection)
                    && (d.namespace.is_none() || d.namespace.as_deref() == namespace)
            })
            .map(|(_, d)| {
                format!(
                    "the rule consults {} objects, which could not be listed: {}",
                    d.kind,
                    d.reason()
                )
            })
    }

    /// Resolves the links between resources within each [`LinkScope`] and the values
    /// derived across resources (see [`aws::links`]). Run once, after every source is
    /// merged into the model and before rules read it; running it again recomputes the
    /// same links.
    pub fn link(&mut self) {
        self.links = aws::links::link(&mut self.aws);
    }
}
