//! soc2scan's live AWS adapter: read-only calls through the AWS SDK, one file per
//! service, adapted into the same typed model as Terraform.

pub mod aws_live;

pub(crate) use soc2scan_core::{coverage, diagnostic, error, model, source};
pub mod state_object;
