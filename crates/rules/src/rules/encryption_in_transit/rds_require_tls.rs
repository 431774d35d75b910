//! AWS-RDS-010: RDS databases refuse connections without TLS.

use crate::model::aws::rds::{DbParameterGroup, ParameterGroupRef};
use crate::model::{Model, Origin, Resolved, ResourceMeta, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// The parameter that forces TLS for an engine, and whether the engine's default
/// parameter group turns it on for `version` (an `engine_version` or a group `family`).
fn tls_parameter(engine: &str, version: &str) -> Option<(&'static str, bool)> {
    match engine {
        // RDS for PostgreSQL 15 and later ship `rds.force_ssl = 1` in their default groups.
        "postgres" => Some((
            "rds.force_ssl",
            postgres_major(version).is_none_or(|m| m >= 15),
        )),
        "aurora-postgresql" => Some(("rds.force_ssl", false)),
        e if e.starts_with("sqlserver") => Some(("rds.force_ssl", false)),
        // `aurora` (Aurora MySQL 5.6) has no such parameter and is not checked.
        "mysql" | "mariadb" | "aurora-mysql" => Some(("require_secure_transport", false)),
        _ => None,
    }
}

/// The major version in `16.3`, `15` or `postgres15`; `None` when not written (RDS then
/// uses the engine's current default version, 15 or later).
fn postgres_major(v: &str) -> Option<u32> {
    let digits: String = v
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn is_on(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "on" | "true")
}

/// The subject checked: a standalone DB instance or a DB cluster.
struct Db<'a> {
    meta: &'a ResourceMeta,
    /// A read replica or secondary cluster, whose engine comes from its source.
    replica: bool,
    engine: &'a Value<String>,
    version: &'a Value<String>,
    group: &'a Value<ParameterGroupRef>,
    /// The parameter group `group` names, resolved in the database's account and region
    /// (or root module).
    linked: Option<&'a DbParameterGroup>,
}

