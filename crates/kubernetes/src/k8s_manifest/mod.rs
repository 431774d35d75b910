//! Kubernetes manifests → the typed model: `.yaml`, `.yml` and `.json` files (and
//! standard input) holding objects with `apiVersion` and `kind`, in multi-document
//! streams and `List`s, converted by the shared conversion of [`crate::k8s`] with
//! file positions (every field at its key's line).
//!
//! What is not a manifest is skipped without a word: YAML documents and JSON files
//! without `apiVersion`/`kind` (Terraform plans, `package.json`, Helm `values.yaml`),
//! kustomization files. Helm chart templates are reported once each as a `template`
//! note (render them with `helm template … | soc2scan scan -`); a file that does not
//! parse is a `parse-error` diagnostic with its line, and the scan goes on.

pub mod layout;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use saphyr::{LoadableYamlNode, MarkedYamlOwned};

use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::discover::{FileKind, SourceFile};
use crate::k8s::object_to_model;
use crate::k8s::origins::{FileOrigins, MissingNamespace};
use crate::model::k8s::K8sModel;
use yaml::{Lines, YamlNode};

/// Display path of standard input.
pub const STDIN_PATH: &str = "<stdin>";

/// The manifests of a scan, converted.
#[derive(Debug, Default)]
pub struct Manifests {
    /// The objects.
    pub model: K8sModel,
    /// Templates skipped, files that could not be read or parsed.
    pub diagnostics: Vec<Diagnostic>,
    /// Files (and standard input) that held at least one Kubernetes object.
    pub files: usize,
    /// Kubernetes objects seen (modelled or not).
    pub objects: usize,
    /// Objects of kinds no rule reads, as `kubernetes:<Kind>`.
    pub unmodelled: soc2scan_core::coverage::Unmodelled,
}

/// Reads the YAML and JSON files among `files`, and `stdin` (a YAML stream) when given.
pub fn load(files: &[SourceFile], stdin: Option<&str>) -> Manifests {
    let cwd = std::env::current_dir().unwrap_or_default();
    let candidates: Vec<&SourceFile> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Yaml | FileKind::Json))
        .filter(|f| !layout::is_kustomization(&f.path))
        .collect();
    let mut namespaces: BTreeMap<PathBuf, MissingNamespace> = BTreeMap::new();
    for f in &candidates {
        let dir = layout::dir_of(&f.path);
        if let std::collections::btree_map::Entry::Vacant(e) = namespaces.entry(dir) {
            let ns = layout::missing_namespace(e.key(), &cwd);
            e.insert(ns);
        }
    }
    let per_file: Vec<Manifests> = candidates
        .par_iter()
        .map(|f| {
            let ns = namespaces
                .get(&layout::dir_of(&f.path))
                .cloned()
                .unwrap_or(MissingNamespace::Default);
            load_file(f, &ns)
        })
        .collect();
    let mut out = Manifests::default();
    for m in per_file {
        merge(&mut out, m);
    }
    if let Some(text) = stdin {
        merge(
            &mut out,
            load_text(
                text,
                Arc::from(STDIN_PATH),
                FileKind::Yaml,
                &MissingNamespace::Default,
            ),
        );
    }
    out
}

fn merge(into: &mut Manifests, m: Manifests) {
    into.model.extend(m.model);
    into.diagnostics.extend(m.diagnostics);
    into.files += m.files;
    into.objects += m.objects;
    into.unmodelled.extend(m.unmodelled);
}

fn load_file(f: &SourceFile, ns: &MissingNamespace) -> Manifests {
    let display: Arc<str> = Arc::from(f.display.as_str());
    if layout::is_helm_template(&f.path) {
        return template_note(&display, "a Helm chart template");
    }
    match std::fs::read_to_string(&f.path) {
        Ok(text) => load_text(&text, display, f.kind, ns),
        // A JSON file soc2scan cannot read as text is not a manifest it could scan.
        Err(_) if f.kind == FileKind::Json => Manifests::default(),
        Err(e) => Manifests {
            diagnostics: vec![Diagnostic::at(
                DiagKind::ReadError,
                DiagLevel::Error,
                &*display,
                None,
                None,
                format!("not scanned: cannot read: {e}"),
            )],
            ..Manifests::default()
        },
    }
}

fn template_note(display: &str, what: &str) -> Manifests {
    Manifests {
        diagnostics: vec![Diagnostic::at(
            DiagKind::Template,
            DiagLevel::Note,
            display,
            None,
            None,
            format!(
                "not scanned: template ({what}); render it and scan the output, e.g. `helm template … | soc2scan scan -`"
            ),
        )],
        ..Manifests::default()
    }
}

