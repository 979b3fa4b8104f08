//! data.police.uk street and outcome files: read any number of forces and months into one clean
//! frame of records, a data-quality log and a coverage table.

mod batched;
mod compact;
mod downloads;
mod files;
mod limits;
mod log;
mod parse;
mod records;
mod repeats;
mod split;
mod spreadsheet;
mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crimeperf::{Month, Outcome};
use polars::prelude::*;

pub(crate) use crate::dates::{days_to_month, month_to_days};
pub use batched::{count_police_uk, BatchedCounts};
pub use limits::{MAX_EXPANSION, MAX_LINE_BYTES};
pub use log::Finding;
pub(crate) use records::RowValuesOf;
pub use records::{CompactRecords, RecordFilter};
pub(crate) use split::Splitter;
pub(crate) use spreadsheet::{delimiter as delimiter_of, spreadsheet_month};

use crate::cancel::{self, Cancel};
use crate::error::{DataError, Result};
use crate::geography::Geography;
use crate::parallel::in_parallel;
use log::Log;
use repeats::Row;

/// Which police.uk files to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileKind {
    /// `YYYY-MM-<force>-street.csv`: crimes and ASB incidents with their last outcome.
    #[default]
    Street,
    /// `YYYY-MM-<force>-outcomes.csv`: outcomes recorded in the month, linked by Crime ID.
    Outcomes,
}

impl FileKind {
    /// `"street"` or `"outcomes"`, as in the file names.
    pub fn suffix(self) -> &'static str {
        match self {
            FileKind::Street => "street",
            FileKind::Outcomes => "outcomes",
        }
    }
}

impl std::str::FromStr for FileKind {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "street" => Ok(FileKind::Street),
            "outcomes" | "outcome" => Ok(FileKind::Outcomes),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "kind",
                label: s.to_owned(),
                expected: "street, outcomes",
            }),
        }
    }
}

/// What to do with copies of a Crime ID that differ (street files; identical copies are always
/// collapsed to one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicatePolicy {
    /// Keep the copy with a location (an LSOA), then the one with the most advanced outcome
    /// (a final outcome over a pending one over none or "Status update unavailable"), then the
    /// one from the later month, then the first read.
    #[default]
    PreferLocatedLatestOutcome,
    /// Keep the copy read first.
    KeepFirst,
    /// Keep every copy (each still counted in the log).
    KeepAll,
}

impl DuplicatePolicy {
    /// The option's spelling: `"prefer_located_latest_outcome"`, `"keep_first"` or
    /// `"keep_all"`.
    pub fn label(self) -> &'static str {
        match self {
            DuplicatePolicy::PreferLocatedLatestOutcome => "prefer_located_latest_outcome",
            DuplicatePolicy::KeepFirst => "keep_first",
            DuplicatePolicy::KeepAll => "keep_all",
        }
    }
}

impl std::str::FromStr for DuplicatePolicy {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        // One spelling each (snake_case, as every option of the data layer).
        match s.trim() {
            "prefer_located_latest_outcome" => Ok(DuplicatePolicy::PreferLocatedLatestOutcome),
            "keep_first" => Ok(DuplicatePolicy::KeepFirst),
            "keep_all" => Ok(DuplicatePolicy::KeepAll),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "duplicates",
                label: s.to_owned(),
                expected: "prefer_located_latest_outcome, keep_first, keep_all",
            }),
        }
    }
}

/// What [`read_police_uk`] reads from: one path (a folder, a CSV file or a zip archive) or a
/// list of them.
pub trait Sources {
    /// The paths.
    fn paths(self) -> Vec<PathBuf>;
}

macro_rules! one_path {
    ($($t:ty),*) => {$(
        impl Sources for $t {
            fn paths(self) -> Vec<PathBuf> {
                vec![PathBuf::from(self)]
            }
        }
    )*};
}
one_path!(&str, String, &String, &Path, PathBuf, &PathBuf);