fn check_db(db: &Db<'_>, out: &mut Emitter) {
    let engine = match &db.engine.value {
        Resolved::Set(e) | Resolved::Defaulted(e) => e.to_ascii_lowercase(),
        // A replica's engine is its source's: an unknown one is treated as not written.
        Resolved::Unknown(_) if db.replica => return,
        Resolved::Unknown(r) => {
            out.not_evaluated(db.meta, &db.engine.origin, &db.engine.path, r.to_string());
            return;
        }
    };
    let version = db.version.known().cloned().unwrap_or_default();
    let Some((param, _)) = tls_parameter(&engine, &version) else {
        return;
    };
    let g = db.group;
    let at: &Origin = &g.origin;
    match &g.value {
        Resolved::Unknown(r) => out.not_evaluated(db.meta, at, &g.path, r.to_string()),
        Resolved::Set(ParameterGroupRef::External(name))
        | Resolved::Defaulted(ParameterGroupRef::External(name)) => out.not_evaluated(
            db.meta,
            at,
            &g.path,
            format!("parameter group {name} is not declared in the scanned configuration"),
        ),
        Resolved::Set(ParameterGroupRef::Default)
        | Resolved::Defaulted(ParameterGroupRef::Default) => {
            if db.version.unknown_reason().is_some() && engine == "postgres" {
                out.not_evaluated(
                    db.meta,
                    &db.version.origin,
                    &db.version.path,
                    "the default of rds.force_ssl depends on the engine version, which is unknown",
                );
            } else if tls_parameter(&engine, &version).is_some_and(|(_, on)| on) {
                out.pass(db.meta, at, &g.path);
            } else {
                out.fail(
                    db.meta,
                    at,
                    &g.path,
                    format!("database uses the default parameter group, where {param} is off: it accepts connections without TLS"),
                );
            }
        }
        Resolved::Set(ParameterGroupRef::Group(addr))
        | Resolved::Defaulted(ParameterGroupRef::Group(addr)) => {
            let Some(group) = db.linked else {
                out.not_evaluated(
                    db.meta,
                    at,
                    &g.path,
                    format!("parameter group {addr} was not modelled"),
                );
                return;
            };
            match group.parameter(param) {
                Some(p) => out.require(
                    db.meta,
                    &p.value,
                    |v| is_on(v),
                    |v| format!("parameter group {addr} sets {param} = {v}: the database accepts connections without TLS"),
                ),
                None => {
                    if let Some(r) = &group.parameters_unknown {
                        out.not_evaluated(db.meta, at, &g.path, r.to_string());
                        return;
                    }
                    let family = group.family.known().cloned().unwrap_or_default();
                    let basis = if family.is_empty() { version.as_str() } else { family.as_str() };
                    if tls_parameter(&engine, basis).is_some_and(|(_, on)| on) {
                        out.pass(db.meta, at, &g.path);
                    } else {
                        out.fail(
                            db.meta,
                            at,
                            &g.path,
                            format!("parameter group {addr} does not set {param} = 1: the database accepts connections without TLS"),
                        );
                    }
                }
            }
        }
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every RDS DB instance (`aws_db_instance`) and DB cluster
    /// (`aws_rds_cluster`) uses a parameter group that forces TLS: `rds.force_ssl = 1`
    /// for PostgreSQL, Aurora PostgreSQL and SQL Server; `require_secure_transport = ON`
    /// (or `1`) for MySQL, MariaDB and Aurora MySQL. The group is the
    /// `aws_db_parameter_group` named by `parameter_group_name` (instances) or the
    /// `aws_rds_cluster_parameter_group` named by `db_cluster_parameter_group_name`
    /// (clusters). A database on the default parameter group fails, except RDS for
    /// PostgreSQL 15 and later, whose default group already sets `rds.force_ssl = 1`.
    /// A custom group that does not set the parameter inherits the family default.
    /// Aurora members (`aws_rds_cluster_instance`) are covered by their cluster; Oracle
    /// and Db2 (TLS through option groups), Aurora MySQL 5.6 (`engine = "aurora"`, no
    /// such parameter) and databases whose engine is not written
    /// (replicas and restores that take it from their source) are not checked, nor
    /// read replicas whose engine cannot be resolved.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: RDS offers TLS but, unless forced, accepts plaintext connections too; a
    /// client that does not ask for TLS then sends credentials and query results in
    /// clear.
    ///
    /// ## Default assumed
    /// Without a parameter group RDS uses the engine's default group, where the
    /// parameter is off, except `rds.force_ssl` on PostgreSQL 15+ (RDS User Guide,
    /// "Using SSL with a PostgreSQL DB instance"). An instance without `engine_version`
    /// gets the current default version (15 or later for PostgreSQL).
    ///
    /// ## Not evaluated
    /// When the group is named by a value that cannot be resolved (a variable without a
    /// value, a module output), names a group that is not declared in the scanned
    /// configuration, the parameter's value is unknown, or the group's parameters come
    /// from a `dynamic` block that cannot be expanded.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_db_parameter_group" "pg" {
    ///   name   = "app-pg14"
    ///   family = "postgres14"
    ///   parameter {
    ///     name  = "rds.force_ssl"
    ///     value = "1"
    ///   }
    /// }
    ///
    /// resource "aws_db_instance" "app" {
    ///   # ...
    ///   parameter_group_name = aws_db_parameter_group.pg.name
    /// }
    /// ```
    pub struct RdsRequireTls {
        id: "AWS-RDS-010",
        slug: "rds-require-tls",
        title: "RDS databases require TLS connections",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for RdsRequireTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for (i, d) in model.aws.db_instances.iter().enumerate() {
            if d.cluster.is_some() {
                continue;
            }
            let db = Db {
                meta: &d.meta,
                replica: d.is_replica,
                engine: &d.engine,
                version: &d.engine_version,
                group: &d.parameter_group,
                linked: model.instance_parameter_group(i),
            };
            check_db(&db, out);
        }
        for (i, c) in model.aws.db_clusters.iter().enumerate() {
            let db = Db {
                meta: &c.meta,
                replica: c.is_replica,
                engine: &c.engine,
                version: &c.engine_version,
                group: &c.parameter_group,
                linked: model.cluster_parameter_group(i),
            };
            check_db(&db, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_by_engine_and_version() {
        assert_eq!(
            tls_parameter("postgres", "14.9"),
            Some(("rds.force_ssl", false))
        );
        assert_eq!(
            tls_parameter("postgres", "postgres16"),
            Some(("rds.force_ssl", true))
        );
        assert_eq!(tls_parameter("postgres", ""), Some(("rds.force_ssl", true)));
        assert_eq!(
            tls_parameter("aurora-mysql", "aurora-mysql8.0"),
            Some(("require_secure_transport", false))
        );
        assert_eq!(tls_parameter("oracle-ee", "19"), None);
        assert!(is_on("ON") && is_on("1") && !is_on("0") && !is_on("OFF"));
    }
}
