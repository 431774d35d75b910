//! What the integration tests share: the `soc2scan` binary, files written into a
//! temporary tree, and validation of SARIF output against the SARIF 2.1.0 schema.

// Each test crate compiles this module and uses only part of it.
#![allow(dead_code)]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// The `soc2scan` binary built for these tests.
pub fn soc2scan() -> Command {
    Command::cargo_bin("soc2scan").unwrap()
}

/// Writes `text` to `name` (a relative path, parents created) under `dir`.
pub fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The errors of `doc` against the SARIF 2.1.0 JSON schema (empty when it is valid).
pub fn sarif_schema_errors(doc: &Value) -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/schemas/sarif-schema-2.1.0.json"
    );
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("SARIF schema readable"))
            .expect("schema is JSON");
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}
