//! What every service adapter shares: the scope a resource lives in (partition, account,
//! region), bounded and counted API calls, error classification, and the collected
//! diagnostics.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use super::progress::Progress;
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::model::{Origin, ResourceMeta, Value};

/// Where a resource lives: partition, account and region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    /// `aws`, `aws-cn`, `aws-us-gov`.
    pub partition: Arc<str>,
    /// Account id.
    pub account: Arc<str>,
    /// Region (`us-east-1`); for global services the region the calls go to.
    pub region: Arc<str>,
}

impl Scope {
    /// The same account and partition in another region.
    pub fn in_region(&self, region: &str) -> Scope {
        Scope {
            partition: self.partition.clone(),
            account: self.account.clone(),
            region: region.into(),
        }
    }

    /// An ARN in this scope: `arn:{partition}:{service}:{region}:{account}:{resource}`.
    pub fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition, self.region, self.account
        )
    }

    /// An ARN of a global service (no region): `arn:{partition}:{service}::{account}:{resource}`.
    pub fn global_arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}::{}:{resource}",
            self.partition, self.account
        )
    }

    /// The origin of the resource `arn` in this scope.
    pub fn origin(&self, arn: &str) -> Origin {
        Origin::Aws {
            arn: arn.into(),
            region: self.region.clone(),
            account: self.account.clone(),
        }
    }

    /// Identity of the resource `arn`, of Terraform type `rtype`.
    pub fn meta(&self, arn: &str, rtype: &str) -> ResourceMeta {
        ResourceMeta::new(arn, rtype, self.origin(arn))
    }

    /// A placeholder standing for every resource of a service in this scope, used when
    /// the service's resources cannot be listed: its checks become *not evaluated*.
    pub fn unlisted_meta(&self, service: &str, rtype: &str) -> ResourceMeta {
        self.meta(&self.arn(service, "*"), rtype)
    }
}

/// A failed API call, classified.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The service error code (`AccessDenied`, `NoSuchBucketPolicy`), when AWS sent one.
    pub code: Option<String>,
    /// The reason as reported: service, region, API call and failure.
    pub reason: Arc<str>,
}

impl ApiError {
    /// Whether the error code is one of `codes`.
    pub fn is(&self, codes: &[&str]) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| codes.iter().any(|x| x.eq_ignore_ascii_case(c)))
    }

    /// An unknown value carrying this error's reason.
    pub fn unknown<T>(&self, origin: Origin, path: &str) -> Value<T> {
        Value::unknown(self.reason.clone(), origin, path)
    }
}

fn classify<E, R>(e: &SdkError<E, R>) -> (Option<String>, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().map(str::to_string);
            let msg = err.message().unwrap_or("").to_string();
            let text = match (&code, msg.is_empty()) {
                (Some(c), false) => format!("{c}: {msg}"),
                (Some(c), true) => c.clone(),
                (None, _) => format!(
                    "{}",
                    aws_smithy_types::error::display::DisplayErrorContext(e)
                ),
            };
            (code, text)
        }
        SdkError::TimeoutError(_) => (None, "timed out".to_string()),
        SdkError::DispatchFailure(d) if d.is_timeout() => (None, "timed out".to_string()),
        SdkError::DispatchFailure(d) if d.is_io() => (None, "connection failed".to_string()),
        other => (
            other.code().map(str::to_string),
            format!(
                "{}",
                aws_smithy_types::error::display::DisplayErrorContext(other)
            ),
        ),
    }
}

/// One line, at most 300 characters: AWS messages can be long and multi-line.
fn one_line(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 300 {
        s.chars().take(300).collect::<String>() + "…"
    } else {
        s
    }
}

/// State shared by every task of a live scan: concurrency limits, counters, progress
/// and diagnostics.
pub struct Shared {
    global: Semaphore,
    per_scope: Mutex<HashMap<(String, String), Arc<Semaphore>>>,
    per_scope_limit: usize,
    calls: AtomicU64,
    /// Progress display (a no-op when stderr is not a terminal).
    pub progress: Progress,
    diagnostics: Mutex<Vec<Diagnostic>>,
}