impl<P: AsRef<Path>> Sources for &[P] {
    fn paths(self) -> Vec<PathBuf> {
        self.iter().map(|p| p.as_ref().to_owned()).collect()
    }
}

impl<P: AsRef<Path>> Sources for Vec<P> {
    fn paths(self) -> Vec<PathBuf> {
        self.as_slice().paths()
    }
}

impl<P: AsRef<Path>, const N: usize> Sources for [P; N] {
    fn paths(self) -> Vec<PathBuf> {
        self.as_slice().paths()
    }
}

/// Options for [`read_police_uk`].
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Street or outcome files.
    pub kind: FileKind,
    /// What to do with differing copies of a Crime ID.
    pub duplicates: DuplicatePolicy,
    /// Threads to parse files with; 0 means one per core.
    pub threads: usize,
    /// Where to report how far the reading has got, for a progress bar (read it from another
    /// thread while [`read_police_uk`] runs).
    pub progress: Option<Arc<ReadProgress>>,
    /// Set it from another thread to stop the read: [`read_police_uk`] then returns
    /// [`DataError::Cancelled`] within a few thousand rows.
    pub cancel: Option<Arc<Cancel>>,
}

/// How far [`read_police_uk`] has got: files found, files parsed and rows read so far.
///
/// # Examples
///
/// ```no_run
/// use std::sync::{atomic::Ordering, Arc};
/// use crimeperf_polars::{read_police_uk, Geography, ReadOptions, ReadProgress};
///
/// let progress = Arc::new(ReadProgress::default());
/// let options = ReadOptions { progress: Some(progress.clone()), ..ReadOptions::default() };
/// let watcher = std::thread::spawn({
///     let progress = progress.clone();
///     move || progress.files_done.load(Ordering::Relaxed)
/// });
/// let data = read_police_uk("downloads", &Geography::bundled()?, &options)?;
/// # let _ = watcher.join();
/// assert_eq!(progress.files_done.load(Ordering::Relaxed), progress.files_total.load(Ordering::Relaxed));
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
#[derive(Debug, Default)]
pub struct ReadProgress {
    /// The files to parse (known once the source has been searched).
    pub files_total: AtomicUsize,
    /// The files parsed so far.
    pub files_done: AtomicUsize,
    /// The data rows parsed so far.
    pub rows: AtomicUsize,
}

/// The result of reading police.uk files.
#[derive(Debug, Clone)]
pub struct PoliceUkData {
    /// One row per crime (or ASB incident, or outcome), typed and placed.
    pub records: DataFrame,
    /// One row per data-quality finding: `file, line, kind, detail, count, action`.
    pub log: DataFrame,
    /// Rows by force and month: `falls_within, month, rows, crimes, asb_incidents, no_location`.
    pub coverage: DataFrame,
}

/// The result of [`read_police_uk_compact`]: the records held compactly, with the log and
/// coverage of [`PoliceUkData`].
#[derive(Debug, Clone)]
pub struct CompactPoliceUkData {
    /// The records, coded (build the frame with [`CompactRecords::frame`]).
    pub records: CompactRecords,
    /// As [`PoliceUkData::log`].
    pub log: DataFrame,
    /// As [`PoliceUkData::coverage`].
    pub coverage: DataFrame,
}

impl CompactPoliceUkData {
    /// The read with its records frame built: what [`read_police_uk`] returns.
    ///
    /// # Errors
    ///
    /// [`DataError::Polars`] if polars cannot build a column.
    pub fn into_data(self) -> Result<PoliceUkData> {
        Ok(PoliceUkData {
            records: self.records.frame()?,
            log: self.log,
            coverage: self.coverage,
        })
    }
}

