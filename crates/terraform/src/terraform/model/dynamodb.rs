//! DynamoDB: `aws_dynamodb_table` with its `server_side_encryption` and
//! `point_in_time_recovery` blocks.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::dynamodb::{DynamoDbTable, TableKey};
use crate::model::aws::AwsModel;
use crate::model::{Resolved, Value};

fn encryption_key(rd: &Reader<'_>) -> Value<TableKey> {
    if let Some(u) = rd.block.unknown_blocks_of("server_side_encryption") {
        return Value::unknown(
            u.reason.clone(),
            rd.origin_at(u.pos),
            "server_side_encryption",
        );
    }
    let Some(sse) = rd.first("server_side_encryption") else {
        return Value::defaulted(
            TableKey::AwsOwned,
            rd.owner_origin(),
            "server_side_encryption",
        );
    };
    let enabled = sse.bool("enabled", false);
    match &enabled.value {
        Resolved::Unknown(_) => enabled.map(|_| TableKey::AwsOwned),
        Resolved::Set(false) | Resolved::Defaulted(false) => enabled.map(|_| TableKey::AwsOwned),
        Resolved::Set(true) | Resolved::Defaulted(true) => {
            let key = sse.opt_ref("kms_key_arn");
            match key.known() {
                Some(Some(k)) if k.contains("alias/aws/dynamodb") => {
                    key.map(|_| TableKey::AwsManaged)
                }
                Some(Some(k)) => {
                    let k = k.clone();
                    key.map(|_| TableKey::CustomerManaged(k.clone()))
                }
                // `enabled = true` without a key: the AWS managed key.
                Some(None) => enabled.map(|_| TableKey::AwsManaged),
                None => key.map(|_| TableKey::AwsOwned),
            }
        }
    }
}

/// Adds DynamoDB tables to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_dynamodb_table"]) {
        let rd = Reader::new(r);
        let pitr = match rd.first("point_in_time_recovery") {
            Some(p) => p.bool("enabled", false),
            None => match rd.block.unknown_blocks_of("point_in_time_recovery") {
                Some(u) => Value::unknown(
                    u.reason.clone(),
                    rd.origin_at(u.pos),
                    "point_in_time_recovery",
                ),
                None => {
                    Value::defaulted(false, rd.owner_origin(), "point_in_time_recovery.enabled")
                }
            },
        };
        aws.dynamodb_tables.push(DynamoDbTable {
            meta: ctx.meta(r),
            encryption_key: encryption_key(&rd),
            point_in_time_recovery: pitr,
        });
    }
}
