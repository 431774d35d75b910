//! Kubernetes kinds a live cluster did not let the scan list (recorded in the model's
//! coverage), turned into results: one *not evaluated* record per rule that reads the
//! kind's collection and per denied kind (`ClusterRoleBinding/*`, `Pod/web/*`), so the
//! report names the kind rather than the whole collection. Which rules read which
//! collection is found in their source ([`crate::rules::reads`]); rules that judge an
//! object by the absence of others ask the model themselves
//! ([`Model::k8s_unlisted`](crate::model::Model::k8s_unlisted)).

use std::sync::Arc;

use crate::denied::Denied;
use crate::finding::{fingerprint, CheckResult, Outcome};
use crate::model::k8s::K8sModel;
use crate::model::{Model, Origin};
use crate::rules::Rule;

/// One not-evaluated record per selected rule that reads the collection of a kind the
/// cluster did not let the scan list, and per such kind.
pub fn denied_kinds(model: &Model, rules: &[&'static dyn Rule]) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for (context, d) in model.coverage.denied_kinds() {
        let Some(collection) = K8sModel::collection_of_kind(&d.kind) else {
            continue;
        };
        for rule in rules {
            if crate::rules::reads(*rule).contains(&collection) {
                out.push(kind_record(rule.meta().id, d, context));
            }
        }
    }
    out
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
        extra_criteria: Vec::new(),
    }
}

fn cluster_scoped(kind: &str) -> bool {
    matches!(kind, "Namespace" | "ClusterRole" | "ClusterRoleBinding")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn denied(kind: &'static str, namespace: Option<&str>) -> Denied {
        Denied {
            kind: kind.into(),
            namespace: namespace.map(str::to_string),
            status: Some(403),
            path: format!("/x/{kind}"),
            message: "forbidden".into(),
        }
    }

    #[test]
    fn a_denied_kind_gives_one_record_per_rule_that_reads_its_collection() {
        let mut model = Model::default();
        model.coverage.deny_kind("prod", denied("Pod", Some("web")));
        model
            .coverage
            .deny_kind("prod", denied("ClusterRoleBinding", None));
        let rules: Vec<&'static dyn Rule> = ["K8S-NET-003", "K8S-RBAC-001", "AWS-S3-001"]
            .iter()
            .map(|id| crate::rules::find(id).unwrap())
            .collect();
        let summary: Vec<(&str, String)> = denied_kinds(&model, &rules)
            .iter()
            .map(|r| (r.rule_id, r.resource.to_string()))
            .collect();
        // NET-003 reads workloads (their namespaces), RBAC-001 bindings; the S3 rule
        // reads neither.
        assert_eq!(
            summary,
            vec![
                ("K8S-NET-003", "Pod/web/*".to_string()),
                ("K8S-RBAC-001", "ClusterRoleBinding/*".to_string()),
            ]
        );
        let r = &denied_kinds(&model, &rules)[1];
        assert!(matches!(
            &r.location,
            Origin::Cluster { context, kind, namespace: None, name }
                if &**context == "prod" && &**kind == "ClusterRoleBinding" && &**name == "*"
        ));
        // The coverage table shows the collection as denied in the scope.
        assert!(model
            .coverage
            .is_denied_kind("kubernetes:prod/web", "k8s.workloads"));
        assert!(model
            .coverage
            .is_denied_kind("kubernetes:prod", "k8s.bindings"));
        assert!(!model
            .coverage
            .is_denied_kind("kubernetes:prod", "k8s.workloads"));
    }

    #[test]
    fn nothing_denied_gives_nothing() {
        let rules: Vec<&'static dyn Rule> = crate::rules::all().to_vec();
        assert!(denied_kinds(&Model::default(), &rules).is_empty());
    }
}
