//! Generates the rule reference (`docs/rules.md`) from the rules' own documentation
//! and the SOC 2 mapping, so the reference can never drift from the code.

use crate::controls::Controls;
use crate::level::Level;
use crate::rules::{self, Family};

/// The Markdown rule reference.
pub fn rules_reference(controls: &Controls) -> String {
    let all = rules::all();
    let mut s = String::from(
        "# Rule reference\n\n\
         Generated from the rules' documentation (`crates/rules/src/rules/`) and the SOC 2 mapping\n\
         (`rules/soc2.toml`) by `SOC2SCAN_BLESS=1 cargo test --test docs`; do not edit by hand.\n\n",
    );
    let strict = all
        .iter()
        .filter(|r| controls.level_of(r.meta().id) == Level::Strict)
        .count();
    s.push_str(&format!(
        "{} rules: {} baseline, {} strict. A scan at `--level baseline` (the default) runs the \
         baseline rules; `--level strict` runs both (see [Levels](../README.md#levels)).\n\n",
        all.len(),
        all.len() - strict,
        strict
    ));
    s.push_str(
        "| id | slug | severity | level | family | SOC 2 criteria | title |\n|---|---|---|---|---|---|---|\n",
    );
    for r in &all {
        let m = r.meta();
        s.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} | {} | {} |\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.slug,
            m.severity,
            controls.level_of(m.id),
            m.family,
            controls.criteria_of(m.id).join(", "),
            m.title
        ));
    }
    for fam in Family::ALL {
        let members: Vec<_> = all.iter().filter(|r| r.meta().family == fam).collect();
        if members.is_empty() {
            continue;
        }
        s.push_str(&format!("\n## Family: {}\n", fam.slug()));
        for r in members {
            let m = r.meta();
            s.push_str(&format!("\n### {}\n\n", m.id));
            s.push_str(&format!(
                "**{}** · slug `{}` · severity {} · SOC 2: {}\n\n",
                m.title,
                m.slug,
                m.severity,
                controls.criteria_of(m.id).join(", ")
            ));
            let mapping = controls.mapping.get(m.id);
            s.push_str(&level_line(mapping));
            s.push('\n');
            if let Some(map) = mapping {
                s.push_str(&format!("Mapping rationale: {}\n\n", map.rationale));
            }
            // Demote the rule's own headings one level below the rule heading.
            for line in m.documentation().lines() {
                if line.starts_with('#') {
                    s.push_str("##");
                }
                s.push_str(line);
                s.push('\n');
            }
        }
    }
    s
}

/// `Level: strict — why` (or `Level: baseline`), the line `explain` and the rule
/// reference print.
pub fn level_line(mapping: Option<&crate::controls::Mapping>) -> String {
    match mapping {
        Some(m) => match &m.level_reason {
            Some(reason) => format!("Level: {} — {}\n", m.level, reason),
            None => format!("Level: {}\n", m.level),
        },
        None => "Level: baseline\n".to_string(),
    }
}
