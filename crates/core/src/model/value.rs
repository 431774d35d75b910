//! A value as the scanner knows it: written, defaulted or unknown, with where it came from.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Where a value or resource came from.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(tag = "source", rename_all = "lowercase")]
pub enum Origin {
    /// A source file (Terraform, manifest).
    File {
        /// Display path (relative to the working directory when possible, `/`-separated).
        path: Arc<str>,
        /// First line (1-based).
        line: u32,
        /// First column (1-based); `column` in the JSON report.
        #[serde(alias = "column")]
        col: u32,
        /// Last line (1-based).
        end_line: u32,
    },
    /// A live AWS resource.
    Aws {
        /// The resource's ARN.
        arn: Arc<str>,
        /// Region it lives in.
        region: Arc<str>,
        /// Account id.
        account: Arc<str>,
    },
    /// A whole scope of a scan that no single file or resource stands for (a result
    /// about everything a source could not read in it), when the source gave the scope
    /// no origin of its own.
    Scope {
        /// The scope, as the coverage table names it (`aws:123456789012/eu-west-1`,
        /// `terraform:envs/prod`, `kubernetes:prod/web`).
        scope: Arc<str>,
    },
    /// A live Kubernetes object.
    Cluster {
        /// kubeconfig context.
        context: Arc<str>,
        /// Object kind.
        kind: Arc<str>,
        /// Namespace, for namespaced objects.
        namespace: Option<Arc<str>>,
        /// Object name.
        name: Arc<str>,
    },
}

impl Origin {
    /// The file path, for file origins.
    pub fn file(&self) -> Option<&str> {
        match self {
            Origin::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The first line, for file origins.
    pub fn line(&self) -> Option<u32> {
        match self {
            Origin::File { line, .. } => Some(*line),
            _ => None,
        }
    }
}

/// How much the scanner knows about a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "state", content = "value", rename_all = "lowercase")]
#[schemars(rename = "Resolved_{T}")]
pub enum Resolved<T> {
    /// Written explicitly in the source (or returned by the API).
    Set(T),
    /// Not written; the provider's or API's documented default applies.
    Defaulted(T),
    /// Cannot be known (computed at apply time, a missing variable, a denied API call).
    /// In a document its `value` is the reason, a string whatever the attribute's type:
    /// never read it as the attribute's value.
    Unknown(Arc<str>),
}

/// A value with its origin and the attribute path it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "Value_{T}")]
pub struct Value<T> {
    /// What is known.
    pub value: Resolved<T>,
    /// Where it came from (the attribute's lines, or the enclosing block's when defaulted).
    pub origin: Origin,
    /// Attribute path inside the resource, e.g. `storage_encrypted` or
    /// `rule.apply_server_side_encryption_by_default.sse_algorithm`. Part of fingerprints.
    pub path: Arc<str>,
}

impl<T> Value<T> {
    /// A value written in the source.
    pub fn set(v: T, origin: Origin, path: impl Into<Arc<str>>) -> Self {
        Value {
            value: Resolved::Set(v),
            origin,
            path: path.into(),
        }
    }

    /// A value not written, for which the documented default applies.
    pub fn defaulted(v: T, origin: Origin, path: impl Into<Arc<str>>) -> Self {
        Value {
            value: Resolved::Defaulted(v),
            origin,
            path: path.into(),
        }
    }

    /// A value that cannot be known, with the reason.
    pub fn unknown(reason: impl Into<Arc<str>>, origin: Origin, path: impl Into<Arc<str>>) -> Self {
        Value {
            value: Resolved::Unknown(reason.into()),
            origin,
            path: path.into(),
        }
    }

    /// The value when known (set or defaulted).
    pub fn known(&self) -> Option<&T> {
        match &self.value {
            Resolved::Set(v) | Resolved::Defaulted(v) => Some(v),
            Resolved::Unknown(_) => None,
        }
    }

    /// The value when known (set or defaulted), else the reason it is unknown.
    pub fn try_known(&self) -> Result<&T, &str> {
        match &self.value {
            Resolved::Set(v) | Resolved::Defaulted(v) => Ok(v),
            Resolved::Unknown(r) => Err(r),
        }
    }

    /// The reason the value is unknown, if it is.
    pub fn unknown_reason(&self) -> Option<&str> {
        match &self.value {
            Resolved::Unknown(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the value was written explicitly.
    pub fn is_set(&self) -> bool {
        matches!(self.value, Resolved::Set(_))
    }

    /// Maps the known value, keeping origin and path.
    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Value<U> {
        Value {
            value: match &self.value {
                Resolved::Set(v) => Resolved::Set(f(v)),
                Resolved::Defaulted(v) => Resolved::Defaulted(f(v)),
                Resolved::Unknown(r) => Resolved::Unknown(r.clone()),
            },
            origin: self.origin.clone(),
            path: self.path.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_state() {
        let o = Origin::File {
            path: "a.tf".into(),
            line: 1,
            col: 1,
            end_line: 1,
        };
        let v: Value<u32> = Value::defaulted(3, o.clone(), "x");
        assert_eq!(v.map(|n| n * 2).value, Resolved::Defaulted(6));
        let u: Value<u32> = Value::unknown("why", o, "x");
        assert_eq!(u.map(|n| n * 2).unknown_reason(), Some("why"));
    }
}
