//! CloudFront: `aws_cloudfront_distribution` with its cache behaviours, viewer
//! certificate, origins and logging configuration.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::cloudfront::{CacheBehavior, CfOrigin, Distribution};
use crate::model::aws::AwsModel;
use crate::model::Value;

fn behavior(b: &Reader<'_>, block: String, pattern: String) -> CacheBehavior {
    CacheBehavior {
        block,
        path_pattern: pattern,
        viewer_protocol_policy: b
            .string("viewer_protocol_policy", "allow-all")
            .map(|p| p.to_ascii_lowercase()),
    }
}

/// Adds CloudFront distributions to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_cloudfront_distribution"]) {
        let rd = Reader::new(r);
        let mut cache_behaviors = Vec::new();
        if let Some(d) = rd.first("default_cache_behavior") {
            cache_behaviors.push(behavior(
                &d,
                "default_cache_behavior".to_string(),
                "*".to_string(),
            ));
        }
        for (i, o) in rd.all("ordered_cache_behavior").into_iter().enumerate() {
            let pattern = o
                .string("path_pattern", "")
                .known()
                .cloned()
                .unwrap_or_else(|| o.path("path_pattern"));
            let block = format!("ordered_cache_behavior[{i}]");
            cache_behaviors.push(behavior(&o, block, pattern));
        }
        if let Some(u) = rd.block.unknown_blocks_of("ordered_cache_behavior") {
            cache_behaviors.push(CacheBehavior {
                block: "ordered_cache_behavior".to_string(),
                path_pattern: "ordered_cache_behavior".to_string(),
                viewer_protocol_policy: Value::unknown(
                    u.reason.clone(),
                    rd.origin_at(u.pos),
                    "ordered_cache_behavior.viewer_protocol_policy",
                ),
            });
        }
        let (default_certificate, minimum_protocol_version) = match rd.first("viewer_certificate") {
            Some(v) => (
                v.bool("cloudfront_default_certificate", false),
                v.string("minimum_protocol_version", "TLSv1"),
            ),
            None => (
                Value::defaulted(
                    true,
                    rd.owner_origin(),
                    "viewer_certificate.cloudfront_default_certificate",
                ),
                Value::defaulted(
                    "TLSv1".to_string(),
                    rd.owner_origin(),
                    "viewer_certificate.minimum_protocol_version",
                ),
            ),
        };
        let origins = rd
            .all("origin")
            .iter()
            .map(|o| {
                let custom = o.first("custom_origin_config");
                CfOrigin {
                    id: o.string("origin_id", ""),
                    protocol_policy: custom.as_ref().map(|c| {
                        c.string("origin_protocol_policy", "")
                            .map(|p| p.to_ascii_lowercase())
                    }),
                    ssl_protocols: custom.as_ref().map(|c| c.strings("origin_ssl_protocols")),
                }
            })
            .collect();
        let logging = match rd.first("logging_config") {
            Some(l) => Value::set(true, l.block_origin(), "logging_config"),
            None => match rd.block.unknown_blocks_of("logging_config") {
                Some(u) => Value::unknown(u.reason.clone(), rd.origin_at(u.pos), "logging_config"),
                None => Value::defaulted(false, rd.owner_origin(), "logging_config"),
            },
        };
        aws.cloudfront_distributions.push(Distribution {
            meta: ctx.meta(r),
            cache_behaviors,
            default_certificate,
            minimum_protocol_version,
            origins,
            logging,
            web_acl: rd.opt_ref("web_acl_id"),
        });
    }
}
