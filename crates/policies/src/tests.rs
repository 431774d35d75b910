//! OPA tests of a policy directory: every rule named `test_…` of its `*_test.rego`
//! files, evaluated with the directory's policies, must be `true`.

use std::path::Path;

use regorus::Value as RegoValue;

use crate::policy::{display, new_engine, regorus_error, rule_names};
use crate::{PolicyError, PolicySet};

/// The result of one OPA test rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpaTest {
    /// The test file (display path).
    pub file: String,
    /// The rule (`test_untagged_bucket_fails`).
    pub name: String,
    /// `None` when it passed, else why not.
    pub failure: Option<String>,
}

/// Runs the OPA tests of `dir` against the policies of `set` that live in `dir`.
pub fn run_opa_tests(dir: &Path, set: &PolicySet) -> Result<Vec<OpaTest>, PolicyError> {
    let (_, tests) = crate::policy::rego_files(dir)?;
    let mut out = Vec::new();
    for test in tests {
        let shown = display(&test);
        let text = std::fs::read_to_string(&test)
            .map_err(|e| PolicyError::file(&shown, format!("cannot read: {e}")))?;
        let mut engine = new_engine(set.limits.time);
        for p in set.policies.iter().filter(|p| p.path.parent() == Some(dir)) {
            let policy_text = std::fs::read_to_string(&p.path)
                .map_err(|e| PolicyError::file(&p.display, format!("cannot read: {e}")))?;
            engine
                .add_policy(p.display.clone(), policy_text)
                .map_err(|e| PolicyError::file(&p.display, format!("{e:#}")))?;
        }
        let package = engine
            .add_policy(shown.clone(), text.clone())
            .map_err(|e| {
                let (line, msg) = regorus_error(&shown, &e);
                PolicyError {
                    file: shown.clone(),
                    line,
                    message: format!("Rego does not parse: {msg}"),
                }
            })?;
        engine.set_input(RegoValue::new_object());
        for name in rule_names(&text)
            .into_iter()
            .filter(|n| n.starts_with("test_"))
        {
            let failure = match engine.eval_rule(format!("{package}.{name}")) {
                Ok(RegoValue::Bool(true)) => None,
                Ok(RegoValue::Undefined) => {
                    Some("undefined (a condition did not hold)".to_string())
                }
                Ok(v) => Some(format!(
                    "gave {}, expected true",
                    v.to_json_str().unwrap_or_default()
                )),
                Err(e) => Some(format!("{e:#}")),
            };
            crate::eval::take_unknown_reads();
            out.push(OpaTest {
                file: shown.clone(),
                name,
                failure,
            });
        }
    }
    Ok(out)
}
