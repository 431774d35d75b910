//! Where converted objects and fields come from: a file position for manifests, the
//! cluster object for live answers.

use std::sync::Arc;

use super::node::Span;
use crate::model::{Origin, Value};

/// The identity of an object, for building its origin.
#[derive(Debug, Clone, Copy)]
pub struct ObjectId<'a> {
    /// `kind`.
    pub kind: &'a str,
    /// Namespace, for namespaced objects.
    pub namespace: Option<&'a str>,
    /// `metadata.name`.
    pub name: &'a str,
}

/// Builds the [`Origin`] of objects and of their fields for one source.
pub trait Origins {
    /// The origin of a whole object, from its span when the source has positions.
    fn object(&self, id: &ObjectId<'_>, span: Option<Span>) -> Origin;

    /// The origin of a field of the object whose origin is `object`.
    fn field(&self, object: &Origin, span: Option<Span>) -> Origin;
}

/// Origins in a manifest file: every object and field at its own lines.
#[derive(Debug, Clone)]
pub struct FileOrigins {
    /// Display path of the file (`<stdin>` for standard input).
    pub path: Arc<str>,
}

impl Origins for FileOrigins {
    fn object(&self, _id: &ObjectId<'_>, span: Option<Span>) -> Origin {
        let s = span.unwrap_or(Span {
            line: 1,
            col: 1,
            end_line: 1,
        });
        Origin::File {
            path: self.path.clone(),
            line: s.line,
            col: s.col,
            end_line: s.end_line,
        }
    }

    fn field(&self, object: &Origin, span: Option<Span>) -> Origin {
        match span {
            Some(s) => Origin::File {
                path: self.path.clone(),
                line: s.line,
                col: s.col,
                end_line: s.end_line,
            },
            None => object.clone(),
        }
    }
}

/// Origins of objects read from a cluster's API: every field is at its object.
#[derive(Debug, Clone)]
pub struct ClusterOrigins {
    /// The kubeconfig context.
    pub context: Arc<str>,
}

impl Origins for ClusterOrigins {
    fn object(&self, id: &ObjectId<'_>, _span: Option<Span>) -> Origin {
        Origin::Cluster {
            context: self.context.clone(),
            kind: id.kind.into(),
            namespace: id.namespace.map(Arc::from),
            name: id.name.into(),
        }
    }

    fn field(&self, object: &Origin, _span: Option<Span>) -> Origin {
        object.clone()
    }
}

/// What a namespaced object without `metadata.namespace` belongs to.
#[derive(Debug, Clone)]
pub enum MissingNamespace {
    /// The namespace of the kubectl context at apply time: `Defaulted("default")`.
    Default,
    /// A kustomization beside the manifest sets this namespace (at this origin).
    Set(String, Origin),
    /// A kustomization beside the manifest may set one; the reason says why unknown.
    Unknown(Arc<str>),
}

impl MissingNamespace {
    /// The namespace value for an object whose namespace is not written.
    pub fn value(&self, object: &Origin) -> Value<String> {
        const PATH: &str = "metadata.namespace";
        match self {
            MissingNamespace::Default => Value::defaulted("default".into(), object.clone(), PATH),
            MissingNamespace::Set(ns, at) => Value::set(ns.clone(), at.clone(), PATH),
            MissingNamespace::Unknown(r) => Value::unknown(r.clone(), object.clone(), PATH),
        }
    }
}
