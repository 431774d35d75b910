//! Live AWS: read-only scans of AWS accounts through the AWS SDK, filling the same typed
//! model as the Terraform adapter so the same rules run with the same ids.
//!
//! Credentials and configuration come from the standard chain (environment, shared
//! config and credentials files, profiles, SSO, web identity, instance and container
//! roles); `AWS_ENDPOINT_URL` and per-service endpoint settings are honoured. Every
//! region and service is scanned concurrently within bounded in-flight calls, with the
//! SDK's adaptive retry mode and per-call timeouts. Only `Describe*`, `Get*` and `List*`
//! operations are called (checked by a test over this module's source).
//!
//! A region the account has not opted in to is not scanned; the coverage reports it
//! disabled, and no rule is evaluated there.
//!
//! Kinds of resources the scan does not read are not silently skipped: the tagging
//! API's answer lists every tagged resource of a region, and those of ARN types no
//! adapter reads are counted as not covered (`aws:ssm:parameter`; see `tagging.rs`).
//! Only resources that carry (or once carried) tags are visible this way.
//!
//! A call that fails (access denied, service unavailable, timeout) does
//! not stop the scan: the values it would have given are unknown with the reason
//! (service, region, API call), so the affected checks are *not evaluated*, and a
//! diagnostic records it.

pub mod accounts;
mod apigateway;
mod autoscaling;
mod backup;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod ctx;
mod docdb;
mod dynamodb;
mod ec2;
mod ec2_api;
mod ecr;
mod ecs;
mod efs;
mod eks;
mod elasticache;
mod elb;
mod emr;
mod glacier;
mod guardduty;
mod iam;
mod kinesis;
mod kms;
mod lambda;
mod logs;
mod msk;
mod nacl;
mod opensearch;
mod progress;
mod rds;
mod redshift;
mod s3;
mod secretsmanager;
mod ses;
mod sns;
mod sqs;
mod tagging;
mod waf;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use futures_util::future::join_all;

pub use accounts::{Shard, Target};
use ctx::{Scope, Shared};

use crate::coverage::{Coverage, Status, Unmodelled, ALL_AWS};
use crate::diagnostic::{DiagKind, DiagLevel, Diagnostic};
use crate::model::aws::AwsModel;
use crate::model::{Model, Origin};
use crate::source::{Source, SourceInput, SourceRead};

/// Options of a live AWS scan (`scan --aws`).
#[derive(Debug, Clone)]
pub struct AwsOptions {
    /// Named profile of the shared config files (`--profile`).
    pub profile: Option<String>,
    /// Regions to scan (`--region`, repeatable); empty: the configured region.
    pub regions: Vec<String>,
    /// Scan every region enabled for the account (`--all-regions`, EC2 `DescribeRegions`).
    pub all_regions: bool,
    /// Roles to assume, one account each (`--assume-role`, repeatable).
    pub assume_roles: Vec<String>,
    /// External id for the assumed roles (`--external-id`).
    pub external_id: Option<String>,
    /// File listing role ARNs of the accounts to scan (`--accounts-file`).
    pub accounts_file: Option<PathBuf>,
    /// This job's share of the accounts (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Most API calls in flight at once, over all accounts, regions and services.
    pub max_concurrency: usize,
    /// Most API calls in flight per service and region.
    pub per_service_region: usize,
    /// Timeout of one call attempt.
    pub call_timeout: Duration,
    /// Attempts per call (adaptive retry mode with exponential backoff): 6, or
    /// `AWS_MAX_ATTEMPTS` (the SDK's and the AWS CLI's setting) when it is a number from 1
    /// to 20.
    pub max_attempts: u32,
    /// Show a progress bar on stderr when it is a terminal.
    pub progress: bool,
}

impl Default for AwsOptions {
    fn default() -> Self {
        AwsOptions {
            profile: None,
            regions: Vec::new(),
            all_regions: false,
            assume_roles: Vec::new(),
            external_id: None,
            accounts_file: None,
            shard: None,
            max_concurrency: 64,
            per_service_region: 8,
            call_timeout: Duration::from_secs(30),
            max_attempts: max_attempts_from_env(std::env::var("AWS_MAX_ATTEMPTS").ok()),
            progress: false,
        }
    }
}

/// Attempts per call: `AWS_MAX_ATTEMPTS` when it is a number from 1 to 20, else 6.
fn max_attempts_from_env(value: Option<String>) -> u32 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|n| (1..=20).contains(n))
        .unwrap_or(6)
}