/// Reads data.police.uk files from a folder (searched recursively), a single CSV, a zip archive
/// (or a folder of archives), or a list of these.
///
/// Inside folders and archives, files are recognised by their header as well as by their name
/// (a street file saved as `essex_feb.csv` is read); every file not read is logged with the
/// reason (`skipped_file`). Records keep every well-formed row. Malformed lines and unparseable
/// months are dropped and logged with file and line; identical copies of a Crime ID are
/// collapsed and differing ones resolved by [`DuplicatePolicy`], both logged; months missing from
/// a force's series are logged. The same force and month read from two files (the same month
/// downloaded twice) is read once: from the later download when the folder or archive names
/// say which (`2025-06.zip` against `2025-09.zip`), otherwise from the copy with the more
/// advanced outcomes; the log says which copy was kept and why (`duplicate_file`). Everything
/// else odd is kept and logged (see [`Finding`]).
///
/// # Errors
///
/// [`DataError::Io`]/[`DataError::Zip`] when a source cannot be read, [`DataError::NoFiles`]
/// when they hold no files of the kind (saying what was expected and what was found),
/// [`DataError::UnknownHeader`] for a file named explicitly that is not a police.uk file of the
/// kind.
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{read_police_uk, Geography, ReadOptions};
///
/// let geography = Geography::bundled()?;
/// let data = read_police_uk("downloads/2025-01", &geography, &ReadOptions::default())?;
/// println!("{} records; findings:\n{}", data.records.height(), data.log);
/// let two = read_police_uk(["downloads/2025-01", "downloads/2025-02"], &geography, &ReadOptions::default())?;
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn read_police_uk(
    sources: impl Sources,
    geography: &Geography,
    options: &ReadOptions,
) -> Result<PoliceUkData> {
    read_police_uk_compact(sources, geography, options)?.into_data()
}

/// Reads data.police.uk files as [`read_police_uk`] does, keeping the records compact
/// ([`CompactRecords`], about 60 bytes a row against some 350 for the frame): for reads of many
/// forces and years, counted from the codes and built into frames only in the parts needed.
///
/// # Errors
///
/// As [`read_police_uk`].
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{count_crimes, read_police_uk_compact, CountOptions, Geography, ReadOptions};
///
/// let data = read_police_uk_compact("downloads", &Geography::bundled()?, &ReadOptions::default())?;
/// let options = CountOptions { coverage: Some(&data.coverage), ..CountOptions::default() };
/// let counts = count_crimes(&data.records, &["csp_name", "crime_type"], &options)?;
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn read_police_uk_compact(
    sources: impl Sources,
    geography: &Geography,
    options: &ReadOptions,
) -> Result<CompactPoliceUkData> {
    let (files, skipped) = files::discover(&sources.paths(), options.kind)?;
    read_files(&files, &skipped, geography, options)
}

/// The police.uk files `name` → `bytes`, read as [`read_police_uk`] reads files on disk (for the
/// fuzz targets, which give bytes rather than paths).
pub(crate) fn read_in_memory(
    files: &[(&str, &[u8])],
    geography: &Geography,
    options: &ReadOptions,
) -> Result<PoliceUkData> {
    let files: Vec<files::SourceFile> = files
        .iter()
        .map(|(name, bytes)| files::SourceFile::in_memory(name, bytes))
        .collect();
    read_files(&files, &[], geography, options)?.into_data()
}

/// The error of a read that parsed no file.
fn nothing_read() -> DataError {
    DataError::NoFiles {
        path: "(nothing parsed)".into(),
        kind: "police.uk",
        detail: "no file was read".to_owned(),
    }
}

/// A log that starts with the files found and not read.
fn skipped_log(skipped: &[files::Skipped]) -> Log {
    let mut log = Log::default();
    for file in skipped {
        log.add(&file.display, None, Finding::SkippedFile, &file.reason, 1);
    }
    log
}

impl ReadOptions {
    /// The threads to parse with: [`ReadOptions::threads`], or one per core for 0.
    fn thread_count(&self) -> usize {
        match self.threads {
            0 => std::thread::available_parallelism().map_or(1, usize::from),
            n => n,
        }
    }
}

