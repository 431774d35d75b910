//! Generates the rule registry: every `src/rules/<family>/<name>.rs` is a rule module
//! whose struct is the CamelCase of `<name>`. Adding a rule is adding a file.
//!
//! With it, the model collections each rule reads (`READS`), found in its source with
//! the `Reads:` lines of the model accessors it calls (`ACCESSORS`, see
//! `build/reads.rs`).

use std::fmt::Write as _;
use std::path::Path;

#[path = "build/reads.rs"]
mod reads;

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

/// Fails the build with `message`.
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

/// The accessors of the model that rules call, from the `Reads:` lines of their doc
/// comments (see `build/reads.rs`).
fn accessors() -> Vec<reads::Accessor> {
    let mut out = Vec::new();
    for spec in reads::FILES {
        println!("cargo:rerun-if-changed={}", spec.path);
        let text = std::fs::read_to_string(spec.path)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", spec.path)));
        out.extend(reads::accessors(spec, &text).unwrap_or_else(|e| fail(&e)));
    }
    out
}

fn main() {
    let rules_dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    println!("cargo:rerun-if-changed=build");
    let accessors = accessors();
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
            let reads = reads::reads(&text, &accessors)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", f.display())));
            writeln!(
                reads_table,
                "    ({:?}, &{:?}),",
                format!("{fam_name}::{stem}"),
                reads
            )
            .unwrap();
        }
        writeln!(mods, "}}").unwrap();
    }
    let mut accessors_table = String::new();
    for a in &accessors {
        writeln!(accessors_table, "    ({:?}, &{:?}),", a.call, a.reads).unwrap();
    }
    let out = format!(
        "{mods}\n/// Every rule, as declared by the files under `src/rules/`.\npub static ALL: &[&dyn crate::rules::Rule] = &[\n{all}];\n\n/// The model collections each rule module reads, in [`ALL`] order.\npub static READS: &[(&str, &[&str])] = &[\n{reads_table}];\n\n/// The accessors of the model rules call (as called: `model.user_groups(`) and the\n/// collections each reads, from the `Reads:` lines of their doc comments.\npub static ACCESSORS: &[(&str, &[&str])] = &[\n{accessors_table}];\n"
    );
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_registry.rs");
    std::fs::write(dest, out).expect("write registry");
}
