//! AWS-EC2-025: EC2 instances, launch templates and launch configurations encrypt their
//! EBS block devices.

use crate::model::aws::ec2::BlockDevice;
use crate::model::{Model, ResourceMeta};
use crate::rules::{Emitter, Rule, RuleMeta};

fn check_devices(meta: &ResourceMeta, devices: &[BlockDevice], out: &mut Emitter) {
    for d in devices {
        out.require_true(
            meta,
            &d.encrypted,
            &if d.device == "root" {
                "the root volume is not encrypted".to_string()
            } else if d.device.is_empty() {
                "an EBS block device is not encrypted".to_string()
            } else {
                format!("EBS block device {} is not encrypted", d.device)
            },
        );
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks the EBS block devices of `aws_instance` (`root_block_device`,
    /// `ebs_block_device`), `aws_launch_configuration` (the same blocks) and
    /// `aws_launch_template` (`block_device_mappings` with an `ebs` block) for
    /// `encrypted = true`. The root device of an instance or launch configuration is
    /// judged even when no `root_block_device` is written: it is then created from the
    /// AMI's snapshot, unencrypted unless EBS encryption by default is on. When the
    /// scanned configuration turns EBS encryption by default on
    /// (`aws_ebs_encryption_by_default`), every device passes: AWS encrypts it anyway.
    /// An instance launched from a launch template is judged on the devices it writes
    /// itself; the template's are judged on the template.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 and C1.1 expect data at rest to be protected. An instance's volumes hold
    /// its application data, logs and often cached credentials; unencrypted, they and
    /// every snapshot of them are readable outside the instance's access controls.
    ///
    /// ## Default assumed
    /// Not encrypted, unless encryption by default is on in the scanned configuration
    /// (EC2 API: volumes from unencrypted AMIs and snapshots are not encrypted otherwise).
    /// A device created from a `snapshot_id` without `encrypted` follows the snapshot.
    ///
    /// ## Not evaluated
    /// When `encrypted` comes from a variable without a value, a device is created from
    /// a snapshot without `encrypted`, or a device block is a `dynamic` block that cannot
    /// be expanded. A live scan judges the volumes attached to each instance as
    /// `DescribeVolumes` reports them (not evaluated when the volumes cannot be listed),
    /// each launch template's default version, and each launch configuration, whose root
    /// device follows its AMI's snapshot, which is not read: not evaluated unless EBS
    /// encryption by default is on in the region.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   # ...
    ///   root_block_device {
    ///     encrypted = true
    ///   }
    /// }
    ///
    /// # or, once for the account and region:
    /// resource "aws_ebs_encryption_by_default" "on" {
    ///   enabled = true
    /// }
    /// ```
    pub struct InstanceBlockDevicesEncrypted {
        id: "AWS-EC2-025",
        slug: "instance-block-devices-encrypted",
        title: "EC2 instances and launch templates encrypt their EBS block devices",
        severity: High,
        family: EncryptionAtRest,
    }
}

impl Rule for InstanceBlockDevicesEncrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for i in &model.aws.instances {
            check_devices(&i.meta, &i.block_devices, out);
        }
        for t in &model.aws.launch_templates {
            check_devices(&t.meta, &t.block_devices, out);
        }
    }
}
