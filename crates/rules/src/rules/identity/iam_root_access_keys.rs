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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Outcome;
    use crate::model::aws::iam::AccountSummary;
    use crate::model::{Origin, ResourceMeta, Value};

    fn summary(account: &str, keys: Value<bool>) -> AccountSummary {
        let arn = format!("arn:aws:iam::{account}:root");
        let o = Origin::Aws {
            arn: arn.as_str().into(),
            region: "us-east-1".into(),
            account: account.into(),
        };
        AccountSummary {
            meta: ResourceMeta::new(arn.as_str(), "aws_iam_root_user", o.clone()),
            root_mfa_enabled: Value::set(true, o, "AccountMFAEnabled"),
            root_access_keys_present: keys,
        }
    }

    #[test]
    fn fails_with_keys_passes_without_unknown_is_not_evaluated() {
        let o = Origin::Aws {
            arn: "arn:aws:iam::1:root".into(),
            region: "us-east-1".into(),
            account: "1".into(),
        };
        let mut model = Model::default();
        model.aws.iam_account_summaries = vec![
            summary(
                "111111111111",
                Value::set(true, o.clone(), "AccountAccessKeysPresent"),
            ),
            summary(
                "222222222222",
                Value::set(false, o.clone(), "AccountAccessKeysPresent"),
            ),
            summary(
                "333333333333",
                Value::unknown(
                    "iam:GetAccountSummary failed",
                    o,
                    "AccountAccessKeysPresent",
                ),
            ),
        ];
        let mut e = Emitter::new(&IamRootAccessKeys::META);
        IamRootAccessKeys.check(&model, &mut e);
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
