//! SARIF 2.1.0 reporter, shaped for GitHub code scanning.
//!
//! **One run per target kind** present ([`TargetKind`]: Terraform, Kubernetes, live
//! AWS), each with its own `automationDetails.id` (`soc2scan/terraform/`, …; the prefix
//! is [`SarifOptions::category`]), so the uploads of different kinds, or of several
//! scans with different categories, never replace each other's alerts. A run holds at
//! most [`MAX_RESULTS_PER_RUN`] results (GitHub's limit): beyond that the most severe new
//! findings are kept and the rest is counted in a `results-truncated` warning
//! notification and the run property `truncatedResults`, so the file stays valid. With
//! three kinds a file never exceeds [`MAX_RUNS_PER_FILE`] runs.
//!
//! Each run has `tool.driver` `soc2scan` with a `rules[]` entry for every rule that ran
//! (sorted by id) carrying `help` (GitHub requires it), `security-severity` as a string
//! and `soc2:<criterion>` tags, and the rule's level as `properties["soc2-level"]`. Every failing result — suppressed ones included, with a
//! `suppressions` entry so GitHub shows them as dismissed — is one SARIF result with a
//! physical location (relative URI under `%SRCROOT%`, 1-based region, and the region's
//! redacted source as `region.snippet`, from `startColumn`, cut after
//! [`MAX_SNIPPET_LINES`] lines; a position without a line borrows the resource block's
//! lines, and without those it has no region rather than a made-up line), the resource
//! address (or ARN) as logical location, `partialFingerprints["soc2scan/v1"]` (the
//! line-independent fingerprint) and the SOC 2 criteria in the message and in
//! `properties.criteria`.
//!
//! With a **baseline** ([`Report::baseline`]) every result has `baselineState`: `new`, or
//! `unchanged` for the findings the baseline lists (they stay in the log, so their
//! alerts stay open, but do not fail the run); `properties.baseline` of each run counts
//! them and the baseline entries no finding matches any more (`absent`).
//!
//! **Passes** are not results (a scan has many); their count is in `run.properties`
//! with the other counts and the status of every SOC 2 criterion.
//!
//! **Not-evaluated checks** must stay visible without becoming alerts. GitHub code
//! scanning ignores `result.kind` (a `kind: "pass"` or `"review"` result still opens an
//! alert, and a rule's `security-severity` sets the alert's severity whatever the
//! result's `level`), so by default ([`NotEvaluatedAs::Notifications`]) they are
//! **tool execution notifications**: `invocations[0].toolExecutionNotifications` with
//! `descriptor.id = "not-evaluated"`, `associatedRule` (id and index), level `note`,
//! the message `not evaluated: <reason> …` and the same locations a result would have.
//! Viewers list them with the run; nothing alerts. For consumers that honour `kind`,
//! [`NotEvaluatedAs::Results`] emits them as results with `kind: "review"`,
//! `level: "none"` and the message `not evaluated: <reason>`.
//!
//! **Coverage**: each run has `properties.coverage`, the coverage rows of its kind
//! (scopes `terraform:…`, `kubernetes:…`, `aws:…`: `scope`, `collection`, `status`,
//! `count` or `call` and `reason`), a tool execution notification with
//! `descriptor.id = "coverage-incomplete"` and level `warning` per row not read
//! completely, and `properties.notCovered`: resource type → count of the resources of
//! its kind that no rule reads. A kind with an incomplete row or unmodelled resources
//! has a run even without results.
//!
//! **Diagnostics** (unparsable files, remote modules, …) are tool execution
//! notifications too, with `descriptor.id` = [`DiagKind::id`](crate::diagnostic::DiagKind::id);
//! `executionSuccessful` stays `true` (the scan ran; what it could not read is reported).
//!
//! Output is deterministic: serde-sarif serialises struct fields in a fixed order and
//! property bags are sorted maps.

use std::collections::BTreeMap;

use camino::Utf8PathBuf;
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Invocation, Location, LogicalLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, ReportingDescriptorReference,
    Result as SarifResult, ResultKind, ResultLevel, Run, RunAutomationDetails, Sarif, Suppression,
    Tool, ToolComponent,
};

use super::common::{camel_case, criteria_suffix, first_paragraph, Counts};
use super::redact::redact_line;
use super::snippet::SourceFiles;
use super::{Report, RuleInfo};
use crate::diagnostic::{DiagLevel, Diagnostic};
use crate::finding::{CheckResult, Outcome, Severity};
use crate::model::Origin;
use soc2scan_core::coverage::{Entry as CoverageEntry, Status as CoverageStatus};

