//! Amazon ECR in one region: every repository's encryption, image scanning, tag
//! mutability and repository policy.

use aws_config::SdkConfig;
use aws_sdk_ecr::types::{RegistryScanningConfiguration, Repository};
use aws_sdk_ecr::Client;
use futures_util::future::join_all;

use super::ctx::{ApiError, Scope, Shared};
use crate::model::aws::ecr::EcrRepository;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "ecr";
const SCAN: &str = "image_scanning_configuration.scan_on_push";

/// Reads every repository of `scope.region`: `DescribeRepositories` to the end, the
/// registry's scanning configuration (`GetRegistryScanningConfiguration`: its rules scan
/// repositories on push whatever the repository's own setting says) and
/// `GetRepositoryPolicy` of each repository.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let r = scope.region.as_ref();
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "ECR repositories",
        &["aws.ecr_repositories"],
        sh.pages(SVC, r, "DescribeRepositories", || {
            c.describe_repositories()
                .max_results(1000)
                .into_paginator()
                .send()
        })
        .await,
    ) else {
        return m;
    };
    let list: Vec<&Repository> = pages.iter().flat_map(|p| p.repositories()).collect();
    let registry = if list.is_empty() {
        Ok(None)
    } else {
        sh.call(SVC, r, "GetRegistryScanningConfiguration", || {
            c.get_registry_scanning_configuration().send()
        })
        .await
        .map(|o| o.scanning_configuration().cloned())
    };
    let registry = &registry;
    let repos = join_all(list.into_iter().map(|repo| {
        let c = &c;
        async move {
            let name = repo.repository_name().unwrap_or_default();
            let arn = repo
                .repository_arn()
                .map(str::to_string)
                .unwrap_or_else(|| scope.arn(SVC, &format!("repository/{name}")));
            let meta = scope.meta(&arn, "aws_ecr_repository");
            let o = meta.origin.clone();
            let policy = match sh
                .call(SVC, r, "GetRepositoryPolicy", || {
                    c.get_repository_policy().repository_name(name).send()
                })
                .await
            {
                Ok(p) => super::sqs::policy(p.policy_text(), &o),
                // No policy: only the owner account has access.
                Err(e) if e.is(&["RepositoryPolicyNotFoundException"]) => {
                    super::sqs::policy(None, &o)
                }
                Err(e) => e.unknown(o.clone(), "policy"),
            };
            let enc = repo.encryption_configuration();
            EcrRepository {
                encryption_type: match enc {
                    Some(e) => Value::set(
                        e.encryption_type().as_str().to_ascii_uppercase(),
                        o.clone(),
                        "encryption_configuration.encryption_type",
                    ),
                    None => Value::defaulted(
                        "AES256".to_string(),
                        o.clone(),
                        "encryption_configuration.encryption_type",
                    ),
                },
                kms_key: match enc.and_then(|e| e.kms_key()) {
                    Some(k) => Value::set(
                        Some(k.to_string()),
                        o.clone(),
                        "encryption_configuration.kms_key",
                    ),
                    None => Value::defaulted(None, o.clone(), "encryption_configuration.kms_key"),
                },
                scan_on_push: scan_on_push(
                    name,
                    repo.image_scanning_configuration()
                        .map(|s| s.scan_on_push()),
                    registry,
                    &o,
                ),
                tag_mutability: match repo.image_tag_mutability() {
                    Some(t) => {
                        Value::set(t.as_str().to_string(), o.clone(), "image_tag_mutability")
                    }
                    None => {
                        Value::defaulted("MUTABLE".to_string(), o.clone(), "image_tag_mutability")
                    }
                },
                policy,
                meta,
            }
        }
    }))
    .await;
    sh.progress.unit_done(repos.len());
    m.ecr_repositories = repos;
    m
}

/// Whether images pushed to repository `name` are scanned: with enhanced scanning only
/// the registry's rules decide (the repository setting is ignored); with basic scanning
/// the repository's `scanOnPush` or a registry rule scanning on push whose filter
/// matches the name. Unknown when the registry configuration could not be read and the
/// repository itself does not scan.
fn scan_on_push(
    name: &str,
    repo: Option<bool>,
    registry: &Result<Option<RegistryScanningConfiguration>, ApiError>,
    o: &Origin,
) -> Value<bool> {
    let cfg = match registry {
        Ok(c) => c.as_ref(),
        Err(e) if repo != Some(true) => return e.unknown(o.clone(), SCAN),
        Err(_) => None,
    };
    let enhanced = cfg
        .and_then(|c| c.scan_type())
        .is_some_and(|t| t.as_str() == "ENHANCED");
    let by_rule = cfg.is_some_and(|c| {
        c.rules().iter().any(|rule| {
            let f = rule.scan_frequency().as_str();
            (f == "SCAN_ON_PUSH" || (enhanced && f == "CONTINUOUS_SCAN"))
                && rule
                    .repository_filters()
                    .iter()
                    .any(|x| x.filter_type().as_str() == "WILDCARD" && wildcard(x.filter(), name))
        })
    });
    if by_rule {
        return Value::set(true, o.clone(), "registry_scanning_configuration.rule");
    }
    if enhanced {
        return Value::set(false, o.clone(), "registry_scanning_configuration.rule");
    }
    match repo {
        Some(b) => Value::set(b, o.clone(), SCAN),
        None => Value::defaulted(false, o.clone(), SCAN),
    }
}

/// Whether `name` matches the ECR filter `pattern`, where `*` matches any characters.
fn wildcard(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcard_filters() {
        assert!(wildcard("*", "app"));
        assert!(wildcard("prod-*", "prod-api"));
        assert!(!wildcard("prod-*", "dev-api"));
        assert!(wildcard("*-api", "prod-api"));
        assert!(wildcard("p*d*i", "prod-api"));
        assert!(!wildcard("p*x*i", "prod-api"));
        assert!(wildcard("app", "app"));
        assert!(!wildcard("ab*ba", "aba"));
    }
}
