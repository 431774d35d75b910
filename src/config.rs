//! The project policy file `.soc2scan.toml`: which rules run (`level`, `select`, `ignore`),
//! severity overrides (`[severity]`), rule parameters (`[settings]`) and accepted
//! exceptions by path (`[[suppress]]`). It is found from the first scanned path upward
//! or named with `--config`; a file that does not parse or names something soc2scan
//! does not know is an error with its line, never silently ignored.
//!
//! ```toml
//! level = "strict"
//! select = ["CC6.1", "logging"]
//! ignore = ["AWS-EC2-004"]
//!
//! [severity]
//! "AWS-S3-001" = "high"
//!
//! [settings]
//! required_tags = ["DataClassification", "Owner"]
//!
//! [[suppress]]
//! rules = ["AWS-S3-003"]
//! paths = ["legacy/**"]
//! reason = "legacy stack, decommissioned in Q1"
//! until = "2027-03-31"
//! accepted_by = "CISO, risk register R-12"
//! ```
//!
//! `policies = ["policies"]` adds custom Rego policies (directories relative to the
//! file, see docs/policies.md); their ids and criteria are selectors like any rule's.
//! `policy_timeout = 10` is the time one policy may evaluate, in seconds;
//! `policy_memory = 1024` the memory it may use beyond the model, in MiB.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::controls::Controls;
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::discover::{display_path, normalize};
use crate::engine;
use crate::evidence::sha256_hex;
use crate::finding::{CheckResult, Severity, Suppression, SuppressionKind};
use crate::level::Level;
use crate::rules::{self, Rule};
use crate::settings::Settings;

/// Name of the project policy file.
pub const FILE_NAME: &str = ".soc2scan.toml";

/// Why a policy file cannot be used (the scan does not run: exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read policy file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file does not parse, or a value in it is invalid.
    #[error("invalid policy file {path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the offending value.
        line: usize,
        /// 1-based column of the offending value.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A custom policy the file names cannot be used (the message names its file and line).
    #[error("{0}")]
    Policy(String),
}

/// A loaded, validated project policy.
#[derive(Debug, Clone)]
pub struct ProjectConfig {
    /// The file, as found or given.
    pub path: PathBuf,
    /// The file as reports show it (relative to the working directory when under it).
    pub display: String,
    /// `sha256:` digest of the file's bytes (recorded as evidence).
    pub sha256: String,
    /// Directory that `[[suppress]]` path globs are relative to: the file's own.
    pub base_dir: PathBuf,
    /// The level to scan at (`baseline` or `strict`); the CLI's `--level` wins.
    pub level: Option<Level>,
    /// Selectors a rule must match one of (the CLI's `--select` adds to them).
    pub select: Vec<String>,
    /// Selectors that exclude a rule (the CLI's `--ignore` adds to them).
    pub ignore: Vec<String>,
    /// Effective severity per rule id.
    pub severity: BTreeMap<String, Severity>,
    /// Rule parameters.
    pub settings: Settings,
    /// Accepted exceptions by path.
    pub suppress: Vec<PathSuppression>,
    /// The `[evidence]` section: retention of recorded scans and remediation SLA.
    pub evidence: EvidencePolicy,
    /// The `[drift]` section: what `soc2scan drift` accepts.
    pub drift: DriftPolicy,
    /// `policies`: the custom policies of the directories it names, loaded and checked.
    pub policies: std::sync::Arc<soc2scan_policies::PolicySet>,
    /// `policy_timeout`: how long one policy may evaluate.
    pub policy_timeout: Option<std::time::Duration>,
    /// `policy_memory`: how many bytes one policy may allocate beyond the model.
    pub policy_memory: Option<u64>,
}

/// The memory one policy may use (`policy_memory`, `--policy-memory`), in MiB.
pub const POLICY_MEMORY_MIB: std::ops::RangeInclusive<u64> = 16..=65536;

/// The `[drift]` section of the policy file.
#[derive(Debug, Clone, Default)]
pub struct DriftPolicy {
    /// `unmanaged_allow`: live resources that may exist outside Terraform, as ARN globs
    /// (`arn:aws:s3:::cdk-*`, `*` matches any characters, `/` and `:` included) or tags
    /// (`tag:Key` any value, `tag:Key=Value`).
    pub unmanaged_allow: Vec<UnmanagedAllow>,
}