/// Reads the files found, logging those `skipped`.
fn read_files(
    files: &[files::SourceFile],
    skipped: &[files::Skipped],
    geography: &Geography,
    options: &ReadOptions,
) -> Result<CompactPoliceUkData> {
    let kind = options.kind;
    let mut log = skipped_log(skipped);
    let unique: Vec<&files::SourceFile> = files.iter().collect();

    let threads = options.thread_count();
    if let Some(progress) = &options.progress {
        progress.files_total.store(unique.len(), Ordering::Relaxed);
    }
    let cancel = options.cancel.as_deref();
    let interner = Mutex::new(compact::Interner::new());
    let (mut parsed, summaries): (Vec<_>, Vec<_>) = parse_all(
        &unique,
        kind,
        geography,
        &interner,
        threads,
        options.progress.as_deref(),
        cancel,
    )?
    .into_iter()
    .unzip();
    cancel::check(cancel)?;
    let labels = interner
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .finish();
    for file in &mut parsed {
        file.records.labels = labels.clone();
    }
    let parsed = downloads::one_copy_per_month(&unique, parsed, &summaries, &mut log)?;
    let mut compact = Vec::with_capacity(parsed.len());
    for file in parsed {
        log.extend(file.log);
        compact.push(file.records);
    }
    if compact.is_empty() {
        return Err(nothing_read());
    }
    if kind == FileKind::Street {
        resolve_duplicates(&mut compact, options.duplicates, threads, &mut log);
    }
    cancel::check(cancel)?;
    let coverage = coverage(&compact, kind, threads, &mut log)?;
    Ok(CompactPoliceUkData {
        records: CompactRecords::new(kind, compact, labels, threads),
        log: log.into_frame()?,
        coverage,
    })
}

fn parse_all(
    files: &[&files::SourceFile],
    kind: FileKind,
    geography: &Geography,
    interner: &Mutex<compact::Interner>,
    threads: usize,
    progress: Option<&ReadProgress>,
    cancel: Option<&Cancel>,
) -> Result<Vec<(parse::ParsedFile, downloads::FileSummary)>> {
    // Until every file is read a file points at no tables (its codes are the read's, whose
    // tables are still growing).
    let unset: Arc<compact::Labels> = Arc::default();
    // Each worker reads its files into one buffer and keeps its label tables, file to file.
    in_parallel(
        files.len(),
        threads,
        parse::Scratch::default,
        |scratch, index| {
            // Once cancelled, the files left are not opened.
            let result = cancel::check(cancel)
                .and_then(|()| {
                    parse::parse(files[index], scratch, kind, geography, interner, cancel)
                })
                .map(|mut parsed| {
                    let summary = downloads::FileSummary::of(&parsed.records);
                    // The file's own (small) tables become the read's, under the lock only
                    // while they are looked up; its rows are rewritten after.
                    let remaps =
                        compact::Interner::with(interner, |read| read.add(&parsed.records.labels));
                    parsed.records.remap(&remaps, unset.clone());
                    (parsed, summary)
                });
            if let Some(progress) = progress {
                if let Ok((parsed, _)) = &result {
                    progress
                        .rows
                        .fetch_add(parsed.records.rows(), Ordering::Relaxed);
                }
                progress.files_done.fetch_add(1, Ordering::Relaxed);
            }
            result
        },
    )
    .into_iter()
    .collect()
}

pub(crate) fn concat(frames: Vec<DataFrame>) -> Result<DataFrame> {
    let mut frames = frames.into_iter();
    let Some(mut all) = frames.next() else {
        return Err(nothing_read());
    };
    // The frames are stacked as chunks, not copied into one: the records cross into Python as one
    // record batch per file (see crimeperf-py's `export`), so a national download is not copied
    // again here.
    for frame in frames {
        all.vstack_mut_owned(frame)?;
    }
    Ok(all)
}

