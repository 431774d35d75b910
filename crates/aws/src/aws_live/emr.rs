//! EMR in one region: the active clusters (whether they name a security configuration)
//! and the security configurations (at-rest and in-transit encryption, from their JSON
//! document).
//!
//! A cluster names its security configuration by name, and a name is only unique in
//! one account and region: the link is resolved here, within the region read, as the
//! Terraform adapter resolves it within one configuration. A cluster naming a
//! configuration this region's listing does not hold (deleted since) still names one;
//! what the named configuration turns on is judged on the configuration itself.

use aws_config::SdkConfig;
use aws_sdk_emr::types::ClusterState;
use aws_sdk_emr::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::emr::{EmrCluster, EmrSecurityConfiguration};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "elasticmapreduce";

/// States of a cluster that runs or can run work: the ones `ListClusters` is asked for.
const ACTIVE: [ClusterState; 4] = [
    ClusterState::Starting,
    ClusterState::Bootstrapping,
    ClusterState::Running,
    ClusterState::Waiting,
];

/// Reads the active clusters of `scope.region` (`ListClusters` in the states
/// `STARTING`, `BOOTSTRAPPING`, `RUNNING` and `WAITING`, to the end, then
/// `DescribeCluster` of each) and every security configuration
/// (`ListSecurityConfigurations` to the end, then `DescribeSecurityConfiguration` of
/// each). Security configurations have no ARN: the resource is
/// `arn:…:elasticmapreduce:<region>:<account>:security-configuration/<name>`.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let mut m = AwsModel::default();
    let (clusters, configs) = tokio::join!(
        clusters(sh, &c, scope),
        security_configurations(sh, &c, scope)
    );
    match clusters {
        Ok(v) => m.emr_clusters = v,
        Err(e) => {
            sh.warn(format!("EMR clusters not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.emr_clusters"], &e);
        }
    }
    match configs {
        Ok(v) => m.emr_security_configurations = v,
        Err(e) => {
            sh.warn(format!(
                "EMR security configurations not evaluated: {}",
                e.reason
            ));
            sh.not_listed(scope, &["aws.emr_security_configurations"], &e);
        }
    }
    sh.progress
        .unit_done(m.emr_clusters.len() + m.emr_security_configurations.len());
    m
}

/// The active clusters; `Err` when they cannot be listed.
async fn clusters(sh: &Shared, c: &Client, scope: &Scope) -> Result<Vec<EmrCluster>, ApiError> {
    let r = scope.region.as_ref();
    let pages = sh
        .pages(SVC, r, "ListClusters", || {
            c.list_clusters()
                .set_cluster_states(Some(ACTIVE.to_vec()))
                .into_paginator()
                .send()
        })
        .await?;
    let listed: Vec<(String, Option<String>)> = pages
        .iter()
        .flat_map(|p| p.clusters())
        .filter_map(|s| Some((s.id()?.to_string(), s.cluster_arn().map(str::to_string))))
        .collect();
    Ok(join_all(listed.iter().map(|(id, listed_arn)| async move {
        let d = sh
            .call(SVC, r, "DescribeCluster", || {
                c.describe_cluster().cluster_id(id).send()
            })
            .await;
        let cl = d.as_ref().ok().and_then(|d| d.cluster());
        let arn = cl
            .and_then(|c| c.cluster_arn())
            .map(str::to_string)
            .or_else(|| listed_arn.clone())
            .unwrap_or_else(|| scope.arn(SVC, &format!("cluster/{id}")));
        let meta = scope.meta(&arn, "aws_emr_cluster");
        let o = meta.origin.clone();
        let path = "security_configuration";
        let has_security_configuration = match (&d, cl) {
            (Err(e), _) => e.unknown(o, path),
            (Ok(_), None) => Value::unknown("DescribeCluster returned no cluster", o, path),
            (Ok(_), Some(cl)) => match cl.security_configuration() {
                Some(name) if !name.trim().is_empty() => Value::set(true, o, path),
                _ => Value::defaulted(false, o, path),
            },
        };
        EmrCluster {
            meta,
            has_security_configuration,
        }
    }))
    .await)
}

