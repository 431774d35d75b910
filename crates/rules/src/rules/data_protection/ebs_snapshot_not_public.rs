//! AWS-EBS-002: EBS snapshots are not shared publicly.

use crate::model::Model;
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Live AWS scans only (`scan --aws`): checks every EBS snapshot the scanned account
    /// owns for a `createVolumePermission` of the group `all`
    /// (`DescribeSnapshotAttribute`), which makes the snapshot public. Snapshots shared
    /// with named accounts pass.
    ///
    /// A Terraform configuration gives no result: `aws_ebs_snapshot` and
    /// `aws_ebs_snapshot_copy` express no sharing, and
    /// `aws_snapshot_create_volume_permission` grants a single account (`account_id`)
    /// and cannot make a snapshot public.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1: any AWS customer can create a volume from a public snapshot and
    /// read the whole disk — customer data, application code, configuration and
    /// embedded credentials — outside every access control of the account.
    ///
    /// ## Default assumed
    /// None: the permissions are read from EC2.
    ///
    /// ## Not evaluated
    /// When `ec2:DescribeSnapshots` or `ec2:DescribeSnapshotAttribute` is denied or
    /// fails for the snapshot's region.
    ///
    /// ## How to fix
    /// Remove the public permission and share with the accounts that need the snapshot:
    /// ```sh
    /// aws ec2 modify-snapshot-attribute --snapshot-id snap-0123456789abcdef0 \
    ///   --attribute createVolumePermission --operation-type remove --group-names all
    /// ```
    /// Turn on *block public access for EBS snapshots* in every region to keep new
    /// snapshots from being made public.
    pub struct EbsSnapshotNotPublic {
        id: "AWS-EBS-002",
        slug: "ebs-snapshot-not-public",
        title: "EBS snapshots are not public",
        severity: Critical,
        family: DataProtection,
    }
}

impl Rule for EbsSnapshotNotPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for s in &model.aws.ebs_snapshots {
            if let Some(public) = &s.public {
                out.require_false(
                    &s.meta,
                    public,
                    "the snapshot is shared with every AWS account (createVolumePermission group = \"all\")",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Outcome;
    use crate::model::aws::ebs_snapshot::EbsSnapshot;
    use crate::model::{Origin, ResourceMeta, Value};

    fn snapshot(id: &str, public: Option<Value<bool>>) -> EbsSnapshot {
        let arn = format!("arn:aws:ec2:us-east-1::snapshot/{id}");
        let o = Origin::Aws {
            arn: arn.as_str().into(),
            region: "us-east-1".into(),
            account: "111111111111".into(),
        };
        EbsSnapshot {
            meta: ResourceMeta::new(arn.as_str(), "aws_ebs_snapshot", o.clone()),
            encrypted: Value::set(true, o.clone(), "encrypted"),
            kms_key: Value::set(None, o, "kms_key_id"),
            public,
        }
    }

    #[test]
    fn fails_when_public_passes_when_private_unknown_is_not_evaluated() {
        let o = Origin::Aws {
            arn: "arn:aws:ec2:us-east-1::snapshot/x".into(),
            region: "us-east-1".into(),
            account: "111111111111".into(),
        };
        let path = "create_volume_permission.group";
        let mut model = Model::default();
        model.aws.ebs_snapshots = vec![
            snapshot("snap-public", Some(Value::set(true, o.clone(), path))),
            snapshot("snap-private", Some(Value::set(false, o.clone(), path))),
            snapshot(
                "snap-denied",
                Some(Value::unknown(
                    "ec2:DescribeSnapshotAttribute in us-east-1 failed: UnauthorizedOperation",
                    o,
                    path,
                )),
            ),
            // A source that cannot know (Terraform) gives no result.
            snapshot("snap-terraform", None),
        ];
        let mut e = Emitter::new(&EbsSnapshotNotPublic::META);
        EbsSnapshotNotPublic.check(&model, &mut e);
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
        let arn = |id: &str| format!("arn:aws:ec2:us-east-1::snapshot/{id}");
        assert_eq!(
            got,
            vec![
                (arn("snap-public"), true, false),
                (arn("snap-private"), false, false),
                (arn("snap-denied"), false, true),
            ]
        );
    }
}
