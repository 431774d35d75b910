//! A small EC2 client for the 16 read-only calls soc2scan makes, in place of the
//! generated `aws-sdk-ec2` crate.
//!
//! Why: build time. `aws-sdk-ec2` type-checks all ~600 EC2 operations, about 200 of the
//! ~1,400 CPU-seconds of a fresh release build, for 16 calls. This client is a few
//! hundred lines on the SDK's own runtime, so every call behaves as the SDK's would:
//!
//! - it runs through `aws-smithy-runtime`'s orchestrator with the runtime plugins the
//!   generated client installs (the SDK defaults, then the configuration of the same
//!   [`SdkConfig`] the other clients get): credentials and their cache, SigV4 signing
//!   (`aws-runtime`'s [`SigV4AuthScheme`], signing name `ec2`, the region), the HTTP
//!   client, sleep and time sources, timeouts, the retry mode and attempts (adaptive or
//!   standard, `AWS_MAX_ATTEMPTS`), the retry partition `ec2-{region}`, user agent,
//!   invocation id, clock skew correction;
//! - errors are retried by the SDK's classifiers (transient errors, HTTP 5xx, the AWS
//!   throttling codes such as `RequestLimitExceeded`, clock skew);
//! - the endpoint is `AWS_ENDPOINT_URL_EC2` / `AWS_ENDPOINT_URL` / the profile's
//!   `endpoint_url` (moto), else EC2's regional endpoint by the SDK's rules, FIPS and
//!   dual-stack included ([`endpoint`]);
//! - results are `Result<T, SdkError<Ec2Error, HttpResponse>>`, with [`Ec2Error`]
//!   carrying the code and message EC2 sent, so `Shared::call` classifies failures
//!   exactly as for the SDK crates.
//!
//! The wire format is in [`protocol`]; the operations and the fields soc2scan reads
//! in [`ops`].

pub mod ops;
pub mod protocol;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use aws_config::SdkConfig;
use aws_runtime::auth::sigv4::{SigV4AuthScheme, SCHEME_ID};
use aws_runtime::auth::{SigV4OperationSigningConfig, SigningOptions};
use aws_smithy_runtime::client::defaults::{default_plugins, DefaultPluginParams};
// Imported under another name: `invoke` is also a Lambda operation, and
// tests/aws_live_readonly.rs rejects a call of it.
use aws_smithy_runtime::client::orchestrator::invoke as orchestrate;
use aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::static_resolver::StaticAuthSchemeOptionResolver;
use aws_smithy_runtime_api::client::auth::{AuthSchemeOptionResolverParams, SharedAuthScheme};
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::endpoint::{
    EndpointFuture, EndpointResolverParams, ResolveEndpoint, SharedEndpointResolver,
};
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::context::{Error as AnyError, Input, Output};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::{
    HttpRequest, HttpResponse, Metadata, OrchestratorError,
};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::{RuntimePlugins, StaticRuntimePlugin};
use aws_smithy_runtime_api::client::ser_de::{
    DeserializeResponse, SerializeRequest, SharedRequestSerializer, SharedResponseDeserializer,
};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, Layer};
use aws_smithy_types::endpoint::Endpoint;

pub use protocol::{Ec2Error, Query};
use protocol::{Node, XmlError};

/// The result of one EC2 call, as the SDK's.
pub type Ec2Result<T> = Result<T, SdkError<Ec2Error, HttpResponse>>;

/// A client of EC2 in one region, configured from an [`SdkConfig`] exactly as
/// the generated `aws-sdk-ec2` client was. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    plugins: RuntimePlugins,
}

impl Client {
    /// A client with the credentials, region, endpoint, HTTP client, retry and timeout
    /// settings of `cfg`.
    pub fn new(cfg: &SdkConfig) -> Client {
        let region = cfg.region().map(|r| r.to_string());
        let partition = match &region {
            Some(r) => format!("ec2-{r}"),
            None => "ec2".to_string(),
        };
        let behavior = cfg.behavior_version().unwrap_or(BehaviorVersion::latest());
        let mut plugins = RuntimePlugins::new().with_client_plugins(default_plugins(
            DefaultPluginParams::new()
                .with_retry_partition_name(partition)
                .with_behavior_version(behavior)
                .with_is_aws_sdk(true),
        ));
        plugins = plugins.with_client_plugin(
            StaticRuntimePlugin::new()
                .with_config(client_layer(cfg).freeze())
                .with_runtime_components(client_components(cfg, region.as_deref())),
        );
        Client { plugins }
    }

