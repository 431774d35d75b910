//! AWS-CF-002: CloudFront distributions require TLS 1.2 or later from viewers.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether a CloudFront security policy's minimum protocol is TLS 1.2 or later
/// (`TLSv1.2_2018`, `TLSv1.2_2019`, `TLSv1.2_2021`, `TLSv1.2_2025`, `TLSv1.3_2025`, ...).
fn is_current(v: &str) -> bool {
    v.starts_with("TLSv1.2_") || v.starts_with("TLSv1.3")
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every CloudFront distribution (`aws_cloudfront_distribution`) uses its
    /// own certificate with `viewer_certificate.minimum_protocol_version` of
    /// `TLSv1.2_2019`, `TLSv1.2_2021` or later (any `TLSv1.2_*` or `TLSv1.3*` policy).
    /// A distribution on the default `*.cloudfront.net` certificate
    /// (`cloudfront_default_certificate = true`) fails: CloudFront then negotiates TLSv1
    /// whatever `minimum_protocol_version` says.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow weak ciphers.
    ///
    /// ## Default assumed
    /// `minimum_protocol_version` defaults to `TLSv1` (AWS provider docs for
    /// `aws_cloudfront_distribution`), which fails.
    ///
    /// ## Not evaluated
    /// When the certificate setting or the minimum version comes from a variable without
    /// a value.
    /// On a live scan, when `ListDistributions` or the distribution's
    /// `GetDistributionConfig` is denied or fails (moto 5.1 writes CloudFront booleans
    /// as `True`/`False`, which the AWS SDK rejects: not evaluated against it).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   # ...
    ///   aliases = ["www.example.com"]
    ///   viewer_certificate {
    ///     acm_certificate_arn      = aws_acm_certificate.www.arn
    ///     ssl_support_method       = "sni-only"
    ///     minimum_protocol_version = "TLSv1.2_2021"
    ///   }
    /// }
    /// ```
    pub struct CloudfrontMinimumTls {
        id: "AWS-CF-002",
        slug: "cloudfront-minimum-tls",
        title: "CloudFront requires TLS 1.2 or later",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for CloudfrontMinimumTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.cloudfront_distributions {
            let c = &d.default_certificate;
            match &c.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(&d.meta, &c.origin, &c.path, r.to_string());
                }
                Resolved::Set(true) | Resolved::Defaulted(true) => out.fail(
                    &d.meta,
                    &c.origin,
                    &c.path,
                    "distribution uses the default CloudFront certificate, which accepts TLSv1",
                ),
                Resolved::Set(false) | Resolved::Defaulted(false) => out.require(
                    &d.meta,
                    &d.minimum_protocol_version,
                    |v| is_current(v),
                    |v| format!("minimum viewer protocol is {v}, older than TLS 1.2"),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn versions() {
        assert!(is_current("TLSv1.2_2021"));
        assert!(is_current("TLSv1.2_2019"));
        assert!(is_current("TLSv1.3_2025"));
        assert!(!is_current("TLSv1"));
        assert!(!is_current("TLSv1_2016"));
        assert!(!is_current("TLSv1.1_2016"));
        assert!(!is_current("SSLv3"));
    }
}
