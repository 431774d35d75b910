//! A store in a local directory: `DIR/objects/<target>/<time>-<hash>.json.gz`, each
//! created through a temporary file and a hard link, which fails when the name exists
//! (no object is ever replaced, not even by a concurrent writer).

use std::path::{Path, PathBuf};

use crate::error::{EvidenceError, Result};
use crate::object::OBJECTS_DIR;
use crate::store::{Retention, Store};

/// A directory store.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    /// The store at `dir` (not created until an object is written).
    pub fn new(dir: impl Into<PathBuf>) -> LocalStore {
        LocalStore { root: dir.into() }
    }

    fn io(&self, action: &'static str, key: &str, e: impl std::fmt::Display) -> EvidenceError {
        EvidenceError::Io {
            store: self.describe(),
            action,
            key: key.to_string(),
            message: e.to_string(),
        }
    }
}

impl Store for LocalStore {
    fn describe(&self) -> String {
        self.root.display().to_string()
    }

    fn list(&self) -> Result<Vec<String>> {
        let objects = self.root.join(OBJECTS_DIR);
        let mut keys = Vec::new();
        if !objects.exists() {
            return Ok(keys);
        }
        let dirs = std::fs::read_dir(&objects).map_err(|e| self.io("listing", OBJECTS_DIR, e))?;
        for d in dirs {
            let d = d.map_err(|e| self.io("listing", OBJECTS_DIR, e))?;
            if !d.path().is_dir() {
                continue;
            }
            let name = d.file_name().to_string_lossy().to_string();
            let files = std::fs::read_dir(d.path()).map_err(|e| self.io("listing", &name, e))?;
            for f in files {
                let f = f.map_err(|e| self.io("listing", &name, e))?;
                let file = f.file_name().to_string_lossy().to_string();
                // Temporary files of writers in progress start with a dot.
                if file.starts_with('.') || !f.path().is_file() {
                    continue;
                }
                keys.push(format!("{OBJECTS_DIR}/{name}/{file}"));
            }
        }
        keys.sort();
        Ok(keys)
    }

    fn list_target(&self, target_dir: &str) -> Result<Vec<String>> {
        let dir = self.root.join(OBJECTS_DIR).join(target_dir);
        let mut keys = Vec::new();
        if !dir.is_dir() {
            return Ok(keys);
        }
        let files = std::fs::read_dir(&dir).map_err(|e| self.io("listing", target_dir, e))?;
        for f in files {
            let f = f.map_err(|e| self.io("listing", target_dir, e))?;
            let file = f.file_name().to_string_lossy().to_string();
            if !file.starts_with('.') && f.path().is_file() {
                keys.push(format!("{OBJECTS_DIR}/{target_dir}/{file}"));
            }
        }
        keys.sort();
        Ok(keys)
    }

    fn get(&self, key: &str) -> Result<Vec<u8>> {
        std::fs::read(self.root.join(key)).map_err(|e| self.io("reading", key, e))
    }

    fn put_new(&self, key: &str, bytes: &[u8], _retention: Option<Retention>) -> Result<()> {
        let path = self.root.join(key);
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.io("writing", key, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".writing-")
            .tempfile_in(dir)
            .map_err(|e| self.io("writing", key, e))?;
        std::io::Write::write_all(&mut tmp, bytes).map_err(|e| self.io("writing", key, e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| self.io("writing", key, e))?;
        match tmp.persist_noclobber(&path) {
            Ok(_) => Ok(()),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(EvidenceError::Exists {
                    store: self.describe(),
                    key: key.to_string(),
                })
            }
            Err(e) => Err(self.io("writing", key, e.error)),
        }
    }

    fn index_dir(&self) -> PathBuf {
        self.root.clone()
    }
}
