# METADATA
# title: Production S3 buckets are replicated
# description: >-
#   An S3 bucket tagged `environment = production` has a replication configuration
#   with an enabled rule, so that its data survives the loss of a region.
# custom:
#   id: CUSTOM-S3-REPL-001
#   severity: high
#   family: backup
#   criteria: [A1.2]
#   remediation: >-
#     Add an aws_s3_bucket_replication_configuration with an enabled rule to a
#     bucket in another region (versioning must be enabled on both buckets).
package custom.s3_production_replication

import rego.v1

production(b) if {
	tags := soc2scan.known(b.tags)
	tags.known.environment == "production"
}

# Only production buckets are judged: the others neither pass nor fail.
applies contains b.meta if {
	some b in input.model.aws.s3_buckets
	production(b)
}

violation contains {
	"resource": b.meta,
	"attribute": b.replication,
	"message": sprintf("production bucket %s is not replicated", [b.meta.address]),
} if {
	some b in input.model.aws.s3_buckets
	production(b)
	soc2scan.known(b.replication) == false
}

# A bucket whose environment tag is written with an unknown value may be a
# production bucket: it is not evaluated rather than skipped.
not_evaluated contains {
	"resource": b.meta,
	"attribute": b.tags,
	"reason": sprintf("the environment tag is unknown: %s", [reason]),
} if {
	some b in input.model.aws.s3_buckets
	tags := soc2scan.known(b.tags)
	reason := tags.unknown_values.environment
}
