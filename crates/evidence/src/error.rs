//! Errors of the evidence store: each names the store, object or file concerned.

/// Why an evidence operation failed.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// A store location that is neither a directory path nor `s3://bucket[/prefix]`.
    #[error("invalid store {store:?}: {message}")]
    BadStore {
        /// The store as given.
        store: String,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing the store failed.
    #[error("{store}: {action} {key}: {message}")]
    Io {
        /// The store.
        store: String,
        /// What was being done (`reading`, `writing`, `listing`).
        action: &'static str,
        /// The object key or path.
        key: String,
        /// The underlying error.
        message: String,
    },
    /// An object with the same key exists already (the same report recorded twice).
    #[error("{store}: object {key} exists already (this report is recorded already)")]
    Exists {
        /// The store.
        store: String,
        /// The key.
        key: String,
    },
    /// A report is not usable as evidence.
    #[error("{file}: {message}")]
    BadReport {
        /// The file or object.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Recording would put a scan before the latest one of its target.
    #[error(
        "target {target:?}: the scan time {scan_time} is not after the latest recorded \
         scan ({latest}); evidence is append-only"
    )]
    NotAfterLatest {
        /// The target.
        target: String,
        /// The new scan's time.
        scan_time: String,
        /// The latest object's scan time.
        latest: String,
    },
    /// The SQLite index could not be built or read.
    #[error("index {path}: {message}")]
    Index {
        /// The index file.
        path: String,
        /// The SQLite error.
        message: String,
    },
    /// A bad argument (a date, a period).
    #[error("{0}")]
    Invalid(String),
}

/// Result of evidence operations.
pub type Result<T> = std::result::Result<T, EvidenceError>;