/// The `$schema` written into every log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where soc2scan lives (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");
/// The `partialFingerprints` key of soc2scan's line-independent fingerprint.
pub const FINGERPRINT_KEY: &str = "soc2scan/v1";
/// The base id relative URIs are resolved against (the repository root in CI).
pub const SRCROOT: &str = "%SRCROOT%";
/// Most source lines copied into a result's `region.snippet`.
pub const MAX_SNIPPET_LINES: usize = 20;
/// Notification descriptor id of not-evaluated checks.
pub const NOT_EVALUATED_ID: &str = "not-evaluated";

/// How not-evaluated checks appear in the log (see the module documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NotEvaluatedAs {
    /// Tool execution notifications (level `note`): visible, never an alert on GitHub.
    #[default]
    Notifications,
    /// Results with `kind: "review"` and `level: "none"`, for viewers that honour `kind`.
    Results,
}

/// Options of the SARIF reporter.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// Directory report paths are relative to, for reading snippets (working directory when `None`).
    pub source_root: Option<Utf8PathBuf>,
    /// How not-evaluated checks appear.
    pub not_evaluated: NotEvaluatedAs,
    /// Prefix of every run's `automationDetails.id` (`<category>/terraform/`, …);
    /// [`DEFAULT_CATEGORY`] when `None`. Scans of different parts of one repository that
    /// are uploaded separately need different categories.
    pub category: Option<String>,
}

/// The default category prefix of `automationDetails.id`.
pub const DEFAULT_CATEGORY: &str = "soc2scan";
/// Most results GitHub code scanning accepts in one run.
pub const MAX_RESULTS_PER_RUN: usize = 25_000;
/// Most runs GitHub code scanning accepts in one file.
pub const MAX_RUNS_PER_FILE: usize = 20;
/// Notification descriptor id of the warning that results were left out.
pub const TRUNCATED_ID: &str = "results-truncated";
/// Notification descriptor id of the warning that a collection was not read completely.
pub const COVERAGE_ID: &str = "coverage-incomplete";

/// What was scanned, for telling uploads apart: each kind is its own run and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetKind {
    /// Terraform configurations (and plans).
    Terraform,
    /// Kubernetes manifests and live clusters.
    Kubernetes,
    /// Live AWS accounts.
    Aws,
}

// Every kind is one run: the file can never hold more runs than GitHub accepts.
const _: () = assert!(TargetKind::ALL.len() <= MAX_RUNS_PER_FILE);

impl TargetKind {
    /// Every kind, in run order.
    pub const ALL: [TargetKind; 3] = [
        TargetKind::Terraform,
        TargetKind::Kubernetes,
        TargetKind::Aws,
    ];

    /// `terraform`, `kubernetes`, `aws`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Terraform => "terraform",
            TargetKind::Kubernetes => "kubernetes",
            TargetKind::Aws => "aws",
        }
    }

    /// The kind of a check result: live AWS and cluster origins say it; a file result is
    /// Kubernetes when the file is YAML or the resource type is a Kubernetes kind
    /// (`Deployment`: capitalised), Terraform otherwise (`aws_s3_bucket`).
    pub fn of(r: &CheckResult) -> TargetKind {
        match (&r.location, &r.resource_location) {
            (Origin::Aws { .. }, _) | (_, Origin::Aws { .. }) => TargetKind::Aws,
            (Origin::Cluster { .. }, _) | (_, Origin::Cluster { .. }) => TargetKind::Kubernetes,
            (Origin::Scope { scope }, _) => {
                if scope.starts_with("aws:") {
                    TargetKind::Aws
                } else if scope.starts_with("kubernetes:") {
                    TargetKind::Kubernetes
                } else {
                    TargetKind::Terraform
                }
            }
            (Origin::File { path, .. }, _) => {
                let capitalised = r
                    .resource_type
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if capitalised || TargetKind::of_path(path) == TargetKind::Kubernetes {
                    TargetKind::Kubernetes
                } else {
                    TargetKind::Terraform
                }
            }
        }
    }

    /// The kind of a coverage scope: `aws:…` is AWS, `kubernetes:…` Kubernetes, the
    /// rest (`terraform:…`) Terraform.
    pub fn of_scope(scope: &str) -> TargetKind {
        if scope.starts_with("aws:") {
            TargetKind::Aws
        } else if scope.starts_with("kubernetes:") {
            TargetKind::Kubernetes
        } else {
            TargetKind::Terraform
        }
    }

    /// The kind of an unmodelled resource type: `kubernetes:<Kind>` is Kubernetes,
    /// `aws:<service>:<type>` (a live scan's) AWS, the rest (Terraform resource types)
    /// Terraform.
    pub fn of_unmodelled(rtype: &str) -> TargetKind {
        if rtype.starts_with("kubernetes:") {
            TargetKind::Kubernetes
        } else if rtype.starts_with("aws:") {
            TargetKind::Aws
        } else {
            TargetKind::Terraform
        }
    }

    /// The kind of a file by its name: YAML is Kubernetes, the rest Terraform.
    pub fn of_path(path: &str) -> TargetKind {
        if path.ends_with(".yaml") || path.ends_with(".yml") {
            TargetKind::Kubernetes
        } else {
            TargetKind::Terraform
        }
    }
}

