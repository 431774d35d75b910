//! AWS-IAM-001: the account password policy is strong.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every `aws_iam_account_password_policy`, one result per setting:
    /// `minimum_password_length` ≥ 14, `require_symbols`, `require_numbers`,
    /// `require_uppercase_characters` and `require_lowercase_characters` true,
    /// `password_reuse_prevention` ≥ 24, and `max_password_age` between 1 and 90 days.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects authentication strong enough for the access it protects; the
    /// password policy governs every IAM user with a console password. The thresholds
    /// follow the CIS AWS Foundations Benchmark; the 90-day expiry is what SOC 2
    /// checklists ask for even though NIST SP 800-63B no longer recommends rotation —
    /// suppress that one result with a justification if your policy follows NIST.
    ///
    /// ## Default assumed
    /// Unset settings take the provider defaults: length 6, no character classes, no
    /// reuse prevention, no expiry. A configuration without the resource is **not** a
    /// finding: the password policy is account-wide and is usually managed in an
    /// account-baseline configuration, which a scan of one root cannot see.
    ///
    /// ## Not evaluated
    /// A setting whose value comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_iam_account_password_policy" "strict" {
    ///   minimum_password_length        = 14
    ///   require_symbols                = true
    ///   require_numbers                = true
    ///   require_uppercase_characters   = true
    ///   require_lowercase_characters   = true
    ///   password_reuse_prevention      = 24
    ///   max_password_age               = 90
    /// }
    /// ```
    pub struct IamPasswordPolicy {
        id: "AWS-IAM-001",
        slug: "iam-password-policy",
        title: "Account password policy is strong",
        severity: Medium,
        family: Identity,
    }
}

impl Rule for IamPasswordPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for p in &model.aws.password_policies {
            let m = &p.meta;
            out.require(
                m,
                &p.minimum_length,
                |n| *n >= 14,
                |n| format!("minimum password length is {n}, below 14"),
            );
            out.require_true(
                m,
                &p.require_symbols,
                "password policy does not require symbols",
            );
            out.require_true(
                m,
                &p.require_numbers,
                "password policy does not require numbers",
            );
            out.require_true(
                m,
                &p.require_uppercase,
                "password policy does not require upper-case letters",
            );
            out.require_true(
                m,
                &p.require_lowercase,
                "password policy does not require lower-case letters",
            );
            out.require(m, &p.reuse_prevention, |n| *n >= 24, |n| {
                if *n == 0 {
                    "password policy does not prevent password reuse".to_string()
                } else {
                    format!("password policy prevents reuse of only the last {n} passwords, below 24")
                }
            });
            out.require(
                m,
                &p.max_age_days,
                |n| (1..=90).contains(n),
                |n| {
                    if *n == 0 {
                        "passwords never expire".to_string()
                    } else {
                        format!("passwords expire after {n} days, more than 90")
                    }
                },
            );
        }
    }
}
