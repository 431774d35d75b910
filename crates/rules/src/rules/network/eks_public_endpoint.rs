//! AWS-EKS-002: EKS API endpoints are not open to the whole internet.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every EKS cluster (`aws_eks_cluster`): when its public API endpoint is
    /// enabled (`vpc_config.endpoint_public_access`), `public_access_cidrs` must not
    /// contain `0.0.0.0/0`. A private-only endpoint, or a public one restricted to known
    /// ranges, passes.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.6 expects boundary protection. The Kubernetes API is the cluster's control
    /// plane; open to the internet it is exposed to credential attacks and to any
    /// vulnerability of the API server, with only authentication in the way.
    ///
    /// ## Default assumed
    /// `endpoint_public_access` defaults to `true` and `public_access_cidrs` to
    /// `["0.0.0.0/0"]` (EKS API `VpcConfigRequest`), so a cluster that writes neither
    /// fails.
    ///
    /// ## Not evaluated
    /// When either value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_eks_cluster" "main" {
    ///   name     = "main"
    ///   role_arn = aws_iam_role.cluster.arn
    ///   vpc_config {
    ///     subnet_ids              = var.private_subnet_ids
    ///     endpoint_private_access = true
    ///     endpoint_public_access  = false
    ///   }
    /// }
    /// ```
    pub struct EksPublicEndpoint {
        id: "AWS-EKS-002",
        slug: "eks-public-endpoint",
        title: "EKS API endpoints are not open to the internet",
        severity: High,
        family: Network,
    }
}

impl Rule for EksPublicEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for c in &model.aws.eks_clusters {
            match c.endpoint_public_access.known() {
                Some(false) => out.pass(
                    &c.meta,
                    &c.endpoint_public_access.origin,
                    &c.endpoint_public_access.path,
                ),
                Some(true) => out.require(
                    &c.meta,
                    &c.public_access_cidrs,
                    |cidrs| !cidrs.iter().any(|x| x.trim() == "0.0.0.0/0"),
                    |_| "the cluster's public API endpoint accepts connections from the whole internet (0.0.0.0/0)".to_string(),
                ),
                None => out.not_evaluated(
                    &c.meta,
                    &c.endpoint_public_access.origin,
                    &c.endpoint_public_access.path,
                    c.endpoint_public_access
                        .unknown_reason()
                        .unwrap_or_default()
                        .to_string(),
                ),
            }
        }
    }
}
