//! clap definitions of soc2scan's command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::level::Level;

const AFTER_HELP: &str = "\
Exit codes:
  0  no unsuppressed finding at or above --fail-on
  1  unsuppressed findings at or above --fail-on
  2  the scan could not run (bad flag, missing path, unreadable variable file,
     invalid .soc2scan.toml), or --record could not write to its store

A file that cannot be parsed does not stop the scan: it is reported as a
diagnostic (file:line and message) and everything else is scanned.";

const MERGE_AFTER_HELP: &str = "\
Every FILE must be a JSON report of this soc2scan version (scan --format json) made
with the same rules, effective severities, policy file and baseline. Results are
sorted as a scan sorts them (a result two reports share is kept once), diagnostics
and inputs are united, counts summed. The merged report's scan time is the time of
the merge (SOURCE_DATE_EPOCH is honoured, as by scan).

Example (four shards of an organisation's accounts):
  soc2scan scan --aws --accounts-file accounts.txt --shard 1/4 -f json -o shard-1.json
  ...
  soc2scan merge shard-*.json --format sarif -o org.sarif

Exit codes:
  0  no unsuppressed finding at or above --fail-on in the merged report
  1  unsuppressed findings at or above --fail-on
  2  a FILE is missing, not JSON, truncated, from another soc2scan version or not
     compatible with the first FILE (the message names it; no output is written)";

/// soc2scan: checks infrastructure as code against SOC 2 technical controls and ties
/// every finding to the Trust Services Criteria it breaks.
#[derive(Debug, Parser)]
#[command(name = "soc2scan", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan Terraform, plan JSON, Kubernetes manifests and model documents (default: the
    /// current directory), live clusters (`--kubernetes`) and AWS accounts (`--aws`).
    #[command(after_help = AFTER_HELP)]
    Scan(ScanArgs),
    /// Record the current unsuppressed findings in a baseline file, so that
    /// `scan --baseline FILE` fails only on new ones. Takes the same inputs as `scan`.
    #[command(
        mut_arg("output", |a| a
            .default_value(crate::baseline::DEFAULT_FILE)
            .help("Where to write the baseline (atomically)")),
        mut_arg("format", |a| a.hide(true)),
        mut_arg("fail_on", |a| a.hide(true)),
        mut_arg("baseline", |a| a.hide(true)),
        mut_arg("changed_since", |a| a.hide(true)),
        mut_arg("category", |a| a.hide(true)),
        mut_arg("no_color", |a| a.hide(true)),
        mut_arg("record", |a| a.hide(true)),
        mut_arg("record_target", |a| a.hide(true)),
    )]
    Baseline(ScanArgs),
    /// Print the model the rules check, as a JSON document: every resource with its
    /// values (known, defaulted, or unknown with the reason) and origin, and what each
    /// source read. Takes the same inputs as `scan`; a document recorded from a live
    /// account is scanned again offline with `soc2scan scan FILE.json`.
    #[command(
        mut_arg("output", |a| a.help("Write the document to FILE (atomically) instead of stdout")),
        mut_arg("format", |a| a.hide(true)),
        mut_arg("fail_on", |a| a.hide(true)),
        mut_arg("baseline", |a| a.hide(true)),
        mut_arg("changed_since", |a| a.hide(true)),
        mut_arg("category", |a| a.hide(true)),
        mut_arg("no_color", |a| a.hide(true)),
        mut_arg("select", |a| a.hide(true)),
        mut_arg("ignore", |a| a.hide(true)),
        mut_arg("level", |a| a.hide(true)),
        mut_arg("record", |a| a.hide(true)),
        mut_arg("record_target", |a| a.hide(true)),
        mut_arg("schema", |a| a.hide(false)),
        mut_arg("policies", |a| a.hide(true)),
        mut_arg("policy_timeout", |a| a.hide(true)),
        mut_arg("policy_memory", |a| a.hide(true)),
    )]
    Model(ScanArgs),
    /// Compare what Terraform declares with what runs in AWS: control-relevant settings
    /// that drifted (DRIFT-001), live resources no state manages (DRIFT-002), managed
    /// resources gone (DRIFT-003). Needs `--state` and `--aws`.
    #[command(after_help = DRIFT_AFTER_HELP)]
    Drift(DriftArgs),
    /// Merge the JSON reports of sharded scans (`scan --shard K/N --format json`) into
    /// the report one scan of everything would give, in any output format.
    #[command(after_help = MERGE_AFTER_HELP)]
    Merge(MergeArgs),
    /// List every rule with id, slug, severity, family and SOC 2 criteria.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
        /// Also list the custom policies of DIR (repeatable; those of the
        /// .soc2scan.toml found from the current directory are listed too).
        #[arg(long = "policies", value_name = "DIR")]
        policies: Vec<PathBuf>,
    },
    /// Show a rule's documentation: what it checks, why it matters for SOC 2, how to fix.
    Explain {
        /// Rule id (AWS-S3-001) or slug (s3-bucket-encryption), or a custom policy's.
        rule: String,
        /// Custom policies to look the rule up in (repeatable; those of the
        /// .soc2scan.toml found from the current directory too).
        #[arg(long = "policies", value_name = "DIR")]
        policies: Vec<PathBuf>,
    },
    /// Custom Rego policies: test them against their fixtures, start a new one.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Keep scans as evidence over an audit period and report on it: record, verify,
    /// diff, report.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Show the SOC 2 coverage matrix without scanning: every Trust Services Criterion,
    /// whether a machine can check it, and the rules that cover it.
    Controls {
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = ControlsFormat::Markdown)]
        format: ControlsFormat,
        /// Count the custom policies of DIR too (repeatable; those of the
        /// .soc2scan.toml found from the current directory too).
        #[arg(long = "policies", value_name = "DIR")]
        policies: Vec<PathBuf>,
    },
}

