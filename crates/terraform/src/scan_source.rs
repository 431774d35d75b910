//! Terraform as a [`Source`]: the HCL and `.tf.json` sources among the scanned files,
//! evaluated per root module with their variables, with plan JSON replacing the
//! resources of the sources it represents.

use crate::error::Result;
use crate::model::ResourceMeta;
use crate::source::{Source, SourceInput, SourceRead};
use crate::terraform::{self, TfOptions};

/// The Terraform sources of a scan.
#[derive(Debug, Clone, Default)]
pub struct TerraformSource {
    /// Variable inputs of the root modules.
    pub options: TfOptions,
}

impl Source for TerraformSource {
    fn kind(&self) -> &'static str {
        "terraform"
    }

    fn read(&self, input: &SourceInput<'_>) -> Result<SourceRead> {
        let mut evaluated = terraform::evaluate(input.files, &self.options)?;
        crate::tfplan::read(input.files).merge_into(&mut evaluated);
        if let Some(anchor) = &self.options.identity_root {
            let cwd = std::env::current_dir().unwrap_or_default();
            terraform::anchor_roots(&mut evaluated, &cwd, anchor);
        }
        let mut model = terraform::to_model::to_model(&evaluated);
        let managed = || {
            evaluated
                .resources
                .iter()
                .filter(|r| r.mode == terraform::ir::Mode::Managed)
        };
        let resources = managed().count();
        // Nothing skipped silently: managed resources of a type no adapter reads are
        // counted as not covered (helpers such as `random_id` are not infrastructure).
        for r in managed().filter(|r| terraform::to_model::is_unmodelled(&r.rtype)) {
            model.unmodelled.count(&r.rtype);
        }
        let rows: Vec<(String, &'static str)> = model
            .aws
            .resources()
            .into_iter()
            .map(|(c, m)| (scope_of(m), c))
            .collect();
        model.coverage.count(rows);
        Ok(SourceRead {
            model,
            diagnostics: evaluated.diagnostics.clone(),
            files: evaluated.files_parsed,
            resources,
            ..SourceRead::default()
        })
    }
}

/// The coverage scope of a resource read from Terraform: its root module directory.
fn scope_of(meta: &ResourceMeta) -> String {
    if meta.scope.is_empty() {
        "terraform:.".to_string()
    } else {
        format!("terraform:{}", meta.scope)
    }
}
