//! Kubernetes manifests as a [`Source`]: the YAML and JSON files among the scanned
//! files, and standard input.

use crate::error::Result;
use crate::k8s_manifest;
use crate::model::Model;
use crate::source::{Source, SourceInput, SourceRead};

/// The Kubernetes manifests of a scan.
#[derive(Debug, Clone, Copy, Default)]
pub struct ManifestSource;

impl Source for ManifestSource {
    fn kind(&self) -> &'static str {
        "kubernetes"
    }

    fn read(&self, input: &SourceInput<'_>) -> Result<SourceRead> {
        let manifests = k8s_manifest::load(input.files, input.stdin);
        let resources = manifests.model.len();
        Ok(SourceRead {
            model: Model {
                k8s: manifests.model,
                unmodelled: manifests.unmodelled,
                ..Model::default()
            },
            diagnostics: manifests.diagnostics,
            files: manifests.files,
            resources,
            ..SourceRead::default()
        })
    }
}
