//! data.police.uk street and outcome files: read any number of forces and months into one clean
//! frame of records, a data-quality log and a coverage table.

mod files;
mod log;
mod parse;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crimeperf::{Month, Outcome};
use polars::prelude::*;

pub use log::Finding;
pub(crate) use parse::{days_to_month, month_to_days};

use crate::error::{DataError, Result};
use crate::geography::Geography;
use log::Log;

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

impl std::str::FromStr for DuplicatePolicy {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "prefer-located-latest-outcome" | "default" => {
                Ok(DuplicatePolicy::PreferLocatedLatestOutcome)
            }
            "keep-first" | "first" => Ok(DuplicatePolicy::KeepFirst),
            "keep-all" | "all" => Ok(DuplicatePolicy::KeepAll),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "duplicate policy",
                label: s.to_owned(),
                expected: "prefer-located-latest-outcome, keep-first, keep-all",
            }),
        }
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

/// Reads data.police.uk files from a folder (searched recursively), a single CSV, or a zip
/// archive (or a folder of archives).
///
/// Records keep every well-formed row. Malformed lines and unparseable months are dropped and
/// logged with file and line; identical copies of a Crime ID are collapsed and differing ones
/// resolved by [`DuplicatePolicy`], both logged; a second copy of the same force-month file is
/// skipped and logged; months missing from a force's series are logged. Everything else odd is
/// kept and logged (see [`Finding`]).
///
/// # Errors
///
/// [`DataError::Io`]/[`DataError::Zip`] when a source cannot be read, [`DataError::NoFiles`]
/// when it holds no files of the kind, [`DataError::UnknownHeader`] for a file that is not a
/// police.uk file of the kind.
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{read_police_uk, Geography, ReadOptions};
///
/// let geography = Geography::bundled()?;
/// let data = read_police_uk("downloads/2025-01", &geography, &ReadOptions::default())?;
/// println!("{} records; findings:\n{}", data.records.height(), data.log);
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn read_police_uk(
    source: impl AsRef<Path>,
    geography: &Geography,
    options: &ReadOptions,
) -> Result<PoliceUkData> {
    let kind = options.kind;
    let mut log = Log::default();
    let files = files::discover(source.as_ref(), kind)?;

    // The same force-month file seen twice (e.g. unzipped and inside the zip): keep the first.
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut unique = Vec::with_capacity(files.len());
    for file in &files {
        let key = file.name.to_ascii_lowercase();
        if let Some(first) = seen.get(&key) {
            log.add(
                &file.display,
                None,
                Finding::DuplicateFile,
                &format!("same file as {first}"),
                1,
            );
        } else {
            seen.insert(key, &file.display);
            unique.push(file);
        }
    }

    let parsed = parse_all(&unique, kind, geography, options.threads)?;
    let mut frames = Vec::with_capacity(parsed.len());
    for file in parsed {
        log.extend(file.log);
        frames.push(file.frame);
    }
    let mut records = concat(frames)?;
    if kind == FileKind::Street {
        records = resolve_duplicates(records, options.duplicates, &mut log)?;
    }
    let coverage = coverage(&records, kind, &mut log)?;
    Ok(PoliceUkData {
        records,
        log: log.into_frame()?,
        coverage,
    })
}

fn parse_all(
    files: &[&files::SourceFile],
    kind: FileKind,
    geography: &Geography,
    threads: usize,
) -> Result<Vec<parse::ParsedFile>> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        threads
    }
    .min(files.len())
    .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<parse::ParsedFile>>> =
        (0..files.len()).map(|_| None).collect();
    let slots: Vec<std::sync::Mutex<&mut Option<Result<parse::ParsedFile>>>> =
        results.iter_mut().map(std::sync::Mutex::new).collect();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(file) = files.get(index) else { break };
                let result = parse::parse(file, kind, geography);
                if let Ok(mut slot) = slots[index].lock() {
                    **slot = Some(result);
                }
            });
        }
    });
    drop(slots);
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(DataError::NoFiles {
                    path: "a worker thread stopped".into(),
                    kind: kind.suffix(),
                })
            })
        })
        .collect()
}