/// Every security configuration; `Err` when they cannot be listed.
async fn security_configurations(
    sh: &Shared,
    c: &Client,
    scope: &Scope,
) -> Result<Vec<EmrSecurityConfiguration>, ApiError> {
    let r = scope.region.as_ref();
    let pages = sh
        .pages(SVC, r, "ListSecurityConfigurations", || {
            c.list_security_configurations().into_paginator().send()
        })
        .await?;
    let names: Vec<String> = pages
        .iter()
        .flat_map(|p| p.security_configurations())
        .filter_map(|s| s.name().map(str::to_string))
        .collect();
    Ok(join_all(names.iter().map(|name| async move {
        let d = sh
            .call(SVC, r, "DescribeSecurityConfiguration", || {
                c.describe_security_configuration().name(name).send()
            })
            .await;
        let arn = scope.arn(SVC, &format!("security-configuration/{name}"));
        let meta = scope.meta(&arn, "aws_emr_security_configuration");
        let o = meta.origin.clone();
        let doc: Result<serde_json::Value, String> = match &d {
            Err(e) => Err(e.reason.to_string()),
            Ok(out) => match out.security_configuration() {
                None => Err("DescribeSecurityConfiguration returned no document".into()),
                Some(text) => serde_json::from_str(text).map_err(|e| {
                    format!("the security configuration {name} is not valid JSON: {e}")
                }),
            },
        };
        EmrSecurityConfiguration {
            at_rest_encryption: flag(&doc, "EnableAtRestEncryption", &o),
            in_transit_encryption: flag(&doc, "EnableInTransitEncryption", &o),
            meta,
        }
    }))
    .await)
}

/// `EncryptionConfiguration.<name>` of the security configuration document `doc`, read
/// as the Terraform adapter reads it: `Defaulted(false)` when absent, a boolean or the
/// strings `true`/`false`, unknown otherwise or when the document could not be read.
fn flag(doc: &Result<serde_json::Value, String>, name: &str, at: &Origin) -> Value<bool> {
    use serde_json::Value as J;
    let path = format!("configuration.EncryptionConfiguration.{name}");
    let doc = match doc {
        Ok(d) => d,
        Err(r) => return Value::unknown(r.as_str(), at.clone(), path),
    };
    let v = match doc.get("EncryptionConfiguration") {
        Some(J::Object(enc)) => enc.get(name),
        _ => None,
    };
    match v {
        None | Some(J::Null) => Value::defaulted(false, at.clone(), path),
        Some(J::Bool(b)) => Value::set(*b, at.clone(), path),
        Some(J::String(s)) if s.eq_ignore_ascii_case("true") => Value::set(true, at.clone(), path),
        Some(J::String(s)) if s.eq_ignore_ascii_case("false") => {
            Value::set(false, at.clone(), path)
        }
        Some(_) => Value::unknown(format!("{name} is not a boolean"), at.clone(), path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Origin {
        Origin::Aws {
            arn: "arn:aws:elasticmapreduce:eu-west-1:123456789012:security-configuration/s".into(),
            region: "eu-west-1".into(),
            account: "123456789012".into(),
        }
    }

    fn doc(s: &str) -> Result<serde_json::Value, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }

    #[test]
    fn flags_of_the_document() {
        let d = doc(
            r#"{"EncryptionConfiguration":{"EnableAtRestEncryption":true,"EnableInTransitEncryption":"false"}}"#,
        );
        let rest = flag(&d, "EnableAtRestEncryption", &at());
        assert_eq!(rest.known(), Some(&true));
        assert_eq!(
            &*rest.path,
            "configuration.EncryptionConfiguration.EnableAtRestEncryption"
        );
        assert_eq!(
            flag(&d, "EnableInTransitEncryption", &at()).known(),
            Some(&false)
        );
        let none = doc(r#"{"AuthenticationConfiguration":{}}"#);
        let v = flag(&none, "EnableAtRestEncryption", &at());
        assert_eq!(v.known(), Some(&false));
        assert!(!v.is_set(), "absent is the default");
        let odd = doc(r#"{"EncryptionConfiguration":{"EnableAtRestEncryption":1}}"#);
        assert_eq!(
            flag(&odd, "EnableAtRestEncryption", &at()).unknown_reason(),
            Some("EnableAtRestEncryption is not a boolean")
        );
        let failed: Result<serde_json::Value, String> = Err("denied".into());
        assert_eq!(
            flag(&failed, "EnableAtRestEncryption", &at()).unknown_reason(),
            Some("denied")
        );
    }
}
