//! What every service adapter shares: the scope a resource lives in (partition, account,
//! region), bounded and counted API calls, error classification, and the collected
//! diagnostics.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use tokio::sync::Semaphore;

use super::progress::Progress;
use crate::coverage::{Coverage, Status};
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
}

/// Error codes with which AWS refuses a call for lack of permission.
pub const DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
    "UnauthorizedAccess",
];

/// A failed API call, classified.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The service error code (`AccessDenied`, `NoSuchBucketPolicy`), when AWS sent one.
    pub code: Option<String>,
    /// The reason as reported, one line:
    /// `service:Operation in region failed: Code (HTTP 403): message` for an error AWS
    /// answered, `service:Operation in region failed: timed out: cause` (or `connection
    /// failed`, `could not build the request`, ...) with the short cause chain otherwise.
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

/// The code and the readable failure of a failed call: for a service error the AWS
/// error code, the HTTP status and AWS's message (`AccessDenied (HTTP 403): User ... is
/// not authorized`); for a request that got no usable answer (timeout, connection
/// failure, a request that could not be built, an unreadable response) what went wrong
/// and its short cause chain. Never a `Debug` dump.
fn classify<E>(e: &SdkError<E, HttpResponse>) -> (Option<String>, String)
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    use std::error::Error;
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().map(str::to_string);
            let status = se.raw().status().as_u16();
            let head = match &code {
                Some(c) => format!("{c} (HTTP {status})"),
                None => format!("HTTP {status}"),
            };
            let msg = err.message().unwrap_or("").trim();
            let detail = if !msg.is_empty() {
                msg.to_string()
            } else if code.is_none() {
                cause_chain(Some(err))
            } else {
                String::new()
            };
            (code, with_detail(head, &detail))
        }
        SdkError::ResponseError(re) => {
            let head = format!("unreadable response (HTTP {})", re.raw().status().as_u16());
            (None, with_detail(head, &cause_chain(e.source())))
        }
        SdkError::TimeoutError(_) => (
            None,
            with_detail("timed out".into(), &cause_chain(e.source())),
        ),
        SdkError::DispatchFailure(d) => {
            let head = if d.is_timeout() {
                "timed out"
            } else if d.is_io() {
                "connection failed"
            } else if d.is_user() {
                "request failed"
            } else {
                "dispatch failed"
            };
            // The connector error itself only names its kind (`io error`), which the
            // head already says: start from what caused it.
            let chain = match d.as_connector_error() {
                Some(c) => cause_chain(c.source()),
                None => cause_chain(e.source()),
            };
            (None, with_detail(head.into(), &chain))
        }
        SdkError::ConstructionFailure(_) => (
            None,
            with_detail(
                "could not build the request".into(),
                &cause_chain(e.source()),
            ),
        ),
        other => (
            other.code().map(str::to_string),
            with_detail("failed".into(), &cause_chain(other.source())),
        ),
    }
}

/// `head: detail`, or `head` alone when there is no detail.
fn with_detail(head: String, detail: &str) -> String {
    if detail.is_empty() {
        head
    } else {
        format!("{head}: {detail}")
    }
}

