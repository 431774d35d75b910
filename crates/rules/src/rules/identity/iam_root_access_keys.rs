//! AWS-IAM-013: the root user has no access keys.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Live AWS scans only (`scan --aws`): checks, for every scanned account, that the
    /// root user has no access keys, active or inactive (`GetAccountSummary`
    /// `AccountAccessKeysPresent` = 0). The result is reported on the root user's ARN
    /// (`arn:aws:iam::ACCOUNT:root`).
    ///
    /// A Terraform configuration gives no result: no resource declares or reads the
    /// root user's credentials.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects credentials to be limited to the access their holder needs. A root
    /// access key is a long-lived credential with every permission in the account,
    /// which no IAM policy can restrict and no MFA protects: whoever obtains a copy owns
    /// the account. Nothing needs one; every task is done with IAM roles or by signing
    /// in as root with MFA (CIS AWS Foundations Benchmark). An inactive key fails too:
    /// anyone able to reactivate it holds the same power.
    ///
    /// ## Default assumed
    /// None: the value is read from IAM.
    ///
    /// ## Not evaluated
    /// When `iam:GetAccountSummary` is denied or fails, or its answer lacks
    /// `AccountAccessKeysPresent`.
    ///
    /// ## How to fix
    /// Sign in as the root user, open *Security credentials*, and delete every access
    /// key, after moving whatever used it to an IAM role.
    pub struct IamRootAccessKeys {
        id: "AWS-IAM-013",
        slug: "iam-root-access-keys",
        title: "The root user has no access keys",
        severity: Critical,
        family: Identity,
    }
}

impl Rule for IamRootAccessKeys {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.iam_account_summaries {
            out.require_false(
                &s.meta,
                &s.root_access_keys_present,
                "the root user has access keys",
            );
        }
    }
}
