//! Settings that live in a separate resource attached to their target (a vault lock, a
//! backup selection, a secret rotation, a topic policy): whether one certainly applies,
//! might apply, or does not.

use super::join::Ctx;
use super::join::Joins;
use super::policy::read_policy;
use super::read::{block_origin, Reader};
use crate::model::aws::iam::PolicyDocument;
use crate::model::Value;
use crate::terraform::ir::Resource;

/// `Set(true)` at the attached resource when one certainly applies to `target`, unknown
/// when one in scope might, else `Defaulted(false)` at the target's block.
pub(crate) fn attached(joins: &Joins<'_>, target: &Resource, path: &str) -> Value<bool> {
    if let Some(r) = joins.definite(target).first() {
        return Value::set(true, block_origin(r), path);
    }
    if let Some(reason) = joins.possible(target) {
        return Value::unknown(reason.clone(), block_origin(target), path);
    }
    Value::defaulted(false, block_origin(target), path)
}

/// A resource policy written inline (`inline_attr` of the target) or by a separate
/// resource (its `policy` attribute): the separate one wins when it certainly applies;
/// unknown when one might; else the `Defaulted` empty document.
pub(crate) fn resource_policy(
    ctx: &Ctx<'_>,
    joins: &Joins<'_>,
    target: &Resource,
    inline_attr: &str,
    joined_attr: &str,
) -> Value<PolicyDocument> {
    let rd = Reader::new(target);
    let empty = |r: &Reader<'_>, path: &str| {
        Value::defaulted(PolicyDocument::default(), r.owner_origin(), path)
    };
    if let Some(r) = joins.definite(target).first() {
        let prd = Reader::new(r);
        return read_policy(ctx, &prd, joined_attr).unwrap_or_else(|| empty(&prd, joined_attr));
    }
    if let Some(v) = read_policy(ctx, &rd, inline_attr) {
        return v;
    }
    if let Some(reason) = joins.possible(target) {
        return Value::unknown(reason.clone(), rd.owner_origin(), inline_attr);
    }
    empty(&rd, inline_attr)
}