/// The `automationDetails.id` of a run: `<category>/<kind>/`.
pub fn automation_id(category: Option<&str>, kind: TargetKind) -> String {
    let c = category
        .map(|c| c.trim_end_matches('/'))
        .filter(|c| !c.is_empty())
        .unwrap_or(DEFAULT_CATEGORY);
    format!("{c}/{}/", kind.as_str())
}

/// Renders `report` as a pretty-printed SARIF 2.1.0 log (with a final newline).
pub fn render(report: &Report, opts: &SarifOptions) -> String {
    let log = to_sarif(report, opts);
    // Serialising plain data structures to a string cannot fail.
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// A result as it goes into a run: the check result and whether a baseline knew it.
struct Entry<'a> {
    result: &'a CheckResult,
    unchanged: bool,
}

/// Builds the SARIF log of `report`: one run per [`TargetKind`] present (Terraform when
/// nothing is), each with its own `automationDetails.id`.
pub fn to_sarif(report: &Report, opts: &SarifOptions) -> Sarif {
    let mut rules: Vec<&RuleInfo> = report.rules.iter().collect();
    rules.sort_by_key(|r| r.meta.id);
    let index: BTreeMap<&str, i64> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta.id, i as i64))
        .collect();

    let mut by_kind: BTreeMap<TargetKind, Vec<Entry>> = BTreeMap::new();
    for r in &report.results {
        by_kind.entry(TargetKind::of(r)).or_default().push(Entry {
            result: r,
            unchanged: false,
        });
    }
    let mut absent_by_kind: BTreeMap<TargetKind, usize> = BTreeMap::new();
    if let Some(b) = &report.baseline {
        for r in &b.unchanged {
            by_kind.entry(TargetKind::of(r)).or_default().push(Entry {
                result: r,
                unchanged: true,
            });
        }
        for e in &b.absent {
            let kind = if e.file.is_empty() {
                TargetKind::Aws
            } else {
                TargetKind::of_path(&e.file)
            };
            *absent_by_kind.entry(kind).or_default() += 1;
        }
    }
    let diag_kind = |d: &Diagnostic| d.file.as_ref().map(|f| TargetKind::of_path(f.as_str()));
    let mut kinds: Vec<TargetKind> = by_kind
        .keys()
        .chain(absent_by_kind.keys())
        .copied()
        .chain(report.diagnostics.iter().filter_map(diag_kind))
        // A kind whose sources read incompletely or saw unmodelled resources has a run
        // to say so, results or not.
        .chain(
            report
                .incomplete_coverage()
                .map(|e| TargetKind::of_scope(&e.scope)),
        )
        .chain(
            report
                .unmodelled
                .types
                .keys()
                .map(|t| TargetKind::of_unmodelled(t)),
        )
        .collect();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        kinds.push(TargetKind::Terraform);
    }

    let mut sources = SourceFiles::new(opts.source_root.as_deref());
    let runs: Vec<Run> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            // Diagnostics about no file in particular go with the first run.
            let diags: Vec<&Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| diag_kind(d).map_or(i == 0, |k| k == *kind))
                .collect();
            let entries = by_kind.remove(kind).unwrap_or_default();
            build_run(
                report,
                opts,
                *kind,
                &rules,
                &index,
                entries,
                &diags,
                absent_by_kind.get(kind).copied(),
                &mut sources,
            )
        })
        .collect();

    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(runs)
        .build()
}

