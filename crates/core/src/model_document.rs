//! The model as a JSON document: what the rules see (every resource with its values,
//! each known, defaulted or unknown with the reason, and its origin; the coverage of
//! every scope; the instant ages are measured at), written by `soc2scan model` and read
//! back as a source of its own.
//!
//! A document recorded from a live account (`soc2scan model --aws > account.json`) is
//! evaluated again later, offline, with the same results: `soc2scan scan account.json`.
//! Rule fixtures use the same form for what only a live source can hold (the root
//! user's MFA, the age of an access key).
//!
//! The document never holds a secret: adapters judge secret values when they read them
//! (a literal environment value, credentials in user data) and the model keeps only the
//! verdict.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::coverage::Status;
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::discover::FileKind;
use crate::error::Result;
use crate::model::aws::AwsModel;
use crate::model::k8s::K8sModel;
use crate::model::{Model, Origin};
use crate::source::{Source, SourceInput, SourceRead};

/// The `format` of a model document.
pub const FORMAT: &str = "soc2scan-model";

/// The version of the document's layout. A reader refuses other versions.
pub const VERSION: u32 = 1;

/// A model document as written.
#[derive(Debug, Serialize)]
struct DocumentRef<'a> {
    format: &'static str,
    version: u32,
    model: &'a Model,
}

/// A model document as read.
#[derive(Debug, Deserialize)]
struct Document {
    format: String,
    version: u32,
    model: Model,
}

/// The model as a document (pretty JSON, ending with a newline). Deterministic: the
/// same model gives the same bytes.
pub fn to_json(model: &Model) -> String {
    let doc = DocumentRef {
        format: FORMAT,
        version: VERSION,
        model,
    };
    // A model holds only strings, numbers and maps with string keys: it always
    // serialises.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The model as a document, as a JSON value (what custom policies get as `input`).
pub fn to_value(model: &Model) -> serde_json::Value {
    let doc = DocumentRef {
        format: FORMAT,
        version: VERSION,
        model,
    };
    serde_json::to_value(&doc).unwrap_or_default()
}

/// A model document, as its JSON Schema describes it (`soc2scan model --schema`,
/// `docs/model.schema.json`).
///
/// Every attribute of a resource is a *value object*
/// `{"value": {"state": …, "value": …}, "origin": {…}, "path": "…"}`. `state` is `set`
/// (written in the source or returned by the API), `defaulted` (not written; the
/// documented default applies) or `unknown`: then `value` is **the reason** the value
/// cannot be known (computed at apply time, a variable without a value, a denied API
/// call), a string whatever the attribute's type — never the attribute's value. Read
/// values through their state; a custom policy reads them with `soc2scan.known(v)`.
#[derive(schemars::JsonSchema)]
#[schemars(title = "soc2scan model document")]
#[allow(dead_code)]
struct DocumentSchema {
    /// Always `soc2scan-model`.
    #[schemars(extend("const" = "soc2scan-model"))]
    format: String,
    /// The version of the layout: 1.
    #[schemars(extend("const" = 1))]
    version: u32,
    /// The model: the resources of every source, the coverage of what was read, the
    /// instant ages are measured at.
    model: Model,
}

/// The JSON Schema (draft 2020-12) of a model document, generated from the model's
/// types: pretty JSON ending with a newline, the same bytes for the same model types.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(DocumentSchema);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether `text` is a model document (cheap: looks for the `format` member near the
/// start, where [`to_json`] writes it).
pub fn is_document(text: &str) -> bool {
    let head = match text.char_indices().nth(256) {
        Some((i, _)) => &text[..i],
        None => text,
    };
    head.contains("\"format\"") && head.contains(FORMAT)
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentError {
    /// 1-based line of the problem, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
}

/// Reads a model document.
pub fn parse(text: &str) -> std::result::Result<Model, DocumentError> {
    let doc: Document = serde_json::from_str(text).map_err(|e| DocumentError {
        line: u32::try_from(e.line()).ok().filter(|l| *l > 0),
        column: u32::try_from(e.column()).ok().filter(|c| *c > 0),
        message: format!("not a valid soc2scan model document: {e}"),
    })?;
    if doc.format != FORMAT {
        return Err(DocumentError {
            line: None,
            column: None,
            message: format!("format is {:?}, expected {FORMAT:?}", doc.format),
        });
    }
    if doc.version != VERSION {
        return Err(DocumentError {
            line: None,
            column: None,
            message: format!(
                "model document version {} is not supported by this soc2scan (it reads version {VERSION})",
                doc.version
            ),
        });
    }
    Ok(doc.model)
}

/// Model documents among the scanned JSON files, as a [`Source`].
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelDocumentSource;

impl Source for ModelDocumentSource {
    fn kind(&self) -> &'static str {
        "model"
    }

    fn read(&self, input: &SourceInput<'_>) -> Result<SourceRead> {
        let mut read = SourceRead::default();
        for f in input.files.iter().filter(|f| f.kind == FileKind::Json) {
            // Unreadable files are reported by the sources that read JSON of their own.
            let Ok(text) = std::fs::read_to_string(&f.path) else {
                continue;
            };
            if !is_document(&text) {
                continue;
            }
            read.files += 1;
            match parse(&text) {
                Ok(model) => {
                    read.resources += model.aws.len() + model.k8s.len();
                    read.model.extend(model);
                }
                Err(e) => {
                    read.diagnostics.push(Diagnostic::at(
                        DiagKind::ParseError,
                        DiagLevel::Error,
                        f.display.clone(),
                        e.line,
                        e.column,
                        e.message.clone(),
                    ));
                    unread(&mut read.model, f.display.as_str(), &e);
                }
            }
        }
        Ok(read)
    }
}

/// A document that does not parse held resources of any kind: every collection of its
/// scope is failed, so no rule passes on what it would have said.
fn unread(model: &mut Model, file: &str, e: &DocumentError) {
    let scope: Arc<str> = format!("model:{file}").into();
    let line = e.line.unwrap_or(1);
    model.coverage.set_origin(
        Arc::clone(&scope),
        Origin::File {
            path: file.into(),
            line,
            col: e.column.unwrap_or(1),
            end_line: line,
        },
    );
    for collection in AwsModel::COLLECTIONS
        .iter()
        .chain(K8sModel::COLLECTIONS)
        .chain(crate::model::drift::DriftModel::COLLECTIONS)
    {
        model.coverage.record(
            Arc::clone(&scope),
            collection,
            Status::Failed {
                call: file.to_string(),
                reason: e.message.clone(),
            },
        );
    }
}
