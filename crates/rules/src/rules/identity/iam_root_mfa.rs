//! AWS-IAM-012: the root user has MFA enabled.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Live AWS scans only (`scan --aws`): checks, for every scanned account, that the
    /// root user has an MFA device (`GetAccountSummary` `AccountMFAEnabled` = 1). The
    /// result is reported on the root user's ARN (`arn:aws:iam::ACCOUNT:root`).
    ///
    /// A Terraform configuration gives no result: no resource declares or reads the
    /// root user's credentials.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and CC6.6 expect multi-factor authentication for access to systems holding
    /// customer data. The root user can do everything in the account, including what
    /// IAM policies and service control policies cannot restrict (closing the account,
    /// changing its contact and payment details, restoring a deleted administrator); a
    /// password alone, recoverable through the account's e-mail address, is not enough
    /// to protect it (CIS AWS Foundations Benchmark).
    ///
    /// ## Default assumed
    /// None: the value is read from IAM.
    ///
    /// ## Not evaluated
    /// When `iam:GetAccountSummary` is denied or fails, or its answer lacks
    /// `AccountMFAEnabled`.
    ///
    /// If the account's root credentials were removed through centralized root access
    /// management (AWS Organizations) and the rule still fails, accept the finding with
    /// that justification (for example in a baseline, `--record-baseline`).
    ///
    /// ## How to fix
    /// Sign in as the root user, open *Security credentials*, and assign an MFA device
    /// (a hardware key or passkey is preferred for root). Keep the device where more
    /// than one trusted person can reach it.
    pub struct IamRootMfa {
        id: "AWS-IAM-012",
        slug: "iam-root-mfa",
        title: "The root user has MFA enabled",
        severity: High,
        family: Identity,
    }
}

impl Rule for IamRootMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.iam_account_summaries {
            out.require_true(
                &s.meta,
                &s.root_mfa_enabled,
                "the root user has no MFA device",
            );
        }
    }
}
