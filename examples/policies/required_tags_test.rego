package custom.required_tags_test

import rego.v1

store(tags) := {
	"meta": {"address": "aws_s3_bucket.b", "rtype": "aws_s3_bucket"},
	"tags": {"value": tags, "origin": {"source": "scope", "scope": "t"}, "path": "tags"},
}

test_missing_classification_violates if {
	v := data.custom.required_tags.violation with input as {"model": {"aws": {"data_stores": [store({"state": "set", "value": {"known": {"owner": "a"}, "unknown_values": {}}})]}}}
	some x in v
	x.message == "aws_s3_bucket.b lacks the tag(s) data-classification"
}

test_tag_with_unknown_value_is_present if {
	count(data.custom.required_tags.violation) == 0 with input as {"model": {"aws": {"data_stores": [store({"state": "set", "value": {"known": {"owner": "a"}, "unknown_values": {"data-classification": "var.c has no value"}}})]}}}
}

test_unknown_tags_give_no_violation if {
	count(data.custom.required_tags.violation) == 0 with input as {"model": {"aws": {"data_stores": [store({"state": "unknown", "value": "var.tags has no value"})]}}}
}
