//! AWS-CT-005: some trail records S3 object-level (data) events.

use crate::model::aws::cloudtrail::{S3DataEvents, Trail};
use crate::model::{Model, Origin, Resolved};

/// What trails are considered together: those declared in the same directory (one
/// Terraform module), or in the same account and region for live resources.
fn scope_of(o: &Origin) -> (String, String) {
    match o {
        Origin::File { path, .. } => (
            path.rsplit_once('/')
                .map(|(d, _)| d)
                .unwrap_or("")
                .to_string(),
            String::new(),
        ),
        Origin::Aws {
            account, region, ..
        } => (account.to_string(), region.to_string()),
        Origin::Cluster { context, .. } => (context.to_string(), String::new()),
        Origin::Scope { scope } => (scope.to_string(), String::new()),
    }
}
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// An account-level check reported on the trails: when a configuration declares
    /// trails (`aws_cloudtrail`), at least one of them must record S3 data events — an
    /// `event_selector` with a `data_resource` of type `AWS::S3::Object`, or an
    /// `advanced_event_selector` selecting `eventCategory = Data` and
    /// `resources.type = AWS::S3::Object`. The data events must cover both object reads
    /// and writes (deletions are writes): `read_write_type = "All"` (the default), or
    /// selectors that together record `ReadOnly` and `WriteOnly`; an advanced selector
    /// with a `readOnly` field selector records only reads (`equals = ["true"]`) or only
    /// writes (`equals = ["false"]`). A trail that records data events for only some
    /// buckets counts (the buckets holding customer data are the ones that matter). Every
    /// trail gets the same result: it passes when the trails of its configuration
    /// together record S3 data-event reads and writes. Trails declared in the same directory (one Terraform module) are
    /// one configuration — a scan of several environments does not let one environment's
    /// data trail cover another; when one account's trails are split across modules,
    /// suppress with a justification. For live resources, the account and region.
    ///
    /// A configuration without any trail gives no result: the organisation trail is often
    /// managed in another configuration or account, which one scan cannot see.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects monitoring of access to data. Management events show who changed a
    /// bucket, not who read or deleted its objects; without data events, reads and
    /// deletions of customer data leave no audit record (CIS AWS Foundations 3.10/3.11).
    ///
    /// ## Default assumed
    /// Trails record management events only unless selectors say otherwise; a basic
    /// selector's `read_write_type` is `All` when not set (provider docs).
    ///
    /// ## Not evaluated
    /// When the trails are not known to record S3 data-event reads and writes and some
    /// trail's selectors are `dynamic` blocks or unknown values.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
    ///   event_selector {
    ///     read_write_type           = "All"
    ///     include_management_events = true
    ///     data_resource {
    ///       type   = "AWS::S3::Object"
    ///       values = ["arn:aws:s3"] # all buckets, or list the data buckets
    ///     }
    ///   }
    /// }
    /// ```
    pub struct CloudtrailS3DataEvents {
        id: "AWS-CT-005",
        slug: "cloudtrail-s3-data-events",
        title: "A trail records S3 data events",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for CloudtrailS3DataEvents {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let trails = &model.aws.cloudtrails;
        for t in trails {
            let group: Vec<&Trail> = trails
                .iter()
                .filter(|o| scope_of(&o.meta.origin) == scope_of(&t.meta.origin))
                .collect();
            let recorded = group
                .iter()
                .filter_map(|o| o.s3_data_events.known())
                .fold(S3DataEvents::default(), |a, b| a.union(*b));
            let unknown = group.iter().find_map(|o| o.s3_data_events.unknown_reason());
            let v = &t.s3_data_events;
            match (recorded.all(), unknown, &v.value) {
                (true, _, _) => out.pass(&t.meta, &v.origin, &v.path),
                (false, _, Resolved::Unknown(r)) => {
                    out.not_evaluated(&t.meta, &v.origin, &v.path, r.to_string())
                }
                (false, Some(r), _) => out.not_evaluated(
                    &t.meta,
                    &v.origin,
                    &v.path,
                    format!("another trail's event selectors are unknown: {r}"),
                ),
                (false, None, _) => out.fail(&t.meta, &v.origin, &v.path, message(recorded)),
            }
        }
    }
}

/// The failure message for the S3 data events a configuration's trails record together.
fn message(recorded: S3DataEvents) -> &'static str {
    match (recorded.reads, recorded.writes) {
        (false, true) => {
            "the trails of this configuration record only S3 object writes (read_write_type = \"WriteOnly\" or readOnly = false): object reads leave no audit record; record \"All\""
        }
        (true, false) => {
            "the trails of this configuration record only S3 object reads (read_write_type = \"ReadOnly\" or readOnly = true): object writes and deletions leave no audit record; record \"All\""
        }
        _ => "no trail of this configuration records S3 data events (object reads and writes)",
    }
}
