//! soc2scan's rules and the engine that runs them: every rule reads the typed model of
//! [`soc2scan_core`], whatever the source, and its results carry the SOC 2 criteria of
//! the mapping in `rules/soc2.toml`.

pub mod cluster_coverage;
pub mod controls;
pub mod engine;
pub mod finding;
pub mod level;
pub mod rules;
pub mod settings;
pub mod suppress;

pub use soc2scan_core::{denied, diagnostic, error, model, secrets, time};
