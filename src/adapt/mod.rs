//! Adapters: each turns one kind of source into the typed [`crate::model`].

#[cfg(feature = "aws")]
pub mod aws_live;
pub mod k8s;
pub mod k8s_live;
pub mod k8s_manifest;
pub mod terraform;
pub mod tfplan;
