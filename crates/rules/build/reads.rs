//! What a rule's source reads of the model, for the build script (and its tests).
//!
//! A rule reads a collection by naming it (`model.aws.db_instances`, also through a
//! local binding `aws.db_instances`) or by calling an accessor of the model that reads
//! it (`model.user_groups(i)`, `k8s.autoscaler_for(w)`, `identity_policy_documents(..)`).
//! Each accessor declares the collections it reads in a line of its doc comment:
//!
//! ```text
//! /// Reads: `aws.iam_groups`, `aws.iam_users`.
//! ```
//!
//! [`accessors`] extracts those lines from the accessors' source files ([`FILES`]);
//! [`reads`] finds both kinds of reads in a rule's source. A missing or malformed
//! `Reads:` line, and a rule calling a method of the model that declares none, are
//! errors: the build fails rather than let a rule pass on data that was not read.

/// A file declaring accessors of the model that rules call.
pub struct AccessorFile {
    /// The file, relative to the `soc2scan-rules` crate.
    pub path: &'static str,
    /// What a rule writes before the accessor's name to call it: `model.` for a method
    /// of `Model` (`model.user_groups(`), `k8s.` for one of `K8sModel`, nothing for a
    /// free function (`identity_policy_documents(`).
    pub call: &'static str,
    /// The `impl` blocks (their first line, as rustfmt writes it) every public method of
    /// which is an accessor and must declare what it reads.
    pub every_method_of: Option<&'static str>,
    /// Further public functions of the file that are accessors and must declare what
    /// they read. Any other public function of the file with a `Reads:` line is one too.
    pub named: &'static [&'static str],
}

/// The files declaring accessors of the model.
pub const FILES: &[AccessorFile] = &[
    // The links resolved by `Model::link`.
    AccessorFile {
        path: "../core/src/model/aws/links.rs",
        call: "model.",
        every_method_of: Some("impl Model {"),
        named: &[],
    },
    AccessorFile {
        path: "../core/src/model/k8s/mod.rs",
        call: "k8s.",
        every_method_of: None,
        named: &["autoscaler_for", "min_replicas"],
    },
    AccessorFile {
        path: "../core/src/model/aws/iam.rs",
        call: "",
        every_method_of: None,
        named: &["identity_policy_documents"],
    },
];

/// Methods of the model that rules call and that read no collection (`k8s_unlisted`
/// reads the coverage), as called.
pub const NOT_READING: &[&str] = &["model.k8s_unlisted("];

/// Fields of the model that are not collections (`k8s.complete`).
pub const NOT_COLLECTIONS: &[&str] = &["k8s.complete"];

/// The receivers whose fields are collections: `aws.x`, `k8s.x`, `drift.x`.
const PREFIXES: &[&str] = &["aws", "k8s", "drift"];

/// One accessor: how a rule calls it and what it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accessor {
    /// The call as a rule writes it, up to the parenthesis: `model.user_groups(`.
    pub call: String,
    /// The collections it reads, as its `Reads:` line names them.
    pub reads: Vec<String>,
}

/// The accessors `file` (the text of `spec.path`) declares, in file order. `Err` names
/// the file and function of a missing or malformed `Reads:` line.
pub fn accessors(spec: &AccessorFile, file: &str) -> Result<Vec<Accessor>, String> {
    let mut out = Vec::new();
    let mut found = Vec::new();
    let mut doc: Vec<&str> = Vec::new();
    let mut in_block = false;
    for (n, line) in file.lines().enumerate() {
        let at = format!("{}:{}", spec.path, n + 1);
        if spec.every_method_of.is_some_and(|b| line == b) {
            in_block = true;
        } else if line == "}" {
            in_block = false;
        }
        let t = line.trim_start();
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.trim());
            continue;
        }
        if t.starts_with("#[") {
            continue;
        }
        let Some(rest) = t.strip_prefix("pub fn ") else {
            doc.clear();
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let required = in_block || spec.named.contains(&name.as_str());
        let lines: Vec<&str> = doc
            .iter()
            .filter_map(|d| d.strip_prefix("Reads:"))
            .collect();
        doc.clear();
        let reads = match lines.as_slice() {
            [] if required => {
                return Err(format!(
                    "{at}: `pub fn {name}` is an accessor of the model but its doc comment has \
                     no line ``/// Reads: `aws.<collection>`, ….`` naming the collections it reads"
                ))
            }
            [] => continue,
            [one] => parse_reads(one).map_err(|e| format!("{at}: `pub fn {name}`: {e}"))?,
            _ => {
                return Err(format!(
                    "{at}: `pub fn {name}` has more than one `Reads:` line"
                ))
            }
        };
        found.push(name.clone());
        out.push(Accessor {
            call: format!("{}{name}(", spec.call),
            reads,
        });
    }
    for name in spec.named {
        if !found.iter().any(|f| f == name) {
            return Err(format!(
                "{}: no `pub fn {name}` with a `Reads:` line (build.rs expects the accessor there)",
                spec.path
            ));
        }
    }
    Ok(out)
}

