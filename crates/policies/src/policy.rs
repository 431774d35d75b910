//! Loading policies: every `*.rego` file of a policy directory (not `*_test.rego`, which
//! hold OPA tests), parsed, checked and compiled once.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::Value as RegoValue;

use soc2scan_core::model::aws::AwsModel;
use soc2scan_core::model::k8s::K8sModel;
use soc2scan_core::model::Model;
use soc2scan_rules::controls::{Controls, Mapping};
use soc2scan_rules::model::Origin;
use soc2scan_rules::rules::{Emitter, Rule, RuleMeta};

use crate::metadata::{self, Metadata};
use crate::PolicyError;

/// How long one policy may evaluate over the whole model before the scan stops.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(10);

/// What one policy's evaluation may use before the scan stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long it may evaluate over the whole model.
    pub time: Duration,
    /// How many bytes it may allocate beyond what the scan holds (the model, its Rego
    /// form) when the evaluation starts.
    pub memory: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: DEFAULT_TIME_LIMIT,
            memory: crate::memory::DEFAULT_MEMORY_LIMIT,
        }
    }
}

/// The function policies read values with: `soc2scan.known(v)`.
pub const KNOWN_FN: &str = "soc2scan.known";

thread_local! {
    /// The unknown values `soc2scan.known` was asked for during the evaluation running
    /// on this thread (a policy evaluates on one thread from start to end).
    pub(crate) static UNKNOWN_READS: RefCell<Vec<RegoValue>> = const { RefCell::new(Vec::new()) };
}

/// `soc2scan.known(v)`: the value of a model value object when it is set or defaulted;
/// undefined (and recorded) when it is unknown; anything else unchanged.
fn known(args: Vec<RegoValue>) -> anyhow::Result<RegoValue> {
    let Some(v) = args.into_iter().next() else {
        return Ok(RegoValue::Undefined);
    };
    let inner = &v["value"];
    let state = inner["state"].as_string().ok().map(|s| s.to_string());
    match state.as_deref() {
        Some("set") | Some("defaulted") => Ok(inner["value"].clone()),
        Some("unknown") => {
            UNKNOWN_READS.with(|r| r.borrow_mut().push(v.clone()));
            Ok(RegoValue::Undefined)
        }
        _ => Ok(v),
    }
}

/// A custom policy as a rule of the scan: its metadata, for selection, listings and
/// reports. It is evaluated by [`PolicySet::evaluate`], not by the rule engine, so
/// that the model is turned into Rego's input once for every policy.
struct PolicyRule {
    meta: &'static RuleMeta,
}

impl Rule for PolicyRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check(&self, _model: &Model, _out: &mut Emitter) {}
}

/// One loaded policy.
#[derive(Clone)]
pub struct Policy {
    /// Its declaration, as every rule has one.
    pub meta: &'static RuleMeta,
    /// The same, as a rule of the scan.
    pub rule: &'static dyn Rule,
    /// What its METADATA block says.
    pub metadata: Metadata,
    /// The file on disk.
    pub path: PathBuf,
    /// The file as reports name it.
    pub display: String,
    /// The file's text, as loaded: the rule-set hash of a scan covers it.
    pub text: std::sync::Arc<str>,
    /// Its package as a rule path prefix (`data.custom.required_tags`).
    pub package: String,
    /// The model collections it names (`aws.s3_buckets`): their resources are the ones
    /// it judges unless it defines `applies`, and an incomplete read of one makes it
    /// *not evaluated* in that scope.
    pub reads: Vec<&'static str>,
    /// Whether it defines `applies`.
    pub has_applies: bool,
    /// Whether it defines `not_evaluated`.
    pub has_not_evaluated: bool,
    pub(crate) engine: regorus::Engine,
}

impl std::fmt::Debug for Policy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Policy")
            .field("id", &self.meta.id)
            .field("file", &self.display)
            .finish()
    }
}

/// The policies of a scan.
#[derive(Debug, Clone)]
pub struct PolicySet {
    /// Every policy, sorted by id.
    pub policies: Vec<Policy>,
    /// What one policy's evaluation may use.
    pub limits: Limits,
}

