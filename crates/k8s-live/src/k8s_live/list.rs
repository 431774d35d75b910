//! Listing one kind from the API server, page by page (`limit` + `continue`) to the end.
//! A failed page fails the whole kind: a partial list would make "no NetworkPolicy in
//! this namespace" look true when it is only unread.

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ListParams};
use kube::Client;
use serde::Deserialize;
use serde_json::{json, Value as Json};

use super::denied::Denied;
use super::kinds::KindSpec;
use super::LAST_APPLIED;

/// Objects asked for per page (kubectl's default).
pub const PAGE_SIZE: u32 = 500;

/// One page of a list answer: only what the scan uses.
#[derive(Debug, Deserialize)]
struct Page {
    #[serde(default)]
    metadata: PageMeta,
    #[serde(default)]
    items: Option<Vec<Json>>,
}

#[derive(Debug, Default, Deserialize)]
struct PageMeta {
    #[serde(rename = "continue", default)]
    continue_token: Option<String>,
}

/// Every object of `spec` (in `namespace` for namespaced kinds when given), each with
/// `apiVersion` and `kind` set, without `managedFields`, `status` and the
/// last-applied annotation. A continue token that expired (HTTP 410) restarts the list
/// once.
pub async fn list_kind(
    client: &Client,
    spec: &KindSpec,
    namespace: Option<&str>,
) -> Result<Vec<Json>, Denied> {
    let scope = spec.scope(namespace);
    let path = spec.path(namespace);
    let denied = |status: Option<u16>, message: String| Denied {
        kind: spec.kind.into(),
        namespace: scope.map(str::to_string),
        status,
        path: path.clone(),
        message,
    };
    let mut restarted = false;
    'restart: loop {
        let mut items: Vec<Json> = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut lp = ListParams::default().limit(PAGE_SIZE);
            if let Some(t) = &token {
                lp = lp.continue_token(t);
            }
            if let (Some(ns), "Namespace") = (namespace, spec.kind) {
                lp = lp.fields(&format!("metadata.name={ns}"));
            }
            let page = if spec.metadata_only {
                metadata_page(client, scope, &lp).await
            } else {
                page(client, &path, &lp).await
            };
            let (page_items, next) = match page {
                Ok(p) => p,
                Err(e) => {
                    let (status, message) = describe(&e);
                    if status == Some(410) && token.is_some() && !restarted {
                        restarted = true;
                        continue 'restart;
                    }
                    return Err(denied(status, message));
                }
            };
            items.extend(page_items.into_iter().map(|i| tidy(i, spec)));
            match next.filter(|t| !t.is_empty()) {
                Some(t) if token.as_ref() == Some(&t) => {
                    return Err(denied(
                        None,
                        "the API server answered the same continue token twice".into(),
                    ))
                }
                Some(t) => token = Some(t),
                None => return Ok(items),
            }
        }
    }
}

/// One page of full objects.
async fn page(
    client: &Client,
    path: &str,
    lp: &ListParams,
) -> Result<(Vec<Json>, Option<String>), kube::Error> {
    let mut req = kube::core::Request::new(path)
        .list(lp)
        .map_err(kube::Error::BuildRequest)?;
    req.extensions_mut().insert("list");
    let p: Page = client.request(req).await?;
    Ok((p.items.unwrap_or_default(), p.metadata.continue_token))
}

/// One page of Secrets, metadata only (`PartialObjectMetadataList`): the data of a
/// Secret is never requested.
async fn metadata_page(
    client: &Client,
    namespace: Option<&str>,
    lp: &ListParams,
) -> Result<(Vec<Json>, Option<String>), kube::Error> {
    let api: Api<Secret> = match namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let list = api.list_metadata(lp).await?;
    let items = list
        .items
        .into_iter()
        .map(|m| {
            let metadata = serde_json::to_value(&m.metadata).unwrap_or(Json::Null);
            json!({"metadata": metadata})
        })
        .collect();
    Ok((items, list.metadata.continue_))
}

/// Sets `apiVersion` and `kind` (list items do not carry them) and drops what the scan
/// never reads and must not keep.
fn tidy(mut item: Json, spec: &KindSpec) -> Json {
    if let Some(obj) = item.as_object_mut() {
        obj.insert(
            "apiVersion".into(),
            Json::String(spec.resource.api_version.clone()),
        );
        obj.insert("kind".into(), Json::String(spec.kind.to_string()));
        obj.remove("status");
        if spec.metadata_only {
            obj.retain(|k, _| matches!(k.as_str(), "apiVersion" | "kind" | "metadata"));
        }
        if let Some(meta) = obj.get_mut("metadata").and_then(Json::as_object_mut) {
            meta.remove("managedFields");
            if let Some(a) = meta.get_mut("annotations").and_then(Json::as_object_mut) {
                a.remove(LAST_APPLIED);
            }
        }
    }
    item
}

/// The HTTP status and message of a failed request.
fn describe(e: &kube::Error) -> (Option<u16>, String) {
    match e {
        kube::Error::Api(s) => (
            (s.code != 0).then_some(s.code),
            if s.message.is_empty() {
                s.reason.clone()
            } else {
                s.message.clone()
            },
        ),
        other => (None, super::error_chain(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_sets_type_and_drops_secrets_and_noise() {
        let kinds = super::super::kinds::all(None);
        let secret = kinds.iter().find(|k| k.kind == "Secret").unwrap();
        let item = json!({
            "metadata": {"name": "db", "namespace": "web", "managedFields": [{}],
                "annotations": {LAST_APPLIED: "{\"data\":{\"password\":\"aHVudGVyMg==\"}}", "team": "a"}},
            "data": {"password": "aHVudGVyMg=="}, "status": {}
        });
        let t = tidy(item, secret);
        assert_eq!(
            t,
            json!({"apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": "db", "namespace": "web", "annotations": {"team": "a"}}})
        );
        let deploy = kinds.iter().find(|k| k.kind == "Deployment").unwrap();
        let t = tidy(
            json!({"metadata": {"name": "a"}, "spec": {}, "status": {"replicas": 1}}),
            deploy,
        );
        assert_eq!(
            t,
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"}, "spec": {}})
        );
    }
}