/// How far a crime's last outcome has got: 0 for none (or "Status update unavailable"), 1 for a
/// pending one (under investigation, awaiting court), 2 for a final one.
pub(crate) fn outcome_stage(outcome: Option<&str>) -> u8 {
    match outcome.and_then(|o| o.parse::<Outcome>().ok()) {
        None | Some(Outcome::StatusUpdateUnavailable) => 0,
        Some(o) if o.is_pending() => 1,
        Some(_) => 2,
    }
}

/// How good a copy of a crime is, for [`DuplicatePolicy::PreferLocatedLatestOutcome`].
fn copy_rank(located: bool, outcome: Option<&str>, month: i32) -> (bool, u8, i32) {
    (located, outcome_stage(outcome), month)
}

/// Collapses identical copies of a Crime ID and resolves differing ones by `policy`, across
/// every file (rows are `(file, row)` pairs, in reading order). Only the files that lose rows
/// are rewritten, so the usual case (a handful of duplicates) copies almost nothing.
fn resolve_duplicates(
    files: &mut [compact::CompactFile],
    policy: DuplicatePolicy,
    threads: usize,
    log: &mut Log,
) {
    let ids: Vec<&compact::Ids> = files.iter().map(|f| &f.ids).collect();
    let mut groups: BTreeMap<Row, Vec<Row>> = BTreeMap::new();
    for (first, copy) in repeats::repeated_ids(&ids, threads) {
        groups
            .entry(first)
            .or_insert_with(|| vec![first])
            .push(copy);
    }
    if groups.is_empty() {
        return;
    }
    // Rows to drop, by file.
    let mut dropped: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let place = |(f, row): Row| {
        (
            files[f].display.clone(),
            Some(u64::from(files[f].line[row])),
        )
    };
    let mut id = String::new();
    for copies in groups.values() {
        let first = copies[0];
        files[first.0].ids.write(first.1, &mut id);
        let identical = |(f, row): Row| files[first.0].same_record(first.1, &files[f], row);
        let (same, differing): (Vec<Row>, Vec<Row>) =
            copies[1..].iter().partition(|&&copy| identical(copy));
        for &copy in &same {
            dropped.entry(copy.0).or_default().push(copy.1);
            let (file, line) = place(copy);
            log.add(&file, line, Finding::DuplicateIdentical, &id, 1);
        }
        if differing.is_empty() {
            continue;
        }
        let mut candidates = vec![first];
        candidates.extend(&differing);
        let chosen = match policy {
            DuplicatePolicy::KeepAll => None,
            DuplicatePolicy::KeepFirst => Some(first),
            DuplicatePolicy::PreferLocatedLatestOutcome => candidates
                .iter()
                .copied()
                // max_by_key keeps the last maximum, so reverse to prefer the first read.
                .rev()
                .max_by_key(|&(f, row)| {
                    let file = &files[f];
                    copy_rank(
                        file.area_of(row).code.is_some(),
                        file.outcome_of(row).map(|o| &*o.text),
                        file.month_days(row),
                    )
                }),
        };
        if let Some(chosen) = chosen {
            for &copy in &candidates {
                if copy != chosen {
                    dropped.entry(copy.0).or_default().push(copy.1);
                }
            }
        }
        let (file, line) = place(first);
        let detail = match chosen {
            Some(chosen) => {
                let (kept_file, kept_line) = place(chosen);
                format!(
                    "{id}: {} differing copies; kept {kept_file} line {}",
                    candidates.len(),
                    kept_line.unwrap_or(0)
                )
            }
            None => format!("{id}: {} differing copies; all kept", candidates.len()),
        };
        log.add(
            &file,
            line,
            Finding::DuplicateConflicting,
            &detail,
            candidates.len() as u64,
        );
    }
    for (f, rows) in dropped {
        let mut keep = vec![true; files[f].rows()];
        for row in rows {
            keep[row] = false;
        }
        files[f].retain(&keep);
    }
}

/// Rows, ASB incidents and rows without a location.
type Counts = (u64, u64, u64);

