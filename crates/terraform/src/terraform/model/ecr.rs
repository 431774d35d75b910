//! ECR: `aws_ecr_repository`, joined with `aws_ecr_repository_policy` (by `repository`).

use super::attached::resource_policy;
use super::join::{Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::ecr::EcrRepository;
use crate::model::aws::AwsModel;
use crate::model::Value;

const REPOSITORY: TargetSpec<'static> = TargetSpec {
    types: &["aws_ecr_repository"],
    name_attr: Some("name"),
    global_names: false,
};

/// Adds ECR repositories to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let policies = Joins::build(
        ctx,
        &["aws_ecr_repository_policy"],
        "repository",
        REPOSITORY,
    );
    for r in ctx.managed(REPOSITORY.types) {
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
            policy: resource_policy(ctx, &policies, r, "policy", "policy"),
        });
    }
}
