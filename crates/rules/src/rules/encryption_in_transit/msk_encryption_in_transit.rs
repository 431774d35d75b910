//! AWS-MSK-001: MSK clusters encrypt client and broker traffic.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every MSK cluster (`aws_msk_cluster`):
    /// `encryption_info.encryption_in_transit.client_broker` must be `TLS`
    /// (`TLS_PLAINTEXT` and `PLAINTEXT` fail) and `in_cluster` must be `true`. Each is a
    /// separate result.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: Kafka records carry application events and customer data; a plaintext
    /// listener lets clients (and anyone on the network path) read them in clear, and
    /// unencrypted replication exposes them between brokers.
    ///
    /// ## Default assumed
    /// `client_broker` defaults to `TLS` and `in_cluster` to `true` (AWS provider docs
    /// for `aws_msk_cluster`; MSK API `EncryptionInTransit`), which pass.
    ///
    /// ## Not evaluated
    /// When a value comes from a variable without a value. On a live scan, when the
    /// clusters of a region cannot be listed (`kafka:ListClustersV2` denied or failing);
    /// a serverless cluster always uses TLS and passes. The moto emulator (5.1) answers
    /// `ListClustersV2` with a creation time the AWS SDK rejects, so against moto the
    /// rule is *not evaluated* (tested in `tests/aws_live_datastores.rs`).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_msk_cluster" "events" {
    ///   # ...
    ///   encryption_info {
    ///     encryption_in_transit {
    ///       client_broker = "TLS"
    ///       in_cluster    = true
    ///     }
    ///   }
    /// }
    /// ```
    pub struct MskEncryptionInTransit {
        id: "AWS-MSK-001",
        slug: "msk-encryption-in-transit",
        title: "MSK clusters encrypt data in transit",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for MskEncryptionInTransit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.msk_clusters {
            out.require(
                &c.meta,
                &c.client_broker,
                |v| v == "TLS",
                |v| format!("clients can connect to the brokers without TLS (client_broker = {v})"),
            );
            out.require_true(
                &c.meta,
                &c.in_cluster,
                "traffic between brokers is not encrypted (in_cluster = false)",
            );
        }
    }
}
