//! soc2scan's live Kubernetes adapter: lists a cluster's objects through the `kube`
//! client and converts them with the manifest adapter's conversion, so a manifest and
//! its live object give the same findings.

pub mod k8s_live;

pub(crate) use soc2scan_core::{diagnostic, error, model, source};
pub(crate) use soc2scan_kubernetes::k8s;
