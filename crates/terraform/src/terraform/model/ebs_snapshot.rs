//! EBS snapshots: `aws_ebs_snapshot` (encrypted exactly when its volume is) and
//! `aws_ebs_snapshot_copy`. Runs after the EC2 adapter: it reads the volumes and the
//! encryption-by-default setting already in the model.

use super::join::{base_address, Ctx};
use super::read::Reader;
use crate::model::aws::ebs_snapshot::EbsSnapshot;
use crate::model::aws::AwsModel;
use crate::model::{Resolved, Value};
use crate::terraform::ir::Dyn;

/// Adds EBS snapshots and snapshot copies to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let start = aws.ebs_snapshots.len();
    for r in ctx.managed(&["aws_ebs_snapshot"]) {
        let rd = Reader::new(r);
        let at = rd
            .attr("volume_id")
            .map(|a| rd.origin_at(a.pos))
            .unwrap_or_else(|| rd.owner_origin());
        let volume = match rd.dyn_of("volume_id") {
            Dyn::Unknown(u) => u.refers_to.as_deref().and_then(|a| {
                aws.ebs_volumes.iter().find(|v| {
                    *v.meta.scope == *ctx.scope(r)
                        && (&*v.meta.address == a || base_address(&v.meta.address) == a)
                })
            }),
            _ => None,
        };
        let encrypted = match volume {
            Some(v) => match &v.encrypted.value {
                Resolved::Set(b) | Resolved::Defaulted(b) => Value::set(*b, at, "encrypted"),
                Resolved::Unknown(r) => Value::unknown(r.clone(), at, "encrypted"),
            },
            None => Value::unknown(
                "the snapshot's volume is not declared in the scanned configuration",
                at,
                "encrypted",
            ),
        };
        aws.ebs_snapshots.push(EbsSnapshot {
            meta: ctx.meta(r),
            encrypted,
            kms_key: Value::defaulted(None, rd.owner_origin(), "kms_key_id"),
            // Terraform expresses no public sharing of a snapshot (see the field's doc).
            public: None,
        });
    }
    let by_default = aws.ebs_encryption_by_default.iter().any(|d| {
        matches!(
            d.enabled.value,
            Resolved::Set(true) | Resolved::Defaulted(true)
        )
    });
    for r in ctx.managed(&["aws_ebs_snapshot_copy"]) {
        let rd = Reader::new(r);
        let written = rd.bool("encrypted", false);
        let encrypted = if rd.has("encrypted") && !matches!(written.value, Resolved::Set(false)) {
            written
        } else if by_default {
            Value::defaulted(true, rd.owner_origin(), "encrypted")
        } else {
            let source = match rd.dyn_of("source_snapshot_id") {
                Dyn::Unknown(u) => u.refers_to.as_deref().and_then(|a| {
                    aws.ebs_snapshots[start..].iter().find(|s| {
                        *s.meta.scope == *ctx.scope(r)
                            && (&*s.meta.address == a || base_address(&s.meta.address) == a)
                    })
                }),
                _ => None,
            };
            let at = written.origin.clone();
            match source.map(|s| &s.encrypted.value) {
                Some(Resolved::Set(true) | Resolved::Defaulted(true)) => {
                    Value::defaulted(true, at, "encrypted")
                }
                Some(Resolved::Set(false) | Resolved::Defaulted(false)) => written,
                Some(Resolved::Unknown(reason)) => Value::unknown(reason.clone(), at, "encrypted"),
                None => Value::unknown(
                    "a copy without `encrypted = true` is encrypted only when its source is, and the source snapshot is not declared in the scanned configuration",
                    at,
                    "encrypted",
                ),
            }
        };
        let snap = EbsSnapshot {
            meta: ctx.meta(r),
            encrypted,
            kms_key: rd.opt_ref("kms_key_id"),
            public: None,
        };
        aws.ebs_snapshots.push(snap);
    }
}
