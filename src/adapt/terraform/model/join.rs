//! Joining related resources: which resource instance a configuring resource (a bucket
//! policy, a flow log, a policy attachment) applies to, by reference (`refers_to`) or by
//! name, and which instances it *might* apply to when that cannot be told.

use std::collections::HashMap;
use std::sync::Arc;

use crate::adapt::terraform::ir::{Dyn, Evaluated, Mode, Resource};

/// Index over the evaluated resources.
pub(crate) struct Ctx<'a> {
    /// Every resource and data-source instance.
    pub all: &'a [Resource],
    by_addr: HashMap<&'a str, &'a Resource>,
    /// The root module of each resource (by its place in `all`), when several.
    roots: HashMap<*const Resource, &'a str>,
}

impl<'a> Ctx<'a> {
    /// Indexes `ev`.
    pub fn new(ev: &'a Evaluated) -> Self {
        let by_addr = ev
            .resources
            .iter()
            .map(|r| (r.address.as_str(), r))
            .collect();
        let roots = if ev.roots.len() == ev.resources.len() {
            ev.resources
                .iter()
                .zip(&ev.roots)
                .map(|(r, root)| (r as *const Resource, &**root))
                .collect()
        } else {
            HashMap::new()
        };
        Ctx {
            all: &ev.resources,
            by_addr,
            roots,
        }
    }

    /// Whether two resources belong to the same root module (configuration): a
    /// reference or a variable in one never reaches resources of another.
    pub fn same_root(&self, a: &Resource, b: &Resource) -> bool {
        self.roots.get(&(a as *const Resource)) == self.roots.get(&(b as *const Resource))
    }

    /// Managed resources of one of `types`, in evaluation order.
    pub fn managed(&self, types: &'a [&'a str]) -> impl Iterator<Item = &'a Resource> + 'a {
        self.all
            .iter()
            .filter(move |r| r.mode == Mode::Managed && types.contains(&r.rtype.as_str()))
    }

    /// The resource or data source at `address`.
    pub fn get(&self, address: &str) -> Option<&'a Resource> {
        self.by_addr.get(address).copied()
    }
}

/// The address without a trailing instance key (`aws_s3_bucket.b["x"]` → `aws_s3_bucket.b`).
pub(crate) fn base_address(addr: &str) -> &str {
    if addr.ends_with(']') {
        if let Some(i) = addr.rfind('[') {
            return &addr[..i];
        }
    }
    addr
}

/// Whether a resource in module instance `target` can be reached from a value in module
/// instance `from`: the same instance or one of its callers (module variables carry values
/// down from callers).
pub(crate) fn in_scope(target: &str, from: &str) -> bool {
    target.is_empty()
        || target == from
        || (from.starts_with(target) && from[target.len()..].starts_with('.'))
}

/// What a configuring resource applies to.
#[derive(Debug, Default)]
pub(crate) struct Resolution<'a> {
    /// The instances it certainly applies to.
    pub definite: Vec<&'a Resource>,
    /// Instances it might apply to (could not tell), with the reason.
    pub possible: Vec<&'a Resource>,
    /// Why the target could not be told, when `possible` is not empty.
    pub reason: Option<Arc<str>>,
}

/// How to find targets: their types and the attribute holding their name (`bucket`).
#[derive(Clone, Copy)]
pub(crate) struct TargetSpec<'a> {
    /// Resource types that can be targets.
    pub types: &'a [&'a str],
    /// Attribute naming the target (`bucket`, `name`), for joins by literal name.
    pub name_attr: Option<&'a str>,
}

fn target_name<'a>(t: &'a Resource, name_attr: &str) -> Option<&'a Dyn> {
    t.body.attr(name_attr).map(|a| &a.value)
}

