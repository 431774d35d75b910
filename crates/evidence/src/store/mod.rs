//! Where evidence objects live: a local directory, or an S3 bucket and prefix.
//!
//! A store only lists, reads and creates objects: an object is never rewritten, and
//! creating a key that exists fails ([`crate::EvidenceError::Exists`]) instead of
//! replacing it, so concurrent writers cannot clobber each other.

mod local;
#[cfg(feature = "s3")]
mod s3;

pub use local::LocalStore;
#[cfg(feature = "s3")]
pub use s3::S3Store;

use crate::error::{EvidenceError, Result};

/// How long new objects must be kept (S3 Object Lock retention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Days from the time of writing.
    pub days: u32,
}

/// An evidence store.
pub trait Store {
    /// The store as given (`./evidence`, `s3://bucket/prefix`), for messages.
    fn describe(&self) -> String;
    /// Every key under `objects/`, sorted.
    fn list(&self) -> Result<Vec<String>>;
    /// The keys under `objects/<target_dir>/`, sorted (what recording needs).
    fn list_target(&self, target_dir: &str) -> Result<Vec<String>> {
        let prefix = format!("{}/{target_dir}/", crate::object::OBJECTS_DIR);
        Ok(self
            .list()?
            .into_iter()
            .filter(|k| k.starts_with(&prefix))
            .collect())
    }
    /// The stored bytes of `key`.
    fn get(&self, key: &str) -> Result<Vec<u8>>;
    /// Creates `key` with `bytes`; fails with [`EvidenceError::Exists`] when it exists.
    fn put_new(&self, key: &str, bytes: &[u8], retention: Option<Retention>) -> Result<()>;
    /// A local directory for the SQLite index of this store.
    fn index_dir(&self) -> std::path::PathBuf;
}

/// Opens the store named by `spec`: `s3://bucket[/prefix]` (with the `s3` feature), else
/// a local directory (created when recording).
pub fn open(spec: &str) -> Result<Box<dyn Store>> {
    if let Some(rest) = spec.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(EvidenceError::BadStore {
                store: spec.to_string(),
                message: "no bucket name after s3://".into(),
            });
        }
        return open_s3(spec, bucket, prefix.trim_matches('/'));
    }
    if spec.contains("://") {
        return Err(EvidenceError::BadStore {
            store: spec.to_string(),
            message: "only local directories and s3://bucket/prefix are supported".into(),
        });
    }
    Ok(Box::new(LocalStore::new(spec)))
}

#[cfg(feature = "s3")]
fn open_s3(spec: &str, bucket: &str, prefix: &str) -> Result<Box<dyn Store>> {
    Ok(Box::new(S3Store::new(spec, bucket, prefix)?))
}

#[cfg(not(feature = "s3"))]
fn open_s3(spec: &str, _bucket: &str, _prefix: &str) -> Result<Box<dyn Store>> {
    Err(EvidenceError::BadStore {
        store: spec.to_string(),
        message: "this soc2scan was built without S3 support (feature `aws`)".into(),
    })
}