/// Converts the manifests in `text`.
pub fn load_text(
    text: &str,
    display: Arc<str>,
    kind: FileKind,
    ns: &MissingNamespace,
) -> Manifests {
    let mut out = Manifests::default();
    // A JSON manifest names both keys; anything else (a plan, a package.json, a model
    // document) is not one.
    if kind == FileKind::Json
        && (!(text.contains("\"apiVersion\"") && text.contains("\"kind\""))
            || crate::model_document::is_document(text))
    {
        return out;
    }
    let origins = FileOrigins {
        path: display.clone(),
    };
    match MarkedYamlOwned::load_from_str(text) {
        Ok(docs) => {
            let lines = Lines::new(text);
            let nodes: Vec<YamlNode<'_>> = docs.iter().map(|d| YamlNode::new(d, &lines)).collect();
            if text.contains("{{") && nodes.iter().any(|n| n.has_collection_key()) {
                return template_note(&display, "`{{ … }}` outside string values");
            }
            for n in nodes {
                let c = object_to_model(n, &origins, ns, &mut out.model);
                out.objects += c.objects;
                out.unmodelled.extend(c.unmodelled);
            }
        }
        Err(e) => {
            if kind == FileKind::Json {
                // JSON that YAML 1.2 rejects (rare: tabs, odd escapes) is read without positions.
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(v) => {
                        let c = object_to_model(&v, &origins, ns, &mut out.model);
                        out.objects += c.objects;
                        out.unmodelled.extend(c.unmodelled);
                    }
                    Err(je) => {
                        out.diagnostics.push(parse_error(
                            &display,
                            u32::try_from(je.line()).ok(),
                            u32::try_from(je.column()).ok(),
                            format!("cannot parse JSON: {je}"),
                        ));
                    }
                }
            } else if text.contains("{{") {
                return template_note(&display, "`{{ … }}` outside string values");
            } else {
                let m = e.marker();
                out.diagnostics.push(parse_error(
                    &display,
                    u32::try_from(m.line().max(1)).ok(),
                    u32::try_from(m.col() + 1).ok(),
                    format!("cannot parse YAML: {}", e.info()),
                ));
            }
        }
    }
    if out.objects > 0 {
        out.files = 1;
    }
    out
}

fn parse_error(display: &str, line: Option<u32>, col: Option<u32>, msg: String) -> Diagnostic {
    Diagnostic::at(
        DiagKind::ParseError,
        DiagLevel::Error,
        display,
        line,
        col,
        format!("not scanned: {msg}"),
    )
}

/// Whether `path` names standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Resolved;

    fn load_str(text: &str) -> Manifests {
        load_text(
            text,
            Arc::from("m.yaml"),
            FileKind::Yaml,
            &MissingNamespace::Default,
        )
    }

    #[test]
    fn multi_document_with_positions() {
        let m = load_str(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pay\n---\n\
             apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: pay\nspec:\n  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      privileged: true\n",
        );
        assert_eq!(m.objects, 2);
        assert_eq!(m.files, 1);
        assert_eq!(m.model.namespaces.len(), 1);
        let c = &m.model.workloads[0].pod.containers[0];
        assert_eq!(c.privileged.value, Resolved::Set(true));
        assert_eq!(c.privileged.origin.line(), Some(16));
        assert_eq!(c.allow_privilege_escalation.origin.line(), Some(13));
        assert_eq!(m.model.workloads[0].object.meta.origin.line(), Some(6));
    }

    #[test]
    fn parse_errors_and_templates() {
        let m = load_str("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n");
        assert_eq!(m.diagnostics.len(), 1);
        assert_eq!(m.diagnostics[0].kind, DiagKind::ParseError);
        assert!(m.diagnostics[0].line.is_some());
        let t = load_str("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n");
        assert_eq!(t.diagnostics[0].kind, DiagKind::Template);
        assert_eq!(t.diagnostics[0].level, DiagLevel::Note);
        assert!(t.model.is_empty());
        let s = load_str("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"{{ $labels.x }}\"\n");
        assert!(s.diagnostics.is_empty());
        assert_eq!(s.objects, 1);
    }

    #[test]
    fn json_that_is_not_a_manifest_is_ignored() {
        let plan = load_text(
            "{\"format_version\": \"1.2\", \"resource_changes\": []}",
            Arc::from("plan.json"),
            FileKind::Json,
            &MissingNamespace::Default,
        );
        assert!(plan.diagnostics.is_empty() && plan.objects == 0 && plan.files == 0);
        let broken = load_text(
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",,}",
            Arc::from("pod.json"),
            FileKind::Json,
            &MissingNamespace::Default,
        );
        assert_eq!(broken.diagnostics[0].kind, DiagKind::ParseError);
    }
}
