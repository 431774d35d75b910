//! RBAC: Roles and ClusterRoles with their rules, RoleBindings and ClusterRoleBindings
//! with their role reference and subjects.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::objects::ObjectInfo;
use crate::model::{Origin, Value};

/// One entry of a role's `rules`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PolicyRule {
    /// Attribute path (`rules[0]`).
    pub path: Arc<str>,
    /// Where the rule is written.
    pub origin: Origin,
    /// `verbs`; `Defaulted(empty)` when not written.
    pub verbs: Value<Vec<String>>,
    /// `resources`; `Defaulted(empty)` when not written.
    pub resources: Value<Vec<String>>,
    /// `apiGroups`.
    pub api_groups: Vec<String>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<String>,
}

/// A Role or ClusterRole.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Role {
    /// Identity (`object.kind` tells Role from ClusterRole).
    pub object: ObjectInfo,
    /// `rules`.
    pub rules: Vec<PolicyRule>,
}

/// One subject of a binding.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Subject {
    /// `kind`: `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `namespace` (service accounts).
    pub namespace: Option<String>,
    /// Where the subject is written.
    pub origin: Origin,
    /// Attribute path (`subjects[ServiceAccount:kube-system/tiller]`).
    pub path: Arc<str>,
}

impl Subject {
    /// Whether the subject is one of Kubernetes' own (`system:` users and groups such as
    /// `system:masters` or `system:serviceaccounts`).
    pub fn is_system(&self) -> bool {
        matches!(self.kind.as_str(), "User" | "Group") && self.name.starts_with("system:")
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Binding {
    /// Identity (`object.kind` tells RoleBinding from ClusterRoleBinding).
    pub object: ObjectInfo,
    /// `roleRef.kind` (`ClusterRole` or `Role`).
    pub role_kind: String,
    /// `roleRef.name`, pointing at the `roleRef` block.
    pub role_name: Value<String>,
    /// `subjects`.
    pub subjects: Vec<Subject>,
}