/// Options of `soc2scan scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (.tf, .tf.json, .tfvars, Kubernetes .yaml/.yml/.json);
    /// `-` reads Kubernetes manifests from standard input.
    ///
    /// A FILE is scanned in the context of its module: every file soc2scan reads in
    /// the file's directory is evaluated (with the local modules it calls), and only
    /// results located in the named files are reported. This is what the pre-commit
    /// hook relies on; name the directory to report on the whole module.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report to FILE (atomically: no partial file on error) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Set a root-module variable (repeatable); overrides every variable file.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read root-module variables from a .tfvars or .tfvars.json file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Run only rules matching: rule id, id prefix (AWS-S3), slug, family or SOC 2
    /// criterion (CC6.7). Repeatable or comma-separated.
    #[arg(long, value_name = "SELECTOR")]
    pub select: Vec<String>,
    /// Skip rules matching a selector (same forms as --select).
    #[arg(long, value_name = "SELECTOR")]
    pub ignore: Vec<String>,
    /// Which rules run: baseline (deviations from SOC 2 controls an auditor would
    /// cite) or strict (baseline plus hardening beyond SOC 2). Default: `level` in
    /// .soc2scan.toml, else baseline. A rule named by id in --select runs at any level.
    #[arg(long, value_parser = level_parser(), value_name = "LEVEL")]
    pub level: Option<Level>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_parser = severity_parser(), default_value_t = Severity::Low)]
    pub fail_on: Severity,
    /// Never colour the text output (colour is used only on a terminal anyway; NO_COLOR is honoured).
    #[arg(long)]
    pub no_color: bool,
    /// Print only the summary line (text format) and no progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Project policy file to use instead of the .soc2scan.toml found from the first
    /// path upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no project policy file, even if a .soc2scan.toml is found.
    #[arg(long)]
    pub no_config: bool,
    /// Report and fail only on findings not listed in this baseline file (written by
    /// `soc2scan baseline`); says how many were baselined and how many entries are gone.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Report only findings in files changed since the git revision REF (merge base
    /// with HEAD, plus uncommitted and untracked files) or in their modules (directories).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// SARIF category prefix: runs get automationDetails.id NAME/terraform/,
    /// NAME/kubernetes/, NAME/aws/ (default soc2scan/...). Give each separately uploaded
    /// scan of one repository its own NAME.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    /// Also scan the live Kubernetes cluster of the kubeconfig's current context (or
    /// the pod's service account inside a cluster): the same rules as for manifests.
    /// Kinds the cluster does not let soc2scan list are reported as not evaluated.
    /// Without PATHs, only the cluster is scanned.
    #[arg(long)]
    pub kubernetes: bool,
    /// kubeconfig context to scan with --kubernetes (default: the current context).
    #[arg(long, value_name = "NAME", requires = "kubernetes")]
    pub context: Option<String>,
    /// Scan only this namespace of the cluster (--kubernetes); cluster-scoped RBAC
    /// (ClusterRoles, ClusterRoleBindings) is then not listed.
    #[arg(long, value_name = "NS", requires = "kubernetes")]
    pub namespace: Option<String>,
    /// Also keep this scan as an evidence object in STORE (a directory, or
    /// s3://bucket/prefix): the full JSON report (before --baseline takes known
    /// findings out), compressed, hash-chained to the previous scan of the same
    /// target. The scan time is SOURCE_DATE_EPOCH when set.
    #[arg(long, value_name = "STORE", conflicts_with = "changed_since")]
    pub record: Option<String>,
    /// The target the recorded scan belongs to (default: the scanned inputs, e.g.
    /// `infra` or `aws:123456789012`); keep it the same from one night to the next.
    #[arg(long = "target", value_name = "NAME", requires = "record")]
    pub record_target: Option<String>,
    /// Set by `soc2scan baseline`: write a baseline instead of a report.
    #[arg(skip)]
    pub record_baseline: bool,
    /// Set by `soc2scan model`: print the model document instead of a report.
    #[arg(skip)]
    pub print_model: bool,
    /// Custom Rego policies in DIR (repeatable; see docs/policies.md), besides those
    /// of `policies` in .soc2scan.toml. Their findings are reported like any rule's.
    #[arg(long = "policies", value_name = "DIR")]
    pub policies: Vec<PathBuf>,
    /// Time one custom policy may evaluate, in seconds (default: `policy_timeout` in
    /// .soc2scan.toml, else 10). A policy running longer stops the scan (exit 2).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub policy_timeout: Option<u64>,
    /// Memory one custom policy may use beyond the model, in MiB (default:
    /// `policy_memory` in .soc2scan.toml, else 1024). A policy needing more stops the
    /// scan (exit 2).
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(16..=65536))]
    pub policy_memory: Option<u64>,
    /// Print the JSON Schema of the model document instead of the model.
    #[arg(long, hide = true)]
    pub schema: bool,
    /// Live AWS scanning.
    #[cfg(feature = "aws")]
    #[command(flatten)]
    pub aws: AwsArgs,
}

