//! S3 buckets: each `aws_s3_bucket` joined with the separate resources that configure it
//! (provider v4+: `aws_s3_bucket_server_side_encryption_configuration`, `_versioning`,
//! `_logging`, `_policy`, `_acl`, `_public_access_block`, `_replication_configuration`,
//! `_lifecycle_configuration`) or with its legacy inline blocks (provider v3).
//!
//! Precedence for each setting: a separate resource that certainly targets the bucket,
//! then the inline block or attribute, then *unknown* when a separate resource in scope
//! might target it (its `bucket` could not be resolved), then the AWS default.

use super::join::{Ctx, Joins, TargetSpec};
use super::policy::read_policy;
use super::read::Reader;
use crate::model::aws::iam::PolicyDocument;
use crate::model::aws::s3::{PublicAccessBlock, S3Bucket, S3BucketLogging, DEFAULT_SSE_ALGORITHM};
use crate::model::aws::AwsModel;
use crate::model::{Resolved, Value};
use crate::terraform::ir::Resource;

const BUCKET: TargetSpec<'static> = TargetSpec {
    types: &["aws_s3_bucket"],
    name_attr: Some("bucket"),
    global_names: true,
};

/// The joined configuration resources of every kind.
struct BucketJoins<'a> {
    sse: Joins<'a>,
    versioning: Joins<'a>,
    logging: Joins<'a>,
    policy: Joins<'a>,
    acl: Joins<'a>,
    pab: Joins<'a>,
    replication: Joins<'a>,
    lifecycle: Joins<'a>,
}

/// Picks a bucket setting: a certain separate resource, the inline form, unknown when a
/// separate resource might apply, else the default.
fn pick<T>(
    joins: &Joins<'_>,
    b: &Resource,
    from_joined: impl FnOnce(&Resource) -> Value<T>,
    inline: Option<Value<T>>,
    default: impl FnOnce() -> Value<T>,
    path: &str,
) -> Value<T> {
    if let Some(r) = joins.definite(b).first() {
        return from_joined(r);
    }
    if let Some(v) = inline {
        return v;
    }
    if let Some(reason) = joins.possible(b) {
        return Value::unknown(reason.clone(), Reader::new(b).owner_origin(), path);
    }
    default()
}

/// Unknown when the inline block `kind` is a `dynamic` block that could not be expanded.
fn dynamic_unknown<T>(rd: &Reader<'_>, kind: &str) -> Option<Value<T>> {
    rd.block
        .unknown_blocks_of(kind)
        .map(|u| Value::unknown(u.reason.clone(), rd.origin_at(u.pos), kind))
}

fn sse_of(rd: &Reader<'_>) -> (Value<String>, Value<Option<String>>) {
    if let Some(u) = dynamic_unknown(rd, "rule") {
        let k = u.map(|_: &String| None);
        return (u, k);
    }
    match rd.first("rule").and_then(|r| {
        if let Some(u) = dynamic_unknown::<String>(&r, "apply_server_side_encryption_by_default") {
            return Some(Err(u));
        }
        r.first("apply_server_side_encryption_by_default").map(Ok)
    }) {
        Some(Ok(a)) => (
            a.string("sse_algorithm", DEFAULT_SSE_ALGORITHM),
            a.opt_ref("kms_master_key_id"),
        ),
        Some(Err(u)) => {
            let k = u.map(|_| None);
            (u, k)
        }
        None => (
            Value::defaulted(
                DEFAULT_SSE_ALGORITHM.to_string(),
                rd.owner_origin(),
                rd.path("rule"),
            ),
            Value::defaulted(None, rd.owner_origin(), rd.path("rule")),
        ),
    }
}

fn versioning_of(rd: &Reader<'_>, legacy: bool) -> Value<bool> {
    if legacy {
        return rd.bool("enabled", false);
    }
    match rd.first("versioning_configuration") {
        Some(v) => v.string("status", "Disabled").map(|s| s == "Enabled"),
        None => dynamic_unknown(rd, "versioning_configuration").unwrap_or_else(|| {
            Value::defaulted(
                false,
                rd.owner_origin(),
                rd.path("versioning_configuration"),
            )
        }),
    }
}

/// Whether any rule of a replication or lifecycle configuration is enabled.
fn any_rule_enabled(rd: &Reader<'_>, kind: &str, field: &str, is_bool: bool) -> Value<bool> {
    if let Some(u) = dynamic_unknown(rd, kind) {
        return u;
    }
    let mut last: Option<Value<bool>> = None;
    for r in rd.all(kind) {
        let v = if is_bool {
            r.bool(field, false)
        } else {
            r.string(field, "Enabled").map(|s| s == "Enabled")
        };
        match v.value {
            Resolved::Set(true) | Resolved::Defaulted(true) => return v,
            Resolved::Unknown(_) => last = Some(v),
            _ => {
                if last.is_none() {
                    last = Some(v);
                }
            }
        }
    }
    last.unwrap_or_else(|| Value::defaulted(false, rd.owner_origin(), rd.path(kind)))
}

