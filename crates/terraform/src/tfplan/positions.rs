//! Where a plan's resources are written: in the `.tf` sources beside the plan when they
//! are there (parsed and evaluated by the HCL evaluator, matched by address), else in
//! the plan JSON itself (the `"address"` of the resource's first entry).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::discover::{display_path, normalize, FileKind, SourceFile};
use crate::terraform::ir::{Pos, Resource};
use crate::terraform::{self, TfOptions};

use super::config::{join, strip_keys, Config};

/// Line and column of the first `"address": "<value>"` of every value in a JSON text.
pub(crate) fn address_positions(text: &str) -> HashMap<String, Pos> {
    let b = text.as_bytes();
    let mut out: HashMap<String, Pos> = HashMap::new();
    let (mut line, mut col) = (1u32, 1u32);
    // The position of the last `"address"` key, when a `:` and its value may follow.
    let mut key_at: Option<Pos> = None;
    let mut after_colon = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            let start = i;
            let at = Pos {
                line,
                col,
                end_line: line,
            };
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            let end = (i + 1).min(b.len());
            let s: Option<String> = text
                .get(start..end)
                .and_then(|raw| serde_json::from_str(raw).ok());
            col += text
                .get(start..end)
                .map(|raw| raw.chars().count() as u32)
                .unwrap_or(1);
            i = end;
            match (key_at, after_colon, s) {
                (Some(pos), true, Some(v)) => {
                    out.entry(v).or_insert(pos);
                    key_at = None;
                    after_colon = false;
                }
                (_, _, Some(k)) if k == "address" => {
                    key_at = Some(at);
                    after_colon = false;
                }
                _ => {
                    key_at = None;
                    after_colon = false;
                }
            }
            continue;
        }
        match c {
            b'\n' => {
                line += 1;
                col = 1;
            }
            b' ' | b'\t' | b'\r' => col += 1,
            b':' if key_at.is_some() && !after_colon => {
                after_colon = true;
                col += 1;
            }
            _ => {
                key_at = None;
                after_colon = false;
                if c & 0xC0 != 0x80 {
                    col += 1;
                }
            }
        }
        i += 1;
    }
    out
}

/// The HCL resources that correspond to a plan's resources.
#[derive(Default)]
pub(crate) struct Sources {
    /// The plan's root module directory, when its `.tf` files are beside the plan.
    pub root: Option<PathBuf>,
    /// (address as it appears in the plan, resource, its root module) triples.
    resources: Vec<(String, Resource, Arc<str>)>,
    /// Index by address without instance keys.
    index: HashMap<String, Vec<usize>>,
}

impl Sources {
    /// Evaluates the Terraform sources beside the plan at `plan_path`: the root module
    /// when `.tf` files are in the plan's directory, else the root module's local module
    /// calls (their `source` relative to the plan's directory).
    pub fn load(plan_path: &Path, config: &Config<'_>, cwd: &Path) -> Sources {
        let dir = match plan_path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut roots: Vec<(PathBuf, String)> = Vec::new();
        let mut out = Sources::default();
        if !tf_files(&dir, cwd).is_empty() {
            roots.push((dir.clone(), String::new()));
            out.root = Some(dir.clone());
        } else {
            for (name, src) in config.root_local_calls() {
                roots.push((normalize(&dir.join(src)), format!("module.{name}")));
            }
        }
        for (root, prefix) in roots {
            let files = tf_files(&root, cwd);
            if files.is_empty() {
                continue;
            }
            let Ok(ev) = terraform::evaluate(&files, &TfOptions::default()) else {
                continue;
            };
            let roots = ev
                .roots
                .into_iter()
                .chain(std::iter::repeat_with(|| Arc::from("")));
            for (r, root) in ev.resources.into_iter().zip(roots) {
                let addr = join(&prefix, &r.address);
                out.index
                    .entry(strip_keys(&addr))
                    .or_default()
                    .push(out.resources.len());
                out.resources.push((addr, r, root));
            }
        }
        out
    }

    /// The source resource for a plan address: the same instance when the evaluator could
    /// tell it, else the first instance of the same resource.
    pub fn find(&self, address: &str) -> Option<&Resource> {
        let ids = self.index.get(&strip_keys(address))?;
        ids.iter()
            .map(|&i| &self.resources[i])
            .find(|(a, _, _)| a == address)
            .or_else(|| ids.first().map(|&i| &self.resources[i]))
            .map(|(_, r, _)| r)
    }

    /// (root module, file, address without instance keys) of every source resource, as
    /// the HCL evaluator reports them when it evaluates these files on their own.
    pub fn covered(&self) -> impl Iterator<Item = (Arc<str>, Arc<str>, String)> + '_ {
        self.resources
            .iter()
            .map(|(_, r, root)| (root.clone(), r.file.clone(), strip_keys(&r.address)))
    }
}

/// The Terraform files directly in `dir`, sorted.
fn tf_files(dir: &Path, cwd: &Path) -> Vec<SourceFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<SourceFile> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let path = e.path();
            match FileKind::of(&path)? {
                kind @ (FileKind::Terraform | FileKind::TerraformJson) => Some(SourceFile {
                    display: display_path(&path, cwd),
                    path,
                    kind,
                }),
                _ => None,
            }
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_address_values_with_positions() {
        let text = "{\"a\": {\"address\": \"x\"},\n  \"r\": [ {\"address\" : \"aws_s3_bucket.b[\\\"k\\\"]\", \"x\": \"address\"},\n {\"address\": \"x\"}, \"address\", \"y\"]}";
        let p = address_positions(text);
        assert_eq!(
            p["x"],
            Pos {
                line: 1,
                col: 8,
                end_line: 1
            }
        );
        assert_eq!(
            p["aws_s3_bucket.b[\"k\"]"],
            Pos {
                line: 2,
                col: 11,
                end_line: 2
            }
        );
        // A string "address" that is a value, and a list element, are not keys.
        assert!(!p.contains_key("y"));
        assert_eq!(p.len(), 2);
    }
}
