//! The resource instances a plan document describes: planned values from `planned_values`
//! (every module, recursively), what is known only after apply from
//! `resource_changes[].change.after_unknown`, and data sources read during planning from
//! `prior_state`.

use std::collections::HashMap;

use serde_json::Value as Json;

use crate::terraform::ir::Mode;

/// One resource or data-source instance of the plan.
#[derive(Debug)]
pub(crate) struct PlanResource<'a> {
    /// Full instance address (`module.a["x"].aws_s3_bucket.b[0]`).
    pub address: String,
    /// Managed resource or data source.
    pub mode: Mode,
    /// Resource type.
    pub rtype: String,
    /// Resource name.
    pub name: String,
    /// Module instance address (`""` for the root module).
    pub module: String,
    /// Planned attribute values (an object; unknown values are absent or null).
    pub values: &'a Json,
    /// `after_unknown`: the same shape as `values`, `true` at every unknown leaf.
    pub unknown: Option<&'a Json>,
}

impl PlanResource<'_> {
    /// The instance key as written in the address (`[0]`, `["k"]`), if any.
    pub fn key(&self) -> Option<&str> {
        let mut local = self.address.strip_prefix(self.module.as_str())?;
        local = local.strip_prefix('.').unwrap_or(local);
        if self.mode == Mode::Data {
            local = local.strip_prefix("data.")?;
        }
        let rest = local
            .strip_prefix(self.rtype.as_str())?
            .strip_prefix('.')?
            .strip_prefix(self.name.as_str())?;
        rest.starts_with('[').then_some(rest)
    }
}

/// Reads the instances of a plan document. Entries that lack an address, type or name
/// are skipped and described in `problems`.
pub(crate) fn resources<'a>(doc: &'a Json, problems: &mut Vec<String>) -> Vec<PlanResource<'a>> {
    let mut changes: HashMap<&str, &'a Json> = HashMap::new();
    let rc = doc.get("resource_changes").and_then(Json::as_array);
    for c in rc.into_iter().flatten() {
        if c.get("deposed").is_some() {
            continue;
        }
        if let Some(a) = c.get("address").and_then(Json::as_str) {
            changes.insert(a, c);
        }
    }
    let mut out: Vec<PlanResource<'a>> = Vec::new();
    if let Some(root) = doc.get("planned_values").and_then(|p| p.get("root_module")) {
        walk_module(
            root,
            "",
            &mut |entry, module| match instance(entry, module, "values") {
                Ok(mut r) => {
                    r.unknown = changes
                        .get(r.address.as_str())
                        .and_then(|c| c.get("change"))
                        .and_then(|c| c.get("after_unknown"));
                    out.push(r);
                }
                Err(e) => problems.push(format!("planned_values: {e}")),
            },
        );
    }
    // Instances planned only in `resource_changes` (data sources read during apply, or a
    // plan without `planned_values`); deleted instances will not exist.
    for c in rc.into_iter().flatten() {
        if c.get("deposed").is_some() {
            continue;
        }
        let Some(change) = c.get("change") else {
            continue;
        };
        let actions: Vec<&str> = change
            .get("actions")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(Json::as_str).collect())
            .unwrap_or_default();
        if actions == ["delete"] || change.get("after").is_none_or(Json::is_null) {
            continue;
        }
        let address = c.get("address").and_then(Json::as_str).unwrap_or_default();
        if out.iter().any(|r| r.address == address) {
            continue;
        }
        let module = c
            .get("module_address")
            .and_then(Json::as_str)
            .unwrap_or_default();
        match instance(c, module, "") {
            Ok(mut r) => {
                r.values = change.get("after").unwrap_or(&Json::Null);
                r.unknown = change.get("after_unknown");
                out.push(r);
            }
            Err(e) => problems.push(format!("resource_changes: {e}")),
        }
    }
    // Data sources read while planning are in the prior state only.
    if let Some(root) = doc
        .get("prior_state")
        .and_then(|s| s.get("values"))
        .and_then(|v| v.get("root_module"))
    {
        walk_module(root, "", &mut |entry, module| {
            if entry.get("mode").and_then(Json::as_str) != Some("data") {
                return;
            }
            match instance(entry, module, "values") {
                Ok(r) => {
                    if !out.iter().any(|o| o.address == r.address) {
                        out.push(r);
                    }
                }
                Err(e) => problems.push(format!("prior_state: {e}")),
            }
        });
    }
    out
}