/// What a live scan found.
#[derive(Debug, Default)]
pub struct LiveScan {
    /// The resources, in the typed model.
    pub model: AwsModel,
    /// Calls that failed, accounts that could not be scanned.
    pub diagnostics: Vec<Diagnostic>,
    /// API calls made (pages of paginated calls count one each; retries not counted).
    pub api_calls: u64,
    /// Accounts scanned (ids).
    pub accounts: Vec<String>,
    /// What was read, per account and region and collection.
    pub coverage: Coverage,
    /// Tagged resources of kinds the scan does not read, counted by ARN type
    /// (`aws:ssm:parameter`): the Resource Groups Tagging API lists every tagged
    /// resource of a region, whatever its kind (see `tagging.rs`).
    pub unmodelled: Unmodelled,
}

/// The model collections the live adapter fills. Every other collection a rule reads
/// is recorded as *not read* in every scanned account and region, so its rules are not
/// evaluated there rather than silently passed.
pub const LIVE_COLLECTIONS: &[&str] = &[
    "aws.s3_buckets",
    "aws.s3_bucket_loggings",
    "aws.s3_account_public_access_blocks",
    "aws.db_instances",
    "aws.db_clusters",
    "aws.db_parameter_groups",
    "aws.ebs_volumes",
    "aws.ebs_encryption_by_default",
    "aws.ebs_snapshots",
    "aws.ami_launch_permissions",
    "aws.security_groups",
    "aws.security_group_rules",
    "aws.vpcs",
    "aws.subnets",
    "aws.instances",
    "aws.dynamodb_tables",
    "aws.kms_keys",
    "aws.load_balancers",
    "aws.lb_listeners",
    "aws.password_policies",
    "aws.iam_users",
    "aws.iam_groups",
    "aws.iam_roles",
    "aws.iam_policies",
    "aws.iam_access_keys",
    "aws.iam_account_summaries",
    "aws.cloudtrails",
    "aws.log_groups",
    "aws.guardduty_detectors",
    "aws.config_recorders",
    "aws.backup_vaults",
    "aws.backup_plans",
    "aws.sqs_queues",
    "aws.sns_topics",
    "aws.efs_file_systems",
    "aws.kinesis_streams",
    "aws.eks_clusters",
    "aws.elasticache_replication_groups",
    "aws.elasticache_clusters",
    "aws.msk_clusters",
    "aws.lambda_permissions",
    "aws.network_acl_rules",
    "aws.secrets",
    "aws.ecr_repositories",
    "aws.search_domains",
    "aws.redshift_clusters",
    "aws.redshift_parameter_groups",
    "aws.autoscaling_groups",
    "aws.launch_templates",
    "aws.glacier_vaults",
    "aws.ses_identity_policies",
    "aws.cloudfront_distributions",
    "aws.api_stages",
    "aws.api_domain_names",
    "aws.web_acls",
    "aws.web_acl_associations",
    "aws.docdb_clusters",
    "aws.neptune_clusters",
    "aws.data_stores",
    "aws.resource_tags",
    "aws.metric_filters",
    "aws.metric_alarms",
    "aws.ecs_services",
    "aws.ecs_task_definitions",
    "aws.emr_clusters",
    "aws.emr_security_configurations",
];

/// The coverage of a live scan: each collection of [`LIVE_COLLECTIONS`] read in every
/// scanned account and region (with its count), every other collection not read; one
/// [`Status::Disabled`] row for each region not enabled for an account.
fn live_coverage(scanned: &[(String, Regions)], model: &AwsModel) -> Coverage {
    let mut coverage = Coverage::default();
    let origin = |account: &str, region: &str| Origin::Aws {
        arn: format!("arn:aws::{region}:{account}:*").into(),
        region: region.into(),
        account: account.into(),
    };
    for (account, regions) in scanned {
        for region in &regions.disabled {
            let scope = format!("aws:{account}/{region}");
            coverage.set_origin(scope.as_str(), origin(account, region));
            coverage.record(
                scope.as_str(),
                ALL_AWS,
                Status::Disabled {
                    reason: DISABLED_REASON.into(),
                },
            );
        }
        for region in &regions.scan {
            let scope = format!("aws:{account}/{region}");
            coverage.set_origin(scope.as_str(), origin(account, region));
            for collection in AwsModel::COLLECTIONS {
                if LIVE_COLLECTIONS.contains(collection) {
                    coverage.read(scope.as_str(), collection, 0);
                } else {
                    coverage.record(
                        scope.as_str(),
                        collection,
                        Status::NotRead {
                            reason: "the live AWS scan does not read this service yet".into(),
                        },
                    );
                }
            }
        }
    }
    coverage.count(model.resources().into_iter().filter_map(
        |(collection, meta)| match &meta.origin {
            Origin::Aws {
                account, region, ..
            } => Some((format!("aws:{account}/{region}"), collection)),
            _ => None,
        },
    ));
    coverage
}

