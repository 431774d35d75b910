package custom.k8s_approved_registry_test

import rego.v1

pod(image) := {"object": {"meta": {"address": "Pod/web/p", "rtype": "Pod"}}, "pod": {"containers": [{"name": "c", "image": {"value": {"state": "set", "value": image}, "origin": {"source": "scope", "scope": "t"}, "path": "image"}}]}}

test_docker_hub_image_violates if {
	count(data.custom.k8s_approved_registry.violation) == 1 with input as {"model": {"k8s": {"workloads": [pod("nginx:1.27")]}}}
}

test_approved_registry_passes if {
	count(data.custom.k8s_approved_registry.violation) == 0 with input as {"model": {"k8s": {"workloads": [pod("registry.example.com/nginx:1.27")]}}}
}

test_a_lookalike_registry_violates if {
	count(data.custom.k8s_approved_registry.violation) == 1 with input as {"model": {"k8s": {"workloads": [pod("registry.example.com.evil.io/nginx:1.27")]}}}
}
