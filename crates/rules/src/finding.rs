//! Check results: findings, passes and not-evaluated records, with severity and fingerprint.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::Origin;

/// Severity of a rule. Ordered: `Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Hardening; little direct exposure.
    Low,
    /// Weakens a control; exploitable with other weaknesses.
    Medium,
    /// A control is missing on sensitive data or a privileged path.
    High,
    /// Direct exposure of data or full compromise (world-open admin access, `*:*`).
    Critical,
}

impl std::str::FromStr for Severity {
    type Err = String;

    /// Parses a lower-case severity name (`low`, `medium`, `high`, `critical`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                format!("unknown severity {s:?} (expected low, medium, high or critical)")
            })
    }
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// GitHub code scanning's `security-severity` score (critical ≥ 9.0, high 7–8.9,
    /// medium 4–6.9, low 0.1–3.9).
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Low => "3.0",
            Severity::Medium => "5.5",
            Severity::High => "8.0",
            Severity::Critical => "9.5",
        }
    }

    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a check concluded about one resource (or attribute).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// The resource breaks the rule.
    Fail {
        /// What is wrong, in one sentence (no secret values).
        message: String,
    },
    /// The resource satisfies the rule.
    Pass,
    /// The rule needs a value the scanner cannot know.
    NotEvaluated {
        /// Why (e.g. "variable \"kms\" has no value").
        reason: String,
    },
}

/// Why a finding does not count: an inline comment or a configured exception.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Suppression {
    /// The justification given (required).
    pub reason: String,
    /// Expiry date (`YYYY-MM-DD`), if any.
    pub until: Option<String>,
    /// Who accepted the exception (a person, team or ticket), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_by: Option<String>,
    /// Where the suppression is written (`file:line`).
    pub location: String,
    /// Whether it is written next to the code or in the project policy file.
    pub kind: SuppressionKind,
}

/// Where a suppression is written (SARIF `suppression.kind`).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// A `soc2scan:ignore` comment in the scanned source.
    #[default]
    InSource,
    /// A `[[suppress]]` entry of the project policy file (`.soc2scan.toml`).
    External,
}

impl SuppressionKind {
    /// SARIF's name for it (`inSource`, `external`).
    pub fn sarif_kind(self) -> &'static str {
        match self {
            SuppressionKind::InSource => "inSource",
            SuppressionKind::External => "external",
        }
    }

    /// Stable lower-case name used in JSON (`in-source`, `external`).
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::InSource => "in-source",
            SuppressionKind::External => "external",
        }
    }
}

/// One check result: a rule applied to one resource (and attribute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Rule id (`AWS-S3-001`).
    pub rule_id: &'static str,
    /// Outcome.
    pub outcome: Outcome,
    /// Resource address or ARN.
    pub resource: Arc<str>,
    /// Resource type (`aws_s3_bucket`).
    pub resource_type: Arc<str>,
    /// Attribute path the result is about (empty for the resource as a whole).
    pub attribute: Arc<str>,
    /// Where to point: the attribute's lines, or the resource block's when the attribute is missing.
    pub location: Origin,
    /// Where the whole resource is declared.
    pub resource_location: Origin,
    /// Stable identity: hash of rule id, scope (Terraform root module directory), resource
    /// address and attribute path (no line numbers), see [`fingerprint`].
    pub fingerprint: String,
    /// Set when the finding is suppressed.
    pub suppression: Option<Suppression>,
    /// SOC 2 criteria this result gives evidence for beyond its rule's mapping (in
    /// `rules/soc2.toml`), in catalog order: a `DRIFT-001` result carries the criteria
    /// of the rules that read the drifted field's collection. Empty for most results;
    /// reporters show and count the rule's criteria followed by these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_criteria: Vec<String>,
}

impl CheckResult {
    /// Whether this is a failing (possibly suppressed) result.
    pub fn is_fail(&self) -> bool {
        matches!(self.outcome, Outcome::Fail { .. })
    }

    /// Sort key: file, line, rule, resource, attribute (deterministic output).
    pub fn sort_key(&self) -> (Option<&str>, u32, &str, &str, &str) {
        (
            self.location.file(),
            self.location.line().unwrap_or(0),
            self.rule_id,
            &self.resource,
            &self.attribute,
        )
    }
}

/// Sorts results as every report lists them: by file, line, rule, resource and
/// attribute ([`CheckResult::sort_key`]), then outcome. The sort is stable: results
/// equal in all of these keep their order.
pub fn sort_results(results: &mut [CheckResult]) {
    results.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.outcome.cmp(&b.outcome))
    });
}

/// The one place fingerprints are computed: a hash of the rule id, the resource's scope
/// (see [`crate::model::ResourceMeta::scope`]: the Terraform root module directory,
/// relative to the repository root so it does not depend on the working directory), its
/// address and the attribute path — never line numbers or file names, so a finding keeps
/// its identity when lines move, the file is reformatted or a file is renamed within its
/// module, while the same address in two root modules gives two identities. Moving a
/// whole root module to another directory changes them.
///
/// Format: the first 16 bytes of SHA-256, in lower-case hex, over the fields separated
/// by NUL bytes. An empty scope is left out of the hash (`rule\0address\0attribute`),
/// so identities of resources whose address is unique on its own (ARNs, Kubernetes
/// objects) do not depend on it.
pub fn fingerprint(rule_id: &str, scope: &str, resource: &str, attribute: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    if !scope.is_empty() {
        h.update(scope.as_bytes());
        h.update([0]);
    }
    h.update(resource.as_bytes());
    h.update([0]);
    h.update(attribute.as_bytes());
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_depends_on_identity_only() {
        let a = fingerprint("AWS-S3-001", "infra", "aws_s3_bucket.b", "sse");
        assert_eq!(
            a,
            fingerprint("AWS-S3-001", "infra", "aws_s3_bucket.b", "sse")
        );
        assert_ne!(
            a,
            fingerprint("AWS-S3-002", "infra", "aws_s3_bucket.b", "sse")
        );
        assert_ne!(
            a,
            fingerprint("AWS-S3-001", "infra", "aws_s3_bucket.c", "sse")
        );
        assert_ne!(
            a,
            fingerprint("AWS-S3-001", "infra", "aws_s3_bucket.b", "acl")
        );
        assert_ne!(
            a,
            fingerprint("AWS-S3-001", "infra/prod", "aws_s3_bucket.b", "sse"),
            "the same address in another root module is another resource"
        );
        assert_ne!(
            fingerprint("A", "", "bc", ""),
            fingerprint("A", "", "b", "c"),
            "fields are separated"
        );
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn unscoped_format_is_stable() {
        // SHA-256 of "AWS-S3-001\0aws_s3_bucket.b\0sse", first 16 bytes: baselines of
        // resources without a scope keep matching.
        let mut h = Sha256::new();
        h.update(b"AWS-S3-001\0aws_s3_bucket.b\0sse");
        let expected: String = h.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            fingerprint("AWS-S3-001", "", "aws_s3_bucket.b", "sse"),
            expected
        );
    }

    #[test]
    fn severities_order_and_scores() {
        assert!(Severity::Low < Severity::Critical);
        for s in Severity::ALL {
            let score: f64 = s.security_severity().parse().unwrap();
            let ok = match s {
                Severity::Critical => score >= 9.0,
                Severity::High => (7.0..9.0).contains(&score),
                Severity::Medium => (4.0..7.0).contains(&score),
                Severity::Low => (0.1..4.0).contains(&score),
            };
            assert!(ok, "{s} {score}");
        }
    }
}
