//! AWS-EC2-020: no security group admits the whole internet to database ports.

use crate::model::aws::ec2::{Direction, SecurityGroupRule};
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// Database and data-store ports, with the service they usually belong to.
const DB_PORTS: [(i64, &str); 14] = [
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2379, "etcd"),
    (3306, "MySQL/MariaDB"),
    (5432, "PostgreSQL"),
    (5439, "Redshift"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (7000, "Cassandra"),
    (9042, "Cassandra"),
    (9200, "Elasticsearch/OpenSearch"),
    (9300, "Elasticsearch/OpenSearch"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
];

/// The database ports a TCP rule opens, except rules opening all ports (AWS-EC2-003).
fn db_ports(r: &SecurityGroupRule) -> Result<Vec<String>, String> {
    let proto = r.protocol.try_known()?;
    if SecurityGroupRule::is_all_protocols(proto) || !matches!(proto.as_str(), "tcp" | "6") {
        return Ok(vec![]);
    }
    let (from, to) = (*r.from_port.try_known()?, *r.to_port.try_known()?);
    if from <= 0 && to >= 65535 {
        return Ok(vec![]);
    }
    Ok(DB_PORTS
        .iter()
        .filter(|(p, _)| (from..=to).contains(p))
        .map(|(p, what)| format!("{p} ({what})"))
        .collect())
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every inbound security-group rule (inline `ingress` blocks,
    /// `aws_security_group_rule` of type `ingress`, `aws_vpc_security_group_ingress_rule`)
    /// for a source of `0.0.0.0/0` or `::/0` on a TCP port of a database or data store:
    /// 1433, 1521, 2379, 3306, 5432, 5439, 5984, 6379, 7000, 9042, 9200, 9300, 11211,
    /// 27017. Rules that open all ports or all protocols are AWS-EC2-003's.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects boundary protection and CC6.1 segmentation; C1.1 protection of
    /// confidential data. Databases exposed to the internet are found by scanners within
    /// hours and attacked with credential stuffing and engine exploits; data stores such
    /// as Redis, Memcached or Elasticsearch often have no authentication at all.
    ///
    /// ## Default assumed
    /// None: sources and ports are written.
    ///
    /// ## Not evaluated
    /// When the sources, protocol or ports come from variables without a value, or a
    /// `dynamic "ingress"` block cannot be expanded.
    ///
    /// ## How to fix
    /// Admit only the application's security group:
    /// ```hcl
    /// resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
    ///   security_group_id            = aws_security_group.db.id
    ///   referenced_security_group_id = aws_security_group.app.id
    ///   ip_protocol                  = "tcp"
    ///   from_port                    = 5432
    ///   to_port                      = 5432
    /// }
    /// ```
    pub struct SecurityGroupOpenDbPorts {
        id: "AWS-EC2-020",
        slug: "security-group-open-db-ports",
        title: "Security groups do not open database ports to the internet",
        severity: Critical,
        family: Network,
    }
}

impl Rule for SecurityGroupOpenDbPorts {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in model
            .aws
            .security_group_rules
            .iter()
            .filter(|r| r.direction == Direction::Ingress)
        {
            out.require(&r.meta, &r.world_open_ports(db_ports), Vec::is_empty, |p| {
                format!(
                    "ingress from the whole internet to database port {}",
                    p.join(", ")
                )
            });
        }
    }
}
