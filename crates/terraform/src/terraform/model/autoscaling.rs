//! Auto Scaling: `aws_autoscaling_group`, with the availability zone of each subnet it
//! launches into read from the `aws_subnet` of the configuration.

use std::sync::Arc;

use super::join::{base_address, Ctx};
use super::read::Reader;
use crate::model::aws::autoscaling::{AsgSubnet, AutoScalingGroup};
use crate::model::aws::AwsModel;
use crate::model::{Origin, Value};
use crate::terraform::ir::{Dyn, Mode, Resource};

/// The zone of an `aws_subnet`.
fn zone_of(s: &Resource) -> Value<String> {
    let rd = Reader::new(s);
    if rd.has("availability_zone") {
        rd.string("availability_zone", "")
    } else if rd.has("availability_zone_id") {
        rd.string("availability_zone_id", "")
    } else {
        Value::unknown(
            "the subnet's availability zone is chosen by AWS",
            rd.owner_origin(),
            "availability_zone",
        )
    }
}

/// The subnets named by one element of `vpc_zone_identifier` (written at `at`);
/// `Err(reason)` when unknown. Referenced subnets are those of the root module of `from`.
fn subnets_of(
    ctx: &Ctx<'_>,
    from: &Resource,
    d: &Dyn,
    at: &Origin,
) -> Result<Vec<AsgSubnet>, Arc<str>> {
    match d {
        Dyn::String(s) => Ok(vec![AsgSubnet {
            id: s.clone(),
            availability_zone: Value::unknown(
                "the subnet is not declared in the scanned configuration",
                at.clone(),
                "availability_zone",
            ),
        }]),
        Dyn::Unknown(u) => {
            let Some(a) = u.refers_to.as_deref() else {
                return Err(u.reason.clone());
            };
            let subnets: Vec<&Resource> = ctx
                .all
                .iter()
                .filter(|t| {
                    t.mode == Mode::Managed && t.rtype == "aws_subnet" && ctx.same_root(t, from)
                })
                .filter(|t| t.address == a || base_address(&t.address) == a)
                .collect();
            if subnets.is_empty() {
                return Err(u.reason.clone());
            }
            Ok(subnets
                .into_iter()
                .map(|s| AsgSubnet {
                    id: s.address.clone(),
                    availability_zone: zone_of(s),
                })
                .collect())
        }
        Dyn::Null => Ok(Vec::new()),
        _ => Err("`vpc_zone_identifier` is not a list of subnet ids".into()),
    }
}

/// Adds Auto Scaling groups to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_autoscaling_group"]) {
        let rd = Reader::new(r);
        let subnets = match rd.attr("vpc_zone_identifier") {
            None => Value::defaulted(Vec::new(), rd.owner_origin(), "vpc_zone_identifier"),
            Some(a) => {
                let at = rd.origin_at(a.pos);
                let items: Vec<&Dyn> = match &a.value {
                    Dyn::List(items) => items.iter().collect(),
                    other => vec![other],
                };
                let mut out: Vec<AsgSubnet> = Vec::new();
                let mut unknown = None;
                for it in items {
                    match subnets_of(ctx, r, it, &at) {
                        Ok(v) => {
                            for s in v {
                                if !out.iter().any(|o| o.id == s.id) {
                                    out.push(s);
                                }
                            }
                        }
                        Err(reason) => {
                            unknown = Some(reason);
                            break;
                        }
                    }
                }
                match unknown {
                    Some(reason) => Value::unknown(reason, at, "vpc_zone_identifier"),
                    None => Value::set(out, at, "vpc_zone_identifier"),
                }
            }
        };
        aws.autoscaling_groups.push(AutoScalingGroup {
            meta: ctx.meta(r),
            availability_zones: rd.strings("availability_zones"),
            subnets,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::model::testutil::*;

    #[test]
    fn subnets_carry_their_zones() {
        let e = ev(vec![
            instance("aws_subnet", "p", "[\"a\"]", "", 1, |b| {
                b.a("availability_zone", s("eu-west-1a"), 2)
            }),
            instance("aws_subnet", "p", "[\"b\"]", "", 1, |b| {
                b.a("availability_zone", s("eu-west-1b"), 2)
            }),
            managed("aws_autoscaling_group", "all", "", 10, |b| {
                b.a("vpc_zone_identifier", r("aws_subnet.p"), 11)
            }),
            managed("aws_autoscaling_group", "literal", "", 20, |b| {
                b.a(
                    "vpc_zone_identifier",
                    list(vec![s("subnet-1"), s("subnet-1")]),
                    21,
                )
            }),
            managed("aws_autoscaling_group", "unknown", "", 30, |b| {
                b.a("vpc_zone_identifier", var("subnets"), 31)
            }),
        ]);
        let mut aws = AwsModel::default();
        adapt(&Ctx::new(&e), &mut aws);
        let zones: Vec<String> = aws.autoscaling_groups[0]
            .subnets
            .known()
            .expect("known")
            .iter()
            .filter_map(|s| s.availability_zone.known().cloned())
            .collect();
        assert_eq!(zones, vec!["eu-west-1a", "eu-west-1b"]);
        assert_eq!(
            aws.autoscaling_groups[1].subnets.known().map(Vec::len),
            Some(1),
            "duplicate subnet ids count once"
        );
        assert!(aws.autoscaling_groups[2].subnets.unknown_reason().is_some());
    }
}
