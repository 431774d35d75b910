# METADATA
# title: Kubernetes images come from an approved registry
# description: >-
#   Every container image (regular, init and ephemeral containers) is pulled from a
#   registry the company approved, where images are scanned and signed before use.
# custom:
#   id: CUSTOM-K8S-REGISTRY-001
#   severity: high
#   family: workload
#   criteria: [CC7.1, CC8.1]
#   remediation: >-
#     Push the image to an approved registry (registry.example.com,
#     ghcr.io/example) and reference it from there.
package custom.k8s_approved_registry

import rego.v1

approved := ["registry.example.com/", "ghcr.io/example/"]

from_approved(image) if {
	some prefix in approved
	startswith(image, prefix)
}

# An image that is not written is judged by Kubernetes itself (the Pod is refused);
# an image the scanner cannot know makes soc2scan.known undefined: not evaluated.
violation contains {
	"resource": w.object.meta,
	"attribute": c.image,
	"message": sprintf("container %s runs %s, not from an approved registry", [c.name, image]),
} if {
	some w in input.model.k8s.workloads
	some c in w.pod.containers
	c.image != null
	image := soc2scan.known(c.image)
	not from_approved(image)
}
