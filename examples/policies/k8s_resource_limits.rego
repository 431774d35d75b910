# METADATA
# title: Kubernetes containers set CPU and memory limits
# description: >-
#   Every regular container of a workload sets resources.limits.cpu and
#   resources.limits.memory, so that one workload cannot starve the others on its
#   node.
# custom:
#   id: CUSTOM-K8S-LIMITS-001
#   severity: medium
#   family: workload
#   criteria: [A1.1]
#   remediation: Set resources.limits.cpu and resources.limits.memory on the container.
package custom.k8s_resource_limits

import rego.v1

missing(c) := {name |
	some name, field in {"cpu": c.limits_cpu, "memory": c.limits_memory}
	field == null
}

# A limit written from a value the scanner cannot know (a model document recorded
# with an unknown value) is read with soc2scan.known: the workload is then not
# evaluated.
unreadable(c) if {
	some field in [c.limits_cpu, c.limits_memory]
	field != null
	not soc2scan.known(field)
}

violation contains {
	"resource": w.object.meta,
	"attribute": c,
	"message": sprintf("container %s sets no %s limit", [c.name, concat(" or ", sort(missing(c)))]),
} if {
	some w in input.model.k8s.workloads
	some c in w.pod.containers
	c.kind == "regular"
	not unreadable(c)
	count(missing(c)) > 0
}