    /// Sends `query` and reads the answer with `parse` (called with the document's
    /// root element, `<{Action}Response>`).
    pub async fn send<T>(
        &self,
        query: Query,
        parse: fn(&Node) -> Result<T, XmlError>,
    ) -> Ec2Result<T>
    where
        T: std::fmt::Debug + Send + Sync + 'static,
    {
        let action = query.action;
        let mut layer = Layer::new(action);
        layer.store_put(SharedResponseDeserializer::new(Deserializer {
            action,
            parse,
        }));
        layer.store_put(Metadata::new(action, "EC2"));
        let plugins = self
            .plugins
            .clone()
            .with_operation_plugin(StaticRuntimePlugin::new().with_config(layer.freeze()));
        let out = orchestrate("EC2", action, Input::erase(query), &plugins)
            .await
            .map_err(|e| {
                e.map_service_error(|e| {
                    e.downcast::<Ec2Error>().unwrap_or_else(|other| {
                        Ec2Error::unreadable(action, XmlError(other.to_string()))
                    })
                })
            })?;
        out.downcast::<T>().map_err(|_| {
            SdkError::construction_failure(XmlError(format!(
                "{action}: the answer was read into an unexpected type"
            )))
        })
    }
}

/// The configuration the generated client's `Config::from(&SdkConfig)` stores, and the
/// operation-independent entries of its generated operations.
fn client_layer(cfg: &SdkConfig) -> Layer {
    let mut l = Layer::new("soc2scan EC2 client");
    l.store_put(aws_runtime::user_agent::ApiMetadata::new(
        "ec2",
        env!("CARGO_PKG_VERSION"),
    ));
    l.store_put(aws_types::SigningName::from_static("ec2"));
    if let Some(r) = cfg.region() {
        l.store_put(r.clone());
        l.store_put(aws_types::region::SigningRegion::from(r.clone()));
    }
    if let Some(r) = cfg.retry_config() {
        l.store_put(r.clone());
    }
    if let Some(t) = cfg.timeout_config() {
        l.store_put(t.clone());
    }
    if let Some(s) = cfg.stalled_stream_protection() {
        l.store_put(s);
    }
    if let Some(p) = cfg.auth_scheme_preference() {
        l.store_put(p.clone());
    }
    if let Some(d) = cfg.disable_clock_skew_correction() {
        l.store_put(aws_runtime::service_clock_skew::DisableClockSkewCorrection::from(d));
    }
    if let Some(a) = cfg.app_name() {
        l.store_put(a.clone());
    }
    l.store_put(AuthSchemeAndEndpointOrchestrationV2);
    l.store_put(AuthSchemeOptionResolverParams::new(()));
    l.store_put(SharedRequestSerializer::new(Serializer));
    // As every generated EC2 operation signs.
    let mut signing = SigningOptions::default();
    signing.double_uri_encode = true;
    signing.content_sha256_header = false;
    signing.normalize_uri_path = true;
    signing.payload_override = None;
    l.store_put(SigV4OperationSigningConfig {
        signing_options: signing,
        ..Default::default()
    });
    l
}

