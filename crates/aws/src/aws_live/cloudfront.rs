//! CloudFront, once per account (a global service): every distribution's viewer and
//! origin protocols, minimum TLS version, standard logging and web ACL.

use aws_config::SdkConfig;
use aws_sdk_cloudfront::types::DistributionConfig;
use aws_sdk_cloudfront::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::cloudfront::{CacheBehavior, CfOrigin, Distribution};
use crate::model::aws::AwsModel;
use crate::model::{Origin, ResourceMeta, Value};

const SVC: &str = "cloudfront";

/// Reads every distribution of the account: `ListDistributions` to the end, then
/// `GetDistributionConfig` of each (behaviours, origins, viewer certificate, logging,
/// web ACL). A configuration that cannot be read leaves the distribution's settings
/// unknown.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "CloudFront distributions",
        &["aws.cloudfront_distributions"],
        sh.pages(SVC, r, "ListDistributions", || {
            c.list_distributions().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    let list: Vec<(String, String)> = pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items())
        .map(|d| (d.id().to_string(), d.arn().to_string()))
        .collect();
    let dists = join_all(list.iter().map(|(id, arn)| {
        let c = &c;
        async move {
            let arn = if arn.is_empty() {
                scope.global_arn(SVC, &format!("distribution/{id}"))
            } else {
                arn.clone()
            };
            let meta = scope.meta(&arn, "aws_cloudfront_distribution");
            match sh
                .call(SVC, r, "GetDistributionConfig", || {
                    c.get_distribution_config().id(id).send()
                })
                .await
            {
                Ok(out) => match out.distribution_config() {
                    Some(d) => distribution(meta, d),
                    None => unknown(
                        meta,
                        &format!(
                            "cloudfront:GetDistributionConfig returned no configuration for {id}"
                        ),
                    ),
                },
                Err(e) => unknown(meta, &e.reason),
            }
        }
    }))
    .await;
    sh.progress.unit_done(dists.len());
    m.cloudfront_distributions = dists;
    m
}

fn behavior(block: String, pattern: String, policy: &str, o: &Origin) -> CacheBehavior {
    CacheBehavior {
        viewer_protocol_policy: Value::set(
            policy.to_ascii_lowercase(),
            o.clone(),
            format!("{block}.viewer_protocol_policy"),
        ),
        block,
        path_pattern: pattern,
    }
}

fn distribution(meta: ResourceMeta, d: &DistributionConfig) -> Distribution {
    let o = meta.origin.clone();
    let mut cache_behaviors = Vec::new();
    if let Some(b) = d.default_cache_behavior() {
        cache_behaviors.push(behavior(
            "default_cache_behavior".into(),
            "*".into(),
            b.viewer_protocol_policy().as_str(),
            &o,
        ));
    }
    for (i, b) in d
        .cache_behaviors()
        .map(|c| c.items())
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        cache_behaviors.push(behavior(
            format!("ordered_cache_behavior[{i}]"),
            b.path_pattern().to_string(),
            b.viewer_protocol_policy().as_str(),
            &o,
        ));
    }
    let cert = d.viewer_certificate();
    let origins = d
        .origins()
        .map(|x| x.items())
        .unwrap_or_default()
        .iter()
        .map(|x| {
            let custom = x.custom_origin_config();
            CfOrigin {
                id: Value::set(x.id().to_string(), o.clone(), "origin.origin_id"),
                protocol_policy: custom.map(|c| {
                    Value::set(
                        c.origin_protocol_policy().as_str().to_ascii_lowercase(),
                        o.clone(),
                        "origin.custom_origin_config.origin_protocol_policy",
                    )
                }),
                ssl_protocols: custom.map(|c| {
                    Value::set(
                        c.origin_ssl_protocols()
                            .map(|p| p.items().iter().map(|s| s.as_str().to_string()).collect())
                            .unwrap_or_default(),
                        o.clone(),
                        "origin.custom_origin_config.origin_ssl_protocols",
                    )
                }),
            }
        })
        .collect();
    Distribution {
        cache_behaviors,
        // A viewer certificate names one certificate: with an ACM or IAM certificate the
        // default one is not used, whatever the flag says.
        default_certificate: match cert.and_then(|c| c.cloud_front_default_certificate()) {
            Some(b) => Value::set(
                b && !cert.is_some_and(|c| {
                    c.acm_certificate_arn().is_some_and(|x| !x.is_empty())
                        || c.iam_certificate_id().is_some_and(|x| !x.is_empty())
                }),
                o.clone(),
                "viewer_certificate.cloudfront_default_certificate",
            ),
            None => Value::defaulted(
                false,
                o.clone(),
                "viewer_certificate.cloudfront_default_certificate",
            ),
        },
        minimum_protocol_version: match cert.and_then(|c| c.minimum_protocol_version()) {
            Some(v) => Value::set(
                v.as_str().to_string(),
                o.clone(),
                "viewer_certificate.minimum_protocol_version",
            ),
            None => Value::defaulted(
                "TLSv1".to_string(),
                o.clone(),
                "viewer_certificate.minimum_protocol_version",
            ),
        },
        origins,
        logging: match d.logging() {
            Some(l) => Value::set(l.enabled(), o.clone(), "logging_config"),
            None => Value::defaulted(false, o.clone(), "logging_config"),
        },
        web_acl: match d.web_acl_id().filter(|w| !w.is_empty()) {
            Some(w) => Value::set(Some(w.to_string()), o, "web_acl_id"),
            None => Value::defaulted(None, o, "web_acl_id"),
        },
        meta,
    }
}

