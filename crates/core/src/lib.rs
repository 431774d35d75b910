//! The core of soc2scan: the typed model every source is adapted into and every rule
//! reads, the diagnostics sources report, and the discovery of source files.
//!
//! This crate depends on no cloud SDK and no Kubernetes client: the scanner's core
//! compiles in parallel with the live adapters, and a rule never sees a source's types.

pub mod coverage;
pub mod denied;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod model;
pub mod model_document;
pub mod secrets;
pub mod source;
pub mod time;