/// The execution timer of a policy evaluation.
pub(crate) fn timer(limit: Duration) -> regorus::utils::limits::ExecutionTimerConfig {
    regorus::utils::limits::ExecutionTimerConfig {
        limit,
        check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
    }
}

/// A new engine with the helper functions and the time limit.
pub(crate) fn new_engine(time_limit: Duration) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine.set_execution_timer_config(timer(time_limit));
    // A fresh engine has no extension: adding one cannot fail.
    let _ = engine.add_extension(KNOWN_FN.to_string(), 1, Box::new(known));
    engine
}

/// The line and message of a regorus error. Regorus writes
/// `--> file:line:col`, the source line and `error: message`; other errors are one
/// line.
pub(crate) fn regorus_error(_display: &str, e: &anyhow::Error) -> (Option<u32>, String) {
    let text = format!("{e:#}");
    let mut line = None;
    let mut source = None;
    if let Some(at) = text.find("--> ") {
        let loc = text[at + 4..].lines().next().unwrap_or_default();
        let mut parts = loc.rsplitn(3, ':');
        let _col = parts.next();
        line = parts.next().and_then(|l| l.trim().parse::<u32>().ok());
        if let Some(n) = line {
            source = text.lines().find_map(|l| {
                let (num, code) = l.split_once('|')?;
                (num.trim() == n.to_string()).then(|| code.trim().to_string())
            });
        }
    }
    let last = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let message = last
        .strip_prefix("error:")
        .map(str::trim)
        .unwrap_or(last)
        .to_string();
    let message = match source {
        Some(code) if !code.is_empty() => format!("{message} (in `{code}`)"),
        _ => message,
    };
    (line, message)
}

/// Comments removed, line by line (a `#` outside a string starts one).
fn code_lines(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let mut in_str = false;
            let mut prev = '\0';
            let mut end = l.len();
            for (at, c) in l.char_indices() {
                match c {
                    '"' if prev != '\\' => in_str = !in_str,
                    '#' if !in_str => {
                        end = at;
                        break;
                    }
                    _ => {}
                }
                prev = c;
            }
            ((i + 1) as u32, l[..end].to_string())
        })
        .collect()
}

