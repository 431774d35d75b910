//! soc2scan's Kubernetes adapter: the conversion of Kubernetes objects into the typed
//! model ([`k8s`]), shared by manifests and live clusters, and manifest files
//! ([`k8s_manifest`]).

pub mod k8s;
pub mod k8s_manifest;
pub mod scan_source;

pub use scan_source::ManifestSource;

pub(crate) use soc2scan_core::{
    diagnostic, discover, error, model, model_document, secrets, source,
};
#[cfg(test)]
pub(crate) use soc2scan_rules::{finding, rules};
