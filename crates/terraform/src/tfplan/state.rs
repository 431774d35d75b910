//! Terraform state → the same evaluated resources ([`ir::Evaluated`]) a plan gives, with
//! each managed resource's real identifiers.
//!
//! Two layouts are read, recognised by content:
//!
//! - a state file (`terraform.tfstate`, an S3 backend object), format **version 4**:
//!   `resources[]` with `mode`, `type`, `name`, `module` and `instances[]` (each with
//!   `attributes` and, under `count`/`for_each`, `index_key`). Deposed instances are
//!   left out (they are being replaced);
//! - `terraform show -json` of a state: `values.root_module` (resources and
//!   `child_modules`, as a plan's `planned_values`), read by the plan adapter's code.
//!
//! Values become [`ir::Block`]s through the plan adapter's conversion, so the model
//! adapters read a state exactly as they read a plan. Every value of a state is known
//! (the resource exists). Positions: the resource's block in the `.tf` files beside the
//! state when they are there (evaluated by the HCL evaluator, matched by address), else
//! the resource's entry in the state file.
//!
//! Identity: every managed instance keeps its address, module and the identifiers the
//! provider recorded (`arn`, `id`, `name`, `region`) in [`StateIdentity`]. The model's
//! resources carry their Terraform address in [`ResourceMeta::address`], so the
//! identities are a side table keyed by (scope, address): [`StateRead::identities`].
//!
//! [`ResourceMeta::address`]: crate::model::ResourceMeta::address

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::discover::{display_path, normalize};
use crate::model::Model;
use crate::terraform::ir::{self, Mode, Pos};
use crate::terraform::to_model;

use super::config::Config;
use super::convert;
use super::plan;
use super::positions::{address_positions, Sources};

/// The identifiers the provider recorded for one managed resource instance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StateIdentity {
    /// The root module (directory) or, without sources, the state it belongs to: the
    /// [`ResourceMeta::scope`](crate::model::ResourceMeta::scope) of its model resources.
    pub scope: Arc<str>,
    /// Full instance address (`module.m.aws_s3_bucket.b["k"]`).
    pub address: String,
    /// Module instance address (`""` for the root module).
    pub module: String,
    /// Resource type.
    pub rtype: String,
    /// `arn`, when the resource has one.
    pub arn: Option<String>,
    /// `id`.
    pub id: Option<String>,
    /// `name` (or `bucket`), when the resource has one.
    pub name: Option<String>,
    /// Account, from the ARN when it names one.
    pub account: Option<String>,
    /// Region, from the ARN or the `region` attribute.
    pub region: Option<String>,
    /// `security_group_id`, for a rule declared as a resource of its own
    /// (`aws_security_group_rule`, `aws_vpc_security_group_ingress_rule`,
    /// `aws_vpc_security_group_egress_rule`): the group it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_group_id: Option<String>,
    /// The state it was read from (display path or `s3://bucket/key`).
    pub state: Arc<str>,
}

/// Why a state could not be read. The whole state is refused: a partly read state would
/// make every resource it does not give look unmanaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError {
    /// The state, as given (path or `s3://bucket/key`).
    pub state: String,
    /// 1-based line of the problem, when known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.state, self.message),
            None => write!(f, "{}: {}", self.state, self.message),
        }
    }
}

impl std::error::Error for StateError {}

/// One resource instance of a state, before conversion.
#[derive(Debug, Clone, PartialEq)]
pub struct StateInstance {
    /// Full instance address.
    pub address: String,
    /// Managed resource or data source.
    pub mode: Mode,
    /// Resource type.
    pub rtype: String,
    /// Resource name.
    pub name: String,
    /// Module instance address (`""` for the root module).
    pub module: String,
    /// The instance's attributes.
    pub values: Json,
    /// Where the instance's entry is in the state file.
    pub pos: Pos,
}

/// A state read into the model.
#[derive(Debug, Default)]
pub struct StateRead {
    /// The managed resources as the model sees them (values of the state, positions in
    /// the sources beside it or in the state).
    pub model: Model,
    /// The identifiers of every managed instance, in address order.
    pub identities: Vec<StateIdentity>,
    /// Number of managed instances.
    pub resources: usize,
}

