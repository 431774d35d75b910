//! The report over an audit period: per criterion its status on every day, the share
//! of scanned days it passed, the exceptions (findings) with first seen, resolved, days
//! open and the remediation SLA verdict, the accepted exceptions (suppressions) active
//! in the period, per target the days scanned and the gaps, and the integrity of the
//! objects used. Holes are never filled: a day without an intact scan is `no scan`.

mod render;

pub use render::{
    render_csv, render_exceptions_csv, render_html, render_markdown, to_json, JSON_VERSION,
};

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::day;
use crate::error::{EvidenceError, Result};
use crate::index::{ExceptionInterval, Index};
use crate::object;
use crate::report_json::severity_rank;
use crate::verify::{Problem, Verified};

/// Days allowed to fix a finding, per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sla {
    /// Critical findings.
    pub critical: u32,
    /// High findings.
    pub high: u32,
    /// Medium findings.
    pub medium: u32,
    /// Low findings.
    pub low: u32,
}

impl Default for Sla {
    /// 7 days for critical, 30 for high, 90 for medium, 180 for low findings.
    fn default() -> Self {
        Sla {
            critical: 7,
            high: 30,
            medium: 90,
            low: 180,
        }
    }
}

impl Sla {
    /// The days allowed for `severity`.
    pub fn days(&self, severity: &str) -> u32 {
        match severity_rank(severity) {
            3 => self.critical,
            2 => self.high,
            1 => self.medium,
            _ => self.low,
        }
    }
}

/// What the report covers.
#[derive(Debug, Clone)]
pub struct Options {
    /// First day (days since 1970-01-01), inclusive.
    pub from: i64,
    /// Last day, inclusive.
    pub to: i64,
    /// Targets to report on; all when empty.
    pub targets: Vec<String>,
    /// Remediation SLA.
    pub sla: Sla,
    /// The store as given, for the report's header.
    pub store: String,
}

/// A criterion's status on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayStatus {
    /// A scan that day failed it.
    Failed,
    /// Scans that day could not evaluate it (and none failed it).
    NotEvaluated,
    /// Every scan that day passed it.
    Passed,
    /// No machine can check it.
    Manual,
    /// No intact scan that day.
    NoScan,
}

impl DayStatus {
    /// Label for tables and CSV.
    pub fn label(self) -> &'static str {
        match self {
            DayStatus::Failed => "failed",
            DayStatus::NotEvaluated => "not evaluated",
            DayStatus::Passed => "passed",
            DayStatus::Manual => "manual",
            DayStatus::NoScan => "no scan",
        }
    }

    fn of_report(status: &str) -> DayStatus {
        match status {
            "failed" => DayStatus::Failed,
            "passed" => DayStatus::Passed,
            "manual" => DayStatus::Manual,
            _ => DayStatus::NotEvaluated,
        }
    }
}

/// One criterion over the period.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionRow {
    /// Criterion id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status per day of the period, in order.
    pub days: Vec<DayStatus>,
    /// Days it passed.
    pub passed_days: usize,
    /// Days with a scan that judged it (passed, failed or not evaluated).
    pub judged_days: usize,
}

impl CriterionRow {
    /// Share of judged days it passed, `None` when no day judged it.
    pub fn share_passed(&self) -> Option<f64> {
        (self.judged_days > 0).then(|| self.passed_days as f64 / self.judged_days as f64)
    }
}

/// Whether a finding was fixed within the remediation SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlaVerdict {
    /// Resolved within the SLA.
    Met,
    /// Resolved after the SLA.
    Breached,
    /// Still open, within the SLA so far.
    Open,
    /// Still open and past the SLA.
    OpenBreached,
}

impl SlaVerdict {
    /// Label for tables.
    pub fn label(self) -> &'static str {
        match self {
            SlaVerdict::Met => "met",
            SlaVerdict::Breached => "breached",
            SlaVerdict::Open => "open (within SLA)",
            SlaVerdict::OpenBreached => "open (SLA breached)",
        }
    }
}

/// One exception: a finding present during the period.
#[derive(Debug, Clone, Serialize)]
pub struct Exception {
    /// Target.
    pub target: String,
    /// Rule id.
    pub rule_id: String,
    /// Rule title.
    pub title: String,
    /// Resource.
    pub resource: String,
    /// Severity.
    pub severity: String,
    /// Fingerprint.
    pub fingerprint: String,
    /// Message when first seen.
    pub message: String,
    /// Day first seen (`YYYY-MM-DD`).
    pub first_seen: String,
    /// Day of the first scan without it, `None` while open.
    pub resolved: Option<String>,
    /// `fixed` or `accepted` (suppressed from then on); `None` while open.
    pub resolution: Option<String>,
    /// Days from first seen to resolved (or to the last scan of the period).
    pub days_open: i64,
    /// Days the SLA allows for its severity.
    pub sla_days: u32,
    /// The SLA verdict.
    pub sla: SlaVerdict,
}

