//! Elastic Load Balancing: `aws_lb`/`aws_alb` with their `aws_lb_listener`/
//! `aws_alb_listener` (joined by `load_balancer_arn`), and classic `aws_elb` with its
//! inline `listener` blocks.

use super::join::{resolve, Ctx, TargetSpec};
use super::read::Reader;
use crate::model::aws::elb::{Listener, ListenerAction, LoadBalancer};
use crate::model::aws::AwsModel;
use crate::model::Value;

const LB: TargetSpec<'static> = TargetSpec {
    types: &["aws_lb", "aws_alb"],
    name_attr: None,
    global_names: false,
};

/// The policy ELB applies to an HTTPS/TLS/SSL listener created through the API without
/// one (ELB documentation, "Security policies").
pub(crate) const DEFAULT_SSL_POLICY: &str = "ELBSecurityPolicy-2016-08";

/// Adds load balancers and listeners to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(LB.types) {
        let rd = Reader::new(r);
        aws.load_balancers.push(LoadBalancer {
            meta: ctx.meta(r),
            lb_type: rd.string("load_balancer_type", "application"),
            internal: rd.bool("internal", false),
            access_logs: match rd.first("access_logs") {
                Some(l) => l.bool("enabled", false),
                None => Value::defaulted(false, rd.owner_origin(), "access_logs.enabled"),
            },
            deletion_protection: Some(rd.bool("enable_deletion_protection", false)),
        });
    }
    let classic_policies_exist = ctx
        .managed(&[
            "aws_load_balancer_listener_policy",
            "aws_lb_ssl_negotiation_policy",
        ])
        .next()
        .is_some();
    for r in ctx.managed(&["aws_elb"]) {
        let rd = Reader::new(r);
        let m = ctx.meta(r);
        aws.load_balancers.push(LoadBalancer {
            meta: m.clone(),
            lb_type: Value::set("classic".into(), rd.owner_origin(), "load_balancer_type"),
            internal: rd.bool("internal", false),
            access_logs: match rd.first("access_logs") {
                Some(l) => l.bool("enabled", true),
                None => Value::defaulted(false, rd.owner_origin(), "access_logs.enabled"),
            },
            deletion_protection: None,
        });
        for l in rd.all("listener") {
            let protocol = l.string("lb_protocol", "").map(|p| p.to_ascii_uppercase());
            let ssl_policy = if classic_policies_exist {
                Value::unknown(
                    "a listener policy resource may set this load balancer's TLS policy",
                    l.block_origin(),
                    l.path("ssl_policy"),
                )
            } else {
                Value::defaulted(
                    DEFAULT_SSL_POLICY.to_string(),
                    l.block_origin(),
                    l.path("ssl_policy"),
                )
            };
            aws.lb_listeners.push(Listener {
                meta: m.clone(),
                load_balancer: Some(r.address.clone()),
                lb_type: Some(Value::set(
                    "classic".into(),
                    rd.owner_origin(),
                    "load_balancer_type",
                )),
                protocol,
                port: l.int("lb_port", 0),
                ssl_policy,
                default_actions: Vec::new(),
            });
        }
    }
    for r in ctx.managed(&["aws_lb_listener", "aws_alb_listener"]) {
        let rd = Reader::new(r);
        let lb = rd
            .attr("load_balancer_arn")
            .and_then(|a| resolve(ctx, r, &a.value, LB).definite.first().copied());
        let lb_type = lb.map(|l| Reader::new(l).string("load_balancer_type", "application"));
        let protocol = if rd.has("protocol") {
            rd.string("protocol", "HTTP")
                .map(|p| p.to_ascii_uppercase())
        } else {
            match lb_type.as_ref().map(|t| (t, t.known().map(String::as_str))) {
                Some((_, Some("application"))) => {
                    Value::defaulted("HTTP".into(), rd.owner_origin(), "protocol")
                }
                Some((_, Some("network"))) => Value::defaulted("TCP".into(), rd.owner_origin(), "protocol"),
                Some((_, Some("gateway"))) => Value::defaulted("GENEVE".into(), rd.owner_origin(), "protocol"),
                Some((t, Some(other))) => Value::unknown(
                    format!("no default protocol known for load balancer type {other}"),
                    t.origin.clone(),
                    "protocol",
                ),
                _ => Value::unknown(
                    "the default protocol depends on the load balancer, which could not be resolved",
                    rd.owner_origin(),
                    "protocol",
                ),
            }
        };
        let default_actions = rd
            .all("default_action")
            .into_iter()
            .map(|a| ListenerAction {
                kind: a.string("type", ""),
                redirect_protocol: a
                    .first("redirect")
                    .map(|rdr| rdr.string("protocol", "#{protocol}")),
            })
            .collect();
        aws.lb_listeners.push(Listener {
            meta: ctx.meta(r),
            load_balancer: lb.map(|l| l.address.clone()),
            lb_type,
            protocol,
            port: rd.int("port", 0),
            ssl_policy: rd.string("ssl_policy", DEFAULT_SSL_POLICY),
            default_actions,
        });
    }
}
