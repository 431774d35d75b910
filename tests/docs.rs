//! `docs/rules.md` must match what the registry generates; regenerate it with
//! `SOC2SCAN_BLESS=1 cargo test --test docs`.

use std::path::Path;

#[test]
fn rule_reference_is_current() {
    let controls = soc2scan::controls::Controls::embedded().unwrap();
    let generated = soc2scan::docs::rules_reference(&controls);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("SOC2SCAN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is stale: run `SOC2SCAN_BLESS=1 cargo test --test docs`"
    );
}
