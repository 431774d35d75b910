//! Evaluated Terraform ([`ir::Evaluated`]) → the typed [`Model`]: managed resources become
//! model resources, joined with the resources that configure them; data sources are used
//! only for joins (policy documents, bucket names).

use super::ir;
use super::model::{self as m, join::Ctx};
use crate::model::Model;

/// Managed resource types the model adapters ([`to_model`]) read, as model resources
/// or joined into one (an `aws_s3_bucket_policy` into its bucket). Sorted; a unit test
/// checks it against the types the adapters name.
pub const READ_TYPES: &[&str] = &[
    "aws_alb",
    "aws_alb_listener",
    "aws_ami_launch_permission",
    "aws_api_gateway_domain_name",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_stage",
    "aws_apigatewayv2_domain_name",
    "aws_apigatewayv2_stage",
    "aws_autoscaling_group",
    "aws_backup_plan",
    "aws_backup_selection",
    "aws_backup_vault",
    "aws_backup_vault_lock_configuration",
    "aws_backup_vault_policy",
    "aws_cloudfront_distribution",
    "aws_cloudtrail",
    "aws_cloudwatch_composite_alarm",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_log_metric_filter",
    "aws_cloudwatch_metric_alarm",
    "aws_config_configuration_recorder",
    "aws_config_configuration_recorder_status",
    "aws_db_instance",
    "aws_db_parameter_group",
    "aws_default_network_acl",
    "aws_default_security_group",
    "aws_default_vpc",
    "aws_docdb_cluster",
    "aws_dynamodb_table",
    "aws_ebs_encryption_by_default",
    "aws_ebs_snapshot",
    "aws_ebs_snapshot_copy",
    "aws_ebs_volume",
    "aws_ecr_repository",
    "aws_ecr_repository_policy",
    "aws_ecs_service",
    "aws_ecs_task_definition",
    "aws_efs_file_system",
    "aws_eks_cluster",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_elasticsearch_domain",
    "aws_elasticsearch_domain_policy",
    "aws_elb",
    "aws_emr_cluster",
    "aws_emr_security_configuration",
    "aws_flow_log",
    "aws_glacier_vault",
    "aws_guardduty_detector",
    "aws_iam_access_key",
    "aws_iam_account_password_policy",
    "aws_iam_group",
    "aws_iam_group_membership",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy",
    "aws_iam_policy_attachment",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user",
    "aws_iam_user_group_membership",
    "aws_iam_user_login_profile",
    "aws_iam_user_policy",
    "aws_iam_user_policy_attachment",
    "aws_instance",
    "aws_kinesis_stream",
    "aws_kms_key",
    "aws_lambda_permission",
    "aws_launch_configuration",
    "aws_launch_template",
    "aws_lb",
    "aws_lb_listener",
    "aws_lb_ssl_negotiation_policy",
    "aws_load_balancer_listener_policy",
    "aws_msk_cluster",
    "aws_neptune_cluster",
    "aws_network_acl",
    "aws_network_acl_rule",
    "aws_opensearch_domain",
    "aws_opensearch_domain_policy",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_cluster_parameter_group",
    "aws_redshift_cluster",
    "aws_redshift_logging",
    "aws_redshift_parameter_group",
    "aws_s3_account_public_access_block",
    "aws_s3_bucket",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_secretsmanager_secret",
    "aws_secretsmanager_secret_policy",
    "aws_secretsmanager_secret_rotation",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_ses_identity_policy",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_sqs_queue",
    "aws_sqs_queue_policy",
    "aws_subnet",
    "aws_vpc",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_wafv2_web_acl",
    "aws_wafv2_web_acl_association",
    "aws_wafv2_web_acl_logging_configuration",
];

/// Providers whose resources are not infrastructure anyone audits: Terraform's own
/// (`terraform_data`), `null_resource`, generated values (`random_*`, `time_*`,
/// `tls_*`), local files (`local_*`, `archive_*`, `template_*`) and helpers
/// (`cloudinit_*`, `external`, `http`).
const NOT_INFRASTRUCTURE: &[&str] = &[
    "archive",
    "cloudinit",
    "external",
    "http",
    "local",
    "null",
    "random",
    "template",
    "terraform",
    "time",
    "tls",
];

