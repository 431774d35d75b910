# METADATA
# title: Data stores carry an owner and a data classification tag
# description: >-
#   Every data store (S3 bucket, database, table, file system, cache, warehouse,
#   search domain, volume, stream) is tagged with its owner and its data
#   classification, so that the inventory of confidential data is complete and each
#   store has someone accountable for it.
# custom:
#   id: CUSTOM-TAGS-001
#   severity: medium
#   family: data-protection
#   criteria: [C1.1, CC2.1]
#   remediation: >-
#     Add the tags `owner` and `data-classification` to the resource's `tags`.
package custom.required_tags

import rego.v1

required := {"owner", "data-classification"}

# One violation per data store missing one of the tags. A tag written with an
# unknown value is present. Tags that are unknown as a whole (`tags = var.tags`
# without a value) make soc2scan.known undefined: the store is not evaluated.
violation contains {
	"resource": s.meta,
	"attribute": s.tags,
	"message": sprintf("%s lacks the tag(s) %s", [s.meta.address, concat(", ", sort(missing))]),
} if {
	some s in input.model.aws.data_stores
	tags := soc2scan.known(s.tags)
	written := {k | some k, _ in tags.known} | {k | some k, _ in tags.unknown_values}
	missing := required - written
	count(missing) > 0
}