/// Parses a state document (`.tfstate` version 4, or `terraform show -json` of a state)
/// into its instances. `name` is the state as shown in messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<StateInstance>, StateError> {
    let err = |line: Option<u32>, message: String| StateError {
        state: name.to_string(),
        line,
        message,
    };
    let doc: Json = serde_json::from_str(text).map_err(|e| {
        let mut m = e.to_string();
        if let Some(i) = m.rfind(" at line ") {
            m.truncate(i);
        }
        err(
            u32::try_from(e.line()).ok().filter(|l| *l > 0),
            format!("Terraform state does not parse as JSON: {m}"),
        )
    })?;
    if let Some(root) = doc.get("values").and_then(|v| v.get("root_module")) {
        // `terraform show -json` of a state.
        let positions = address_positions(text);
        let mut problems = Vec::new();
        let wrapped = serde_json::json!({ "format_version": "1.0", "planned_values": { "root_module": root } });
        let mut out = Vec::new();
        for r in plan::resources(&wrapped, &mut problems) {
            out.push(StateInstance {
                pos: positions.get(&r.address).copied().unwrap_or(Pos {
                    line: 1,
                    col: 1,
                    end_line: 1,
                }),
                address: r.address,
                mode: r.mode,
                rtype: r.rtype,
                name: r.name,
                module: r.module,
                values: r.values.clone(),
            });
        }
        if let Some(p) = problems.first() {
            return Err(err(None, format!("Terraform state: {p}")));
        }
        return Ok(out);
    }
    if doc.get("format_version").is_some() {
        if doc.get("planned_values").is_some() || doc.get("resource_changes").is_some() {
            return Err(err(
                None,
                "this is a Terraform plan, not a state (`terraform show -json` without a plan \
                 file shows the state)"
                    .into(),
            ));
        }
        // `terraform show -json` of an empty state: no `values`, or no root module.
        return Ok(Vec::new());
    }
    match doc.get("version").and_then(Json::as_u64) {
        Some(4) => {}
        Some(v) => {
            return Err(err(
                None,
                format!(
                    "Terraform state version {v} is not supported (version 4, Terraform 0.12 and later, is)"
                ),
            ))
        }
        None => {
            return Err(err(
                None,
                "not a Terraform state: no `version` (a .tfstate file) or `values.root_module` \
                 (`terraform show -json`)"
                    .into(),
            ))
        }
    }
    let Some(resources) = doc.get("resources").and_then(Json::as_array) else {
        return Ok(Vec::new());
    };
    let lines = entry_lines(text);
    let mut out = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let s = |k: &str| r.get(k).and_then(Json::as_str);
        let (Some(rtype), Some(name)) = (s("type"), s("name")) else {
            return Err(err(None, format!("resources[{i}] has no `type` or `name`")));
        };
        let module = s("module").unwrap_or_default().to_string();
        let mode = match s("mode") {
            Some("data") => Mode::Data,
            Some("managed") | None => Mode::Managed,
            Some(other) => {
                return Err(err(
                    None,
                    format!("resources[{i}] ({rtype}.{name}) has an unknown mode {other:?}"),
                ))
            }
        };
        let line = lines
            .get(&(module.clone(), rtype.to_string(), name.to_string()))
            .copied()
            .unwrap_or(1);
        let Some(instances) = r.get("instances").and_then(Json::as_array) else {
            return Err(err(
                Some(line),
                format!("resources[{i}] ({rtype}.{name}) has no `instances`"),
            ));
        };
        for inst in instances {
            if inst.get("deposed").is_some() {
                continue;
            }
            let key = match inst.get("index_key") {
                None | Some(Json::Null) => String::new(),
                Some(Json::Number(n)) => format!("[{n}]"),
                Some(Json::String(k)) => format!("[{}]", Json::String(k.clone())),
                Some(other) => {
                    return Err(err(
                        Some(line),
                        format!(
                            "{rtype}.{name}: index_key {other} is neither a number nor a string"
                        ),
                    ))
                }
            };
            let local = match mode {
                Mode::Managed => format!("{rtype}.{name}{key}"),
                Mode::Data => format!("data.{rtype}.{name}{key}"),
            };
            let address = if module.is_empty() {
                local
            } else {
                format!("{module}.{local}")
            };
            let values = match inst.get("attributes") {
                Some(v @ Json::Object(_)) => v.clone(),
                _ => {
                    return Err(err(
                        Some(line),
                        format!(
                        "{address} has no `attributes` (only state version 4 attributes are read)"
                    ),
                    ))
                }
            };
            out.push(StateInstance {
                address,
                mode,
                rtype: rtype.to_string(),
                name: name.to_string(),
                module: module.clone(),
                values,
                pos: Pos {
                    line,
                    col: 1,
                    end_line: line,
                },
            });
        }
    }
    Ok(out)
}

