//! Joining related resources: which resource instance a configuring resource (a bucket
//! policy, a flow log, a policy attachment) applies to, by reference (`refers_to`) or by
//! name, and which instances it *might* apply to when that cannot be told.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::discover::normalize;
use crate::model::ResourceMeta;
use crate::terraform::ir::{Dyn, Evaluated, Mode, Resource};

/// Index over the evaluated resources.
///
/// Resources of different root modules are separate configurations: the same address may
/// be declared in each, a reference in one never reaches another, and each resource's
/// identity ([`ResourceMeta::scope`]) includes its root module directory.
pub(crate) struct Ctx<'a> {
    /// Every resource and data-source instance.
    pub all: &'a [Resource],
    /// Resources by address (one per root module that declares the address).
    by_addr: HashMap<&'a str, Vec<&'a Resource>>,
    /// The scope (root module directory) of each resource, by identity, when known.
    scopes: HashMap<*const Resource, Arc<str>>,
}

impl<'a> Ctx<'a> {
    /// Indexes `ev`; root directories are taken relative to the current directory.
    pub fn new(ev: &'a Evaluated) -> Self {
        let cwd = std::env::current_dir().unwrap_or_default();
        Ctx::with_cwd(ev, &cwd)
    }

    /// Indexes `ev`, with root directories relative to `cwd`.
    pub fn with_cwd(ev: &'a Evaluated, cwd: &Path) -> Self {
        let mut by_addr: HashMap<&'a str, Vec<&'a Resource>> = HashMap::new();
        for r in &ev.resources {
            by_addr.entry(r.address.as_str()).or_default().push(r);
        }
        let mut scopes = HashMap::new();
        if ev.roots.len() == ev.resources.len() {
            // One shared string per root directory.
            let mut interned: HashMap<&str, Arc<str>> = HashMap::new();
            for (r, root) in ev.resources.iter().zip(&ev.roots) {
                let scope = interned
                    .entry(&**root)
                    .or_insert_with(|| scope_of_root(root, cwd))
                    .clone();
                scopes.insert(r as *const Resource, scope);
            }
        }
        Ctx {
            all: &ev.resources,
            by_addr,
            scopes,
        }
    }

    /// The scope of `r`: its root module directory (empty when the evaluation is one
    /// configuration, or for the current directory).
    pub fn scope(&self, r: &Resource) -> &str {
        self.scopes
            .get(&(r as *const Resource))
            .map(|s| &**s)
            .unwrap_or("")
    }

    /// The model identity of `r`: address, type, declaration and root module.
    pub fn meta(&self, r: &Resource) -> ResourceMeta {
        let m = super::read::meta(r);
        match self.scopes.get(&(r as *const Resource)) {
            Some(s) => m.with_scope(s.clone()),
            None => m,
        }
    }

    /// Whether two resources belong to the same root module (configuration): a
    /// reference or a variable in one never reaches resources of another.
    pub fn same_root(&self, a: &Resource, b: &Resource) -> bool {
        self.scope(a) == self.scope(b)
    }

    /// Managed resources of one of `types`, in evaluation order.
    pub fn managed(&self, types: &'a [&'a str]) -> impl Iterator<Item = &'a Resource> + 'a {
        self.all
            .iter()
            .filter(move |r| r.mode == Mode::Managed && types.contains(&r.rtype.as_str()))
    }

    /// The resource or data source at `address` in the root module of `from` (a
    /// reference written in `from`).
    pub fn get(&self, from: &Resource, address: &str) -> Option<&'a Resource> {
        self.by_addr
            .get(address)?
            .iter()
            .copied()
            .find(|r| self.same_root(r, from))
    }
}

