//! EMR: `aws_emr_security_configuration` (its JSON `configuration`) and
//! `aws_emr_cluster`.

use std::sync::Arc;

use super::ecs::from_json;
use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::emr::{EmrCluster, EmrSecurityConfiguration};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};
use crate::terraform::ir::Dyn;

/// The `configuration` document as a value, or why it cannot be read.
fn document(d: &Dyn) -> Result<Dyn, Arc<str>> {
    match d {
        Dyn::String(s) => serde_json::from_str::<serde_json::Value>(s)
            .map(|j| from_json(&j))
            .map_err(|e| format!("configuration is not valid JSON: {e}").into()),
        Dyn::Unknown(u) => match &u.json_of {
            Some(v) => Ok((**v).clone()),
            None => Err(u.reason.clone()),
        },
        Dyn::Map(_) => Ok(d.clone()),
        _ => Err("configuration is not a JSON object".into()),
    }
}

/// `EncryptionConfiguration.<flag>` of `doc`, at `at`.
fn flag(doc: &Result<Dyn, Arc<str>>, name: &str, at: &Origin) -> Value<bool> {
    let path = format!("configuration.EncryptionConfiguration.{name}");
    let doc = match doc {
        Ok(d) => d,
        Err(r) => return Value::unknown(r.clone(), at.clone(), path),
    };
    let enc = match doc {
        Dyn::Map(m) => m.get("EncryptionConfiguration"),
        Dyn::Unknown(u) => return Value::unknown(u.reason.clone(), at.clone(), path),
        _ => None,
    };
    let v = match enc {
        None | Some(Dyn::Null) => None,
        Some(Dyn::Map(m)) => m.get(name),
        Some(Dyn::Unknown(u)) => return Value::unknown(u.reason.clone(), at.clone(), path),
        Some(_) => None,
    };
    match v {
        None | Some(Dyn::Null) => Value::defaulted(false, at.clone(), path),
        Some(Dyn::Bool(b)) => Value::set(*b, at.clone(), path),
        Some(Dyn::String(s)) if s.eq_ignore_ascii_case("true") => {
            Value::set(true, at.clone(), path)
        }
        Some(Dyn::String(s)) if s.eq_ignore_ascii_case("false") => {
            Value::set(false, at.clone(), path)
        }
        Some(Dyn::Unknown(u)) => Value::unknown(u.reason.clone(), at.clone(), path),
        Some(_) => Value::unknown(format!("{name} is not a boolean"), at.clone(), path),
    }
}

/// Adds EMR security configurations and clusters to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_emr_security_configuration"]) {
        let rd = Reader::new(r);
        let (doc, at) = match rd.attr("configuration") {
            Some(a) => (document(&a.value), rd.origin_at(a.pos)),
            None => (
                Err("the security configuration has no configuration".into()),
                rd.owner_origin(),
            ),
        };
        aws.emr_security_configurations
            .push(EmrSecurityConfiguration {
                meta: ctx.meta(r),
                at_rest_encryption: flag(&doc, "EnableAtRestEncryption", &at),
                in_transit_encryption: flag(&doc, "EnableInTransitEncryption", &at),
            });
    }
    for r in ctx.managed(&["aws_emr_cluster"]) {
        let rd = Reader::new(r);
        let path = "security_configuration";
        let has_security_configuration = match rd.attr(path) {
            None => Value::defaulted(false, rd.owner_origin(), path),
            Some(a) => {
                let at = rd.origin_at(a.pos);
                match &a.value {
                    Dyn::Null => Value::defaulted(false, at, path),
                    Dyn::String(s) => Value::set(!s.trim().is_empty(), at, path),
                    // A reference to a security configuration names one.
                    Dyn::Unknown(u) if u.refers_to.is_some() => Value::set(true, at, path),
                    Dyn::Unknown(u) => Value::unknown(u.reason.clone(), at, path),
                    _ => Value::unknown("`security_configuration` is not a string", at, path),
                }
            }
        };
        aws.emr_clusters.push(EmrCluster {
            meta: ctx.meta(r),
            has_security_configuration,
        });
    }
}