/// Calls `f` with every resource entry of a values-representation module and its child
/// modules, with the module instance address.
fn walk_module<'a>(m: &'a Json, module: &str, f: &mut dyn FnMut(&'a Json, &str)) {
    for r in m
        .get("resources")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        f(r, module);
    }
    for c in m
        .get("child_modules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let addr = c.get("address").and_then(Json::as_str).unwrap_or(module);
        walk_module(c, addr, f);
    }
}

/// Reads the identity of one resource entry; `values_key` names its values (empty: none).
fn instance<'a>(e: &'a Json, module: &str, values_key: &str) -> Result<PlanResource<'a>, String> {
    let s = |k: &str| e.get(k).and_then(Json::as_str).map(str::to_string);
    let (Some(address), Some(rtype), Some(name)) = (s("address"), s("type"), s("name")) else {
        return Err("a resource entry without `address`, `type` or `name` was skipped".into());
    };
    let mode = match e.get("mode").and_then(Json::as_str) {
        Some("data") => Mode::Data,
        _ => Mode::Managed,
    };
    let values = if values_key.is_empty() {
        &Json::Null
    } else {
        e.get(values_key).unwrap_or(&Json::Null)
    };
    Ok(PlanResource {
        address,
        mode,
        rtype,
        name,
        module: module.to_string(),
        values,
        unknown: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_modules_changes_and_prior_data() {
        let doc = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {
                "resources": [{"address": "aws_s3_bucket.b[\"k\"]", "mode": "managed",
                    "type": "aws_s3_bucket", "name": "b", "index": "k", "values": {"bucket": "x"}}],
                "child_modules": [{"address": "module.m", "resources": [
                    {"address": "module.m.aws_vpc.v", "mode": "managed", "type": "aws_vpc",
                     "name": "v", "values": {}},
                    {"mode": "managed", "type": "aws_vpc", "name": "broken"}]}]
            }},
            "resource_changes": [
                {"address": "aws_s3_bucket.b[\"k\"]", "change": {"actions": ["create"],
                    "after": {"bucket": "x"}, "after_unknown": {"id": true}}},
                {"address": "data.aws_iam_policy_document.p", "mode": "data",
                 "type": "aws_iam_policy_document", "name": "p", "change": {"actions": ["read"],
                    "after": {}, "after_unknown": {"json": true}}},
                {"address": "aws_vpc.gone", "type": "aws_vpc", "name": "gone",
                 "change": {"actions": ["delete"], "after": null}}
            ],
            "prior_state": {"values": {"root_module": {"resources": [
                {"address": "data.aws_caller_identity.c", "mode": "data",
                 "type": "aws_caller_identity", "name": "c", "values": {"account_id": "1"}},
                {"address": "aws_vpc.gone", "mode": "managed", "type": "aws_vpc",
                 "name": "gone", "values": {}}
            ]}}}
        });
        let mut problems = Vec::new();
        let rs = resources(&doc, &mut problems);
        let addrs: Vec<(&str, &str)> = rs
            .iter()
            .map(|r| (r.address.as_str(), r.module.as_str()))
            .collect();
        assert_eq!(
            addrs,
            [
                ("aws_s3_bucket.b[\"k\"]", ""),
                ("module.m.aws_vpc.v", "module.m"),
                ("data.aws_iam_policy_document.p", ""),
                ("data.aws_caller_identity.c", ""),
            ]
        );
        assert_eq!(rs[0].unknown, Some(&json!({"id": true})));
        assert_eq!(rs[0].key(), Some("[\"k\"]"));
        assert_eq!(rs[1].key(), None);
        assert_eq!(rs[2].mode, Mode::Data);
        assert_eq!(problems.len(), 1);
    }
}
