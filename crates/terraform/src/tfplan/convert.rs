//! Planned values → the evaluator's [`Block`]: JSON values become [`Dyn`] values,
//! leaves marked in `after_unknown` become [`Dyn::Unknown`] ("known after apply", with
//! the resource the configuration's expression refers to), arrays of objects become
//! nested blocks, and positions come from the matching HCL block when there is one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::terraform::ir::{Attribute, Block, Dyn, Pos, Unknown, UnknownBlock};

use super::config::{expr_at, is_block_expr, Seg};

/// Reason of every value that the plan marks as known only after apply.
pub(crate) const AFTER_APPLY: &str = "known after apply";

/// What the conversion of one resource needs to know besides its values.
pub(crate) struct Ctx<'a> {
    /// The resource's configuration expressions, when the plan has them.
    pub exprs: Option<&'a Map<String, Json>>,
    /// The resource's block in the HCL sources, when they are beside the plan.
    pub hcl: Option<&'a Block>,
    /// Where the resource is when nothing more precise is known.
    pub pos: Pos,
    /// The absolute address an expression refers to.
    pub refers: &'a dyn Fn(&Json) -> Option<String>,
}

impl Ctx<'_> {
    /// Whether the top-level argument `name` is written in the configuration (or the HCL
    /// source); without configuration every argument counts as written.
    fn written(&self, name: &str) -> bool {
        let in_hcl = self.hcl.is_some_and(|h| {
            h.attr(name).is_some()
                || h.blocks_of(name).next().is_some()
                || h.unknown_blocks_of(name).is_some()
        });
        match self.exprs {
            Some(e) => e.contains_key(name) || in_hcl,
            None => true,
        }
    }

    fn unknown_at(&self, path: &[Seg]) -> Dyn {
        let refers_to = self
            .exprs
            .and_then(|e| expr_at(e, path))
            .and_then(|e| (self.refers)(e))
            .map(Arc::from);
        Dyn::Unknown(Unknown {
            reason: AFTER_APPLY.into(),
            refers_to,
            json_of: None,
            partial: false,
        })
    }
}

/// The body of a resource: `kind` (`resource`/`data`) with labels, from its planned
/// `values` and `after_unknown`. Arguments that are unknown as a whole and not written
/// in the configuration are computed by the provider and left out, as they are absent
/// from the HCL source.
pub(crate) fn body(
    kind: &str,
    labels: Vec<String>,
    values: &Json,
    unknown: Option<&Json>,
    ctx: &Ctx<'_>,
) -> Block {
    let empty = Map::new();
    let vals = values.as_object().unwrap_or(&empty);
    let unk = unknown.and_then(Json::as_object).unwrap_or(&empty);
    let keys: BTreeSet<&String> = vals.keys().chain(unk.keys()).collect();
    let mut map = BTreeMap::new();
    for k in keys {
        let u = unk.get(k.as_str());
        if u == Some(&Json::Bool(true)) && !ctx.written(k) {
            continue;
        }
        let v = vals.get(k.as_str()).unwrap_or(&Json::Null);
        let mut path = vec![Seg::Key(k.clone())];
        map.insert(k.clone(), merge(v, u, &mut path, ctx));
    }
    let pos = ctx.hcl.map(|h| h.pos).unwrap_or(ctx.pos);
    let exprs = ctx.exprs.map(|e| Json::Object(e.clone()));
    to_block(kind, labels, map, ctx.hcl, pos, exprs.as_ref())
}

/// Combines a planned value with its `after_unknown` mask.
fn merge(v: &Json, u: Option<&Json>, path: &mut Vec<Seg>, ctx: &Ctx<'_>) -> Dyn {
    match (v, u) {
        (_, Some(Json::Bool(true))) => ctx.unknown_at(path),
        (Json::Object(_), Some(Json::Object(_))) | (Json::Null, Some(Json::Object(_))) => {
            let empty = Map::new();
            let vo = v.as_object().unwrap_or(&empty);
            let uo = u.and_then(Json::as_object).unwrap_or(&empty);
            let keys: BTreeSet<&String> = vo.keys().chain(uo.keys()).collect();
            let mut m = BTreeMap::new();
            for k in keys {
                path.push(Seg::Key(k.clone()));
                let d = merge(
                    vo.get(k.as_str()).unwrap_or(&Json::Null),
                    uo.get(k.as_str()),
                    path,
                    ctx,
                );
                path.pop();
                m.insert(k.clone(), d);
            }
            Dyn::Map(m)
        }
        (Json::Array(_), Some(Json::Array(_))) | (Json::Null, Some(Json::Array(_))) => {
            let empty = Vec::new();
            let va = v.as_array().unwrap_or(&empty);
            let ua = u.and_then(Json::as_array).unwrap_or(&empty);
            let mut out = Vec::with_capacity(va.len().max(ua.len()));
            for i in 0..va.len().max(ua.len()) {
                path.push(Seg::Index(i));
                out.push(merge(
                    va.get(i).unwrap_or(&Json::Null),
                    ua.get(i),
                    path,
                    ctx,
                ));
                path.pop();
            }
            Dyn::List(out)
        }
        _ => from_json(v),
    }
}

