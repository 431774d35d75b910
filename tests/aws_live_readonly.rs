//! The live AWS adapter is read-only: every AWS SDK operation its source can call is a
//! `describe_*`, `get_*` or `list_*` operation. The set of SDK operations is read from
//! the SDK crates themselves (one `src/operation/<name>/` directory per operation), and,
//! for EC2, from the action list of soc2scan's own small EC2 client (`ec2_api`), so a
//! `put_*`, `delete_*`, `create_*` or any other mutating call added to
//! `crates/aws/src/aws_live` fails this test.
#![cfg(feature = "aws")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const READ_PREFIXES: [&str; 3] = ["describe_", "get_", "list_"];

/// The source directories of the AWS SDK crates this build uses: the `aws-sdk-*`
/// packages of `Cargo.lock`, unpacked by the build under `$CARGO_HOME/registry/src/`.
/// Read from the lock file and the registry rather than `cargo metadata`, which needs
/// every package of the lock file (Windows-only ones included) on disk.
fn sdk_source_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock readable");
    let lock: toml::Value = toml::from_str(&lock).expect("Cargo.lock is TOML");
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME is set");
    let registries: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .expect("the cargo registry has sources")
        .flatten()
        .map(|e| e.path())
        .collect();
    let mut dirs = Vec::new();
    for p in lock["package"].as_array().expect("packages") {
        let name = p["name"].as_str().unwrap_or_default();
        if !name.starts_with("aws-sdk-") {
            continue;
        }
        let version = p["version"].as_str().unwrap_or_default();
        if let Some(dir) = registries
            .iter()
            .map(|r| r.join(format!("{name}-{version}")))
            .find(|d| d.is_dir())
        {
            dirs.push(dir);
        }
    }
    dirs
}

/// The actions soc2scan's EC2 client can send (`ACTIONS` in
/// `crates/aws/src/aws_live/ec2_api/ops.rs`), as EC2 names them (`DescribeInstances`).
fn ec2_client_actions() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/aws/src/aws_live/ec2_api/ops.rs");
    let src = std::fs::read_to_string(&path).expect("the EC2 client's operations");
    let start = src
        .find("pub const ACTIONS: &[&str] = &[")
        .expect("the EC2 client lists its actions");
    let list = &src[start..];
    let list = &list[..list.find("];").expect("end of the action list")];
    let actions: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert!(actions.len() >= 16, "{actions:?}");
    actions
}

