//! A store in S3: `s3://bucket/prefix/objects/<target>/<time>-<hash>.json.gz`.
//!
//! Objects are created with a conditional write (`If-None-Match: *`), so a key that
//! exists is never replaced, even by a concurrent writer; with a retention configured
//! they get S3 Object Lock in compliance mode until the retention date (the bucket must
//! have Object Lock enabled). Credentials and region come from the standard AWS chain;
//! `AWS_ENDPOINT_URL` (an emulator) switches to path-style addressing.

use aws_config::BehaviorVersion;
use aws_sdk_s3::error::ProvideErrorMetadata;
use aws_sdk_s3::primitives::{ByteStream, DateTime};
use aws_sdk_s3::types::ObjectLockMode;
use aws_sdk_s3::Client;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

use crate::error::{EvidenceError, Result};
use crate::object::OBJECTS_DIR;
use crate::store::{Retention, Store};

/// An S3 store.
pub struct S3Store {
    spec: String,
    bucket: String,
    prefix: String,
    client: Client,
    rt: tokio::runtime::Runtime,
}

impl S3Store {
    /// Connects to `bucket` with the standard credential chain; `spec` is the store as
    /// given, for messages.
    pub fn new(spec: &str, bucket: &str, prefix: &str) -> Result<S3Store> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| EvidenceError::BadStore {
                store: spec.to_string(),
                message: e.to_string(),
            })?;
        let base = rt.block_on(
            aws_config::defaults(BehaviorVersion::latest())
                // hyper with rustls on the `ring` crypto provider, as the live scan.
                .http_client(
                    aws_smithy_http_client::Builder::new()
                        .tls_provider(Provider::Rustls(CryptoMode::Ring))
                        .build_https(),
                )
                .load(),
        );
        let path_style = base.endpoint_url().is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some_and(|v| !v.is_empty());
        let conf = aws_sdk_s3::config::Builder::from(&base)
            .force_path_style(path_style)
            .build();
        Ok(S3Store {
            spec: spec.to_string(),
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
            client: Client::from_conf(conf),
            rt,
        })
    }

    fn full(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        }
    }

    fn io(&self, action: &'static str, key: &str, e: impl std::fmt::Display) -> EvidenceError {
        EvidenceError::Io {
            store: self.spec.clone(),
            action,
            key: key.to_string(),
            message: e.to_string(),
        }
    }
}

/// The error code and message of an SDK error (never credentials).
fn describe<E: ProvideErrorMetadata + std::fmt::Display>(e: &E) -> String {
    match (e.code(), e.message()) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.to_string(),
        _ => e.to_string(),
    }
}

impl Store for S3Store {
    fn describe(&self) -> String {
        self.spec.clone()
    }

    fn list(&self) -> Result<Vec<String>> {
        self.list_under(&(self.full(OBJECTS_DIR) + "/"))
    }

    fn list_target(&self, target_dir: &str) -> Result<Vec<String>> {
        self.list_under(&self.full(&format!("{OBJECTS_DIR}/{target_dir}/")))
    }

    fn get(&self, key: &str) -> Result<Vec<u8>> {
        self.get_object(key)
    }

    fn put_new(&self, key: &str, bytes: &[u8], retention: Option<Retention>) -> Result<()> {
        self.put_object(key, bytes, retention)
    }

    fn index_dir(&self) -> std::path::PathBuf {
        // A cache: the index is rebuilt from the objects whenever it is stale.
        let name = crate::object::sha256(self.spec.as_bytes());
        std::env::temp_dir().join(format!("soc2scan-evidence-{}", &name[7..23]))
    }
}

impl S3Store {
    /// Every key under the full prefix `root`, relative to the store's prefix, sorted.
    fn list_under(&self, root: &str) -> Result<Vec<String>> {
        let root = root.to_string();
        let strip = self.full("");
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .rt
                .block_on(
                    self.client
                        .list_objects_v2()
                        .bucket(&self.bucket)
                        .prefix(&root)
                        .set_continuation_token(token.clone())
                        .send(),
                )
                .map_err(|e| self.io("listing", &root, describe(&e)))?;
            for o in out.contents() {
                if let Some(k) = o.key() {
                    keys.push(k.strip_prefix(&strip).unwrap_or(k).to_string());
                }
            }
            token = out.next_continuation_token().map(str::to_string);
            if token.is_none() || out.is_truncated() != Some(true) {
                break;
            }
        }
        keys.sort();
        Ok(keys)
    }

    fn get_object(&self, key: &str) -> Result<Vec<u8>> {
        let full = self.full(key);
        self.rt.block_on(async {
            let out = self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(&full)
                .send()
                .await
                .map_err(|e| self.io("reading", key, describe(&e)))?;
            let body = out
                .body
                .collect()
                .await
                .map_err(|e| self.io("reading", key, e))?;
            Ok(body.into_bytes().to_vec())
        })
    }

    fn put_object(&self, key: &str, bytes: &[u8], retention: Option<Retention>) -> Result<()> {
        let full = self.full(key);
        let mut req = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(&full)
            .if_none_match("*")
            .content_type("application/gzip")
            .body(ByteStream::from(bytes.to_vec()));
        if let Some(r) = retention {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            req = req
                .object_lock_mode(ObjectLockMode::Compliance)
                .object_lock_retain_until_date(DateTime::from_secs(
                    now + i64::from(r.days) * 86_400,
                ));
        }
        match self.rt.block_on(req.send()) {
            Ok(_) => Ok(()),
            Err(e) => {
                let code = e.code().unwrap_or_default().to_string();
                let status = e.raw_response().map(|r| r.status().as_u16());
                if code == "PreconditionFailed" || status == Some(412) {
                    Err(EvidenceError::Exists {
                        store: self.spec.clone(),
                        key: key.to_string(),
                    })
                } else {
                    Err(self.io("writing", key, describe(&e)))
                }
            }
        }
    }
}
