//! The fuzz targets of `fuzz/` (see `make fuzz`), run briefly on every `make test`: each target's
//! saved crash inputs (`fuzz/regressions/<target>/`, every crash found becomes one), then its seeds
//! from the real files and a few thousand random mutations of them. This keeps the targets
//! building and catches a regression of a crash found before; the coverage-guided search itself
//! is `make fuzz`.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use crimeperf_polars::fuzzing;

mod common;

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The saved inputs of a target: crashes found by `make fuzz`, kept as regression tests.
fn regressions(target: &str) -> Vec<Vec<u8>> {
    let dir = repository().join("fuzz/regressions").join(target);
    let mut inputs = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if entry.path().is_file() && !hidden {
                inputs.push(std::fs::read(entry.path()).unwrap());
            }
        }
    }
    inputs
}

/// The first `lines` lines of the bundled police.uk files and of one file of each real folder.
fn police_uk_seeds(lines: usize) -> Vec<Vec<u8>> {
    let mut files = vec![repository().join("data/police_uk/2025-01/2025-01-essex-street.csv")];
    for (folder, file) in [
        (
            "police_uk_street_2017_20_city_of_london",
            "2018-07/2018-07-city-of-london-street.csv",
        ),
        (
            "police_uk_outcomes_2024_25_city_of_london",
            "2024-10/2024-10-city-of-london-outcomes.csv",
        ),
        (
            "police_uk_street_2018_19_essex",
            "2018-11/2018-11-essex-street.csv",
        ),
    ] {
        if let Some(path) = common::shared_data(&format!("data/raw/{folder}/{file}")) {
            files.push(path);
        }
    }
    files
        .iter()
        .map(|path| {
            let text = std::fs::read(path).unwrap();
            let end = text
                .iter()
                .enumerate()
                .filter(|(_, &b)| b == b'\n')
                .nth(lines)
                .map_or(text.len(), |(i, _)| i + 1);
            text[..end].to_vec()
        })
        .collect()
}

/// A small deterministic mutator: flips, inserts of the bytes that matter to a CSV reader,
/// deletions, duplications and truncations.
struct Mutator(u64);

impl Mutator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        const SPECIAL: &[u8] = b",;\"\n\r\xEF\xBB\xBF\xFF\xE9 0-/";
        let mut data = seed.to_vec();
        for _ in 0..1 + self.below(4) {
            let at = self.below(data.len() + 1);
            match self.below(5) {
                0 if at < data.len() => data[at] ^= 1 << self.below(8),
                1 => data.insert(at, SPECIAL[self.below(SPECIAL.len())]),
                2 if at < data.len() => {
                    let end = (at + self.below(64)).min(data.len());
                    data.drain(at..end);
                }
                3 if at < data.len() => {
                    let end = (at + self.below(256)).min(data.len());
                    let copy = data[at..end].to_vec();
                    data.splice(at..at, copy);
                }
                _ => data.truncate(at),
            }
        }
        data
    }
}

fn run(target: &str, check: fn(&[u8]), seeds: &[Vec<u8>], mutations: usize) {
    for input in regressions(target) {
        check(&input);
    }
    let mut mutator = Mutator(0x9e37_79b9_7f4a_7c15 ^ target.len() as u64);
    for seed in seeds {
        check(seed);
    }
    for i in 0..mutations {
        let input = mutator.mutate(&seeds[i % seeds.len()]);
        check(&input);
    }
}

#[test]
fn police_uk_file() {
    let seeds: Vec<Vec<u8>> = police_uk_seeds(40)
        .into_iter()
        .flat_map(|s| [[vec![0], s.clone()].concat(), [vec![1], s].concat()])
        .collect();
    run("police_uk_file", fuzzing::police_uk_file, &seeds, 300);
}

#[test]
fn splitter() {
    let mut seeds = police_uk_seeds(20);
    seeds.push(b"a,\"b, c\",d\r\n\"e\nf\",\"say \"\"hi\"\"\",g\r\nh;i;\"j;k\"\r\n".to_vec());
    run("splitter", fuzzing::splitter, &seeds, 20_000);
}

#[test]
fn ons_workbook() {
    let Some(path) = common::shared_data(
        "data/raw/ons_pfa_csp_tables_ye_dec2024/policeforceareatablesyedecember2024.xlsx",
    ) else {
        return;
    };
    let seeds = vec![std::fs::read(path).unwrap()];
    run("ons_workbook", fuzzing::ons_workbook, &seeds, 40);
}

#[test]
fn periods() {
    let seeds: Vec<Vec<u8>> = [
        "2025-01",
        "2025-1",
        "2025/01",
        "2025-01-01",
        "Jan 2025",
        "January 2025",
        "01/03/2025",
        "3/1/2025",
        "Mar-25",
        "2024 Q1",
        "FY2024/25",
        "2024/25",
        "2024-25 Q3",
        "Q1 2024",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    run("periods", fuzzing::periods, &seeds, 50_000);
}