/// Live AWS accounts as a [`Source`] of the scan (`--aws`).
#[derive(Debug, Clone, Default)]
pub struct AwsSource {
    /// Accounts, regions and limits.
    pub options: AwsOptions,
}

impl Source for AwsSource {
    fn kind(&self) -> &'static str {
        "aws"
    }

    fn read(&self, _input: &SourceInput<'_>) -> crate::error::Result<SourceRead> {
        let live = run(&self.options).map_err(|e| crate::error::Error::source("aws", e))?;
        // Derived collections (data stores, tags by ARN) repeat resources counted already.
        let resources = live.model.primary_len();
        let summary = format!(
            "AWS: {} account(s) scanned, {} API calls",
            live.accounts.len(),
            live.api_calls
        );
        Ok(SourceRead {
            model: Model {
                aws: live.model,
                coverage: live.coverage,
                unmodelled: live.unmodelled,
                ..Model::default()
            },
            diagnostics: live.diagnostics,
            inputs: live.accounts.iter().map(|a| format!("aws:{a}")).collect(),
            resources,
            summary: Some(summary),
            ..SourceRead::default()
        })
    }
}

/// Why a live scan could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The async runtime could not start.
    #[error("cannot start the AWS client runtime: {0}")]
    Runtime(#[from] std::io::Error),
    /// The accounts file is unreadable or malformed.
    #[error("accounts file {path}: {message}")]
    AccountsFile {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No region given and none configured.
    #[error(
        "no AWS region: pass --region (or --all-regions), or set AWS_REGION or a profile region"
    )]
    NoRegion,
    /// No account could be scanned (credentials missing or invalid).
    #[error("no AWS account could be scanned: {0}")]
    NoAccount(String),
}

/// Runs a live scan of the configured accounts and regions.
pub fn run(opts: &AwsOptions) -> Result<LiveScan, LiveError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()?;
    rt.block_on(scan_async(opts))
}

/// Whether an endpoint override is configured (then S3 needs path-style addressing).
fn endpoint_overridden(base: &SdkConfig) -> bool {
    base.endpoint_url().is_some()
        || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some_and(|v| !v.is_empty())
}

/// The HTTPS client of every AWS call (credential providers included): hyper with
/// rustls on the `ring` crypto provider, the one the Kubernetes client uses too, so
/// the build compiles one TLS stack.
pub fn https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

async fn scan_async(opts: &AwsOptions) -> Result<LiveScan, LiveError> {
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(10))
        .operation_attempt_timeout(opts.call_timeout)
        .operation_timeout(opts.call_timeout * opts.max_attempts.max(1) * 2)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(https_client())
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts.max(1)))
        .timeout_config(timeouts);
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = opts.regions.first() {
        loader = loader.region(Region::new(r.clone()));
    }
    let base = loader.load().await;
    let home = base
        .region()
        .map(|r| r.to_string())
        .ok_or(LiveError::NoRegion)?;

    let mut targets: Vec<Target> = opts
        .assume_roles
        .iter()
        .map(|arn| Target {
            role_arn: Some(arn.clone()),
            external_id: opts.external_id.clone(),
        })
        .collect();
    if let Some(path) = &opts.accounts_file {
        targets.extend(accounts::read_accounts(path, opts.external_id.as_deref())?);
    }
    if targets.is_empty() {
        targets.push(Target {
            role_arn: None,
            external_id: None,
        });
    }
    let targets = accounts::shard(targets, opts.shard);

    let sh = Arc::new(Shared::new(
        opts.max_concurrency,
        opts.per_service_region,
        progress::Progress::new(opts.progress),
    ));
    let path_style = endpoint_overridden(&base);
    let results = join_all(
        targets
            .iter()
            .map(|t| scan_account(&sh, &base, &home, t, opts, path_style)),
    )
    .await;
    sh.progress.finish();
    let mut out = LiveScan::default();
    let mut failures = Vec::new();
    let mut scanned = Vec::new();
    for r in results {
        match r {
            Ok((account, regions, model)) => {
                out.accounts.push(account.clone());
                scanned.push((account, regions));
                out.model.extend(model);
            }
            Err(reason) => failures.push(reason),
        }
    }
    if out.accounts.is_empty() && !targets.is_empty() {
        return Err(LiveError::NoAccount(failures.join("; ")));
    }
    out.accounts.sort();
    out.coverage = live_coverage(&scanned, &out.model);
    out.coverage.extend(sh.take_coverage());
    tagging::derive_coverage(&mut out.coverage);
    out.unmodelled = tagging::not_covered(&out.model.resource_tags);
    out.api_calls = sh.calls();
    out.diagnostics = sh.take_diagnostics();
    for f in failures {
        out.diagnostics.push(Diagnostic::global(
            DiagKind::LiveApi,
            DiagLevel::Error,
            format!("account not scanned: {f}"),
        ));
    }
    out.diagnostics.sort();
    out.diagnostics.dedup();
    Ok(out)
}

