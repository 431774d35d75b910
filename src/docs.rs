//! Generates the rule reference (`docs/rules.md`) from the rules' own documentation
//! and the SOC 2 mapping, so the reference can never drift from the code.

use crate::controls::Controls;
use crate::rules::{self, Family};

/// The Markdown rule reference.
pub fn rules_reference(controls: &Controls) -> String {
    let all = rules::all();
    let mut s = String::from(
        "# Rule reference\n\n\
         Generated from the rules' documentation (`crates/rules/src/rules/`) and the SOC 2 mapping\n\
         (`rules/soc2.toml`) by `SOC2SCAN_BLESS=1 cargo test --test docs`; do not edit by hand.\n\n",
    );
    s.push_str(&format!("{} rules.\n\n", all.len()));
    s.push_str(
        "| id | slug | severity | family | SOC 2 criteria | title |\n|---|---|---|---|---|---|\n",
    );
    for r in &all {
        let m = r.meta();
        s.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} | {} |\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.slug,
            m.severity,
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
            if let Some(map) = controls.mapping.get(m.id) {
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
