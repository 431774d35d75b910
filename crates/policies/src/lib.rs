//! Custom policies: Rego over the typed model, evaluated with `regorus`, reported as
//! ordinary findings.
//!
//! A policy is a `.rego` file with a `# METADATA` block ([`metadata`]) in a policy
//! directory (`scan --policies DIR`, `policies = [...]` in `.soc2scan.toml`). Its
//! `input` is the model document (`soc2scan model`, schema in `docs/model.schema.json`);
//! it defines
//!
//! - `violation`: a set of objects `{"resource": …, "attribute": …, "message": …}`, where
//!   `resource` is a resource's address or ARN (`r.meta.address`) or its `meta` object
//!   (which also names the root module), and `attribute` an attribute path or the value
//!   object it is about (its origin then gives the finding's file and line);
//! - optionally `applies`: the resources the policy judges (addresses or `meta`
//!   objects). Without it, every resource of the collections the policy names
//!   (`input.model.aws.s3_buckets`) is judged. A judged resource without a violation
//!   passes;
//! - optionally `not_evaluated`: objects `{"resource", "attribute", "reason"}` for
//!   what the policy knows it cannot judge (a tag written with an unknown value).
//!
//! Values are read through `soc2scan.known(v)`, which gives a known value and is
//! undefined for an unknown one; a policy that reads an unknown value of a resource
//! does not judge it: the resource is *not evaluated* ([`eval`]). A direct read of
//! `.value.value` is refused when the policy is loaded.
//!
//! The policies share one conversion of the model into Rego's value (once per scan)
//! and run in parallel, each in its own clone of its engine, under a time and a memory
//! limit ([`Limits`], [`memory`]).

pub mod eval;
pub mod memory;
pub mod metadata;
pub mod policy;
pub mod tests;

pub use eval::Evaluation;
pub use memory::DEFAULT_MEMORY_LIMIT;
pub use metadata::Metadata;
pub use policy::{Limits, Policy, PolicySet, DEFAULT_TIME_LIMIT};

/// A policy that cannot be used: where and why. Scans stop on it (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct PolicyError {
    /// The policy file (display path).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl PolicyError {
    /// An error at `file:line`.
    pub fn at(file: &str, line: u32, message: impl Into<String>) -> Self {
        PolicyError {
            file: file.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// An error about `file` as a whole.
    pub fn file(file: &str, message: impl Into<String>) -> Self {
        PolicyError {
            file: file.to_string(),
            line: None,
            message: message.into(),
        }
    }

    fn render(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}: {}", self.file, self.message),
            None => format!("{}: {}", self.file, self.message),
        }
    }
}
