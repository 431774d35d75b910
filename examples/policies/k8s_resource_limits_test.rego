package custom.k8s_resource_limits_test

import rego.v1

v(x) := {"value": {"state": "set", "value": x}, "origin": {"source": "scope", "scope": "t"}, "path": "p"}

workload(c) := {"object": {"meta": {"address": "Deployment/web/api", "rtype": "Deployment"}}, "pod": {"containers": [c]}}

test_memory_limit_missing if {
	some x in data.custom.k8s_resource_limits.violation with input as {"model": {"k8s": {"workloads": [workload({"kind": "regular", "name": "api", "limits_cpu": v("1"), "limits_memory": null})]}}}
	x.message == "container api sets no memory limit"
}

test_init_containers_are_not_judged if {
	count(data.custom.k8s_resource_limits.violation) == 0 with input as {"model": {"k8s": {"workloads": [workload({"kind": "init", "name": "m", "limits_cpu": null, "limits_memory": null})]}}}
}
