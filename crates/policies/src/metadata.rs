//! A policy's metadata: the OPA `# METADATA` annotation block right above its
//! `package` line, a YAML document in comments, with soc2scan's fields under `custom:`.
//!
//! ```rego
//! # METADATA
//! # title: Data stores carry the required tags
//! # description: Every S3 bucket, RDS instance and DynamoDB table has an owner tag.
//! # custom:
//! #   id: CUSTOM-TAGS-001
//! #   severity: medium
//! #   family: data-protection
//! #   criteria: [CC2.1]
//! #   remediation: Add the tags to the resource.
//! package custom.required_tags
//! ```
//!
//! `title` and `description` are OPA's own annotation fields; `id`, `severity`,
//! `family`, `criteria` and `remediation` are required under `custom:`; `level`
//! (`baseline`, the default, or `strict`), `level_reason` (required for strict) and
//! `slug` (default: the file name, `_` as `-`) are optional.

use saphyr::{LoadableYamlNode, Yaml};

use soc2scan_rules::controls::Controls;
use soc2scan_rules::finding::Severity;
use soc2scan_rules::level::Level;
use soc2scan_rules::rules::Family;

use crate::PolicyError;

/// What a policy declares about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Stable id in the custom namespace (`CUSTOM-TAGS-001`).
    pub id: String,
    /// Slug, for `--select` and the listing.
    pub slug: String,
    /// One-line title.
    pub title: String,
    /// Severity.
    pub severity: Severity,
    /// Control family.
    pub family: Family,
    /// SOC 2 criteria (checked against `rules/criteria.toml`).
    pub criteria: Vec<String>,
    /// What the policy checks and why.
    pub description: String,
    /// How to fix a violation.
    pub remediation: String,
    /// Level the policy runs at.
    pub level: Level,
    /// Why a strict policy is hardening rather than a SOC 2 deviation.
    pub level_reason: Option<String>,
    /// 1-based line of the `# METADATA` comment.
    pub line: u32,
}

/// The prefix every custom policy id has: built-in ids start with `AWS-` or `K8S-`.
pub const ID_PREFIX: &str = "CUSTOM-";

/// The `# METADATA` block of `text` (the comment lines after it, without their `#`),
/// with the 1-based line of the `# METADATA` line.
fn block(text: &str) -> Option<(u32, String)> {
    let mut lines = text.lines().enumerate();
    let start = lines
        .by_ref()
        .find(|(_, l)| l.trim() == "# METADATA")
        .map(|(i, _)| i)?;
    let mut yaml = String::new();
    for (_, l) in lines {
        let t = l.trim_start();
        let Some(rest) = t.strip_prefix('#') else {
            break;
        };
        yaml.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        yaml.push('\n');
    }
    Some(((start + 1) as u32, yaml))
}

fn text_of(y: &Yaml<'_>) -> Option<String> {
    if let Some(s) = y.as_str() {
        return Some(s.to_string());
    }
    if let Some(i) = y.as_integer() {
        return Some(i.to_string());
    }
    if let Some(f) = y.as_floating_point() {
        return Some(f.to_string());
    }
    None
}

