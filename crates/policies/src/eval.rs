//! Evaluating policies over the model.
//!
//! The model document is turned into Rego's value once per scan; each selected policy
//! runs over it in a clone of its engine (policies in parallel), under the time limit.
//!
//! **Unknown is not a pass.** `soc2scan.known(v)` is undefined for an unknown value and
//! records that the policy read it. Every resource holding a value the policy read while
//! unknown is *not evaluated* by that policy — one result per unknown value, at its
//! origin, with its reason — whether or not the policy also reported a violation for
//! it (the violation may hinge on the unknown value, e.g. `not soc2scan.known(v)`). A
//! collection the policy names that a source did not read completely in a scope makes
//! the policy *not evaluated* in that scope, as for built-in rules.
//!
//! A run-time error of a policy (a builtin given the wrong type, a conflict between
//! rule values) cannot be attributed by regorus to a resource, so the policy is run
//! again on each resource of the collections it names alone (the input built once, that
//! resource's collection holding only its entries, the others whole): the resources on
//! which it fails are *not evaluated*, each with a diagnostic naming the policy's
//! file:line and the resource, and the others get their results from their own run.
//! When it fails on every resource, or on none alone (the error comes from several
//! together), every resource it judges is *not evaluated* with one diagnostic. The runs
//! again share the policy's time limit; a resource not reached within it is *not
//! evaluated*. The scan goes on. Running past the time limit in the first run stops the
//! scan.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use regorus::Value as RegoValue;

use soc2scan_core::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use soc2scan_core::model::{Model, Origin, ResourceMeta};
use soc2scan_core::model_document;
use soc2scan_rules::finding::CheckResult;
use soc2scan_rules::rules::{Emitter, Rule};

use crate::policy::{regorus_error, Policy, PolicySet, UNKNOWN_READS};
use crate::PolicyError;

/// What the policies of a scan gave.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Their results, as built-in rules give them (unsorted).
    pub results: Vec<CheckResult>,
    /// Run-time errors and violations naming no resource.
    pub diagnostics: Vec<Diagnostic>,
}

/// The model document as Rego's input.
pub fn input_value(model: &Model) -> RegoValue {
    RegoValue::from(model_document::to_value(model))
}

