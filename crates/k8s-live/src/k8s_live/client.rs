//! Connecting to a cluster the way kubectl does: the kubeconfig (`KUBECONFIG`, else
//! `~/.kube/config`) with its current context or the one asked for, and the pod's
//! service account when soc2scan runs inside a cluster without a kubeconfig.

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use super::{error_chain, LiveError};

/// Context name reported for the in-cluster service-account configuration.
pub const IN_CLUSTER: &str = "in-cluster";

/// A client for the cluster of `context` (the kubeconfig's current context when
/// `None`), and the name of the context used.
pub async fn connect(context: Option<&str>) -> Result<(Client, String), LiveError> {
    let options = KubeConfigOptions {
        context: context.map(str::to_string),
        ..KubeConfigOptions::default()
    };
    let (config, name) = match Kubeconfig::read() {
        Ok(kubeconfig) => {
            let name = context
                .map(str::to_string)
                .or_else(|| kubeconfig.current_context.clone())
                .unwrap_or_default();
            let config = Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| LiveError::Config(format!("context `{name}`: {}", error_chain(&e))))?;
            (config, name)
        }
        Err(file) => {
            if let Some(c) = context {
                return Err(LiveError::Config(format!(
                    "context `{c}` was asked for, but no kubeconfig can be read: {}",
                    error_chain(&file)
                )));
            }
            match Config::incluster() {
                Ok(config) => (config, IN_CLUSTER.to_string()),
                Err(pod) => {
                    return Err(LiveError::Config(format!(
                        "no kubeconfig ({}) and not running in a cluster ({})",
                        error_chain(&file),
                        error_chain(&pod)
                    )))
                }
            }
        }
    };
    let client = Client::try_from(config)
        .map_err(|e| LiveError::Config(format!("context `{name}`: {}", error_chain(&e))))?;
    Ok((client, name))
}