/// Parses and checks the metadata of the policy in `text` (file `file`, whose stem is
/// `stem`): every required field present, the id in the custom namespace and not a
/// built-in rule's, severity, family and level known, every criterion in the catalog.
pub fn parse(
    file: &str,
    stem: &str,
    text: &str,
    controls: &Controls,
    builtin: &dyn Fn(&str) -> bool,
) -> Result<Metadata, PolicyError> {
    let Some((line, yaml)) = block(text) else {
        return Err(PolicyError::at(
            file,
            1,
            "no `# METADATA` block: a policy declares its id, title, severity, family, criteria, description and remediation in one (see docs/policies.md)",
        ));
    };
    let err = |m: String| PolicyError::at(file, line, m);
    let docs = Yaml::load_from_str(&yaml)
        .map_err(|e| err(format!("the METADATA block is not valid YAML: {e}")))?;
    let Some(doc) = docs.first().filter(|d| d.as_mapping().is_some()) else {
        return Err(err(
            "the METADATA block is empty or not a YAML mapping".into()
        ));
    };
    let custom = doc.as_mapping_get("custom");
    let field = |name: &str, in_custom: bool| -> Option<String> {
        let node = if in_custom {
            custom.and_then(|c| c.as_mapping_get(name))
        } else {
            doc.as_mapping_get(name)
        };
        node.and_then(text_of)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let required = |name: &str, in_custom: bool| -> Result<String, PolicyError> {
        field(name, in_custom).ok_or_else(|| {
            let at = if in_custom {
                format!("custom.{name}")
            } else {
                name.to_string()
            };
            err(format!("METADATA lacks `{at}` (a non-empty string)"))
        })
    };
    let id = required("id", true)?;
    if !id.starts_with(ID_PREFIX)
        || id.len() == ID_PREFIX.len()
        || !id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(format!(
            "custom.id {id:?} must start with {ID_PREFIX} and hold only A-Z, 0-9 and '-' (built-in ids are AWS-… and K8S-…)"
        )));
    }
    if builtin(&id) {
        return Err(err(format!("custom.id {id} is the id of a built-in rule")));
    }
    let title = required("title", false)?;
    let description = required("description", false)?;
    let remediation = required("remediation", true)?;
    let severity: Severity = required("severity", true)?.parse().map_err(err)?;
    let family_name = required("family", true)?;
    let family = Family::ALL
        .into_iter()
        .find(|f| f.slug() == family_name)
        .ok_or_else(|| {
            err(format!(
                "unknown family {family_name:?} (expected one of {})",
                Family::ALL.map(Family::slug).join(", ")
            ))
        })?;
    let criteria: Vec<String> = match custom.and_then(|c| c.as_mapping_get("criteria")) {
        Some(y) if y.as_sequence().is_some() => y
            .as_sequence()
            .into_iter()
            .flatten()
            .filter_map(text_of)
            .collect(),
        Some(y) => text_of(y).into_iter().collect(),
        None => Vec::new(),
    };
    if criteria.is_empty() {
        return Err(err(
            "METADATA lacks `custom.criteria` (a list of SOC 2 criteria, e.g. [CC6.1])".into(),
        ));
    }
    for c in &criteria {
        if controls.criterion(c).is_none() {
            return Err(err(format!(
                "unknown SOC 2 criterion {c:?} (see `soc2scan controls`)"
            )));
        }
    }
    let level: Level = match field("level", true) {
        Some(l) => l.parse().map_err(err)?,
        None => Level::Baseline,
    };
    let level_reason = field("level_reason", true);
    match (level, &level_reason) {
        (Level::Strict, None) => {
            return Err(err(
                "a strict policy needs custom.level_reason (why it is hardening, not a SOC 2 deviation)"
                    .into(),
            ))
        }
        (Level::Baseline, Some(_)) => {
            return Err(err("custom.level_reason is only for strict policies".into()))
        }
        _ => {}
    }
    let slug = field("slug", true).unwrap_or_else(|| stem.replace('_', "-"));
    Ok(Metadata {
        id,
        slug,
        title,
        severity,
        family,
        criteria: criteria
            .iter()
            .map(|c| {
                controls
                    .criterion(c)
                    .map_or_else(|| c.clone(), |k| k.id.clone())
            })
            .collect(),
        description,
        remediation,
        level,
        level_reason,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: CUSTOM-X-001\n#   severity: high\n#   family: network\n#   criteria: [CC6.6]\n#   remediation: R\npackage custom.x\n";

    fn parse_text(text: &str) -> Result<Metadata, PolicyError> {
        let controls = Controls::embedded().unwrap();
        parse("p.rego", "my_policy", text, &controls, &|id| {
            id == "CUSTOM-BUILTIN"
        })
    }

    #[test]
    fn reads_every_field() {
        let m = parse_text(GOOD).unwrap();
        assert_eq!(m.id, "CUSTOM-X-001");
        assert_eq!(m.slug, "my-policy");
        assert_eq!(m.severity, Severity::High);
        assert_eq!(m.family, Family::Network);
        assert_eq!(m.criteria, ["CC6.6"]);
        assert_eq!(m.level, Level::Baseline);
        assert_eq!(m.line, 1);
    }

    #[test]
    fn refuses_what_is_missing_or_wrong() {
        let e = parse_text(&GOOD.replace("#   remediation: R\n", "")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.rego:1: METADATA lacks `custom.remediation` (a non-empty string)"
        );
        let e = parse_text(&GOOD.replace("CC6.6", "CC99.1")).unwrap_err();
        assert!(
            e.to_string().contains("unknown SOC 2 criterion \"CC99.1\""),
            "{e}"
        );
        let e = parse_text(&GOOD.replace("CUSTOM-X-001", "AWS-S3-001")).unwrap_err();
        assert!(e.to_string().contains("must start with CUSTOM-"), "{e}");
        let e = parse_text(&GOOD.replace("CUSTOM-X-001", "CUSTOM-BUILTIN")).unwrap_err();
        assert!(e.to_string().contains("built-in rule"), "{e}");
        let e = parse_text("package x\n").unwrap_err();
        assert!(
            e.to_string().starts_with("p.rego:1: no `# METADATA` block"),
            "{e}"
        );
        let e = parse_text(&GOOD.replace("high", "urgent")).unwrap_err();
        assert!(e.to_string().contains("unknown severity"), "{e}");
    }
}
