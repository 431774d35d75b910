//! soc2scan's Terraform adapter: HCL and `.tf.json` sources with their variables and
//! modules ([`terraform`]), and plan JSON ([`tfplan`]), adapted into the typed model.

pub mod scan_source;
pub mod terraform;
pub mod tfplan;

pub use scan_source::TerraformSource;

pub(crate) use soc2scan_core::{coverage, diagnostic, discover, error, model, source};
#[cfg(test)]
pub(crate) use soc2scan_rules::{finding, rules};