/// One entry of `[drift] unmanaged_allow`.
#[derive(Debug, Clone)]
pub enum UnmanagedAllow {
    /// An ARN glob, as written, with its compiled form.
    Arn(String, globset::GlobMatcher),
    /// A tag key, and the value it must have (any value when `None`).
    Tag(String, Option<String>),
}

impl UnmanagedAllow {
    /// The entry as written.
    pub fn as_written(&self) -> String {
        match self {
            UnmanagedAllow::Arn(g, _) => g.clone(),
            UnmanagedAllow::Tag(k, None) => format!("tag:{k}"),
            UnmanagedAllow::Tag(k, Some(v)) => format!("tag:{k}={v}"),
        }
    }

    /// Whether the entry allows a resource with this ARN and these tags.
    pub fn allows(&self, arn: &str, tags: &BTreeMap<String, String>) -> bool {
        match self {
            UnmanagedAllow::Arn(_, m) => m.is_match(arn),
            UnmanagedAllow::Tag(k, v) => tags
                .get(k)
                .is_some_and(|have| v.as_ref().is_none_or(|want| want == have)),
        }
    }
}

/// The `[evidence]` section of the policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidencePolicy {
    /// `retention_days`: S3 Object Lock retention (compliance mode) of each recorded
    /// scan, in days; `None`: no retention is set.
    pub retention_days: Option<u32>,
    /// `[evidence.sla]`: days to fix a finding per severity (defaults: critical 7,
    /// high 30, medium 90, low 180).
    pub sla: soc2scan_evidence::period::Sla,
}

/// One `[[suppress]]` entry.
#[derive(Debug, Clone)]
pub struct PathSuppression {
    /// Rule ids the entry's `rules` selectors resolve to.
    pub rule_ids: BTreeSet<&'static str>,
    /// The globs as written.
    pub paths: Vec<String>,
    /// Compiled `paths`.
    matcher: GlobSet,
    /// Justification (required, not empty).
    pub reason: String,
    /// Last day the entry suppresses (`YYYY-MM-DD`).
    pub until: Option<String>,
    /// Who accepted the exception (a person, team or ticket), when given.
    pub accepted_by: Option<String>,
    /// Line of the entry in the policy file.
    pub line: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    level: Option<Spanned<String>>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<Severity>>,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppress>>,
    #[serde(default)]
    evidence: RawEvidence,
    #[serde(default)]
    policies: Vec<Spanned<String>>,
    #[serde(default)]
    policy_timeout: Option<Spanned<u64>>,
    #[serde(default)]
    policy_memory: Option<Spanned<u64>>,
    #[serde(default)]
    drift: RawDrift,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDrift {
    #[serde(default)]
    unmanaged_allow: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    #[serde(default)]
    retention_days: Option<Spanned<u32>>,
    #[serde(default)]
    sla: RawSla,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSla {
    critical: Option<Spanned<u32>>,
    high: Option<Spanned<u32>>,
    medium: Option<Spanned<u32>>,
    low: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    rules: Vec<Spanned<String>>,
    paths: Vec<Spanned<String>>,
    reason: Spanned<String>,
    until: Option<Spanned<toml::Value>>,
    #[serde(default)]
    accepted_by: Option<String>,
}

/// Finds the policy file for a scan of `start`: `.soc2scan.toml` in `start` (or its
/// directory, for a file) or the nearest ancestor directory, up to the filesystem root.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = if start.is_absolute() {
        start.to_path_buf()
    } else {
        cwd.join(start)
    };
    let abs = abs.canonicalize().unwrap_or_else(|_| normalize(&abs));
    let first = if abs.is_file() {
        abs.parent()?.to_path_buf()
    } else {
        abs
    };
    first
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

impl ProjectConfig {
    /// Reads and validates the policy file at `path`.
    pub fn load(path: &Path) -> Result<ProjectConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        ProjectConfig::parse(path, &text)
    }

