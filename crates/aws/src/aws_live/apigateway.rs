//! API Gateway in one region: the stages of REST APIs (v1) and of HTTP and WebSocket
//! APIs (v2) with their access logging, throttling and tracing, and the custom domain
//! names with their TLS security policy.

use aws_config::SdkConfig;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::apigateway::{ApiDomainName, ApiStage, ApiVersion};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "apigateway";
/// The most pages read of one v2 listing (a guard against an endpoint that repeats its
/// token).
const MAX_PAGES: usize = 10_000;

/// Reads `scope.region`: REST APIs (`GetRestApis` to the end, `GetStages` of each),
/// HTTP and WebSocket APIs (`GetApis` and `GetStages` of each, following `NextToken`),
/// and custom domain names (`GetDomainNames` to the end: the v1 listing, which holds
/// the domains of both flavours, edge-optimized ones included).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let v1 = aws_sdk_apigateway::Client::new(cfg);
    let v2 = aws_sdk_apigatewayv2::Client::new(cfg);
    let r = scope.region.as_ref();
    let (rest, http, domains) = tokio::join!(
        sh.pages(SVC, r, "GetRestApis", || v1
            .get_rest_apis()
            .limit(500)
            .into_paginator()
            .send()),
        v2_apis(sh, &v2, r),
        sh.pages(SVC, r, "GetDomainNames", || v1
            .get_domain_names()
            .limit(500)
            .into_paginator()
            .send()),
    );
    let mut m = AwsModel::default();
    match (rest, http) {
        (Ok(rest), Ok(http)) => {
            let ids: Vec<&str> = rest
                .iter()
                .flat_map(|p| p.items())
                .filter_map(|a| a.id())
                .collect();
            let (v1_stages, v2_stages) = tokio::join!(
                join_all(ids.iter().map(|id| {
                    let v1 = &v1;
                    async move {
                        let out = sh
                            .call(SVC, r, "GetStages", || {
                                v1.get_stages().rest_api_id(*id).send()
                            })
                            .await;
                        (*id, out)
                    }
                })),
                join_all(http.iter().map(|id| {
                    let v2 = &v2;
                    async move { (id.as_str(), v2_stages(sh, v2, r, id).await) }
                })),
            );
            for (id, out) in v1_stages {
                match out {
                    Ok(o) => {
                        for s in o.item() {
                            let name = s.stage_name().unwrap_or_default();
                            let meta = scope.meta(
                                &format!(
                                    "arn:{}:apigateway:{r}::/restapis/{id}/stages/{name}",
                                    scope.partition
                                ),
                                "aws_api_gateway_stage",
                            );
                            let o = meta.origin.clone();
                            let throttled = s.method_settings().is_some_and(|ms| {
                                ms.values().any(|x| {
                                    x.throttling_rate_limit() > 0.0
                                        || x.throttling_burst_limit() > 0
                                })
                            });
                            m.api_stages.push(ApiStage {
                                version: ApiVersion::V1,
                                api: Some(Value::set(id.to_string(), o.clone(), "rest_api_id")),
                                access_logging: logging(
                                    s.access_log_settings().and_then(|a| a.destination_arn()),
                                    &o,
                                ),
                                throttling: flag(throttled, &o, "method_settings.throttling"),
                                xray_tracing: flag(s.tracing_enabled(), &o, "xray_tracing_enabled"),
                                meta,
                            });
                        }
                    }
                    Err(e) => {
                        sh.warn(format!(
                            "stages of REST API {id} not evaluated: {}",
                            e.reason
                        ));
                        m.api_stages
                            .push(unknown_stage(scope, r, ApiVersion::V1, id, &e));
                    }
                }
            }
            for (id, out) in v2_stages {
                match out {
                    Ok(stages) => {
                        for s in stages {
                            let name = s.stage_name().unwrap_or_default();
                            let meta = scope.meta(
                                &format!(
                                    "arn:{}:apigateway:{r}::/apis/{id}/stages/{name}",
                                    scope.partition
                                ),
                                "aws_apigatewayv2_stage",
                            );
                            let o = meta.origin.clone();
                            let throttled = s.default_route_settings().is_some_and(|d| {
                                d.throttling_rate_limit().is_some_and(|x| x > 0.0)
                                    || d.throttling_burst_limit().is_some_and(|x| x > 0)
                            });
                            m.api_stages.push(ApiStage {
                                version: ApiVersion::V2,
                                api: Some(Value::set(id.to_string(), o.clone(), "api_id")),
                                access_logging: logging(
                                    s.access_log_settings().and_then(|a| a.destination_arn()),
                                    &o,
                                ),
                                throttling: flag(
                                    throttled,
                                    &o,
                                    "default_route_settings.throttling",
                                ),
                                xray_tracing: Value::defaulted(false, o, "xray_tracing_enabled"),
                                meta,
                            });
                        }
                    }
                    Err(e) => {
                        sh.warn(format!("stages of API {id} not evaluated: {}", e.reason));
                        m.api_stages
                            .push(unknown_stage(scope, r, ApiVersion::V2, id, &e));
                    }
                }
            }
        }
        (Err(e), _) | (_, Err(e)) => {
            sh.warn(format!("API Gateway stages not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.api_stages"], &e);
        }
    }
    match domains {
        Ok(pages) => {
            for d in pages.iter().flat_map(|p| p.items()) {
                let name = d.domain_name().unwrap_or_default();
                let arn = d.domain_name_arn().map(str::to_string).unwrap_or_else(|| {
                    format!(
                        "arn:{}:apigateway:{r}::/domainnames/{name}",
                        scope.partition
                    )
                });
                let meta = scope.meta(&arn, "aws_api_gateway_domain_name");
                let o = meta.origin.clone();
                m.api_domain_names.push(ApiDomainName {
                    version: ApiVersion::V1,
                    security_policy: match d.security_policy() {
                        Some(p) => Value::set(p.as_str().to_string(), o, "security_policy"),
                        None => Value::defaulted("TLS_1_0".to_string(), o, "security_policy"),
                    },
                    meta,
                });
            }
        }
        Err(e) => {
            sh.warn(format!(
                "API Gateway domain names not evaluated: {}",
                e.reason
            ));
            sh.not_listed(scope, &["aws.api_domain_names"], &e);
        }
    }
    sh.progress
        .unit_done(m.api_stages.len() + m.api_domain_names.len());
    m
}

