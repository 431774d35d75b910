//! `soc2scan drift`: what Terraform declares against what runs.
//!
//! - **Declared side**: the Terraform sources under the given paths, evaluated with their
//!   variables (as `scan` reads them); without paths, the states' own values.
//! - **States** (`--state`, repeatable: a `.tfstate` file, `terraform show -json` of a
//!   state, or an S3 backend object `s3://bucket/key`) say which resources Terraform
//!   manages and their real identifiers (ARN, id, name): a side table
//!   ([`soc2scan_terraform::tfplan::state::StateIdentity`]) keyed by the model
//!   resource's scope and Terraform address.
//! - **Live side**: the AWS accounts of the `--aws` options, read as `scan --aws` reads
//!   them.
//!
//! Each managed resource is matched to the live resource by ARN, else by id or name
//! within its type, account and region. The comparison is generic: both sides'
//! resources of every model collection are turned into JSON (`serde_json::to_value`)
//! and compared field by field — every field of the model is a field some rule reads,
//! the model types are the definition. Collections whose resources have several
//! entries per resource (a security group's rules) are compared as sets. The
//! comparisons go into [`Model::drift`](crate::model::Model::drift), where the rules
//! `DRIFT-001` (field drift), `DRIFT-002` (unmanaged) and `DRIFT-003` (missing) read them,
//! so every reporter treats them as ordinary findings.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use soc2scan_terraform::tfplan::state::{self, StateError, StateIdentity};

use crate::config::UnmanagedAllow;
use crate::controls::Controls;
use crate::coverage::Status;
use crate::model::aws::tags::TAGGED_COLLECTIONS;
use crate::model::aws::AwsModel;
use crate::model::drift::{DriftModel, FieldComparison, ManagedPresence, UnmanagedResource};
use crate::model::{Model, Origin, ResourceMeta, Value};

/// A state given to `--state`, read.
#[derive(Debug, Clone)]
pub struct LoadedState {
    /// As given (a path as shown, or `s3://bucket/key`).
    pub name: String,
    /// The file, for a local state (its directory may hold the sources).
    pub path: Option<PathBuf>,
    /// The document.
    pub text: String,
}

/// Reads a local state file; the error names it.
pub fn load_file(path: &Path) -> Result<LoadedState, StateError> {
    let name = path.to_string_lossy().replace('\\', "/");
    let bytes = std::fs::read(path).map_err(|e| StateError {
        state: name.clone(),
        line: None,
        message: format!("cannot read the Terraform state: {e}"),
    })?;
    from_bytes(name, Some(path.to_path_buf()), bytes)
}

/// A state from its bytes (a file's, or an S3 backend object's).
pub fn from_bytes(
    name: String,
    path: Option<PathBuf>,
    bytes: Vec<u8>,
) -> Result<LoadedState, StateError> {
    let text = String::from_utf8(bytes).map_err(|_| StateError {
        state: name.clone(),
        line: None,
        message: "the Terraform state is not UTF-8 text".into(),
    })?;
    Ok(LoadedState { name, path, text })
}

/// Reads every state: the identities of their managed resources, and the model of the
/// states that no root module of `declared` (the scanned sources) declares — for them the
/// state's values are the declared side (see [`pair_scope`]).
pub fn read_states(
    states: &[LoadedState],
    declared: &Model,
) -> Result<(Model, Vec<StateIdentity>), StateError> {
    let mut addresses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, m) in declared.aws.resources() {
        addresses
            .entry(m.scope.to_string())
            .or_default()
            .insert(m.address.to_string());
    }
    let mut model = Model::default();
    let mut identities = Vec::new();
    for s in states {
        let read = state::read(&s.text, &s.name, s.path.as_deref())?;
        match pair_scope(s, &read.identities, &addresses) {
            Some(root) => identities.extend(read.identities.into_iter().map(|mut i| {
                i.scope = root.as_str().into();
                i
            })),
            None => {
                model.extend(read.model);
                identities.extend(read.identities);
            }
        }
    }
    Ok((model, identities))
}

/// The root module of the scanned sources (`addresses`: the resource addresses of each
/// root module, as the model names it) whose configuration a state applied: the one
/// declaring most of the state's managed addresses, preferring, among equals, the one
/// whose directory ends the state's directory. `None` when no root module declares any
/// of them: the state's values are then the declared side.
pub fn pair_scope(
    s: &LoadedState,
    identities: &[StateIdentity],
    addresses: &BTreeMap<String, BTreeSet<String>>,
) -> Option<String> {
    let dir = s
        .path
        .as_deref()
        .and_then(Path::parent)
        .and_then(|d| std::fs::canonicalize(d).ok());
    addresses
        .iter()
        .map(|(root, addrs)| {
            let shared = identities
                .iter()
                .filter(|i| addrs.contains(&i.address))
                .count();
            let beside = dir
                .as_ref()
                .is_some_and(|d| root.is_empty() || d.ends_with(root.as_str()));
            (shared, beside, root)
        })
        .filter(|(shared, _, _)| *shared > 0)
        .max_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| b.2.cmp(a.2)))
        .map(|(_, _, root)| root.clone())
}

/// What the comparison needs besides the two models.
#[derive(Debug, Default)]
pub struct CompareOptions {
    /// Per collection (`aws.s3_buckets`), the rules that read it with their criteria
    /// (`AWS-S3-001 (CC6.1, C1.1)`). Only these collections are checked for unmanaged
    /// resources.
    pub read_by: BTreeMap<String, Vec<String>>,
    /// Per collection, the SOC 2 criteria of the rules that read it, in catalog order:
    /// what a field comparison of that collection gives evidence for besides CC8.1
    /// ([`FieldComparison::criteria`]).
    pub criteria: BTreeMap<String, Vec<String>>,
    /// `[drift] unmanaged_allow`.
    pub allow: Vec<UnmanagedAllow>,
}

impl CompareOptions {
    /// The rules of `controls` and the collections each reads.
    pub fn from_rules(controls: &Controls, allow: Vec<UnmanagedAllow>) -> CompareOptions {
        let mut read_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut criteria: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
        for rule in crate::rules::all() {
            let id = rule.meta().id;
            let of_rule = controls.criteria_of(id);
            for c in crate::rules::reads(rule) {
                read_by
                    .entry(c.to_string())
                    .or_default()
                    .push(format!("{id} ({})", of_rule.join(", ")));
                criteria
                    .entry(c.to_string())
                    .or_default()
                    .extend(of_rule.iter().map(String::as_str));
            }
        }
        // Catalog order, as every report lists criteria.
        let criteria = criteria
            .into_iter()
            .map(|(c, set)| {
                let ordered = controls
                    .criteria
                    .iter()
                    .filter(|x| set.contains(x.id.as_str()))
                    .map(|x| x.id.clone())
                    .collect();
                (c, ordered)
            })
            .collect();
        CompareOptions {
            read_by,
            criteria,
            allow,
        }
    }
}

/// One resource's entries in one collection, as JSON.
type Items<'a> = Vec<&'a Json>;

/// The collections of a model as JSON: collection → key → entries, where the key is
/// (scope, address) of the entries' `meta`.
fn grouped(aws: &Json) -> BTreeMap<&'static str, BTreeMap<(String, String), Items<'_>>> {
    let mut out = BTreeMap::new();
    for c in AwsModel::COLLECTIONS {
        let field = c.trim_start_matches("aws.");
        let mut g: BTreeMap<(String, String), Items<'_>> = BTreeMap::new();
        for item in aws
            .get(field)
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            let meta = &item["meta"];
            let key = (
                meta["scope"].as_str().unwrap_or_default().to_string(),
                meta["address"].as_str().unwrap_or_default().to_string(),
            );
            g.entry(key).or_default().push(item);
        }
        out.insert(*c, g);
    }
    out
}