fn pab_of(rd: &Reader<'_>) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: rd.bool("block_public_acls", false),
        block_public_policy: rd.bool("block_public_policy", false),
        ignore_public_acls: rd.bool("ignore_public_acls", false),
        restrict_public_buckets: rd.bool("restrict_public_buckets", false),
    }
}

/// The group-grantee URIs of the `grant` blocks of `rd` (`grantee { uri }` nested in
/// `aws_s3_bucket_acl`, `uri` directly in the legacy inline form).
fn grantee_uris(rd: &Reader<'_>, kind: &str, nested: bool) -> Value<Vec<String>> {
    if let Some(u) = dynamic_unknown(rd, kind) {
        return u;
    }
    let mut uris = Vec::new();
    for g in rd.all(kind) {
        let holder = if nested {
            match g.first("grantee") {
                Some(h) => h,
                None => continue,
            }
        } else {
            g
        };
        let uri = holder.string("uri", "");
        match uri.value {
            Resolved::Set(u) if !u.is_empty() => uris.push(u),
            Resolved::Unknown(_) => return uri.map(|_| Vec::new()),
            _ => {}
        }
    }
    Value::set(uris, rd.block_origin(), rd.path(kind))
}

fn empty_policy(rd: &Reader<'_>, path: &str) -> Value<PolicyDocument> {
    Value::defaulted(PolicyDocument::default(), rd.owner_origin(), path)
}

/// Adds every managed `aws_s3_bucket` to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let j = BucketJoins {
        sse: Joins::build(
            ctx,
            &["aws_s3_bucket_server_side_encryption_configuration"],
            "bucket",
            BUCKET,
        ),
        versioning: Joins::build(ctx, &["aws_s3_bucket_versioning"], "bucket", BUCKET),
        logging: Joins::build(ctx, &["aws_s3_bucket_logging"], "bucket", BUCKET),
        policy: Joins::build(ctx, &["aws_s3_bucket_policy"], "bucket", BUCKET),
        acl: Joins::build(ctx, &["aws_s3_bucket_acl"], "bucket", BUCKET),
        pab: Joins::build(
            ctx,
            &["aws_s3_bucket_public_access_block"],
            "bucket",
            BUCKET,
        ),
        replication: Joins::build(
            ctx,
            &["aws_s3_bucket_replication_configuration"],
            "bucket",
            BUCKET,
        ),
        lifecycle: Joins::build(
            ctx,
            &["aws_s3_bucket_lifecycle_configuration"],
            "bucket",
            BUCKET,
        ),
    };
    for b in ctx.managed(&["aws_s3_bucket"]) {
        aws.s3_buckets.push(bucket(ctx, &j, b));
        if let Some(l) = Reader::new(b).first("logging") {
            aws.s3_bucket_loggings.push(S3BucketLogging {
                meta: ctx.meta(b),
                target: l.reference("target_bucket"),
            });
        }
    }
    // Whichever bucket a separate configuration applies to (even one managed
    // elsewhere), its target receives logs.
    for r in ctx.managed(&["aws_s3_bucket_logging"]) {
        aws.s3_bucket_loggings.push(S3BucketLogging {
            meta: ctx.meta(r),
            target: Reader::new(r).reference("target_bucket"),
        });
    }
}

