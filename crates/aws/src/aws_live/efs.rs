//! EFS in one region: every file system's encryption at rest.

use aws_config::SdkConfig;
use aws_sdk_efs::Client;

use super::ctx::{Scope, Shared};
use crate::model::aws::efs::EfsFileSystem;
use crate::model::aws::AwsModel;
use crate::model::Value;

const SVC: &str = "elasticfilesystem";

/// Reads every file system of `scope.region` (`DescribeFileSystems` to the end).
pub async fn collect(sh: &Shared, cfg: &SdkConfig, scope: &Scope) -> AwsModel {
    let c = Client::new(cfg);
    let mut m = AwsModel::default();
    let Some(pages) = sh.listed(
        scope,
        "EFS file systems",
        &["aws.efs_file_systems"],
        sh.pages(SVC, &scope.region, "DescribeFileSystems", || {
            c.describe_file_systems().into_paginator().send()
        })
        .await,
    ) else {
        return m;
    };
    for fs in pages.iter().flat_map(|p| p.file_systems()) {
        let arn = fs
            .file_system_arn()
            .map(str::to_string)
            .unwrap_or_else(|| scope.arn(SVC, &format!("file-system/{}", fs.file_system_id())));
        let meta = scope.meta(&arn, "aws_efs_file_system");
        let o = meta.origin.clone();
        m.efs_file_systems.push(EfsFileSystem {
            encrypted: match fs.encrypted() {
                Some(e) => Value::set(e, o.clone(), "encrypted"),
                None => Value::defaulted(false, o.clone(), "encrypted"),
            },
            kms_key: match fs.kms_key_id() {
                Some(k) => Value::set(Some(k.to_string()), o, "kms_key_id"),
                None => Value::defaulted(None, o, "kms_key_id"),
            },
            meta,
        });
    }
    sh.progress.unit_done(m.efs_file_systems.len());
    m
}
