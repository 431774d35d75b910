//! Reads one object of an S3 backend (`s3://bucket/key`), for `soc2scan drift --state`:
//! the bytes of a Terraform state, handed to the Terraform adapter's parser (which
//! knows no SDK). Credentials come from the standard chain (or `profile`);
//! `AWS_ENDPOINT_URL` is honoured (path-style addressing then).

use aws_config::{BehaviorVersion, Region};

/// Splits `s3://bucket/key` into bucket and key.
pub fn parse_uri(uri: &str) -> Option<(&str, &str)> {
    let rest = uri.strip_prefix("s3://")?;
    let (bucket, key) = rest.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then_some((bucket, key))
}

/// The bytes of the object at `uri` (`s3://bucket/key`); the error says why it could
/// not be read (no such bucket or key, access denied, no credentials), without the URI
/// (the caller names it).
pub fn fetch(uri: &str, profile: Option<&str>, region: Option<&str>) -> Result<Vec<u8>, String> {
    let (bucket, key) =
        parse_uri(uri).ok_or_else(|| "not an S3 object URI (s3://bucket/key)".to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(crate::aws_live::https_client());
        if let Some(p) = profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = region {
            loader = loader.region(Region::new(r.to_string()));
        }
        let base = loader.load().await;
        let path_style = base.endpoint_url().is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some_and(|v| !v.is_empty());
        let mut conf = aws_sdk_s3::config::Builder::from(&base).force_path_style(path_style);
        if base.region().is_none() {
            // GetObject is redirected to the bucket's region; any region starts it.
            conf = conf.region(Region::new("us-east-1"));
        }
        let client = aws_sdk_s3::Client::from_conf(conf.build());
        let out = client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| {
                use aws_sdk_s3::error::ProvideErrorMetadata;
                match (e.code(), e.message()) {
                    (Some(c), Some(m)) => format!("{c}: {m}"),
                    (Some(c), None) => c.to_string(),
                    _ => aws_sdk_s3::error::DisplayErrorContext(&e).to_string(),
                }
            })?;
        let body = out.body.collect().await.map_err(|e| e.to_string())?;
        Ok(body.into_bytes().to_vec())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_uris() {
        assert_eq!(
            parse_uri("s3://tf-state/envs/prod/terraform.tfstate"),
            Some(("tf-state", "envs/prod/terraform.tfstate"))
        );
        assert_eq!(parse_uri("s3://bucket"), None);
        assert_eq!(parse_uri("s3:///key"), None);
        assert_eq!(parse_uri("state.tfstate"), None);
    }
}
