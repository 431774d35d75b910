# METADATA
# title: Data stores live in approved regions
# description: >-
#   Every data store of a live AWS account (or of a recorded model document) is in
#   one of the regions the company has approved for customer data, so that data
#   residency commitments hold.
# custom:
#   id: CUSTOM-REGION-001
#   severity: high
#   family: data-protection
#   criteria: [C1.1, P4.1]
#   remediation: >-
#     Move the data to an approved region, or have the region approved and add it to
#     `approved` in this policy.
package custom.approved_regions

import rego.v1

approved := {"eu-west-1", "eu-central-1"}

# The region is part of a live resource's origin (its ARN); Terraform resources carry
# no region in the model and are not judged by this policy. The region is never
# unknown, so there is no unknown fixture: a region whose data stores could not be
# listed makes the policy not evaluated there (coverage), as tests/policies.rs checks.
applies contains s.meta if {
	some s in input.model.aws.data_stores
	s.meta.origin.source == "aws"
}

violation contains {
	"resource": s.meta,
	"attribute": "region",
	"message": sprintf("%s is in %s, not an approved region", [s.meta.address, s.meta.origin.region]),
} if {
	some s in input.model.aws.data_stores
	s.meta.origin.source == "aws"
	not s.meta.origin.region in approved
}
