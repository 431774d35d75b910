//! Which object kinds each Kubernetes rule reads, and what a kind the cluster did not
//! let the scan list (recorded in the model's coverage) does to that rule's results.
//!
//! A rule reads a kind as a **subject** (it checks objects of that kind: a denied
//! kind leaves those objects unchecked, so the rule gets one not-evaluated record for
//! the whole kind) or as a **companion** (it looks for objects of that kind to decide
//! about others: a Namespace "has no NetworkPolicy" only if the NetworkPolicies could be
//! listed, so every pass and finding of the rule becomes not evaluated).

use std::sync::Arc;

use crate::denied::Denied;
use crate::finding::{fingerprint, CheckResult, Outcome};
use crate::model::Origin;

use crate::model::k8s::WORKLOAD_KINDS;

/// What a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reads {
    /// Kinds whose objects the rule checks.
    pub subjects: &'static [&'static str],
    /// More kinds whose objects the rule checks (kept apart so lists can be shared).
    pub more_subjects: &'static [&'static str],
    /// Kinds the rule consults to decide about its subjects.
    pub companions: &'static [&'static str],
}

const fn reads(
    subjects: &'static [&'static str],
    more_subjects: &'static [&'static str],
    companions: &'static [&'static str],
) -> Reads {
    Reads {
        subjects,
        more_subjects,
        companions,
    }
}

