//! Counting police.uk files too many to hold: the files are read in batches and each batch's
//! rows are counted into aggregated rows as it is read, so memory holds the counts, not the
//! records.
//!
//! The counts are those of [`read_police_uk`](super::read_police_uk) and
//! [`count_crimes`](crate::count_crimes) on the whole read, exactly. Two things need every file
//! before a row can be counted, and are done in two passes over the files:
//!
//! * the same force-month downloaded twice is read once (which copy depends on every copy):
//!   the first pass keeps a summary of each file (its force-months and outcome progress);
//! * a Crime ID repeated across files is collapsed or resolved by the duplicate policy: the
//!   first pass keeps one 64-bit hash per Crime ID (8 bytes a row), and the second holds back
//!   the rows whose hash was seen twice (the repeats, and the rare IDs that share a hash),
//!   resolving them as the one-shot read does once every file is read.

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Arc, Mutex, PoisonError};

use polars::prelude::*;

use super::compact::{CompactFile, Interner, RowCodes};
use super::downloads::dropped_copies;
use super::files::{self, SourceFile};
use super::{
    nothing_read, parse_all, resolve_duplicates, skipped_log, weighted_coverage, CompactRecords,
    FileKind, ReadOptions, Sources,
};
use crate::cancel;
use crate::counting::{count_weighted, CountOptions, CrimeCounts};
use crate::error::{DataError, Result};
use crate::geography::Geography;
use crate::grouping::Records;

/// The result of [`count_police_uk`]: the counts, and the log and coverage of the read.
#[derive(Debug, Clone)]
pub struct BatchedCounts {
    /// As [`count_crimes`](crate::count_crimes) gives them on the whole read, with its
    /// coverage.
    pub counts: CrimeCounts,
    /// As [`PoliceUkData::log`](super::PoliceUkData::log).
    pub log: DataFrame,
    /// As [`PoliceUkData::coverage`](super::PoliceUkData::coverage).
    pub coverage: DataFrame,
    /// The aggregated rows the counts were made from (against the records read).
    pub aggregated_rows: usize,
}

/// Which columns, besides month, force, LSOA, crime type and outside-force, the aggregated rows
/// keep (the others are blank in them).
#[derive(Clone, Copy, Default)]
struct Kept {
    reported_by: bool,
    location: bool,
    outcome: bool,
}

impl Kept {
    fn of(by: &[&str]) -> Result<Kept> {
        let mut kept = Kept::default();
        for &name in by {
            match name {
                "reported_by" => kept.reported_by = true,
                "location" => kept.location = true,
                "last_outcome" | "outcome" | "outcome_group" | "outcome_known" => {
                    kept.outcome = true;
                }
                "crime_id" | "longitude" | "latitude" | "line" => {
                    return Err(DataError::ColumnType {
                        name: name.to_owned(),
                        dtype: "a value of each row".to_owned(),
                        expected: "a batched count groups by labels; read with \
                                   read_police_uk_compact to group by a row's own values",
                    })
                }
                _ => {}
            }
        }
        Ok(kept)
    }
}

/// Crime IDs hashed the same in both passes (a fixed key, unlike the tables' random ones).
fn id_hashes(file: &CompactFile) -> Vec<u64> {
    let state = BuildHasherDefault::<DefaultHasher>::default();
    (0..file.ids.len())
        .map(|row| file.ids.key(row).map_or(0, |id| state.hash_one(id) | 1))
        .collect()
}

/// The rows of `file` not `held`, aggregated: one row per distinct combination of the codes
/// counting can group by, with how many records it stands for.
fn aggregate(file: &CompactFile, held: &[bool], kept: Kept) -> (CompactFile, Vec<u64>) {
    let street = file.kind == FileKind::Street;
    let mut cells: PlHashMap<[u32; 8], usize> = PlHashMap::default();
    let mut out = CompactFile::new(&file.display, file.kind, 0);
    let mut weights: Vec<u64> = Vec::new();
    for row in (0..file.rows()).filter(|&row| !held[row]) {
        let key = [
            file.month.get(row),
            file.falls_within.get(row),
            file.area.get(row),
            if street { file.crime_type.get(row) } else { 0 },
            file.outside_force.get(row),
            if kept.reported_by {
                file.reported_by.get(row)
            } else {
                0
            },
            if kept.location {
                file.location.get(row)
            } else {
                0
            },
            if kept.outcome {
                file.outcome.get(row)
            } else {
                0
            },
        ];
        let next = weights.len();
        let cell = *cells.entry(key).or_insert(next);
        if cell < next {
            weights[cell] += 1;
            continue;
        }
        weights.push(1);
        out.ids.push("");
        out.push(RowCodes {
            month: key[0],
            falls_within: key[1],
            area: key[2],
            crime_type: street.then_some(key[3]),
            outside_force: key[4] == 1,
            reported_by: key[5],
            location: key[6],
            outcome: key[7],
            longitude: None,
            latitude: None,
            line: 0,
        });
    }
    out.shrink_to_fit();
    (out, weights)
}

