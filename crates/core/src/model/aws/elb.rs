//! Elastic Load Balancing: load balancers (v2 and classic) and their listeners.

use serde::{Deserialize, Serialize};

use crate::model::{ResourceMeta, Value};

/// A load balancer (`aws_lb`, `aws_alb`, `aws_elb`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LoadBalancer {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `application`, `network`, `gateway` or `classic`; `load_balancer_type` is
    /// `Defaulted("application")` for `aws_lb`/`aws_alb`.
    pub lb_type: Value<String>,
    /// `internal`; `Defaulted(false)` (internet-facing).
    pub internal: Value<bool>,
    /// Whether access logs are delivered: `access_logs.enabled`. For `aws_lb`/`aws_alb`
    /// `Defaulted(false)` without the block and inside it ("Defaults to `false`, even when
    /// `bucket` is specified", provider docs); for classic `aws_elb` `Defaulted(false)`
    /// without the block and `Defaulted(true)` inside it (provider docs: "Default: `true`").
    pub access_logs: Value<bool>,
    /// `enable_deletion_protection`; `Defaulted(false)` (provider docs: "Defaults to
    /// `false`"). `None` for classic load balancers, which have no such setting.
    pub deletion_protection: Option<Value<bool>>,
}

/// One action of a listener.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ListenerAction {
    /// `type`: `forward`, `redirect`, `fixed-response`, `authenticate-*`.
    pub kind: Value<String>,
    /// `redirect.protocol` for redirects; `Defaulted("#{protocol}")` (keeps the request's
    /// protocol).
    pub redirect_protocol: Option<Value<String>>,
}

/// A listener (`aws_lb_listener`, `aws_alb_listener`, or a `listener` block of `aws_elb`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Listener {
    /// Identity and declaration (the classic ELB itself for its inline listeners).
    pub meta: ResourceMeta,
    /// Address of the load balancer, when it could be tied to one.
    pub load_balancer: Option<String>,
    /// Type of that load balancer (`application`, `network`, `gateway`, `classic`), when known.
    pub lb_type: Option<Value<String>>,
    /// Front-end protocol, upper-cased (`HTTP`, `HTTPS`, `TCP`, `TLS`, `SSL`, ...).
    /// Absent on an application load balancer: `Defaulted("HTTP")` (provider docs).
    pub protocol: Value<String>,
    /// Front-end port.
    pub port: Value<i64>,
    /// TLS negotiation policy for HTTPS/TLS/SSL listeners. Absent:
    /// `Defaulted("ELBSecurityPolicy-2016-08")`, the policy ELB applies when none is
    /// given through the API (ELB docs, "Security policies").
    pub ssl_policy: Value<String>,
    /// Default actions (v2 listeners; empty for classic ELB).
    pub default_actions: Vec<ListenerAction>,
}
