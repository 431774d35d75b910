//! The period report as JSON (versioned), Markdown, CSV (criterion × day) and one
//! self-contained HTML file (inline style, no script, no external resource).

use serde_json::{json, Value};

use super::{DayStatus, PeriodReport};

/// Version of the period report's JSON form.
pub const JSON_VERSION: &str = "1";

fn pct(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_string(), |s| format!("{:.1}%", s * 100.0))
}

/// The versioned JSON form (documented in `docs/evidence.md`).
pub fn to_json(r: &PeriodReport) -> String {
    let criteria: Vec<Value> = r
        .criteria
        .iter()
        .map(|c| {
            let days: serde_json::Map<String, Value> = r
                .dates
                .iter()
                .zip(&c.days)
                .map(|(d, s)| (d.clone(), json!(s)))
                .collect();
            json!({
                "id": c.id,
                "title": c.title,
                "passed_days": c.passed_days,
                "judged_days": c.judged_days,
                "share_passed": c.share_passed(),
                "days": days,
            })
        })
        .collect();
    let doc = json!({
        "kind": "soc2scan-evidence-report",
        "version": JSON_VERSION,
        "period": { "from": r.from, "to": r.to, "days": r.dates.len() },
        "store": r.store,
        "sla_days": r.sla,
        "targets": r.targets.iter().map(|t| json!({
            "target": t.target,
            "scans": t.scans,
            "days_scanned": t.days_scanned,
            "gaps": t.gaps,
            "not_read": t.not_read.iter().map(|(e, n)| json!({"entry": e, "scans": n})).collect::<Vec<_>>(),
            "commits": t.commits,
        })).collect::<Vec<_>>(),
        "criteria": criteria,
        "exceptions": r.exceptions,
        "accepted_exceptions": r.accepted,
        "integrity": r.integrity,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn letter(s: DayStatus) -> char {
    match s {
        DayStatus::Passed => 'P',
        DayStatus::Failed => 'F',
        DayStatus::NotEvaluated => 'N',
        DayStatus::Manual => 'M',
        DayStatus::NoScan => '·',
    }
}

/// Markdown: summary, targets, criteria with a one-character-per-day timeline,
/// exceptions, accepted exceptions, integrity.
pub fn render_markdown(r: &PeriodReport) -> String {
    let mut s = format!(
        "# SOC 2 evidence: {} to {}\n\nStore: `{}` · {} days · chain {}\n",
        r.from,
        r.to,
        md(&r.store),
        r.dates.len(),
        if r.integrity.chain_verified {
            "verified"
        } else {
            "**NOT verified**"
        }
    );
    s.push_str("\n## Targets\n\n| Target | Scans | Days scanned | Gaps (no scan) | Not read |\n|---|---|---|---|---|\n");
    for t in &r.targets {
        s.push_str(&format!(
            "| {} | {} | {} of {} | {} | {} |\n",
            md(&t.target),
            t.scans,
            t.days_scanned,
            r.dates.len(),
            if t.gaps.is_empty() {
                "none".to_string()
            } else {
                t.gaps.join(", ")
            },
            md(&t
                .not_read
                .iter()
                .map(|(e, n)| format!("{e} ({n} scans)"))
                .collect::<Vec<_>>()
                .join("; "))
        ));
    }
    s.push_str(
        "\n## Criteria\n\nTimeline: one character per day from the first day: P passed, \
         F failed, N not evaluated, M manual, · no scan.\n\n\
         | Criterion | Passed (of judged days) | Timeline |\n|---|---|---|\n",
    );
    for c in &r.criteria {
        s.push_str(&format!(
            "| {} {} | {} ({} of {}) | `{}` |\n",
            c.id,
            md(&c.title),
            pct(c.share_passed()),
            c.passed_days,
            c.judged_days,
            c.days.iter().map(|d| letter(*d)).collect::<String>()
        ));
    }
    s.push_str(&format!(
        "\n## Exceptions\n\nSLA (days to fix): critical {}, high {}, medium {}, low {}.\n\n",
        r.sla.critical, r.sla.high, r.sla.medium, r.sla.low
    ));
    if r.exceptions.is_empty() {
        s.push_str("None.\n");
    } else {
        s.push_str("| Target | Severity | Rule | Resource | First seen | Resolved | Days open | SLA |\n|---|---|---|---|---|---|---|---|\n");
        for e in &r.exceptions {
            s.push_str(&format!(
                "| {} | {} | {} | `{}` | {} | {} | {} | {} |\n",
                md(&e.target),
                e.severity,
                e.rule_id,
                md(&e.resource),
                e.first_seen,
                match (&e.resolved, &e.resolution) {
                    (Some(d), Some(how)) => format!("{d} ({how})"),
                    (Some(d), None) => d.clone(),
                    _ => "open".to_string(),
                },
                e.days_open,
                e.sla.label()
            ));
        }
    }
    s.push_str("\n## Accepted exceptions\n\n");
    if r.accepted.is_empty() {
        s.push_str("None.\n");
    } else {
        s.push_str("| Target | Rule | Resource | Reason | Accepted by | Until | Written in | Active |\n|---|---|---|---|---|---|---|---|\n");
        for a in &r.accepted {
            s.push_str(&format!(
                "| {} | {} | `{}` | {} | {} | {} | {} | {} to {} |\n",
                md(&a.target),
                a.rule_id,
                md(&a.resource),
                md(&a.reason),
                md(a.accepted_by.as_deref().unwrap_or("–")),
                a.until.as_deref().unwrap_or("–"),
                md(&a.location),
                &a.first_seen[..10.min(a.first_seen.len())],
                a.ended
                    .as_deref()
                    .map(|e| e.get(..10).unwrap_or(e).to_string())
                    .unwrap_or_else(|| "still active".into())
            ));
        }
    }
    s.push_str(&format!(
        "\n## Integrity\n\n{} objects in the period; chain {}.\n",
        r.integrity.objects.len(),
        if r.integrity.chain_verified {
            "verified"
        } else {
            "NOT verified"
        }
    ));
    for p in &r.integrity.problems {
        s.push_str(&format!(
            "- **{}** `{}`: {}\n",
            p.kind.label(),
            p.key,
            md(&p.message)
        ));
    }
    s.push_str("\n| Scan time | Object | Hash | Intact |\n|---|---|---|---|\n");
    for o in &r.integrity.objects {
        s.push_str(&format!(
            "| {} | `{}` | `{}` | {} |\n",
            o.scan_time,
            o.key,
            o.hash,
            if o.intact { "yes" } else { "**no**" }
        ));
    }
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV: one row per criterion and day (`criterion,title,date,status`).
pub fn render_csv(r: &PeriodReport) -> String {
    let mut s = String::from("criterion,title,date,status\n");
    for c in &r.criteria {
        for (d, st) in r.dates.iter().zip(&c.days) {
            s.push_str(&format!(
                "{},{},{},{}\n",
                csv_field(&c.id),
                csv_field(&c.title),
                d,
                st.label()
            ));
        }
    }
    s
}

/// CSV of the period's exceptions, one row each: the findings present during the period
/// (`kind` = `finding`, with first seen, resolution, days open and SLA verdict) and the
/// accepted exceptions active in it (`kind` = `accepted`, with reason, who accepted it,
/// expiry and where it is written). The table an auditor filters and samples.
pub fn render_exceptions_csv(r: &PeriodReport) -> String {
    let mut s = String::from(
        "kind,target,rule,resource,severity,first_seen,resolved,resolution,days_open,sla_days,sla,reason,accepted_by,until,written_in,fingerprint\n",
    );
    let row = |s: &mut String, cells: &[&str]| {
        let cells: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        s.push_str(&cells.join(","));
        s.push('\n');
    };
    for e in &r.exceptions {
        row(
            &mut s,
            &[
                "finding",
                &e.target,
                &e.rule_id,
                &e.resource,
                &e.severity,
                &e.first_seen,
                e.resolved.as_deref().unwrap_or(""),
                e.resolution.as_deref().unwrap_or("open"),
                &e.days_open.to_string(),
                &e.sla_days.to_string(),
                e.sla.label(),
                "",
                "",
                "",
                "",
                &e.fingerprint,
            ],
        );
    }
    for a in &r.accepted {
        let day = |t: &str| t.get(..10).unwrap_or(t).to_string();
        row(
            &mut s,
            &[
                "accepted",
                &a.target,
                &a.rule_id,
                &a.resource,
                &a.severity,
                &day(&a.first_seen),
                &a.ended.as_deref().map(day).unwrap_or_default(),
                if a.ended.is_some() { "ended" } else { "active" },
                "",
                "",
                "",
                &a.reason,
                a.accepted_by.as_deref().unwrap_or(""),
                a.until.as_deref().unwrap_or(""),
                &a.location,
                &a.fingerprint,
            ],
        );
    }
    s
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn css_class(s: DayStatus) -> &'static str {
    match s {
        DayStatus::Passed => "p",
        DayStatus::Failed => "f",
        DayStatus::NotEvaluated => "n",
        DayStatus::Manual => "m",
        DayStatus::NoScan => "x",
    }
}

/// One self-contained HTML file for an auditor: summary, criterion × day timeline,
/// exceptions, accepted exceptions, targets and integrity. No script, no external
/// resource.
pub fn render_html(r: &PeriodReport) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!(
        "<title>SOC 2 evidence {} to {}</title>",
        esc(&r.from),
        esc(&r.to)
    ));
    h.push_str(
        "<style>body{font-family:sans-serif;margin:2em;color:#222}\
         table{border-collapse:collapse;margin:1em 0}\
         td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left}\
         table.tl td{width:8px;padding:0;height:16px}\
         .p{background:#3a3}.f{background:#d33}.n{background:#eb3}.m{background:#bbb}.x{background:#fff}\
         .bad{color:#c00;font-weight:bold}.ok{color:#070}</style></head><body>\n",
    );
    h.push_str(&format!(
        "<h1>SOC 2 evidence: {} to {}</h1>\n<p id=\"summary\">Store <code>{}</code> · {} days · {} criteria · {} exceptions · chain <span class=\"{}\" id=\"chain\">{}</span></p>\n",
        esc(&r.from),
        esc(&r.to),
        esc(&r.store),
        r.dates.len(),
        r.criteria.len(),
        r.exceptions.len(),
        if r.integrity.chain_verified { "ok" } else { "bad" },
        if r.integrity.chain_verified { "verified" } else { "NOT verified" }
    ));
    h.push_str("<h2>Criteria</h2>\n<p>Legend: <span class=\"p\">&nbsp;&nbsp;</span> passed <span class=\"f\">&nbsp;&nbsp;</span> failed <span class=\"n\">&nbsp;&nbsp;</span> not evaluated <span class=\"m\">&nbsp;&nbsp;</span> manual <span class=\"x\">&nbsp;&nbsp;</span> no scan</p>\n<table class=\"tl\" id=\"timeline\"><tr><th>Criterion</th><th>Passed</th>");
    for d in &r.dates {
        h.push_str(&format!("<th title=\"{0}\"></th>", esc(d)));
    }
    h.push_str("</tr>\n");
    for c in &r.criteria {
        h.push_str(&format!(
            "<tr data-criterion=\"{}\"><th>{} {}</th><th>{}</th>",
            esc(&c.id),
            esc(&c.id),
            esc(&c.title),
            pct(c.share_passed())
        ));
        for (d, s) in r.dates.iter().zip(&c.days) {
            h.push_str(&format!(
                "<td class=\"{}\" title=\"{} {}\"></td>",
                css_class(*s),
                esc(d),
                s.label()
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n<h2>Exceptions</h2>\n");
    h.push_str(&format!(
        "<p>SLA (days to fix): critical {}, high {}, medium {}, low {}.</p>\n",
        r.sla.critical, r.sla.high, r.sla.medium, r.sla.low
    ));
    h.push_str("<table id=\"exceptions\"><tr><th>Target</th><th>Severity</th><th>Rule</th><th>Resource</th><th>First seen</th><th>Resolved</th><th>Days open</th><th>SLA</th></tr>\n");
    for e in &r.exceptions {
        let resolved = match (&e.resolved, &e.resolution) {
            (Some(d), Some(how)) => format!("{d} ({how})"),
            (Some(d), None) => d.clone(),
            _ => "open".to_string(),
        };
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&e.target),
            esc(&e.severity),
            esc(&e.rule_id),
            esc(&e.resource),
            esc(&e.first_seen),
            esc(&resolved),
            e.days_open,
            e.sla.label()
        ));
    }
    h.push_str("</table>\n<h2>Accepted exceptions</h2>\n<table id=\"accepted\"><tr><th>Target</th><th>Rule</th><th>Resource</th><th>Reason</th><th>Accepted by</th><th>Until</th><th>Written in</th><th>First seen</th><th>Ended</th></tr>\n");
    for a in &r.accepted {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&a.target),
            esc(&a.rule_id),
            esc(&a.resource),
            esc(&a.reason),
            esc(a.accepted_by.as_deref().unwrap_or("–")),
            esc(a.until.as_deref().unwrap_or("–")),
            esc(&a.location),
            esc(&a.first_seen),
            esc(a.ended.as_deref().unwrap_or("still active"))
        ));
    }
    h.push_str("</table>\n<h2>Targets</h2>\n<table id=\"targets\"><tr><th>Target</th><th>Scans</th><th>Days scanned</th><th>Gaps</th><th>Not read</th></tr>\n");
    for t in &r.targets {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{} of {}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&t.target),
            t.scans,
            t.days_scanned,
            r.dates.len(),
            esc(&t.gaps.join(", ")),
            esc(&t
                .not_read
                .iter()
                .map(|(e, n)| format!("{e} ({n} scans)"))
                .collect::<Vec<_>>()
                .join("; "))
        ));
    }
    h.push_str("</table>\n<h2>Integrity</h2>\n<ul id=\"problems\">");
    for p in &r.integrity.problems {
        h.push_str(&format!(
            "<li class=\"bad\">{} <code>{}</code>: {}</li>",
            p.kind.label(),
            esc(&p.key),
            esc(&p.message)
        ));
    }
    h.push_str("</ul>\n<table id=\"objects\"><tr><th>Scan time</th><th>Object</th><th>Hash</th><th>Intact</th></tr>\n");
    for o in &r.integrity.objects {
        h.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>\n",
            esc(&o.scan_time),
            esc(&o.key),
            esc(&o.hash),
            if o.intact {
                "yes"
            } else {
                "<span class=\"bad\">no</span>"
            }
        ));
    }
    h.push_str("</table>\n</body></html>\n");
    h
}