/// The order in which results are kept when a run has too many: unsuppressed findings
/// not in the baseline first, most severe first; then baselined, suppressed and
/// not-evaluated ones.
fn keep_priority(report: &Report, e: &Entry) -> (u8, std::cmp::Reverse<Severity>) {
    let class = match (&e.result.outcome, &e.result.suppression, e.unchanged) {
        (Outcome::Fail { .. }, None, false) => 0,
        (Outcome::Fail { .. }, None, true) => 1,
        (Outcome::Fail { .. }, Some(_), _) => 2,
        _ => 3,
    };
    (
        class,
        std::cmp::Reverse(report.severity_of(e.result.rule_id)),
    )
}

#[allow(clippy::too_many_arguments)]
fn build_run(
    report: &Report,
    opts: &SarifOptions,
    kind: TargetKind,
    rules: &[&RuleInfo],
    index: &BTreeMap<&str, i64>,
    entries: Vec<Entry>,
    diags: &[&Diagnostic],
    absent: Option<usize>,
    sources: &mut SourceFiles,
) -> Run {
    let baseline = report.baseline.is_some();
    let mut notifications: Vec<Notification> =
        diags.iter().map(|d| diagnostic_notification(d)).collect();
    let mut candidates: Vec<(usize, &Entry)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match &e.result.outcome {
            Outcome::Fail { .. } => candidates.push((i, e)),
            Outcome::NotEvaluated { reason } => match opts.not_evaluated {
                NotEvaluatedAs::Results => candidates.push((i, e)),
                NotEvaluatedAs::Notifications => {
                    notifications.push(not_evaluated_notification(report, e.result, reason, index));
                }
            },
            Outcome::Pass => {}
        }
    }
    let dropped = candidates.len().saturating_sub(MAX_RESULTS_PER_RUN);
    if dropped > 0 {
        candidates.sort_by_key(|(i, e)| (keep_priority(report, e), *i));
        candidates.truncate(MAX_RESULTS_PER_RUN);
        candidates.sort_by_key(|(i, _)| *i);
        let mut n = Notification::builder()
            .message(text(format!(
                "{dropped} results left out: GitHub code scanning accepts at most {MAX_RESULTS_PER_RUN} results per run; the most severe new findings are kept (the JSON report lists everything)"
            )))
            .build();
        n.level = Some(json!("warning"));
        n.descriptor = Some(ReportingDescriptorReference {
            id: Some(TRUNCATED_ID.to_string()),
            ..Default::default()
        });
        notifications.push(n);
    }
    let results: Vec<SarifResult> = candidates
        .iter()
        .filter_map(|(_, e)| {
            let mut res = match &e.result.outcome {
                Outcome::Fail { message } => fail_result(report, e.result, message, index, sources),
                Outcome::NotEvaluated { reason } => {
                    not_evaluated_result(report, e.result, reason, index, sources)
                }
                Outcome::Pass => return None,
            };
            if baseline {
                res.baseline_state = Some(json!(if e.unchanged { "unchanged" } else { "new" }));
            }
            Some(res)
        })
        .collect();

    let coverage: Vec<&CoverageEntry> = report
        .coverage
        .iter()
        .filter(|e| TargetKind::of_scope(&e.scope) == kind)
        .collect();
    for e in coverage.iter().filter(|e| !e.status.is_complete()) {
        notifications.push(coverage_notification(e));
    }

    let mut driver = ToolComponent::builder()
        .name("soc2scan")
        .version(report.tool_version)
        .information_uri(INFORMATION_URI)
        .build();
    driver.rules = Some(rules.iter().map(|r| descriptor(r)).collect());

    let mut invocation = Invocation::builder().execution_successful(true).build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }

    let mut props = run_properties(report, kind);
    if !coverage.is_empty() {
        props.additional_properties.insert(
            "coverage".to_string(),
            Value::Array(coverage.iter().map(|e| coverage_row(e)).collect()),
        );
    }
    let not_covered: serde_json::Map<String, Value> = report
        .unmodelled
        .types
        .iter()
        .filter(|(t, _)| TargetKind::of_unmodelled(t) == kind)
        .map(|(t, n)| (t.clone(), json!(n)))
        .collect();
    if !not_covered.is_empty() {
        props
            .additional_properties
            .insert("notCovered".to_string(), Value::Object(not_covered));
    }
    if dropped > 0 {
        props
            .additional_properties
            .insert("truncatedResults".to_string(), json!(dropped));
    }
    if let Some(b) = &report.baseline {
        let unchanged = entries.iter().filter(|e| e.unchanged).count();
        props.additional_properties.insert(
            "baseline".to_string(),
            json!({
                "file": b.file,
                "unchanged": unchanged,
                "absent": absent.unwrap_or(0),
            }),
        );
    }
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("utf16CodeUnits"))
        .properties(props)
        .build();
    run.automation_details = Some(
        RunAutomationDetails::builder()
            .id(automation_id(opts.category.as_deref(), kind))
            .build(),
    );
    run
}