/// A JSON value as a [`Dyn`].
pub(crate) fn from_json(v: &Json) -> Dyn {
    match v {
        Json::Null => Dyn::Null,
        Json::Bool(b) => Dyn::Bool(*b),
        Json::Number(n) => n.as_f64().map(Dyn::Number).unwrap_or(Dyn::Null),
        Json::String(s) => Dyn::String(s.clone()),
        Json::Array(a) => Dyn::List(a.iter().map(from_json).collect()),
        Json::Object(o) => Dyn::Map(o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
    }
}

/// Builds a block from converted values. `hcl` is the matching source block (positions,
/// and which names are nested blocks); `exprs` the block's configuration expressions.
fn to_block(
    kind: &str,
    labels: Vec<String>,
    map: BTreeMap<String, Dyn>,
    hcl: Option<&Block>,
    pos: Pos,
    exprs: Option<&Json>,
) -> Block {
    let mut out = Block {
        kind: kind.to_string(),
        labels,
        pos,
        ..Block::default()
    };
    for (k, v) in map {
        let hcl_blocks: Vec<&Block> = hcl.map(|h| h.blocks_of(&k).collect()).unwrap_or_default();
        let hcl_unknown = hcl.and_then(|h| h.unknown_blocks_of(&k));
        let expr = exprs.and_then(|e| e.get(&k));
        let is_block =
            !hcl_blocks.is_empty() || hcl_unknown.is_some() || expr.is_some_and(is_block_expr);
        match v {
            Dyn::List(items)
                if !items.is_empty() && items.iter().all(|i| matches!(i, Dyn::Map(_))) =>
            {
                let maps: Vec<BTreeMap<String, Dyn>> = items
                    .into_iter()
                    .filter_map(|i| match i {
                        Dyn::Map(m) => Some(m),
                        _ => None,
                    })
                    .collect();
                let matched = match_blocks(&maps, &hcl_blocks);
                for (i, (m, h)) in maps.into_iter().zip(matched).enumerate() {
                    let sub = expr.and_then(|e| match e {
                        Json::Array(a) => a.get(i).or_else(|| (a.len() == 1).then(|| &a[0])),
                        other => Some(other),
                    });
                    let p = h.map(|h| h.pos).unwrap_or(pos);
                    out.blocks.push(to_block(&k, Vec::new(), m, h, p, sub));
                }
            }
            Dyn::Map(m) if is_block => {
                let h = hcl_blocks.first().copied();
                let sub = expr.and_then(|e| match e {
                    Json::Array(a) => a.first(),
                    other => Some(other),
                });
                out.blocks.push(to_block(
                    &k,
                    Vec::new(),
                    m,
                    h,
                    h.map(|h| h.pos).unwrap_or(pos),
                    sub,
                ));
            }
            Dyn::Unknown(u) if is_block => out.unknown_blocks.push(UnknownBlock {
                kind: k.clone(),
                reason: u.reason,
                pos: hcl_unknown
                    .map(|b| b.pos)
                    .or_else(|| hcl_blocks.first().map(|b| b.pos))
                    .unwrap_or(pos),
            }),
            value => {
                let at = hcl.and_then(|h| h.attr(&k)).map(|a| a.pos).unwrap_or(pos);
                out.attributes.insert(k, Attribute { value, pos: at });
            }
        }
    }
    out
}

/// Pairs planned nested blocks with source blocks of the same type. Sets are reordered by
/// Terraform, so each planned block takes the unused source block that agrees with it on
/// the most known arguments (ties: the nearest position).
fn match_blocks<'h>(plan: &[BTreeMap<String, Dyn>], hcl: &[&'h Block]) -> Vec<Option<&'h Block>> {
    let mut used = vec![false; hcl.len()];
    let mut out = Vec::with_capacity(plan.len());
    for (i, m) in plan.iter().enumerate() {
        let best = hcl
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .max_by_key(|(j, h)| (score(m, h), std::cmp::Reverse(j.abs_diff(i))))
            .map(|(j, _)| j);
        out.push(best.map(|j| {
            used[j] = true;
            hcl[j]
        }));
    }
    out
}

/// How many known arguments of the source block have the planned value.
fn score(plan: &BTreeMap<String, Dyn>, hcl: &Block) -> usize {
    hcl.attributes
        .iter()
        .filter(|(k, a)| plan.get(*k).is_some_and(|p| same(p, &a.value)))
        .count()
}