/// The configuration for one target: the base one, or one assuming the target's role.
async fn target_config(base: &SdkConfig, t: &Target) -> SdkConfig {
    let Some(arn) = &t.role_arn else {
        return base.clone();
    };
    let mut b = aws_config::sts::AssumeRoleProvider::builder(arn)
        .session_name("soc2scan")
        .configure(base);
    if let Some(x) = &t.external_id {
        b = b.external_id(x);
    }
    let provider = b.build().await;
    base.to_builder()
        .credentials_provider(aws_sdk_sts::config::SharedCredentialsProvider::new(
            provider,
        ))
        .build()
}

/// Services scanned once per account (IAM, S3, CloudFront): one progress unit each.
const GLOBAL_SERVICES: u64 = 3;
/// Services scanned in every region (EC2, RDS, CloudTrail, KMS, DynamoDB, ELB,
/// CloudWatch Logs, GuardDuty, AWS Config, AWS Backup, …, the Resource Groups Tagging
/// API): one progress unit each.
const REGIONAL_SERVICES: u64 = 34;

/// Runs one service's read of one scope as a task of its own on the runtime's worker
/// threads, so the SDK's work (signing, parsing, deserialising) of a scan spreads over
/// every core instead of the one thread that drives the scan. The task owns what it
/// reads with: the shared state, the scope's configuration and the scope.
macro_rules! read_task {
    ($sh:expr, $cfg:expr, $scope:expr, |$a:ident, $b:ident, $c:ident| $read:expr) => {{
        let ($a, $b, $c) = (
            Arc::clone($sh),
            SdkConfig::clone($cfg),
            Scope::clone($scope),
        );
        tokio::spawn(async move {
            let ($a, $b, $c) = (&*$a, &$b, &$c);
            $read.await
        })
    }};
}

/// The answer of a [`read_task!`]; a read that panicked panics the scan, as it would
/// have without the task.
fn joined<T>(r: Result<T, tokio::task::JoinError>) -> T {
    match r {
        Ok(t) => t,
        Err(e) => match e.try_into_panic() {
            Ok(p) => std::panic::resume_unwind(p),
            Err(e) => panic!("live AWS read task cancelled: {e}"),
        },
    }
}