const DRIFT_AFTER_HELP: &str = "\
The declared side is the Terraform sources under PATHs, evaluated with --var and
--var-file as scan evaluates them; without PATHs, the values of the states. Each
--state (a .tfstate file of format version 4, `terraform show -json` of a state, or
an S3 backend object s3://bucket/key read with the AWS credentials) says which
resources Terraform manages and their ARN, id and name; several states may be given
(each finding keeps its root module, account and region). The live side is read with
the --aws options exactly as `scan --aws` reads it.

Each managed resource is matched to the live one by ARN, else by id or name in its
account and region, and every field of the scanner's model (the settings the rules
read) is compared. A declared value known only after apply is not evaluated, never
drift. Live resources of the collections the rules read that no state manages are
DRIFT-002 unless `[drift] unmanaged_allow` in .soc2scan.toml lists them (ARN globs,
tag:Key or tag:Key=Value); the default VPC and security groups AWS creates are not
reported. A resource is missing (DRIFT-003) only where its collection was read
completely in its account and region.

Exit codes:
  0  no unsuppressed drift finding at or above --fail-on
  1  drift findings at or above --fail-on
  2  drift could not run: a state that does not parse or cannot be read (the message
     names it; no output is written), no live AWS access, a bad flag";

/// Options of `soc2scan drift`.
#[derive(Debug, Args)]
pub struct DriftArgs {
    /// Terraform sources of the declared side (directories or files); without PATHs the
    /// states' values are the declared side.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A Terraform state: a .tfstate file, `terraform show -json` of a state, or an S3
    /// backend object s3://bucket/key (repeatable).
    #[arg(long = "state", value_name = "STATE", required = true)]
    pub states: Vec<String>,
    /// Set a root-module variable (repeatable); overrides every variable file.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Read root-module variables from a .tfvars or .tfvars.json file (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report to FILE (atomically: no partial file on error) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_parser = severity_parser(), default_value_t = Severity::Low)]
    pub fail_on: Severity,
    /// Never colour the text output (colour is used only on a terminal anyway; NO_COLOR is honoured).
    #[arg(long)]
    pub no_color: bool,
    /// Print only the summary line (text format) and no progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Project policy file to use instead of the .soc2scan.toml found from the first
    /// path (or the current directory) upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no project policy file, even if a .soc2scan.toml is found.
    #[arg(long)]
    pub no_config: bool,
    /// SARIF category prefix, as for `scan --category`.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
    /// The live side.
    #[cfg(feature = "aws")]
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// `soc2scan policy` subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run every policy of DIR against the fixtures next to it (`DIR/<policy>/`, with
    /// `# expect: ID` markers as for built-in rules) and the OPA tests (`test_` rules
    /// of `*_test.rego`). Exit 0 when all match, 1 on a mismatch, 2 on a bad policy.
    Test {
        /// The policy directory.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Write a new policy NAME.rego with its METADATA, an OPA test and fixtures
    /// (fail, pass, unknown) into DIR.
    New {
        /// File name of the policy (`required_tags`): letters, digits and `_`.
        #[arg(value_name = "NAME")]
        name: String,
        /// The policy directory (created when missing).
        #[arg(long, value_name = "DIR", default_value = "policies")]
        dir: PathBuf,
    },
}

/// Options of `soc2scan merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports to merge, written by `soc2scan scan --format json`.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report to FILE (atomically: no partial file on error) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_parser = severity_parser(), default_value_t = Severity::Low)]
    pub fail_on: Severity,
    /// Never colour the text output (colour is used only on a terminal anyway; NO_COLOR is honoured).
    #[arg(long)]
    pub no_color: bool,
    /// Print only the summary line (text format).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// SARIF category prefix, as for `scan --category`.
    #[arg(long, value_name = "NAME")]
    pub category: Option<String>,
}

