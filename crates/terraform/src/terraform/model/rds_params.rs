//! RDS parameter groups: `aws_db_parameter_group` and `aws_rds_cluster_parameter_group`
//! with their `parameter` blocks, and the reference from a DB instance or cluster to the
//! group it uses.

use std::sync::Arc;

use super::join::{resolve, Ctx, TargetSpec};
use super::read::Reader;
use crate::model::aws::rds::{
    DbParameter, DbParameterGroup, ParameterGroupKind, ParameterGroupRef,
};
use crate::model::aws::AwsModel;
use crate::model::{Resolved, Value};
use crate::terraform::ir::{Dyn, Resource};

const INSTANCE_GROUP: TargetSpec<'static> = TargetSpec {
    types: &["aws_db_parameter_group"],
    name_attr: Some("name"),
    global_names: false,
};

const CLUSTER_GROUP: TargetSpec<'static> = TargetSpec {
    types: &["aws_rds_cluster_parameter_group"],
    name_attr: Some("name"),
    global_names: false,
};

/// The group named by attribute `attr` of `r` (`parameter_group_name`,
/// `db_parameter_group_name`, `db_cluster_parameter_group_name`).
pub(crate) fn group_ref(
    ctx: &Ctx<'_>,
    r: &Resource,
    attr: &str,
    kind: ParameterGroupKind,
) -> Value<ParameterGroupRef> {
    let spec = match kind {
        ParameterGroupKind::Instance => INSTANCE_GROUP,
        ParameterGroupKind::Cluster => CLUSTER_GROUP,
    };
    group_ref_of(ctx, r, attr, spec)
}

/// The group of a type of `spec` named by attribute `attr` of `r`: by reference, by the
/// literal name of a group of the configuration, a `default.*` name or none (the
/// engine's default group), or a literal name of a group not in the configuration.
pub(crate) fn group_ref_of(
    ctx: &Ctx<'_>,
    r: &Resource,
    attr: &str,
    spec: TargetSpec<'_>,
) -> Value<ParameterGroupRef> {
    let rd = Reader::new(r);
    let Some(a) = rd.attr(attr) else {
        return Value::defaulted(ParameterGroupRef::Default, rd.owner_origin(), attr);
    };
    let at = rd.origin_at(a.pos);
    match &a.value {
        Dyn::Null => Value::defaulted(ParameterGroupRef::Default, at, attr),
        Dyn::String(s) if s.is_empty() => Value::defaulted(ParameterGroupRef::Default, at, attr),
        Dyn::String(s) if s.starts_with("default.") || s.starts_with("default:") => {
            Value::set(ParameterGroupRef::Default, at, attr)
        }
        v => {
            let res = resolve(ctx, r, v, spec);
            if let Some(g) = res.definite.first() {
                return Value::set(ParameterGroupRef::Group(g.address.clone()), at, attr);
            }
            if let Some(reason) = res.reason {
                return Value::unknown(reason, at, attr);
            }
            match v {
                Dyn::String(s) => Value::set(ParameterGroupRef::External(s.clone()), at, attr),
                Dyn::Unknown(u) => Value::unknown(u.reason.clone(), at, attr),
                _ => Value::unknown(format!("`{attr}` is not a string"), at, attr),
            }
        }
    }
}

/// The `parameter` blocks of a parameter group `r`: those whose name is known, and why
/// some are unknown, if any are.
pub(crate) fn parameters(r: &Resource) -> (Vec<DbParameter>, Option<Arc<str>>) {
    let rd = Reader::new(r);
    let mut parameters = Vec::new();
    let mut parameters_unknown: Option<Arc<str>> = rd
        .block
        .unknown_blocks_of("parameter")
        .map(|u| u.reason.clone());
    for p in rd.all("parameter") {
        let name = p.string("name", "");
        match &name.value {
            Resolved::Set(n) | Resolved::Defaulted(n) => parameters.push(DbParameter {
                name: n.to_ascii_lowercase(),
                value: p.string("value", ""),
            }),
            Resolved::Unknown(reason) => {
                parameters_unknown.get_or_insert_with(|| reason.clone());
            }
        }
    }
    (parameters, parameters_unknown)
}

fn group(ctx: &Ctx<'_>, r: &Resource, kind: ParameterGroupKind) -> DbParameterGroup {
    let rd = Reader::new(r);
    let (parameters, parameters_unknown) = parameters(r);
    DbParameterGroup {
        meta: ctx.meta(r),
        kind,
        family: rd.string("family", ""),
        parameters,
        parameters_unknown,
    }
}

/// Adds parameter groups to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(INSTANCE_GROUP.types) {
        aws.db_parameter_groups
            .push(group(ctx, r, ParameterGroupKind::Instance));
    }
    for r in ctx.managed(CLUSTER_GROUP.types) {
        aws.db_parameter_groups
            .push(group(ctx, r, ParameterGroupKind::Cluster));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::model::testutil::*;

    #[test]
    fn group_references_resolve_by_reference_name_default_and_unknown() {
        let e = ev(vec![
            managed("aws_db_parameter_group", "pg", "", 1, |b| {
                b.a("name", s("app-pg"), 2)
                    .a("family", s("postgres14"), 3)
                    .b(B::new("parameter", 4).a("name", s("RDS.FORCE_SSL"), 5).a(
                        "value",
                        s("1"),
                        6,
                    ))
            }),
            managed("aws_db_instance", "by_ref", "", 10, |b| {
                b.a("parameter_group_name", r("aws_db_parameter_group.pg"), 11)
            }),
            managed("aws_db_instance", "by_name", "", 20, |b| {
                b.a("parameter_group_name", s("app-pg"), 21)
            }),
            managed("aws_db_instance", "default", "", 30, |b| {
                b.a("parameter_group_name", s("default.postgres14"), 31)
            }),
            managed("aws_db_instance", "external", "", 40, |b| {
                b.a("parameter_group_name", s("shared"), 41)
            }),
            managed("aws_db_instance", "none", "", 50, |b| b),
        ]);
        let ctx = Ctx::new(&e);
        let at = |name: &str| {
            let r = ctx.all.iter().find(|r| r.name == name).expect("resource");
            group_ref(
                &ctx,
                r,
                "parameter_group_name",
                ParameterGroupKind::Instance,
            )
            .value
        };
        let g = ParameterGroupRef::Group("aws_db_parameter_group.pg".into());
        assert_eq!(at("by_ref"), Resolved::Set(g.clone()));
        assert_eq!(at("by_name"), Resolved::Set(g));
        assert_eq!(at("default"), Resolved::Set(ParameterGroupRef::Default));
        assert_eq!(
            at("external"),
            Resolved::Set(ParameterGroupRef::External("shared".into()))
        );
        assert_eq!(at("none"), Resolved::Defaulted(ParameterGroupRef::Default));

        let mut aws = AwsModel::default();
        adapt(&ctx, &mut aws);
        let p = aws.db_parameter_groups[0]
            .parameter("rds.force_ssl")
            .expect("parameter");
        assert_eq!(p.value.value, Resolved::Set("1".into()));
        assert_eq!(p.value.origin.line(), Some(6));
    }
}