/// A distribution whose configuration could not be read: its settings unknown.
fn unknown(meta: ResourceMeta, reason: &str) -> Distribution {
    let o = meta.origin.clone();
    let u = |p: &str| Value::unknown(reason.to_string(), o.clone(), p);
    Distribution {
        cache_behaviors: vec![CacheBehavior {
            block: "default_cache_behavior".into(),
            path_pattern: "*".into(),
            viewer_protocol_policy: u("default_cache_behavior.viewer_protocol_policy"),
        }],
        default_certificate: Value::unknown(
            reason.to_string(),
            o.clone(),
            "viewer_certificate.cloudfront_default_certificate",
        ),
        minimum_protocol_version: u("viewer_certificate.minimum_protocol_version"),
        origins: vec![CfOrigin {
            id: u("origin.origin_id"),
            protocol_policy: Some(u("origin.custom_origin_config.origin_protocol_policy")),
            ssl_protocols: Some(Value::unknown(
                reason.to_string(),
                o.clone(),
                "origin.custom_origin_config.origin_ssl_protocols",
            )),
        }],
        logging: Value::unknown(reason.to_string(), o.clone(), "logging_config"),
        web_acl: Value::unknown(reason.to_string(), o, "web_acl_id"),
        meta,
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudfront::types::{
        CacheBehavior as ApiBehavior, CacheBehaviors, CustomOriginConfig, DefaultCacheBehavior,
        LoggingConfig, Origin as ApiOrigin, OriginProtocolPolicy, OriginSslProtocols, Origins,
        SslProtocol, ViewerCertificate, ViewerProtocolPolicy,
    };

    use super::*;

    fn scope() -> Scope {
        Scope {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "us-east-1".into(),
        }
    }

    fn config(good: bool) -> DistributionConfig {
        let custom = CustomOriginConfig::builder()
            .http_port(80)
            .https_port(443)
            .origin_protocol_policy(if good {
                OriginProtocolPolicy::HttpsOnly
            } else {
                OriginProtocolPolicy::HttpOnly
            })
            .origin_ssl_protocols(
                OriginSslProtocols::builder()
                    .quantity(1)
                    .items(if good {
                        SslProtocol::TlSv12
                    } else {
                        SslProtocol::TlSv1
                    })
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let origin = ApiOrigin::builder()
            .id("app")
            .domain_name("app.example.com")
            .custom_origin_config(custom)
            .build()
            .unwrap();
        let cert = if good {
            ViewerCertificate::builder()
                .cloud_front_default_certificate(true)
                .acm_certificate_arn("arn:aws:acm:us-east-1:123456789012:certificate/x")
                .minimum_protocol_version("TLSv1.2_2021".into())
                .build()
        } else {
            ViewerCertificate::builder()
                .cloud_front_default_certificate(true)
                .build()
        };
        let mut b = DistributionConfig::builder()
            .caller_reference("x")
            .comment("")
            .enabled(true)
            .origins(
                Origins::builder()
                    .quantity(1)
                    .items(origin)
                    .build()
                    .unwrap(),
            )
            .default_cache_behavior(
                DefaultCacheBehavior::builder()
                    .target_origin_id("app")
                    .viewer_protocol_policy(if good {
                        ViewerProtocolPolicy::RedirectToHttps
                    } else {
                        ViewerProtocolPolicy::AllowAll
                    })
                    .build()
                    .unwrap(),
            )
            .cache_behaviors(
                CacheBehaviors::builder()
                    .quantity(1)
                    .items(
                        ApiBehavior::builder()
                            .path_pattern("/api/*")
                            .target_origin_id("app")
                            .viewer_protocol_policy(ViewerProtocolPolicy::HttpsOnly)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .viewer_certificate(cert);
        if good {
            b = b
                .logging(
                    LoggingConfig::builder()
                        .enabled(true)
                        .include_cookies(false)
                        .bucket("logs.s3.amazonaws.com")
                        .prefix("cf")
                        .build(),
                )
                .web_acl_id("arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1");
        }
        b.build().unwrap()
    }

    #[test]
    fn reads_a_distribution_configuration() {
        let arn = "arn:aws:cloudfront::123456789012:distribution/E1";
        let good = distribution(
            scope().meta(arn, "aws_cloudfront_distribution"),
            &config(true),
        );
        let policies: Vec<(&str, &str, Option<&String>)> = good
            .cache_behaviors
            .iter()
            .map(|b| {
                (
                    b.block.as_str(),
                    b.path_pattern.as_str(),
                    b.viewer_protocol_policy.known(),
                )
            })
            .collect();
        assert_eq!(
            policies,
            [
                (
                    "default_cache_behavior",
                    "*",
                    Some(&"redirect-to-https".to_string())
                ),
                (
                    "ordered_cache_behavior[0]",
                    "/api/*",
                    Some(&"https-only".to_string())
                ),
            ]
        );
        // An ACM certificate: the default certificate is not used, whatever the flag.
        assert_eq!(good.default_certificate.known(), Some(&false));
        assert_eq!(
            good.minimum_protocol_version.known().map(String::as_str),
            Some("TLSv1.2_2021")
        );
        assert_eq!(
            good.origins[0]
                .protocol_policy
                .as_ref()
                .and_then(|p| p.known())
                .map(String::as_str),
            Some("https-only")
        );
        assert_eq!(
            good.origins[0]
                .ssl_protocols
                .as_ref()
                .and_then(|p| p.known()),
            Some(&vec!["TLSv1.2".to_string()])
        );
        assert_eq!(good.logging.known(), Some(&true));
        assert!(good.web_acl.known().is_some_and(|w| w.is_some()));

        let bad = distribution(
            scope().meta(arn, "aws_cloudfront_distribution"),
            &config(false),
        );
        assert_eq!(
            bad.cache_behaviors[0]
                .viewer_protocol_policy
                .known()
                .map(String::as_str),
            Some("allow-all")
        );
        assert_eq!(bad.default_certificate.known(), Some(&true));
        assert_eq!(
            bad.minimum_protocol_version.known().map(String::as_str),
            Some("TLSv1")
        );
        assert_eq!(
            bad.origins[0]
                .protocol_policy
                .as_ref()
                .and_then(|p| p.known())
                .map(String::as_str),
            Some("http-only")
        );
        assert_eq!(bad.logging.known(), Some(&false));
        assert_eq!(bad.web_acl.known(), Some(&None));
    }
}