/// [`Counts`] by force and month.
type Tally<'a> = PlHashMap<(&'a str, i32), Counts>;

/// The tally of one file: by its codes first (a file is one force and month, so a handful of
/// cells), then by the names. Row `i` stands for `weights[i]` records when given (a batched
/// read's aggregated rows).
fn tally<'a>(file: &'a compact::CompactFile, weights: Option<&[u64]>) -> Tally<'a> {
    let mut cells: PlHashMap<(u32, u32), Counts> = PlHashMap::default();
    let asb: Vec<bool> = file.labels.crime_types.iter().map(|t| t.asb).collect();
    let street = file.kind == FileKind::Street;
    for row in 0..file.rows() {
        let counts = cells
            .entry((file.falls_within.get(row), file.month.get(row)))
            .or_default();
        let weight = weights.map_or(1, |w| w[row]);
        counts.0 += weight;
        counts.1 += weight * u64::from(street && asb[file.crime_type.get(row) as usize]);
        counts.2 += weight * u64::from(file.area.get(row) == 0);
    }
    let mut tally = Tally::default();
    for ((force, month), counts) in cells {
        let key = (
            &*file.labels.forces[force as usize],
            file.labels.months[month as usize],
        );
        add_counts(tally.entry(key).or_default(), counts);
    }
    tally
}

fn add_counts(total: &mut Counts, more: Counts) {
    total.0 += more.0;
    total.1 += more.1;
    total.2 += more.2;
}

/// Rows by force and month, and the months missing from each force's series.
fn coverage(
    files: &[compact::CompactFile],
    kind: FileKind,
    threads: usize,
    log: &mut Log,
) -> Result<DataFrame> {
    weighted_coverage(files, None, kind, threads, log)
}

/// [`coverage`] of files whose rows stand for `weights[file][row]` records each.
fn weighted_coverage(
    files: &[compact::CompactFile],
    weights: Option<&[Vec<u64>]>,
    kind: FileKind,
    threads: usize,
    log: &mut Log,
) -> Result<DataFrame> {
    let tallies = in_parallel(
        files.len(),
        threads,
        || (),
        |_, f| tally(&files[f], weights.map(|w| w[f].as_slice())),
    );
    // Sorted once, at the end.
    let mut table: BTreeMap<(&str, i32), Counts> = BTreeMap::new();
    for file in tallies {
        for (key, counts) in file {
            add_counts(table.entry(key).or_default(), counts);
        }
    }
    let mut by_force: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for (force, month) in table.keys() {
        by_force.entry(force).or_default().insert(*month);
    }
    for (force, present) in &by_force {
        let (Some(first), Some(last)) = (
            present.first().copied().and_then(days_to_month),
            present.last().copied().and_then(days_to_month),
        ) else {
            continue;
        };
        let mut month: Month = first;
        while month <= last {
            if !present.contains(&month_to_days(month)) {
                log.add(
                    "",
                    None,
                    Finding::MissingMonth,
                    &format!("{force}: {month}"),
                    1,
                );
            }
            let Ok(following) = month.next() else { break };
            month = following;
        }
    }
    let n = table.len();
    let (mut force, mut month, mut rows, mut crimes, mut incidents, mut unlocated) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for ((f, m), (r, a, u)) in table {
        force.push(f);
        month.push(m);
        rows.push(r);
        crimes.push(r - a);
        incidents.push(a);
        unlocated.push(u);
    }
    let mut columns = vec![
        Column::new("falls_within".into(), force),
        Int32Chunked::from_vec("month".into(), month)
            .into_date()
            .into_column(),
        Column::new("rows".into(), rows),
    ];
    if kind == FileKind::Street {
        columns.push(Column::new("crimes".into(), crimes));
        columns.push(Column::new("asb_incidents".into(), incidents));
    }
    columns.push(Column::new("no_location".into(), unlocated));
    Ok(DataFrame::new(n, columns)?)
}
