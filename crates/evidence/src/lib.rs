//! soc2scan's evidence over an audit period.
//!
//! Every scan kept as one immutable evidence object ([`object`]): the full JSON report,
//! compressed, with its SHA-256, the scan time, the target, the tool version, the
//! rule-set hash and the hash of the previous object of the same target, so the
//! objects of a target form a hash chain. Objects live in a [`store`] (a local
//! directory, or `s3://bucket/prefix`), are written once under unique keys and never
//! rewritten. A SQLite [`index`] is built from them (and rebuilt whenever it is missing
//! or stale: the objects stay the only truth); [`verify`] recomputes every hash and
//! chain; [`diff`] says what changed since the previous scan of each target; [`period`]
//! is the report over an audit period.

pub mod day;
pub mod diff;
pub mod error;
pub mod index;
pub mod object;
pub mod period;
pub mod record;
pub mod report_json;
pub mod store;
pub mod verify;

pub use error::{EvidenceError, Result};
