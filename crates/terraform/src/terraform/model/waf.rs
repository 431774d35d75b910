//! WAFv2: `aws_wafv2_web_acl` joined with its `aws_wafv2_web_acl_logging_configuration`
//! (by `resource_arn`), and `aws_wafv2_web_acl_association` resolved to the load balancer
//! or API stage it protects.

use super::join::{resolve, Ctx, Joins, TargetSpec};
use super::read::Reader;
use crate::model::aws::waf::{WebAcl, WebAclAssociation};
use crate::model::aws::AwsModel;
use crate::model::Value;
use crate::terraform::ir::Dyn;

const ACL: TargetSpec<'static> = TargetSpec {
    types: &["aws_wafv2_web_acl"],
    name_attr: None,
    global_names: false,
};

/// Resources a web ACL can be associated with that the model knows.
const PROTECTED: TargetSpec<'static> = TargetSpec {
    types: &["aws_lb", "aws_alb", "aws_api_gateway_stage"],
    name_attr: None,
    global_names: false,
};

/// Adds web ACLs and their associations to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    let logging = Joins::build(
        ctx,
        &["aws_wafv2_web_acl_logging_configuration"],
        "resource_arn",
        ACL,
    );
    for r in ctx.managed(ACL.types) {
        let rd = Reader::new(r);
        let logging = match logging.definite(r).first() {
            Some(l) => {
                let lrd = Reader::new(l);
                let at = lrd
                    .attr("resource_arn")
                    .map(|a| lrd.origin_at(a.pos))
                    .unwrap_or_else(|| lrd.owner_origin());
                Value::set(true, at, "logging_configuration")
            }
            None => match logging.possible(r) {
                Some(reason) => {
                    Value::unknown(reason.clone(), rd.owner_origin(), "logging_configuration")
                }
                None => Value::defaulted(false, rd.owner_origin(), "logging_configuration"),
            },
        };
        aws.web_acls.push(WebAcl {
            meta: ctx.meta(r),
            logging,
        });
    }
    for r in ctx.managed(&["aws_wafv2_web_acl_association"]) {
        let rd = Reader::new(r);
        let Some(attr) = rd.attr("resource_arn") else {
            continue;
        };
        let at = rd.origin_at(attr.pos);
        let res = resolve(ctx, r, &attr.value, PROTECTED);
        let (resource, possible) = match (res.definite.first(), &attr.value) {
            (Some(t), _) => (
                Value::set(t.address.clone(), at, "resource_arn"),
                Vec::new(),
            ),
            (None, Dyn::String(s)) => (Value::set(s.clone(), at, "resource_arn"), Vec::new()),
            (None, Dyn::Unknown(u)) => {
                let possible: Vec<String> =
                    res.possible.iter().map(|t| t.address.clone()).collect();
                let resource = match (&u.refers_to, possible.is_empty()) {
                    (Some(a), true) => Value::set(a.to_string(), at, "resource_arn"),
                    _ => Value::unknown(
                        res.reason.clone().unwrap_or_else(|| u.reason.clone()),
                        at,
                        "resource_arn",
                    ),
                };
                (resource, possible)
            }
            (None, _) => (
                Value::unknown("`resource_arn` is not a string", at, "resource_arn"),
                Vec::new(),
            ),
        };
        aws.web_acl_associations.push(WebAclAssociation {
            meta: ctx.meta(r),
            resource,
            possible,
        });
    }
}
