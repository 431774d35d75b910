//! AWS-CW-003: the CIS set of security events on CloudTrail logs has metric filters
//! with alarms.

use crate::model::{Model, Origin, ResourceMeta};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Why the metric filters or alarms of `meta`'s live account and region are not all
/// known, `None` when they are: judging against filters or alarms that were not read
/// would report a missing alarm that may exist.
pub(crate) fn unread_monitoring(model: &Model, meta: &ResourceMeta) -> Option<String> {
    crate::rules::unread_in_scope(model, meta, &["aws.metric_filters", "aws.metric_alarms"])
}

/// A class of security events: its key (the attribute findings are reported at), what
/// it is, and the tests on a normalised pattern (lower case, without whitespace or
/// quotes) of which all must hold: each is a list of alternatives.
struct EventClass {
    key: &'static str,
    what: &'static str,
    all_of: &'static [&'static [&'static str]],
}

const IAM_POLICY_EVENTS: &[&str] = &[
    "deleterolepolicy",
    "deleteuserpolicy",
    "deletegrouppolicy",
    "putrolepolicy",
    "putuserpolicy",
    "putgrouppolicy",
    "createpolicy",
    "deletepolicy",
    "createpolicyversion",
    "deletepolicyversion",
    "attachrolepolicy",
    "detachrolepolicy",
    "attachuserpolicy",
    "detachuserpolicy",
    "attachgrouppolicy",
    "detachgrouppolicy",
];

/// CIS AWS Foundations Benchmark, section "Monitoring" (4.1–4.11 in v1.4–v3.0).
const CLASSES: &[EventClass] = &[
    EventClass {
        key: "unauthorized_api_calls",
        what: "unauthorized API calls",
        all_of: &[
            &["$.errorcode"],
            &["unauthorizedoperation", "accessdenied"],
        ],
    },
    EventClass {
        key: "console_signin_without_mfa",
        what: "console sign-in without MFA",
        all_of: &[&["consolelogin"], &["mfaused"]],
    },
    EventClass {
        key: "root_usage",
        what: "use of the root user",
        all_of: &[&["$.useridentity.type=root"]],
    },
    EventClass {
        key: "iam_policy_changes",
        what: "IAM policy changes",
        all_of: &[IAM_POLICY_EVENTS],
    },
    EventClass {
        key: "cloudtrail_changes",
        what: "CloudTrail configuration changes",
        all_of: &[&[
            "createtrail",
            "updatetrail",
            "deletetrail",
            "starttrail",
            "stoplogging",
        ]],
    },
    EventClass {
        key: "config_changes",
        what: "AWS Config configuration changes",
        all_of: &[&[
            "stopconfigurationrecorder",
            "deletedeliverychannel",
            "putdeliverychannel",
            "putconfigurationrecorder",
        ]],
    },
    EventClass {
        key: "security_group_changes",
        what: "security group changes",
        all_of: &[&[
            "authorizesecuritygroupingress",
            "authorizesecuritygroupegress",
            "revokesecuritygroupingress",
            "revokesecuritygroupegress",
            "createsecuritygroup",
            "deletesecuritygroup",
        ]],
    },
    EventClass {
        key: "nacl_changes",
        what: "network ACL changes",
        all_of: &[&[
            "createnetworkacl",
            "deletenetworkacl",
            "replacenetworkaclentry",
            "replacenetworkaclassociation",
        ]],
    },
    EventClass {
        key: "kms_key_disable_or_deletion",
        what: "disabling or scheduled deletion of KMS keys",
        all_of: &[&["disablekey", "schedulekeydeletion"]],
    },
];

/// `pattern` lower-cased, without whitespace and quotes: `{ ($.eventName = "X") }` and
/// `{$.eventName=X}` read the same.
fn normalise(pattern: &str) -> String {
    pattern
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

fn matches(class: &EventClass, normalised: &str) -> bool {
    class
        .all_of
        .iter()
        .all(|alts| alts.iter().any(|a| normalised.contains(a)))
}

/// How well one class is covered in the trail's scope.
#[derive(Default)]
struct Coverage {
    /// Where a matching filter with an alarm on its metric writes its pattern.
    alarmed: Option<Origin>,
    /// Why a filter might cover the class (its pattern, metric or alarms unknown).
    maybe: Option<String>,
    /// A matching filter exists, without an alarm.
    filter_only: bool,
}

crate::declare_rule! {
    /// ## What it does
    /// For every CloudTrail trail that delivers to CloudWatch Logs
    /// (`cloud_watch_logs_group_arn`), checks that the metric filters of the same
    /// configuration (Terraform root module, or live account and region) count each
    /// class of security event of the CIS AWS Foundations Benchmark's monitoring section,
    /// and that an `aws_cloudwatch_metric_alarm` watches the metric of each: unauthorized
    /// API calls, console sign-in without MFA, use of the root user, IAM policy changes,
    /// CloudTrail changes, AWS Config changes, security group changes, network ACL
    /// changes, and disabling or scheduled deletion of KMS keys. One result per class:
    /// a pass at the pattern of the filter that covers it, a failure at the trail's
    /// `cloud_watch_logs_group_arn`.
    ///
    /// Patterns are matched after lower-casing and removing whitespace and quotes, so
    /// `{ ($.eventName = "DeleteTrail") }` and `{$.eventName=DeleteTrail}` read the same
    /// and the order of terms does not matter. A class is covered by a filter whose
    /// pattern names any event of the class (`CreateTrail`, `StopLogging`, ...): the
    /// unauthorized-calls class needs `$.errorCode` with `UnauthorizedOperation` or
    /// `AccessDenied`, console sign-in needs `ConsoleLogin` and `MFAUsed`, root use
    /// needs `$.userIdentity.type = "Root"`. One filter may cover several classes.
    /// Whether the alarm notifies someone is AWS-CW-002's.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects security events to be detected, CC7.3 to be evaluated. The trail
    /// records these events, but without a filter and an alarm nobody learns of a root
    /// login, a disabled trail or an opened security group until an investigation.
    ///
    /// ## Default assumed
    /// None.
    ///
    /// ## Not evaluated
    /// When the trail's log group is unknown, or a class is not known to be covered and
    /// some filter's pattern, metric or an alarm's metric is unknown. On live scans: in
    /// an account and region whose metric filters or alarms could not be read
    /// (`logs:DescribeMetricFilters` or `cloudwatch:DescribeAlarms` denied or failed).
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_cloudwatch_log_metric_filter" "root_usage" {
    ///   name           = "root-usage"
    ///   log_group_name = aws_cloudwatch_log_group.trail.name
    ///   pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
    ///   metric_transformation {
    ///     name      = "RootUsage"
    ///     namespace = "CISBenchmark"
    ///     value     = "1"
    ///   }
    /// }
    ///
    /// resource "aws_cloudwatch_metric_alarm" "root_usage" {
    ///   alarm_name          = "root-usage"
    ///   metric_name         = "RootUsage"
    ///   namespace           = "CISBenchmark"
    ///   statistic           = "Sum"
    ///   period              = 300
    ///   evaluation_periods  = 1
    ///   threshold           = 1
    ///   comparison_operator = "GreaterThanOrEqualToThreshold"
    ///   alarm_actions       = [aws_sns_topic.security_alerts.arn]
    /// }
    /// ```
    pub struct SecurityEventAlarms {
        id: "AWS-CW-003",
        slug: "security-event-alarms",
        title: "CloudTrail security events (CIS monitoring set) have metric filters with alarms",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for SecurityEventAlarms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for t in &model.aws.cloudtrails {
            let group = &t.cloudwatch_logs_group;
            match group.try_known() {
                Err(r) => {
                    out.not_evaluated(&t.meta, &group.origin, &group.path, r);
                    continue;
                }
                Ok(None) => continue,
                Ok(Some(_)) => {}
            }
            if let Some(reason) = unread_monitoring(model, &t.meta) {
                out.not_evaluated(&t.meta, &group.origin, "metric_filters", reason);
                continue;
            }
            let scope = t.meta.link_scope();
            let mut cov: Vec<Coverage> = CLASSES.iter().map(|_| Coverage::default()).collect();
            for (i, f) in model.aws.metric_filters.iter().enumerate() {
                if f.meta.link_scope() != scope {
                    continue;
                }
                let pattern = match f.pattern.try_known() {
                    Ok(p) => normalise(p),
                    Err(r) => {
                        for c in &mut cov {
                            c.maybe.get_or_insert_with(|| {
                                format!("the pattern of metric filter {} is unknown: {r}", f.meta.address)
                            });
                        }
                        continue;
                    }
                };
                let alarms = model.filter_alarms(i);
                let metric_unknown = f
                    .metric_name
                    .unknown_reason()
                    .or(f.namespace.unknown_reason());
                for (class, c) in CLASSES.iter().zip(cov.iter_mut()) {
                    if !matches(class, &pattern) {
                        continue;
                    }
                    if !alarms.watching.is_empty() {
                        c.alarmed.get_or_insert_with(|| f.pattern.origin.clone());
                    } else if let Some(r) = metric_unknown {
                        c.maybe.get_or_insert_with(|| {
                            format!("the metric of filter {} is unknown: {r}", f.meta.address)
                        });
                    } else if !alarms.unknown.is_empty() {
                        c.maybe.get_or_insert_with(|| {
                            format!(
                                "no alarm is known to watch the metric of filter {}, and the metric of some alarm is unknown",
                                f.meta.address
                            )
                        });
                    } else {
                        c.filter_only = true;
                    }
                }
            }
            for (class, c) in CLASSES.iter().zip(cov) {
                let path = format!("metric_filters.{}", class.key);
                if let Some(at) = &c.alarmed {
                    out.pass(&t.meta, at, &path);
                } else if let Some(r) = c.maybe {
                    out.not_evaluated(&t.meta, &group.origin, &path, r);
                } else if c.filter_only {
                    out.fail(
                        &t.meta,
                        &group.origin,
                        &path,
                        format!("a metric filter counts {} in the trail's logs, but no alarm watches its metric", class.what),
                    );
                } else {
                    out.fail(
                        &t.meta,
                        &group.origin,
                        &path,
                        format!("no metric filter with an alarm counts {} in the trail's logs", class.what),
                    );
                }
            }
        }
    }
}
