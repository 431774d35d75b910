//! GuardDuty: `aws_guardduty_detector`.

use super::join::Ctx;
use super::read::Reader;
use crate::model::aws::guardduty::Detector;
use crate::model::aws::AwsModel;

/// Adds GuardDuty detectors to `aws`.
pub(crate) fn adapt(ctx: &Ctx<'_>, aws: &mut AwsModel) {
    for r in ctx.managed(&["aws_guardduty_detector"]) {
        let rd = Reader::new(r);
        aws.guardduty_detectors.push(Detector {
            meta: ctx.meta(r),
            enabled: rd.bool("enable", true),
            present: true,
        });
    }
}