/// The collections of a `Reads:` line (after `Reads:`): `` `aws.x`, `k8s.y`.``
fn parse_reads(line: &str) -> Result<Vec<String>, String> {
    let list = line
        .trim()
        .strip_suffix('.')
        .ok_or_else(|| format!("the `Reads:` line must end with a period: `Reads:{line}`"))?;
    let mut out = Vec::new();
    for item in list.split(',') {
        let item = item.trim();
        let name = item
            .strip_prefix('`')
            .and_then(|i| i.strip_suffix('`'))
            .filter(|n| is_collection_name(n))
            .ok_or_else(|| {
                format!(
                    "`Reads:` names {item:?}, not a collection as `aws.<field>` or \
                     `k8s.<field>` in backquotes"
                )
            })?;
        out.push(name.to_string());
    }
    Ok(out)
}

/// `aws.<field>` or `k8s.<field>` with a field in snake case.
fn is_collection_name(name: &str) -> bool {
    let Some((prefix, field)) = name.split_once('.') else {
        return false;
    };
    matches!(prefix, "aws" | "k8s")
        && !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether the code before `at` ends with part of an identifier (`myaws.` is not `aws.`).
fn joined(code: &str, at: usize) -> bool {
    code[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The model collections a rule's source reads: every `aws.<field>`, `k8s.<field>` and
/// `drift.<field>` outside comments, whether through the model (`model.aws.x`, also
/// split over lines) or a local binding of it (`let aws = &model.aws; aws.x`), plus
/// those of each accessor it calls. A call of a method of the model (`model.f(`,
/// `aws.f(`, `k8s.f(`, `drift.f(`) that is no accessor and not in [`NOT_READING`] is an
/// error, as the collections it reads would be unknown.
pub fn reads(source: &str, accessors: &[Accessor]) -> Result<Vec<String>, String> {
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
    for prefix in PREFIXES.iter().chain(["model"].iter()) {
        let pat = format!("{prefix}.");
        let mut from = 0;
        while let Some(i) = code[from..].find(&pat) {
            let at = from + i;
            from = at + pat.len();
            let rest = &code[from..];
            let field: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if joined(&code, at) || field.is_empty() {
                continue;
            }
            let name = format!("{prefix}.{field}");
            if rest[field.len()..].starts_with('(') {
                let call = format!("{name}(");
                if !accessors.iter().any(|a| a.call == call) && !NOT_READING.contains(&&*call) {
                    return Err(format!(
                        "calls `{call}`, a method of the model that declares no `Reads:` line: \
                         add one to its doc comment (see crates/rules/build/reads.rs)"
                    ));
                }
            } else if *prefix != "model" && !NOT_COLLECTIONS.contains(&name.as_str()) {
                out.insert(name);
            }
        }
    }
    for a in accessors {
        let mut from = 0;
        while let Some(i) = code[from..].find(&a.call) {
            let at = from + i;
            from = at + a.call.len();
            if !joined(&code, at) {
                out.extend(a.reads.iter().cloned());
                break;
            }
        }
    }
    Ok(out.into_iter().collect())
}
