//! Where the large real data lives for the integration tests, and what a test does without it.
//!
//! The data is `../shared` beside the repository, or wherever `CRIMEPERF_SHARED` says. Without
//! it a test returns early with a message; with `CRIMEPERF_REQUIRE_SHARED=1` (set by `.ci/run`)
//! it fails instead, so that CI cannot pass by testing nothing.

use std::path::{Path, PathBuf};

/// `relative` (e.g. `data/raw/...`) under the shared data folder, if it is there. When it is not,
/// `None` with a message, or a panic when `CRIMEPERF_REQUIRE_SHARED` is set.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("CRIMEPERF_SHARED")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    let required =
        std::env::var("CRIMEPERF_REQUIRE_SHARED").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "CRIMEPERF_REQUIRE_SHARED is set and {} is not here",
        path.display()
    );
    eprintln!(
        "skipped: {} is not here (it lives in ../shared; CRIMEPERF_SHARED points elsewhere)",
        path.display()
    );
    None
}

/// A temporary folder removed when dropped.
#[allow(dead_code)] // not every test file writes files
pub struct Scratch(pub PathBuf);

#[allow(dead_code)]
impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("crimeperf-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A string column as owned values.
#[allow(dead_code)]
pub fn strings(frame: &polars::prelude::DataFrame, name: &str) -> Vec<Option<String>> {
    frame
        .column(name)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.map(str::to_owned))
        .collect()
}
