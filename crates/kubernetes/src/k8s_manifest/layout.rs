//! What the directory layout says about a manifest: Helm chart templates (files under a
//! `templates/` directory next to a `Chart.yaml`) are not scanned, and a kustomization
//! beside a manifest decides the namespace of objects that do not write one.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use saphyr::{LoadableYamlNode, MarkedYamlOwned};

use super::yaml::{Lines, YamlNode};
use crate::discover::display_path;
use crate::k8s::node::Node;
use crate::k8s::origins::MissingNamespace;
use crate::model::Origin;

/// File names kustomize reads as a kustomization.
pub const KUSTOMIZATION_FILES: [&str; 3] =
    ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Whether `path` is a Helm chart template: it lies under a `templates/` directory whose
/// parent holds a `Chart.yaml`. Decided by path, not by content: some templates parse
/// as YAML (a `{{ … }}` is a valid flow mapping) into nonsense.
pub fn is_helm_template(path: &Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir.parent().is_some_and(|chart| {
                chart.join("Chart.yaml").is_file() || chart.join("Chart.yml").is_file()
            })
    })
}

/// Whether `path` is a kustomization file (not a manifest).
pub fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| KUSTOMIZATION_FILES.contains(&n))
}

/// The namespace of objects without `metadata.namespace` in the manifests of `dir`:
/// - no kustomization in `dir`: the kubectl context's namespace, `default`;
/// - a kustomization that sets `namespace:`: that namespace (it overrides every
///   resource's namespace when built);
/// - a kustomization without one: unknown, since the directory is a kustomize base
///   whose overlays may set it.
pub fn missing_namespace(dir: &Path, cwd: &Path) -> MissingNamespace {
    let Some(file) = KUSTOMIZATION_FILES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
    else {
        return MissingNamespace::Default;
    };
    let unknown = || {
        MissingNamespace::Unknown(Arc::from(
            "no namespace is written and the directory is a kustomize base whose overlays may set one",
        ))
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return unknown();
    };
    let Ok(docs) = MarkedYamlOwned::load_from_str(&text) else {
        return unknown();
    };
    let lines = Lines::new(&text);
    let Some(doc) = docs.first().map(|d| YamlNode::new(d, &lines)) else {
        return unknown();
    };
    match doc.field("namespace") {
        Some(e) => match (e.value.text(), e.span) {
            (Some(ns), Some(span)) if !ns.is_empty() => MissingNamespace::Set(
                ns,
                Origin::File {
                    path: Arc::from(display_path(&file, cwd).as_str()),
                    line: span.line,
                    col: span.col,
                    end_line: span.end_line,
                },
            ),
            _ => unknown(),
        },
        None => unknown(),
    }
}

/// The directory of a file path (`.` for a bare file name).
pub fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}
