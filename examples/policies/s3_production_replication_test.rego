package custom.s3_production_replication_test

import rego.v1

val(state, v, path) := {"value": {"state": state, "value": v}, "origin": {"source": "scope", "scope": "t"}, "path": path}

bucket(env, replicated) := {
	"meta": {"address": "aws_s3_bucket.b", "rtype": "aws_s3_bucket"},
	"tags": val("set", {"known": {"environment": env}, "unknown_values": {}}, "tags"),
	"replication": val("defaulted", replicated, "replication"),
}

test_unreplicated_production_bucket_violates if {
	count(data.custom.s3_production_replication.violation) == 1 with input as {"model": {"aws": {"s3_buckets": [bucket("production", false)]}}}
}

test_staging_bucket_is_not_judged if {
	count(data.custom.s3_production_replication.applies) == 0 with input as {"model": {"aws": {"s3_buckets": [bucket("staging", false)]}}}
}