/// Equality of a planned and a source value, with Terraform's primitive conversions.
fn same(a: &Dyn, b: &Dyn) -> bool {
    match (a, b) {
        (Dyn::Unknown(_), _) | (_, Dyn::Unknown(_)) => false,
        (Dyn::Number(n), Dyn::String(s)) | (Dyn::String(s), Dyn::Number(n)) => {
            s.trim().parse::<f64>().is_ok_and(|m| m == *n)
        }
        (Dyn::Bool(x), Dyn::String(s)) | (Dyn::String(s), Dyn::Bool(x)) => s == &x.to_string(),
        (Dyn::List(x), Dyn::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx<'a>(
        exprs: Option<&'a Map<String, Json>>,
        refers: &'a dyn Fn(&Json) -> Option<String>,
    ) -> Ctx<'a> {
        Ctx {
            exprs,
            hcl: None,
            pos: Pos {
                line: 7,
                col: 3,
                end_line: 7,
            },
            refers,
        }
    }

    #[test]
    fn unknowns_blocks_and_computed_arguments() {
        let values = json!({
            "bucket": "data",
            "tags": {"env": "prod"},
            "ingress": [{"from_port": 22, "cidr_blocks": ["0.0.0.0/0"]}],
            "empty": [],
            "kms_key_id": null
        });
        let unknown = json!({
            "id": true, "arn": true, "kms_key_id": true,
            "ingress": [{"description": true}],
            "rule": true
        });
        let exprs = json!({
            "bucket": {"constant_value": "data"},
            "kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]},
            "ingress": [{"from_port": {"constant_value": 22}, "description": {"references": ["var.d"]}}],
            "rule": [{"x": {"constant_value": 1}}]
        });
        let refers = |e: &Json| -> Option<String> {
            e["references"]
                .as_array()?
                .last()?
                .as_str()
                .map(str::to_string)
        };
        let c = ctx(exprs.as_object(), &refers);
        let b = body(
            "resource",
            vec!["t".into(), "n".into()],
            &values,
            Some(&unknown),
            &c,
        );
        // Computed and not written: left out.
        assert!(b.attr("id").is_none() && b.attr("arn").is_none());
        assert_eq!(b.attr("bucket").unwrap().value, Dyn::String("data".into()));
        assert!(matches!(b.attr("tags").unwrap().value, Dyn::Map(_)));
        assert_eq!(b.attr("empty").unwrap().value, Dyn::List(vec![]));
        match &b.attr("kms_key_id").unwrap().value {
            Dyn::Unknown(u) => {
                assert_eq!(&*u.reason, AFTER_APPLY);
                assert_eq!(u.refers_to.as_deref(), Some("aws_kms_key.k"));
            }
            other => panic!("{other:?}"),
        }
        let ing: Vec<&Block> = b.blocks_of("ingress").collect();
        assert_eq!(ing.len(), 1);
        assert_eq!(ing[0].attr("from_port").unwrap().value, Dyn::Number(22.0));
        match &ing[0].attr("description").unwrap().value {
            Dyn::Unknown(u) => assert_eq!(u.refers_to.as_deref(), Some("var.d")),
            other => panic!("{other:?}"),
        }
        assert_eq!(ing[0].pos.line, 7);
        assert_eq!(
            b.unknown_blocks_of("rule").unwrap().reason.as_ref(),
            AFTER_APPLY
        );
    }

    #[test]
    fn without_configuration_unknowns_are_kept() {
        let refers = |_: &Json| None;
        let c = ctx(None, &refers);
        let b = body(
            "resource",
            vec![],
            &json!({}),
            Some(&json!({"id": true})),
            &c,
        );
        assert!(matches!(b.attr("id").unwrap().value, Dyn::Unknown(_)));
    }

    #[test]
    fn set_blocks_match_source_blocks_by_content() {
        let mk = |line: u32, port: f64| Block {
            kind: "ingress".into(),
            pos: Pos {
                line,
                col: 3,
                end_line: line + 4,
            },
            attributes: [(
                "from_port".to_string(),
                Attribute {
                    value: Dyn::Number(port),
                    pos: Pos {
                        line: line + 1,
                        col: 5,
                        end_line: line + 1,
                    },
                },
            )]
            .into_iter()
            .collect(),
            ..Block::default()
        };
        let (a, b) = (mk(10, 443.0), mk(20, 22.0));
        let plan: Vec<BTreeMap<String, Dyn>> = [22.0, 443.0]
            .iter()
            .map(|p| {
                [("from_port".to_string(), Dyn::Number(*p))]
                    .into_iter()
                    .collect()
            })
            .collect();
        let m = match_blocks(&plan, &[&a, &b]);
        assert_eq!(m[0].map(|b| b.pos.line), Some(20));
        assert_eq!(m[1].map(|b| b.pos.line), Some(10));
    }
}
