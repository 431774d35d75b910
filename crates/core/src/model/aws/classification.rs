//! Data stores and their tags, for data-classification checks across services.

use serde::{Deserialize, Serialize};

use crate::model::aws::tags::Tags;
use crate::model::{ResourceMeta, Value};

/// A resource that stores customer data (a bucket, database, table, file system, cache,
/// warehouse, search domain, volume or stream), with its tags
/// (`tags`, `ListTagsForResource` / Resource Groups Tagging API).
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DataStore {
    /// Identity and declaration.
    pub meta: ResourceMeta,
    /// The tags written on the resource; `Defaulted` empty without `tags`. Tags added by
    /// the provider's `default_tags` are not included. Live: the tags AWS holds (a
    /// bucket's from `GetBucketTagging`, any other store's from the Resource Groups
    /// Tagging API's `GetResources`); `Defaulted` empty when its complete answer does not
    /// list the store; unknown with the reason when the call was denied or failed.
    pub tags: Value<Tags>,
}