const EVIDENCE_AFTER_HELP: &str = "\
STORE is a local directory or s3://bucket/prefix (credentials from the standard AWS
chain; AWS_ENDPOINT_URL is honoured). Objects are never rewritten; a SQLite index is
rebuilt from them whenever it is missing or stale (DIR/index.sqlite for a directory,
a cache under the temporary directory for S3).

Exit codes:
  record  0 recorded, 2 bad report, store or scan time (not after the target's latest)
  verify  0 every object and chain intact, 2 missing/altered/reordered objects (each
          named) or the store cannot be read
  diff    0 nothing new at or above --fail-on, 1 something new, 2 error
  report  0 written (its integrity section says whether the chain verified), 2 error";

/// `soc2scan evidence` subcommands.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Add a JSON report made earlier (`scan --format json`, `merge --format json`) to
    /// the store. The scan time is SOURCE_DATE_EPOCH when set, else now.
    #[command(after_help = EVIDENCE_AFTER_HELP)]
    Record {
        /// The JSON report.
        #[arg(value_name = "REPORT.json")]
        file: PathBuf,
        /// The evidence store.
        #[arg(long, value_name = "STORE")]
        store: String,
        /// The target (default: the report's inputs).
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
        /// Policy file whose `[evidence] retention_days` applies (default: none).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Recompute every object's hash and every target's chain.
    #[command(after_help = EVIDENCE_AFTER_HELP)]
    Verify {
        /// The evidence store.
        #[arg(long, value_name = "STORE")]
        store: String,
    },
    /// What changed since the previous scan of each target: new, resolved and
    /// changed findings, criteria whose status changed.
    #[command(after_help = EVIDENCE_AFTER_HELP)]
    Diff {
        /// The evidence store.
        #[arg(long, value_name = "STORE")]
        store: String,
        /// Only this target (repeatable).
        #[arg(long = "target", value_name = "NAME")]
        targets: Vec<String>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Lowest severity of a new finding that makes the exit code 1.
        #[arg(long, value_parser = severity_parser(), default_value_t = Severity::Low)]
        fail_on: Severity,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The report over an audit period: per criterion its status every day, the
    /// exceptions with first seen, resolved and SLA, accepted exceptions, gaps and
    /// integrity.
    #[command(after_help = EVIDENCE_AFTER_HELP)]
    Report {
        /// The evidence store.
        #[arg(long, value_name = "STORE")]
        store: String,
        /// First day of the period (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day of the period (YYYY-MM-DD, UTC), inclusive.
        #[arg(long, value_name = "DATE")]
        to: String,
        /// Only this target (repeatable).
        #[arg(long = "target", value_name = "NAME")]
        targets: Vec<String>,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = PeriodFormat::Markdown)]
        format: PeriodFormat,
        /// Write to FILE (atomically) instead of stdout.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Policy file whose `[evidence.sla]` applies (default: .soc2scan.toml in the
        /// current directory or above, else the default SLA).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// Formats of `evidence diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people and logs.
    Text,
    /// For a chat message or a ticket.
    Markdown,
    /// Versioned JSON.
    Json,
}

/// Formats of `evidence report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodFormat {
    /// One self-contained HTML file for an auditor.
    Html,
    /// Markdown.
    Markdown,
    /// Versioned JSON (see docs/evidence.md).
    Json,
    /// One row per criterion and day.
    Csv,
    /// One row per exception: findings present in the period (first seen, resolved,
    /// days open, SLA) and accepted exceptions (reason, accepted by, until).
    ExceptionsCsv,
}