/// One coverage row in `run.properties.coverage`: `scope`, `collection`, `status`
/// (`read`, `not_read`, `denied`, `failed`, `disabled`), then `count` or `call` and
/// `reason`.
fn coverage_row(e: &CoverageEntry) -> Value {
    match &e.status {
        CoverageStatus::Read { count } => json!({
            "scope": &*e.scope, "collection": e.collection, "status": "read", "count": count,
        }),
        CoverageStatus::NotRead { reason } => json!({
            "scope": &*e.scope, "collection": e.collection, "status": "not_read",
            "reason": redact_line(reason),
        }),
        CoverageStatus::Denied { call, reason } => json!({
            "scope": &*e.scope, "collection": e.collection, "status": "denied",
            "call": call, "reason": redact_line(reason),
        }),
        CoverageStatus::Failed { call, reason } => json!({
            "scope": &*e.scope, "collection": e.collection, "status": "failed",
            "call": call, "reason": redact_line(reason),
        }),
        CoverageStatus::Disabled { reason } => json!({
            "scope": &*e.scope, "collection": e.collection, "status": "disabled",
            "reason": redact_line(reason),
        }),
    }
}

/// A warning that a collection was not read completely in a scope: the rules that read
/// it are not evaluated there.
fn coverage_notification(e: &CoverageEntry) -> Notification {
    let mut n = Notification::builder()
        .message(text(format!(
            "coverage incomplete: {} in {}: {}",
            e.collection,
            e.scope,
            redact_line(&e.status.describe())
        )))
        .build();
    n.level = Some(json!("warning"));
    n.descriptor = Some(ReportingDescriptorReference {
        id: Some(COVERAGE_ID.to_string()),
        ..Default::default()
    });
    n
}

/// `error` for critical and high, `warning` for medium, `note` for low.
pub fn level_of(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

fn level_str(level: ResultLevel) -> &'static str {
    match level {
        ResultLevel::Error => "error",
        ResultLevel::Warning => "warning",
        ResultLevel::Note => "note",
        ResultLevel::None => "none",
    }
}

fn text(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

/// The `reportingDescriptor` of a rule.
fn descriptor(rule: &RuleInfo) -> ReportingDescriptor {
    let m = rule.meta;
    let doc = m.documentation();
    let full = first_paragraph(&doc).unwrap_or_else(|| m.title.to_string());
    let mut help = doc.trim_end().to_string();
    if !rule.criteria.is_empty() {
        help.push_str(&format!(
            "\n\n## SOC 2\n{}: {}\n",
            rule.criteria.join(", "),
            rule.rationale
        ));
    } else {
        help.push('\n');
    }
    let mut tags = vec!["security".to_string(), "soc2".to_string()];
    tags.extend(rule.criteria.iter().map(|c| format!("soc2:{c}")));
    tags.push(m.family.slug().to_string());
    let mut props = BTreeMap::new();
    props.insert(
        "security-severity".to_string(),
        json!(rule.effective_severity.security_severity()),
    );
    props.insert("criteria".to_string(), json!(rule.criteria));
    // Not `level`: SARIF has its own `level` (error, warning, note) on results.
    props.insert("soc2-level".to_string(), json!(rule.level.as_str()));
    props.insert(
        "severity".to_string(),
        json!(rule.effective_severity.as_str()),
    );
    ReportingDescriptor::builder()
        .id(m.id)
        .name(camel_case(m.slug))
        .short_description(MultiformatMessageString::builder().text(m.title).build())
        .full_description(MultiformatMessageString::builder().text(full).build())
        .help(
            MultiformatMessageString::builder()
                .text(help.clone())
                .markdown(help)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_str(level_of(rule.effective_severity))))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(props)
                .build(),
        )
        .build()
}

