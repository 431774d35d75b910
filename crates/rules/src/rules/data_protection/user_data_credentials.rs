//! AWS-EC2-026: the user data of EC2 instances and launch templates holds no
//! credentials.

use crate::model::{Model, ResourceMeta, Value};
use crate::rules::{Emitter, Rule, RuleMeta};

fn check(meta: &ResourceMeta, found: &Value<Vec<String>>, out: &mut Emitter) {
    out.require(meta, found, Vec::is_empty, |kinds| {
        format!(
            "user data holds credentials in clear ({}): readable by anyone who can describe the instance and by every process on it",
            kinds.join(", ")
        )
    });
}

crate::declare_rule! {
    /// ## What it does
    /// Reads the user data of `aws_instance`, `aws_launch_template` and
    /// `aws_launch_configuration` (`user_data`, `user_data_base64`; literal, heredoc,
    /// `file()`, `templatefile()` or `base64encode()` once resolved) for credentials
    /// written in clear: AWS access key ids (`AKIA…`, `ASIA…`), private key blocks
    /// (`-----BEGIN … PRIVATE KEY-----`), and lines assigning a literal to a name that
    /// says it holds a secret (`DB_PASSWORD=…`, `export AWS_SECRET_ACCESS_KEY=…`,
    /// `--password=…`, `password: …`), judged on the name's last word as environment
    /// variables are. Values read from elsewhere (`$(aws secretsmanager …)`, `$VAR`) are
    /// not credentials. The user data is judged when read and never kept; findings name
    /// the kind of credential (and the variable), never its value.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.1 expects credentials to be protected, C1.1 confidential information. User
    /// data is stored in clear: anyone with `ec2:DescribeInstanceAttribute` or
    /// `ec2:DescribeLaunchTemplateVersions`, and every process on the instance through
    /// the metadata service, can read it; it also lives in the repository and the state.
    ///
    /// ## Default assumed
    /// No user data: nothing to find.
    ///
    /// ## Not evaluated
    /// When the user data cannot be read before apply (a `templatefile()` with unknown
    /// variables, a `cloudinit_config` data source, compressed user data); on a live scan
    /// (`DescribeInstanceAttribute userData`, the launch template's default version, the
    /// launch configuration), when the call is denied or fails or the user data is
    /// compressed or binary.
    ///
    /// ## How to fix
    /// Give the instance a role and read secrets at boot:
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   # ...
    ///   iam_instance_profile = aws_iam_instance_profile.app.name
    ///   user_data = <<-EOT
    ///     #!/bin/bash
    ///     DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id app/db --query SecretString --output text)
    ///   EOT
    /// }
    /// ```
    pub struct UserDataCredentials {
        id: "AWS-EC2-026",
        slug: "user-data-credentials",
        title: "EC2 user data holds no credentials",
        severity: High,
        family: DataProtection,
    }
}

impl Rule for UserDataCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for i in &model.aws.instances {
            check(&i.meta, &i.user_data_credentials, out);
        }
        for t in &model.aws.launch_templates {
            check(&t.meta, &t.user_data_credentials, out);
        }
    }
}