fn flag(v: bool, o: &Origin, path: &str) -> Value<bool> {
    if v {
        Value::set(true, o.clone(), path)
    } else {
        Value::defaulted(false, o.clone(), path)
    }
}

fn logging(destination: Option<&str>, o: &Origin) -> Value<bool> {
    flag(
        destination.is_some_and(|d| !d.is_empty()),
        o,
        "access_log_settings.destination_arn",
    )
}

/// The ids of every HTTP and WebSocket API (`GetApis`, following `NextToken`).
async fn v2_apis(
    sh: &Shared,
    c: &aws_sdk_apigatewayv2::Client,
    r: &str,
) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = sh
            .call(SVC, r, "GetApis", || {
                c.get_apis()
                    .max_results("500")
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        out.extend(
            page.items()
                .iter()
                .filter_map(|a| a.api_id().map(str::to_string)),
        );
        match page.next_token().filter(|t| !t.is_empty()) {
            Some(t) if token.as_deref() != Some(t) => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

/// The stages of HTTP or WebSocket API `id` (`GetStages`, following `NextToken`).
async fn v2_stages(
    sh: &Shared,
    c: &aws_sdk_apigatewayv2::Client,
    r: &str,
    id: &str,
) -> Result<Vec<aws_sdk_apigatewayv2::types::Stage>, ApiError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = sh
            .call(SVC, r, "GetStages", || {
                c.get_stages()
                    .api_id(id)
                    .max_results("500")
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        out.extend(page.items().iter().cloned());
        match page.next_token().filter(|t| !t.is_empty()) {
            Some(t) if token.as_deref() != Some(t) => token = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}

/// The stages of an API that could not be listed: one stage standing for them, every
/// setting unknown.
fn unknown_stage(scope: &Scope, r: &str, version: ApiVersion, id: &str, e: &ApiError) -> ApiStage {
    let kind = match version {
        ApiVersion::V1 => "restapis",
        ApiVersion::V2 => "apis",
    };
    let rtype = match version {
        ApiVersion::V1 => "aws_api_gateway_stage",
        ApiVersion::V2 => "aws_apigatewayv2_stage",
    };
    let meta = scope.meta(
        &format!(
            "arn:{}:apigateway:{r}::/{kind}/{id}/stages/*",
            scope.partition
        ),
        rtype,
    );
    let o = meta.origin.clone();
    ApiStage {
        version,
        api: Some(Value::set(id.to_string(), o.clone(), "api_id")),
        access_logging: e.unknown(o.clone(), "access_log_settings.destination_arn"),
        throttling: e.unknown(o.clone(), "throttling"),
        xray_tracing: e.unknown(o, "xray_tracing_enabled"),
        meta,
    }
}