fn bucket(ctx: &Ctx<'_>, j: &BucketJoins<'_>, b: &Resource) -> S3Bucket {
    let rd = Reader::new(b);
    let name = if rd.attr("bucket").is_some() {
        rd.read("bucket", String::new(), |d| {
            super::read::to_string(d, "bucket")
        })
    } else {
        Value::unknown(
            "the bucket name is generated by Terraform",
            rd.owner_origin(),
            "bucket",
        )
    };

    // Encryption.
    let inline_sse = dynamic_unknown::<String>(&rd, "server_side_encryption_configuration")
        .map(|u| {
            let k = u.map(|_| None);
            (u, k)
        })
        .or_else(|| {
            rd.first("server_side_encryption_configuration")
                .map(|c| sse_of(&c))
        });
    let (sse_algorithm, kms_key) = {
        let (alg_inline, key_inline) = match inline_sse {
            Some((a, k)) => (Some(a), Some(k)),
            None => (None, None),
        };
        let alg = pick(
            &j.sse,
            b,
            |r| sse_of(&Reader::new(r)).0,
            alg_inline,
            || {
                Value::defaulted(
                    DEFAULT_SSE_ALGORITHM.to_string(),
                    rd.owner_origin(),
                    "server_side_encryption_configuration",
                )
            },
            "server_side_encryption_configuration",
        );
        let key = pick(
            &j.sse,
            b,
            |r| sse_of(&Reader::new(r)).1,
            key_inline,
            || {
                Value::defaulted(
                    None,
                    rd.owner_origin(),
                    "server_side_encryption_configuration",
                )
            },
            "server_side_encryption_configuration",
        );
        (alg, key)
    };

    let versioning = pick(
        &j.versioning,
        b,
        |r| versioning_of(&Reader::new(r), false),
        dynamic_unknown(&rd, "versioning")
            .or_else(|| rd.first("versioning").map(|v| versioning_of(&v, true))),
        || Value::defaulted(false, rd.owner_origin(), "versioning"),
        "versioning",
    );

    let inline_logging = rd.first("logging");
    let access_logging = pick(
        &j.logging,
        b,
        |r| Value::set(true, Reader::new(r).owner_origin(), "logging"),
        dynamic_unknown(&rd, "logging").or_else(|| {
            inline_logging
                .as_ref()
                .map(|l| Value::set(true, l.block_origin(), "logging"))
        }),
        || Value::defaulted(false, rd.owner_origin(), "logging"),
        "logging",
    );

    let policy = pick(
        &j.policy,
        b,
        |r| {
            let prd = Reader::new(r);
            read_policy(ctx, &prd, "policy").unwrap_or_else(|| empty_policy(&prd, "policy"))
        },
        read_policy(ctx, &rd, "policy"),
        || empty_policy(&rd, "policy"),
        "policy",
    );

    let acl = pick(
        &j.acl,
        b,
        |r| {
            let ard = Reader::new(r);
            if ard.has("acl") {
                ard.string("acl", "private")
            } else {
                Value::set(
                    "custom".to_string(),
                    ard.owner_origin(),
                    "access_control_policy",
                )
            }
        },
        rd.has("acl").then(|| rd.string("acl", "private")),
        || Value::defaulted("private".to_string(), rd.owner_origin(), "acl"),
        "acl",
    );

    let acl_grantees = pick(
        &j.acl,
        b,
        |r| {
            let ard = Reader::new(r);
            match ard.first("access_control_policy") {
                Some(p) => grantee_uris(&p, "grant", true),
                None => Value::defaulted(Vec::new(), ard.owner_origin(), "access_control_policy"),
            }
        },
        (rd.block.blocks_of("grant").next().is_some()
            || rd.block.unknown_blocks_of("grant").is_some())
        .then(|| grantee_uris(&rd, "grant", false)),
        || Value::defaulted(Vec::new(), rd.owner_origin(), "grant"),
        "grant",
    );

    // A public access block that might target the bucket (its `bucket` is unknown) makes
    // every setting unknown.
    let public_access_block = match j.pab.definite(b).first() {
        Some(r) => Some(pab_of(&Reader::new(r))),
        None => j.pab.possible(b).map(|reason| {
            let u = |f: &str| Value::unknown(reason.clone(), rd.owner_origin(), f);
            PublicAccessBlock {
                block_public_acls: u("block_public_acls"),
                block_public_policy: u("block_public_policy"),
                ignore_public_acls: u("ignore_public_acls"),
                restrict_public_buckets: u("restrict_public_buckets"),
            }
        }),
    };

    let replication = pick(
        &j.replication,
        b,
        |r| any_rule_enabled(&Reader::new(r), "rule", "status", false),
        dynamic_unknown(&rd, "replication_configuration").or_else(|| {
            rd.first("replication_configuration")
                .map(|c| any_rule_enabled(&c, "rules", "status", false))
        }),
        || Value::defaulted(false, rd.owner_origin(), "replication_configuration"),
        "replication_configuration",
    );

    let lifecycle = pick(
        &j.lifecycle,
        b,
        |r| any_rule_enabled(&Reader::new(r), "rule", "status", false),
        dynamic_unknown(&rd, "lifecycle_rule").or_else(|| {
            rd.block
                .blocks_of("lifecycle_rule")
                .next()
                .map(|_| any_rule_enabled(&rd, "lifecycle_rule", "enabled", true))
        }),
        || Value::defaulted(false, rd.owner_origin(), "lifecycle_rule"),
        "lifecycle_rule",
    );

    S3Bucket {
        meta: ctx.meta(b),
        name,
        sse_algorithm,
        kms_key,
        versioning,
        access_logging,
        policy,
        acl,
        acl_grantees,
        public_access_block,
        replication,
        lifecycle,
        tags: super::tags::read_tags(&rd),
    }
}
