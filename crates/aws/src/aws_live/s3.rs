//! S3: every bucket of the account with its encryption, versioning, logging, policy,
//! ACL, public access block, replication and lifecycle configuration, and the
//! account-level public access block (S3 Control).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use aws_config::SdkConfig;
use aws_sdk_s3::Client;
use futures_util::future::join_all;

use super::ctx::{Scope, Shared};
use crate::model::aws::iam::PolicyDocument;
use crate::model::aws::policy_json::parse_json;
use crate::model::aws::s3::{
    AccountPublicAccessBlock, PublicAccessBlock, S3Bucket, S3BucketLogging, DEFAULT_SSE_ALGORITHM,
};
use crate::model::aws::tags::Tags;
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};

const SVC: &str = "s3";
/// Buckets per `ListBuckets` page (the API's largest).
const LIST_PAGE: i32 = 10_000;
const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";
const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTH_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/// S3 clients per region (buckets are addressed in their own region).
struct Clients<'a> {
    cfg: &'a SdkConfig,
    path_style: bool,
    by_region: Mutex<HashMap<String, Client>>,
}

impl Clients<'_> {
    fn get(&self, region: &str) -> Client {
        let mut m = match self.by_region.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        m.entry(region.to_string())
            .or_insert_with(|| {
                let conf = aws_sdk_s3::config::Builder::from(self.cfg)
                    .region(aws_sdk_s3::config::Region::new(region.to_string()))
                    .force_path_style(self.path_style)
                    .build();
                Client::from_conf(conf)
            })
            .clone()
    }
}

/// Lists the account's buckets (through `scope.region`) and reads each one's
/// configuration in its own region.
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope, path_style: bool) -> AwsModel {
    let clients = Clients {
        cfg,
        path_style,
        by_region: Mutex::new(HashMap::new()),
    };
    let home = clients.get(&scope.region);
    let mut model = AwsModel::default();
    let (pages, account_block) = tokio::join!(
        // With a page size, ListBuckets names each bucket's region (`BucketRegion`),
        // which saves a GetBucketLocation call per bucket.
        sh.pages(SVC, &scope.region, "ListBuckets", || home
            .list_buckets()
            .max_buckets(LIST_PAGE)
            .into_paginator()
            .send(),),
        account_public_access_block(sh, cfg, scope)
    );
    model.s3_account_public_access_blocks.push(account_block);
    let names: Vec<(String, Option<String>)> = match pages {
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.buckets())
            .filter_map(|b| {
                let region = b.bucket_region().filter(|r| !r.is_empty());
                b.name()
                    .map(|n| (n.to_string(), region.map(str::to_string)))
            })
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect(),
        Err(e) => {
            sh.warn(format!("S3 buckets not evaluated: {}", e.reason));
            sh.not_listed(scope, &["aws.s3_buckets", "aws.s3_bucket_loggings"], &e);
            sh.progress.unit_done(0);
            return model;
        }
    };
    let read: Vec<(S3Bucket, Option<S3BucketLogging>)> = join_all(
        names
            .iter()
            .map(|(n, region)| bucket(sh, &clients, &home, scope, n, region.as_deref())),
    )
    .await;
    sh.progress.unit_done(read.len());
    for (bucket, logging) in read {
        model.s3_buckets.push(bucket);
        model.s3_bucket_loggings.extend(logging);
    }
    model
}

/// S3 Control's endpoint resolution, except that an endpoint override is used as it is:
/// the standard rules put the account id in front of the override's host
/// (`123456789012.localhost:4566`), which emulators and proxies do not answer.
#[derive(Debug, Default)]
struct ControlEndpoint(aws_sdk_s3control::config::endpoint::DefaultResolver);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for ControlEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture};
        match params.endpoint() {
            Some(url) => {
                EndpointFuture::ready(Ok(Endpoint::builder().url(url.to_string()).build()))
            }
            None => self.0.resolve_endpoint(params),
        }
    }
}