/// Whether some model adapter reads managed resources of `rtype`.
pub fn reads_type(rtype: &str) -> bool {
    READ_TYPES.binary_search(&rtype).is_ok()
}

/// Whether a managed resource of `rtype` is infrastructure that no rule judges, to be
/// counted as not covered: its type is read by no adapter and its provider manages
/// real infrastructure (not a value, a file or Terraform's own bookkeeping, see
/// [`NOT_INFRASTRUCTURE`]).
pub fn is_unmodelled(rtype: &str) -> bool {
    let provider = rtype.split('_').next().unwrap_or(rtype);
    !reads_type(rtype) && !NOT_INFRASTRUCTURE.contains(&provider)
}

/// Builds the typed model from evaluated Terraform.
pub fn to_model(ev: &ir::Evaluated) -> Model {
    let ctx = Ctx::new(ev);
    let mut model = Model::default();
    let aws = &mut model.aws;
    m::s3::adapt(&ctx, aws);
    m::rds::adapt(&ctx, aws);
    m::ec2::adapt(&ctx, aws);
    m::dynamodb::adapt(&ctx, aws);
    m::kms::adapt(&ctx, aws);
    m::elb::adapt(&ctx, aws);
    m::iam::adapt(&ctx, aws);
    m::cloudtrail::adapt(&ctx, aws);
    m::s3_account::adapt(&ctx, aws);
    m::eks::adapt(&ctx, aws);
    m::guardduty::adapt(&ctx, aws);
    m::config::adapt(&ctx, aws);
    m::cloudwatch_alarms::adapt(&ctx, aws);
    m::waf::adapt(&ctx, aws);
    m::lambda::adapt(&ctx, aws);
    m::classification::adapt(&ctx, aws);
    // After ec2: snapshots read the volumes already in the model.
    m::rds_params::adapt(&ctx, aws);
    m::ebs_snapshot::adapt(&ctx, aws);
    m::efs::adapt(&ctx, aws);
    m::elasticache::adapt(&ctx, aws);
    m::redshift::adapt(&ctx, aws);
    m::ecs::adapt(&ctx, aws);
    m::docdb::adapt(&ctx, aws);
    m::neptune::adapt(&ctx, aws);
    m::emr::adapt(&ctx, aws);
    m::opensearch::adapt(&ctx, aws);
    m::sns::adapt(&ctx, aws);
    m::sqs::adapt(&ctx, aws);
    m::kinesis::adapt(&ctx, aws);
    m::cloudwatch_logs::adapt(&ctx, aws);
    m::secretsmanager::adapt(&ctx, aws);
    m::ecr::adapt(&ctx, aws);
    m::backup::adapt(&ctx, aws);
    m::cloudfront::adapt(&ctx, aws);
    m::apigateway::adapt(&ctx, aws);
    m::msk::adapt(&ctx, aws);
    m::autoscaling::adapt(&ctx, aws);
    m::glacier::adapt(&ctx, aws);
    m::ses::adapt(&ctx, aws);
    model
}

#[cfg(test)]
mod read_types {
    use super::*;

    /// Every `"aws_…"` type the adapter sources name, data sources and test types
    /// aside, is in [`READ_TYPES`], and every listed type is named by some adapter.
    #[test]
    fn read_types_match_the_adapters() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/terraform/model");
        let mut named = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name == "testutil.rs" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Only the code before the unit tests.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for part in code.split('"').skip(1).step_by(2) {
                if part.starts_with("aws_")
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    named.insert(part.to_string());
                }
            }
        }
        // Data sources: joined, never managed resources.
        named.remove("aws_iam_policy_document");
        let listed: std::collections::BTreeSet<String> =
            READ_TYPES.iter().map(|s| s.to_string()).collect();
        assert_eq!(named, listed);
        let mut sorted = READ_TYPES.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, READ_TYPES, "READ_TYPES must stay sorted");
    }

    #[test]
    fn helpers_are_not_unmodelled() {
        assert!(!is_unmodelled("aws_s3_bucket"));
        assert!(!is_unmodelled("aws_s3_bucket_policy"));
        assert!(!is_unmodelled("random_id"));
        assert!(!is_unmodelled("terraform_data"));
        assert!(!is_unmodelled("null_resource"));
        assert!(!is_unmodelled("tls_private_key"));
        assert!(is_unmodelled("google_storage_bucket"));
        assert!(is_unmodelled("aws_route53_zone"));
    }
}