fn concat(frames: Vec<DataFrame>) -> Result<DataFrame> {
    let mut frames = frames.into_iter();
    let Some(mut all) = frames.next() else {
        return Err(DataError::NoFiles {
            path: "(nothing parsed)".into(),
            kind: "police.uk",
        });
    };
    for frame in frames {
        all.vstack_mut_owned(frame)?;
    }
    all.rechunk_mut_par();
    Ok(all)
}

/// How good a copy of a crime is, for [`DuplicatePolicy::PreferLocatedLatestOutcome`].
fn copy_rank(located: bool, outcome: Option<&str>, month: i32) -> (bool, u8, i32) {
    let stage = match outcome.and_then(|o| o.parse::<Outcome>().ok()) {
        None | Some(Outcome::StatusUpdateUnavailable) => 0,
        Some(o) if o.is_pending() => 1,
        Some(_) => 2,
    };
    (located, stage, month)
}

fn resolve_duplicates(
    records: DataFrame,
    policy: DuplicatePolicy,
    log: &mut Log,
) -> Result<DataFrame> {
    let ids = records.column("crime_id")?.str()?.clone();
    let mut first_seen: PlHashMap<&str, usize> = PlHashMap::default();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (row, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        match first_seen.get(id) {
            Some(&first) => groups.entry(first).or_insert_with(|| vec![first]).push(row),
            None => {
                first_seen.insert(id, row);
            }
        }
    }
    if groups.is_empty() {
        return Ok(records);
    }
    let compared: Vec<&Column> = records
        .columns()
        .iter()
        .filter(|c| !matches!(c.name().as_str(), "file" | "line"))
        .collect();
    let files = records.column("file")?.str()?;
    let lines = records.column("line")?.u32()?;
    let lsoas = records.column("lsoa_code")?.str()?;
    let outcomes = records.column("last_outcome")?.str()?;
    let months = records.column("month")?.date()?.physical().clone();
    let mut keep = vec![true; records.height()];
    for copies in groups.values() {
        let first = copies[0];
        let id = ids.get(first).unwrap_or("");
        let place = |row: usize| {
            (
                files.get(row).unwrap_or("").to_owned(),
                lines.get(row).map(u64::from),
            )
        };
        let identical = |row: usize| {
            compared
                .iter()
                .all(|c| c.get(first).ok() == c.get(row).ok())
        };
        let (same, differing): (Vec<usize>, Vec<usize>) =
            copies[1..].iter().partition(|&&row| identical(row));
        for row in &same {
            keep[*row] = false;
            let (file, line) = place(*row);
            log.add(&file, line, Finding::DuplicateIdentical, id, 1);
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
                .max_by_key(|&row| {
                    copy_rank(
                        lsoas.get(row).is_some(),
                        outcomes.get(row),
                        months.get(row).unwrap_or(0),
                    )
                }),
        };
        if let Some(chosen) = chosen {
            for &row in &candidates {
                if row != chosen {
                    keep[row] = false;
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
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    Ok(records.filter(&mask)?)
}

/// Rows by force and month, and the months missing from each force's series.
fn coverage(records: &DataFrame, kind: FileKind, log: &mut Log) -> Result<DataFrame> {
    let forces = records.column("falls_within")?.str()?;
    let months = records.column("month")?.date()?.physical().clone();
    let lsoas = records.column("lsoa_code")?.str()?;
    let asb: Option<BooleanChunked> = match kind {
        FileKind::Street => Some(records.column("is_asb")?.bool()?.clone()),
        FileKind::Outcomes => None,
    };
    // (rows, asb, no location) by (force, month)
    let mut table: BTreeMap<(String, i32), (u64, u64, u64)> = BTreeMap::new();
    for row in 0..records.height() {
        let (Some(force), Some(month)) = (forces.get(row), months.get(row)) else {
            continue;
        };
        let entry = table.entry((force.to_owned(), month)).or_default();
        entry.0 += 1;
        if asb.as_ref().and_then(|a| a.get(row)) == Some(true) {
            entry.1 += 1;
        }
        if lsoas.get(row).is_none() {
            entry.2 += 1;
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
            month = month.next();
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
