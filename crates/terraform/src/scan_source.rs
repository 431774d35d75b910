//! Terraform as a [`Source`]: the HCL and `.tf.json` sources among the scanned files,
//! evaluated per root module with their variables, with plan JSON replacing the
//! resources of the sources it represents.

use crate::coverage::{Coverage, Status};
use crate::diagnostic::{DiagKind, Diagnostic};
use crate::error::Result;
use crate::model::aws::AwsModel;
use crate::model::{Origin, ResourceMeta};
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
        unreadable_files(&evaluated.diagnostics, &mut model.coverage);
        Ok(SourceRead {
            model,
            diagnostics: evaluated.diagnostics.clone(),
            files: evaluated.files_parsed,
            resources,
            ..SourceRead::default()
        })
    }
}

/// Records every collection of the directory of a Terraform source file (`.tf`,
/// `.tf.json`) that could not be read or parsed as failed: whatever that file declares
/// was not read, so no rule may pass in that module on what the other files say.
/// Results about the directory point at the file. (A plan that does not parse leaves
/// the sources it would have replaced in the model: nothing is missing.)
fn unreadable_files(diagnostics: &[Diagnostic], coverage: &mut Coverage) {
    for d in diagnostics {
        if !matches!(d.kind, DiagKind::ParseError | DiagKind::ReadError) {
            continue;
        }
        let Some(file) = d
            .file
            .as_ref()
            .filter(|f| f.as_str().ends_with(".tf") || f.as_str().ends_with(".tf.json"))
        else {
            continue;
        };
        let dir = file.parent().map(|p| p.as_str()).unwrap_or("");
        let scope = if dir.is_empty() {
            "terraform:.".to_string()
        } else {
            format!("terraform:{dir}")
        };
        let line = d.line.unwrap_or(1);
        coverage.set_origin(
            scope.as_str(),
            Origin::File {
                path: file.as_str().into(),
                line,
                col: d.column.unwrap_or(1),
                end_line: line,
            },
        );
        for collection in AwsModel::COLLECTIONS {
            coverage.record(
                scope.as_str(),
                collection,
                Status::Failed {
                    call: file.to_string(),
                    reason: d.message.clone(),
                },
            );
        }
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
