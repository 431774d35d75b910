//! AWS-TAG-001: data stores carry the required data-classification tags.

use crate::model::aws::tags::TagLookup;
use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every data store — S3 buckets, RDS instances and clusters, DynamoDB
    /// tables, EFS file systems, ElastiCache replication groups, Redshift clusters,
    /// OpenSearch/Elasticsearch domains, DocumentDB and Neptune clusters, EBS volumes,
    /// Kinesis streams and Backup vaults — carries every tag key of the
    /// `required_tags` setting (default `DataClassification`) in its `tags`.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 expects confidential information to be identified before it can be
    /// protected, and CC2.1 an inventory of information assets. A classification tag on
    /// each data store is how the inventory, the access reviews and the encryption and
    /// retention requirements find the data that matters.
    ///
    /// ## Default assumed
    /// A resource without `tags` has none. Tags added by the provider's `default_tags`
    /// are not seen by this scan: when the classification is set there, suppress this
    /// rule for the configuration with a justification, or repeat the tag on the data
    /// stores (classification usually differs per store anyway).
    ///
    /// On a live AWS scan (`scan --aws`) every data store the scan reads is checked with
    /// the tags AWS holds (`default_tags` included): a bucket's from `GetBucketTagging`,
    /// every other store's from the Resource Groups Tagging API (`tag:GetResources`,
    /// one paginated call series per account and region). That API returns only
    /// resources that have or had tags, so a store its complete answer does not hold
    /// has no tags.
    ///
    /// ## Not evaluated
    /// When `tags` comes from a variable without a value or a function of one (a tag
    /// whose key is written but whose value is unknown counts as present). Live: in an
    /// account and region where `tag:GetResources` was denied or failed (the tags of
    /// every store there other than a bucket are unknown, and so is the coverage of the
    /// data stores), or where a data-store service could not be listed.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_s3_bucket" "customer_uploads" {
    ///   bucket = "acme-customer-uploads"
    ///   tags = {
    ///     DataClassification = "confidential"
    ///   }
    /// }
    /// ```
    pub struct DataClassificationTags {
        id: "AWS-TAG-001",
        slug: "data-classification-tags",
        title: "Data stores carry a data-classification tag",
        severity: Low,
        family: DataProtection,
    }
}

impl Rule for DataClassificationTags {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        let required = out.settings().required_tags.clone();
        if required.is_empty() {
            return;
        }
        for d in &model.aws.data_stores {
            out.require(
                &d.meta,
                &d.tags,
                |t| required.iter().all(|k| t.get(k) != TagLookup::Absent),
                |t| {
                    let missing: Vec<&str> = required
                        .iter()
                        .filter(|k| t.get(k) == TagLookup::Absent)
                        .map(String::as_str)
                        .collect();
                    format!(
                        "the data store lacks the required tag(s): {}",
                        missing.join(", ")
                    )
                },
            );
        }
    }
}