/// The unknown values read on this thread since the last call.
pub(crate) fn take_unknown_reads() -> Vec<RegoValue> {
    UNKNOWN_READS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// The resources of the input and the value objects each holds.
#[derive(Debug, Default)]
pub(crate) struct Index {
    resources: Vec<ResourceMeta>,
    by_address: HashMap<String, Vec<usize>>,
    by_collection: HashMap<String, Vec<usize>>,
    /// A value object (as JSON) → the resources holding it.
    owners: HashMap<String, Vec<usize>>,
    /// (resource, attribute path) → the value's origin.
    origins: HashMap<(usize, String), Origin>,
    /// Where each resource's entry is in the input: side (`aws`), collection field
    /// (`s3_buckets`) and position.
    places: Vec<(String, String, usize)>,
}

fn is_value_object(v: &RegoValue) -> bool {
    matches!(v["value"]["state"], RegoValue::String(_))
        && !matches!(v["origin"], RegoValue::Undefined)
        && matches!(v["path"], RegoValue::String(_))
}

fn to_json(v: &RegoValue) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// The first object with `address` and `rtype` in `item`, breadth first.
fn find_meta(item: &RegoValue) -> Option<ResourceMeta> {
    let mut queue = std::collections::VecDeque::from([item]);
    while let Some(v) = queue.pop_front() {
        if let RegoValue::Object(o) = v {
            if matches!(v["address"], RegoValue::String(_))
                && matches!(v["rtype"], RegoValue::String(_))
            {
                return to_json(v).and_then(|j| serde_json::from_value(j).ok());
            }
            queue.extend(o.values());
        } else if let RegoValue::Array(a) = v {
            queue.extend(a.iter());
        }
    }
    None
}

impl Index {
    fn build(input: &RegoValue) -> Index {
        let mut index = Index::default();
        for side in ["aws", "k8s"] {
            let RegoValue::Object(collections) = &input["model"][side] else {
                continue;
            };
            for (name, items) in collections.iter() {
                let (Ok(name), RegoValue::Array(items)) = (name.as_string(), items) else {
                    continue;
                };
                let collection = format!("{side}.{name}");
                for (pos, item) in items.iter().enumerate() {
                    let Some(meta) = find_meta(item) else {
                        continue;
                    };
                    let i = index.resources.len();
                    index.places.push((side.to_string(), name.to_string(), pos));
                    index
                        .by_address
                        .entry(meta.address.to_string())
                        .or_default()
                        .push(i);
                    index
                        .by_collection
                        .entry(collection.clone())
                        .or_default()
                        .push(i);
                    index.resources.push(meta);
                    index.walk(i, item);
                }
            }
        }
        index
    }

    fn walk(&mut self, owner: usize, v: &RegoValue) {
        if is_value_object(v) {
            if let Ok(key) = serde_json::to_string(v) {
                let owners = self.owners.entry(key).or_default();
                if owners.last() != Some(&owner) {
                    owners.push(owner);
                }
            }
            let path = v["path"]
                .as_string()
                .map(|p| p.to_string())
                .unwrap_or_default();
            if let Some(origin) = to_json(&v["origin"]).and_then(|j| serde_json::from_value(j).ok())
            {
                self.origins.entry((owner, path)).or_insert(origin);
            }
        }
        match v {
            RegoValue::Object(o) => o.values().for_each(|c| self.walk(owner, c)),
            RegoValue::Array(a) => a.iter().for_each(|c| self.walk(owner, c)),
            _ => {}
        }
    }

    /// The resources a policy's `resource` (an address, or a `meta` object) names.
    fn resolve(&self, r: &serde_json::Value) -> Vec<usize> {
        match r {
            serde_json::Value::String(address) => {
                self.by_address.get(address).cloned().unwrap_or_default()
            }
            serde_json::Value::Object(o) => {
                let Some(address) = o.get("address").and_then(|a| a.as_str()) else {
                    return Vec::new();
                };
                let scope = o.get("scope").and_then(|s| s.as_str());
                self.by_address
                    .get(address)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|i| scope.is_none_or(|s| &*self.resources[*i].scope == s))
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// What a policy's rules gave.
struct Done {
    violations: serde_json::Value,
    applies: Option<serde_json::Value>,
    declared: Option<serde_json::Value>,
    unknowns: Vec<RegoValue>,
}

/// How one policy's evaluation ended.
enum Run {
    Done(Box<Done>),
    Failed { line: Option<u32>, message: String },
}

/// A run stopped by a limit: the scan stops with `error`, unless a run that hit the
/// memory ceiling while other policies ran beside it succeeds alone.
struct Stopped {
    error: PolicyError,
    /// Stopped at the memory ceiling (else at the time limit).
    memory: bool,
}

fn run(
    policy: &Policy,
    input: &RegoValue,
    limit: std::time::Duration,
    memory: u64,
) -> Result<Run, Stopped> {
    let mut engine = policy.engine.clone();
    engine.set_execution_timer_config(crate::policy::timer(limit));
    engine.set_input(input.clone());
    take_unknown_reads();
    let mut eval = |rule: &str| engine.eval_rule(format!("{}.{rule}", policy.package));
    let outcome = eval("violation").and_then(|v| {
        let applies = if policy.has_applies {
            Some(eval("applies")?)
        } else {
            None
        };
        let declared = if policy.has_not_evaluated {
            Some(eval("not_evaluated")?)
        } else {
            None
        };
        Ok((v, applies, declared))
    });
    let unknowns = take_unknown_reads();
    match outcome {
        Ok((v, applies, declared)) => Ok(Run::Done(Box::new(Done {
            violations: to_json(&v).unwrap_or_default(),
            applies: applies.and_then(|a| to_json(&a)),
            declared: declared.and_then(|d| to_json(&d)),
            unknowns,
        }))),
        Err(e) => {
            let (line, message) = regorus_error(&policy.display, &e);
            if format!("{e:#}").contains("exceeded time limit") {
                return Err(Stopped {
                    error: PolicyError {
                        file: policy.display.clone(),
                        line: line.or(Some(policy.metadata.line)),
                        message: format!(
                            "evaluation did not finish within the time limit of {:?} (a loop over a huge range, a comprehension over every pair of resources?)",
                            limit
                        ),
                    },
                    memory: false,
                });
            }
            if crate::memory::exceeded(&e) {
                return Err(Stopped {
                    error: PolicyError {
                        file: policy.display.clone(),
                        line: line.or(Some(policy.metadata.line)),
                        message: format!(
                            "evaluation needed more than the memory limit of {} MiB beyond the model (a huge range, a comprehension over every pair of resources?)",
                            crate::memory::mib(memory)
                        ),
                    },
                    memory: true,
                });
            }
            Ok(Run::Failed { line, message })
        }
    }
}

impl PolicySet {
    /// Evaluates the policies among `selected` over `model`.
    pub fn evaluate(
        &self,
        model: &Model,
        selected: &[&'static dyn Rule],
    ) -> Result<Evaluation, PolicyError> {
        let chosen: Vec<&Policy> = self
            .policies
            .iter()
            .filter(|p| selected.iter().any(|r| r.meta().id == p.meta.id))
            .collect();
        let mut out = Evaluation::default();
        if chosen.is_empty() {
            return Ok(out);
        }
        let input = input_value(model);
        let index = Index::build(&input);
        let limits = self.limits;
        let outcome = |p: &Policy| -> Result<Outcome, Stopped> {
            let first = run(p, &input, limits.time, limits.memory)?;
            Ok(match first {
                Run::Failed { line, message } => isolate(p, &input, &index, limits, line, message),
                done => Outcome::Whole(done),
            })
        };
        // The policies in parallel, under one ceiling of the memory limit beyond what
        // the scan holds now; one that hits it is run again alone, with a fresh baseline.
        let budget = crate::memory::Budget::new(limits.memory);
        let mut runs: Vec<Result<Outcome, Stopped>> =
            chosen.par_iter().map(|p| outcome(p)).collect();
        if chosen.len() > 1 {
            for (p, r) in chosen.iter().zip(runs.iter_mut()) {
                if matches!(r, Err(Stopped { memory: true, .. })) {
                    budget.rebase();
                    *r = outcome(p);
                }
            }
        }
        drop(budget);
        for (policy, run) in chosen.into_iter().zip(runs) {
            let run = run.map_err(|s| s.error)?;
            let (results, diagnostics) = judge(policy, run, &index, model);
            out.results.extend(results);
            out.diagnostics.extend(diagnostics);
        }
        Ok(out)
    }
}

/// How a policy's evaluation ended: one run over the whole model, or, after it failed,
/// one run per resource.
enum Outcome {
    /// The run over the whole model.
    Whole(Run),
    /// The run over the whole model failed; each resource of the collections the policy
    /// names was run alone.
    Isolated {
        /// Each resource's entries (indices into the [`Index`]) and its own run, `None`
        /// when the time limit ran out before it.
        parts: Vec<(Vec<usize>, Option<Run>)>,
        /// The time limit, for the reason of those not reached.
        limit: std::time::Duration,
    },
}

/// `input` with the collection `side.name` holding only `items`.
fn restricted(input: &RegoValue, side: &str, name: &str, items: Vec<RegoValue>) -> RegoValue {
    let mut out = input.clone();
    let Ok(root) = out.as_object_mut() else {
        return out;
    };
    let Some(Ok(model)) = root
        .get_mut(&RegoValue::from("model"))
        .map(RegoValue::as_object_mut)
    else {
        return out;
    };
    let Some(Ok(collections)) = model
        .get_mut(&RegoValue::from(side))
        .map(RegoValue::as_object_mut)
    else {
        return out;
    };
    collections.insert(RegoValue::from(name), RegoValue::from(items));
    out
}

/// Runs `policy` again on each resource of the collections it names alone, after its
/// run over the whole model failed with `message` (at `line`): the same input with that
/// resource's collection holding only its entries. The runs share `limit`. When the
/// policy fails on every resource or on none, the whole run's failure stands.
fn isolate(
    policy: &Policy,
    input: &RegoValue,
    index: &Index,
    limits: crate::policy::Limits,
    line: Option<u32>,
    message: String,
) -> Outcome {
    let limit = limits.time;
    let whole = || {
        Outcome::Whole(Run::Failed {
            line,
            message: message.clone(),
        })
    };
    // One unit per resource: its entries in one collection (a group's rules).
    let mut units: BTreeMap<(&str, &str, &str, &str), Vec<usize>> = BTreeMap::new();
    for c in &policy.reads {
        for &i in index.by_collection.get(*c).into_iter().flatten() {
            let (side, name, _) = &index.places[i];
            let m = &index.resources[i];
            units
                .entry((side.as_str(), name.as_str(), &m.scope, &m.address))
                .or_default()
                .push(i);
        }
    }
    if units.len() < 2 {
        return whole();
    }
    let started = std::time::Instant::now();
    let mut parts = Vec::with_capacity(units.len());
    for ((side, name, _, _), entries) in units {
        let left = limit.saturating_sub(started.elapsed());
        if left.is_zero() {
            parts.push((entries, None));
            continue;
        }
        let items: Vec<RegoValue> = entries
            .iter()
            .map(|&i| input["model"][side][name][index.places[i].2].clone())
            .collect();
        let one = restricted(input, side, name, items);
        // Past the time limit: not reached, like those after it. At the memory ceiling:
        // the policy failed on this resource.
        let part = match run(policy, &one, left, limits.memory) {
            Ok(r) => Some(r),
            Err(Stopped {
                memory: true,
                error,
            }) => Some(Run::Failed {
                line: error.line,
                message: error.message,
            }),
            Err(Stopped { memory: false, .. }) => None,
        };
        parts.push((entries, part));
    }
    let failed = parts
        .iter()
        .filter(|(_, r)| matches!(r, Some(Run::Failed { .. })))
        .count();
    let reached = parts.iter().filter(|(_, r)| r.is_some()).count();
    if failed == 0 || failed == reached {
        return whole();
    }
    Outcome::Isolated { parts, limit }
}

/// Entries of a Rego set or array, as JSON.
fn entries(v: &serde_json::Value) -> Vec<&serde_json::Value> {
    match v {
        serde_json::Value::Array(a) => a.iter().collect(),
        _ => Vec::new(),
    }
}

/// One violation as the policy reported it.
struct Violation {
    attribute: String,
    at: Option<Origin>,
    message: String,
}

/// The `attribute` of a violation or `not_evaluated` entry: a path, or an object with
/// a `path` and an `origin` (a value object, a container), which then locates it.
fn attribute_of(entry: &serde_json::Value) -> (String, Option<Origin>) {
    match entry.get("attribute") {
        Some(serde_json::Value::String(s)) => (s.clone(), None),
        Some(o @ serde_json::Value::Object(_)) => (
            o.get("path")
                .and_then(|p| p.as_str())
                .unwrap_or_default()
                .to_string(),
            o.get("origin")
                .and_then(|j| serde_json::from_value::<Origin>(j.clone()).ok()),
        ),
        _ => (String::new(), None),
    }
}

fn judge(
    policy: &Policy,
    outcome: Outcome,
    index: &Index,
    model: &Model,
) -> (Vec<CheckResult>, Vec<Diagnostic>) {
    let mut out = Emitter::new(policy.meta);
    let mut diagnostics = Vec::new();
    match outcome {
        Outcome::Whole(run) => judge_run(policy, run, index, None, &mut out, &mut diagnostics),
        Outcome::Isolated { parts, limit } => {
            let mut not_reached = 0;
            for (entries, run) in parts {
                let keep: BTreeSet<usize> = entries.iter().copied().collect();
                let Some(first) = entries.first().map(|&i| &index.resources[i]) else {
                    continue;
                };
                match run {
                    Some(Run::Failed { line, message }) => {
                        diagnostics.push(Diagnostic::at(
                            DiagKind::Policy,
                            DiagLevel::Error,
                            policy.display.clone(),
                            line.or(Some(policy.metadata.line)),
                            None,
                            format!(
                                "policy {} failed on {}: {message}",
                                policy.meta.id,
                                resource_name(first)
                            ),
                        ));
                        out.not_evaluated(
                            first,
                            &first.origin,
                            "",
                            format!("the policy failed on this resource: {message}"),
                        );
                    }
                    Some(done) => {
                        judge_run(policy, done, index, Some(&keep), &mut out, &mut diagnostics)
                    }
                    None => {
                        not_reached += 1;
                        out.not_evaluated(
                            first,
                            &first.origin,
                            "",
                            format!(
                                "the policy failed over the whole model and the time limit of {limit:?} ran out before it was run on this resource alone"
                            ),
                        );
                    }
                }
            }
            if not_reached > 0 {
                diagnostics.push(Diagnostic::at(
                    DiagKind::Policy,
                    DiagLevel::Error,
                    policy.display.clone(),
                    Some(policy.metadata.line),
                    None,
                    format!(
                        "policy {} failed over the whole model; the time limit of {limit:?} ran out before {not_reached} resources could be judged alone: they are not evaluated",
                        policy.meta.id
                    ),
                ));
            }
        }
    }
    let mut results = out.into_results();
    results.extend(not_read(policy, model));
    (results, diagnostics)
}

/// A resource for a diagnostic: its address, and its root module when it has one.
fn resource_name(m: &ResourceMeta) -> String {
    if m.scope.is_empty() {
        m.address.to_string()
    } else {
        format!("{} ({})", m.address, m.scope)
    }
}

/// The results of one run; with `keep`, only those about these resources (a run on
/// one resource alone).
fn judge_run(
    policy: &Policy,
    run: Run,
    index: &Index,
    keep: Option<&BTreeSet<usize>>,
    out: &mut Emitter,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let kept = |i: &usize| keep.is_none_or(|k| k.contains(i));
    // The resources of the collections the policy names: an address that is in several
    // collections (a bucket is also a data store) stands for those.
    let own: BTreeSet<usize> = policy
        .reads
        .iter()
        .flat_map(|c| index.by_collection.get(*c).into_iter().flatten().copied())
        .collect();
    let prefer = |found: Vec<usize>| -> Vec<usize> {
        let mine: Vec<usize> = found.iter().copied().filter(|i| own.contains(i)).collect();
        if mine.is_empty() {
            found
        } else {
            mine
        }
    };
    let applies = match &run {
        Run::Done(done) => done.applies.as_ref(),
        Run::Failed { .. } => None,
    };
    let subjects: BTreeSet<usize> = match applies {
        Some(a) => entries(a)
            .into_iter()
            .flat_map(|r| prefer(index.resolve(r)))
            .filter(kept)
            .collect(),
        None => own.iter().copied().filter(kept).collect(),
    };
    match run {
        Run::Failed { line, message } => {
            diagnostics.push(Diagnostic::at(
                DiagKind::Policy,
                DiagLevel::Error,
                policy.display.clone(),
                line,
                None,
                format!("policy {} failed: {message}", policy.meta.id),
            ));
            for i in subjects {
                let meta = &index.resources[i];
                out.not_evaluated(
                    meta,
                    &meta.origin,
                    "",
                    format!("the policy failed: {message}"),
                );
            }
        }
        Run::Done(done) => {
            let Done {
                violations,
                declared,
                unknowns,
                ..
            } = *done;
            // Resource → the unknown values the policy read there.
            let mut unknown: BTreeMap<usize, BTreeSet<(String, Origin, String)>> = BTreeMap::new();
            for v in &unknowns {
                let Ok(key) = serde_json::to_string(v) else {
                    continue;
                };
                let path = v["path"]
                    .as_string()
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                let reason = v["value"]["value"]
                    .as_string()
                    .map(|r| r.to_string())
                    .unwrap_or_else(|_| "unknown".into());
                let Some(origin) =
                    to_json(&v["origin"]).and_then(|j| serde_json::from_value::<Origin>(j).ok())
                else {
                    continue;
                };
                let owners = index.owners.get(&key).cloned().unwrap_or_default();
                for owner in prefer(owners) {
                    unknown.entry(owner).or_default().insert((
                        path.clone(),
                        origin.clone(),
                        reason.clone(),
                    ));
                }
            }
            // What the policy itself declares it cannot judge (`not_evaluated`).
            for d in declared.as_ref().map(entries).unwrap_or_default() {
                let resource = d.get("resource").unwrap_or(&serde_json::Value::Null);
                let reason = d
                    .get("reason")
                    .and_then(|r| r.as_str())
                    .unwrap_or("the policy could not judge the resource")
                    .to_string();
                let (attribute, at) = attribute_of(d);
                for owner in prefer(index.resolve(resource)) {
                    let origin = at
                        .clone()
                        .or_else(|| index.origins.get(&(owner, attribute.clone())).cloned())
                        .unwrap_or_else(|| index.resources[owner].origin.clone());
                    unknown.entry(owner).or_default().insert((
                        attribute.clone(),
                        origin,
                        reason.clone(),
                    ));
                }
            }
            let mut violated: BTreeMap<usize, Vec<Violation>> = BTreeMap::new();
            for v in entries(&violations) {
                let resource = v.get("resource").unwrap_or(&serde_json::Value::Null);
                let owners = prefer(index.resolve(resource));
                if owners.is_empty() {
                    diagnostics.push(Diagnostic::at(
                        DiagKind::Policy,
                        DiagLevel::Warning,
                        policy.display.clone(),
                        Some(policy.metadata.line),
                        None,
                        format!(
                            "policy {} reported a violation whose resource {} is no resource of the model (use r.meta.address or r.meta)",
                            policy.meta.id,
                            serde_json::to_string(resource).unwrap_or_default()
                        ),
                    ));
                    continue;
                }
                let (attribute, at) = attribute_of(v);
                let message = v
                    .get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| policy.meta.title.to_string());
                for o in owners {
                    violated.entry(o).or_default().push(Violation {
                        attribute: attribute.clone(),
                        at: at.clone(),
                        message: message.clone(),
                    });
                }
            }
            let judged: BTreeSet<usize> = subjects
                .iter()
                .chain(violated.keys())
                .chain(unknown.keys())
                .copied()
                .filter(kept)
                .collect();
            for i in judged {
                let meta = &index.resources[i];
                if let Some(reads) = unknown.get(&i) {
                    for (path, origin, reason) in reads {
                        out.not_evaluated(meta, origin, path, reason.clone());
                    }
                } else if let Some(vs) = violated.get(&i) {
                    for v in vs {
                        let at =
                            v.at.clone()
                                .or_else(|| index.origins.get(&(i, v.attribute.clone())).cloned())
                                .unwrap_or_else(|| meta.origin.clone());
                        out.fail(meta, &at, &v.attribute, v.message.clone());
                    }
                } else if subjects.contains(&i) {
                    out.pass(meta, &meta.origin, "");
                }
            }
        }
    }
}

/// One *not evaluated* result per scope in which a collection the policy names was not
/// read completely.
fn not_read(policy: &Policy, model: &Model) -> Vec<CheckResult> {
    let mut by_scope: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for collection in &policy.reads {
        for (scope, status) in model.coverage.incomplete(collection) {
            by_scope
                .entry(scope)
                .or_default()
                .push(format!("{collection} {}", status.describe()));
        }
    }
    let mut out = Emitter::new(policy.meta);
    for (scope, reasons) in by_scope {
        let origin = model
            .coverage
            .origin(scope)
            .cloned()
            .unwrap_or_else(|| Origin::Scope {
                scope: Arc::from(scope),
            });
        let meta = ResourceMeta::new(scope, "scope", origin.clone());
        out.not_evaluated(&meta, &origin, "", reasons.join("; "));
    }
    out.into_results()
}

#[cfg(test)]
mod tests {
    use super::*;
    use soc2scan_rules::controls::Controls;
    use soc2scan_rules::finding::Outcome;

    const META: &str = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: CUSTOM-T-001\n#   severity: high\n#   family: backup\n#   criteria: [A1.2]\n#   remediation: R\npackage custom.t\n\nimport rego.v1\n\n";

    fn origin(line: u32) -> String {
        format!(
            r#"{{"source": "file", "path": "main.tf", "line": {line}, "col": 1, "end_line": {line}}}"#
        )
    }

    fn store(name: &str, line: u32, tags: &str) -> String {
        format!(
            r#"{{"meta": {{"address": "aws_s3_bucket.{name}", "rtype": "aws_s3_bucket", "origin": {o}}}, "tags": {{"value": {tags}, "origin": {o}, "path": "tags"}}}}"#,
            o = origin(line)
        )
    }

    fn model() -> Model {
        let stores = [
            store(
                "on",
                1,
                r#"{"state": "set", "value": {"known": {"owner": "a"}, "unknown_values": {}}}"#,
            ),
            store(
                "off",
                5,
                r#"{"state": "defaulted", "value": {"known": {}, "unknown_values": {}}}"#,
            ),
            store(
                "unknown",
                9,
                r#"{"state": "unknown", "value": "var.v has no value"}"#,
            ),
        ]
        .join(",");
        let text = format!(
            r#"{{"format": "soc2scan-model", "version": 1, "model": {{"aws": {{"data_stores": [{stores}]}}}}}}"#
        );
        soc2scan_core::model_document::parse(&text)
            .map_err(|e| e.message)
            .unwrap()
    }

    fn set_with(body: &str) -> PolicySet {
        let dir = std::env::temp_dir().join(format!(
            "soc2scan-policies-{}-{}",
            std::process::id(),
            body.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("t.rego"), format!("{META}{body}")).unwrap();
        let set = PolicySet::load(
            std::slice::from_ref(&dir),
            &Controls::embedded().unwrap(),
            &|_| false,
            crate::Limits {
                time: std::time::Duration::from_secs(5),
                ..Default::default()
            },
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        set
    }

    fn outcomes(set: &PolicySet) -> Vec<String> {
        let eval = set.evaluate(&model(), &set.rules()).unwrap();
        let mut out: Vec<String> = eval
            .results
            .iter()
            .map(|r| {
                let kind = match &r.outcome {
                    Outcome::Fail { message } => format!("fail({message})"),
                    Outcome::Pass => "pass".into(),
                    Outcome::NotEvaluated { reason } => format!("not-evaluated({reason})"),
                };
                format!(
                    "{} {kind} {}:{}",
                    r.resource,
                    r.attribute,
                    r.location.line().unwrap_or(0)
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn known_values_fail_and_pass_unknown_is_not_evaluated() {
        let set = set_with(
            "violation contains {\"resource\": b.meta, \"attribute\": b.tags, \"message\": \"off\"} if {\n  some b in input.model.aws.data_stores\n  count(soc2scan.known(b.tags).known) == 0\n}\n",
        );
        assert_eq!(
            outcomes(&set),
            [
                "aws_s3_bucket.off fail(off) tags:5",
                "aws_s3_bucket.on pass :1",
                "aws_s3_bucket.unknown not-evaluated(var.v has no value) tags:9",
            ]
        );
    }

    #[test]
    fn a_violation_from_an_unknown_value_is_not_evaluated() {
        let set = set_with(
            "violation contains {\"resource\": b.meta.address, \"attribute\": \"tags\", \"message\": \"not on\"} if {\n  some b in input.model.aws.data_stores\n  not soc2scan.known(b.tags).known.owner\n}\n",
        );
        assert_eq!(
            outcomes(&set),
            [
                "aws_s3_bucket.off fail(not on) tags:5",
                "aws_s3_bucket.on pass :1",
                "aws_s3_bucket.unknown not-evaluated(var.v has no value) tags:9",
            ]
        );
    }

    #[test]
    fn applies_limits_the_judged_resources() {
        let set = set_with(
            "applies contains b.meta if {\n  some b in input.model.aws.data_stores\n  b.meta.address != \"aws_s3_bucket.on\"\n}\nviolation contains {\"resource\": b.meta, \"attribute\": b.tags} if {\n  some b in input.model.aws.data_stores\n  not soc2scan.known(b.tags).known.owner\n}\n",
        );
        assert_eq!(
            outcomes(&set),
            [
                "aws_s3_bucket.off fail(T) tags:5",
                "aws_s3_bucket.unknown not-evaluated(var.v has no value) tags:9",
            ]
        );
    }
}
