//! AWS WAF (v2) in one region: the regional web ACLs, whether each logs, and the load
//! balancers and API stages each protects.

use aws_config::SdkConfig;
use aws_sdk_wafv2::types::{ResourceType, Scope as WafScope};
use aws_sdk_wafv2::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::waf::{WebAcl, WebAclAssociation};
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "wafv2";
/// The most pages of `ListWebACLs` read (a guard against a repeated marker).
const MAX_PAGES: usize = 10_000;

/// Reads the regional web ACLs of `scope.region` (`ListWebACLs`, following
/// `NextMarker`), `GetLoggingConfiguration` of each, and `ListResourcesForWebACL` of
/// each for application load balancers and API Gateway stages. (Web ACLs of CloudFront
/// are judged through the distributions' `WebACLId`.)
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(acls) = sh.listed(
        scope,
        "WAF web ACLs",
        &["aws.web_acls", "aws.web_acl_associations"],
        list(sh, &c, r).await,
    ) else {
        return m;
    };
    let read = join_all(acls.iter().map(|arn| {
        let c = &c;
        async move {
            let (logging, lbs, apis) = tokio::join!(
                sh.call(SVC, r, "GetLoggingConfiguration", || c
                    .get_logging_configuration()
                    .resource_arn(arn)
                    .send()),
                sh.call(SVC, r, "ListResourcesForWebACL", || c
                    .list_resources_for_web_acl()
                    .web_acl_arn(arn)
                    .resource_type(ResourceType::ApplicationLoadBalancer)
                    .send()),
                sh.call(SVC, r, "ListResourcesForWebACL", || c
                    .list_resources_for_web_acl()
                    .web_acl_arn(arn)
                    .resource_type(ResourceType::ApiGateway)
                    .send()),
            );
            (arn, logging, lbs, apis)
        }
    }))
    .await;
    for (arn, logging, lbs, apis) in read {
        let meta = scope.meta(arn, "aws_wafv2_web_acl");
        let o = meta.origin.clone();
        m.web_acls.push(WebAcl {
            logging: match logging {
                Ok(l) => Value::set(l.logging_configuration().is_some(), o.clone(), "logging"),
                Err(e) if e.is(&["WAFNonexistentItemException"]) => {
                    Value::defaulted(false, o.clone(), "logging")
                }
                Err(e) => e.unknown(o.clone(), "logging"),
            },
            meta,
        });
        for listed in [lbs, apis] {
            match listed {
                Ok(out) => {
                    for res in out.resource_arns() {
                        let meta = scope.meta(
                            &format!("{arn}/association/{res}"),
                            "aws_wafv2_web_acl_association",
                        );
                        let o = meta.origin.clone();
                        m.web_acl_associations.push(WebAclAssociation {
                            resource: Value::set(res.clone(), o, "resource_arn"),
                            possible: Vec::new(),
                            meta,
                        });
                    }
                }
                Err(e) => {
                    // Any load balancer or stage of the region might be protected by it.
                    sh.warn(format!(
                        "resources protected by web ACL {arn} not evaluated: {}",
                        e.reason
                    ));
                    sh.not_listed(scope, &["aws.web_acl_associations"], &e);
                }
            }
        }
    }
    sh.progress
        .unit_done(m.web_acls.len() + m.web_acl_associations.len());
    m
}

/// The ARNs of the region's regional web ACLs.
async fn list(sh: &Shared, c: &Client, r: &str) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = sh
            .call(SVC, r, "ListWebACLs", || {
                c.list_web_acls()
                    .scope(WafScope::Regional)
                    .limit(100)
                    .set_next_marker(marker.clone())
                    .send()
            })
            .await?;
        out.extend(
            page.web_acls()
                .iter()
                .filter_map(|a| a.arn().map(str::to_string)),
        );
        match page.next_marker().filter(|t| !t.is_empty()) {
            Some(t) if marker.as_deref() != Some(t) => marker = Some(t.to_string()),
            _ => break,
        }
    }
    Ok(out)
}
