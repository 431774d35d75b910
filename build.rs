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
        }
        writeln!(mods, "}}").unwrap();
    }
    let out = format!(
        "{mods}\n/// Every rule, as declared by the files under `src/rules/`.\npub static ALL: &[&dyn crate::rules::Rule] = &[\n{all}];\n"
    );
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_registry.rs");
    std::fs::write(dest, out).expect("write registry");
}
