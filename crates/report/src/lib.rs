//! soc2scan's reports: text, JSON, SARIF, the control report, JUnit, GitLab, Markdown
//! and GitHub annotations ([`report`]); baselines, merging of sharded reports and the
//! evidence recorded with a scan.

pub mod baseline;
pub mod evidence;
pub mod merge;
pub mod report;

pub(crate) use soc2scan_core::{diagnostic, discover, model, secrets, time};
pub(crate) use soc2scan_rules::{controls, finding, level, rules};