/// A target over the period.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Target.
    pub target: String,
    /// Intact scans in the period.
    pub scans: usize,
    /// Days with at least one intact scan.
    pub days_scanned: usize,
    /// Days without one, as ranges (`2026-01-05` or `2026-01-05..2026-01-07`).
    pub gaps: Vec<String>,
    /// Collections not read completely by some scan of the period (regions or
    /// services not evaluated), each with the number of scans that missed it.
    pub not_read: Vec<(String, usize)>,
    /// Commits scanned, first and last.
    pub commits: Vec<String>,
}

/// One object the report used.
#[derive(Debug, Clone, Serialize)]
pub struct UsedObject {
    /// Key.
    pub key: String,
    /// Hash.
    pub hash: String,
    /// Scan time.
    pub scan_time: String,
    /// Whether its hash and header verified.
    pub intact: bool,
}

/// The integrity of what the report is built from.
#[derive(Debug, Clone, Serialize)]
pub struct Integrity {
    /// Whether every object is intact and every chain complete.
    pub chain_verified: bool,
    /// Objects of the selected targets in the period.
    pub objects: Vec<UsedObject>,
    /// Problems found in the store (for the selected targets).
    pub problems: Vec<Problem>,
}

/// The period report.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodReport {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Every day of the period.
    pub dates: Vec<String>,
    /// The store.
    pub store: String,
    /// The SLA applied.
    pub sla: Sla,
    /// Targets.
    pub targets: Vec<TargetRow>,
    /// Criteria, in catalog order.
    pub criteria: Vec<CriterionRow>,
    /// Findings present during the period.
    pub exceptions: Vec<Exception>,
    /// Accepted exceptions (suppressions) active during the period.
    pub accepted: Vec<ExceptionInterval>,
    /// Integrity.
    pub integrity: Integrity,
}

/// Days from `from` to `to` as `YYYY-MM-DD..YYYY-MM-DD` ranges of consecutive days.
fn ranges(days: &[i64]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            day::format(days[i])
        } else {
            format!("{}..{}", day::format(days[i]), day::format(days[j]))
        });
        i = j + 1;
    }
    out
}

