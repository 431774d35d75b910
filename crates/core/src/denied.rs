//! A Kubernetes kind a live scan could not list from the cluster (HTTP 403, 401, a
//! timeout), with everything needed to say which checks it leaves unevaluated and why.
//! Recorded in the model's [`crate::coverage::Coverage`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};

/// One kind whose listing failed. The scan goes on without its objects; the checks
/// that need them are reported as not evaluated with [`Denied::reason`].
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Denied {
    /// The object kind (`ClusterRoleBinding`).
    pub kind: Arc<str>,
    /// The namespace listed, or `None` for all namespaces and cluster-scoped kinds.
    pub namespace: Option<String>,
    /// The HTTP status of the answer, when the API server answered.
    pub status: Option<u16>,
    /// The API path requested (`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`).
    pub path: String,
    /// What the API server (or the connection) said.
    pub message: String,
}

impl Denied {
    /// One sentence for not-evaluated records and diagnostics: kind, namespace, HTTP
    /// status, API path and the server's message.
    pub fn reason(&self) -> String {
        let scope = match &self.namespace {
            Some(ns) => format!("in namespace `{ns}`"),
            None => "in the cluster".to_string(),
        };
        let status = match self.status {
            Some(code) => format!("HTTP {code}{}", status_name(code)),
            None => "no answer".to_string(),
        };
        let message = self.message.trim();
        let message = if message.is_empty() {
            String::new()
        } else {
            format!(": {message}")
        };
        format!(
            "cannot list {} {scope} ({status} for GET {}){message}",
            self.kind, self.path
        )
    }

    /// The diagnostic that reports this failure in every output format.
    pub fn diagnostic(&self, context: &str) -> Diagnostic {
        Diagnostic::global(
            DiagKind::ReadError,
            DiagLevel::Error,
            format!(
                "Kubernetes context `{context}`: {}; checks that need {} objects are not evaluated",
                self.reason(),
                self.kind
            ),
        )
    }
}

fn status_name(code: u16) -> &'static str {
    match code {
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        410 => " Gone",
        429 => " Too Many Requests",
        500 => " Internal Server Error",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names_kind_scope_status_and_path() {
        let d = Denied {
            kind: "ClusterRoleBinding".into(),
            namespace: None,
            status: Some(403),
            path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings".into(),
            message: "forbidden: User \"ci\" cannot list".into(),
        };
        assert_eq!(
            d.reason(),
            "cannot list ClusterRoleBinding in the cluster (HTTP 403 Forbidden for GET \
             /apis/rbac.authorization.k8s.io/v1/clusterrolebindings): forbidden: User \"ci\" cannot list"
        );
        let t = Denied {
            kind: "Pod".into(),
            namespace: Some("web".into()),
            status: None,
            path: "/api/v1/namespaces/web/pods".into(),
            message: String::new(),
        };
        assert_eq!(
            t.reason(),
            "cannot list Pod in namespace `web` (no answer for GET /api/v1/namespaces/web/pods)"
        );
        let diag = t.diagnostic("prod");
        assert_eq!(diag.kind, DiagKind::ReadError);
        assert!(diag
            .message
            .starts_with("Kubernetes context `prod`: cannot list Pod"));
    }
}