/// Counts crimes in police.uk files by the `by` columns and period, reading `batch_files` files
/// at a time, so that memory holds the counts and 8 bytes a Crime ID rather than the records:
/// for downloads too large to read whole (see the module notes). The counts, log and coverage
/// are those of [`read_police_uk_compact`](super::read_police_uk_compact) followed by
/// [`count_crimes`](crate::count_crimes) with the read's coverage; the files are read twice.
///
/// `by` may name any column of the records but the row's own values (`crime_id`,
/// `longitude`, `latitude`, `line`). `counting.coverage` is not used: the read's own is.
///
/// # Errors
///
/// As [`read_police_uk`](super::read_police_uk) and [`count_crimes`](crate::count_crimes);
/// [`DataError::ColumnType`] for a `by` column of row values.
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{count_police_uk, CountOptions, Geography, PeriodUnit, ReadOptions};
///
/// let options = CountOptions { period: PeriodUnit::FinancialYear, ..CountOptions::default() };
/// let counted = count_police_uk(
///     "downloads", &Geography::bundled()?, &ReadOptions::default(),
///     &["csp_name", "crime_type"], &options, 500,
/// )?;
/// println!("{}", counted.counts.counts);
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn count_police_uk(
    sources: impl Sources,
    geography: &Geography,
    options: &ReadOptions,
    by: &[&str],
    counting: &CountOptions<'_>,
    batch_files: usize,
) -> Result<BatchedCounts> {
    let kept_columns = Kept::of(by)?;
    let batch_files = batch_files.max(1);
    let (found, skipped) = files::discover(&sources.paths(), options.kind)?;
    let files: Vec<&SourceFile> = found.iter().collect();
    let kind = options.kind;
    let threads = options.thread_count();
    let cancel = options.cancel.as_deref();
    let progress = options.progress.as_deref();
    let mut log = skipped_log(&skipped);
    let interner = Mutex::new(Interner::new());

    // First pass: each file's summary, and its Crime IDs' hashes.
    if let Some(progress) = progress {
        progress
            .files_total
            .store(files.len() * 2, std::sync::atomic::Ordering::Relaxed);
    }
    let mut summaries = Vec::with_capacity(files.len());
    let mut hashes: Vec<u64> = Vec::new();
    let mut spans = Vec::with_capacity(files.len());
    for batch in files.chunks(batch_files) {
        let parsed = parse_all(batch, kind, geography, &interner, threads, progress, cancel)?;
        for (file, summary) in parsed {
            let start = hashes.len();
            hashes.extend(id_hashes(&file.records));
            spans.push(start..hashes.len());
            summaries.push(summary);
        }
    }
    cancel::check(cancel)?;
    let dropped = dropped_copies(&files, &summaries, &mut log);
    drop(summaries);
    // The hashes of the files kept, sorted: a hash seen twice holds its rows back.
    for (span, &drop_it) in spans.iter().zip(&dropped) {
        if drop_it {
            hashes[span.clone()].fill(0);
        }
    }
    hashes.sort_unstable();
    let mut repeated: PlHashSet<u64> = PlHashSet::default();
    for pair in hashes.windows(2) {
        if pair[0] != 0 && pair[0] == pair[1] {
            repeated.insert(pair[0]);
        }
    }
    drop(hashes);

    // Second pass: the files kept, counted into aggregated rows; repeated IDs held back.
    let kept: Vec<&SourceFile> = files
        .iter()
        .zip(&dropped)
        .filter(|(_, &d)| !d)
        .map(|(f, _)| *f)
        .collect();
    let mut aggregated: Vec<CompactFile> = Vec::new();
    let mut weights: Vec<Vec<u64>> = Vec::new();
    let mut held: Vec<CompactFile> = Vec::new();
    for batch in kept.chunks(batch_files) {
        let parsed = parse_all(batch, kind, geography, &interner, threads, progress, cancel)?;
        for (file, _) in parsed {
            log.extend(file.log);
            let mut records = file.records;
            let hold: Vec<bool> = id_hashes(&records)
                .iter()
                .map(|h| repeated.contains(h))
                .collect();
            let (rows, row_weights) = aggregate(&records, &hold, kept_columns);
            aggregated.push(rows);
            weights.push(row_weights);
            if hold.contains(&true) {
                records.retain(&hold);
                held.push(records);
            }
        }
    }
    cancel::check(cancel)?;
    let labels = interner
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .finish();
    for file in aggregated.iter_mut().chain(held.iter_mut()) {
        file.labels = Arc::clone(&labels);
    }
    // The repeats, resolved as the one-shot read resolves them, then counted row by row.
    if kind == FileKind::Street {
        resolve_duplicates(&mut held, options.duplicates, threads, &mut log);
    }
    for file in held {
        weights.push(vec![1; file.rows()]);
        aggregated.push(file);
    }
    if aggregated.is_empty() {
        return Err(nothing_read());
    }
    let coverage = weighted_coverage(&aggregated, Some(&weights), kind, threads, &mut log)?;
    let aggregated_rows = aggregated.iter().map(CompactFile::rows).sum();
    let flat: Vec<u64> = weights.into_iter().flatten().collect();
    let records = CompactRecords::new(kind, aggregated, labels, threads);
    let options = CountOptions {
        coverage: Some(&coverage),
        ..*counting
    };
    let counts = count_weighted(Records::Compact(&records), by, &options, Some(&flat))?;
    Ok(BatchedCounts {
        counts,
        log: log.into_frame()?,
        coverage,
        aggregated_rows,
    })
}