/// The account-level public access block (S3 Control `GetPublicAccessBlock`): an
/// account without one has every setting off (`Defaulted(false)`), so the account check
/// fails; any other failure leaves the settings unknown.
async fn account_public_access_block(
    sh: &Shared,
    cfg: &SdkConfig,
    scope: &Scope,
) -> AccountPublicAccessBlock {
    let conf = aws_sdk_s3control::config::Builder::from(cfg)
        .endpoint_resolver(ControlEndpoint::default())
        .build();
    let c = aws_sdk_s3control::Client::from_conf(conf);
    let out = sh
        .call("s3control", &scope.region, "GetPublicAccessBlock", || {
            c.get_public_access_block()
                .account_id(scope.account.as_ref())
                .send()
        })
        .await;
    let meta = scope.meta(
        &scope.global_arn(SVC, "account-public-access-block"),
        "aws_s3_account_public_access_block",
    );
    let o = meta.origin.clone();
    let p = |name: &str| format!("public_access_block.{name}");
    let block = match out {
        Ok(out) => {
            let c = out.public_access_block_configuration();
            let f = |v: Option<bool>, name: &str| match v {
                Some(x) => Value::set(x, o.clone(), p(name)),
                None => Value::defaulted(false, o.clone(), p(name)),
            };
            PublicAccessBlock {
                block_public_acls: f(c.and_then(|c| c.block_public_acls()), "block_public_acls"),
                block_public_policy: f(
                    c.and_then(|c| c.block_public_policy()),
                    "block_public_policy",
                ),
                ignore_public_acls: f(c.and_then(|c| c.ignore_public_acls()), "ignore_public_acls"),
                restrict_public_buckets: f(
                    c.and_then(|c| c.restrict_public_buckets()),
                    "restrict_public_buckets",
                ),
            }
        }
        Err(e) if e.is(&["NoSuchPublicAccessBlockConfiguration"]) => {
            let f = |name: &str| Value::defaulted(false, o.clone(), p(name));
            PublicAccessBlock {
                block_public_acls: f("block_public_acls"),
                block_public_policy: f("block_public_policy"),
                ignore_public_acls: f("ignore_public_acls"),
                restrict_public_buckets: f("restrict_public_buckets"),
            }
        }
        Err(e) => {
            sh.warn(format!(
                "account-level S3 public access block not evaluated: {}",
                e.reason
            ));
            let u = |name: &str| -> Value<bool> { e.unknown(o.clone(), &p(name)) };
            PublicAccessBlock {
                block_public_acls: u("block_public_acls"),
                block_public_policy: u("block_public_policy"),
                ignore_public_acls: u("ignore_public_acls"),
                restrict_public_buckets: u("restrict_public_buckets"),
            }
        }
    };
    AccountPublicAccessBlock { meta, block }
}

const SSE_PATH: &str = "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm";
const KMS_PATH: &str = "server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.kms_master_key_id";

/// The region of a bucket from `GetBucketLocation` (empty means `us-east-1`, `EU` is
/// the legacy name of `eu-west-1`).
fn bucket_region(constraint: Option<&str>) -> String {
    match constraint {
        None | Some("") => "us-east-1".to_string(),
        Some("EU") => "eu-west-1".to_string(),
        Some(r) => r.to_string(),
    }
}