impl Shared {
    /// Limits: at most `max_in_flight` calls overall and `per_service_region` per
    /// service and region.
    pub fn new(max_in_flight: usize, per_service_region: usize, progress: Progress) -> Self {
        Shared {
            global: Semaphore::new(max_in_flight.max(1)),
            per_scope: Mutex::new(HashMap::new()),
            per_scope_limit: per_service_region.clamp(1, max_in_flight.max(1)),
            calls: AtomicU64::new(0),
            progress,
            diagnostics: Mutex::new(Vec::new()),
        }
    }

    /// API calls made so far (pages of paginated calls count one each).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }

    /// The diagnostics collected so far.
    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        match self.diagnostics.lock() {
            Ok(mut d) => std::mem::take(&mut *d),
            Err(p) => std::mem::take(&mut *p.into_inner()),
        }
    }

    /// Records a warning about the live scan.
    pub fn warn(&self, message: impl Into<String>) {
        let d = Diagnostic::global(DiagKind::LiveApi, DiagLevel::Warning, message);
        match self.diagnostics.lock() {
            Ok(mut v) => v.push(d),
            Err(p) => p.into_inner().push(d),
        }
    }

    fn scope_semaphore(&self, service: &str, region: &str) -> Arc<Semaphore> {
        let key = (service.to_string(), region.to_string());
        let mut map = match self.per_scope.lock() {
            Ok(m) => m,
            Err(p) => p.into_inner(),
        };
        map.entry(key)
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_scope_limit)))
            .clone()
    }

    /// Runs one API call `op` of `service` in `region` within the concurrency limits and
    /// classifies its error.
    pub async fn call<T, E, R, F>(
        &self,
        service: &str,
        region: &str,
        op: &str,
        fut: F,
    ) -> Result<T, ApiError>
    where
        F: Future<Output = Result<T, SdkError<E, R>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let sem = self.scope_semaphore(service, region);
        let _local = sem.acquire().await;
        let _global = self.global.acquire().await;
        self.calls.fetch_add(1, Ordering::Relaxed);
        fut.await.map_err(|e| self.error(service, region, op, &e))
    }

    /// Builds the [`ApiError`] of a failed call.
    pub fn error<E, R>(&self, service: &str, region: &str, op: &str, e: &SdkError<E, R>) -> ApiError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let (code, message) = classify(e);
        let message = one_line(&message);
        ApiError {
            reason: format!("{service}:{op} in {region} failed: {message}").into(),
            code,
        }
    }

    /// Reads every page of a paginated call; each page is one counted call. A failure
    /// on any page fails the whole listing (a partial list would hide resources).
    pub async fn pages<P, E, R, S>(
        &self,
        service: &str,
        region: &str,
        op: &str,
        mut stream: S,
    ) -> Result<Vec<P>, ApiError>
    where
        S: PageStream<P, E, R>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let sem = self.scope_semaphore(service, region);
        let _local = sem.acquire().await;
        let mut out = Vec::new();
        loop {
            let _global = self.global.acquire().await;
            self.calls.fetch_add(1, Ordering::Relaxed);
            match stream.next_page().await {
                None => {
                    // The end of the stream costs no request; do not count it.
                    self.calls.fetch_sub(1, Ordering::Relaxed);
                    return Ok(out);
                }
                Some(Ok(p)) => out.push(p),
                Some(Err(e)) => return Err(self.error(service, region, op, &e)),
            }
        }
    }
}

/// A paginator's stream of pages (the SDK's `PaginationStream`).
pub trait PageStream<P, E, R> {
    /// The next page, or `None` at the end.
    fn next_page(&mut self) -> impl Future<Output = Option<Result<P, SdkError<E, R>>>>;
}

impl<P, E, R> PageStream<P, E, R>
    for aws_smithy_async::future::pagination_stream::PaginationStream<Result<P, SdkError<E, R>>>
{
    fn next_page(&mut self) -> impl Future<Output = Option<Result<P, SdkError<E, R>>>> {
        self.next()
    }
}

/// Decodes the URL-encoded policy documents IAM returns.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_policies() {
        assert_eq!(
            percent_decode("%7B%22Version%22%3A%222012-10-17%22%7D"),
            "{\"Version\":\"2012-10-17\"}"
        );
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("{\"a\":1}"), "{\"a\":1}");
    }

    #[test]
    fn arns() {
        let s = Scope {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "eu-west-1".into(),
        };
        assert_eq!(
            s.arn("ec2", "volume/vol-1"),
            "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1"
        );
        assert_eq!(
            s.global_arn("iam", "user/a"),
            "arn:aws:iam::123456789012:user/a"
        );
    }
}
