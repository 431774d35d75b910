//! AWS-ASG-001: Auto Scaling groups span at least two availability zones.

use std::collections::BTreeSet;

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every Auto Scaling group (`aws_autoscaling_group`) can launch in at
    /// least two availability zones: `availability_zones` with two or more zones, or
    /// `vpc_zone_identifier` with two or more subnets. When the subnets are declared in
    /// the configuration with their zone, the zones must differ (two subnets in one zone
    /// fail). Subnets outside the configuration count as separate zones.
    ///
    /// ## Why it matters (SOC 2)
    /// A1.2 and CC9.1: an application whose instances all run in one zone goes down with
    /// that zone; Auto Scaling rebalances across zones only if it may use several.
    ///
    /// ## Default assumed
    /// None: the group must name zones or subnets.
    ///
    /// ## Not evaluated
    /// When the zones or subnets come from a value that cannot be resolved (a variable
    /// without a value, a module output), or the group names neither. A live scan judges
    /// the zones AWS reports for the group (for a group in subnets, their zones).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_autoscaling_group" "web" {
    ///   # ...
    ///   vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    /// }
    /// ```
    pub struct AsgMultiAz {
        id: "AWS-ASG-001",
        slug: "asg-multi-az",
        title: "Auto Scaling groups span at least two availability zones",
        severity: Medium,
        family: Backup,
    }
}

impl Rule for AsgMultiAz {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for g in &model.aws.autoscaling_groups {
            let s = &g.subnets;
            match &s.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(&g.meta, &s.origin, &s.path, r.to_string());
                    continue;
                }
                Resolved::Set(subnets) | Resolved::Defaulted(subnets) if !subnets.is_empty() => {
                    // Distinct zones; a subnet whose zone is unknown counts as its own.
                    let mut zones = BTreeSet::new();
                    for sn in subnets {
                        match sn.availability_zone.known() {
                            Some(z) => zones.insert(z.clone()),
                            None => zones.insert(format!("subnet {}", sn.id)),
                        };
                    }
                    if zones.len() >= 2 {
                        out.pass(&g.meta, &s.origin, &s.path);
                    } else if subnets.len() >= 2 {
                        out.fail(
                            &g.meta,
                            &s.origin,
                            &s.path,
                            "all subnets of the group are in one availability zone",
                        );
                    } else {
                        out.fail(
                            &g.meta,
                            &s.origin,
                            &s.path,
                            "group launches into a single subnet, so a single availability zone",
                        );
                    }
                    continue;
                }
                _ => {}
            }
            let z = &g.availability_zones;
            match &z.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(&g.meta, &z.origin, &z.path, r.to_string())
                }
                Resolved::Set(zs) | Resolved::Defaulted(zs) => {
                    let distinct: BTreeSet<&String> = zs.iter().collect();
                    match distinct.len() {
                        0 => out.not_evaluated(
                            &g.meta,
                            &g.meta.origin,
                            "vpc_zone_identifier",
                            "the group names neither availability zones nor subnets",
                        ),
                        1 => out.fail(
                            &g.meta,
                            &z.origin,
                            &z.path,
                            "group uses a single availability zone",
                        ),
                        _ => out.pass(&g.meta, &z.origin, &z.path),
                    }
                }
            }
        }
    }
}