async fn bucket(
    sh: &Shared,
    clients: &Clients<'_>,
    home: &Client,
    scope: &Scope,
    name: &str,
    listed_region: Option<&str>,
) -> (S3Bucket, Option<S3BucketLogging>) {
    let arn = format!("arn:{}:s3:::{name}", scope.partition);
    let region = match listed_region {
        Some(r) => r.to_string(),
        None => {
            let loc = sh
                .call(SVC, &scope.region, "GetBucketLocation", || {
                    home.get_bucket_location().bucket(name).send()
                })
                .await;
            match &loc {
                Ok(l) => bucket_region(l.location_constraint().map(|c| c.as_str())),
                Err(_) => scope.region.to_string(),
            }
        }
    };
    let scope = scope.in_region(&region);
    let meta = scope.meta(&arn, "aws_s3_bucket");
    let o = meta.origin.clone();
    let c = clients.get(&region);
    let r = region.as_str();
    let tagging = sh.call(SVC, r, "GetBucketTagging", || {
        c.get_bucket_tagging().bucket(name).send()
    });
    let (enc, ver, log, pol, acl, pab, rep, life, tagging) = tokio::join!(
        sh.call(SVC, r, "GetBucketEncryption", || c
            .get_bucket_encryption()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetBucketVersioning", || c
            .get_bucket_versioning()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetBucketLogging", || c
            .get_bucket_logging()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetBucketPolicy", || c
            .get_bucket_policy()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetBucketAcl", || c
            .get_bucket_acl()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetPublicAccessBlock", || c
            .get_public_access_block()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetBucketReplication", || c
            .get_bucket_replication()
            .bucket(name)
            .send()),
        sh.call(SVC, r, "GetBucketLifecycleConfiguration", || c
            .get_bucket_lifecycle_configuration()
            .bucket(name)
            .send()),
        tagging,
    );
    let tags = match tagging {
        Ok(t) => Value::set(
            Tags {
                known: t
                    .tag_set()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect(),
                ..Default::default()
            },
            o.clone(),
            "tags",
        ),
        Err(e) if e.is(&["NoSuchTagSet"]) => Value::defaulted(Tags::default(), o.clone(), "tags"),
        Err(e) => e.unknown(o.clone(), "tags"),
    };
    let (sse_algorithm, kms_key) = match enc {
        Ok(out) => {
            let by_default = out
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default());
            match by_default {
                Some(d) => (
                    Value::set(d.sse_algorithm().as_str().to_string(), o.clone(), SSE_PATH),
                    Value::set(
                        d.kms_master_key_id().map(str::to_string),
                        o.clone(),
                        KMS_PATH,
                    ),
                ),
                None => default_sse(&o),
            }
        }
        Err(e) if e.is(&["ServerSideEncryptionConfigurationNotFoundError"]) => default_sse(&o),
        Err(e) => (
            e.unknown(o.clone(), SSE_PATH),
            e.unknown(o.clone(), KMS_PATH),
        ),
    };
    let versioning = match ver {
        Ok(v) => match v.status() {
            Some(s) => Value::set(
                s.as_str().eq_ignore_ascii_case("Enabled"),
                o.clone(),
                "versioning.status",
            ),
            None => Value::defaulted(false, o.clone(), "versioning.status"),
        },
        Err(e) => e.unknown(o.clone(), "versioning.status"),
    };
    let (access_logging, logging_target) = match log {
        Ok(l) => match l.logging_enabled() {
            Some(le) => (
                Value::set(true, o.clone(), "logging"),
                Some(Value::set(
                    le.target_bucket().to_string(),
                    o.clone(),
                    "logging.target_bucket",
                )),
            ),
            None => (Value::defaulted(false, o.clone(), "logging"), None),
        },
        // Where this bucket's logs go is unknown too.
        Err(e) => (
            e.unknown(o.clone(), "logging"),
            Some(e.unknown(o.clone(), "logging.target_bucket")),
        ),
    };
    let logging = logging_target.map(|target| S3BucketLogging {
        meta: meta.clone(),
        target,
    });
    let policy = match pol {
        Ok(p) => match p.policy() {
            Some(text) if !text.trim().is_empty() => match parse_json(text) {
                Ok(doc) => Value::set(doc, o.clone(), "policy"),
                Err(err) => Value::unknown(
                    format!("bucket policy is not a valid policy document: {err}"),
                    o.clone(),
                    "policy",
                ),
            },
            _ => Value::defaulted(PolicyDocument::default(), o.clone(), "policy"),
        },
        Err(e) if e.is(&["NoSuchBucketPolicy"]) => {
            Value::defaulted(PolicyDocument::default(), o.clone(), "policy")
        }
        Err(e) => e.unknown(o.clone(), "policy"),
    };
    let grantees;
    let acl = match acl {
        Ok(a) => {
            let grants: Vec<(String, String)> = a
                .grants()
                .iter()
                .filter_map(|g| {
                    let uri = g.grantee().and_then(|x| x.uri())?;
                    let perm = g.permission()?.as_str().to_string();
                    Some((uri.to_string(), perm))
                })
                .collect();
            let canned = canned_acl(&grants);
            let mut uris: Vec<String> = grants.iter().map(|(u, _)| u.clone()).collect();
            uris.sort();
            uris.dedup();
            grantees = Value::set(uris, o.clone(), "grant");
            Value::set(canned.to_string(), o.clone(), "acl")
        }
        Err(e) => {
            grantees = e.unknown(o.clone(), "grant");
            e.unknown(o.clone(), "acl")
        }
    };
    let public_access_block = match pab {
        Ok(p) => p.public_access_block_configuration().map(|c| {
            let f = |v: Option<bool>, p: &str| Value::set(v.unwrap_or(false), o.clone(), p);
            PublicAccessBlock {
                block_public_acls: f(
                    c.block_public_acls(),
                    "public_access_block.block_public_acls",
                ),
                block_public_policy: f(
                    c.block_public_policy(),
                    "public_access_block.block_public_policy",
                ),
                ignore_public_acls: f(
                    c.ignore_public_acls(),
                    "public_access_block.ignore_public_acls",
                ),
                restrict_public_buckets: f(
                    c.restrict_public_buckets(),
                    "public_access_block.restrict_public_buckets",
                ),
            }
        }),
        Err(e) if e.is(&["NoSuchPublicAccessBlockConfiguration"]) => None,
        Err(e) => {
            let u = |p: &str| -> Value<bool> { e.unknown(o.clone(), p) };
            Some(PublicAccessBlock {
                block_public_acls: u("public_access_block.block_public_acls"),
                block_public_policy: u("public_access_block.block_public_policy"),
                ignore_public_acls: u("public_access_block.ignore_public_acls"),
                restrict_public_buckets: u("public_access_block.restrict_public_buckets"),
            })
        }
    };
    let replication = match rep {
        Ok(r) => Value::set(
            r.replication_configuration().is_some_and(|c| {
                c.rules()
                    .iter()
                    .any(|r| r.status().as_str().eq_ignore_ascii_case("Enabled"))
            }),
            o.clone(),
            "replication_configuration",
        ),
        Err(e) if e.is(&["ReplicationConfigurationNotFoundError"]) => {
            Value::defaulted(false, o.clone(), "replication_configuration")
        }
        Err(e) => e.unknown(o.clone(), "replication_configuration"),
    };
    let lifecycle = match life {
        Ok(l) => Value::set(
            l.rules()
                .iter()
                .any(|r| r.status().as_str().eq_ignore_ascii_case("Enabled")),
            o.clone(),
            "lifecycle_configuration",
        ),
        Err(e) if e.is(&["NoSuchLifecycleConfiguration"]) => {
            Value::defaulted(false, o.clone(), "lifecycle_configuration")
        }
        Err(e) => e.unknown(o.clone(), "lifecycle_configuration"),
    };
    let bucket = S3Bucket {
        name: Value::set(name.to_string(), o.clone(), "bucket"),
        sse_algorithm,
        kms_key,
        versioning,
        access_logging,
        policy,
        acl,
        acl_grantees: grantees,
        tags,
        public_access_block,
        replication,
        lifecycle,
        meta,
    };
    (bucket, logging)
}

