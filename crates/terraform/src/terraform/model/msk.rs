//! MSK: `aws_msk_cluster` with its `encryption_info` block.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::msk::MskCluster;
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds MSK clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_msk_cluster"]) {
        let rd = Reader::new(r);
        let info = rd.first("encryption_info");
        let transit = info.as_ref().and_then(|i| i.first("encryption_in_transit"));
        let path = |p: &str| format!("encryption_info.encryption_in_transit.{p}");
        let (client_broker, in_cluster) = match &transit {
            Some(t) => (
                t.string("client_broker", "TLS")
                    .map(|s| s.to_ascii_uppercase()),
                t.bool("in_cluster", true),
            ),
            None => (
                Value::defaulted("TLS".to_string(), rd.owner_origin(), path("client_broker")),
                Value::defaulted(true, rd.owner_origin(), path("in_cluster")),
            ),
        };
        let at_rest_kms_key = match &info {
            Some(i) => i.opt_ref("encryption_at_rest_kms_key_arn"),
            None => Value::defaulted(
                None,
                rd.owner_origin(),
                "encryption_info.encryption_at_rest_kms_key_arn",
            ),
        };
        aws.msk_clusters.push(MskCluster {
            meta: ctx.meta(r),
            client_broker,
            in_cluster,
            at_rest_kms_key,
        });
    }
}
