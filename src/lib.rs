//! soc2scan: a policy-as-code scanner that checks infrastructure against the
//! technical controls of SOC 2 and ties every finding to Trust Services Criteria.
//!
//! The pipeline: [`discover`] finds files, [`adapt`] turns sources into the typed
//! [`model`], [`rules`] check the model, the [`engine`] runs them and [`report`]
//! renders the findings.

pub mod adapt;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod controls;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod docs;
pub mod engine;
pub mod error;
pub mod evidence;
pub mod finding;
pub mod merge;
pub mod model;
pub mod report;
pub mod rules;
pub mod scan;
pub mod secrets;
pub mod settings;
pub mod suppress;
