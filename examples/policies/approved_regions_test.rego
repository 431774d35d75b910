package custom.approved_regions_test

import rego.v1

store(region) := {"meta": {"address": "arn:aws:s3:::b", "rtype": "aws_s3_bucket", "origin": {"source": "aws", "arn": "arn:aws:s3:::b", "region": region, "account": "111111111111"}, "scope": ""}}

test_unapproved_region_violates if {
	count(data.custom.approved_regions.violation) == 1 with input as {"model": {"aws": {"data_stores": [store("us-east-1")]}}}
}

test_approved_region_passes if {
	count(data.custom.approved_regions.violation) == 0 with input as {"model": {"aws": {"data_stores": [store("eu-central-1")]}}}
}