#[cfg(test)]
mod tests {
    use super::to_model;
    use crate::finding::{CheckResult, Outcome};
    use crate::model::aws::dynamodb::TableKey;
    use crate::model::{Model, Resolved};
    use crate::rules::Emitter;
    use crate::terraform::ir::{Dyn, Resource};
    use crate::terraform::model::testutil::*;

    /// The model of hand-written evaluated resources.
    fn model(resources: Vec<Resource>) -> Model {
        let mut m = to_model(&ev(resources));
        m.link();
        m
    }

    /// The results of rule `id` on `m`.
    fn run(id: &str, m: &Model) -> Vec<CheckResult> {
        let rule = crate::rules::find(id).expect("rule exists");
        let mut e = Emitter::new(rule.meta());
        rule.check(m, &mut e);
        e.into_results()
    }

    /// The results about resource `addr`.
    fn results_of<'a>(res: &'a [CheckResult], addr: &str) -> Vec<&'a CheckResult> {
        res.iter().filter(|r| &*r.resource == addr).collect()
    }

    /// The outcomes for resource `addr`.
    fn outcome_of<'a>(res: &'a [CheckResult], addr: &str) -> Vec<&'a Outcome> {
        results_of(res, addr)
            .into_iter()
            .map(|r| &r.outcome)
            .collect()
    }

    fn bucket<'a>(m: &'a Model, addr: &str) -> &'a crate::model::aws::s3::S3Bucket {
        m.aws
            .s3_buckets
            .iter()
            .find(|b| &*b.meta.address == addr)
            .expect("bucket")
    }

    /// Whether bucket `addr` receives access logs (derived across buckets).
    fn receives_logs(m: &Model, addr: &str) -> Resolved<bool> {
        let i = m
            .aws
            .s3_buckets
            .iter()
            .position(|b| &*b.meta.address == addr)
            .expect("bucket");
        m.receives_access_logs(i).value
    }

    #[test]
    fn s3_joins_by_reference_name_inline_and_unknown() {
        let m = model(vec![
            managed("aws_s3_bucket", "a", "", 1, |b| {
                b.a("bucket", s("bucket-a"), 2)
            }),
            managed(
                "aws_s3_bucket_server_side_encryption_configuration",
                "a",
                "",
                10,
                |b| {
                    b.a("bucket", r("aws_s3_bucket.a"), 11)
                        .b(B::new("rule", 12).b(B::new(
                            "apply_server_side_encryption_by_default",
                            13,
                        )
                        .a("sse_algorithm", s("aws:kms"), 14)
                        .a("kms_master_key_id", r("aws_kms_key.k"), 15)))
                },
            ),
            // Joined by literal name.
            managed("aws_s3_bucket_versioning", "a", "", 20, |b| {
                b.a("bucket", s("bucket-a"), 21)
                    .b(B::new("versioning_configuration", 22).a("status", s("Enabled"), 23))
            }),
            // Legacy inline blocks (provider v3).
            managed("aws_s3_bucket", "legacy", "", 30, |b| {
                b.a("bucket", s("legacy"), 31)
                    .b(B::new("versioning", 32).a("enabled", Dyn::Bool(true), 33))
                    .b(
                        B::new("server_side_encryption_configuration", 34).b(B::new("rule", 35).b(
                            B::new("apply_server_side_encryption_by_default", 36).a(
                                "sse_algorithm",
                                s("AES256"),
                                37,
                            ),
                        )),
                    )
            }),
            // A bucket in a module whose versioning resource names an unknown bucket.
            managed("aws_s3_bucket", "m", "module.store", 40, |b| {
                b.a("bucket", var("name"), 41)
            }),
            managed("aws_s3_bucket_versioning", "m", "module.store", 50, |b| {
                b.a("bucket", var("bucket_id"), 51)
                    .b(B::new("versioning_configuration", 52).a("status", s("Enabled"), 53))
            }),
            // A sibling module is not reached by the unknown versioning resource.
            managed("aws_s3_bucket", "other", "module.other", 60, |b| {
                b.a("bucket", s("other"), 61)
            }),
        ]);
        let a = bucket(&m, "aws_s3_bucket.a");
        assert_eq!(a.sse_algorithm.value, Resolved::Set("aws:kms".into()));
        assert_eq!(a.sse_algorithm.origin.line(), Some(14));
        assert_eq!(a.kms_key.value, Resolved::Set(Some("aws_kms_key.k".into())));
        assert_eq!(a.versioning.value, Resolved::Set(true));
        let l = bucket(&m, "aws_s3_bucket.legacy");
        assert_eq!(l.versioning.value, Resolved::Set(true));
        assert_eq!(l.sse_algorithm.value, Resolved::Set("AES256".into()));
        assert!(bucket(&m, "module.store.aws_s3_bucket.m")
            .versioning
            .unknown_reason()
            .is_some());
        // The root is a caller of module.store: its unversioned buckets could be the target
        // only if they lack versioning; bucket a and legacy have their own.
        let o = bucket(&m, "module.other.aws_s3_bucket.other");
        assert_eq!(o.versioning.value, Resolved::Defaulted(false));
        assert_eq!(o.versioning.origin.line(), Some(60));
        assert_eq!(o.sse_algorithm.value, Resolved::Defaulted("AES256".into()));

        let res = run("AWS-S3-004", &m);
        assert_eq!(outcome_of(&res, "aws_s3_bucket.a"), vec![&Outcome::Pass]);
        assert!(matches!(
            outcome_of(&res, "module.store.aws_s3_bucket.m")[0],
            Outcome::NotEvaluated { .. }
        ));
        assert!(matches!(
            outcome_of(&res, "module.other.aws_s3_bucket.other")[0],
            Outcome::Fail { .. }
        ));
    }

    #[test]
    fn s3_for_each_reference_without_key_is_ambiguous() {
        let m = model(vec![
            instance("aws_s3_bucket", "b", "[\"x\"]", "", 1, |b| {
                b.a("bucket", s("x"), 2)
            }),
            instance("aws_s3_bucket", "b", "[\"y\"]", "", 1, |b| {
                b.a("bucket", s("y"), 2)
            }),
            instance("aws_s3_bucket_versioning", "v", "[\"x\"]", "", 10, |b| {
                b.a("bucket", r("aws_s3_bucket.b[\"x\"]"), 11).b(B::new(
                    "versioning_configuration",
                    12,
                )
                .a("status", s("Suspended"), 13))
            }),
            managed("aws_s3_bucket_logging", "l", "", 20, |b| {
                b.a("bucket", r("aws_s3_bucket.b"), 21)
                    .a("target_bucket", s("x"), 22)
            }),
        ]);
        let x = bucket(&m, "aws_s3_bucket.b[\"x\"]");
        assert_eq!(x.versioning.value, Resolved::Set(false));
        assert_eq!(x.versioning.origin.line(), Some(13));
        // The logging resource refers to one of several instances: unknown for both.
        assert!(x.access_logging.unknown_reason().is_some());
        assert!(bucket(&m, "aws_s3_bucket.b[\"y\"]")
            .access_logging
            .unknown_reason()
            .is_some());
        // But "x" certainly receives logs, so the logging rule skips it.
        assert_eq!(
            receives_logs(&m, "aws_s3_bucket.b[\"x\"]"),
            Resolved::Set(true)
        );
        let res = run("AWS-S3-003", &m);
        assert!(outcome_of(&res, "aws_s3_bucket.b[\"x\"]").is_empty());
        assert!(matches!(
            outcome_of(&res, "aws_s3_bucket.b[\"y\"]")[0],
            Outcome::NotEvaluated { .. }
        ));
    }

    #[test]
    fn s3_log_targets_are_exempt_and_policies_are_parsed() {
        let tls = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::data","arn:aws:s3:::data/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;
        let m = model(vec![
            managed("aws_s3_bucket", "data", "", 1, |b| {
                b.a("bucket", s("data"), 2)
            }),
            managed("aws_s3_bucket", "logs", "", 5, |b| {
                b.a("bucket", s("logs"), 6)
            }),
            managed("aws_s3_bucket_logging", "data", "", 10, |b| {
                b.a("bucket", r("aws_s3_bucket.data"), 11).a(
                    "target_bucket",
                    r("aws_s3_bucket.logs"),
                    12,
                )
            }),
            managed("aws_s3_bucket_policy", "data", "", 20, |b| {
                b.a("bucket", r("aws_s3_bucket.data"), 21)
                    .a("policy", s(tls), 22)
            }),
            managed("aws_s3_bucket_policy", "logs", "", 30, |b| {
                b.a("bucket", r("aws_s3_bucket.logs"), 31).a(
                    "policy",
                    r("data.aws_iam_policy_document.logs"),
                    32,
                )
            }),
            data("aws_iam_policy_document", "logs", "", 40, |b| {
                b.b(B::new("statement", 41)
                    .a("effect", s("Deny"), 42)
                    .a("actions", list(vec![s("s3:*")]), 43)
                    .a("resources", list(vec![r("aws_s3_bucket.logs")]), 44)
                    .b(B::new("principals", 45).a("type", s("*"), 46).a(
                        "identifiers",
                        list(vec![s("*")]),
                        47,
                    ))
                    .b(B::new("condition", 48)
                        .a("test", s("Bool"), 49)
                        .a("variable", s("aws:SecureTransport"), 50)
                        .a("values", list(vec![s("false")]), 51)))
            }),
        ]);
        assert_eq!(receives_logs(&m, "aws_s3_bucket.logs"), Resolved::Set(true));
        let res = run("AWS-S3-003", &m);
        assert_eq!(outcome_of(&res, "aws_s3_bucket.data"), vec![&Outcome::Pass]);
        assert!(outcome_of(&res, "aws_s3_bucket.logs").is_empty());
        let res = run("AWS-S3-002", &m);
        assert_eq!(outcome_of(&res, "aws_s3_bucket.data"), vec![&Outcome::Pass]);
        assert_eq!(outcome_of(&res, "aws_s3_bucket.logs"), vec![&Outcome::Pass]);
        let logs = bucket(&m, "aws_s3_bucket.logs");
        let doc = logs.policy.known().expect("policy known");
        assert_eq!(doc.statements[0].resources.values.len(), 0);
        assert!(doc.statements[0].resources.unknown.is_some());
    }

    #[test]
    fn security_group_rules_attach_and_are_checked() {
        let m = model(vec![
            managed("aws_security_group", "web", "", 1, |b| {
                b.b(B::new("ingress", 2)
                    .a("from_port", Dyn::Number(443.0), 3)
                    .a("to_port", Dyn::Number(443.0), 4)
                    .a("protocol", s("tcp"), 5)
                    .a("cidr_blocks", list(vec![s("0.0.0.0/0")]), 6))
                    .b(B::new("ingress", 7)
                        .a("from_port", Dyn::Number(0.0), 8)
                        .a("to_port", Dyn::Number(0.0), 9)
                        .a("protocol", s("-1"), 10)
                        .a("ipv6_cidr_blocks", list(vec![s("::/0")]), 11))
            }),
            managed("aws_security_group_rule", "ssh", "", 20, |b| {
                b.a("type", s("ingress"), 21)
                    .a("security_group_id", r("aws_security_group.web"), 22)
                    .a("from_port", Dyn::Number(22.0), 23)
                    .a("to_port", Dyn::Number(22.0), 24)
                    .a("protocol", s("tcp"), 25)
                    .a("cidr_blocks", list(vec![s("0.0.0.0/0")]), 26)
            }),
            managed("aws_vpc_security_group_ingress_rule", "rdp", "", 30, |b| {
                b.a("security_group_id", r("aws_security_group.web"), 31)
                    .a("cidr_ipv4", var("cidr"), 32)
                    .a("ip_protocol", s("tcp"), 33)
                    .a("from_port", Dyn::Number(3389.0), 34)
                    .a("to_port", Dyn::Number(3389.0), 35)
            }),
        ]);
        assert_eq!(m.aws.security_group_rules.len(), 4);
        assert!(m
            .aws
            .security_group_rules
            .iter()
            .all(|r| r.group.as_deref() == Some("aws_security_group.web")));
        let res = run("AWS-EC2-003", &m);
        let lines: Vec<(Option<u32>, &Outcome)> = res
            .iter()
            .map(|r| (r.location.line(), &r.outcome))
            .collect();
        assert!(matches!(lines[0], (Some(6), Outcome::Pass)));
        assert!(matches!(lines[1], (Some(11), Outcome::Fail { .. })));
        assert!(matches!(lines[2], (Some(26), Outcome::Fail { .. })));
        assert!(matches!(lines[3], (Some(32), Outcome::NotEvaluated { .. })));
    }

    #[test]
    fn flow_logs_join_to_vpcs_and_unknown_stays_in_scope() {
        let m = model(vec![
            managed("aws_vpc", "main", "", 1, |b| b),
            managed("aws_flow_log", "main", "", 5, |b| {
                b.a("vpc_id", r("aws_vpc.main"), 6)
            }),
            managed("aws_vpc", "this", "module.net", 10, |b| b),
            managed("aws_flow_log", "this", "module.net", 15, |b| {
                b.a("vpc_id", var("vpc_id"), 16)
            }),
            managed("aws_vpc", "this", "module.other", 20, |b| b),
        ]);
        let fl = |a: &str| {
            m.aws
                .vpcs
                .iter()
                .find(|v| &*v.meta.address == a)
                .map(|v| v.flow_logs.value.clone())
        };
        assert_eq!(fl("aws_vpc.main"), Some(Resolved::Set(true)));
        assert!(matches!(
            fl("module.net.aws_vpc.this"),
            Some(Resolved::Unknown(_))
        ));
        assert_eq!(
            fl("module.other.aws_vpc.this"),
            Some(Resolved::Defaulted(false))
        );
    }

    #[test]
    fn iam_console_users_need_an_mfa_policy() {
        let mfa = r#"{"Statement":[{"Effect":"Deny","NotAction":["iam:*MFA*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}],"Version":"2012-10-17"}"#;
        let m = model(vec![
            managed("aws_iam_user", "alice", "", 1, |b| {
                b.a("name", s("alice"), 2)
            }),
            managed("aws_iam_user", "bob", "", 5, |b| b.a("name", s("bob"), 6)),
            managed("aws_iam_user", "ci", "", 8, |b| b.a("name", s("ci"), 9)),
            managed("aws_iam_user_login_profile", "alice", "", 10, |b| {
                b.a("user", s("alice"), 11)
            }),
            managed("aws_iam_user_login_profile", "bob", "", 12, |b| {
                b.a("user", r("aws_iam_user.bob"), 13)
            }),
            managed("aws_iam_group", "humans", "", 20, |b| {
                b.a("name", s("humans"), 21)
            }),
            managed("aws_iam_group_membership", "humans", "", 25, |b| {
                b.a("group", s("humans"), 26)
                    .a("users", list(vec![s("alice")]), 27)
            }),
            managed("aws_iam_policy", "mfa", "", 30, |b| {
                b.a("name", s("require-mfa"), 31).a("policy", s(mfa), 32)
            }),
            managed("aws_iam_group_policy_attachment", "mfa", "", 40, |b| {
                b.a("group", s("humans"), 41)
                    .a("policy_arn", r("aws_iam_policy.mfa"), 42)
            }),
            managed("aws_iam_user_policy_attachment", "ci", "", 50, |b| {
                b.a("user", s("ci"), 51).a(
                    "policy_arn",
                    s("arn:aws:iam::aws:policy/AdministratorAccess"),
                    52,
                )
            }),
        ]);
        let res = run("AWS-IAM-002", &m);
        assert_eq!(outcome_of(&res, "aws_iam_user.alice"), vec![&Outcome::Pass]);
        let bob = results_of(&res, "aws_iam_user.bob");
        assert!(matches!(bob[0].outcome, Outcome::Fail { .. }));
        assert_eq!(bob[0].location.line(), Some(12));
        assert!(outcome_of(&res, "aws_iam_user.ci").is_empty());
        let res = run("AWS-IAM-003", &m);
        assert!(matches!(
            outcome_of(&res, "aws_iam_user.ci")[0],
            Outcome::Fail { .. }
        ));
        assert_eq!(outcome_of(&res, "aws_iam_policy.mfa"), vec![&Outcome::Pass]);
    }

    #[test]
    fn listeners_join_load_balancers() {
        let m = model(vec![
            managed("aws_lb", "web", "", 1, |b| b),
            managed("aws_lb_listener", "http", "", 5, |b| {
                b.a("load_balancer_arn", r("aws_lb.web"), 6)
                    .a("port", Dyn::Number(80.0), 7)
                    .b(B::new("default_action", 8)
                        .a("type", s("redirect"), 9)
                        .b(B::new("redirect", 10).a("protocol", s("HTTPS"), 11)))
            }),
            managed("aws_lb_listener", "https", "", 20, |b| {
                b.a("load_balancer_arn", r("aws_lb.web"), 21)
                    .a("protocol", s("HTTPS"), 22)
            }),
            managed("aws_lb_listener", "plain", "", 30, |b| {
                b.a("load_balancer_arn", r("aws_lb.web"), 31)
                    .b(B::new("default_action", 32).a("type", s("forward"), 33))
            }),
        ]);
        let res = run("AWS-ELB-001", &m);
        assert_eq!(
            outcome_of(&res, "aws_lb_listener.http"),
            vec![&Outcome::Pass]
        );
        assert_eq!(
            outcome_of(&res, "aws_lb_listener.https"),
            vec![&Outcome::Pass]
        );
        assert!(matches!(
            outcome_of(&res, "aws_lb_listener.plain")[0],
            Outcome::Fail { .. }
        ));
        let res = run("AWS-ELB-002", &m);
        let https = results_of(&res, "aws_lb_listener.https");
        assert!(matches!(https[0].outcome, Outcome::Fail { .. }));
        assert_eq!(https[0].location.line(), Some(20));
    }

    #[test]
    fn databases_tables_and_volumes_use_documented_defaults() {
        let m = model(vec![
            managed("aws_db_instance", "db", "", 1, |b| {
                b.a("engine", s("postgres"), 2)
            }),
            managed("aws_rds_cluster", "sls", "", 10, |b| {
                b.a("engine_mode", s("serverless"), 11)
            }),
            managed("aws_rds_cluster_instance", "m", "", 20, |b| {
                b.a("cluster_identifier", r("aws_rds_cluster.sls"), 21)
            }),
            managed("aws_dynamodb_table", "t", "", 30, |b| {
                b.b(B::new("server_side_encryption", 31)
                    .a("enabled", Dyn::Bool(true), 32)
                    .a("kms_key_arn", r("aws_kms_key.k"), 33))
            }),
            managed("aws_ebs_encryption_by_default", "on", "", 40, |b| b),
            managed("aws_ebs_volume", "v", "", 45, |b| b),
        ]);
        let db = &m.aws.db_instances[0];
        assert_eq!(db.storage_encrypted.value, Resolved::Defaulted(false));
        assert_eq!(db.backup_retention_days.value, Resolved::Defaulted(1));
        assert_eq!(
            m.aws.db_clusters[0].storage_encrypted.value,
            Resolved::Defaulted(true)
        );
        assert_eq!(
            m.aws.db_instances[1]
                .cluster
                .as_ref()
                .and_then(|c| c.known().cloned()),
            Some("aws_rds_cluster.sls".to_string())
        );
        assert_eq!(
            m.aws.dynamodb_tables[0].encryption_key.value,
            Resolved::Set(TableKey::CustomerManaged("aws_kms_key.k".into()))
        );
        assert_eq!(
            m.aws.ebs_volumes[0].encrypted.value,
            Resolved::Defaulted(true)
        );
        let res = run("AWS-RDS-001", &m);
        assert_eq!(res.len(), 2, "the cluster member is covered by its cluster");
    }
}