/// Every Kubernetes rule and the kinds it reads. A test checks that every registered
/// `K8S-` rule is listed.
const TABLE: &[(&str, Reads)] = &[
    (
        "K8S-AVL-001",
        reads(&["Deployment"], &[], &["HorizontalPodAutoscaler"]),
    ),
    (
        "K8S-AVL-002",
        reads(
            &["Deployment", "StatefulSet"],
            &[],
            &["PodDisruptionBudget", "HorizontalPodAutoscaler"],
        ),
    ),
    ("K8S-AVL-003", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-NET-001", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-NET-002", reads(WORKLOAD_KINDS, &[], &[])),
    (
        "K8S-NET-003",
        reads(WORKLOAD_KINDS, &["Namespace"], &["NetworkPolicy"]),
    ),
    ("K8S-NET-004", reads(&["Service"], &[], &[])),
    ("K8S-NET-005", reads(&["Ingress"], &[], &[])),
    ("K8S-POD-001", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-002", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-003", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-004", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-005", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-006", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-007", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-008", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-009", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-010", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-011", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-012", reads(WORKLOAD_KINDS, &[], &[])),
    ("K8S-POD-013", reads(WORKLOAD_KINDS, &[], &[])),
    (
        "K8S-RBAC-001",
        reads(&["RoleBinding", "ClusterRoleBinding"], &[], &[]),
    ),
    ("K8S-RBAC-002", reads(&["Role", "ClusterRole"], &[], &[])),
    (
        "K8S-RBAC-003",
        reads(WORKLOAD_KINDS, &["ServiceAccount"], &["ServiceAccount"]),
    ),
    ("K8S-SEC-001", reads(WORKLOAD_KINDS, &[], &[])),
];

/// Whether `rule_id` is a Kubernetes rule (the only ones a cluster listing affects).
pub fn is_kubernetes_rule(rule_id: &str) -> bool {
    rule_id.starts_with("K8S-")
}

/// The kinds `rule_id` reads; `None` for rules that are not in the table.
pub fn reads_of(rule_id: &str) -> Option<Reads> {
    TABLE.iter().find(|(id, _)| *id == rule_id).map(|(_, r)| *r)
}

/// How a denied kind affects one rule.
enum Effect {
    /// The rule checks objects of the kind.
    Subject,
    /// The rule consults objects of the kind.
    Companion,
}

fn effect(rule_id: &str, kind: &str) -> Option<Effect> {
    match reads_of(rule_id) {
        Some(r) if r.companions.contains(&kind) => Some(Effect::Companion),
        Some(r) if r.subjects.contains(&kind) || r.more_subjects.contains(&kind) => {
            Some(Effect::Subject)
        }
        Some(_) => None,
        // A Kubernetes rule soc2scan does not know the inputs of may depend on any kind.
        None => Some(Effect::Companion),
    }
}

/// Applies the kinds the cluster did not let the scan list to the results of the
/// selected rules: one not-evaluated record per rule and denied subject kind (its
/// address `Kind/*` or `Kind/namespace/*`), and every pass and finding of a rule whose
/// companion kind is denied turned into not evaluated with the reason. Results stay
/// sorted as the engine sorts them.
pub fn apply_denied(
    results: &mut Vec<CheckResult>,
    rule_ids: &[&'static str],
    denied: &[Denied],
    context: &str,
) {
    if denied.is_empty() {
        return;
    }
    for &rule_id in rule_ids.iter().filter(|id| is_kubernetes_rule(id)) {
        let mut companion_reasons: Vec<String> = Vec::new();
        for d in denied {
            match effect(rule_id, &d.kind) {
                Some(Effect::Subject) => results.push(kind_record(rule_id, d, context)),
                Some(Effect::Companion) => companion_reasons.push(format!(
                    "the rule consults {} objects, which could not be listed: {}",
                    d.kind,
                    d.reason()
                )),
                None => {}
            }
        }
        if companion_reasons.is_empty() {
            continue;
        }
        let reason = companion_reasons.join("; ");
        for r in results.iter_mut().filter(|r| r.rule_id == rule_id) {
            if matches!(r.outcome, Outcome::Pass | Outcome::Fail { .. }) {
                r.outcome = Outcome::NotEvaluated {
                    reason: reason.clone(),
                };
            }
        }
    }
    crate::finding::sort_results(results);
    results.dedup();
}

/// The not-evaluated record of `rule_id` for all objects of a denied kind.
fn kind_record(rule_id: &'static str, d: &Denied, context: &str) -> CheckResult {
    let address: Arc<str> = match (&d.namespace, cluster_scoped(&d.kind)) {
        (_, true) => format!("{}/*", d.kind).into(),
        (Some(ns), false) => format!("{}/{ns}/*", d.kind).into(),
        (None, false) => format!("{}/*/*", d.kind).into(),
    };
    let origin = Origin::Cluster {
        context: context.into(),
        kind: Arc::clone(&d.kind),
        namespace: d.namespace.as_deref().map(Arc::from),
        name: "*".into(),
    };
    CheckResult {
        rule_id,
        outcome: Outcome::NotEvaluated { reason: d.reason() },
        // Kubernetes addresses are unique on their own: an empty scope, as for objects.
        fingerprint: fingerprint(rule_id, "", &address, ""),
        resource: address,
        resource_type: Arc::clone(&d.kind),
        attribute: "".into(),
        location: origin.clone(),
        resource_location: origin,
        suppression: None,
    }
}

fn cluster_scoped(kind: &str) -> bool {
    matches!(kind, "Namespace" | "ClusterRole" | "ClusterRoleBinding")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResourceMeta;
    use crate::rules::{Emitter, RuleMeta};

    #[test]
    fn every_kubernetes_rule_declares_what_it_reads() {
        let missing: Vec<&str> = crate::rules::all()
            .iter()
            .map(|r| r.meta().id)
            .filter(|id| is_kubernetes_rule(id) && reads_of(id).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "add these rules to k8s_live::coverage::TABLE: {missing:?}"
        );
        for (id, _) in TABLE {
            assert!(crate::rules::find(id).is_some(), "{id} is not a rule");
        }
    }

    fn denied(kind: &'static str) -> Denied {
        Denied {
            kind: kind.into(),
            namespace: None,
            status: Some(403),
            path: format!("/x/{kind}"),
            message: "forbidden".into(),
        }
    }

    fn results_of(meta: &'static RuleMeta, outcomes: &[bool]) -> Vec<CheckResult> {
        let mut e = Emitter::new(meta);
        for (i, ok) in outcomes.iter().enumerate() {
            let subject = ResourceMeta::new(
                format!("Namespace/n{i}"),
                "Namespace",
                Origin::Cluster {
                    context: "c".into(),
                    kind: "Namespace".into(),
                    namespace: None,
                    name: format!("n{i}").into(),
                },
            );
            if *ok {
                e.pass(&subject, &subject.origin.clone(), "networkPolicy");
            } else {
                e.fail(
                    &subject,
                    &subject.origin.clone(),
                    "networkPolicy",
                    "no policy",
                );
            }
        }
        e.into_results()
    }

    #[test]
    fn denied_companion_makes_every_result_not_evaluated() {
        let meta = &crate::rules::find("K8S-NET-003").unwrap().meta();
        let mut results = results_of(meta, &[true, false]);
        apply_denied(
            &mut results,
            &["K8S-NET-003", "K8S-POD-001"],
            &[denied("NetworkPolicy")],
            "c",
        );
        assert_eq!(results.len(), 2);
        for r in &results {
            match &r.outcome {
                Outcome::NotEvaluated { reason } => assert!(
                    reason.contains("consults NetworkPolicy objects")
                        && reason.contains("HTTP 403 Forbidden for GET /x/NetworkPolicy"),
                    "{reason}"
                ),
                o => panic!("{o:?}"),
            }
        }
    }

    #[test]
    fn denied_subject_adds_one_record_per_rule_and_keeps_results() {
        let meta = &crate::rules::find("K8S-NET-003").unwrap().meta();
        let mut results = results_of(meta, &[false]);
        let mut d = denied("Pod");
        d.namespace = Some("web".into());
        apply_denied(
            &mut results,
            &["K8S-NET-003", "K8S-RBAC-001", "AWS-S3-001"],
            &[d, denied("ClusterRoleBinding")],
            "prod",
        );
        let summary: Vec<(String, &str, bool)> = results
            .iter()
            .map(|r| {
                (
                    r.rule_id.to_string(),
                    &*r.resource,
                    matches!(r.outcome, Outcome::NotEvaluated { .. }),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("K8S-NET-003".into(), "Namespace/n0", false),
                ("K8S-NET-003".into(), "Pod/web/*", true),
                ("K8S-RBAC-001".into(), "ClusterRoleBinding/*", true),
            ]
        );
        assert!(matches!(
            &results[2].location,
            Origin::Cluster { context, kind, namespace: None, name }
                if &**context == "prod" && &**kind == "ClusterRoleBinding" && &**name == "*"
        ));
    }

    #[test]
    fn nothing_denied_changes_nothing() {
        let meta = &crate::rules::find("K8S-NET-003").unwrap().meta();
        let mut results = results_of(meta, &[true]);
        let before = results.clone();
        apply_denied(&mut results, &["K8S-NET-003"], &[], "c");
        assert_eq!(results, before);
    }
}
