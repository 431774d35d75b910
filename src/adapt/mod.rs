//! Adapters: each turns one kind of source into the typed [`crate::model`].

pub mod terraform;
