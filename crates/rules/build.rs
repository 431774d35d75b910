//! Generates the rule registry: every `src/rules/<family>/<name>.rs` is a rule module
//! whose struct is the CamelCase of `<name>`. Adding a rule is adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Model methods and helpers that read collections other than the one they are
/// called on.
const HELPERS: &[(&str, &[&str])] = &[
    (
        "identity_policy_documents(",
        &[
            "aws.iam_policies",
            "aws.iam_users",
            "aws.iam_groups",
            "aws.iam_roles",
        ],
    ),
    ("k8s.autoscaler_for(", &["k8s.autoscalers"]),
    ("k8s.min_replicas(", &["k8s.autoscalers"]),
    // The links resolved by `Model::link` (crates/core/src/model/aws/links.rs).
    ("model.user_groups(", &["aws.iam_groups"]),
    (
        "model.instance_parameter_group(",
        &["aws.db_parameter_groups"],
    ),
    (
        "model.cluster_parameter_group(",
        &["aws.db_parameter_groups"],
    ),
    ("model.cluster_members(", &["aws.db_instances"]),
    (
        "model.redshift_parameter_group(",
        &["aws.redshift_parameter_groups"],
    ),
    ("model.filter_alarms(", &["aws.metric_alarms"]),
    ("model.security_group_rules(", &["aws.security_group_rules"]),
    (
        "model.bucket_account_blocks(",
        &["aws.s3_account_public_access_blocks"],
    ),
    (
        "model.load_balancer_web_acl(",
        &["aws.web_acl_associations", "aws.web_acls"],
    ),
    (
        "model.receives_access_logs(",
        &["aws.s3_buckets", "aws.s3_bucket_loggings"],
    ),
    (
        "model.api_stage_web_acl(",
        &["aws.web_acl_associations", "aws.web_acls"],
    ),
];

/// Fields of the model that are not collections (`k8s.complete`).
const NOT_COLLECTIONS: &[&str] = &["k8s.complete"];

/// The model collections a rule's source reads: every `aws.<field>`, `k8s.<field>` and `drift.<field>`
/// outside comments, whether through the model (`model.aws.x`, also split over lines)
/// or a local binding of it (`let aws = &model.aws; aws.x`), plus those of [`HELPERS`].
/// Methods of the model (`k8s.autoscaler_for`) are mapped by [`HELPERS`] and skipped
/// here; `crates/rules/tests/coverage.rs` checks every name is a real collection.
fn reads(source: &str) -> Vec<String> {
    let code: String = source
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".")
        .replace(". ", ".");
    let mut out = std::collections::BTreeSet::new();
    for prefix in ["aws", "k8s", "drift"] {
        let pat = format!("{prefix}.");
        let mut from = 0;
        while let Some(i) = code[from..].find(&pat) {
            let at = from + i;
            from = at + pat.len();
            // `aws.` as a whole name: not the end of another identifier (`myaws.`).
            let joined = code[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
            let rest = &code[from..];
            let field: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            let is_method = rest[field.len()..].starts_with('(');
            let name = format!("{prefix}.{field}");
            if !joined
                && !field.is_empty()
                && !is_method
                && !NOT_COLLECTIONS.contains(&name.as_str())
            {
                out.insert(name);
            }
        }
    }
    for (call, collections) in HELPERS {
        if code.contains(call) {
            out.extend(collections.iter().map(|c| c.to_string()));
        }
    }
    out.into_iter().collect()
}

fn main() {
    let rules_dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut families: Vec<_> = std::fs::read_dir(rules_dir)
        .expect("src/rules exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.path())
        .collect();
    families.sort();
    let mut mods = String::new();
    let mut all = String::new();
    let mut reads_table = String::new();
    for fam in &families {
        println!("cargo:rerun-if-changed={}", fam.display());
        let fam_name = fam.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> = std::fs::read_dir(fam)
            .expect("family dir readable")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        files.sort();
        writeln!(
            mods,
            "/// Rules of the `{fam_name}` family.\npub mod {fam_name} {{"
        )
        .unwrap();
        for f in files {
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            let abs = std::fs::canonicalize(&f).expect("rule file path");
            writeln!(
                mods,
                "    #[path = {:?}]\n    pub mod {stem};",
                abs.to_string_lossy()
            )
            .unwrap();
            writeln!(all, "    &{fam_name}::{stem}::{},", camel(&stem)).unwrap();
            let text = std::fs::read_to_string(&f).expect("rule file readable");
            writeln!(
                reads_table,
                "    ({:?}, &{:?}),",
                format!("{fam_name}::{stem}"),
                reads(&text)
            )
            .unwrap();
        }
        writeln!(mods, "}}").unwrap();
    }
    let out = format!(
        "{mods}\n/// Every rule, as declared by the files under `src/rules/`.\npub static ALL: &[&dyn crate::rules::Rule] = &[\n{all}];\n\n/// The model collections each rule module reads, in [`ALL`] order.\npub static READS: &[(&str, &[&str])] = &[\n{reads_table}];\n"
    );
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_registry.rs");
    std::fs::write(dest, out).expect("write registry");
}