    /// Parses and validates policy text; `path` locates errors and anchors the globs.
    pub fn parse(path: &Path, text: &str) -> Result<ProjectConfig, ConfigError> {
        let invalid = |span: Option<Range<usize>>, message: String| {
            let (line, column) = span.map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().to_string()))?;
        let mut controls = Controls::embedded().map_err(|e| invalid(None, e.to_string()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let policy_timeout = match &raw.policy_timeout {
            Some(t) if *t.get_ref() == 0 || *t.get_ref() > 3600 => {
                return Err(invalid(
                    Some(t.span()),
                    "policy_timeout: seconds between 1 and 3600".to_string(),
                ))
            }
            Some(t) => Some(std::time::Duration::from_secs(*t.get_ref())),
            None => None,
        };
        let policy_memory = match &raw.policy_memory {
            Some(m) if !POLICY_MEMORY_MIB.contains(m.get_ref()) => {
                return Err(invalid(
                    Some(m.span()),
                    format!(
                        "policy_memory: MiB between {} and {}",
                        POLICY_MEMORY_MIB.start(),
                        POLICY_MEMORY_MIB.end()
                    ),
                ))
            }
            Some(m) => Some(*m.get_ref() << 20),
            None => None,
        };
        let mut policy_dirs = Vec::new();
        for d in &raw.policies {
            let p = dir.join(d.get_ref());
            if !p.is_dir() {
                return Err(invalid(
                    Some(d.span()),
                    format!("policies: {} is not a directory", p.display()),
                ));
            }
            policy_dirs.push(p);
        }
        let policies = soc2scan_policies::PolicySet::load(
            &policy_dirs,
            &controls,
            &|id| rules::find(id).is_some(),
            soc2scan_policies::Limits {
                time: policy_timeout.unwrap_or(soc2scan_policies::DEFAULT_TIME_LIMIT),
                memory: policy_memory.unwrap_or(soc2scan_policies::DEFAULT_MEMORY_LIMIT),
            },
        )
        .map_err(|e| ConfigError::Policy(e.to_string()))?;
        policies.register(&mut controls);
        let mut all = rules::all();
        all.extend(policies.rules());

        // Selectors: the same forms and the same check as `--select` / `--ignore`.
        let check_selector = |s: &Spanned<String>| -> Result<String, ConfigError> {
            let v = s.get_ref().trim().to_string();
            let known = all.iter().any(|r| engine::matches(&v, *r, &controls))
                || controls.criterion(&v).is_some();
            if known {
                Ok(v)
            } else {
                Err(invalid(
                    Some(s.span()),
                    format!(
                        "unknown rule selector {v:?} (expected a rule id, id prefix, slug, family or SOC 2 criterion)"
                    ),
                ))
            }
        };
        let level = match &raw.level {
            None => None,
            Some(l) => Some(
                l.get_ref()
                    .parse::<Level>()
                    .map_err(|e| invalid(Some(l.span()), format!("level: {e}")))?,
            ),
        };
        let select = raw
            .select
            .iter()
            .map(check_selector)
            .collect::<Result<Vec<_>, _>>()?;
        let ignore = raw
            .ignore
            .iter()
            .map(check_selector)
            .collect::<Result<Vec<_>, _>>()?;

        let mut severity = BTreeMap::new();
        for (id, sev) in &raw.severity {
            let want = id.get_ref().trim();
            let Some(rule) = all.iter().find(|r| r.meta().id.eq_ignore_ascii_case(want)) else {
                return Err(invalid(
                    Some(id.span()),
                    format!(
                        "[severity]: no rule {want:?} (keys are rule ids, see `soc2scan rules`)"
                    ),
                ));
            };
            severity.insert(rule.meta().id.to_string(), *sev.get_ref());
        }

        let mut suppress = Vec::new();
        for entry in &raw.suppress {
            let line = line_col(text, entry.span().start).0;
            let e = entry.get_ref();
            if e.reason.get_ref().trim().is_empty() {
                return Err(invalid(
                    Some(e.reason.span()),
                    "[[suppress]]: reason must not be empty".to_string(),
                ));
            }
            if e.rules.is_empty() {
                return Err(invalid(
                    Some(entry.span()),
                    "[[suppress]]: rules must name at least one rule".to_string(),
                ));
            }
            if e.paths.is_empty() {
                return Err(invalid(
                    Some(entry.span()),
                    "[[suppress]]: paths must name at least one glob".to_string(),
                ));
            }
            let mut rule_ids = BTreeSet::new();
            for s in &e.rules {
                let sel = check_selector(s)?;
                rule_ids.extend(
                    all.iter()
                        .filter(|r| engine::matches(&sel, **r, &controls))
                        .map(|r| r.meta().id),
                );
            }
            let mut builder = GlobSetBuilder::new();
            for p in &e.paths {
                let glob = GlobBuilder::new(p.get_ref().trim_start_matches("./"))
                    .literal_separator(true)
                    .build()
                    .map_err(|err| {
                        invalid(
                            Some(p.span()),
                            format!("[[suppress]]: bad path glob: {err}"),
                        )
                    })?;
                builder.add(glob);
            }
            let matcher = builder
                .build()
                .map_err(|err| invalid(Some(entry.span()), format!("[[suppress]]: {err}")))?;
            let until = match &e.until {
                None => None,
                Some(u) => Some(date_of(u.get_ref()).ok_or_else(|| {
                    invalid(
                        Some(u.span()),
                        "[[suppress]]: until must be a date (\"YYYY-MM-DD\")".to_string(),
                    )
                })?),
            };
            suppress.push(PathSuppression {
                rule_ids,
                paths: e.paths.iter().map(|p| p.get_ref().clone()).collect(),
                matcher,
                reason: e.reason.get_ref().trim().to_string(),
                until,
                accepted_by: e
                    .accepted_by
                    .as_deref()
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
                line,
            });
        }

        let cwd = std::env::current_dir().unwrap_or_default();
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            cwd.join(path)
        };
        let abs = abs.canonicalize().unwrap_or_else(|_| normalize(&abs));
        let base_dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let positive = |v: &Option<Spanned<u32>>, name: &str, default: u32| match v {
            Some(x) if *x.get_ref() == 0 => Err(invalid(
                Some(x.span()),
                format!("[evidence]: {name} must be at least 1 day"),
            )),
            Some(x) => Ok(*x.get_ref()),
            None => Ok(default),
        };
        let d = soc2scan_evidence::period::Sla::default();
        let sla = &raw.evidence.sla;
        let evidence = EvidencePolicy {
            retention_days: match &raw.evidence.retention_days {
                Some(_) => Some(positive(&raw.evidence.retention_days, "retention_days", 1)?),
                None => None,
            },
            sla: soc2scan_evidence::period::Sla {
                critical: positive(&sla.critical, "sla.critical", d.critical)?,
                high: positive(&sla.high, "sla.high", d.high)?,
                medium: positive(&sla.medium, "sla.medium", d.medium)?,
                low: positive(&sla.low, "sla.low", d.low)?,
            },
        };
        let mut unmanaged_allow = Vec::new();
        for e in &raw.drift.unmanaged_allow {
            let text = e.get_ref().trim();
            let entry = if let Some(tag) = text.strip_prefix("tag:") {
                let (k, v) = match tag.split_once('=') {
                    Some((k, v)) => (k.trim(), Some(v.trim().to_string())),
                    None => (tag.trim(), None),
                };
                if k.is_empty() {
                    return Err(invalid(
                        Some(e.span()),
                        "[drift] unmanaged_allow: `tag:` needs a tag key".to_string(),
                    ));
                }
                UnmanagedAllow::Tag(k.to_string(), v)
            } else if text.starts_with("arn:") {
                let glob = GlobBuilder::new(text)
                    .literal_separator(false)
                    .build()
                    .map_err(|err| {
                        invalid(
                            Some(e.span()),
                            format!("[drift] unmanaged_allow: bad ARN glob: {err}"),
                        )
                    })?;
                UnmanagedAllow::Arn(text.to_string(), glob.compile_matcher())
            } else {
                return Err(invalid(
                    Some(e.span()),
                    format!(
                        "[drift] unmanaged_allow: {text:?} is neither an ARN glob (arn:...) nor a tag (tag:Key or tag:Key=Value)"
                    ),
                ));
            };
            unmanaged_allow.push(entry);
        }
        Ok(ProjectConfig {
            drift: DriftPolicy { unmanaged_allow },
            evidence,
            path: path.to_path_buf(),
            display: display_path(path, &cwd).to_string(),
            sha256: sha256_hex(text.as_bytes()),
            base_dir,
            level,
            select,
            ignore,
            severity,
            settings: raw.settings,
            suppress,
            policies: std::sync::Arc::new(policies),
            policy_timeout,
            policy_memory,
        })
    }

