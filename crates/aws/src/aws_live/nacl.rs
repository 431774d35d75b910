//! EC2 network ACLs in one region: every entry of every ACL, inbound and outbound.

use super::ec2_api::Client;
use aws_config::SdkConfig;

use super::ctx::{Scope, Shared};
use crate::model::aws::ec2::{Direction, NetworkAclRule};
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "ec2";

/// Reads every network ACL of `scope.region` (`DescribeNetworkAcls` to the end). Each
/// entry is one rule; its attribute paths name the entry (`egress[100].protocol`), so
/// two entries of one ACL are two results.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "EC2 network ACLs",
        &["aws.network_acl_rules"],
        sh.pages(SVC, &scope.region, "DescribeNetworkAcls", || {
            c.describe_network_acls()
        })
        .await,
    ) else {
        return m;
    };
    let mut acls = 0;
    for acl in pages.iter().flat_map(|p| &p.network_acls) {
        let Some(id) = acl.network_acl_id.as_deref() else {
            continue;
        };
        acls += 1;
        let meta = scope.meta(
            &scope.arn(SVC, &format!("network-acl/{id}")),
            "aws_network_acl",
        );
        let o = meta.origin.clone();
        for e in &acl.entries {
            let egress = e.egress.unwrap_or(false);
            let kind = if egress { "egress" } else { "ingress" };
            let number = e
                .rule_number
                .map_or_else(|| "*".to_string(), |n| n.to_string());
            let path = |p: &str| format!("{kind}[{number}].{p}");
            let port = |v: Option<i32>, p: &str| match v {
                Some(n) => Value::set(i64::from(n), o.clone(), path(p)),
                None => Value::defaulted(0, o.clone(), path(p)),
            };
            let cidr = |v: Option<&str>, p: &str| match v {
                Some(c) => Value::set(Some(c.to_string()), o.clone(), path(p)),
                None => Value::defaulted(None, o.clone(), path(p)),
            };
            m.network_acl_rules.push(NetworkAclRule {
                meta: meta.clone(),
                origin: o.clone(),
                direction: Value::set(
                    if egress {
                        Direction::Egress
                    } else {
                        Direction::Ingress
                    },
                    o.clone(),
                    path("direction"),
                ),
                action: Value::set(
                    e.rule_action
                        .as_deref()
                        .map(str::to_ascii_lowercase)
                        .unwrap_or_default(),
                    o.clone(),
                    path("action"),
                ),
                protocol: Value::set(
                    e.protocol
                        .as_deref()
                        .unwrap_or_default()
                        .to_ascii_lowercase(),
                    o.clone(),
                    path("protocol"),
                ),
                from_port: port(e.port_from, "from_port"),
                to_port: port(e.port_to, "to_port"),
                ipv4_cidr: cidr(e.cidr_block.as_deref(), "cidr_block"),
                ipv6_cidr: cidr(e.ipv6_cidr_block.as_deref(), "ipv6_cidr_block"),
            });
        }
    }
    sh.progress.unit_done(acls);
    m
}
