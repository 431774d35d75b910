//! AWS-EKS-001: EKS clusters export their API, audit and authenticator logs.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

/// Control-plane logs that record who did what to the cluster.
const REQUIRED: [&str; 3] = ["api", "audit", "authenticator"];

crate::declare_rule! {
    /// ## What it does
    /// Checks that every EKS cluster (`aws_eks_cluster`) lists `api`, `audit` and
    /// `authenticator` in `enabled_cluster_log_types`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.2 expects audit logging of administrative activity. The Kubernetes audit log
    /// records every request to the API server and the authenticator log maps them to
    /// IAM identities; without them, changes to workloads, secrets and RBAC cannot be
    /// attributed or investigated.
    ///
    /// ## Default assumed
    /// Control-plane logging is off unless log types are listed (provider docs; EKS User
    /// Guide, "Control plane logging").
    ///
    /// ## Not evaluated
    /// When the list comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name                      = "main"
    ///   role_arn                  = aws_iam_role.cluster.arn
    ///   enabled_cluster_log_types = ["api", "audit", "authenticator"]
    ///   vpc_config {
    ///     subnet_ids = var.private_subnet_ids
    ///   }
    /// }
    /// ```
    pub struct EksControlPlaneLogging {
        id: "AWS-EKS-001",
        slug: "eks-control-plane-logging",
        title: "EKS clusters export API, audit and authenticator logs",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for EksControlPlaneLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.eks_clusters {
            out.require(
                &c.meta,
                &c.log_types,
                |t| REQUIRED.iter().all(|r| t.iter().any(|x| x == r)),
                |t| {
                    let missing: Vec<&str> = REQUIRED
                        .iter()
                        .copied()
                        .filter(|r| !t.iter().any(|x| x == r))
                        .collect();
                    format!("control-plane logs not exported: {}", missing.join(", "))
                },
            );
        }
    }
}
