//! Amazon Redshift provisioned clusters and their parameter groups.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::aws::rds::{DbParameter, ParameterGroupRef};
use crate::model::{ResourceMeta, Value};

/// A Redshift cluster (`aws_redshift_cluster`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RedshiftCluster {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// `encrypted`; `Defaulted(false)`: the provider's default before version 6.0 (written
    /// to the API explicitly, so the cluster is created unencrypted); version 6.0 changed
    /// the default to `true`, which the configuration does not show.
    pub encrypted: Value<bool>,
    /// `kms_key_id`; `Defaulted(None)` (the AWS managed key `aws/redshift`).
    pub kms_key: Value<Option<String>>,
    /// `automated_snapshot_retention_period` in days; `Defaulted(1)` (provider docs:
    /// "Default is 1"); 0 disables automated snapshots.
    pub snapshot_retention_days: Value<i64>,
    /// `publicly_accessible`; `Defaulted(false)`: the default since AWS provider 5.0
    /// (provider docs and upgrade guide; versions before 5.0 defaulted to `true`).
    pub publicly_accessible: Value<bool>,
    /// The parameter group (`cluster_parameter_group_name`): `Defaulted(Default)` when
    /// not written (the `default.redshift-1.0` group, where `require_ssl` and
    /// `enable_user_activity_logging` are `false`).
    pub parameter_group: Value<ParameterGroupRef>,
    /// Whether audit logging (connection and user logs) is on: the inline `logging`
    /// block's `enable`, or an `aws_redshift_logging` for the cluster
    /// (`DescribeLoggingStatus`); `Defaulted(false)` when neither is written.
    pub audit_logging: Value<bool>,
}

/// A Redshift parameter group (`aws_redshift_parameter_group`).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RedshiftParameterGroup {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The parameters whose name is known (names lower-cased).
    pub parameters: Vec<DbParameter>,
    /// Why some parameters are unknown (a `dynamic "parameter"` block that could not be
    /// expanded, a parameter whose name is unknown), if any are.
    pub parameters_unknown: Option<Arc<str>>,
}

impl RedshiftParameterGroup {
    /// The parameter `name` (case-insensitive), if written.
    pub fn parameter(&self, name: &str) -> Option<&DbParameter> {
        self.parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
}

/// Where a cluster's parameter setting comes from and whether it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterSetting {
    /// Whether the parameter is `true` (or `on`, `1`).
    pub is_on: bool,
    /// The group it is read from: `None` for the default group.
    pub group: Option<String>,
    /// The value written in the group, if one is.
    pub written: Option<String>,
}

impl ParameterSetting {
    /// Says where the setting of `name` comes from, as a message prefix.
    pub fn describe(&self, name: &str) -> String {
        match (&self.group, &self.written) {
            (None, _) => {
                format!("the cluster uses the default parameter group, where {name} is false")
            }
            (Some(g), Some(v)) => format!("parameter group {g} sets {name} = {v}"),
            (Some(g), None) => format!("parameter group {g} does not set {name} (default false)"),
        }
    }
}

fn is_on(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "on" | "1")
}

/// The setting of boolean parameter `name` for a Redshift cluster whose
/// `parameter_group` is `group` and links to `linked`: the default group and a group
/// that does not set the parameter leave it `false` (Redshift's default for
/// `require_ssl` and `enable_user_activity_logging`). Unknown when the group is unknown,
/// not in the model, or its parameters cannot all be read; located at the group
/// reference, or at the parameter's value when the group writes it.
pub fn redshift_parameter(
    group: &Value<ParameterGroupRef>,
    linked: Option<&RedshiftParameterGroup>,
    name: &str,
) -> Value<ParameterSetting> {
    let at = |s: ParameterSetting| Value::set(s, group.origin.clone(), group.path.clone());
    let unknown = |r: String| Value::unknown(r, group.origin.clone(), group.path.clone());
    let g = match group.try_known() {
        Ok(g) => g,
        Err(r) => return unknown(r.to_string()),
    };
    match g {
        ParameterGroupRef::Default => at(ParameterSetting {
            is_on: false,
            group: None,
            written: None,
        }),
        ParameterGroupRef::External(n) => unknown(format!(
            "parameter group {n} is not declared in the scanned configuration"
        )),
        ParameterGroupRef::Group(addr) => {
            let Some(pg) = linked else {
                return unknown(format!("parameter group {addr} was not modelled"));
            };
            match pg.parameter(name) {
                Some(p) => match p.value.try_known() {
                    Ok(v) => Value::set(
                        ParameterSetting {
                            is_on: is_on(v),
                            group: Some(addr.clone()),
                            written: Some(v.clone()),
                        },
                        p.value.origin.clone(),
                        p.value.path.clone(),
                    ),
                    Err(r) => {
                        Value::unknown(r.to_string(), p.value.origin.clone(), p.value.path.clone())
                    }
                },
                None => match &pg.parameters_unknown {
                    Some(r) => unknown(r.to_string()),
                    None => at(ParameterSetting {
                        is_on: false,
                        group: Some(addr.clone()),
                        written: None,
                    }),
                },
            }
        }
    }
}
