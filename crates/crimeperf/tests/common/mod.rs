//! Where the large real data lives for the integration tests, and what a test does without it.
//!
//! The data is `../shared` beside the repository, or wherever `CRIMEPERF_SHARED` says. Without
//! it a test returns early with a message; with `CRIMEPERF_REQUIRE_SHARED=1` (set by `.ci/run`)
//! it fails instead, so that CI cannot pass by testing nothing.
//!
//! The same as `crates/crimeperf-polars/tests/common/mod.rs`: each crate's tests stay inside the
//! crate, so that it packages on its own.

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