/// A relative path as a URI reference (`/`-separated, percent-encoded); absolute
/// paths become `file://` URIs. Returns the URI and whether it is relative.
pub fn path_to_uri(path: &str) -> (String, bool) {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let windows_abs = p.len() > 2 && p.as_bytes()[1] == b':' && p.as_bytes()[2] == b'/';
    let absolute = p.starts_with('/') || windows_abs;
    let mut enc = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~')
            || (b == b':' && windows_abs)
        {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    if absolute {
        let sep = if windows_abs { "/" } else { "" };
        (format!("file://{sep}{enc}"), false)
    } else {
        (enc, true)
    }
}

fn artifact(path: &str) -> ArtifactLocation {
    let (uri, relative) = path_to_uri(path);
    let mut a = ArtifactLocation::builder().uri(uri).build();
    if relative {
        a.uri_base_id = Some(SRCROOT.to_string());
    }
    a
}

/// The region (first line, first column, last line) of a file origin. A position
/// without a line (0) borrows the resource block's lines when the block is in the same
/// file; otherwise there is no region, never a made-up line 1.
fn region_of(o: &Origin, block: &Origin) -> Option<(u32, u32, u32)> {
    let lines = |o: &Origin| match o {
        Origin::File {
            line,
            col,
            end_line,
            ..
        } if *line >= 1 => Some((*line, (*col).max(1), (*end_line).max(*line))),
        _ => None,
    };
    match (o, block) {
        (Origin::File { path, .. }, Origin::File { path: p, .. }) if path == p => {
            lines(o).or_else(|| lines(block))
        }
        _ => lines(o),
    }
}

/// The location of a check result: physical (file origins) and logical (the resource).
fn result_location(r: &CheckResult, sources: Option<&mut SourceFiles>) -> Location {
    let file_origin = match (&r.location, &r.resource_location) {
        (o @ Origin::File { .. }, _) | (_, o @ Origin::File { .. }) => Some(o),
        _ => None,
    };
    let physical = file_origin.and_then(|o| match o {
        Origin::File { path, .. } => {
            let region = region_of(o, &r.resource_location).map(|(start, col, end)| {
                let mut region = Region::builder()
                    .start_line(i64::from(start))
                    .start_column(i64::from(col))
                    .end_line(i64::from(end))
                    .build();
                if let Some(sn) =
                    sources.and_then(|s| s.snippet(path, start, end, MAX_SNIPPET_LINES))
                {
                    // The region starts at `startColumn`: cut the first line there.
                    let mut sn = sn;
                    if let Some(first) = sn.lines.first_mut() {
                        let skip = usize::try_from(col.saturating_sub(1)).unwrap_or(0);
                        *first = first.chars().skip(skip).collect();
                    }
                    region.snippet = Some(ArtifactContent::builder().text(sn.text()).build());
                }
                region
            });
            Some(PhysicalLocation {
                artifact_location: Some(artifact(path)),
                region,
                ..Default::default()
            })
        }
        _ => None,
    });
    let mut logical = LogicalLocation {
        fully_qualified_name: Some(r.resource.to_string()),
        kind: Some("resource".to_string()),
        ..Default::default()
    };
    match &r.location {
        Origin::Aws {
            arn,
            region,
            account,
        } => {
            logical.fully_qualified_name = Some(arn.to_string());
            let mut p = BTreeMap::new();
            p.insert("region".to_string(), json!(region.as_ref()));
            p.insert("account".to_string(), json!(account.as_ref()));
            logical.properties = Some(PropertyBag::builder().additional_properties(p).build());
        }
        Origin::Cluster {
            context,
            kind,
            namespace,
            name,
        } => {
            let mut p = BTreeMap::new();
            p.insert("context".to_string(), json!(context.as_ref()));
            p.insert("kind".to_string(), json!(kind.as_ref()));
            p.insert("namespace".to_string(), json!(namespace.as_deref()));
            p.insert("name".to_string(), json!(name.as_ref()));
            logical.properties = Some(PropertyBag::builder().additional_properties(p).build());
        }
        Origin::Scope { scope } => {
            logical.fully_qualified_name = Some(scope.to_string());
            logical.kind = Some("scope".to_string());
        }
        Origin::File { .. } => {}
    }
    Location {
        physical_location: physical,
        logical_locations: Some(vec![logical]),
        ..Default::default()
    }
}

/// `properties` of a result or not-evaluated notification.
fn result_properties(report: &Report, r: &CheckResult) -> PropertyBag {
    let mut p = BTreeMap::new();
    let criteria = report.criteria_of_result(r);
    if !r.extra_criteria.is_empty() {
        // Criteria beyond the rule's (its `tags` name those): the result's own.
        p.insert(
            "tags".to_string(),
            json!(criteria
                .iter()
                .map(|c| format!("soc2:{c}"))
                .collect::<Vec<_>>()),
        );
    }
    p.insert("criteria".to_string(), json!(criteria));
    p.insert(
        "severity".to_string(),
        json!(report.severity_of(r.rule_id).as_str()),
    );
    p.insert("resourceType".to_string(), json!(r.resource_type.as_ref()));
    if !r.attribute.is_empty() {
        p.insert("attribute".to_string(), json!(r.attribute.as_ref()));
    }
    PropertyBag::builder().additional_properties(p).build()
}

fn fingerprints(r: &CheckResult) -> BTreeMap<String, String> {
    BTreeMap::from([(FINGERPRINT_KEY.to_string(), r.fingerprint.clone())])
}

fn base_result(
    report: &Report,
    r: &CheckResult,
    message: String,
    index: &BTreeMap<&str, i64>,
    sources: &mut SourceFiles,
) -> SarifResult {
    let mut res = SarifResult::builder()
        .rule_id(r.rule_id)
        .message(text(message))
        .locations(vec![result_location(r, Some(sources))])
        .partial_fingerprints(fingerprints(r))
        .properties(result_properties(report, r))
        .build();
    res.rule_index = index.get(r.rule_id).copied();
    res.related_locations = related_locations(r);
    res
}

/// The live resource of a result located in a file (a drift finding: the declaration in
/// the `.tf` file is the location, the live resource its ARN), as a related location.
fn related_locations(r: &CheckResult) -> Option<Vec<Location>> {
    let (
        Origin::File { .. },
        Origin::Aws {
            arn,
            region,
            account,
        },
    ) = (&r.location, &r.resource_location)
    else {
        return None;
    };
    let mut p = BTreeMap::new();
    p.insert("region".to_string(), json!(region.as_ref()));
    p.insert("account".to_string(), json!(account.as_ref()));
    let logical = LogicalLocation {
        fully_qualified_name: Some(arn.to_string()),
        kind: Some("resource".to_string()),
        properties: Some(PropertyBag::builder().additional_properties(p).build()),
        ..Default::default()
    };
    let mut loc = Location::builder()
        .logical_locations(vec![logical])
        .message(text("live resource".to_string()))
        .build();
    loc.id = Some(0);
    Some(vec![loc])
}

fn fail_result(
    report: &Report,
    r: &CheckResult,
    message: &str,
    index: &BTreeMap<&str, i64>,
    sources: &mut SourceFiles,
) -> SarifResult {
    let msg = format!(
        "{}{}",
        redact_line(message),
        criteria_suffix(&report.criteria_of_result(r))
    );
    let mut res = base_result(report, r, msg, index, sources);
    res.level = Some(level_of(report.severity_of(r.rule_id)));
    res.kind = Some(ResultKind::Fail);
    if let Some(s) = &r.suppression {
        let mut sup = Suppression::builder()
            .kind(json!(s.kind.sarif_kind()))
            .justification(redact_line(&s.reason))
            .status(json!("accepted"))
            .build();
        let mut p = BTreeMap::new();
        p.insert("until".to_string(), json!(s.until));
        if let Some(by) = &s.accepted_by {
            p.insert("acceptedBy".to_string(), json!(redact_line(by)));
        }
        p.insert("location".to_string(), json!(s.location));
        sup.properties = Some(PropertyBag::builder().additional_properties(p).build());
        res.suppressions = Some(vec![sup]);
    }
    res
}

fn not_evaluated_message(report: &Report, r: &CheckResult, reason: &str) -> String {
    format!(
        "not evaluated: {}{}",
        redact_line(reason),
        criteria_suffix(&report.criteria_of_result(r))
    )
}

fn not_evaluated_result(
    report: &Report,
    r: &CheckResult,
    reason: &str,
    index: &BTreeMap<&str, i64>,
    sources: &mut SourceFiles,
) -> SarifResult {
    let msg = not_evaluated_message(report, r, reason);
    let mut res = base_result(report, r, msg, index, sources);
    res.level = Some(ResultLevel::None);
    res.kind = Some(ResultKind::Review);
    res
}

fn not_evaluated_notification(
    report: &Report,
    r: &CheckResult,
    reason: &str,
    index: &BTreeMap<&str, i64>,
) -> Notification {
    let msg = format!(
        "{} [{} on {}]",
        not_evaluated_message(report, r, reason),
        r.rule_id,
        r.resource
    );
    let mut n = Notification::builder().message(text(msg)).build();
    n.level = Some(json!("note"));
    n.descriptor = Some(ReportingDescriptorReference {
        id: Some(NOT_EVALUATED_ID.to_string()),
        ..Default::default()
    });
    n.associated_rule = Some(ReportingDescriptorReference {
        id: Some(r.rule_id.to_string()),
        index: index.get(r.rule_id).copied(),
        ..Default::default()
    });
    n.locations = Some(vec![result_location(r, None)]);
    let mut props = result_properties(report, r);
    props
        .additional_properties
        .insert("fingerprint".to_string(), json!(r.fingerprint));
    n.properties = Some(props);
    n
}

fn diagnostic_notification(d: &Diagnostic) -> Notification {
    let mut n = Notification::builder()
        .message(text(redact_line(&d.message)))
        .build();
    n.level = Some(json!(match d.level {
        DiagLevel::Error => "error",
        DiagLevel::Warning => "warning",
        DiagLevel::Note => "note",
    }));
    n.descriptor = Some(ReportingDescriptorReference {
        id: Some(d.kind.id().to_string()),
        ..Default::default()
    });
    if let Some(file) = &d.file {
        let mut pl = PhysicalLocation {
            artifact_location: Some(artifact(file.as_str())),
            ..Default::default()
        };
        if let Some(line) = d.line.filter(|l| *l >= 1) {
            let mut region = Region::builder().start_line(i64::from(line)).build();
            region.start_column = d.column.filter(|c| *c >= 1).map(i64::from);
            pl.region = Some(region);
        }
        n.locations = Some(vec![Location {
            physical_location: Some(pl),
            ..Default::default()
        }]);
    }
    n
}

/// Counts and the status of every SOC 2 criterion, over the results of one kind.
fn run_properties(report: &Report, kind: TargetKind) -> PropertyBag {
    let c = Counts::of(report, |r| TargetKind::of(r) == kind);
    let view = Report {
        results: report
            .results
            .iter()
            .filter(|r| TargetKind::of(r) == kind)
            .cloned()
            .collect(),
        diagnostics: Vec::new(),
        baseline: None,
        ..report.clone()
    };
    let criteria: Vec<Value> = view
        .criteria_summary()
        .into_iter()
        .map(|s| {
            json!({
                "id": s.id,
                "status": s.status.label(),
                "failed": s.failed,
                "suppressed": s.suppressed,
                "passed": s.passed,
                "notEvaluated": s.not_evaluated,
            })
        })
        .collect();
    let mut p = BTreeMap::new();
    p.insert("failed".to_string(), json!(c.failed));
    p.insert("suppressed".to_string(), json!(c.suppressed));
    p.insert("passed".to_string(), json!(c.passed));
    p.insert("notEvaluated".to_string(), json!(c.not_evaluated));
    p.insert("criteria".to_string(), Value::Array(criteria));
    PropertyBag::builder().additional_properties(p).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(path_to_uri("infra/main.tf"), ("infra/main.tf".into(), true));
        assert_eq!(path_to_uri("./a b/c.tf"), ("a%20b/c.tf".into(), true));
        assert_eq!(path_to_uri("dir\\x.tf"), ("dir/x.tf".into(), true));
        assert_eq!(path_to_uri("/abs/x.tf"), ("file:///abs/x.tf".into(), false));
        assert_eq!(
            path_to_uri("C:\\w\\x.tf"),
            ("file:///C:/w/x.tf".into(), false)
        );
        assert_eq!(path_to_uri("ü.tf").0, "%C3%BC.tf");
    }

    #[test]
    fn levels() {
        assert_eq!(level_of(Severity::Critical), ResultLevel::Error);
        assert_eq!(level_of(Severity::High), ResultLevel::Error);
        assert_eq!(level_of(Severity::Medium), ResultLevel::Warning);
        assert_eq!(level_of(Severity::Low), ResultLevel::Note);
    }
}
