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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Outcome;
    use crate::model::aws::iam::AccountSummary;
    use crate::model::{Origin, ResourceMeta, Value};

    fn summary(account: &str, mfa: Value<bool>) -> AccountSummary {
        let arn = format!("arn:aws:iam::{account}:root");
        let o = Origin::Aws {
            arn: arn.as_str().into(),
            region: "us-east-1".into(),
            account: account.into(),
        };
        AccountSummary {
            meta: ResourceMeta::new(arn.as_str(), "aws_iam_root_user", o.clone()),
            root_mfa_enabled: mfa,
            root_access_keys_present: Value::set(false, o, "AccountAccessKeysPresent"),
        }
    }

    #[test]
    fn fails_without_mfa_passes_with_it_unknown_is_not_evaluated() {
        let o = Origin::Aws {
            arn: "arn:aws:iam::1:root".into(),
            region: "us-east-1".into(),
            account: "1".into(),
        };
        let mut model = Model::default();
        model.aws.iam_account_summaries = vec![
            summary("111111111111", Value::set(false, o.clone(), "AccountMFAEnabled")),
            summary("222222222222", Value::set(true, o.clone(), "AccountMFAEnabled")),
            summary(
                "333333333333",
                Value::unknown("iam:GetAccountSummary failed", o, "AccountMFAEnabled"),
            ),
        ];
        let mut e = Emitter::new(&IamRootMfa::META);
        IamRootMfa.check(&model, &mut e);
        let got: Vec<(String, bool, bool)> = e
            .into_results()
            .iter()
            .map(|r| {
                (
                    r.resource.to_string(),
                    matches!(r.outcome, Outcome::Fail { .. }),
                    matches!(r.outcome, Outcome::NotEvaluated { .. }),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("arn:aws:iam::111111111111:root".to_string(), true, false),
                ("arn:aws:iam::222222222222:root".to_string(), false, false),
                ("arn:aws:iam::333333333333:root".to_string(), false, true),
            ]
        );
    }
}