/// The scope of a root module given by its display path: `/`-separated, relative to
/// `cwd`; empty for `cwd` itself (whose display path is absolute), so that a scan of a
/// single root module from its own directory does not depend on where it is checked out.
pub(crate) fn scope_of_root(root: &str, cwd: &Path) -> Arc<str> {
    let p = Path::new(root);
    if root.is_empty() || root == "." || (p.is_absolute() && normalize(p) == normalize(cwd)) {
        return Arc::from("");
    }
    Arc::from(root.replace('\\', "/").as_str())
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
    /// Whether target names are global across accounts and regions (S3 bucket names), so
    /// that a literal name may join resources of different root modules. Other names
    /// (IAM users and roles, per account; most others, per region) join only within
    /// the root module.
    pub global_names: bool,
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
                let referenced = ctx.get(from, a);
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
        // A literal name: within the root module, or in any configuration when names
        // are global (an S3 bucket name).
        Dyn::String(s) => {
            let targets = || {
                ctx.all.iter().filter(|t| {
                    t.mode == Mode::Managed
                        && spec.types.contains(&t.rtype.as_str())
                        && (spec.global_names || ctx.same_root(t, from))
                })
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

/// The configuring resources of some types, grouped by the target they apply to. Targets
/// are resource instances (not addresses: the same address in another root module is
/// another target).
#[derive(Default)]
pub(crate) struct Joins<'a> {
    definite: HashMap<*const Resource, Vec<&'a Resource>>,
    possible: HashMap<*const Resource, Arc<str>>,
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
            self.definite
                .entry(t as *const Resource)
                .or_default()
                .push(r);
        }
        if let Some(reason) = res.reason {
            for t in res.possible {
                self.possible
                    .entry(t as *const Resource)
                    .or_insert_with(|| reason.clone());
            }
        }
    }

    /// The resources that certainly configure `target`.
    pub fn definite(&self, target: &Resource) -> &[&'a Resource] {
        self.definite
            .get(&(target as *const Resource))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Why some resource might configure `target`, if one might.
    pub fn possible(&self, target: &Resource) -> Option<&Arc<str>> {
        self.possible.get(&(target as *const Resource))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::model::testutil::*;

    const BUCKET: TargetSpec<'static> = TargetSpec {
        types: &["aws_s3_bucket"],
        name_attr: Some("bucket"),
        global_names: true,
    };
    const USER: TargetSpec<'static> = TargetSpec {
        types: &["aws_iam_user"],
        name_attr: Some("name"),
        global_names: false,
    };

    /// Two root modules declaring the same addresses.
    fn two_roots() -> Evaluated {
        ev_roots(vec![
            (
                "infra/a",
                managed("aws_s3_bucket", "b", "", 1, |b| b.a("bucket", s("a-b"), 2)),
            ),
            (
                "infra/a",
                managed("aws_s3_bucket_versioning", "b", "", 5, |b| {
                    b.a("bucket", r("aws_s3_bucket.b"), 6)
                }),
            ),
            (
                "infra/a",
                data("aws_iam_policy_document", "p", "", 9, |b| b),
            ),
            (
                "infra/a",
                managed("aws_iam_user", "u", "", 12, |b| {
                    b.a("name", s("deploy"), 13)
                }),
            ),
            (
                "infra/a",
                managed("aws_iam_user_login_profile", "u", "", 15, |b| {
                    b.a("user", s("deploy"), 16)
                }),
            ),
            (
                "infra/b",
                managed("aws_s3_bucket", "b", "", 1, |b| b.a("bucket", s("b-b"), 2)),
            ),
            (
                "infra/b",
                managed("aws_s3_bucket_logging", "b", "", 5, |b| {
                    b.a("bucket", s("a-b"), 6)
                }),
            ),
            (
                "infra/b",
                managed("aws_iam_user", "u", "", 12, |b| {
                    b.a("name", s("deploy"), 13)
                }),
            ),
        ])
    }

    fn find<'a>(e: &'a Evaluated, root: &str, addr: &str) -> &'a Resource {
        e.resources
            .iter()
            .zip(&e.roots)
            .find(|(r, ro)| r.address == addr && &***ro == root)
            .map(|(r, _)| r)
            .expect("resource")
    }

    #[test]
    fn identity_and_lookups_are_per_root_module() {
        let e = two_roots();
        let ctx = Ctx::with_cwd(&e, Path::new("/work"));
        let (a, b) = (
            find(&e, "infra/a", "aws_s3_bucket.b"),
            find(&e, "infra/b", "aws_s3_bucket.b"),
        );
        assert_eq!(&*ctx.meta(a).scope, "infra/a");
        assert_eq!(&*ctx.meta(b).scope, "infra/b");
        assert_eq!(ctx.meta(a).address, ctx.meta(b).address);
        assert!(!ctx.same_root(a, b));
        // A reference from root B finds B's resource; a data source only A declares is
        // not visible from B.
        assert!(std::ptr::eq(ctx.get(b, "aws_s3_bucket.b").unwrap(), b));
        assert!(std::ptr::eq(ctx.get(a, "aws_s3_bucket.b").unwrap(), a));
        assert!(ctx.get(a, "data.aws_iam_policy_document.p").is_some());
        assert!(ctx.get(b, "data.aws_iam_policy_document.p").is_none());
    }

    #[test]
    fn joins_never_attach_another_roots_resource() {
        let e = two_roots();
        let ctx = Ctx::with_cwd(&e, Path::new("/work"));
        let (a, b) = (
            find(&e, "infra/a", "aws_s3_bucket.b"),
            find(&e, "infra/b", "aws_s3_bucket.b"),
        );
        let versioning = Joins::build(&ctx, &["aws_s3_bucket_versioning"], "bucket", BUCKET);
        assert_eq!(versioning.definite(a).len(), 1);
        assert!(
            versioning.definite(b).is_empty(),
            "A's versioning is not B's"
        );
        assert!(versioning.possible(b).is_none());
        // Bucket names are global: B's logging configuration names A's bucket.
        let logging = Joins::build(&ctx, &["aws_s3_bucket_logging"], "bucket", BUCKET);
        assert_eq!(logging.definite(a).len(), 1);
        assert!(logging.definite(b).is_empty());
        // IAM user names are per account: A's login profile is not B's user's.
        let (ua, ub) = (
            find(&e, "infra/a", "aws_iam_user.u"),
            find(&e, "infra/b", "aws_iam_user.u"),
        );
        let login = Joins::build(&ctx, &["aws_iam_user_login_profile"], "user", USER);
        assert_eq!(login.definite(ua).len(), 1);
        assert!(login.definite(ub).is_empty());
    }

    #[test]
    fn scopes_of_root_directories() {
        let cwd = Path::new("/work/repo");
        assert_eq!(&*scope_of_root("/work/repo", cwd), "");
        assert_eq!(&*scope_of_root("/work/repo/", cwd), "");
        assert_eq!(&*scope_of_root("", cwd), "");
        assert_eq!(&*scope_of_root("infra/prod", cwd), "infra/prod");
        assert_eq!(
            &*scope_of_root("../shared/examples/a", cwd),
            "../shared/examples/a"
        );
        assert_eq!(&*scope_of_root("/elsewhere/a", cwd), "/elsewhere/a");
        // Without roots (one configuration), every scope is empty.
        let one = ev(vec![managed("aws_s3_bucket", "b", "", 1, |b| b)]);
        let ctx = Ctx::with_cwd(&one, cwd);
        assert_eq!(&*ctx.meta(&one.resources[0]).scope, "");
    }

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