/// The runtime components of the generated client (its service plugin and its
/// operations'), with the credentials, HTTP client, sleep and time sources of `cfg`.
fn client_components(cfg: &SdkConfig, region: Option<&str>) -> RuntimeComponentsBuilder {
    use aws_runtime::retries::classifiers::AwsErrorCodeClassifier;
    use aws_runtime::service_clock_skew::{
        ServiceClockSkewClassifier, ServiceClockSkewInterceptor,
    };
    use aws_smithy_runtime::client::retries::classifiers::{
        HttpStatusCodeClassifier, ModeledAsRetryableClassifier, TransientErrorClassifier,
    };
    let mut c = RuntimeComponentsBuilder::new("soc2scan EC2 client");
    c.push_interceptor(SharedInterceptor::permanent(EndpointParams));
    if let Some(p) = cfg.credentials_provider() {
        c.set_identity_resolver(SCHEME_ID, p);
    }
    if let Some(cache) = cfg.identity_cache() {
        c.set_identity_cache(Some(cache));
    }
    c.set_http_client(cfg.http_client());
    c.set_sleep_impl(cfg.sleep_impl());
    c.set_time_source(cfg.time_source());
    c.set_auth_scheme_option_resolver(Some(StaticAuthSchemeOptionResolver::new(vec![SCHEME_ID])));
    c.push_auth_scheme(SharedAuthScheme::new(SigV4AuthScheme::new()));
    c.set_endpoint_resolver(Some(SharedEndpointResolver::new(FixedEndpoint(
        endpoint(cfg, region).map_err(Arc::from),
    ))));
    c.push_interceptor(SharedInterceptor::permanent(
        aws_smithy_runtime::client::http::connection_poisoning::ConnectionPoisoningInterceptor::new(
        ),
    ));
    c.push_interceptor(ServiceClockSkewInterceptor::new());
    c.push_interceptor(aws_runtime::request_info::RequestInfoInterceptor::new());
    c.push_interceptor(aws_runtime::user_agent::UserAgentInterceptor::new());
    c.push_interceptor(aws_runtime::invocation_id::InvocationIdInterceptor::new());
    c.push_interceptor(SharedInterceptor::permanent(
        aws_runtime::recursion_detection::RecursionDetectionInterceptor::new(),
    ));
    c.push_interceptor(SharedInterceptor::permanent(
        aws_smithy_runtime::client::stalled_stream_protection::StalledStreamProtectionInterceptor::default(),
    ));
    c.push_retry_classifier(HttpStatusCodeClassifier::default());
    c.push_retry_classifier(TransientErrorClassifier::<Ec2Error>::new());
    c.push_retry_classifier(ModeledAsRetryableClassifier::<Ec2Error>::new());
    c.push_retry_classifier(AwsErrorCodeClassifier::<Ec2Error>::new());
    c.push_retry_classifier(ServiceClockSkewClassifier::<Ec2Error>::new());
    c
}

/// The EC2 endpoint for `cfg` in `region`, by the rules of `aws-sdk-ec2`'s endpoint
/// resolver: a configured endpoint URL (the per-service `AWS_ENDPOINT_URL_EC2` or
/// profile setting first, unless the URL was set in code) as is, but not with FIPS or
/// dual-stack; otherwise `https://ec2[-fips].{region}.{suffix}` with the DNS suffix
/// (dual-stack or not) of the region's partition, and `ec2.{region}.amazonaws.com` for
/// FIPS in GovCloud (whose regular endpoints are FIPS endpoints). Errors as the SDK's.
pub fn endpoint(cfg: &SdkConfig, region: Option<&str>) -> Result<String, String> {
    let url = if cfg.get_origin("endpoint_url").is_client_config() {
        cfg.endpoint_url().map(str::to_string)
    } else {
        let key = aws_types::service_config::ServiceConfigKey::builder()
            .service_id("EC2")
            .env("AWS_ENDPOINT_URL")
            .profile("endpoint_url")
            .build()
            .ok();
        cfg.service_config()
            .zip(key)
            .and_then(|(c, k)| c.load_config(k))
            .or_else(|| cfg.endpoint_url().map(str::to_string))
    };
    resolve_endpoint(
        region,
        cfg.use_fips().unwrap_or(false),
        cfg.use_dual_stack().unwrap_or(false),
        url.as_deref(),
    )
}

