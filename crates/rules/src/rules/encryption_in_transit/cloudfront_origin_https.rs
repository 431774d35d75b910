//! AWS-CF-003: CloudFront connects to custom origins over HTTPS.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every custom origin (`origin { custom_origin_config { ... } }`) of each
    /// CloudFront distribution: `origin_protocol_policy = "https-only"` passes;
    /// `http-only` fails; `match-viewer` passes only when every cache behaviour of the
    /// distribution requires HTTPS from viewers (otherwise plain-HTTP viewer requests
    /// reach the origin in clear). S3 origins (`s3_origin_config`, origin access
    /// control) always use HTTPS and are not checked.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: the hop from CloudFront to the origin crosses the internet; with HTTP,
    /// requests, cookies and responses travel in clear on it even when viewers use HTTPS.
    ///
    /// ## Default assumed
    /// None: the provider requires `origin_protocol_policy`.
    ///
    /// ## Not evaluated
    /// When the policy (or, for `match-viewer`, a viewer policy) comes from a variable
    /// without a value.
    /// On a live scan, when `ListDistributions` or the distribution's
    /// `GetDistributionConfig` is denied or fails (moto 5.1 writes CloudFront booleans
    /// as `True`/`False`, which the AWS SDK rejects: not evaluated against it).
    ///
    /// ## How to fix
    /// ```hcl
    /// origin {
    ///   domain_name = aws_lb.api.dns_name
    ///   origin_id   = "api"
    ///   custom_origin_config {
    ///     http_port              = 80
    ///     https_port             = 443
    ///     origin_protocol_policy = "https-only"
    ///     origin_ssl_protocols   = ["TLSv1.2"]
    ///   }
    /// }
    /// ```
    pub struct CloudfrontOriginHttps {
        id: "AWS-CF-003",
        slug: "cloudfront-origin-https",
        title: "CloudFront reaches custom origins over HTTPS",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for CloudfrontOriginHttps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.cloudfront_distributions {
            // Whether every viewer request is HTTPS: Some(true/false), None when unknown.
            let mut viewers_https = Some(true);
            for b in &d.cache_behaviors {
                match b.viewer_protocol_policy.known() {
                    Some(p) if p == "allow-all" => {
                        viewers_https = Some(false);
                        break;
                    }
                    Some(_) => {}
                    None => viewers_https = None,
                }
            }
            for o in &d.origins {
                let Some(p) = &o.protocol_policy else {
                    continue;
                };
                let id = o.id.known().cloned().unwrap_or_default();
                match (p.known().map(String::as_str), viewers_https) {
                    (Some("match-viewer"), None) => out.not_evaluated(
                        &d.meta,
                        &p.origin,
                        &p.path,
                        "match-viewer: a viewer protocol policy of the distribution is unknown",
                    ),
                    (Some("match-viewer"), Some(https)) => {
                        if https {
                            out.pass(&d.meta, &p.origin, &p.path);
                        } else {
                            out.fail(
                                &d.meta,
                                &p.origin,
                                &p.path,
                                format!("origin {id} uses match-viewer and a cache behaviour allows plain-HTTP viewers, so requests reach it over HTTP"),
                            );
                        }
                    }
                    _ => out.require(
                        &d.meta,
                        p,
                        |p| p == "https-only",
                        |p| format!("origin {id} is reached over plain HTTP (origin_protocol_policy = {p})"),
                    ),
                }
            }
        }
    }
}
