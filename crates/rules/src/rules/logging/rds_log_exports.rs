//! AWS-RDS-020: databases export their audit or error logs to CloudWatch Logs.

use crate::model::{Model, Resolved, ResourceMeta, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// The log an engine must export, with a description; `None` for engines without a
/// known audit log (any export then passes).
fn required_log(engine: &str) -> Option<&'static str> {
    let e = engine.to_ascii_lowercase();
    if e.contains("postgres") {
        Some("postgresql")
    } else if e.starts_with("mysql") || e.starts_with("mariadb") || e.starts_with("aurora") {
        // `aurora` alone is Aurora MySQL 5.6.
        Some("audit")
    } else if e.starts_with("oracle") {
        Some("audit")
    } else if e.starts_with("sqlserver") {
        Some("error")
    } else {
        None
    }
}

fn check_one(
    out: &mut Emitter,
    m: &ResourceMeta,
    engine: &Value<String>,
    exports: &Value<Vec<String>>,
) {
    let list = match &exports.value {
        Resolved::Set(v) | Resolved::Defaulted(v) => v,
        Resolved::Unknown(r) => {
            out.not_evaluated(m, &exports.origin, &exports.path, r.to_string());
            return;
        }
    };
    if list.is_empty() {
        out.fail(
            m,
            &exports.origin,
            &exports.path,
            "no database logs are exported to CloudWatch Logs (enabled_cloudwatch_logs_exports)",
        );
        return;
    }
    match engine.known().map(String::as_str) {
        Some(e) if !e.is_empty() => match required_log(e) {
            Some(need) if !list.iter().any(|l| l.eq_ignore_ascii_case(need)) => out.fail(
                m,
                &exports.origin,
                &exports.path,
                format!("the {e} database does not export its `{need}` log to CloudWatch Logs"),
            ),
            _ => out.pass(m, &exports.origin, &exports.path),
        },
        _ => out.not_evaluated(
            m,
            &engine.origin,
            &engine.path,
            engine
                .unknown_reason()
                .unwrap_or("the engine is not written")
                .to_string(),
        ),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that RDS DB instances (`aws_db_instance`) and DB clusters
    /// (`aws_rds_cluster`) export the engine's audit log to CloudWatch Logs through
    /// `enabled_cloudwatch_logs_exports`: `postgresql` for PostgreSQL and Aurora
    /// PostgreSQL (where pgAudit writes), `audit` for MySQL, MariaDB, Aurora MySQL and
    /// Oracle, `error` for SQL Server (which has no audit export). Aurora cluster members
    /// are covered by their cluster. Other engines pass with any export.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects database access to be logged — a line item of most SOC 2
    /// checklists. Logs kept only on the instance rotate away within days and disappear
    /// with it; exported logs are retained, searchable and can raise alarms.
    ///
    /// ## Default assumed
    /// Nothing is exported unless listed (provider docs). MySQL-family `audit` logs also
    /// need the audit plugin (option group `MARIADB_AUDIT_PLUGIN`, or
    /// `server_audit_logging` on Aurora MySQL), which this rule does not check.
    ///
    /// ## Not evaluated
    /// When the export list is unknown, or exports are listed but the engine is unknown
    /// or not written (restored from a snapshot).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_db_instance" "app" {
    ///   engine                          = "postgres"
    ///   enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
    ///   # ...
    /// }
    /// ```
    pub struct RdsLogExports {
        id: "AWS-RDS-020",
        slug: "rds-log-exports",
        title: "RDS databases export audit logs to CloudWatch Logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for RdsLogExports {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for db in model
            .aws
            .db_instances
            .iter()
            .filter(|d| d.cluster.is_none())
        {
            check_one(out, &db.meta, &db.engine, &db.log_exports);
        }
        for c in &model.aws.db_clusters {
            check_one(out, &c.meta, &c.engine, &c.log_exports);
        }
    }
}
