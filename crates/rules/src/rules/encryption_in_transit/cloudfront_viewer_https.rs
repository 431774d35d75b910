//! AWS-CF-001: CloudFront distributions serve viewers over HTTPS only.

use crate::model::aws::cloudfront::CacheBehavior;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks the `viewer_protocol_policy` of the default cache behaviour and of every
    /// ordered cache behaviour of each CloudFront distribution
    /// (`aws_cloudfront_distribution`): `redirect-to-https` and `https-only` pass,
    /// `allow-all` fails. Each behaviour is a separate result.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: `allow-all` serves pages, cookies and API responses over plain HTTP to
    /// anyone who asks for them that way, and lets a network attacker downgrade users.
    ///
    /// ## Default assumed
    /// None: the provider requires `viewer_protocol_policy` in every behaviour.
    ///
    /// ## Not evaluated
    /// When the policy comes from a variable without a value, or ordered behaviours come
    /// from a `dynamic` block that cannot be expanded.
    /// On a live scan, when `ListDistributions` or the distribution's
    /// `GetDistributionConfig` is denied or fails (moto 5.1 writes CloudFront booleans
    /// as `True`/`False`, which the AWS SDK rejects: not evaluated against it).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudfront_distribution" "site" {
    ///   # ...
    ///   default_cache_behavior {
    ///     target_origin_id       = "site"
    ///     viewer_protocol_policy = "redirect-to-https"
    ///     # ...
    ///   }
    /// }
    /// ```
    pub struct CloudfrontViewerHttps {
        id: "AWS-CF-001",
        slug: "cloudfront-viewer-https",
        title: "CloudFront requires HTTPS for viewers",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for CloudfrontViewerHttps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for d in &model.aws.cloudfront_distributions {
            for b in &d.cache_behaviors {
                out.require(
                    &d.meta,
                    &b.viewer_protocol_policy,
                    |p| p == "redirect-to-https" || p == "https-only",
                    |p| {
                        format!(
                            "{} serves viewers over plain HTTP (viewer_protocol_policy = {p})",
                            behaviour(b)
                        )
                    },
                );
            }
        }
    }
}

/// Names a cache behaviour: the default one, or an ordered one by its index and
/// `path_pattern`.
fn behaviour(b: &CacheBehavior) -> String {
    if b.block == "default_cache_behavior" {
        b.block.clone()
    } else if b.path_pattern.is_empty() {
        format!("{} (no path_pattern)", b.block)
    } else {
        format!("{} (path_pattern {:?})", b.block, b.path_pattern)
    }
}