/// Every collection, the primary ones first (in [`AwsModel::COLLECTIONS`] order), then
/// the [`AwsModel::DERIVED`] ones: a resource is named by its own collection, and a
/// derived collection only adds what no primary one holds.
fn primary_first() -> impl Iterator<Item = &'static str> {
    let primary = AwsModel::COLLECTIONS
        .iter()
        .filter(|c| !AwsModel::DERIVED.contains(c));
    primary.chain(AwsModel::DERIVED).copied()
}

/// The last segment of an ARN (`orders`, `sg-0abc`, a bucket name).
fn arn_tail(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// Account and region of a live origin.
fn live_scope(o: &Origin) -> Option<(String, String)> {
    match o {
        Origin::Aws {
            account, region, ..
        } => Some((account.to_string(), region.to_string())),
        _ => None,
    }
}

/// Whether a JSON object is a serialised [`Value`].
fn is_value(j: &Json) -> bool {
    j.as_object().is_some_and(|o| {
        o.len() == 3
            && o.contains_key("origin")
            && o.contains_key("path")
            && o.get("value").and_then(|v| v.get("state")).is_some()
    })
}

/// A serialised [`Value`] back as `Value<Json>` (its known value as JSON).
fn as_value(j: &Json) -> Option<Value<Json>> {
    serde_json::from_value(j.clone()).ok()
}

/// A setting without where it came from: every [`Value`] replaced by its known value
/// (`{"unknown": reason}` when unknown), `meta` and `origin` members left out.
fn setting(j: &Json) -> Json {
    if is_value(j) {
        let v = &j["value"];
        return match v["state"].as_str() {
            Some("unknown") => serde_json::json!({ "unknown": v["value"] }),
            _ => setting(&v["value"]),
        };
    }
    match j {
        Json::Object(o) => Json::Object(
            o.iter()
                .filter(|(k, _)| k.as_str() != "meta" && k.as_str() != "origin")
                .map(|(k, v)| (k.clone(), setting(v)))
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(setting).collect()),
        other => other.clone(),
    }
}

/// Whether a setting holds an unknown value anywhere.
fn has_unknown(j: &Json) -> Option<String> {
    match j {
        Json::Object(o) if o.len() == 1 && o.contains_key("unknown") => {
            Some(o["unknown"].as_str().unwrap_or("unknown").to_string())
        }
        Json::Object(o) => o.values().find_map(has_unknown),
        Json::Array(a) => a.iter().find_map(has_unknown),
        _ => None,
    }
}

/// The leaves of one resource entry: (field path, value). A [`Value`] is a leaf; a
/// nested struct is walked; anything else (a list of structs, a plain value) is a leaf
/// with the resource's origin.
fn leaves(j: &Json, prefix: &str, origin: &Origin, out: &mut Vec<(String, Value<Json>)>) {
    let Json::Object(o) = j else { return };
    for (k, v) in o {
        if k == "meta" || k == "origin" {
            continue;
        }
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if is_value(v) {
            if let Some(mut val) = as_value(v) {
                if let Some(known) = val.known() {
                    let s = setting(known);
                    val = Value::set(s, val.origin.clone(), val.path.clone());
                }
                out.push((path, val));
            }
        } else if v.is_object() && !v.as_object().is_some_and(|m| m.is_empty()) {
            leaves(v, &path, origin, out);
        } else {
            let s = setting(v);
            let val = match has_unknown(&s) {
                Some(r) => Value::unknown(r, origin.clone(), path.clone()),
                None => Value::set(s, origin.clone(), path.clone()),
            };
            out.push((path, val));
        }
    }
}

/// The status of `collection` in the live scope `aws:account/region`.
fn live_status(
    coverage: &HashMap<(String, String), Status>,
    scope: &str,
    collection: &str,
) -> Result<(), String> {
    match coverage.get(&(scope.to_string(), collection.to_string())) {
        Some(s) if s.is_complete() => Ok(()),
        Some(s) => Err(format!("{collection} {} in {scope}", s.describe())),
        None => Err(format!("{scope} was not scanned")),
    }
}

/// Compares the declared model with the live one. `identities` are the managed
/// resources of every state of the run.
pub fn compare(
    declared: &Model,
    identities: &[StateIdentity],
    live: &Model,
    opts: &CompareOptions,
) -> DriftModel {
    let d_json = serde_json::to_value(&declared.aws).unwrap_or(Json::Null);
    let l_json = serde_json::to_value(&live.aws).unwrap_or(Json::Null);
    let d = grouped(&d_json);
    let l = grouped(&l_json);
    let mut out = DriftModel::default();

    // Every live resource: address → (rtype, origin); and by (rtype, tail).
    let mut live_res: BTreeMap<&str, (&str, &Origin)> = BTreeMap::new();
    let mut by_tail: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for (_, m) in live
        .aws
        .resources()
        .into_iter()
        .filter(|(c, _)| !AwsModel::DERIVED.contains(c))
    {
        if live_res.insert(&m.address, (&m.rtype, &m.origin)).is_none() {
            by_tail
                .entry((&m.rtype, arn_tail(&m.address)))
                .or_default()
                .push(&m.address);
        }
    }
    let accounts: BTreeSet<String> = live_res
        .values()
        .filter_map(|(_, o)| live_scope(o).map(|(a, _)| a))
        .chain(live.coverage.entries().filter_map(|e| {
            e.scope
                .strip_prefix("aws:")
                .and_then(|s| s.split_once('/'))
                .map(|(a, _)| a.to_string())
        }))
        .collect();
    // A collection has several entries per resource somewhere: compare it as a set.
    let multi: BTreeSet<&str> = AwsModel::COLLECTIONS
        .iter()
        .copied()
        .filter(|c| d[c].values().any(|v| v.len() > 1) || l[c].values().any(|v| v.len() > 1))
        .collect();

    let by_addr = state::by_address(identities);

    // Resolve each managed instance to a live resource.
    let mut matched: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for i in identities {
        let found = i
            .arn
            .as_deref()
            .filter(|a| live_res.contains_key(a))
            .or_else(|| {
                [i.id.as_deref(), i.name.as_deref()]
                    .into_iter()
                    .flatten()
                    .find_map(|cand| {
                        by_tail
                            .get(&(i.rtype.as_str(), cand))?
                            .iter()
                            .copied()
                            .find(|a| {
                                let Some((acc, reg)) =
                                    live_res.get(a).and_then(|(_, o)| live_scope(o))
                                else {
                                    return false;
                                };
                                i.account.as_ref().is_none_or(|x| *x == acc)
                                    && i.region.as_ref().is_none_or(|x| *x == reg)
                            })
                    })
            });
        if let Some(a) = found {
            matched.insert((&i.scope, &i.address), a);
        }
    }
    let managed_live: BTreeSet<&str> = matched.values().copied().collect();

    let declared_resources = declared.aws.resources();
    let declared_meta: HashMap<(&str, &str), &ResourceMeta> = declared_resources
        .iter()
        .map(|(_, m)| ((&*m.scope, &*m.address), *m))
        .collect();
    let coverage = live
        .coverage
        .entries()
        .map(|e| ((e.scope.to_string(), e.collection.clone()), e.status))
        .collect::<HashMap<(String, String), Status>>();

    // Security group rules declared as resources of their own, by the managed group
    // they belong to (scope, group address): the API lists them with the group's inline
    // rules, so they are compared with the live group's rules together with those.
    let separate = separate_rules(&d, identities, &declared_meta);

    // DRIFT-001: field by field.
    for ((scope, address), arn) in &matched {
        let live_origin = live_res[arn].1.clone();
        let (acc, reg) = live_scope(&live_origin).unwrap_or_default();
        let live_scope_name = format!("aws:{acc}/{reg}");
        // The fields the resource's primary collections hold (an S3 bucket's `tags`): a
        // derived collection repeating them (its `aws.data_stores` entry) is not
        // compared on them again.
        let mut primary_fields: BTreeSet<String> = BTreeSet::new();
        for c in &primary_first().collect::<Vec<_>>() {
            let derived = AwsModel::DERIVED.contains(c);
            let key_d = (scope.to_string(), address.to_string());
            let key_l = (String::new(), arn.to_string());
            let empty = Vec::new();
            let di = d[c].get(&key_d).unwrap_or(&empty);
            let li = l[c].get(&key_l).unwrap_or(&empty);
            let is_rules = *c == RULES;
            let with_separate: Vec<&Json>;
            let di: &[&Json] = match separate.rules.get(&key_d).filter(|_| is_rules) {
                Some(extra) => {
                    with_separate = di.iter().copied().chain(extra.iter()).collect();
                    &with_separate
                }
                None => di,
            };
            if di.is_empty() && (li.is_empty() || derived) {
                continue;
            }
            if !derived {
                primary_fields.extend(
                    di.iter()
                        .chain(li)
                        .filter_map(|i| i.as_object())
                        .flat_map(|o| o.keys().cloned()),
                );
            }
            // A group's rules are compared as a set, on the group (rules declared as
            // resources of their own are among them).
            let decl_meta = if is_rules {
                declared_meta.get(&(*scope, *address)).map(|m| (*m).clone())
            } else {
                di.first()
                    .and_then(|i| serde_json::from_value::<ResourceMeta>(i["meta"].clone()).ok())
            };
            let Some(decl_meta) = decl_meta else {
                // Only live has entries of this collection for the resource: compared
                // below as a set when the collection is one.
                if !multi.contains(c) {
                    continue;
                }
                let Some(m) = declared_meta.get(&(*scope, *address)).map(|m| (*m).clone()) else {
                    continue;
                };
                compare_sets(&mut out, c, &m, arn, di, li, &live_origin, opts);
                continue;
            };
            let meta = ResourceMeta {
                origin: live_origin.clone(),
                ..decl_meta.clone()
            };
            if multi.contains(c) || is_rules {
                if li.is_empty() {
                    if let Err(reason) = live_status(&coverage, &live_scope_name, c) {
                        out.fields.push(FieldComparison {
                            meta: meta.clone(),
                            collection: c.to_string(),
                            field: c.trim_start_matches("aws.").to_string(),
                            declared: Value::set(Json::Null, decl_meta.origin.clone(), ""),
                            live: Value::unknown(reason, live_origin.clone(), ""),
                            read_by: opts.read_by.get(*c).cloned().unwrap_or_default(),
                            criteria: opts.criteria.get(*c).cloned().unwrap_or_default(),
                        });
                        continue;
                    }
                }
                compare_sets(&mut out, c, &decl_meta, arn, di, li, &live_origin, opts);
                continue;
            }
            let (Some(dv), Some(lv)) = (di.first(), li.first()) else {
                continue;
            };
            let mut dl = Vec::new();
            leaves(dv, "", &decl_meta.origin, &mut dl);
            if derived {
                dl.retain(|(field, _)| {
                    let top = field.split('.').next().unwrap_or_default();
                    !primary_fields.contains(top)
                });
            }
            let mut ll = Vec::new();
            leaves(lv, "", &live_origin, &mut ll);
            let ll: BTreeMap<String, Value<Json>> = ll.into_iter().collect();
            for (field, mut dval) in dl {
                let Some(lval) = ll.get(&field) else { continue };
                // A reference to the resource itself (a rule's group) names it in each
                // source's own way.
                let own = |v: &Value<Json>, me: &str| v.known().and_then(Json::as_str) == Some(me);
                if own(&dval, address) && own(lval, arn) {
                    continue;
                }
                // A reference to another managed resource by its Terraform address (a
                // logging target, a key): the same setting when the live value is that
                // resource's ARN, id or name as its state records them.
                if let (Some(Json::String(target)), Some(Json::String(live_value))) =
                    (dval.known(), lval.known())
                {
                    let named = by_addr.get(&(*scope, target.as_str())).is_some_and(|i| {
                        [&i.arn, &i.id, &i.name]
                            .into_iter()
                            .flatten()
                            .any(|v| v == live_value)
                    });
                    if named {
                        dval = Value::set(
                            lval.known().cloned().unwrap_or_default(),
                            dval.origin.clone(),
                            dval.path.clone(),
                        );
                    }
                }
                out.fields.push(FieldComparison {
                    meta: meta.clone(),
                    collection: c.to_string(),
                    field,
                    declared: dval,
                    live: lval.clone(),
                    read_by: opts.read_by.get(*c).cloned().unwrap_or_default(),
                    criteria: opts.criteria.get(*c).cloned().unwrap_or_default(),
                });
            }
        }
    }

    // DRIFT-003: every managed instance with an entry of its own type, found or not.
    for i in identities {
        let Some((c, meta)) = primary_first().find_map(|c| {
            let items = d[c].get(&(i.scope.to_string(), i.address.clone()))?;
            let first = items.first()?;
            (first["meta"]["rtype"].as_str() == Some(i.rtype.as_str()))
                .then(|| serde_json::from_value::<ResourceMeta>(first["meta"].clone()).ok())
                .flatten()
                .map(|m| (c, m))
        }) else {
            continue;
        };
        let identifier = i
            .arn
            .clone()
            .or_else(|| i.id.clone())
            .or_else(|| i.name.clone())
            .unwrap_or_default();
        if separate
            .attached
            .contains(&(i.scope.to_string(), i.address.clone()))
        {
            // Judged with its group's rules (DRIFT-001 on the group).
            continue;
        }
        let at = meta.origin.clone();
        let account = i.account.clone().or_else(|| {
            (accounts.len() == 1)
                .then(|| accounts.iter().next().cloned())
                .flatten()
        });
        let live_scope_name = match (&account, &i.region) {
            (Some(a), Some(r)) => Some(format!("aws:{a}/{r}")),
            _ => None,
        };
        let found = if RULE_RESOURCES.contains(&i.rtype.as_str()) {
            // Not a resource of its own live: only its group lists it.
            Value::unknown(
                format!(
                    "{} belongs to a security group ({}) that no state of this run manages: \
                     its rules are compared through the group",
                    i.address,
                    i.security_group_id.as_deref().unwrap_or("unknown")
                ),
                at.clone(),
                "",
            )
        } else if matched.contains_key(&(&*i.scope, i.address.as_str())) {
            Value::set(true, at.clone(), "")
        } else {
            match &live_scope_name {
                None => Value::unknown(
                    format!(
                        "the state does not tell the account and region of {} and more than one account was scanned",
                        i.address
                    ),
                    at.clone(),
                    "",
                ),
                Some(s) => match live_status(&coverage, s, c) {
                    Ok(()) => Value::set(false, at.clone(), ""),
                    Err(reason) => Value::unknown(
                        format!("{c} was not read completely where {} lives: {reason}", i.address),
                        at.clone(),
                        "",
                    ),
                },
            }
        };
        out.managed.push(ManagedPresence {
            meta,
            collection: c.to_string(),
            identifier,
            found,
            live_scope: live_scope_name,
        });
    }

    // DRIFT-002: live resources of the collections rules read, managed by no state.
    // `[drift] unmanaged_allow` tag entries match the tags of the resource: its record's
    // own (a bucket's), else the live tags table `aws.resource_tags` (see [`tags_of`]).
    let mut own: HashMap<&str, LiveTags> = HashMap::new();
    for c in AwsModel::COLLECTIONS
        .iter()
        .filter(|c| !AwsModel::DERIVED.contains(c))
    {
        for ((_, address), items) in &l[c] {
            if let Some(tags) = items.first().and_then(|i| record_tags(i)) {
                own.entry(address.as_str()).or_insert(tags);
            }
        }
    }
    let table: HashMap<&str, BTreeMap<String, String>> = l["aws.resource_tags"]
        .iter()
        .filter_map(
            |((_, address), items)| match items.first().and_then(|i| record_tags(i))? {
                LiveTags::Known(t) => Some((address.as_str(), t)),
                LiveTags::Unknown(_) => None,
            },
        )
        .collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for c in primary_first() {
        if !opts.read_by.contains_key(c) {
            continue;
        }
        for ((_, address), items) in &l[c] {
            if managed_live.contains(address.as_str()) || seen.contains(address.as_str()) {
                continue;
            }
            let Some(first) = items.first() else { continue };
            let Some((live_address, _)) = live_res.get_key_value(address.as_str()) else {
                continue;
            };
            seen.insert(live_address);
            if !created(address, first) {
                continue;
            }
            let Ok(meta) = serde_json::from_value::<ResourceMeta>(first["meta"].clone()) else {
                continue;
            };
            let tags = match own.get(address.as_str()) {
                Some(t) => t.clone(),
                None => tags_of(address, c, &meta, &table, &coverage),
            };
            let (allowed_by, tags_not_read) = allowance(&opts.allow, address, &tags);
            out.unmanaged.push(UnmanagedResource {
                meta,
                collection: c.to_string(),
                allowed_by,
                tags_not_read,
            });
        }
    }
    out
}

/// What the live scan knows of a resource's tags.
#[derive(Debug, Clone, PartialEq)]
enum LiveTags {
    /// The tags (tags with unknown values left out; live tags have none).
    Known(BTreeMap<String, String>),
    /// Not read, with the reason.
    Unknown(String),
}

/// The tags of a live record that has `tags`: known, or unknown with the reason.
fn record_tags(entry: &Json) -> Option<LiveTags> {
    let v = as_value(entry.get("tags")?)?;
    if let Some(reason) = v.unknown_reason() {
        return Some(LiveTags::Unknown(reason.to_string()));
    }
    let known = v.known()?.get("known")?.clone();
    serde_json::from_value(known).ok().map(LiveTags::Known)
}

/// The tags of the live resource `arn` of `collection` (`meta` its identity) whose own
/// record holds none: its entry of the live tags table `aws.resource_tags` (`table`);
/// no tags when the collection is one of [`TAGGED_COLLECTIONS`] and the table was read
/// completely where the tagging API lists the resource (its region; `us-east-1` for an
/// ARN naming no region); unknown with the reason otherwise — the table not read there,
/// or a kind whose tags the live scan does not read.
fn tags_of(
    arn: &str,
    collection: &str,
    meta: &ResourceMeta,
    table: &HashMap<&str, BTreeMap<String, String>>,
    coverage: &HashMap<(String, String), Status>,
) -> LiveTags {
    if let Some(t) = table.get(arn) {
        return LiveTags::Known(t.clone());
    }
    if !TAGGED_COLLECTIONS.contains(&collection) {
        return LiveTags::Unknown(format!(
            "the live scan does not read the tags of {} resources",
            meta.rtype
        ));
    }
    let Some((account, _)) = live_scope(&meta.origin) else {
        return LiveTags::Unknown(format!("{arn} was not read live"));
    };
    let region = match arn.split(':').nth(3).unwrap_or_default() {
        "" => "us-east-1",
        r => r,
    };
    match live_status(
        coverage,
        &format!("aws:{account}/{region}"),
        "aws.resource_tags",
    ) {
        Ok(()) => LiveTags::Known(BTreeMap::new()),
        Err(reason) => LiveTags::Unknown(format!("its tags were not read ({reason})")),
    }
}

/// Whether `[drift] unmanaged_allow` (`allow`) allows the unmanaged resource `arn` with
/// `tags`: the first entry that does, as written; else, when some entry is a tag entry
/// and the tags were not read, why those entries could not be checked.
fn allowance(
    allow: &[UnmanagedAllow],
    arn: &str,
    tags: &LiveTags,
) -> (Option<String>, Option<String>) {
    let none = BTreeMap::new();
    let known = match tags {
        LiveTags::Known(t) => Some(t),
        LiveTags::Unknown(_) => None,
    };
    let allowed_by = allow.iter().find(|a| match (a, known) {
        (UnmanagedAllow::Arn(..), _) => a.allows(arn, &none),
        (UnmanagedAllow::Tag(..), Some(t)) => a.allows(arn, t),
        (UnmanagedAllow::Tag(..), None) => false,
    });
    let not_read = match (allowed_by, tags) {
        (None, LiveTags::Unknown(reason))
            if allow.iter().any(|a| matches!(a, UnmanagedAllow::Tag(..))) =>
        {
            Some(reason.clone())
        }
        _ => None,
    };
    (allowed_by.map(UnmanagedAllow::as_written), not_read)
}

/// The collection of security group rules.
const RULES: &str = "aws.security_group_rules";

/// Resource types of security group rules declared as resources of their own.
const RULE_RESOURCES: &[&str] = &[
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

/// Security group rules declared as resources of their own, tied to their group.
#[derive(Default)]
struct SeparateRules {
    /// (scope, group address) → the rules' entries, their `group` the group's address.
    rules: BTreeMap<(String, String), Vec<Json>>,
    /// (scope, rule address) of every rule tied to a managed group.
    attached: BTreeSet<(String, String)>,
}

/// Ties every declared rule resource to the managed group it belongs to: by the group
/// the sources reference (`security_group_id = aws_security_group.web.id`), else by the
/// `security_group_id` its state records, matched to a group's id or ARN in the same
/// state. A rule tied to no managed group stays apart (its presence is not evaluated).
fn separate_rules(
    d: &BTreeMap<&'static str, BTreeMap<(String, String), Items<'_>>>,
    identities: &[StateIdentity],
    declared_meta: &HashMap<(&str, &str), &ResourceMeta>,
) -> SeparateRules {
    let mut groups_by_id: HashMap<(&str, &str), &str> = HashMap::new();
    for i in identities.iter().filter(|i| {
        matches!(
            i.rtype.as_str(),
            "aws_security_group" | "aws_default_security_group"
        )
    }) {
        for v in [&i.id, &i.arn].into_iter().flatten() {
            groups_by_id.insert((&i.scope, v), &i.address);
        }
    }
    let rule_groups: HashMap<(&str, &str), &str> = identities
        .iter()
        .filter_map(|i| {
            let id = i.security_group_id.as_deref()?;
            let group = groups_by_id.get(&(&*i.scope, id))?;
            Some(((&*i.scope, i.address.as_str()), *group))
        })
        .collect();
    let mut out = SeparateRules::default();
    let Some(rules) = d.get(RULES) else {
        return out;
    };
    for ((scope, address), items) in rules {
        for item in items {
            let rtype = item["meta"]["rtype"].as_str().unwrap_or_default();
            if !RULE_RESOURCES.contains(&rtype) {
                continue;
            }
            let group = item["group"]
                .as_str()
                .filter(|g| declared_meta.contains_key(&(scope.as_str(), *g)))
                .or_else(|| {
                    rule_groups
                        .get(&(scope.as_str(), address.as_str()))
                        .copied()
                });
            let Some(group) = group else { continue };
            let mut entry = (*item).clone();
            entry["group"] = Json::String(group.to_string());
            out.rules
                .entry((scope.clone(), group.to_string()))
                .or_default()
                .push(entry);
            out.attached.insert((scope.clone(), address.clone()));
        }
    }
    out
}

/// A security group rule's setting as one entry per source range (IPv4, then IPv6);
/// as it is when it has at most one, or its ranges are not known.
fn rule_atoms(j: Json) -> Vec<Json> {
    let ranges = |k: &str| j.get(k).and_then(Json::as_array).cloned();
    let (Some(v4), Some(v6)) = (ranges("ipv4_ranges"), ranges("ipv6_ranges")) else {
        return vec![j];
    };
    if v4.len() + v6.len() <= 1 {
        return vec![j];
    }
    let v4 = v4.into_iter().map(|r| ("ipv4_ranges", "ipv6_ranges", r));
    let v6 = v6.into_iter().map(|r| ("ipv6_ranges", "ipv4_ranges", r));
    v4.chain(v6)
        .map(|(k, other, r)| {
            let mut a = j.clone();
            a[k] = Json::Array(vec![r]);
            a[other] = Json::Array(vec![]);
            a
        })
        .collect()
}

/// The settings without repeats (a rule both in a state's inline view of its group and
/// declared as a resource of its own), first occurrence kept.
fn distinct(xs: impl Iterator<Item = Json>) -> Vec<Json> {
    let mut out: Vec<Json> = Vec::new();
    for x in xs {
        if !out.iter().any(|y| crate::model::drift::same_setting(&x, y)) {
            out.push(x);
        }
    }
    out
}

/// `j` with every string equal to `me` (the resource's own address) replaced by `"self"`.
fn own_as_self(j: Json, me: &str) -> Json {
    match j {
        Json::String(s) if s == me => Json::String("self".into()),
        Json::Array(a) => Json::Array(a.into_iter().map(|v| own_as_self(v, me)).collect()),
        Json::Object(o) => Json::Object(
            o.into_iter()
                .map(|(k, v)| (k, own_as_self(v, me)))
                .collect(),
        ),
        other => other,
    }
}

/// Whether a live record stands for a resource someone created, which Terraform could
/// manage: not one AWS creates itself in every account and region (the default VPC and
/// security group: `is_default`), not an account or region setting (an ARN whose
/// resource part names no resource id: `account-password-policy`, `root`,
/// `ebs-encryption-by-default`) and not the placeholder of a service without a resource
/// (`detector/none`). Everything else is for `[drift] unmanaged_allow` to accept.
fn created(arn: &str, entry: &Json) -> bool {
    if entry["is_default"] == Json::Bool(true) {
        return false;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or_default();
    let (service, account, resource) = (part(2), part(4), part(5));
    let setting = match service {
        // Every EC2 and IAM resource ARN is `type/id`.
        "ec2" | "iam" => !resource.contains('/'),
        // Bucket ARNs name no account; account-level S3 records do.
        "s3" => !account.is_empty(),
        _ => false,
    };
    !setting && !resource.ends_with("/none")
}

/// Compares the entries of a collection that holds several per resource as sets of
/// settings: one comparison named after the collection, whose values are the entries
/// only one side has (both sides' entries when they are the same).
#[allow(clippy::too_many_arguments)]
fn compare_sets(
    out: &mut DriftModel,
    collection: &str,
    decl_meta: &ResourceMeta,
    live_arn: &str,
    di: &[&Json],
    li: &[&Json],
    live_origin: &Origin,
    opts: &CompareOptions,
) {
    let field = collection.trim_start_matches("aws.").to_string();
    // An entry's reference to its own resource (a rule's group) names it in each
    // source's own way: the Terraform address, the ARN.
    let mut ds: Vec<Json> = di
        .iter()
        .map(|j| own_as_self(setting(j), &decl_meta.address))
        .collect();
    let mut ls: Vec<Json> = li
        .iter()
        .map(|j| own_as_self(setting(j), live_arn))
        .collect();
    if collection == RULES {
        // The API groups the ranges of one port into one permission, whichever
        // resources declared them: compare one entry per source range.
        ds = distinct(ds.into_iter().flat_map(rule_atoms));
        ls = distinct(ls.into_iter().flat_map(rule_atoms));
    }
    let meta = ResourceMeta {
        origin: live_origin.clone(),
        ..decl_meta.clone()
    };
    // Each side shows the entries only it has; both show all their entries when the
    // sets are the same (a pass).
    let only = |xs: &[Json], ys: &[Json]| -> Vec<Json> {
        xs.iter()
            .filter(|x| !ys.iter().any(|y| crate::model::drift::same_setting(x, y)))
            .cloned()
            .collect()
    };
    let (d_only, l_only) = (only(&ds, &ls), only(&ls, &ds));
    let same = d_only.is_empty() && l_only.is_empty();
    if same {
        // The same set, in one order (the declared one, sorted): DRIFT-001 compares the
        // two lists member by member.
        ds.sort_by_key(|j| j.to_string());
        let mut ordered: Vec<Json> = ds
            .iter()
            .filter_map(|x| {
                ls.iter()
                    .find(|y| crate::model::drift::same_setting(x, y))
                    .cloned()
            })
            .collect();
        ordered.extend(only(&ls, &ordered));
        ls = ordered;
    }
    let declared = match ds.iter().find_map(has_unknown) {
        Some(r) => Value::unknown(r, decl_meta.origin.clone(), field.clone()),
        None => Value::set(
            Json::Array(if same { ds.clone() } else { d_only }),
            decl_meta.origin.clone(),
            field.clone(),
        ),
    };
    let live = match ls.iter().find_map(has_unknown) {
        Some(r) => Value::unknown(r, live_origin.clone(), field.clone()),
        None => Value::set(
            Json::Array(if same { ls.clone() } else { l_only }),
            live_origin.clone(),
            field.clone(),
        ),
    };
    out.fields.push(FieldComparison {
        meta,
        collection: collection.to_string(),
        field,
        declared,
        live,
        read_by: opts.read_by.get(collection).cloned().unwrap_or_default(),
        criteria: opts.criteria.get(collection).cloned().unwrap_or_default(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::iam::PolicyDocument;
    use crate::model::aws::sqs::SqsQueue;
    use crate::model::Resolved;

    const ACCOUNT: &str = "111111111111";

    fn tf(line: u32) -> Origin {
        Origin::File {
            path: "infra/main.tf".into(),
            line,
            col: 1,
            end_line: line,
        }
    }

    fn live_origin(name: &str, region: &str) -> Origin {
        Origin::Aws {
            arn: format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}").into(),
            region: region.into(),
            account: ACCOUNT.into(),
        }
    }

    fn queue(meta: ResourceMeta, sse: Resolved<bool>) -> SqsQueue {
        let o = meta.origin.clone();
        SqsQueue {
            kms_key: Value::defaulted(None, o.clone(), "kms_master_key_id"),
            sqs_managed_sse: Value {
                value: sse,
                origin: o.clone(),
                path: "sqs_managed_sse_enabled".into(),
            },
            policy: Value::defaulted(PolicyDocument::default(), o, "policy"),
            meta,
        }
    }

    fn identity(address: &str, name: &str, region: &str) -> StateIdentity {
        StateIdentity {
            scope: "infra".into(),
            address: address.into(),
            module: String::new(),
            rtype: "aws_sqs_queue".into(),
            arn: None,
            id: Some(format!(
                "https://sqs.{region}.amazonaws.com/{ACCOUNT}/{name}"
            )),
            name: Some(name.into()),
            account: None,
            region: Some(region.into()),
            security_group_id: None,
            state: "terraform.tfstate".into(),
        }
    }

    #[test]
    fn compares_matches_and_finds_missing_and_unmanaged() {
        let mut declared = Model::default();
        for (i, (addr, sse)) in [
            ("aws_sqs_queue.orders", Resolved::Set(true)),
            (
                "aws_sqs_queue.jobs",
                Resolved::Unknown("known after apply".into()),
            ),
            ("aws_sqs_queue.gone", Resolved::Set(true)),
            ("aws_sqs_queue.far", Resolved::Set(true)),
        ]
        .into_iter()
        .enumerate()
        {
            let meta =
                ResourceMeta::new(addr, "aws_sqs_queue", tf(i as u32 * 5 + 1)).with_scope("infra");
            declared.aws.sqs_queues.push(queue(meta, sse));
        }
        let identities = vec![
            identity("aws_sqs_queue.orders", "orders", "eu-west-1"),
            identity("aws_sqs_queue.jobs", "jobs", "eu-west-1"),
            identity("aws_sqs_queue.gone", "gone", "eu-west-1"),
            identity("aws_sqs_queue.far", "far", "us-east-2"),
        ];
        let mut live = Model::default();
        for (name, sse) in [
            ("orders", false),
            ("jobs", true),
            ("manual", true),
            ("cdk-q", true),
        ] {
            let o = live_origin(name, "eu-west-1");
            let Origin::Aws { arn, .. } = &o else {
                unreachable!()
            };
            let meta = ResourceMeta::new(arn.clone(), "aws_sqs_queue", o.clone());
            live.aws.sqs_queues.push(queue(meta, Resolved::Set(sse)));
        }
        let scope = format!("aws:{ACCOUNT}/eu-west-1");
        for c in AwsModel::COLLECTIONS {
            live.coverage
                .record(scope.as_str(), c, Status::Read { count: 0 });
        }
        let allow = vec![UnmanagedAllow::Arn(
            "arn:aws:sqs:*:*:cdk-*".into(),
            globset::Glob::new("arn:aws:sqs:*:*:cdk-*")
                .unwrap()
                .compile_matcher(),
        )];
        let opts = CompareOptions {
            read_by: BTreeMap::from([(
                "aws.sqs_queues".to_string(),
                vec!["AWS-SQS-001 (CC6.1, C1.1)".to_string()],
            )]),
            allow,
            ..CompareOptions::default()
        };
        let d = compare(&declared, &identities, &live, &opts);

        // Fields: orders drifted (true → false), jobs unknown before apply.
        let sse: Vec<(&str, Option<&Json>, Option<&Json>)> = d
            .fields
            .iter()
            .filter(|f| f.field == "sqs_managed_sse")
            .map(|f| (&*f.meta.address, f.declared.known(), f.live.known()))
            .collect();
        assert_eq!(
            sse,
            [
                ("aws_sqs_queue.jobs", None, Some(&Json::Bool(true))),
                (
                    "aws_sqs_queue.orders",
                    Some(&Json::Bool(true)),
                    Some(&Json::Bool(false))
                ),
            ]
        );
        let orders = d
            .fields
            .iter()
            .find(|f| f.meta.address.as_ref() == "aws_sqs_queue.orders")
            .unwrap();
        assert_eq!(orders.meta.origin, live_origin("orders", "eu-west-1"));
        assert_eq!(&*orders.meta.scope, "infra");
        assert_eq!(orders.declared.origin, tf(1));
        // Missing: gone (read there), far (us-east-2 not scanned: unknown).
        let found: BTreeMap<&str, Resolved<bool>> = d
            .managed
            .iter()
            .map(|m| (&*m.meta.address, m.found.value.clone()))
            .collect();
        assert_eq!(found["aws_sqs_queue.orders"], Resolved::Set(true));
        assert_eq!(found["aws_sqs_queue.gone"], Resolved::Set(false));
        assert!(
            matches!(&found["aws_sqs_queue.far"], Resolved::Unknown(r) if r.contains("us-east-2 was not scanned"))
        );
        // Unmanaged: manual; cdk-q allowed by its ARN.
        let unmanaged: Vec<(&str, Option<&str>)> = d
            .unmanaged
            .iter()
            .map(|u| (&*u.meta.address, u.allowed_by.as_deref()))
            .collect();
        assert_eq!(
            unmanaged,
            [
                (
                    "arn:aws:sqs:eu-west-1:111111111111:cdk-q",
                    Some("arn:aws:sqs:*:*:cdk-*")
                ),
                ("arn:aws:sqs:eu-west-1:111111111111:manual", None),
            ]
        );
    }

    fn tag_entry(k: &str, v: &str) -> UnmanagedAllow {
        UnmanagedAllow::Tag(k.into(), Some(v.into()))
    }

    fn arn_entry(glob: &str) -> UnmanagedAllow {
        UnmanagedAllow::Arn(
            glob.into(),
            globset::Glob::new(glob).unwrap().compile_matcher(),
        )
    }

    /// The first entry that allows wins; a tag entry never allows on tags not read, and
    /// the reason is kept only when no entry allowed and some entry is a tag entry.
    #[test]
    fn allowance_by_arn_and_known_or_unknown_tags() {
        let arn = "arn:aws:sqs:eu-west-1:111111111111:cdk-q";
        let cdk = LiveTags::Known(BTreeMap::from([("ManagedBy".into(), "cdk".into())]));
        let other = LiveTags::Known(BTreeMap::from([("ManagedBy".into(), "console".into())]));
        let unread = LiveTags::Unknown("its tags were not read (denied)".into());
        let tag = vec![tag_entry("ManagedBy", "cdk")];
        assert_eq!(
            allowance(&tag, arn, &cdk),
            (Some("tag:ManagedBy=cdk".into()), None)
        );
        assert_eq!(allowance(&tag, arn, &other), (None, None));
        assert_eq!(
            allowance(&tag, arn, &unread),
            (None, Some("its tags were not read (denied)".into()))
        );
        let both = vec![
            tag_entry("ManagedBy", "cdk"),
            arn_entry("arn:aws:sqs:*:*:cdk-*"),
        ];
        assert_eq!(
            allowance(&both, arn, &unread),
            (Some("arn:aws:sqs:*:*:cdk-*".into()), None)
        );
        // ARN globs only: the tags do not matter.
        let globs = vec![arn_entry("arn:aws:sqs:*:*:other-*")];
        assert_eq!(allowance(&globs, arn, &unread), (None, None));
        assert_eq!(allowance(&[], arn, &unread), (None, None));
    }

    /// The table's tags; none for a tagged kind where the table was read completely
    /// (CloudFront's in us-east-1); unknown where it was not, and for kinds whose tags
    /// the scan does not read.
    #[test]
    fn tags_of_from_the_table_and_its_coverage() {
        let eu = format!("aws:{ACCOUNT}/eu-west-1");
        let us = format!("aws:{ACCOUNT}/us-east-1");
        let mut coverage = HashMap::new();
        coverage.insert(
            (eu.clone(), "aws.resource_tags".to_string()),
            Status::Denied {
                call: "tag:GetResources".into(),
                reason: "AccessDenied".into(),
            },
        );
        coverage.insert(
            (us.clone(), "aws.resource_tags".to_string()),
            Status::Read { count: 1 },
        );
        let sg = |region: &str| format!("arn:aws:ec2:{region}:{ACCOUNT}:security-group/sg-1");
        let tagged = sg("us-east-1");
        let table = HashMap::from([(
            tagged.as_str(),
            BTreeMap::from([("ManagedBy".to_string(), "cdk".to_string())]),
        )]);
        let meta = |arn: &str, rtype: &str, region: &str| {
            ResourceMeta::new(
                arn,
                rtype,
                Origin::Aws {
                    arn: arn.into(),
                    region: region.into(),
                    account: ACCOUNT.into(),
                },
            )
        };
        let of = |arn: &str, c: &str, rtype: &str, region: &str| {
            tags_of(arn, c, &meta(arn, rtype, region), &table, &coverage)
        };
        assert_eq!(
            of(
                &tagged,
                "aws.security_groups",
                "aws_security_group",
                "us-east-1"
            ),
            LiveTags::Known(BTreeMap::from([("ManagedBy".into(), "cdk".into())]))
        );
        let untagged = format!("arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/sg-2");
        assert_eq!(
            of(
                &untagged,
                "aws.security_groups",
                "aws_security_group",
                "us-east-1"
            ),
            LiveTags::Known(BTreeMap::new())
        );
        // A distribution's ARN names no region: the table of us-east-1 tells.
        let dist = format!("arn:aws:cloudfront::{ACCOUNT}:distribution/E1");
        assert_eq!(
            of(
                &dist,
                "aws.cloudfront_distributions",
                "aws_cloudfront_distribution",
                "eu-west-1"
            ),
            LiveTags::Known(BTreeMap::new())
        );
        assert_eq!(
            of(&sg("eu-west-1"), "aws.security_groups", "aws_security_group", "eu-west-1"),
            LiveTags::Unknown(format!(
                "its tags were not read (aws.resource_tags denied: tag:GetResources (AccessDenied) in {eu})"
            ))
        );
        assert_eq!(
            of(
                &sg("ap-south-1"),
                "aws.security_groups",
                "aws_security_group",
                "ap-south-1"
            ),
            LiveTags::Unknown(format!(
                "its tags were not read (aws:{ACCOUNT}/ap-south-1 was not scanned)"
            ))
        );
        let policy = format!("arn:aws:iam::{ACCOUNT}:policy/p");
        assert_eq!(
            of(&policy, "aws.iam_policies", "aws_iam_policy", "us-east-1"),
            LiveTags::Unknown(
                "the live scan does not read the tags of aws_iam_policy resources".into()
            )
        );
    }

    /// Through `compare`: an unmanaged queue tagged so is allowed by the tag the table
    /// holds, an untagged one is not, one of a region whose table was denied is not
    /// allowed and says why; the table itself is no unmanaged resource.
    #[test]
    fn unmanaged_allow_tags_from_the_live_tags_table() {
        use crate::model::aws::tags::{ResourceTags, Tags};
        let mut live = Model::default();
        for (name, region) in [
            ("cdk-q", "eu-west-1"),
            ("plain", "eu-west-1"),
            ("far", "us-east-2"),
        ] {
            let o = live_origin(name, region);
            let Origin::Aws { arn, .. } = &o else {
                unreachable!()
            };
            let meta = ResourceMeta::new(arn.clone(), "aws_sqs_queue", o.clone());
            live.aws.sqs_queues.push(queue(meta, Resolved::Set(true)));
        }
        let o = live_origin("cdk-q", "eu-west-1");
        let Origin::Aws { arn, .. } = &o else {
            unreachable!()
        };
        let mut t = Tags::default();
        t.known.insert("ManagedBy".into(), "cdk".into());
        live.aws.resource_tags.push(ResourceTags {
            meta: ResourceMeta::new(arn.clone(), "sqs:queue", o.clone()),
            tags: Value::set(t, o.clone(), "tags"),
        });
        for c in AwsModel::COLLECTIONS {
            live.coverage.record(
                format!("aws:{ACCOUNT}/eu-west-1").as_str(),
                c,
                Status::Read { count: 0 },
            );
            let status = if *c == "aws.resource_tags" {
                Status::Failed {
                    call: "tag:GetResources".into(),
                    reason: "Throttling".into(),
                }
            } else {
                Status::Read { count: 0 }
            };
            live.coverage
                .record(format!("aws:{ACCOUNT}/us-east-2").as_str(), c, status);
        }
        let opts = CompareOptions {
            read_by: BTreeMap::from([
                (
                    "aws.sqs_queues".to_string(),
                    vec!["AWS-SQS-001".to_string()],
                ),
                ("aws.resource_tags".to_string(), vec!["CUSTOM".to_string()]),
            ]),
            allow: vec![tag_entry("ManagedBy", "cdk")],
            ..CompareOptions::default()
        };
        let d = compare(&Model::default(), &[], &live, &opts);
        let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = d
            .unmanaged
            .iter()
            .map(|u| {
                (
                    &*u.meta.address,
                    u.collection.as_str(),
                    u.allowed_by.as_deref(),
                    u.tags_not_read.as_deref(),
                )
            })
            .collect();
        let far_reason = format!(
            "its tags were not read (aws.resource_tags failed: tag:GetResources (Throttling) in aws:{ACCOUNT}/us-east-2)"
        );
        assert_eq!(
            got,
            [
                (
                    "arn:aws:sqs:eu-west-1:111111111111:cdk-q",
                    "aws.sqs_queues",
                    Some("tag:ManagedBy=cdk"),
                    None
                ),
                (
                    "arn:aws:sqs:eu-west-1:111111111111:plain",
                    "aws.sqs_queues",
                    None,
                    None
                ),
                (
                    "arn:aws:sqs:us-east-2:111111111111:far",
                    "aws.sqs_queues",
                    None,
                    Some(far_reason.as_str())
                ),
            ]
        );
    }

    /// A drifted queue encryption and a drifted security group port in one run: each
    /// DRIFT-001 result carries CC8.1 and the criteria of the rules reading its own
    /// field's collection, no other.
    #[test]
    fn each_drift_finding_carries_the_criteria_of_its_collection() {
        use crate::model::aws::ec2::{Direction, SecurityGroup, SecurityGroupRule};

        let controls = Controls::embedded().unwrap();
        let opts = CompareOptions::from_rules(&controls, vec![]);
        let sg_arn = format!("arn:aws:ec2:eu-west-1:{ACCOUNT}:security-group/sg-1");
        let sg_origin = Origin::Aws {
            arn: sg_arn.clone().into(),
            region: "eu-west-1".into(),
            account: ACCOUNT.into(),
        };
        let rule = |meta: &ResourceMeta, group: &str, port: i64| {
            let o = meta.origin.clone();
            SecurityGroupRule {
                meta: meta.clone(),
                origin: o.clone(),
                group: Some(group.to_string()),
                direction: Direction::Ingress,
                protocol: Value::set("tcp".to_string(), o.clone(), "protocol"),
                from_port: Value::set(port, o.clone(), "from_port"),
                to_port: Value::set(port, o.clone(), "to_port"),
                ipv4_ranges: Value::set(vec!["0.0.0.0/0".to_string()], o.clone(), "cidr_blocks"),
                ipv6_ranges: Value::set(vec![], o, "ipv6_cidr_blocks"),
            }
        };
        let mut declared = Model::default();
        let q =
            ResourceMeta::new("aws_sqs_queue.orders", "aws_sqs_queue", tf(1)).with_scope("infra");
        declared.aws.sqs_queues.push(queue(q, Resolved::Set(true)));
        let g = ResourceMeta::new("aws_security_group.web", "aws_security_group", tf(10))
            .with_scope("infra");
        declared.aws.security_groups.push(SecurityGroup {
            meta: g.clone(),
            name: Value::set("web".to_string(), tf(11), "name"),
            is_default: false,
        });
        declared
            .aws
            .security_group_rules
            .push(rule(&g, "aws_security_group.web", 443));
        let mut live = Model::default();
        let o = live_origin("orders", "eu-west-1");
        let Origin::Aws { arn, .. } = &o else {
            unreachable!()
        };
        live.aws.sqs_queues.push(queue(
            ResourceMeta::new(arn.clone(), "aws_sqs_queue", o.clone()),
            Resolved::Set(false),
        ));
        let lg = ResourceMeta::new(sg_arn.as_str(), "aws_security_group", sg_origin.clone());
        live.aws.security_groups.push(SecurityGroup {
            meta: lg.clone(),
            name: Value::set("web".to_string(), sg_origin, "GroupName"),
            is_default: false,
        });
        for port in [443, 22] {
            live.aws.security_group_rules.push(rule(&lg, &sg_arn, port));
        }
        let mut sg = identity("aws_security_group.web", "web", "eu-west-1");
        sg.rtype = "aws_security_group".into();
        sg.arn = Some(sg_arn.clone());
        sg.id = Some("sg-1".into());
        let identities = vec![identity("aws_sqs_queue.orders", "orders", "eu-west-1"), sg];
        let drift = compare(&declared, &identities, &live, &opts);
        let model = Model {
            drift,
            ..Model::default()
        };
        let rule = crate::rules::find("DRIFT-001").unwrap();
        let results = crate::engine::run(&model, &[rule], &Default::default());
        let fails: Vec<(&str, &str, Vec<&str>)> = results
            .iter()
            .filter(|r| r.is_fail())
            .map(|r| {
                (
                    &*r.resource,
                    &*r.attribute,
                    r.extra_criteria.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            fails,
            [
                (
                    "aws_sqs_queue.orders",
                    "sqs_managed_sse",
                    vec!["CC6.1", "CC6.6", "C1.1"]
                ),
                (
                    "aws_security_group.web",
                    "security_group_rules",
                    vec!["CC6.1", "CC6.6", "CC6.7", "C1.1"]
                ),
            ]
        );
        assert_eq!(controls.criteria_of("DRIFT-001"), ["CC8.1"]);
    }

    #[test]
    fn settings_and_defaults_are_not_unmanaged_resources() {
        let e = serde_json::json!({});
        assert!(!created("arn:aws:iam::1:account-password-policy", &e));
        assert!(!created(
            "arn:aws:ec2:eu-west-1:1:ebs-encryption-by-default",
            &e
        ));
        assert!(!created("arn:aws:s3::1:account-public-access-block", &e));
        assert!(!created("arn:aws:guardduty:eu-west-1:1:detector/none", &e));
        assert!(!created(
            "arn:aws:ec2:eu-west-1:1:vpc/vpc-1",
            &serde_json::json!({"is_default": true})
        ));
        assert!(created("arn:aws:s3:::bucket", &e));
        assert!(created("arn:aws:sqs:eu-west-1:1:queue", &e));
        assert!(created("arn:aws:ec2:eu-west-1:1:security-group/sg-1", &e));
    }

    /// 5,000 managed queues against 5,000 live ones (every tenth drifted) plus 500
    /// unmanaged: the comparison is linear in the resources (maps, no pairwise search).
    #[test]
    fn compare_scales_to_5000_resources() {
        let n = 5000;
        let mut declared = Model::default();
        let mut live = Model::default();
        let mut identities = Vec::new();
        for i in 0..n {
            let address = format!("aws_sqs_queue.q[{i}]");
            let meta = ResourceMeta::new(address.as_str(), "aws_sqs_queue", tf(i as u32 + 1))
                .with_scope("infra");
            declared
                .aws
                .sqs_queues
                .push(queue(meta, Resolved::Set(true)));
            identities.push(identity(&address, &format!("q{i}"), "eu-west-1"));
        }
        for i in 0..n + 500 {
            let o = live_origin(&format!("q{i}"), "eu-west-1");
            let Origin::Aws { arn, .. } = &o else {
                unreachable!()
            };
            let meta = ResourceMeta::new(arn.clone(), "aws_sqs_queue", o.clone());
            live.aws
                .sqs_queues
                .push(queue(meta, Resolved::Set(i % 10 != 0)));
        }
        let opts = CompareOptions {
            read_by: BTreeMap::from([("aws.sqs_queues".to_string(), vec![])]),
            ..CompareOptions::default()
        };
        let started = std::time::Instant::now();
        let d = compare(&declared, &identities, &live, &opts);
        let elapsed = started.elapsed();
        let drifted = d
            .fields
            .iter()
            .filter(|f| {
                f.field == "sqs_managed_sse"
                    && !crate::model::drift::same_setting(
                        f.declared.known().unwrap(),
                        f.live.known().unwrap(),
                    )
            })
            .count();
        assert_eq!(drifted, n / 10);
        assert_eq!(d.managed.len(), n);
        assert_eq!(d.unmanaged.len(), 500);
        eprintln!("compare of {n} managed resources: {elapsed:?}");
        assert!(elapsed.as_secs() < 60, "{elapsed:?}");
    }

    /// A declared reference to another managed resource by address is the same setting as
    /// the live value naming that resource by the ARN its state records.
    #[test]
    fn references_by_address_match_the_state_identifiers() {
        let key_arn = format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234");
        let meta =
            ResourceMeta::new("aws_sqs_queue.orders", "aws_sqs_queue", tf(1)).with_scope("infra");
        let mut q = queue(meta, Resolved::Set(true));
        q.kms_key = Value::set(
            Some("aws_kms_key.k".to_string()),
            tf(2),
            "kms_master_key_id",
        );
        let mut declared = Model::default();
        declared.aws.sqs_queues.push(q);
        let o = live_origin("orders", "eu-west-1");
        let Origin::Aws { arn, .. } = &o else {
            unreachable!()
        };
        let mut lq = queue(
            ResourceMeta::new(arn.clone(), "aws_sqs_queue", o.clone()),
            Resolved::Set(true),
        );
        lq.kms_key = Value::set(Some(key_arn.clone()), o.clone(), "KmsMasterKeyId");
        let mut live = Model::default();
        live.aws.sqs_queues.push(lq);
        let mut key = identity("aws_kms_key.k", "k", "eu-west-1");
        key.rtype = "aws_kms_key".into();
        key.arn = Some(key_arn);
        let identities = vec![identity("aws_sqs_queue.orders", "orders", "eu-west-1"), key];
        let d = compare(&declared, &identities, &live, &CompareOptions::default());
        let kms = d.fields.iter().find(|f| f.field == "kms_key").unwrap();
        assert!(
            crate::model::drift::same_setting(
                kms.declared.known().unwrap(),
                kms.live.known().unwrap()
            ),
            "{kms:?}"
        );
        assert_eq!(kms.declared.origin, tf(2));
    }
}