    /// The effective severity of `rule`: the configured one, else the declared one.
    pub fn severity_of(&self, rule: &dyn Rule) -> Severity {
        let meta = rule.meta();
        self.severity.get(meta.id).copied().unwrap_or(meta.severity)
    }

    /// Suppresses the failing results that `[[suppress]]` entries cover (findings already
    /// suppressed inline keep that suppression) and reports every expired entry as a
    /// diagnostic: after its `until` date an entry no longer suppresses. `today` is
    /// `YYYY-MM-DD`.
    pub fn apply_suppressions(
        &self,
        results: &mut [CheckResult],
        diagnostics: &mut Vec<Diagnostic>,
        today: &str,
    ) {
        let mut active = Vec::new();
        for s in &self.suppress {
            match &s.until {
                Some(until) if until.as_str() < today => diagnostics.push(Diagnostic::at(
                    DiagKind::Suppression,
                    DiagLevel::Warning,
                    self.display.as_str(),
                    Some(s.line as u32),
                    None,
                    format!(
                        "[[suppress]] of {} for {} expired on {until}; its findings are reported",
                        s.rule_ids.iter().copied().collect::<Vec<_>>().join(", "),
                        s.paths.join(", ")
                    ),
                )),
                _ => active.push(s),
            }
        }
        if active.is_empty() {
            return;
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        for r in results
            .iter_mut()
            .filter(|r| r.is_fail() && r.suppression.is_none())
        {
            let files: BTreeSet<&str> = [r.location.file(), r.resource_location.file()]
                .into_iter()
                .flatten()
                .collect();
            let rel: Vec<PathBuf> = files
                .iter()
                .filter_map(|f| self.relative(Path::new(f), &cwd))
                .collect();
            let hit = active.iter().find(|s| {
                s.rule_ids.contains(r.rule_id) && rel.iter().any(|p| s.matcher.is_match(p))
            });
            if let Some(s) = hit {
                r.suppression = Some(Suppression {
                    reason: s.reason.clone(),
                    until: s.until.clone(),
                    accepted_by: s.accepted_by.clone(),
                    location: format!("{}:{}", self.display, s.line),
                    kind: SuppressionKind::External,
                });
            }
        }
    }

    /// `file` relative to the policy file's directory, `None` when it is outside it.
    fn relative(&self, file: &Path, cwd: &Path) -> Option<PathBuf> {
        let abs = if file.is_absolute() {
            file.to_path_buf()
        } else {
            cwd.join(file)
        };
        let abs = abs.canonicalize().unwrap_or_else(|_| normalize(&abs));
        abs.strip_prefix(&self.base_dir).ok().map(Path::to_path_buf)
    }
}

/// A `YYYY-MM-DD` date written as a string or as a TOML local date.
fn date_of(v: &toml::Value) -> Option<String> {
    let s = match v {
        toml::Value::String(s) => s.trim().to_string(),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        _ => return None,
    };
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    ok.then_some(s)
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ProjectConfig, ConfigError> {
        ProjectConfig::parse(Path::new("p/.soc2scan.toml"), text)
    }

    fn error_at(text: &str) -> (usize, String) {
        match parse(text).unwrap_err() {
            ConfigError::Invalid { line, message, .. } => (line, message),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn policy_limits() {
        let c = parse("policy_timeout = 30\npolicy_memory = 256\n").unwrap();
        assert_eq!(c.policy_timeout, Some(std::time::Duration::from_secs(30)));
        assert_eq!(c.policy_memory, Some(256 << 20));
        assert_eq!(c.policies.limits.memory, 256 << 20);
        let (line, message) = error_at("select = []\npolicy_memory = 8\n");
        assert_eq!(line, 2);
        assert_eq!(message, "policy_memory: MiB between 16 and 65536");
        let (line, message) = error_at("select = []\npolicy_memory = -1\n");
        assert_eq!(
            (line, message.as_str()),
            (2, "invalid value: integer `-1`, expected u64")
        );
    }

    #[test]
    fn drift_section() {
        let c = parse(
            "[drift]\nunmanaged_allow = [\"arn:aws:s3:::cdk-*\", \"tag:managed-by=cdk\", \"tag:owner\"]\n",
        )
        .unwrap();
        let allow = &c.drift.unmanaged_allow;
        let tags = |kv: &[(&str, &str)]| -> BTreeMap<String, String> {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert!(allow[0].allows("arn:aws:s3:::cdk-assets-1/x", &tags(&[])));
        assert!(!allow[0].allows("arn:aws:s3:::data", &tags(&[])));
        assert!(allow[1].allows("arn:aws:s3:::data", &tags(&[("managed-by", "cdk")])));
        assert!(!allow[1].allows("arn:aws:s3:::data", &tags(&[("managed-by", "tf")])));
        assert!(allow[2].allows("arn:aws:s3:::data", &tags(&[("owner", "x")])));
        assert_eq!(allow[1].as_written(), "tag:managed-by=cdk");
        let (line, message) = error_at("[drift]\nunmanaged_allow = [\"my-bucket\"]\n");
        assert_eq!(line, 2);
        assert!(message.contains("neither an ARN glob"), "{message}");
        let (_, message) = error_at("[drift]\nunmanaged_allow = [\"tag:\"]\n");
        assert!(message.contains("needs a tag key"), "{message}");
        let (_, message) = error_at("[drift]\nallow = []\n");
        assert!(message.contains("unknown field"), "{message}");
    }

    #[test]
    fn evidence_section() {
        let c = parse("[evidence]\nretention_days = 400\n[evidence.sla]\nhigh = 14\n").unwrap();
        assert_eq!(c.evidence.retention_days, Some(400));
        assert_eq!(
            c.evidence.sla,
            soc2scan_evidence::period::Sla {
                critical: 7,
                high: 14,
                medium: 90,
                low: 180
            }
        );
        assert_eq!(parse("").unwrap().evidence, EvidencePolicy::default());
        let (line, message) = error_at("level = \"baseline\"\n[evidence.sla]\nlow = 0\n");
        assert_eq!(line, 3);
        assert!(
            message.contains("sla.low must be at least 1 day"),
            "{message}"
        );
        let (line, message) = error_at("[evidence]\nretention = 3\n");
        assert_eq!(line, 2);
        assert!(message.contains("unknown field `retention`"), "{message}");
    }

    #[test]
    fn parses_a_complete_file() {
        let c = parse(
            r#"
select = ["CC6.1", "logging"]
ignore = ["AWS-EC2-004"]

[severity]
"aws-s3-001" = "critical"

[settings]
log_retention_days = 90

[[suppress]]
rules = ["AWS-S3-003"]
paths = ["legacy/**"]
reason = "legacy stack"
until = 2027-03-31
"#,
        )
        .unwrap();
        assert_eq!(c.select, vec!["CC6.1", "logging"]);
        assert_eq!(c.ignore, vec!["AWS-EC2-004"]);
        assert_eq!(c.severity.get("AWS-S3-001"), Some(&Severity::Critical));
        assert_eq!(c.settings.log_retention_days, 90);
        assert_eq!(c.settings.required_tags, Settings::default().required_tags);
        let s = &c.suppress[0];
        assert_eq!(s.line, 11);
        assert_eq!(s.until.as_deref(), Some("2027-03-31"));
        assert!(s.rule_ids.contains("AWS-S3-003"));
        assert!(s.matcher.is_match("legacy/a/main.tf"));
        assert!(!s.matcher.is_match("app/legacy/main.tf"));
        assert!(c.sha256.starts_with("sha256:"));
    }

    #[test]
    fn errors_carry_the_line() {
        assert_eq!(
            error_at("select = [\"AWS-S3-001\",\n  \"AWS-NOPE\"]\n").0,
            2
        );
        let (line, msg) = error_at("[severity]\n\"AWS-S3-001\" = \"severe\"\n");
        assert_eq!(line, 2);
        assert!(msg.contains("severe"), "{msg}");
        let (line, msg) = error_at("\n\n[severity]\n\"AWS-XYZ-001\" = \"low\"\n");
        assert_eq!(line, 4);
        assert!(msg.contains("AWS-XYZ-001"), "{msg}");
        let (line, msg) = error_at("[settings]\nlog_retention = 5\n");
        assert_eq!(line, 2);
        assert!(msg.contains("log_retention"), "{msg}");
        let (line, _) = error_at("select = [\n");
        assert!(line >= 1);
        let (_, msg) = error_at(
            "[[suppress]]\nrules = [\"AWS-S3-003\"]\npaths = [\"a/**\"]\nreason = \" \"\n",
        );
        assert!(msg.contains("reason"), "{msg}");
        let (line, msg) = error_at(
            "[[suppress]]\nrules = [\"AWS-S3-003\"]\npaths = [\"a/**\"]\nreason = \"r\"\nuntil = \"soon\"\n",
        );
        assert_eq!(line, 5);
        assert!(msg.contains("until"), "{msg}");
        let (line, msg) =
            error_at("[[suppress]]\nrules = [\"AWS-S3-003\"]\npaths = [\"a/[\"]\nreason = \"r\"\n");
        assert_eq!(line, 3);
        assert!(msg.contains("glob"), "{msg}");
        let (_, msg) = error_at("[[suppress]]\nrules = [\"AWS-S3-003\"]\npaths = [\"a/**\"]\n");
        assert!(msg.contains("reason"), "{msg}");
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 99), (1, 3));
    }
}
