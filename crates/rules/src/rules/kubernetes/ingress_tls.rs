//! K8S-NET-005: Ingresses terminate TLS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Ingress has at least one `spec.tls` entry.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: an Ingress without TLS serves its hosts over plain HTTP; credentials,
    /// session cookies and customer data cross the internet unencrypted.
    ///
    /// ## Default assumed
    /// Without `tls` the Ingress controller serves HTTP only (some controllers add a
    /// default certificate; that is outside the manifest and not assumed).
    ///
    /// ## How to fix
    /// ```yaml
    /// spec:
    ///   tls:
    ///     - hosts: [shop.example.com]
    ///       secretName: shop-tls
    /// ```
    pub struct IngressTls {
        id: "K8S-NET-005",
        slug: "k8s-ingress-tls",
        title: "Ingresses terminate TLS",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for IngressTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for i in &model.k8s.ingresses {
            out.require(
                &i.object.meta,
                &i.tls_entries,
                |n| *n > 0,
                |_| {
                    "Ingress has no TLS configuration: its hosts are served over plain HTTP"
                        .to_string()
                },
            );
        }
    }
}
