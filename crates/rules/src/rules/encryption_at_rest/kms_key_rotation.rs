//! AWS-KMS-001: symmetric KMS keys rotate their key material.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every symmetric encryption KMS key (`aws_kms_key` with
    /// `customer_master_key_spec = "SYMMETRIC_DEFAULT"` and `key_usage =
    /// "ENCRYPT_DECRYPT"`) has `enable_key_rotation = true`. Asymmetric and HMAC keys
    /// are skipped: AWS does not support automatic rotation for them.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 asks for protection of encryption keys. Automatic rotation limits how much
    /// data one key version protects and the window in which leaked material is useful,
    /// without re-encrypting data.
    ///
    /// ## Default assumed
    /// `enable_key_rotation` defaults to `false`; the key spec defaults to
    /// `SYMMETRIC_DEFAULT` and usage to `ENCRYPT_DECRYPT` (AWS provider docs).
    ///
    /// ## Not evaluated
    /// When rotation, key spec or usage comes from a variable without a value.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description         = "data at rest"
    ///   enable_key_rotation = true
    /// }
    /// ```
    pub struct KmsKeyRotation {
        id: "AWS-KMS-001",
        slug: "kms-key-rotation",
        title: "KMS keys have automatic rotation enabled",
        severity: Medium,
        family: EncryptionAtRest,
    }
}

impl Rule for KmsKeyRotation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for k in &model.aws.kms_keys {
            for v in [&k.key_spec, &k.key_usage] {
                if let Resolved::Unknown(r) = &v.value {
                    out.not_evaluated(&k.meta, &v.origin, &v.path, r.to_string());
                }
            }
            let (Some(spec), Some(usage)) = (k.key_spec.known(), k.key_usage.known()) else {
                continue;
            };
            if spec != "SYMMETRIC_DEFAULT" || usage != "ENCRYPT_DECRYPT" {
                continue;
            }
            out.require_true(
                &k.meta,
                &k.rotation_enabled,
                "KMS key does not rotate its key material",
            );
        }
    }
}