/// Resolves the value `value` of the configuring resource `from` to target instances.
pub(crate) fn resolve<'a>(
    ctx: &Ctx<'a>,
    from: &Resource,
    value: &Dyn,
    spec: TargetSpec<'_>,
) -> Resolution<'a> {
    let targets = || {
        ctx.all.iter().filter(|t| {
            t.mode == Mode::Managed
                && spec.types.contains(&t.rtype.as_str())
                && ctx.same_root(t, from)
        })
    };
    let in_scope_targets = || {
        targets()
            .filter(|t| in_scope(&t.module, &from.module))
            .collect()
    };
    let mut out = Resolution::default();
    match value {
        Dyn::Unknown(u) => match &u.refers_to {
            Some(a) => {
                let a = a.as_ref();
                let exact: Vec<_> = targets().filter(|t| t.address == a).collect();
                if !exact.is_empty() {
                    out.definite = exact;
                    return out;
                }
                let by_base: Vec<_> = targets()
                    .filter(|t| base_address(&t.address) == a)
                    .collect();
                match by_base.len() {
                    0 => {}
                    1 => {
                        out.definite = by_base;
                        return out;
                    }
                    _ => {
                        out.possible = by_base;
                        out.reason = Some(
                            format!("{} refers to one of several instances of {a}", from.address)
                                .into(),
                        );
                        return out;
                    }
                }
                // A data source names something outside the configuration; a managed
                // resource of the target types that is not an instance cannot be; any
                // other reference (a random name, another resource's attribute) could be
                // any target in scope.
                let referenced = ctx.get(a).filter(|r| ctx.same_root(r, from)).or_else(|| {
                    ctx.all
                        .iter()
                        .find(|r| r.address == a && ctx.same_root(r, from))
                });
                if let (Some(d), Some(name_attr)) = (referenced, spec.name_attr) {
                    if d.mode == Mode::Data {
                        // `data.aws_s3_bucket.x.id`: the data source names its target.
                        if let Some(v) = d.body.attr(name_attr) {
                            return resolve(ctx, d, &v.value, spec);
                        }
                    }
                }
                let referenced_is_data =
                    a.contains("data.") && referenced.is_none_or(|r| r.mode == Mode::Data);
                if !referenced_is_data {
                    out.possible = in_scope_targets();
                    out.reason = Some(
                        format!(
                            "could not tell which resource {} configures: {}",
                            from.address, u.reason
                        )
                        .into(),
                    );
                }
            }
            None => {
                out.possible = in_scope_targets();
                out.reason = Some(
                    format!(
                        "could not tell which resource {} configures: {}",
                        from.address, u.reason
                    )
                    .into(),
                );
            }
        },
        // Names are global (an S3 bucket name): any configuration may name the target.
        Dyn::String(s) => {
            let targets = || {
                ctx.all
                    .iter()
                    .filter(|t| t.mode == Mode::Managed && spec.types.contains(&t.rtype.as_str()))
            };
            if let Some(name_attr) = spec.name_attr {
                out.definite = targets()
                    .filter(|t| matches!(target_name(t, name_attr), Some(Dyn::String(n)) if n == s))
                    .collect();
                if out.definite.is_empty() {
                    // A target whose own name is unknown may be the one named here.
                    out.possible = targets()
                        .filter(|t| matches!(target_name(t, name_attr), Some(Dyn::Unknown(_))))
                        .collect();
                    if !out.possible.is_empty() {
                        out.reason = Some(
                            format!(
                                "{} names \"{s}\", which may be a resource whose name is unknown",
                                from.address
                            )
                            .into(),
                        );
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// The configuring resources of some types, grouped by the target they apply to.
#[derive(Default)]
pub(crate) struct Joins<'a> {
    definite: HashMap<String, Vec<&'a Resource>>,
    possible: HashMap<String, Arc<str>>,
}

impl<'a> Joins<'a> {
    /// Indexes every managed resource of `types` by the target named in its `key`
    /// attribute (a single value or a list of values).
    pub fn build(ctx: &Ctx<'a>, types: &[&str], key: &str, spec: TargetSpec<'_>) -> Self {
        let mut j = Joins::default();
        for r in ctx
            .all
            .iter()
            .filter(|r| r.mode == Mode::Managed && types.contains(&r.rtype.as_str()))
        {
            let Some(attr) = r.body.attr(key) else {
                continue;
            };
            let values: Vec<&Dyn> = match &attr.value {
                Dyn::List(items) => items.iter().collect(),
                v => vec![v],
            };
            for v in values {
                j.add(r, resolve(ctx, r, v, spec));
            }
        }
        j
    }

    /// Records a resolution for `r`.
    pub fn add(&mut self, r: &'a Resource, res: Resolution<'_>) {
        for t in res.definite {
            self.definite.entry(t.address.clone()).or_default().push(r);
        }
        if let Some(reason) = res.reason {
            for t in res.possible {
                self.possible
                    .entry(t.address.clone())
                    .or_insert_with(|| reason.clone());
            }
        }
    }

    /// The resources that certainly configure `target`.
    pub fn definite(&self, target: &str) -> &[&'a Resource] {
        self.definite.get(target).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Why some resource might configure `target`, if one might.
    pub fn possible(&self, target: &str) -> Option<&Arc<str>> {
        self.possible.get(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_and_base() {
        assert!(in_scope("", "module.a"));
        assert!(in_scope("module.a", "module.a.module.b"));
        assert!(!in_scope("module.a", "module.ab"));
        assert!(!in_scope("module.a.module.b", "module.a"));
        assert_eq!(base_address("aws_s3_bucket.b[\"x\"]"), "aws_s3_bucket.b");
        assert_eq!(base_address("aws_s3_bucket.b"), "aws_s3_bucket.b");
    }
}