/// Builds the report from a verified store and its index.
pub fn build(verified: &Verified, index: &Index, opts: &Options) -> Result<PeriodReport> {
    if opts.to < opts.from {
        return Err(EvidenceError::Invalid(format!(
            "--to {} is before --from {}",
            day::format(opts.to),
            day::format(opts.from)
        )));
    }
    if opts.to - opts.from > 3660 {
        return Err(EvidenceError::Invalid(
            "the period is longer than ten years".into(),
        ));
    }
    let n = (opts.to - opts.from + 1) as usize;
    let dates: Vec<String> = (opts.from..=opts.to).map(day::format).collect();
    let from_t = format!("{}T00:00:00Z", day::format(opts.from));
    let to_t = format!("{}T23:59:59Z", day::format(opts.to));
    let all_scans = index.scans()?;
    let known: BTreeSet<&str> = all_scans.iter().map(|s| s.target.as_str()).collect();
    for t in &opts.targets {
        if !known.contains(t.as_str()) {
            return Err(EvidenceError::Invalid(format!(
                "no scan of target {t:?} in the store (targets: {})",
                known.iter().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let selected = |t: &str| opts.targets.is_empty() || opts.targets.iter().any(|x| x == t);
    let scans: Vec<_> = all_scans
        .iter()
        .filter(|s| selected(&s.target) && s.scan_time >= from_t && s.scan_time <= to_t)
        .collect();

    // The last scan of each target on each day.
    let mut last_of_day: BTreeMap<(i64, &str), &crate::index::Scan> = BTreeMap::new();
    for s in &scans {
        let d = day::of_time(&s.scan_time)?;
        last_of_day.insert((d, s.target.as_str()), s);
    }
    // Criteria in catalog order (from the latest scan that lists them).
    let mut order: Vec<(String, String)> = Vec::new();
    let mut statuses: BTreeMap<String, Vec<Option<DayStatus>>> = BTreeMap::new();
    for ((d, _), s) in &last_of_day {
        let crits = index.criteria(&s.key)?;
        if order.len() < crits.len() {
            order = crits
                .iter()
                .map(|(i, t, _)| (i.clone(), t.clone()))
                .collect();
        }
        let slot = (d - opts.from) as usize;
        for (id, _, status) in crits {
            let row = statuses.entry(id).or_insert_with(|| vec![None; n]);
            let st = DayStatus::of_report(&status);
            row[slot] = Some(match row[slot] {
                Some(old) => old.min(st),
                None => st,
            });
        }
    }
    let criteria = order
        .into_iter()
        .map(|(id, title)| {
            let days: Vec<DayStatus> = statuses
                .get(&id)
                .map(|v| v.iter().map(|s| s.unwrap_or(DayStatus::NoScan)).collect())
                .unwrap_or_else(|| vec![DayStatus::NoScan; n]);
            let passed_days = days.iter().filter(|d| **d == DayStatus::Passed).count();
            let judged_days = days
                .iter()
                .filter(|d| {
                    matches!(
                        d,
                        DayStatus::Passed | DayStatus::Failed | DayStatus::NotEvaluated
                    )
                })
                .count();
            CriterionRow {
                id,
                title,
                days,
                passed_days,
                judged_days,
            }
        })
        .collect();

    // Targets: days scanned, gaps, collections not read.
    let mut targets = Vec::new();
    let names: BTreeSet<&str> = all_scans
        .iter()
        .filter(|s| selected(&s.target))
        .map(|s| s.target.as_str())
        .collect();
    let mut last_day: BTreeMap<&str, i64> = BTreeMap::new();
    for t in &names {
        let mine: Vec<_> = scans.iter().filter(|s| s.target == *t).collect();
        let days: BTreeSet<i64> = last_of_day
            .keys()
            .filter(|(_, x)| x == t)
            .map(|(d, _)| *d)
            .collect();
        if let Some(d) = days.iter().next_back() {
            last_day.insert(t, *d);
        }
        let missing: Vec<i64> = (opts.from..=opts.to)
            .filter(|d| !days.contains(d))
            .collect();
        let mut not_read: BTreeMap<String, usize> = BTreeMap::new();
        for s in &mine {
            for e in index.not_read(&s.key)? {
                *not_read.entry(e).or_default() += 1;
            }
        }
        let mut commits: Vec<String> = Vec::new();
        for c in mine.iter().filter_map(|s| s.commit.clone()) {
            if commits.last() != Some(&c) {
                commits.push(c);
            }
        }
        targets.push(TargetRow {
            target: t.to_string(),
            scans: mine.len(),
            days_scanned: days.len(),
            gaps: ranges(&missing),
            not_read: not_read.into_iter().collect(),
            commits,
        });
    }

    let mut exceptions = Vec::new();
    for f in index.findings(&from_t, &to_t)? {
        if !selected(&f.target) {
            continue;
        }
        let first = day::of_time(&f.first_seen)?;
        let end = match &f.resolved {
            Some(r) => day::of_time(r)?,
            None => last_day.get(f.target.as_str()).copied().unwrap_or(opts.to),
        };
        let days_open = (end - first).max(0);
        let sla_days = opts.sla.days(&f.severity);
        let within = days_open <= i64::from(sla_days);
        let sla = match (f.resolved.is_some(), within) {
            (true, true) => SlaVerdict::Met,
            (true, false) => SlaVerdict::Breached,
            (false, true) => SlaVerdict::Open,
            (false, false) => SlaVerdict::OpenBreached,
        };
        exceptions.push(Exception {
            target: f.target,
            rule_id: f.rule_id,
            title: f.title,
            resource: f.resource,
            severity: f.severity,
            fingerprint: f.fingerprint,
            message: f.message,
            first_seen: day::format(first),
            resolved: f
                .resolved
                .as_deref()
                .map(|r| r.get(..10).unwrap_or(r).to_string()),
            resolution: f.resolution,
            days_open,
            sla_days,
            sla,
        });
    }
    let accepted: Vec<ExceptionInterval> = index
        .exceptions(&from_t, &to_t)?
        .into_iter()
        .filter(|e| selected(&e.target))
        .collect();

    let dirs: BTreeSet<String> = names.iter().map(|t| object::target_dir(t)).collect();
    let in_scope_key = |key: &str| {
        opts.targets.is_empty()
            || object::Key::parse(key).is_none_or(|k| dirs.contains(&k.target_dir))
    };
    let objects: Vec<UsedObject> = verified
        .objects
        .iter()
        .filter(|c| in_scope_key(&c.key) && c.scan_time >= from_t && c.scan_time <= to_t)
        .map(|c| UsedObject {
            key: c.key.clone(),
            hash: c.hash.clone(),
            scan_time: c.scan_time.clone(),
            intact: c.header.is_some(),
        })
        .collect();
    let problems: Vec<Problem> = verified
        .problems
        .iter()
        .filter(|p| in_scope_key(&p.key))
        .cloned()
        .collect();
    Ok(PeriodReport {
        from: day::format(opts.from),
        to: day::format(opts.to),
        dates,
        store: opts.store.clone(),
        sla: opts.sla,
        targets,
        criteria,
        exceptions,
        accepted,
        integrity: Integrity {
            chain_verified: problems.is_empty(),
            objects,
            problems,
        },
    })
}
