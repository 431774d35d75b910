//! Resource tags (`tags`), as far as the scanner can know them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{Resolved, ResourceMeta, Value};

/// The tags written on a resource. The whole map is a [`crate::model::Value`] (unknown
/// when `tags` comes from a variable without a value); single values can still be unknown.
/// Tags added by a provider's `default_tags` are not part of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tags {
    /// Tags whose value is known.
    pub known: BTreeMap<String, String>,
    /// Tags whose key is known but whose value is not, with the reason.
    pub unknown_values: BTreeMap<String, Arc<str>>,
}

/// What a tag lookup finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagLookup<'a> {
    /// The tag is not written.
    Absent,
    /// The tag's value.
    Value(&'a str),
    /// The tag is written but its value is unknown.
    Unknown(&'a str),
}

impl Tags {
    /// The tag `key` (exact, case-sensitive as in AWS).
    pub fn get(&self, key: &str) -> TagLookup<'_> {
        if let Some(v) = self.known.get(key) {
            return TagLookup::Value(v);
        }
        match self.unknown_values.get(key) {
            Some(r) => TagLookup::Unknown(r),
            None => TagLookup::Absent,
        }
    }

    /// Whether tag `key` has one of `values` (compared case-insensitively); `None` when its
    /// value is unknown.
    pub fn has_one_of(&self, key: &str, values: &[String]) -> Option<bool> {
        match self.get(key) {
            TagLookup::Absent => Some(false),
            TagLookup::Value(v) => Some(values.iter().any(|w| w.eq_ignore_ascii_case(v.trim()))),
            TagLookup::Unknown(_) => None,
        }
    }
}

impl Value<Tags> {
    /// Whether tag `key` has one of `values` (compared case-insensitively), as a value at
    /// the tags' origin and path. Unknown when the whole map is unknown — the reason then
    /// says that the `owner`'s `meaning` is unknown ("the bucket's tags are unknown (…), so
    /// its criticality is unknown") — or when the tag's value is.
    pub fn tag_in(&self, key: &str, values: &[String], owner: &str, meaning: &str) -> Value<bool> {
        let unknown =
            |reason: String| Value::unknown(reason, self.origin.clone(), self.path.clone());
        let tags = match &self.value {
            Resolved::Set(t) | Resolved::Defaulted(t) => t,
            Resolved::Unknown(r) => {
                return unknown(format!(
                    "the {owner}'s tags are unknown ({r}), so its {meaning} is unknown"
                ))
            }
        };
        match tags.has_one_of(key, values) {
            Some(found) => self.map(|_| found),
            None => unknown(format!("the value of tag {key} is unknown")),
        }
    }
}

/// One live resource's tags, as the live scan read them: an entry of `aws.resource_tags`,
/// the live side table of ARN → tags. It is derived (see [`crate::model::aws::AwsModel::DERIVED`]):
/// it repeats tags of resources other collections hold, so rules do not read it and drift
/// does not compare it; `[drift] unmanaged_allow` tag entries and custom policies do.
///
/// Entries come from one paginated Resource Groups Tagging API `GetResources` call series
/// per account and region, without a resource-type filter: one entry per tagged resource
/// of the region (of the kinds the scan reads or not), S3 buckets left out (their own
/// record holds the tags `GetBucketTagging` gave); and from IAM's
/// `GetAccountAuthorizationDetails`: one entry per IAM role and user, tagged or not.
/// `GetResources` returns only resources that have tags, so a resource of a kind of
/// [`TAGGED_COLLECTIONS`] the complete answer does not hold has none; where the call was
/// denied or failed the coverage of `aws.resource_tags` in that account and region says
/// so, and the tags of its resources are unknown, never "no tags". Terraform scans leave
/// the collection empty (their resources' tags are in their own records).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ResourceTags {
    /// The tagged resource: its ARN as `address`; `rtype` the ARN's `service:type`
    /// (`ec2:security-group`, `iam:role`); origin at the call that returned the tags.
    pub meta: ResourceMeta,
    /// The tags (`Set`, possibly empty for an IAM role or user without tags).
    pub tags: Value<Tags>,
}