/// `code` with the contents of string literals (`"…"`, `` `…` ``) blanked.
fn blank_strings(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut quote: Option<char> = None;
    let mut prev = '\0';
    for c in code.chars() {
        match quote {
            Some(q) if c == q && (q == '`' || prev != '\\') => {
                quote = None;
                out.push(c);
            }
            Some(_) => out.push(' '),
            None => {
                if c == '"' || c == '`' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
        prev = if prev == '\\' && c == '\\' { '\0' } else { c };
    }
    out
}

/// Refuses calls of functions that are neither builtins of this build, nor
/// `soc2scan.known`, nor functions of the policy (or of a package it imports, or
/// reached through `data.`): regorus looks functions up only when a call is
/// evaluated, which would turn a typo into a run-time error in the middle of a scan.
fn check_calls(display: &str, text: &str) -> Result<(), PolicyError> {
    let defined = rule_names(text);
    let mut aliases: Vec<String> = Vec::new();
    let lines = code_lines(text);
    for (_, code) in &lines {
        let Some(rest) = code.trim_start().strip_prefix("import ") else {
            continue;
        };
        let rest = rest.trim();
        let alias = match rest.split_once(" as ") {
            Some((_, a)) => a.trim().to_string(),
            None => rest.rsplit('.').next().unwrap_or_default().to_string(),
        };
        aliases.push(alias);
    }
    for (line, code) in lines {
        let code = blank_strings(&code);
        let chars: Vec<char> = code.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let starts = (c.is_ascii_alphabetic() || c == '_')
                && (i == 0
                    || !(chars[i - 1].is_ascii_alphanumeric()
                        || chars[i - 1] == '_'
                        || chars[i - 1] == '.'));
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || chars[j] == '_' || chars[j] == '.')
            {
                j += 1;
            }
            let name: String = chars[i..j].iter().collect();
            i = j;
            if chars.get(j) != Some(&'(') {
                continue;
            }
            let first = name.split('.').next().unwrap_or_default();
            let known = regorus::unstable::BUILTINS.contains_key(name.as_str())
                || name == KNOWN_FN
                || name == "print"
                || first == "data"
                || first == "input"
                || aliases.iter().any(|a| a == first)
                || defined.contains(&name);
            if !known {
                return Err(PolicyError::at(
                    display,
                    line,
                    format!(
                        "calls {name}, which is no function of the policy and no builtin of this soc2scan (regorus is built with its core builtins: see docs/policies.md)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The collections `text` names as `input.model.aws.<c>` / `input.model.k8s.<c>`;
/// an unknown name is an error at its line.
fn collections(display: &str, text: &str) -> Result<Vec<&'static str>, PolicyError> {
    let mut out = BTreeSet::new();
    for (line, code) in code_lines(text) {
        for prefix in ["input.model.aws.", "input.model.k8s."] {
            let mut rest = code.as_str();
            while let Some(at) = rest.find(prefix) {
                let after = &rest[at + prefix.len()..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let full = format!("{}{name}", &prefix["input.model.".len()..]);
                let known = AwsModel::COLLECTIONS
                    .iter()
                    .chain(K8sModel::COLLECTIONS)
                    .find(|c| **c == full);
                match known {
                    Some(c) => {
                        out.insert(*c);
                    }
                    None => {
                        return Err(PolicyError::at(
                            display,
                            line,
                            format!(
                                "input.model.{full} is not a collection of the model (see docs/model.schema.json)"
                            ),
                        ))
                    }
                }
                rest = &after[name.len()..];
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// Refuses direct reads of a value's content, which would take an unknown value's
/// reason for its value.
fn check_reads(display: &str, text: &str) -> Result<(), PolicyError> {
    for (line, code) in code_lines(text) {
        let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.contains(".value.value") || compact.contains("[\"value\"][\"value\"]") {
            return Err(PolicyError::at(
                display,
                line,
                "reads `.value.value` directly: read model values with soc2scan.known(v), which is undefined for an unknown value and makes the resource not evaluated (docs/policies.md)",
            ));
        }
    }
    Ok(())
}

/// The rule names a module defines at the start of a line (`violation contains …`,
/// `test_x if …`).
pub(crate) fn defines(text: &str, name: &str) -> bool {
    rule_names(text).iter().any(|n| n == name)
}

/// Names of the rules a module defines at the start of a line.
pub(crate) fn rule_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (_, code) in code_lines(text) {
        if code.starts_with(char::is_whitespace) {
            continue;
        }
        let name: String = code
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let rest = code[name.len()..].trim_start();
        let is_rule = !name.is_empty()
            && !["package", "import", "default", "some", "not", "every"].contains(&name.as_str())
            && (rest.is_empty()
                || ["contains", "if", ":=", "=", "{", "[", "("]
                    .iter()
                    .any(|k| rest.starts_with(k)));
        if is_rule && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The `.rego` files of `dir` (not its subdirectories), sorted; `*_test.rego` apart.
pub(crate) fn rego_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), PolicyError> {
    let shown = dir.display().to_string();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| PolicyError::file(&shown, format!("cannot read policy directory: {e}")))?;
    let mut policies = Vec::new();
    let mut tests = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| PolicyError::file(&shown, format!("cannot read policy directory: {e}")))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !path.is_file() || !name.ends_with(".rego") {
            continue;
        }
        if name.ends_with("_test.rego") {
            tests.push(path);
        } else {
            policies.push(path);
        }
    }
    policies.sort();
    tests.sort();
    Ok((policies, tests))
}

/// The display form of a path: `/`-separated, relative to the working directory when
/// it is below it.
pub(crate) fn display(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}

impl PolicySet {
    /// No policies.
    pub fn empty() -> Self {
        PolicySet {
            policies: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// Loads every policy of `dirs`: parses it, checks its metadata against `controls`
    /// and the built-in rules, compiles it and evaluates it once over an empty model (so
    /// an unknown function or a type error is found now, not in the middle of a scan).
    pub fn load(
        dirs: &[PathBuf],
        controls: &Controls,
        builtin: &dyn Fn(&str) -> bool,
        limits: Limits,
    ) -> Result<PolicySet, PolicyError> {
        let mut set = PolicySet {
            policies: Vec::new(),
            limits,
        };
        for dir in dirs {
            let (files, _) = rego_files(dir)?;
            for path in files {
                set.add(Policy::load(&path, controls, builtin, limits)?)?;
            }
        }
        Ok(set)
    }

    /// Adds `policy`; an id or slug already taken is an error.
    pub fn add(&mut self, policy: Policy) -> Result<(), PolicyError> {
        if let Some(other) = self.policies.iter().find(|p| p.meta.id == policy.meta.id) {
            if other.path == policy.path {
                return Ok(());
            }
            return Err(PolicyError::at(
                &policy.display,
                policy.metadata.line,
                format!(
                    "custom.id {} is also the id of {}",
                    policy.meta.id, other.display
                ),
            ));
        }
        if let Some(other) = self
            .policies
            .iter()
            .find(|p| p.meta.slug == policy.meta.slug)
        {
            return Err(PolicyError::at(
                &policy.display,
                policy.metadata.line,
                format!(
                    "slug {} is also the slug of {} (set custom.slug)",
                    policy.meta.slug, other.display
                ),
            ));
        }
        self.policies.push(policy);
        self.policies.sort_by_key(|p| p.meta.id);
        Ok(())
    }

    /// Adds every policy of `other` (see [`PolicySet::add`]).
    pub fn extend(&mut self, other: PolicySet) -> Result<(), PolicyError> {
        other.policies.into_iter().try_for_each(|p| self.add(p))
    }

    /// Whether there are no policies.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// The policies as rules of the scan, sorted by id.
    pub fn rules(&self) -> Vec<&'static dyn Rule> {
        self.policies.iter().map(|p| p.rule).collect()
    }

    /// The policy with this id (any case) or slug.
    pub fn find(&self, id_or_slug: &str) -> Option<&Policy> {
        self.policies
            .iter()
            .find(|p| p.meta.id.eq_ignore_ascii_case(id_or_slug) || p.meta.slug == id_or_slug)
    }

    /// Adds the policies' criteria and levels to `controls`, next to the built-in
    /// rules' mapping, so selection by criterion, listings and the control report treat
    /// them alike.
    pub fn register(&self, controls: &mut Controls) {
        for p in &self.policies {
            controls.mapping.insert(
                p.meta.id.to_string(),
                Mapping {
                    criteria: p.metadata.criteria.clone(),
                    rationale: p.metadata.description.clone(),
                    level: p.metadata.level,
                    level_reason: p.metadata.level_reason.clone(),
                },
            );
        }
    }
}

impl Policy {
    /// Loads one policy file.
    pub fn load(
        path: &Path,
        controls: &Controls,
        builtin: &dyn Fn(&str) -> bool,
        limits: Limits,
    ) -> Result<Policy, PolicyError> {
        let time_limit = limits.time;
        let display = display(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| PolicyError::file(&display, format!("cannot read: {e}")))?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let mut engine = new_engine(time_limit);
        let package = engine
            .add_policy(display.clone(), text.clone())
            .map_err(|e| {
                let (line, msg) = regorus_error(&display, &e);
                PolicyError {
                    file: display.clone(),
                    line,
                    message: format!("Rego does not parse: {msg}"),
                }
            })?;
        let metadata = metadata::parse(&display, &stem, &text, controls, builtin)?;
        check_reads(&display, &text)?;
        check_calls(&display, &text)?;
        let reads = collections(&display, &text)?;
        if !defines(&text, "violation") {
            return Err(PolicyError::file(
                &display,
                "defines no `violation` rule (a set of {\"resource\", \"attribute\", \"message\"} objects)",
            ));
        }
        let has_applies = defines(&text, "applies");
        let has_not_evaluated = defines(&text, "not_evaluated");
        // Compiled and run once over an empty model: an unknown function, a bad
        // reference or a type error shows now, with its line.
        let empty = crate::eval::input_value(&Model::default());
        let mut probe = engine.clone();
        probe.set_input(empty);
        let budget = crate::memory::Budget::new(limits.memory);
        for rule in ["violation"]
            .into_iter()
            .chain(has_applies.then_some("applies"))
            .chain(has_not_evaluated.then_some("not_evaluated"))
        {
            if let Err(e) = probe.eval_rule(format!("{package}.{rule}")) {
                let (line, msg) = regorus_error(&display, &e);
                let message = if format!("{e:#}").contains("exceeded time limit") {
                    format!(
                        "evaluation over an empty model did not finish within the time limit of {time_limit:?} (a loop over a huge range?)"
                    )
                } else if crate::memory::exceeded(&e) {
                    format!(
                        "evaluation over an empty model needed more than the memory limit of {} MiB (a huge range or comprehension?)",
                        crate::memory::mib(limits.memory)
                    )
                } else {
                    format!("does not compile: {msg}")
                };
                return Err(PolicyError {
                    file: display.clone(),
                    line: line.or(Some(metadata.line)),
                    message,
                });
            }
        }
        drop(budget);
        crate::eval::take_unknown_reads();
        let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
            id: leak(metadata.id.clone()),
            slug: leak(metadata.slug.clone()),
            title: leak(metadata.title.clone()),
            severity: metadata.severity,
            family: metadata.family,
            doc: leak(documentation(&metadata, &display)),
        }));
        soc2scan_rules::rules::register_custom(meta);
        let rule: &'static dyn Rule = Box::leak(Box::new(PolicyRule { meta }));
        Ok(Policy {
            meta,
            rule,
            metadata,
            path: path.to_path_buf(),
            display,
            text: text.into(),
            package,
            reads,
            has_applies,
            has_not_evaluated,
            engine,
        })
    }

    /// Where the policy is declared (its METADATA line), for results about it as a
    /// whole.
    pub fn origin(&self) -> Origin {
        Origin::File {
            path: self.display.as_str().into(),
            line: self.metadata.line,
            col: 1,
            end_line: self.metadata.line,
        }
    }
}

/// The documentation of a policy in the form every rule's has (as doc comments: each
/// line starts with a space).
fn documentation(m: &Metadata, file: &str) -> String {
    let text = format!(
        "{}\n\nCustom policy ({file}).\n\n## What it does\n\n{}\n\n## Why it matters (SOC 2)\n\nCriteria: {}.\n\n## How to fix\n\n{}\n",
        m.title,
        m.description,
        m.criteria.join(", "),
        m.remediation
    );
    text.lines().map(|l| format!(" {l}\n")).collect()
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn collections_are_found_and_checked() {
        let text = "x if { some b in input.model.aws.s3_buckets } # input.model.aws.nope\ny if { input.model.k8s.workloads[_] }";
        assert_eq!(
            collections("p.rego", text).unwrap(),
            ["aws.s3_buckets", "k8s.workloads"]
        );
        let e = collections("p.rego", "\n\nx if { input.model.aws.s3_bucket[_] }").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("aws.s3_bucket is not a collection"));
    }

    #[test]
    fn direct_reads_are_refused() {
        let e = check_reads("p.rego", "a\nx if { b.versioning.value.value == false }").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(check_reads(
            "p.rego",
            "x if { soc2scan.known(b.versioning) == false } # .value.value"
        )
        .is_ok());
    }

    #[test]
    fn regorus_errors_give_line_and_message() {
        let mut engine = new_engine(DEFAULT_TIME_LIMIT);
        let e = engine
            .add_policy("p.rego".into(), "package p\n\nx := ]\n".into())
            .unwrap_err();
        let (line, message) = regorus_error("p.rego", &e);
        assert_eq!(line, Some(3), "{message}");
        assert!(message.contains("(in `x := ]`)"), "{message}");
    }

    #[test]
    fn unknown_functions_are_refused() {
        let text = "package p\nimport rego.v1\nimport data.lib.strings as s\nf(x) := x\nviolation contains y if {\n  y := sprintf(\"tag(s) %v\", [f(1), s.g(2), count([]), soc2scan.known(input.x)])\n  z := no_such(y)\n}\n";
        let e = check_calls("p.rego", text).unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(e.message.starts_with("calls no_such,"), "{}", e.message);
        let regex = "package p\nx if regex.match(\"a\", \"b\")\n";
        assert_eq!(check_calls("p.rego", regex).unwrap_err().line, Some(2));
    }

    #[test]
    fn rule_names_at_line_start() {
        let text = "package p\nimport rego.v1\nviolation contains v if {\n  applies[x]\n}\napplies contains a if { true }\ntest_one if { true }\ndefault allow := false\n";
        assert_eq!(rule_names(text), ["violation", "applies", "test_one"]);
    }
}