/// The line of every resource entry of a version 4 state: the line of its `"type"`
/// member, keyed by (module, type, name) of the members written next to it (Terraform
/// writes `module`, `mode`, `type`, `name`, `provider` on consecutive lines).
fn entry_lines(text: &str) -> HashMap<(String, String, String), u32> {
    let lines: Vec<&str> = text.lines().collect();
    let member = |l: &str, k: &str| -> Option<String> {
        let rest = l.trim().strip_prefix(&format!("\"{k}\""))?;
        let rest = rest.trim_start().strip_prefix(':')?.trim();
        let rest = rest.trim_end_matches(',');
        serde_json::from_str::<String>(rest).ok()
    };
    let mut out = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(rtype) = member(l, "type") else {
            continue;
        };
        let near = |k: &str| {
            (i.saturating_sub(4)..(i + 5).min(lines.len())).find_map(|j| member(lines[j], k))
        };
        let Some(name) = near("name") else { continue };
        let module = near("module").unwrap_or_default();
        out.entry((module, rtype, name)).or_insert((i + 1) as u32);
    }
    out
}

/// Reads a state into the model. `state` names it in messages and origins (a display
/// path, or `s3://bucket/key`); `path` is where it is on disk, when it is a file (the
/// `.tf` files beside it then give positions, and their root module the scope).
pub fn read(text: &str, state: &str, path: Option<&Path>) -> Result<StateRead, StateError> {
    let instances = parse(text, state)?;
    let cwd = std::env::current_dir().unwrap_or_default();
    let empty = Json::Null;
    let config = Config::new(&empty);
    let sources = path
        .map(|p| Sources::load(p, &config, &cwd))
        .unwrap_or_default();
    let state_name: Arc<str> = Arc::from(state);
    let scope: Arc<str> = match &sources.root {
        Some(dir) => Arc::from(display_path(&normalize(&cwd.join(dir)), &cwd).as_str()),
        None => state_name.clone(),
    };
    let mut ev = ir::Evaluated::default();
    let mut identities = Vec::new();
    let refers = |_: &Json| None;
    for r in &instances {
        let hcl = sources.find(&r.address);
        let ctx = convert::Ctx {
            exprs: None,
            hcl: hcl.map(|h| &h.body),
            pos: r.pos,
            refers: &refers,
        };
        let kind = match r.mode {
            Mode::Managed => "resource",
            Mode::Data => "data",
        };
        let body = convert::body(
            kind,
            vec![r.rtype.clone(), r.name.clone()],
            &r.values,
            None,
            &ctx,
        );
        ev.resources.push(ir::Resource {
            mode: r.mode,
            rtype: r.rtype.clone(),
            name: r.name.clone(),
            address: r.address.clone(),
            module: r.module.clone(),
            file: hcl
                .map(|h| h.file.clone())
                .unwrap_or_else(|| state_name.clone()),
            body,
        });
        ev.roots.push(scope.clone());
        if r.mode == Mode::Managed {
            identities.push(identity(r, &scope, &state_name));
        }
    }
    ev.files_parsed = 1;
    let model = to_model::to_model(&ev);
    // The model names the root module as every Terraform source does (relative to the
    // working directory); the identities follow it.
    if let Some((_, m)) = model.aws.resources().first() {
        for i in &mut identities {
            i.scope = m.scope.clone();
        }
    }
    identities.sort();
    Ok(StateRead {
        model,
        resources: identities.len(),
        identities,
    })
}