/// The collections whose live resources' tags `aws.resource_tags` holds whenever they
/// have tags: the kinds the Resource Groups Tagging API returns (besides S3 buckets,
/// whose own record holds their tags, and IAM roles and users, which have an entry each,
/// tagged or not). A resource of one of these kinds that a complete `GetResources`
/// answer of its region (`us-east-1` for CloudFront, whose ARNs name no region) does not
/// hold has no tags. Resources of other kinds (IAM policies, groups and access keys,
/// listeners, rules, API Gateway stages, Auto Scaling groups, account settings, …) have
/// no tags in the model: their tags are not read.
pub const TAGGED_COLLECTIONS: &[&str] = &[
    "aws.db_instances",
    "aws.db_clusters",
    "aws.db_parameter_groups",
    "aws.ebs_volumes",
    "aws.ebs_snapshots",
    "aws.security_groups",
    "aws.vpcs",
    "aws.subnets",
    "aws.instances",
    "aws.launch_templates",
    "aws.dynamodb_tables",
    "aws.kms_keys",
    "aws.load_balancers",
    "aws.cloudtrails",
    "aws.log_groups",
    "aws.guardduty_detectors",
    "aws.backup_vaults",
    "aws.backup_plans",
    "aws.sqs_queues",
    "aws.sns_topics",
    "aws.efs_file_systems",
    "aws.kinesis_streams",
    "aws.eks_clusters",
    "aws.elasticache_replication_groups",
    "aws.elasticache_clusters",
    "aws.msk_clusters",
    "aws.secrets",
    "aws.ecr_repositories",
    "aws.search_domains",
    "aws.redshift_clusters",
    "aws.redshift_parameter_groups",
    "aws.glacier_vaults",
    "aws.cloudfront_distributions",
    "aws.web_acls",
    "aws.docdb_clusters",
    "aws.neptune_clusters",
    "aws.metric_alarms",
    "aws.ecs_services",
    "aws.ecs_task_definitions",
    "aws.emr_clusters",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup() {
        let mut t = Tags::default();
        t.known
            .insert("DataClassification".into(), "Confidential".into());
        t.unknown_values
            .insert("Criticality".into(), "var.c has no value".into());
        let vals = vec!["confidential".to_string()];
        assert_eq!(t.has_one_of("DataClassification", &vals), Some(true));
        assert_eq!(t.has_one_of("Criticality", &vals), None);
        assert_eq!(t.has_one_of("Owner", &vals), Some(false));
        assert_eq!(t.get("Owner"), TagLookup::Absent);
    }

    #[test]
    fn tag_in_keeps_the_tags_origin_and_says_why_it_is_unknown() {
        let at = crate::model::Origin::File {
            path: "a.tf".into(),
            line: 3,
            col: 1,
            end_line: 3,
        };
        let mut t = Tags::default();
        t.known.insert("Criticality".into(), " Critical ".into());
        t.unknown_values
            .insert("Tier".into(), "var.tier has no value".into());
        let tags = Value::set(t, at.clone(), "tags");
        let vals = vec!["critical".to_string()];
        let found = tags.tag_in("Criticality", &vals, "bucket", "criticality");
        assert_eq!(found, Value::set(true, at.clone(), "tags"));
        let absent = tags.tag_in("Owner", &vals, "bucket", "criticality");
        assert_eq!(absent.value, Resolved::Set(false));
        let tier = tags.tag_in("Tier", &vals, "bucket", "criticality");
        assert_eq!(
            tier.unknown_reason(),
            Some("the value of tag Tier is unknown")
        );
        let whole: Value<Tags> = Value::unknown("var.tags has no value", at, "tags");
        assert_eq!(
            whole
                .tag_in("Criticality", &vals, "bucket", "criticality")
                .unknown_reason(),
            Some("the bucket's tags are unknown (var.tags has no value), so its criticality is unknown")
        );
    }
}