/// Options of a live AWS scan (`scan --aws`).
#[cfg(feature = "aws")]
#[derive(Debug, Args)]
#[command(next_help_heading = "Live AWS")]
pub struct AwsArgs {
    /// Scan live AWS accounts (read-only Describe/Get/List calls) with the standard
    /// credential chain; combinable with paths.
    #[arg(long)]
    pub aws: bool,
    /// Named profile from the shared AWS config files.
    #[arg(long, value_name = "NAME", requires = "aws")]
    pub profile: Option<String>,
    /// Region to scan (repeatable); default: the configured region. A region the
    /// account has not opted in to is reported disabled, not scanned.
    #[arg(long = "region", value_name = "REGION", requires = "aws")]
    pub regions: Vec<String>,
    /// Scan every region enabled for each account (EC2 DescribeRegions); the regions
    /// it has not opted in to are reported disabled.
    #[arg(long, requires = "aws", conflicts_with = "regions")]
    pub all_regions: bool,
    /// Assume this role and scan its account (repeatable).
    #[arg(long = "assume-role", value_name = "ROLE_ARN", requires = "aws")]
    pub assume_roles: Vec<String>,
    /// External id to pass when assuming roles.
    #[arg(long, value_name = "ID", requires = "aws")]
    pub external_id: Option<String>,
    /// File with one role ARN (optionally followed by an external id) per line: scan
    /// each of those accounts.
    #[arg(long, value_name = "FILE", requires = "aws")]
    pub accounts_file: Option<PathBuf>,
    /// Scan only share K of N of the accounts (deterministic split, for parallel jobs).
    #[arg(long, value_name = "K/N", requires = "aws")]
    pub shard: Option<crate::adapt::aws_live::Shard>,
    /// Most AWS API calls in flight at once (1 = sequential).
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub max_concurrency: u32,
    /// Timeout of one AWS API call attempt, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub call_timeout: u64,
}

/// Report formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people: grouped by file with code snippets and a summary.
    Text,
    /// Versioned JSON (see docs/json-schema.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// Markdown SOC 2 control report: one row per Trust Services Criterion.
    Controls,
    /// JUnit XML: one test case per rule and resource.
    Junit,
    /// GitLab code quality JSON (artifacts:reports:codequality).
    Gitlab,
    /// Markdown summary for $GITHUB_STEP_SUMMARY and pull-request comments.
    Markdown,
    /// GitHub Actions workflow commands: annotations on the diff.
    Github,
}

/// Formats of `controls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ControlsFormat {
    /// Markdown tables.
    Markdown,
    /// JSON document.
    Json,
}

/// Formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Text,
    /// JSON list.
    Json,
}

/// `--fail-on`: the severity names, listed in `--help` and completed by shells.
fn severity_parser() -> impl clap::builder::TypedValueParser<Value = Severity> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Severity::ALL.map(Severity::as_str))
        .try_map(|s| s.parse::<Severity>())
}

/// `--level`: the level names, listed in `--help` and completed by shells.
fn level_parser() -> impl clap::builder::TypedValueParser<Value = Level> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Level::ALL.map(Level::as_str))
        .try_map(|s| s.parse::<Level>())
}
