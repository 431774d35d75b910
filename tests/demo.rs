//! The demo repository (`fixtures/demo`) end to end through the real binary: the exact
//! findings, SARIF valid against the official 2.1.0 schema and GitHub's contract,
//! no secret in any format, and the unknown value reported as not evaluated.

use assert_cmd::Command;
use serde_json::Value;

fn scan(format: &str) -> (i32, String) {
    let out = Command::cargo_bin("soc2scan")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "fixtures/demo", "--no-color", "--format", format])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn sarif_schema_errors(doc: &Value) -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/schemas/sarif-schema-2.1.0.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn demo_findings_are_exact() {
    let (code, json) = scan("json");
    assert_eq!(code, 1, "the demo has findings on purpose");
    let v: Value = serde_json::from_str(&json).unwrap();
    let mut lines: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}{}",
                f["rule_id"].as_str().unwrap_or("?"),
                f["resource"].as_str().unwrap_or("?"),
                f["location"]["path"].as_str().unwrap_or("?"),
                f["location"]["line"],
                if f["suppression"].is_null() { "" } else { " (suppressed)" }
            )
        })
        .collect();
    lines.sort();
    insta::assert_snapshot!("demo_findings", lines.join("\n"));
    let not_evaluated: Vec<String> = v["not_evaluated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule_id"].as_str().unwrap_or("?"), f["reason"].as_str().unwrap_or("?")))
        .collect();
    assert!(
        not_evaluated
            .iter()
            .any(|l| l.contains("variable \"trail_validation\" has no value")),
        "{not_evaluated:?}"
    );
}

#[test]
fn demo_sarif_is_valid_and_meets_the_github_contract() {
    let (_, text) = scan("sarif");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let errors = sarif_schema_errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &doc["runs"][0];
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(rule["properties"]["security-severity"].is_string(), "{rule}");
        assert!(
            rule["properties"]["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t.as_str().unwrap().starts_with("soc2:")),
            "{rule}"
        );
        assert!(rule["help"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("fixtures/demo/"), "{uri}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(r["partialFingerprints"].is_object());
        assert!(!r["properties"]["criteria"].as_array().unwrap().is_empty());
        assert!(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
    }
}

#[test]
fn demo_secrets_never_leak() {
    for format in ["text", "json", "sarif", "controls"] {
        let (_, out) = scan(format);
        assert!(
            !out.contains("Sup3rS3cret"),
            "{format} output contains the database password"
        );
    }
}