/// `DescribeInstances` → `describe_instances`.
fn snake_case(action: &str) -> String {
    let mut out = String::new();
    for (i, c) in action.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Snake-case names of every operation of the AWS SDK crates in the dependency graph,
/// and of soc2scan's EC2 client.
fn sdk_operations() -> BTreeSet<String> {
    let mut ops: BTreeSet<String> = ec2_client_actions().iter().map(|a| snake_case(a)).collect();
    let mut crates = 0;
    for source in sdk_source_dirs() {
        let dir = source.join("src/operation");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        crates += 1;
        for e in rd.flatten() {
            if e.path().is_dir() {
                ops.insert(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    assert!(
        crates >= 7,
        "found only {crates} AWS SDK crates with sources"
    );
    assert!(ops.contains("put_bucket_policy") && ops.contains("get_bucket_policy"));
    ops
}

/// Every `name(` identifier in `src` that is an SDK operation.
fn called_operations(src: &str, ops: &BTreeSet<String>) -> BTreeSet<String> {
    let bytes = src.as_bytes();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_lowercase() && (i == 0 || !is_ident(bytes[i - 1])) {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let ident = &src[start..i];
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'(' && ops.contains(ident) {
                found.insert(ident.to_string());
            }
        } else {
            i += 1;
        }
    }
    found
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn live_adapter_only_reads() {
    let ops = sdk_operations();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/aws/src/aws_live");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    assert!(files.len() >= 8, "{files:?}");
    let mut all = BTreeSet::new();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        // Comments call nothing (and say things like "`scan --aws` (...)").
        let code: String = src
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for op in called_operations(&code, &ops) {
            assert!(
                READ_PREFIXES.iter().any(|p| op.starts_with(p)),
                "{} calls the AWS operation {op}, which is not read-only",
                f.display()
            );
            all.insert(op);
        }
    }
    // The scan does call the operations it is known to need.
    for op in [
        "list_buckets",
        "get_bucket_encryption",
        "get_account_authorization_details",
        "describe_security_groups",
        "describe_db_instances",
        "describe_trails",
        "get_key_rotation_status",
        "describe_continuous_backups",
        "get_caller_identity",
        "describe_snapshots",
        "describe_snapshot_attribute",
        "describe_images",
        "describe_db_parameters",
        "describe_db_cluster_parameters",
        "get_event_selectors",
        "describe_load_balancer_attributes",
        "get_public_access_block",
        "list_secrets",
        "get_resource_policy",
        "describe_repositories",
        "get_repository_policy",
        "get_registry_scanning_configuration",
        "list_domain_names",
        "describe_domains",
        "describe_clusters",
        "describe_logging_status",
        "describe_cluster_parameters",
        "describe_instance_attribute",
        "describe_launch_templates",
        "describe_launch_template_versions",
        "describe_auto_scaling_groups",
        "describe_launch_configurations",
        "get_backup_vault_access_policy",
        "list_vaults",
        "get_vault_access_policy",
        "list_email_identities",
        "get_email_identity_policies",
        "list_distributions",
        "get_distribution_config",
        "get_rest_apis",
        "get_stages",
        "get_apis",
        "get_domain_names",
        "list_web_acls",
        "get_logging_configuration",
        "list_resources_for_web_acl",
        "get_resources",
        "describe_alarms",
        "describe_metric_filters",
        "list_clusters",
        "list_services",
        "describe_services",
        "list_task_definitions",
        "describe_task_definition",
        "describe_cluster",
        "list_security_configurations",
        "describe_security_configuration",
    ] {
        assert!(all.contains(op), "{op} not found among {all:?}");
    }
}

/// The EC2 client sends only `Describe*` and `Get*` actions, and the README's minimal
/// IAM policy grants each of them.
#[test]
fn ec2_client_actions_are_read_only_and_in_the_readme_policy() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    for a in ec2_client_actions() {
        assert!(
            a.starts_with("Describe") || a.starts_with("Get"),
            "the EC2 client sends {a}, which is not read-only"
        );
        assert!(
            readme.contains(&format!("\"ec2:{a}\"")),
            "the README's IAM policy does not grant ec2:{a}"
        );
    }
    assert_eq!(
        snake_case("DescribeLaunchTemplateVersions"),
        "describe_launch_template_versions"
    );
    // Every request the live adapter builds names one of those actions: a `Query` of
    // another action added anywhere fails here.
    let actions = ec2_client_actions();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/aws/src/aws_live");
    let mut files = vec![root.clone(), root.join("ec2_api")]
        .into_iter()
        .flat_map(|d| std::fs::read_dir(d).expect("the live adapter's sources"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect::<Vec<_>>();
    files.sort();
    let mut built = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).expect("a source file");
        for (i, _) in src.match_indices("Query::new(") {
            let rest = &src[i + "Query::new(".len()..];
            let name = rest
                .strip_prefix('"')
                .and_then(|r| r.split('"').next())
                .unwrap_or_else(|| panic!("{}: Query::new without a literal action", f.display()));
            assert!(
                actions.iter().any(|a| a == name),
                "{}: a request of {name}, which is not in the EC2 client's ACTIONS",
                f.display()
            );
            built += 1;
        }
    }
    assert!(built >= 16, "{built} requests found");
}

#[test]
fn the_check_catches_a_mutating_call() {
    let ops = sdk_operations();
    let src = "let x = c.put_bucket_policy().bucket(b).send().await; c.get_bucket_acl ();";
    let found = called_operations(src, &ops);
    assert!(found.contains("put_bucket_policy"));
    assert!(found.contains("get_bucket_acl"));
    assert!(!found.contains("bucket"));
}
