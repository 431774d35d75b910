//! API Gateway: REST API stages (`aws_api_gateway_stage`, joined with
//! `aws_api_gateway_method_settings` by `stage_name`) and HTTP/WebSocket API stages
//! (`aws_apigatewayv2_stage`), and custom domain names of both.

use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::apigateway::{ApiDomainName, ApiStage, ApiVersion};
use crate::model::aws::AwsModel;
use crate::model::{Resolved, Value};

const STAGE: TargetSpec<'static> = TargetSpec {
    types: &["aws_api_gateway_stage"],
    name_attr: Some("stage_name"),
    global_names: false,
};

/// Whether `access_log_settings` with a destination is written.
fn access_logging(rd: &Reader<'_>) -> Value<bool> {
    match rd.first("access_log_settings") {
        Some(a) => a.opt_ref("destination_arn").map(|d| d.is_some()),
        None => match rd.block.unknown_blocks_of("access_log_settings") {
            Some(u) => Value::unknown(u.reason.clone(), rd.origin_at(u.pos), "access_log_settings"),
            None => Value::defaulted(false, rd.owner_origin(), "access_log_settings"),
        },
    }
}

/// Whether a settings block sets a throttling limit (`-1`, the provider default, means none).
fn throttles(s: &Reader<'_>) -> Value<bool> {
    let mut last = None;
    for name in ["throttling_rate_limit", "throttling_burst_limit"] {
        let v = s.read(name, -1.0, |d| match d {
            crate::terraform::ir::Dyn::Number(n) => super::read::Conv::Ok(*n),
            other => match super::read::to_string(other, name) {
                super::read::Conv::Ok(t) => t
                    .trim()
                    .parse::<f64>()
                    .map(super::read::Conv::Ok)
                    .unwrap_or_else(|_| {
                        super::read::Conv::Unknown(format!("`{name}` is not a number").into())
                    }),
                super::read::Conv::Null => super::read::Conv::Null,
                super::read::Conv::Unknown(r) => super::read::Conv::Unknown(r),
            },
        });
        match &v.value {
            Resolved::Set(n) | Resolved::Defaulted(n) if *n >= 0.0 => return v.map(|_| true),
            Resolved::Unknown(_) => last = Some(v.map(|_| false)),
            _ => {
                if last.is_none() {
                    last = Some(v.map(|_| false));
                }
            }
        }
    }
    last.unwrap_or_else(|| {
        Value::defaulted(false, s.block_origin(), s.path("throttling_rate_limit"))
    })
}

/// Adds stages and domain names to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let settings = Joins::build(
        ctx,
        &["aws_api_gateway_method_settings"],
        "stage_name",
        STAGE,
    );
    for r in ctx.managed(STAGE.types) {
        let rd = Reader::new(r);
        let mut throttling = None;
        for s in settings.definite(r) {
            let srd = Reader::new(s);
            let v = match srd.first("settings") {
                Some(b) => throttles(&b),
                None => Value::defaulted(false, srd.owner_origin(), "settings"),
            };
            let done = matches!(v.value, Resolved::Set(true) | Resolved::Defaulted(true));
            if done || throttling.is_none() || v.unknown_reason().is_some() {
                throttling = Some(v);
            }
            if done {
                break;
            }
        }
        let throttling = throttling.unwrap_or_else(|| match settings.possible(r) {
            Some(reason) => Value::unknown(reason.clone(), rd.owner_origin(), "throttling"),
            None => Value::defaulted(false, rd.owner_origin(), "throttling"),
        });
        aws.api_stages.push(ApiStage {
            meta: ctx.meta(r),
            version: ApiVersion::V1,
            api: rd.has("rest_api_id").then(|| {
                rd.opt_ref("rest_api_id")
                    .map(|a| a.clone().unwrap_or_default())
            }),
            access_logging: access_logging(&rd),
            throttling,
            xray_tracing: rd.bool("xray_tracing_enabled", false),
        });
    }
    for r in ctx.managed(&["aws_apigatewayv2_stage"]) {
        let rd = Reader::new(r);
        let throttling = match rd.first("default_route_settings") {
            Some(d) => throttles(&d),
            None => Value::defaulted(false, rd.owner_origin(), "default_route_settings"),
        };
        aws.api_stages.push(ApiStage {
            meta: ctx.meta(r),
            version: ApiVersion::V2,
            api: rd
                .has("api_id")
                .then(|| rd.opt_ref("api_id").map(|a| a.clone().unwrap_or_default())),
            access_logging: access_logging(&rd),
            throttling,
            xray_tracing: Value::defaulted(false, rd.owner_origin(), "xray_tracing_enabled"),
        });
    }
    for r in ctx.managed(&["aws_api_gateway_domain_name"]) {
        let rd = Reader::new(r);
        aws.api_domain_names.push(ApiDomainName {
            meta: ctx.meta(r),
            version: ApiVersion::V1,
            security_policy: rd.string("security_policy", "TLS_1_0"),
        });
    }
    for r in ctx.managed(&["aws_apigatewayv2_domain_name"]) {
        let rd = Reader::new(r);
        let security_policy = match rd.first("domain_name_configuration") {
            Some(c) => c.string("security_policy", "TLS_1_2"),
            None => Value::unknown(
                "`domain_name_configuration` is not written",
                rd.owner_origin(),
                "domain_name_configuration.security_policy",
            ),
        };
        aws.api_domain_names.push(ApiDomainName {
            meta: ctx.meta(r),
            version: ApiVersion::V2,
            security_policy,
        });
    }
}
