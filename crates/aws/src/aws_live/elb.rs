//! Elastic Load Balancing in one region: application, network and gateway load
//! balancers (v2) with their attributes and listeners, and classic load balancers with
//! their attributes, listeners and TLS negotiation policies.

use aws_config::SdkConfig;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::elb::{Listener, ListenerAction, LoadBalancer};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const V2: &str = "elasticloadbalancing";
const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// Reads the load balancers and listeners of `scope.region`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let mut m = AwsModel::default();
    let (a, b) = tokio::join!(v2(sh, cfg, scope), classic(sh, cfg, scope));
    for part in [a, b] {
        m.load_balancers.extend(part.load_balancers);
        m.lb_listeners.extend(part.lb_listeners);
    }
    sh.progress.unit_done(m.load_balancers.len());
    m
}

/// A boolean attribute `key` of a v2 load balancer (`DescribeLoadBalancerAttributes`),
/// `Defaulted(false)` when not reported (both attributes read here default to `false`;
/// gateway load balancers have no access logs).
fn v2_attribute(
    attrs: &Result<
        aws_sdk_elasticloadbalancingv2::operation::describe_load_balancer_attributes::DescribeLoadBalancerAttributesOutput,
        ApiError,
    >,
    key: &str,
    o: &Origin,
    path: &str,
) -> Value<bool> {
    match attrs {
        Ok(a) => match a.attributes().iter().find(|x| x.key() == Some(key)) {
            Some(x) => Value::set(
                x.value().is_some_and(|v| v.eq_ignore_ascii_case("true")),
                o.clone(),
                path,
            ),
            None => Value::defaulted(false, o.clone(), path),
        },
        Err(e) => e.unknown(o.clone(), path),
    }
}

async fn v2(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = aws_sdk_elasticloadbalancingv2::Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let lbs = match sh
        .pages(V2, r, "DescribeLoadBalancers", || {
            c.describe_load_balancers().into_paginator().send()
        })
        .await
    {
        Ok(p) => p,
        Err(e) => {
            sh.warn(format!("load balancers not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.load_balancers", "aws.lb_listeners"], &e);
            return m;
        }
    };
    let lbs: Vec<_> = lbs
        .iter()
        .flat_map(|p| p.load_balancers())
        .filter_map(|lb| {
            lb.load_balancer_arn()
                .map(|arn| (arn.to_string(), lb.clone()))
        })
        .collect();
    let details = join_all(lbs.iter().map(|(arn, _)| {
        let c = &c;
        async move {
            tokio::join!(
                sh.pages(V2, r, "DescribeListeners", || c
                    .describe_listeners()
                    .load_balancer_arn(arn)
                    .into_paginator()
                    .send(),),
                sh.call(V2, r, "DescribeLoadBalancerAttributes", || c
                    .describe_load_balancer_attributes()
                    .load_balancer_arn(arn)
                    .send(),)
            )
        }
    }))
    .await;
    for ((arn, lb), (ls, attrs)) in lbs.iter().zip(details) {
        let meta = scope.meta(arn, "aws_lb");
        let o = meta.origin.clone();
        let lb_type = Value::set(
            lb.r#type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_else(|| "application".to_string()),
            o.clone(),
            "load_balancer_type",
        );
        m.load_balancers.push(LoadBalancer {
            lb_type: lb_type.clone(),
            internal: Value::set(
                lb.scheme().is_some_and(|s| s.as_str() == "internal"),
                o.clone(),
                "internal",
            ),
            access_logs: v2_attribute(&attrs, "access_logs.s3.enabled", &o, "access_logs.enabled"),
            deletion_protection: Some(v2_attribute(
                &attrs,
                "deletion_protection.enabled",
                &o,
                "enable_deletion_protection",
            )),
            meta,
        });
        match ls {
            Ok(pages) => {
                for l in pages.iter().flat_map(|p| p.listeners()) {
                    let Some(larn) = l.listener_arn() else {
                        continue;
                    };
                    let lmeta = scope.meta(larn, "aws_lb_listener");
                    let lo = lmeta.origin.clone();
                    m.lb_listeners.push(Listener {
                        load_balancer: Some(arn.clone()),
                        lb_type: Some(lb_type.clone()),
                        protocol: Value::set(
                            l.protocol()
                                .map(|p| p.as_str().to_ascii_uppercase())
                                .unwrap_or_default(),
                            lo.clone(),
                            "protocol",
                        ),
                        port: Value::set(i64::from(l.port().unwrap_or(0)), lo.clone(), "port"),
                        ssl_policy: match l.ssl_policy() {
                            Some(p) => Value::set(p.to_string(), lo.clone(), "ssl_policy"),
                            None => Value::defaulted(
                                DEFAULT_SSL_POLICY.to_string(),
                                lo.clone(),
                                "ssl_policy",
                            ),
                        },
                        default_actions: l
                            .default_actions()
                            .iter()
                            .map(|a| ListenerAction {
                                kind: Value::set(
                                    a.r#type()
                                        .map(|t| t.as_str().to_string())
                                        .unwrap_or_default(),
                                    lo.clone(),
                                    "default_action.type",
                                ),
                                redirect_protocol: a.redirect_config().map(|rc| {
                                    Value::set(
                                        rc.protocol().unwrap_or("#{protocol}").to_string(),
                                        lo.clone(),
                                        "default_action.redirect.protocol",
                                    )
                                }),
                            })
                            .collect(),
                        meta: lmeta,
                    });
                }
            }
            Err(e) => {
                sh.warn(format!("listeners of {arn} not evaluated: {}", e.reason));
                let lmeta = scope.meta(&format!("{arn}/listeners/*"), "aws_lb_listener");
                let lo = lmeta.origin.clone();
                m.lb_listeners.push(Listener {
                    load_balancer: Some(arn.clone()),
                    lb_type: Some(lb_type.clone()),
                    protocol: e.unknown(lo.clone(), "protocol"),
                    port: e.unknown(lo.clone(), "port"),
                    ssl_policy: e.unknown(lo, "ssl_policy"),
                    default_actions: Vec::new(),
                    meta: lmeta,
                });
            }
        }
    }
    m
}