fn default_sse(o: &Origin) -> (Value<String>, Value<Option<String>>) {
    (
        Value::defaulted(DEFAULT_SSE_ALGORITHM.to_string(), o.clone(), SSE_PATH),
        Value::defaulted(None, o.clone(), KMS_PATH),
    )
}

/// The canned ACL equivalent to a bucket's grants to predefined groups (grants to
/// accounts and users are not canned ACLs and are reported as `private`).
fn canned_acl(grants: &[(String, String)]) -> &'static str {
    let has = |uri: &str, perms: &[&str]| {
        grants
            .iter()
            .any(|(u, p)| u == uri && perms.iter().any(|x| x == p))
    };
    if has(ALL_USERS, &["WRITE", "FULL_CONTROL"]) {
        "public-read-write"
    } else if has(ALL_USERS, &["READ", "READ_ACP"]) {
        "public-read"
    } else if has(AUTH_USERS, &["READ", "WRITE", "FULL_CONTROL"]) {
        "authenticated-read"
    } else if has(LOG_DELIVERY, &["WRITE", "FULL_CONTROL"]) {
        "log-delivery-write"
    } else {
        "private"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_acls() {
        assert_eq!(bucket_region(None), "us-east-1");
        assert_eq!(bucket_region(Some("EU")), "eu-west-1");
        assert_eq!(bucket_region(Some("eu-central-1")), "eu-central-1");
        let g = |u: &str, p: &str| (u.to_string(), p.to_string());
        assert_eq!(canned_acl(&[]), "private");
        assert_eq!(canned_acl(&[g(ALL_USERS, "READ")]), "public-read");
        assert_eq!(
            canned_acl(&[g(ALL_USERS, "READ"), g(ALL_USERS, "WRITE")]),
            "public-read-write"
        );
        assert_eq!(
            canned_acl(&[g(LOG_DELIVERY, "WRITE")]),
            "log-delivery-write"
        );
    }
}
