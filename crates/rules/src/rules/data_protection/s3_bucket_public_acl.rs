//! AWS-S3-020: S3 bucket ACLs do not grant access to everyone.

use crate::model::aws::s3::S3Bucket;
use crate::model::{Model, Resolved, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Canned ACLs that grant access to everyone or to every AWS account.
const PUBLIC_CANNED: [&str; 3] = ["public-read", "public-read-write", "authenticated-read"];

/// Group grantees meaning everyone and every authenticated AWS user.
const PUBLIC_GROUPS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];

/// Whether a public access block setting (`ignore_public_acls` or
/// `restrict_public_buckets`) neutralises the grant: `Some(true)` when the bucket's or an
/// account block sets it, `None` when the bucket's block is unknown.
pub(crate) fn neutralised(
    model: &Model,
    b: &S3Bucket,
    pick: impl Fn(&crate::model::aws::s3::PublicAccessBlock) -> &Value<bool>,
) -> Option<bool> {
    if model
        .aws
        .s3_account_public_access_blocks
        .iter()
        .any(|a| pick(&a.block).known() == Some(&true))
    {
        return Some(true);
    }
    match &b.public_access_block {
        Some(p) => pick(p).known().copied(),
        None => Some(false),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks every S3 bucket's ACL — the `acl` argument (provider v3) or an
    /// `aws_s3_bucket_acl` (v4+) — for the canned ACLs `public-read`,
    /// `public-read-write` and `authenticated-read`, and for grants to the `AllUsers` or
    /// `AuthenticatedUsers` groups. A public ACL is not reported when a public access
    /// block of the bucket or of the account sets `ignore_public_acls = true`, which makes
    /// S3 ignore it.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 expects confidential information to be protected and CC6.6 public exposure to
    /// be prevented. A public ACL lets anyone on the internet (or any AWS customer, for
    /// `authenticated-read`) list or read the bucket — the cause of most S3 data leaks.
    ///
    /// ## Default assumed
    /// Without an ACL the bucket is `private` (provider docs; S3 default).
    ///
    /// ## Not evaluated
    /// When the ACL or a grantee comes from a variable without a value, or a public ACL
    /// may be neutralised by a public access block whose settings are unknown.
    ///
    /// ## How to fix
    /// Remove the public ACL (prefer `object_ownership = "BucketOwnerEnforced"`, which
    /// disables ACLs) and block public ACLs:
    /// ```hcl
    /// resource "aws_s3_bucket_ownership_controls" "data" {
    ///   bucket = aws_s3_bucket.data.id
    ///   rule {
    ///     object_ownership = "BucketOwnerEnforced"
    ///   }
    /// }
    /// ```
    pub struct S3BucketPublicAcl {
        id: "AWS-S3-020",
        slug: "s3-bucket-public-acl",
        title: "S3 bucket ACLs are not public",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for S3BucketPublicAcl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for b in &model.aws.s3_buckets {
            let m = &b.meta;
            // The offending value: the canned ACL, else the grants.
            let public: Result<Option<(&Value<_>, String)>, &Value<String>> = match &b.acl.value {
                Resolved::Unknown(_) => Err(&b.acl),
                Resolved::Set(a) | Resolved::Defaulted(a)
                    if PUBLIC_CANNED.contains(&a.as_str()) =>
                {
                    Ok(Some((&b.acl, format!("canned ACL `{a}`"))))
                }
                _ => Ok(None),
            };
            let public = match public {
                Err(v) => {
                    out.not_evaluated(
                        m,
                        &v.origin,
                        &v.path,
                        v.unknown_reason().unwrap_or_default().to_string(),
                    );
                    continue;
                }
                Ok(Some((v, what))) => Some((v.origin.clone(), v.path.clone(), what)),
                Ok(None) => match &b.acl_grantees.value {
                    Resolved::Unknown(r) => {
                        out.not_evaluated(
                            m,
                            &b.acl_grantees.origin,
                            &b.acl_grantees.path,
                            r.to_string(),
                        );
                        continue;
                    }
                    Resolved::Set(g) | Resolved::Defaulted(g) => g
                        .iter()
                        .find(|u| PUBLIC_GROUPS.iter().any(|p| p.eq_ignore_ascii_case(u)))
                        .map(|u| {
                            (
                                b.acl_grantees.origin.clone(),
                                b.acl_grantees.path.clone(),
                                format!("a grant to {}", u.rsplit('/').next().unwrap_or(u)),
                            )
                        }),
                },
            };
            match public {
                None => out.pass(m, &b.acl.origin, &b.acl.path),
                Some((origin, path, what)) => match neutralised(model, b, |p| &p.ignore_public_acls) {
                    Some(true) => out.pass(m, &origin, &path),
                    Some(false) => out.fail(
                        m,
                        &origin,
                        &path,
                        format!("bucket ACL gives public access ({what})"),
                    ),
                    None => out.not_evaluated(
                        m,
                        &origin,
                        &path,
                        "the bucket ACL is public and the public access block that may ignore it is unknown",
                    ),
                },
            }
        }
    }
}