async fn classic(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = aws_sdk_elasticloadbalancing::Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let lbs = match sh
        .pages(V2, r, "DescribeLoadBalancers (classic)", || {
            c.describe_load_balancers().into_paginator().send()
        })
        .await
    {
        Ok(p) => p,
        Err(e) => {
            sh.warn(format!(
                "classic load balancers not evaluated: {}",
                e.reason
            ));
            sh.not_listed(scope, &["aws.load_balancers", "aws.lb_listeners"], &e);
            return m;
        }
    };
    let lbs: Vec<_> = lbs
        .iter()
        .flat_map(|p| p.load_balancer_descriptions())
        .cloned()
        .collect();
    let details = join_all(lbs.iter().map(|lb| {
        let c = &c;
        let name = lb.load_balancer_name().unwrap_or_default().to_string();
        async move {
            tokio::join!(
                sh.call(V2, r, "DescribeLoadBalancerPolicies", || c
                    .describe_load_balancer_policies()
                    .load_balancer_name(&name)
                    .send(),),
                sh.call(V2, r, "DescribeLoadBalancerAttributes (classic)", || c
                    .describe_load_balancer_attributes()
                    .load_balancer_name(&name)
                    .send(),)
            )
        }
    }))
    .await;
    for (lb, (pol, attrs)) in lbs.iter().zip(details) {
        let name = lb.load_balancer_name().unwrap_or_default();
        let arn = scope.arn(V2, &format!("loadbalancer/{name}"));
        let meta = scope.meta(&arn, "aws_elb");
        let o = meta.origin.clone();
        let lb_type = Value::set("classic".to_string(), o.clone(), "load_balancer_type");
        m.load_balancers.push(LoadBalancer {
            lb_type: lb_type.clone(),
            internal: Value::set(lb.scheme() == Some("internal"), o.clone(), "internal"),
            // `AccessLog.Enabled`; absent when access logs were never configured.
            access_logs: match &attrs {
                Ok(a) => match a.load_balancer_attributes().and_then(|x| x.access_log()) {
                    Some(l) => Value::set(l.enabled(), o.clone(), "access_logs.enabled"),
                    None => Value::defaulted(false, o.clone(), "access_logs.enabled"),
                },
                Err(e) => e.unknown(o.clone(), "access_logs.enabled"),
            },
            deletion_protection: None,
            meta: meta.clone(),
        });
        for (i, d) in lb.listener_descriptions().iter().enumerate() {
            let Some(l) = d.listener() else { continue };
            let path = format!("listener[{i}]");
            // The TLS negotiation policy's predefined reference, from the listener's
            // policies of type SSLNegotiationPolicyType.
            let ssl_policy = match &pol {
                Ok(p) => {
                    let reference = p
                        .policy_descriptions()
                        .iter()
                        .filter(|pd| {
                            pd.policy_name()
                                .is_some_and(|n| d.policy_names().iter().any(|x| x == n))
                        })
                        .flat_map(|pd| pd.policy_attribute_descriptions())
                        .find(|a| a.attribute_name() == Some("Reference-Security-Policy"))
                        .and_then(|a| a.attribute_value());
                    match reference {
                        Some(v) => {
                            Value::set(v.to_string(), o.clone(), format!("{path}.ssl_policy"))
                        }
                        None => Value::defaulted(
                            DEFAULT_SSL_POLICY.to_string(),
                            o.clone(),
                            format!("{path}.ssl_policy"),
                        ),
                    }
                }
                Err(e) => e.unknown(o.clone(), &format!("{path}.ssl_policy")),
            };
            m.lb_listeners.push(Listener {
                meta: meta.clone(),
                load_balancer: Some(arn.clone()),
                lb_type: Some(lb_type.clone()),
                protocol: Value::set(
                    l.protocol().to_ascii_uppercase(),
                    o.clone(),
                    format!("{path}.lb_protocol"),
                ),
                port: Value::set(
                    i64::from(l.load_balancer_port()),
                    o.clone(),
                    format!("{path}.lb_port"),
                ),
                ssl_policy,
                default_actions: Vec::new(),
            });
        }
    }
    m
}