/// The identifiers of a managed instance.
fn identity(r: &StateInstance, scope: &Arc<str>, state: &Arc<str>) -> StateIdentity {
    let s = |k: &str| {
        r.values
            .get(k)
            .and_then(Json::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let arn = s("arn");
    let (mut account, mut region) = (None, None);
    if let Some(a) = &arn {
        let parts: Vec<&str> = a.splitn(6, ':').collect();
        if parts.len() == 6 {
            region = Some(parts[3]).filter(|p| !p.is_empty()).map(str::to_string);
            account = Some(parts[4]).filter(|p| !p.is_empty()).map(str::to_string);
        }
    }
    StateIdentity {
        scope: scope.clone(),
        address: r.address.clone(),
        module: r.module.clone(),
        rtype: r.rtype.clone(),
        id: s("id"),
        name: s("name").or_else(|| s("bucket")),
        region: region.or_else(|| s("region")),
        account,
        arn,
        security_group_id: s("security_group_id"),
        state: state.clone(),
    }
}

/// The identities of a state by address, for lookups.
pub fn by_address(identities: &[StateIdentity]) -> BTreeMap<(&str, &str), &StateIdentity> {
    identities
        .iter()
        .map(|i| ((&*i.scope, i.address.as_str()), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V4: &str = r#"{
  "version": 4,
  "terraform_version": "1.9.0",
  "serial": 3,
  "lineage": "x",
  "outputs": {},
  "resources": [
    {
      "mode": "managed",
      "type": "aws_sqs_queue",
      "name": "q",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {
          "schema_version": 0,
          "attributes": {"id": "https://sqs.us-east-1.amazonaws.com/123456789012/orders", "arn": "arn:aws:sqs:us-east-1:123456789012:orders", "name": "orders", "kms_master_key_id": "", "sqs_managed_sse_enabled": true, "policy": ""}
        }
      ]
    },
    {
      "module": "module.store",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "b",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        {"index_key": "logs", "attributes": {"id": "acme-logs", "bucket": "acme-logs", "arn": "arn:aws:s3:::acme-logs", "region": "eu-west-1"}},
        {"index_key": "old", "deposed": "abc", "attributes": {"id": "acme-old"}}
      ]
    },
    {
      "mode": "data",
      "type": "aws_caller_identity",
      "name": "me",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [{"attributes": {"account_id": "123456789012", "id": "123456789012"}}]
    }
  ]
}
"#;

    #[test]
    fn reads_version_4_instances_with_addresses_and_lines() {
        let r = parse(V4, "terraform.tfstate").unwrap();
        let got: Vec<(&str, &str, u32)> = r
            .iter()
            .map(|i| (i.address.as_str(), i.module.as_str(), i.pos.line))
            .collect();
        assert_eq!(
            got,
            [
                ("aws_sqs_queue.q", "", 10),
                ("module.store.aws_s3_bucket.b[\"logs\"]", "module.store", 23),
                ("data.aws_caller_identity.me", "", 33),
            ]
        );
        assert_eq!(r[2].mode, Mode::Data);
    }

    #[test]
    fn identities_and_model_of_a_state() {
        let read = read(V4, "terraform.tfstate", None).unwrap();
        assert_eq!(read.resources, 2);
        let q = &read.identities[0];
        assert_eq!(q.address, "aws_sqs_queue.q");
        assert_eq!(
            q.arn.as_deref(),
            Some("arn:aws:sqs:us-east-1:123456789012:orders")
        );
        assert_eq!(q.account.as_deref(), Some("123456789012"));
        assert_eq!(q.region.as_deref(), Some("us-east-1"));
        let b = &read.identities[1];
        assert_eq!(b.module, "module.store");
        assert_eq!(b.name.as_deref(), Some("acme-logs"));
        assert_eq!(b.region.as_deref(), Some("eu-west-1"));
        assert_eq!(&*b.scope, "terraform.tfstate");
        assert_eq!(read.model.aws.sqs_queues.len(), 1);
        assert_eq!(read.model.aws.s3_buckets.len(), 1);
        let bucket = &read.model.aws.s3_buckets[0];
        assert_eq!(bucket.name.known().map(String::as_str), Some("acme-logs"));
        assert_eq!(bucket.meta.origin.file(), Some("terraform.tfstate"));
        assert_eq!(bucket.meta.origin.line(), Some(23));
    }

    #[test]
    fn show_json_of_a_state_reads_like_a_plan() {
        let text = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
  {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q",
   "values": {"arn": "arn:aws:sqs:eu-west-1:1:q", "id": "u"}}],
  "child_modules": [{"address": "module.m", "resources": [
  {"address": "module.m.aws_vpc.v", "mode": "managed", "type": "aws_vpc", "name": "v", "values": {"id": "vpc-1"}}]}]}}}"#;
        let r = parse(text, "state.json").unwrap();
        let got: Vec<(&str, &str, u32)> = r
            .iter()
            .map(|i| (i.address.as_str(), i.module.as_str(), i.pos.line))
            .collect();
        assert_eq!(
            got,
            [
                ("aws_sqs_queue.q", "", 2),
                ("module.m.aws_vpc.v", "module.m", 5)
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_a_readable_state() {
        let e = parse(
            "{\n  \"version\": 4,\n  \"resources\": [\n",
            "broken.tfstate",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(
            e.to_string()
                .starts_with("broken.tfstate:4: Terraform state does not parse"),
            "{e}"
        );
        let e = parse(r#"{"version": 3, "modules": []}"#, "old.tfstate").unwrap_err();
        assert!(e.message.contains("version 3 is not supported"), "{e}");
        let e = parse(r#"{"hello": 1}"#, "x.json").unwrap_err();
        assert!(e.message.contains("not a Terraform state"), "{e}");
        let e = parse(
            r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_vpc", "name": "v", "instances": [{"index_key": true, "attributes": {}}]}]}"#,
            "k.tfstate",
        )
        .unwrap_err();
        assert!(e.message.contains("index_key true"), "{e}");
    }
}