/// The messages of `first` and the errors behind it (`source()`), joined by `: `. A
/// message already contained in the previous one (wrappers often repeat their cause) is
/// left out, and the chain stops after a few links.
fn cause_chain(first: Option<&(dyn std::error::Error + 'static)>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = first;
    while let Some(err) = cur {
        if parts.len() == 6 {
            break;
        }
        let text = one_line(&err.to_string());
        if !text.is_empty() && !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = err.source();
    }
    parts.join(": ")
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
    coverage: Mutex<Coverage>,
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
            coverage: Mutex::new(Coverage::default()),
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

    /// Records that the collections `collections` could not be listed in `scope`
    /// because of `e`: denied when AWS refused the call, failed otherwise. The engine
    /// then reports the rules that read them as not evaluated there.
    pub fn not_listed(&self, scope: &Scope, collections: &[&str], e: &ApiError) {
        let call = e
            .reason
            .split(" in ")
            .next()
            .unwrap_or_default()
            .to_string();
        let status = if e.is(DENIED_CODES) {
            Status::Denied {
                call,
                reason: e.reason.to_string(),
            }
        } else {
            Status::Failed {
                call,
                reason: e.reason.to_string(),
            }
        };
        let name = format!("aws:{}/{}", scope.account, scope.region);
        let mut coverage = match self.coverage.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        for c in collections {
            coverage.record(name.as_str(), c, status.clone());
        }
    }

    /// The answer of a service's list call, or `None` once its failure is reported: a
    /// warning that `what` (`SQS queues`) is not evaluated, the `collections` recorded
    /// as not listed in `scope` ([`Shared::not_listed`]), and the service's progress unit
    /// done. Every service adapter starts with it.
    pub fn listed<T>(
        &self,
        scope: &Scope,
        what: &str,
        collections: &[&str],
        answer: Result<T, ApiError>,
    ) -> Option<T> {
        match answer {
            Ok(t) => Some(t),
            Err(e) => {
                self.warn(format!("{what} not evaluated: {}", e.reason));
                self.not_listed(scope, collections, &e);
                self.progress.unit_done(0);
                None
            }
        }
    }

    /// The coverage recorded by [`Shared::not_listed`].
    pub fn take_coverage(&self) -> Coverage {
        match self.coverage.lock() {
            Ok(mut c) => std::mem::take(&mut *c),
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
    /// classifies its error. `make` builds the call (`|| client.op().send()`) once the
    /// call may start, and its future is boxed: a call waiting for its turn holds no SDK
    /// state, so the thousands of per-resource calls an account queues cost a few bytes
    /// each, not the size of the SDK's operation future.
    pub async fn call<T, E, F, M>(
        &self,
        service: &str,
        region: &str,
        op: &str,
        make: M,
    ) -> Result<T, ApiError>
    where
        M: FnOnce() -> F,
        F: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let sem = self.scope_semaphore(service, region);
        let _local = sem.acquire().await;
        let _global = self.global.acquire().await;
        self.calls.fetch_add(1, Ordering::Relaxed);
        Box::pin(make())
            .await
            .map_err(|e| self.error(service, region, op, &e))
    }

    /// Builds the [`ApiError`] of a failed call.
    pub fn error<E>(
        &self,
        service: &str,
        region: &str,
        op: &str,
        e: &SdkError<E, HttpResponse>,
    ) -> ApiError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let (code, message) = classify(e);
        let message = one_line(&message);
        ApiError {
            reason: format!("{service}:{op} in {region} failed: {message}").into(),
            code,
        }
    }

    /// Reads every page of a paginated call; each page is one counted call. A failure
    /// on any page fails the whole listing (a partial list would hide resources). As
    /// with [`Shared::call`], `make` builds the page stream only once the listing may
    /// start.
    pub async fn pages<P, E, S, M>(
        &self,
        service: &str,
        region: &str,
        op: &str,
        make: M,
    ) -> Result<Vec<P>, ApiError>
    where
        M: FnOnce() -> S,
        S: PageStream<P, E, HttpResponse>,
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let sem = self.scope_semaphore(service, region);
        let _local = sem.acquire().await;
        let mut stream = make();
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

    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
    use aws_smithy_runtime_api::client::result::ConnectorError;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    type StsError = SdkError<GetCallerIdentityError, HttpResponse>;

    fn response(status: u16) -> HttpResponse {
        HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::empty())
    }

    fn service_error(status: u16, meta: ErrorMetadata) -> StsError {
        SdkError::service_error(GetCallerIdentityError::generic(meta), response(status))
    }

    fn shared() -> Shared {
        Shared::new(4, 2, Progress::new(false))
    }

    fn reason(e: &StsError) -> ApiError {
        shared().error("sts", "us-east-1", "GetCallerIdentity", e)
    }

    /// An error with a message and, behind it, `source`.
    #[derive(Debug)]
    struct Wrapped(
        &'static str,
        Option<Box<dyn std::error::Error + Send + Sync>>,
    );

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Wrapped {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1
                .as_deref()
                .map(|e| e as &(dyn std::error::Error + 'static))
        }
    }

    fn chain(outer: &'static str, inner: &'static str) -> Wrapped {
        Wrapped(outer, Some(Box::new(Wrapped(inner, None))))
    }

    #[test]
    fn service_error_reads_code_status_and_message() {
        let e = service_error(
            403,
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("User: arn:aws:iam::123456789012:user/a is not authorized\n  to perform sts:GetCallerIdentity")
                .build(),
        );
        let err = reason(&e);
        assert_eq!(
            &*err.reason,
            "sts:GetCallerIdentity in us-east-1 failed: AccessDenied (HTTP 403): User: \
             arn:aws:iam::123456789012:user/a is not authorized to perform \
             sts:GetCallerIdentity"
        );
        assert_eq!(err.code.as_deref(), Some("AccessDenied"));
        assert!(err.is(&["accessdenied"]));
        // The prefix the live tests rely on.
        assert!(err
            .reason
            .starts_with("sts:GetCallerIdentity in us-east-1 failed: AccessDenied"));
    }

    #[test]
    fn service_error_without_message_or_code() {
        let e = service_error(400, ErrorMetadata::builder().code("Throttling").build());
        assert_eq!(
            &*reason(&e).reason,
            "sts:GetCallerIdentity in us-east-1 failed: Throttling (HTTP 400)"
        );
        let e = service_error(503, ErrorMetadata::builder().message("Slow down").build());
        let err = reason(&e);
        assert_eq!(
            &*err.reason,
            "sts:GetCallerIdentity in us-east-1 failed: HTTP 503: Slow down"
        );
        assert_eq!(err.code, None);
    }

    #[test]
    fn timeout_reads_its_cause() {
        let e: StsError = SdkError::timeout_error(chain("operation timeout", "after 3s"));
        let err = reason(&e);
        assert_eq!(
            &*err.reason,
            "sts:GetCallerIdentity in us-east-1 failed: timed out: operation timeout: after 3s"
        );
        assert_eq!(err.code, None);
    }

    #[test]
    fn dispatch_failures_read_their_cause() {
        let e: StsError = SdkError::dispatch_failure(ConnectorError::io(Box::new(chain(
            "error trying to connect: tcp connect error: Connection refused (os error 111)",
            "tcp connect error: Connection refused (os error 111)",
        ))));
        // The repeated inner message is left out.
        assert_eq!(
            &*reason(&e).reason,
            "sts:GetCallerIdentity in us-east-1 failed: connection failed: error trying to \
             connect: tcp connect error: Connection refused (os error 111)"
        );
        let e: StsError =
            SdkError::dispatch_failure(ConnectorError::timeout(Box::new(chain("read", "idle"))));
        assert_eq!(
            &*reason(&e).reason,
            "sts:GetCallerIdentity in us-east-1 failed: timed out: read: idle"
        );
        let e: StsError = SdkError::dispatch_failure(ConnectorError::other(
            Box::new(Wrapped("dns error: no record", None)),
            None,
        ));
        assert_eq!(
            &*reason(&e).reason,
            "sts:GetCallerIdentity in us-east-1 failed: dispatch failed: dns error: no record"
        );
    }

    #[test]
    fn construction_and_response_failures_read_their_cause() {
        let e: StsError =
            SdkError::construction_failure(chain("no credentials", "profile `x` not found"));
        assert_eq!(
            &*reason(&e).reason,
            "sts:GetCallerIdentity in us-east-1 failed: could not build the request: no \
             credentials: profile `x` not found"
        );
        let e: StsError = SdkError::response_error(Wrapped("invalid XML", None), response(200));
        assert_eq!(
            &*reason(&e).reason,
            "sts:GetCallerIdentity in us-east-1 failed: unreadable response (HTTP 200): \
             invalid XML"
        );
    }

    #[test]
    fn reasons_are_one_bounded_line() {
        let long = "x".repeat(1000);
        let e = service_error(
            403,
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message(format!("a\nb\t{long}"))
                .build(),
        );
        let r = reason(&e).reason;
        assert!(!r.contains('\n') && !r.contains('\t'), "{r}");
        assert!(r.starts_with(
            "sts:GetCallerIdentity in us-east-1 failed: AccessDenied (HTTP 403): a b xxx"
        ));
        assert!(r.ends_with('…'), "{r}");
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
