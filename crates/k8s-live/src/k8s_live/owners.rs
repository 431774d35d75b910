//! Objects a controller made from a template the scan already checks: a ReplicaSet of a
//! Deployment, the Pods of a ReplicaSet, StatefulSet or DaemonSet, the Jobs of a
//! CronJob. They carry their owner's pod template, so checking them again would
//! repeat every finding once per replica; they are collapsed into their owner.
//!
//! An object is collapsed only when its controlling owner was itself listed: a Pod
//! whose ReplicaSet could not be listed (a denied kind), or whose owner is a kind the
//! scan does not list (an operator's custom resource, the Node of a static pod), is
//! checked on its own.

use std::collections::HashSet;

use serde_json::Value as Json;

use crate::model::k8s::WORKLOAD_KINDS;

/// The identities of every listed pod-running object.
#[derive(Debug, Default)]
pub struct Owners {
    uids: HashSet<String>,
    names: HashSet<(String, String, String)>,
}

impl Owners {
    /// Indexes `objects` (API objects of any kind; only workload kinds can own).
    pub fn new<'a>(objects: impl IntoIterator<Item = (&'a str, &'a Json)>) -> Self {
        let mut o = Owners::default();
        for (kind, obj) in objects {
            if !WORKLOAD_KINDS.contains(&kind) {
                continue;
            }
            let meta = &obj["metadata"];
            if let Some(uid) = meta["uid"].as_str() {
                o.uids.insert(uid.to_string());
            }
            if let (Some(ns), Some(name)) = (meta["namespace"].as_str(), meta["name"].as_str()) {
                o.names
                    .insert((kind.to_string(), ns.to_string(), name.to_string()));
            }
        }
        o
    }

    /// Whether `obj` is made by a listed workload from that workload's template.
    pub fn is_owned(&self, obj: &Json) -> bool {
        let meta = &obj["metadata"];
        let Some(refs) = meta["ownerReferences"].as_array() else {
            return false;
        };
        let ns = meta["namespace"].as_str().unwrap_or_default();
        // The controlling owner when one is marked; otherwise any owner.
        let controllers: Vec<&Json> = refs
            .iter()
            .filter(|r| r["controller"].as_bool() == Some(true))
            .collect();
        let candidates: Vec<&Json> = if controllers.is_empty() {
            refs.iter().collect()
        } else {
            controllers
        };
        candidates.iter().any(|r| {
            let Some(kind) = r["kind"].as_str() else {
                return false;
            };
            if !WORKLOAD_KINDS.contains(&kind) {
                return false;
            }
            r["uid"].as_str().is_some_and(|uid| self.uids.contains(uid))
                || r["name"].as_str().is_some_and(|name| {
                    self.names
                        .contains(&(kind.to_string(), ns.to_string(), name.to_string()))
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(kind: &str, name: &str, uid: &str, owner: Option<(&str, &str, &str)>) -> Json {
        let mut v =
            json!({"kind": kind, "metadata": {"name": name, "namespace": "web", "uid": uid}});
        if let Some((k, n, u)) = owner {
            v["metadata"]["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": k, "name": n, "uid": u, "controller": true}]);
        }
        v
    }

    #[test]
    fn chains_collapse_only_into_listed_owners() {
        let deploy = obj("Deployment", "api", "u1", None);
        let rs = obj(
            "ReplicaSet",
            "api-7f",
            "u2",
            Some(("Deployment", "api", "u1")),
        );
        let pod = obj(
            "Pod",
            "api-7f-x",
            "u3",
            Some(("ReplicaSet", "api-7f", "u2")),
        );
        let orphan_rs = obj(
            "ReplicaSet",
            "roll-5",
            "u4",
            Some(("Rollout", "roll", "u9")),
        );
        let static_pod = obj("Pod", "etcd-node1", "u5", Some(("Node", "node1", "u8")));
        let lost = obj("Pod", "db-0", "u6", Some(("StatefulSet", "db", "u7")));
        let listed = [
            ("Deployment", &deploy),
            ("ReplicaSet", &rs),
            ("Pod", &pod),
            ("ReplicaSet", &orphan_rs),
            ("Pod", &static_pod),
            ("Pod", &lost),
        ];
        let owners = Owners::new(listed);
        assert!(!owners.is_owned(&deploy));
        assert!(owners.is_owned(&rs));
        assert!(owners.is_owned(&pod));
        assert!(!owners.is_owned(&orphan_rs), "owner kind not listed");
        assert!(!owners.is_owned(&static_pod), "static pods are checked");
        assert!(!owners.is_owned(&lost), "the StatefulSet was not listed");
    }

    #[test]
    fn without_uids_owners_match_by_name() {
        let job = json!({"kind": "Job", "metadata": {"name": "backup-1", "namespace": "ops",
            "ownerReferences": [{"kind": "CronJob", "name": "backup"}]}});
        let cron = json!({"kind": "CronJob", "metadata": {"name": "backup", "namespace": "ops"}});
        let owners = Owners::new([("CronJob", &cron), ("Job", &job)]);
        assert!(owners.is_owned(&job));
        let elsewhere = json!({"kind": "Job", "metadata": {"name": "backup-1", "namespace": "dev",
            "ownerReferences": [{"kind": "CronJob", "name": "backup"}]}});
        assert!(!owners.is_owned(&elsewhere));
    }
}