/// Scans one account in every region; `Err` with the reason when the account cannot
/// be identified (its credentials do not work).
async fn scan_account(
    sh: &Arc<Shared>,
    base: &SdkConfig,
    home: &str,
    t: &Target,
    opts: &AwsOptions,
    path_style: bool,
) -> Result<(String, Regions, AwsModel), String> {
    let cfg = target_config(base, t).await;
    let sts = aws_sdk_sts::Client::new(&cfg);
    let who = sh
        .call("sts", home, "GetCallerIdentity", || {
            sts.get_caller_identity().send()
        })
        .await
        .map_err(|e| match &t.role_arn {
            Some(arn) => format!("{arn}: {}", e.reason),
            None => e.reason.to_string(),
        })?;
    let account = who.account().unwrap_or_default().to_string();
    let partition = who
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();
    let scope = Scope {
        partition: partition.into(),
        account: account.clone().into(),
        region: home.into(),
    };
    let regions = regions(sh, &cfg, &scope, opts).await;
    sh.progress
        .add_units(GLOBAL_SERVICES + REGIONAL_SERVICES * regions.scan.len() as u64);
    let in_region = |r: &str| cfg.to_builder().region(Region::new(r.to_string())).build();
    let home_cfg = in_region(home);
    let region_cfgs: Vec<(Scope, SdkConfig)> = regions
        .scan
        .iter()
        .map(|r| (scope.in_region(r), in_region(r)))
        .collect();
    let global = async {
        // One entry per global service: GLOBAL_SERVICES progress units.
        let (a, b, cf) = tokio::join!(
            read_task!(sh, &home_cfg, &scope, |sh, c, s| iam::collect(sh, c, s)),
            read_task!(sh, &home_cfg, &scope, |sh, c, s| s3::collect(
                sh, c, s, path_style
            )),
            read_task!(sh, &home_cfg, &scope, |sh, c, s| cloudfront::collect(
                sh, c, s
            )),
        );
        let (a, mut b, cf) = (joined(a), joined(b), joined(cf));
        // Each bucket is a data store in its own region, with the tags it was read with.
        b.data_stores = tagging::bucket_stores(&b);
        vec![a, b, cf]
    };
    let regional = join_all(region_cfgs.iter().map(|(s, c)| async move {
        // One entry per regional service: REGIONAL_SERVICES progress units. All run at
        // once, within the concurrency limits of `sh`, each as its own task.
        let services = vec![
            read_task!(sh, c, s, |sh, c, s| ec2::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| rds::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| cloudtrail::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| kms::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| dynamodb::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| elb::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| logs::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| guardduty::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| config::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| backup::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| sqs::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| sns::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| efs::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| kinesis::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| eks::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| elasticache::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| msk::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| lambda::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| nacl::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| secretsmanager::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| ecr::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| opensearch::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| redshift::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| autoscaling::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| glacier::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| ses::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| apigateway::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| waf::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| docdb::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| logs::collect_metric_filters(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| cloudwatch::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| ecs::collect(sh, c, s)),
            read_task!(sh, c, s, |sh, c, s| emr::collect(sh, c, s)),
        ];
        let (parts, tags) = tokio::join!(
            join_all(services),
            read_task!(sh, c, s, |sh, c, s| tagging::read(sh, c, s)),
        );
        let mut parts: Vec<AwsModel> = parts.into_iter().map(joined).collect();
        let tags = joined(tags);
        // The region's data stores, with the tags the tagging API gave, and every tagged
        // resource of the region by ARN, from the same answer.
        let stores = tagging::data_stores(&parts, &tags);
        parts.push(AwsModel {
            data_stores: stores,
            resource_tags: tagging::resource_tags(s, &tags),
            ..AwsModel::default()
        });
        parts
    }));
    let (g, r) = tokio::join!(global, regional);
    let mut model = AwsModel::default();
    for m in g.into_iter().chain(r.into_iter().flatten()) {
        model.extend(m);
    }
    Ok((account, regions, model))
}

/// The regions of one account: those to scan, and those named (or, with
/// `--all-regions`, listed) that are not enabled for the account.
#[derive(Debug, Default, PartialEq, Eq)]
struct Regions {
    /// Regions to scan, sorted.
    scan: Vec<String>,
    /// Regions not enabled for the account (opt-in status `not-opted-in`), sorted: not
    /// scanned, reported as disabled.
    disabled: Vec<String>,
}

/// Why a disabled region is not scanned, in coverage and reports.
const DISABLED_REASON: &str =
    "region not enabled for this account (opt-in region, status not-opted-in)";

/// Splits `wanted` (`None`: every region listed) by the account's regions as EC2
/// `DescribeRegions` (`AllRegions`) lists them, `(name, opt-in status)`: a region whose
/// status is `not-opted-in` is disabled; any other status (`opt-in-not-required`,
/// `opted-in`), none, or a named region the listing does not hold is scanned.
fn split_regions(listed: &[(String, Option<String>)], wanted: Option<&[String]>) -> Regions {
    let disabled_in_listing = |name: &str| {
        listed
            .iter()
            .any(|(n, status)| n == name && status.as_deref() == Some("not-opted-in"))
    };
    let names: Vec<String> = match wanted {
        Some(w) => w.to_vec(),
        None => listed.iter().map(|(n, _)| n.clone()).collect(),
    };
    let mut out = Regions::default();
    for n in names {
        if disabled_in_listing(&n) {
            out.disabled.push(n);
        } else {
            out.scan.push(n);
        }
    }
    for v in [&mut out.scan, &mut out.disabled] {
        v.sort();
        v.dedup();
    }
    out
}

/// The regions to scan in one account, and the named or listed ones not enabled for
/// it. One `DescribeRegions` (`AllRegions`) call tells which regions are enabled; when
/// it fails, `--all-regions` scans the home region only (with a warning) and named
/// regions are all scanned (a disabled one then fails its calls and is reported
/// failed).
async fn regions(sh: &Shared, cfg: &SdkConfig, scope: &Scope, opts: &AwsOptions) -> Regions {
    let ec2 = ec2_api::Client::new(cfg);
    let listed = sh
        .call("ec2", &scope.region, "DescribeRegions", || {
            ec2.describe_regions()
        })
        .await
        .map(|out| {
            out.regions
                .into_iter()
                .filter_map(|(name, status)| Some((name?, status)))
                .collect::<Vec<_>>()
        });
    if opts.all_regions {
        match listed {
            Ok(l) if !l.is_empty() => return split_regions(&l, None),
            Ok(_) => sh.warn(format!(
                "enabled regions of account {} unknown (DescribeRegions listed none), scanning {} only",
                scope.account, scope.region
            )),
            Err(e) => sh.warn(format!(
                "enabled regions of account {} unknown, scanning {} only: {}",
                scope.account, scope.region, e.reason
            )),
        }
        return split_regions(&[], Some(&[scope.region.to_string()]));
    }
    let wanted = if opts.regions.is_empty() {
        vec![scope.region.to_string()]
    } else {
        opts.regions.clone()
    };
    split_regions(listed.as_deref().unwrap_or_default(), Some(&wanted))
}

#[cfg(test)]
mod tests {
    #[test]
    fn max_attempts_from_the_environment() {
        use super::max_attempts_from_env as f;
        assert_eq!(f(None), 6);
        assert_eq!(f(Some("3".into())), 3);
        assert_eq!(f(Some(" 1 ".into())), 1);
        assert_eq!(f(Some("0".into())), 6);
        assert_eq!(f(Some("21".into())), 6);
        assert_eq!(f(Some("many".into())), 6);
    }

    use super::*;

    fn listed() -> Vec<(String, Option<String>)> {
        [
            ("us-east-1", Some("opt-in-not-required")),
            ("af-south-1", Some("opted-in")),
            ("ap-east-1", Some("not-opted-in")),
            ("me-south-1", Some("not-opted-in")),
            ("eu-west-1", None),
        ]
        .into_iter()
        .map(|(n, s)| (n.to_string(), s.map(str::to_string)))
        .collect()
    }

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    /// Every listed region: the ones not opted in are disabled, the rest scanned.
    #[test]
    fn all_regions_split_by_opt_in_status() {
        assert_eq!(
            split_regions(&listed(), None),
            Regions {
                scan: v(&["af-south-1", "eu-west-1", "us-east-1"]),
                disabled: v(&["ap-east-1", "me-south-1"]),
            }
        );
    }

    /// Named regions: a disabled one is reported, an unknown one (or any, when the
    /// listing failed) is scanned.
    #[test]
    fn named_regions_split_by_opt_in_status() {
        let wanted = v(&["me-south-1", "us-east-1", "xx-new-1", "us-east-1"]);
        assert_eq!(
            split_regions(&listed(), Some(&wanted)),
            Regions {
                scan: v(&["us-east-1", "xx-new-1"]),
                disabled: v(&["me-south-1"]),
            }
        );
        assert_eq!(
            split_regions(&[], Some(&wanted)),
            Regions {
                scan: v(&["me-south-1", "us-east-1", "xx-new-1"]),
                disabled: Vec::new(),
            }
        );
    }

    /// A disabled region is one coverage row, complete, with the reason; no collection
    /// is recorded there.
    #[test]
    fn disabled_region_is_one_complete_row() {
        let scanned = vec![(
            "123456789012".to_string(),
            Regions {
                scan: v(&["us-east-1"]),
                disabled: v(&["ap-east-1"]),
            },
        )];
        let c = live_coverage(&scanned, &AwsModel::default());
        let rows: Vec<_> = c
            .entries()
            .filter(|e| &*e.scope == "aws:123456789012/ap-east-1")
            .collect();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].collection, ALL_AWS);
        assert_eq!(
            rows[0].status,
            Status::Disabled {
                reason: DISABLED_REASON.into()
            }
        );
        assert!(rows[0].status.is_complete());
        assert!(c.origin("aws:123456789012/ap-east-1").is_some());
    }
}
