//! The sources a scan reads, listed in one place: the files under the scanned paths
//! (Terraform, Kubernetes manifests, model documents) always, a live cluster with `--kubernetes`,
//! live AWS accounts with `--aws`. Each implements [`Source`]; the scan only merges
//! what they read.

use crate::error::Result;
use crate::scan::ScanConfig;
use crate::source::Source;

/// The sources of one scan, in the order they are read.
/// `terraform` replaces `config.terraform` (the scan fills in the identity root).
pub fn list(
    config: &ScanConfig,
    terraform: &crate::adapt::terraform::TfOptions,
) -> Result<Vec<Box<dyn Source>>> {
    let mut sources: Vec<Box<dyn Source>> = vec![
        Box::new(soc2scan_terraform::TerraformSource {
            options: terraform.clone(),
        }),
        Box::new(soc2scan_kubernetes::ManifestSource),
        Box::new(soc2scan_core::model_document::ModelDocumentSource),
    ];
    if let Some(options) = &config.kubernetes {
        sources.push(cluster(options)?);
    }
    #[cfg(feature = "aws")]
    if let Some(options) = &config.aws {
        sources.push(Box::new(soc2scan_aws::aws_live::AwsSource {
            options: options.clone(),
        }));
    }
    Ok(sources)
}

#[cfg(feature = "kubernetes")]
fn cluster(options: &crate::adapt::k8s::LiveOptions) -> Result<Box<dyn Source>> {
    Ok(Box::new(soc2scan_k8s_live::k8s_live::ClusterSource {
        options: options.clone(),
    }))
}

#[cfg(not(feature = "kubernetes"))]
fn cluster(_options: &crate::adapt::k8s::LiveOptions) -> Result<Box<dyn Source>> {
    Err(crate::error::Error::NotBuilt("kubernetes"))
}
