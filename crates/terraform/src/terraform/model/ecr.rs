//! ECR: `aws_ecr_repository`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::ecr::EcrRepository;
use crate::model::aws::AwsModel;
use crate::model::Value;

/// Adds ECR repositories to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_ecr_repository"]) {
        let rd = Reader::new(r);
        let (encryption_type, kms_key) = match rd.first("encryption_configuration") {
            Some(e) => (
                e.string("encryption_type", "AES256")
                    .map(|t| t.to_ascii_uppercase()),
                e.opt_ref("kms_key"),
            ),
            None => match rd.block.unknown_blocks_of("encryption_configuration") {
                Some(u) => (
                    Value::unknown(
                        u.reason.clone(),
                        rd.origin_at(u.pos),
                        "encryption_configuration.encryption_type",
                    ),
                    Value::unknown(
                        u.reason.clone(),
                        rd.origin_at(u.pos),
                        "encryption_configuration.kms_key",
                    ),
                ),
                None => (
                    Value::defaulted(
                        "AES256".to_string(),
                        rd.owner_origin(),
                        "encryption_configuration.encryption_type",
                    ),
                    Value::defaulted(None, rd.owner_origin(), "encryption_configuration.kms_key"),
                ),
            },
        };
        let scan_on_push = match rd.first("image_scanning_configuration") {
            Some(s) => s.bool("scan_on_push", false),
            None => match rd.block.unknown_blocks_of("image_scanning_configuration") {
                Some(u) => Value::unknown(
                    u.reason.clone(),
                    rd.origin_at(u.pos),
                    "image_scanning_configuration.scan_on_push",
                ),
                None => Value::defaulted(
                    false,
                    rd.owner_origin(),
                    "image_scanning_configuration.scan_on_push",
                ),
            },
        };
        aws.ecr_repositories.push(EcrRepository {
            meta: ctx.meta(r),
            encryption_type,
            kms_key,
            scan_on_push,
            tag_mutability: rd.string("image_tag_mutability", "MUTABLE"),
        });
    }
}
