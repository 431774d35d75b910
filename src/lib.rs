//! soc2scan: a policy-as-code scanner that checks infrastructure against the
//! technical controls of SOC 2 and ties every finding to Trust Services Criteria.
//!
//! The pipeline, one crate per stage: sources ([`adapt`]: Terraform, Kubernetes
//! manifests, live clusters, live AWS) are read into the typed [`model`]
//! (`soc2scan-core`); the [`rules`] check the model and the [`engine`] runs them
//! (`soc2scan-rules`); the [`report`]ers render the findings (`soc2scan-report`). This
//! crate is the front door: the command line, the project policy and [`scan`], which
//! wires the sources together.

pub mod cli;
pub mod config;
pub mod diff;
pub mod docs;
pub mod drift;
pub mod scan;
pub mod sources;

pub use soc2scan_core::{
    coverage, diagnostic, discover, error, model, model_document, secrets, source, time,
};
/// The evidence store over an audit period (`scan --record`, `soc2scan evidence`).
pub use soc2scan_evidence as evidence_store;
/// Custom Rego policies (`scan --policies`, `soc2scan policy`).
pub use soc2scan_policies as policies;
pub use soc2scan_report::{baseline, evidence, merge, report};
pub use soc2scan_rules::{controls, engine, finding, level, rules, settings, suppress};

/// The source adapters, each turning one kind of source into the typed [`model`].
pub mod adapt {
    #[cfg(feature = "aws")]
    pub use soc2scan_aws::aws_live;
    #[cfg(feature = "kubernetes")]
    pub use soc2scan_k8s_live::k8s_live;
    pub use soc2scan_kubernetes::{k8s, k8s_manifest};
    pub use soc2scan_terraform::{terraform, tfplan};
}