/// [`endpoint`] from its parameters.
fn resolve_endpoint(
    region: Option<&str>,
    fips: bool,
    dual_stack: bool,
    url: Option<&str>,
) -> Result<String, String> {
    if let Some(url) = url {
        if fips {
            return Err("Invalid Configuration: FIPS and custom endpoint are not supported".into());
        }
        if dual_stack {
            return Err(
                "Invalid Configuration: Dualstack and custom endpoint are not supported".into(),
            );
        }
        return Ok(url.to_string());
    }
    let Some(region) = region else {
        return Err("Invalid Configuration: Missing Region".into());
    };
    // (partition, DNS suffix, dual-stack DNS suffix), from the SDK's partitions.json.
    let (partition, dns, dual) = [
        ("us-gov-", "aws-us-gov", "amazonaws.com", "api.aws"),
        ("us-isob-", "aws-iso-b", "sc2s.sgov.gov", "api.aws.scloud"),
        (
            "us-isof-",
            "aws-iso-f",
            "csp.hci.ic.gov",
            "api.aws.hci.ic.gov",
        ),
        ("us-iso-", "aws-iso", "c2s.ic.gov", "api.aws.ic.gov"),
        (
            "eu-isoe-",
            "aws-iso-e",
            "cloud.adc-e.uk",
            "api.cloud-aws.adc-e.uk",
        ),
        (
            "eusc-",
            "aws-eusc",
            "amazonaws.eu",
            "api.amazonwebservices.eu",
        ),
        (
            "cn-",
            "aws-cn",
            "amazonaws.com.cn",
            "api.amazonwebservices.com.cn",
        ),
    ]
    .into_iter()
    .find(|(prefix, ..)| region.starts_with(prefix))
    .map_or(("aws", "amazonaws.com", "api.aws"), |(_, p, d, ds)| {
        (p, d, ds)
    });
    Ok(match (fips, dual_stack) {
        (true, true) => format!("https://ec2-fips.{region}.{dual}"),
        (true, false) if partition == "aws-us-gov" => format!("https://ec2.{region}.amazonaws.com"),
        (true, false) => format!("https://ec2-fips.{region}.{dns}"),
        (false, true) => format!("https://ec2.{region}.{dual}"),
        (false, false) => format!("https://ec2.{region}.{dns}"),
    })
}

/// The endpoint (or why there is none) computed once per client: the region and
/// settings it depends on are fixed per client.
#[derive(Debug)]
struct FixedEndpoint(Result<String, Arc<str>>);

impl ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(&'a self, _params: &'a EndpointResolverParams) -> EndpointFuture<'a> {
        EndpointFuture::ready(match &self.0 {
            Ok(url) => Ok(Endpoint::builder().url(url.clone()).build()),
            Err(e) => Err(BoxError::from(e.to_string())),
        })
    }
}

/// Stores the (empty) endpoint parameters where the orchestrator looks for them, as
/// the generated operations' endpoint-parameter interceptors do: the endpoint itself
/// is fixed per client ([`FixedEndpoint`]).
#[derive(Debug)]
struct EndpointParams;

impl Intercept for EndpointParams {
    fn name(&self) -> &'static str {
        "Ec2EndpointParams"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state()
            .store_put(EndpointResolverParams::new(()));
        Ok(())
    }
}

/// Writes a [`Query`] as the SDK writes an EC2 request: `POST /`, form-encoded body.
#[derive(Debug)]
struct Serializer;

impl SerializeRequest for Serializer {
    fn serialize_input(&self, input: Input, _cfg: &mut ConfigBag) -> Result<HttpRequest, BoxError> {
        let query = input
            .downcast::<Query>()
            .map_err(|_| BoxError::from("the EC2 client was given an input that is not a query"))?;
        let body = query.encode();
        let len = body.len().to_string();
        let mut req = HttpRequest::new(SdkBody::from(body));
        req.set_method("POST")?;
        req.set_uri("/")?;
        req.headers_mut()
            .insert("content-type", "application/x-www-form-urlencoded");
        req.headers_mut().insert("content-length", len);
        Ok(req)
    }
}

/// Reads the answer to `action`: an error document for a failed status, else
/// `<{action}Response>` through `parse`. A document that cannot be read is an
/// [`Ec2Error`] without code (as the SDK's unhandled errors: not retried).
struct Deserializer<T> {
    action: &'static str,
    parse: fn(&Node) -> Result<T, XmlError>,
}

impl<T> std::fmt::Debug for Deserializer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Deserializer({})", self.action)
    }
}

impl<T> DeserializeResponse for Deserializer<T>
where
    T: std::fmt::Debug + Send + Sync + 'static,
{
    fn deserialize_nonstreaming(
        &self,
        response: &HttpResponse,
    ) -> Result<Output, OrchestratorError<AnyError>> {
        let status = response.status();
        let body = response.body().bytes().unwrap_or_default();
        let fail = |e: Ec2Error| Err(OrchestratorError::operation(AnyError::erase(e)));
        if !status.is_success() && status.as_u16() != 200 {
            return fail(protocol::parse_error(self.action, body, response.headers()));
        }
        match protocol::parse_response(self.action, body, self.parse) {
            Ok(out) => Ok(Output::erase(out)),
            Err(e) => fail(Ec2Error::unreadable(self.action, e)),
        }
    }
}
