//! AWS-ECR-020: ECR repositories scan images on push.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every ECR repository (`aws_ecr_repository`) sets
    /// `image_scanning_configuration { scan_on_push = true }`.
    ///
    /// ## Why it matters (SOC 2)
    /// CC7.1 expects vulnerabilities to be identified: scanning on push reports known
    /// CVEs of each image before it is deployed, the evidence auditors ask for under
    /// "vulnerability scanning".
    ///
    /// ## Default assumed
    /// `scan_on_push` defaults to `false` (provider docs). Registry-wide enhanced
    /// scanning (`aws_ecr_registry_scanning_configuration`, Amazon Inspector) is not
    /// seen: suppress with a justification when it covers the repository. A live scan
    /// reads the registry's scanning configuration too: a registry rule scanning on push
    /// (or, with enhanced scanning, continuously) whose filter matches the repository
    /// passes it, and with enhanced scanning only those rules count.
    ///
    /// ## Not evaluated
    /// When the value comes from a variable without a value; on a live scan, when the
    /// registry scanning configuration cannot be read and the repository itself does
    /// not scan on push.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_ecr_repository" "app" {
    ///   name = "app"
    ///   image_scanning_configuration {
    ///     scan_on_push = true
    ///   }
    /// }
    /// ```
    pub struct EcrScanOnPush {
        id: "AWS-ECR-020",
        slug: "ecr-scan-on-push",
        title: "ECR repositories scan images on push",
        severity: Medium,
        family: Logging,
    }
}

impl Rule for EcrScanOnPush {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for r in &model.aws.ecr_repositories {
            out.require_true(
                &r.meta,
                &r.scan_on_push,
                "images pushed to the repository are not scanned for vulnerabilities",
            );
        }
    }
}
