//! The data layer of `crimeperf-polars` for Python: reading police.uk files and the ONS CSP
//! tables, counting crimes and solved rates.
//!
//! Frames cross in both directions through the Arrow C stream interface ([`ArrowStream`],
//! [`Table`]), never as pyo3-polars types, so the Python package works with any polars. The
//! readers and counters are `crimeperf-polars`' own; this module only converts and releases the
//! GIL while they run.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

use crimeperf::{Confidence, Month, Outcome, SolvedDefinition};
use crimeperf_polars::{
    count_crimes, count_police_uk, read_ons_csp_tables, read_police_uk_compact, solved_rates,
    Cancel, CompactRecords, CountOptions, DuplicatePolicy, FileKind, Geography, OutsideForce,
    PeriodUnit, ReadOptions, ReadProgress, RecordFilter, Records,
};
use polars::prelude::{CompatLevel, DataFrame, IntoColumn, Series};
use pyo3::prelude::*;

use crate::arguments;
use crate::arrow::{ArrowStream, Table};
use crate::error::{BindingError, Result};

/// The bundled LSOA lookup, read once per process (it takes about a tenth of a second).
static BUNDLED_GEOGRAPHY: OnceLock<Geography> = OnceLock::new();

fn bundled_geography() -> Result<&'static Geography> {
    if let Some(geography) = BUNDLED_GEOGRAPHY.get() {
        return Ok(geography);
    }
    let geography = Geography::bundled()?;
    Ok(BUNDLED_GEOGRAPHY.get_or_init(|| geography))
}

/// A polars frame as a C stream: one record batch per chunk, so that records read from many
/// files cross without being copied into one block (Python's polars keeps the chunks; older
/// polars that read only a stream's first batch are given [`ArrowStream::single_batch`] by
/// the Python package).
pub fn export(mut frame: DataFrame) -> Result<ArrowStream> {
    if frame.should_rechunk() {
        // Columns chunked differently cannot be cut into batches.
        frame.rechunk_mut_par();
    }
    let fields = frame
        .columns()
        .iter()
        .map(|column| column.field().to_arrow(CompatLevel::newest()))
        .collect::<Vec<_>>();
    let mut batches = Vec::new();
    for batch in frame.iter_chunks(CompatLevel::newest(), true) {
        let height = batch.height();
        let columns = fields.iter().cloned().zip(batch.into_arrays()).collect();
        batches.push((height, columns));
    }
    Ok(ArrowStream::new(fields, batches))
}

/// The `by` columns, the `needed` columns and those of the `optional` columns that are there, of
/// the table in `stream`, as a polars frame, with the `by` names (the input of the data layer's
/// grouping functions).
pub(crate) fn records<'a>(
    stream: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
    by: &'a [String],
    needed: &[&'a str],
    optional: &[&'a str],
) -> Result<(DataFrame, Vec<&'a str>)> {
    let table = Table::import_any(stream, frame_columns)?;
    let by: Vec<&str> = by.iter().map(String::as_str).collect();
    let mut names = by.clone();
    names.extend_from_slice(needed);
    table.require(&names)?;
    names.extend(
        optional
            .iter()
            .filter(|name| table.fields.iter().any(|f| f.name.as_str() == **name)),
    );
    let mut columns = Vec::with_capacity(names.len());
    for (position, name) in names.iter().enumerate() {
        if names[..position].contains(name) {
            // Asked for twice (say, grouping by `month` itself): one column serves.
            continue;
        }
        let index = table.index_of(name)?;
        let chunks = table.chunks[index].clone();
        let series = if chunks.is_empty() {
            let dtype = table.fields[index].dtype();
            Series::new_empty(
                (*name).into(),
                &polars::prelude::DataType::from_arrow_dtype(dtype),
            )
        } else {
            Series::from_arrow_chunks((*name).into(), chunks).map_err(|_| {
                BindingError::ColumnType {
                    column: (*name).to_owned(),
                    dtype: format!("{:?}", table.fields[index].dtype()),
                    expected: "text, boolean, date or number values",
                }
            })?
        };
        columns.push(series.into_column());
    }
    Ok((DataFrame::new(table.len, columns)?, by))
}

/// The records of a read, held compactly in Rust (about 60 bytes a row): the counting functions
/// take them as they take a frame, and frames are built from them only when asked for.
#[pyclass(frozen, module = "crimeperf._crimeperf", name = "CompactRecords")]
pub struct PyCompactRecords(pub Arc<CompactRecords>);

#[pymethods]
impl PyCompactRecords {
    fn __len__(&self) -> usize {
        self.0.height()
    }

    /// The bytes the records take in memory.
    #[getter]
    fn heap_bytes(&self) -> usize {
        self.0.heap_bytes()
    }

    /// `"street"` or `"outcomes"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind().suffix()
    }

    /// The columns of the records frame, in order.
    #[getter]
    fn columns(&self) -> Vec<&'static str> {
        self.0.column_names()
    }

    /// The files read, in reading order.
    fn files(&self) -> Vec<String> {
        self.0.files().map(str::to_owned).collect()
    }

    /// The first and last month of the records (`YYYY-MM`), or `None` when there are none.
    fn month_range(&self) -> Option<(String, String)> {
        self.0
            .month_range()
            .map(|(first, last)| (first.to_string(), last.to_string()))
    }

    /// The records frame, whole.
    fn frame(&self, py: Python<'_>) -> Result<ArrowStream> {
        let frame = py.detach(|| self.0.frame())?;
        export(frame)
    }

    /// The first `n` records.
    fn head(&self, py: Python<'_>, n: usize) -> Result<ArrowStream> {
        let frame = py.detach(|| self.0.head(n))?;
        export(frame)
    }

    /// The records of the CSPs, forces and months asked for (an empty list does not filter).
    #[pyo3(signature = (*, csps, forces, first_month = None, last_month = None))]
    fn frame_where(
        &self,
        py: Python<'_>,
        csps: Vec<String>,
        forces: Vec<String>,
        first_month: Option<String>,
        last_month: Option<String>,
    ) -> Result<ArrowStream> {
        let months = match (first_month, last_month) {
            (None, None) => None,
            (first, last) => {
                let range = self.0.month_range();
                let parse = |text: Option<String>, default: Option<Month>| -> Result<Month> {
                    match text {
                        Some(text) => Ok(Month::from_str(&text)?),
                        // No record: any month will do, as nothing is kept.
                        None => Ok(default.unwrap_or(Month::new(2000, 1)?)),
                    }
                };
                Some((
                    parse(first, range.map(|r| r.0))?,
                    parse(last, range.map(|r| r.1))?,
                ))
            }
        };
        let filter = RecordFilter {
            csps,
            forces,
            months,
        };
        let frame = py.detach(|| self.0.frame_where(&filter))?;
        export(frame)
    }
}

/// What the counting functions were given: the compact records of a read, or a frame.
pub(crate) enum RecordInput {
    Compact(Arc<CompactRecords>),
    Frame(DataFrame),
}

impl RecordInput {
    pub fn records(&self) -> Records<'_> {
        match self {
            RecordInput::Compact(records) => Records::Compact(records),
            RecordInput::Frame(frame) => Records::Frame(frame),
        }
    }
}

/// As [`records`], but the compact records of a read ([`PyCompactRecords`]) are taken as they
/// are: the counting functions count from their codes.
pub(crate) fn record_input<'a>(
    stream: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
    by: &'a [String],
    needed: &[&'a str],
    optional: &[&'a str],
) -> Result<(RecordInput, Vec<&'a str>)> {
    if let Ok(compact) = stream.cast::<PyCompactRecords>() {
        let by = by.iter().map(String::as_str).collect();
        return Ok((RecordInput::Compact(compact.get().0.clone()), by));
    }
    let (frame, by) = records(stream, frame_columns, by, needed, optional)?;
    Ok((RecordInput::Frame(frame), by))
}

/// How far a read has got, readable from Python while the read runs on another thread.
/// It also carries the request to stop, which Python sets when Ctrl-C arrives.
#[pyclass(frozen, module = "crimeperf._crimeperf", name = "ReadProgress")]
#[derive(Default)]
pub struct Progress(Arc<ReadProgress>, Arc<Cancel>);

#[pymethods]
impl Progress {
    #[new]
    fn new() -> Self {
        Progress::default()
    }

    /// The files to read (0 until the source has been searched).
    #[getter]
    fn files_total(&self) -> usize {
        self.0.files_total.load(Ordering::Relaxed)
    }

    /// The files read so far.
    #[getter]
    fn files_done(&self) -> usize {
        self.0.files_done.load(Ordering::Relaxed)
    }

    /// The rows read so far.
    #[getter]
    fn rows(&self) -> usize {
        self.0.rows.load(Ordering::Relaxed)
    }

    /// Asks the read to stop: it raises `KeyboardInterrupt` within a few thousand rows.
    fn cancel(&self) {
        self.1.cancel();
    }
}

/// Runs `f` with the geography read from `dir`, or the bundled one.
fn with_geography<T>(dir: Option<PathBuf>, f: impl FnOnce(&Geography) -> Result<T>) -> Result<T> {
    match dir {
        Some(dir) => f(&Geography::from_dir(dir)?),
        None => f(bundled_geography()?),
    }
}

/// The read options of the Python arguments.
fn read_options(
    kind: &Bound<'_, PyAny>,
    duplicates: &Bound<'_, PyAny>,
    threads: &Bound<'_, PyAny>,
    progress: Option<PyRef<'_, Progress>>,
) -> Result<ReadOptions> {
    let threads = arguments::count("threads", threads)?;
    Ok(ReadOptions {
        kind: FileKind::from_str(&arguments::text("kind", kind)?)?,
        duplicates: DuplicatePolicy::from_str(&arguments::text("duplicates", duplicates)?)?,
        threads: usize::try_from(threads).map_err(|_| crimeperf::Error::InvalidValue {
            what: "threads",
            reason: "must be 0 (one per core) or a positive number of threads",
            value: threads as f64,
        })?,
        cancel: progress.as_ref().map(|p| p.1.clone()),
        progress: progress.map(|p| p.0.clone()),
    })
}

/// Reads data.police.uk street or outcome files from the `sources` (folders, files, zip
/// archives): returns the records, the data-quality log and the coverage table.
#[pyfunction]
#[pyo3(signature = (sources, *, kind, duplicates, geography = None, threads, progress = None))]
#[allow(clippy::too_many_arguments)]
pub fn read_police_uk_files(
    py: Python<'_>,
    sources: Vec<PathBuf>,
    kind: &Bound<'_, PyAny>,
    duplicates: &Bound<'_, PyAny>,
    geography: Option<PathBuf>,
    threads: &Bound<'_, PyAny>,
    progress: Option<PyRef<'_, Progress>>,
) -> Result<(PyCompactRecords, ArrowStream, ArrowStream)> {
    let options = read_options(kind, duplicates, threads, progress)?;
    let data = py.detach(|| {
        with_geography(geography, |geography| {
            Ok(read_police_uk_compact(sources, geography, &options)?)
        })
    })?;
    Ok((
        PyCompactRecords(Arc::new(data.records)),
        export(data.log)?,
        export(data.coverage)?,
    ))
}

/// Counts police.uk files read in batches of `batch_files` (memory holds the counts, not the
/// records): returns the counts, the rows left out, the log, the coverage and the number of
/// aggregated rows counted.
#[pyfunction]
#[pyo3(signature = (sources, *, by, period, outside_force, allow_many_groups, kind, duplicates, geography = None, threads, batch_files, progress = None))]
#[allow(clippy::too_many_arguments)]
pub fn count_police_uk_files(
    py: Python<'_>,
    sources: Vec<PathBuf>,
    by: Vec<String>,
    period: &Bound<'_, PyAny>,
    outside_force: &Bound<'_, PyAny>,
    allow_many_groups: &Bound<'_, PyAny>,
    kind: &Bound<'_, PyAny>,
    duplicates: &Bound<'_, PyAny>,
    geography: Option<PathBuf>,
    threads: &Bound<'_, PyAny>,
    batch_files: &Bound<'_, PyAny>,
    progress: Option<PyRef<'_, Progress>>,
) -> Result<(ArrowStream, ArrowStream, ArrowStream, ArrowStream, usize)> {
    let counting = CountOptions {
        period: PeriodUnit::from_str(&arguments::text("period", period)?)?,
        coverage: None,
        outside_force: OutsideForce::from_str(&arguments::text("outside_force", outside_force)?)?,
        allow_many_groups: arguments::flag("allow_many_groups", allow_many_groups)?,
    };
    let batch_files = arguments::count("batch_files", batch_files)?;
    if batch_files < 1 {
        return Err(crimeperf::Error::InvalidValue {
            what: "batch_files",
            reason: "must be at least 1",
            value: batch_files as f64,
        }
        .into());
    }
    let options = read_options(kind, duplicates, threads, progress)?;
    let by_names: Vec<&str> = by.iter().map(String::as_str).collect();
    let counted = py.detach(|| {
        with_geography(geography, |geography| {
            Ok(count_police_uk(
                sources,
                geography,
                &options,
                &by_names,
                &counting,
                batch_files as usize,
            )?)
        })
    })?;
    Ok((
        export(counted.counts.counts)?,
        export(counted.counts.excluded)?,
        export(counted.log)?,
        export(counted.coverage)?,
        counted.aggregated_rows,
    ))
}

/// Reads the ONS CSP tables workbook: returns the tidy frame and the log.
#[pyfunction]
pub fn read_ons_tables(py: Python<'_>, path: PathBuf) -> Result<(ArrowStream, ArrowStream)> {
    let tables = py.detach(|| read_ons_csp_tables(&path))?;
    Ok((export(tables.frame)?, export(tables.log)?))
}

/// Counts crimes and ASB incidents by the `by` columns and period, zeros filled in where data
/// was read: returns the counts and the rows left out of them.
#[pyfunction]
#[pyo3(signature = (stream, *, by, period, coverage = None, outside_force, allow_many_groups, frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn count_crimes_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    period: &Bound<'_, PyAny>,
    coverage: Option<&Bound<'_, PyAny>>,
    outside_force: &Bound<'_, PyAny>,
    allow_many_groups: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<(ArrowStream, ArrowStream)> {
    let period = PeriodUnit::from_str(&arguments::text("period", period)?)?;
    let outside_force = OutsideForce::from_str(&arguments::text("outside_force", outside_force)?)?;
    let allow_many_groups = arguments::flag("allow_many_groups", allow_many_groups)?;
    let coverage = match coverage {
        Some(table) => Some(records(table, None, &[], &["month"], &["falls_within"])?.0),
        None => None,
    };
    let options = CountOptions {
        period,
        coverage: coverage.as_ref(),
        outside_force,
        allow_many_groups,
    };
    let (input, by) = record_input(
        stream,
        frame_columns,
        &by,
        &["month", "is_asb"],
        &["falls_within", "outside_force"],
    )?;
    let counts = py.detach(|| count_crimes(input.records(), &by, &options))?;
    Ok((export(counts.counts)?, export(counts.excluded)?))
}

/// Solved rates with Wilson intervals by the `by` columns.
#[pyfunction]
#[pyo3(signature = (stream, *, by, solved = None, confidence, frame_columns = None))]
pub fn solved_rates_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    solved: Option<Vec<String>>,
    confidence: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let confidence = Confidence::new(arguments::real("confidence", confidence)?)?;
    let definition = match solved {
        Some(labels) => SolvedDefinition::from_labels(labels)?,
        None => SolvedDefinition::default(),
    };
    let (input, by) = record_input(stream, frame_columns, &by, &["last_outcome", "is_asb"], &[])?;
    let rates = py.detach(|| solved_rates(input.records(), &by, &definition, confidence))?;
    export(rates)
}

/// The police.uk outcome categories: label, group, whether pending, and whether solved under
/// the default definition.
#[pyfunction]
pub fn outcome_table() -> Result<ArrowStream> {
    let solved = SolvedDefinition::default();
    let all = Outcome::ALL;
    let columns = vec![
        polars::prelude::Column::new(
            "outcome".into(),
            all.iter().map(|o| o.label()).collect::<Vec<_>>(),
        ),
        polars::prelude::Column::new(
            "outcome_group".into(),
            all.iter().map(|o| o.group().label()).collect::<Vec<_>>(),
        ),
        polars::prelude::Column::new(
            "pending".into(),
            all.iter().map(|o| o.is_pending()).collect::<Vec<_>>(),
        ),
        polars::prelude::Column::new(
            "solved_by_default".into(),
            all.iter().map(|o| solved.is_solved(*o)).collect::<Vec<_>>(),
        ),
    ];
    export(DataFrame::new(all.len(), columns)?)
}

/// The ONS offence groups in their order: each label with its parent's (`None` for the total)
/// and whether it is a leaf (no parts), so that leaves add up to the total.
#[pyfunction]
pub fn offence_groups() -> Vec<(&'static str, Option<&'static str>, bool)> {
    crimeperf::OffenceGroup::ALL
        .iter()
        .map(|g| {
            (
                g.label(),
                g.parent().map(|p| p.label()),
                g.parts().is_empty(),
            )
        })
        .collect()
}

/// "did you mean 'Rochford'?" for a name among `candidates`, or `None` when nothing is close.
#[pyfunction]
pub fn did_you_mean(name: &str, candidates: Vec<String>) -> Option<String> {
    crimeperf::did_you_mean(name, candidates.iter().map(String::as_str))
}

/// The CSV text of a bundled geography or population table (see `crimeperf.geography_table`).
#[pyfunction]
pub fn bundled_table_text(name: &str) -> Result<&'static str> {
    Ok(crimeperf_polars::bundled_table(name)?)
}

/// One indicator's definition as Python values: id, title, offence groups, crime types,
/// denominator, per, polarity, target change percent and rounding, source.
type IndicatorRow = (
    String,
    String,
    Vec<String>,
    Vec<String>,
    &'static str,
    f64,
    &'static str,
    Option<f64>,
    Option<&'static str>,
    String,
);

/// The bundled indicator catalogue, extended by (or, with `replace`, replaced by) the
/// catalogue in `toml_text`.
#[pyfunction]
#[pyo3(signature = (toml_text, *, replace))]
pub fn indicator_catalogue(toml_text: Option<&str>, replace: bool) -> Result<Vec<IndicatorRow>> {
    let user = toml_text.map(crimeperf::Catalogue::from_toml).transpose()?;
    let catalogue = match (user, replace) {
        (Some(user), true) => user,
        (Some(user), false) => crimeperf::Catalogue::bundled()?.extended(user),
        (None, _) => crimeperf::Catalogue::bundled()?,
    };
    Ok(catalogue
        .indicators
        .into_iter()
        .map(|i| {
            (
                i.id,
                i.title,
                i.offence_groups,
                i.crime_types,
                i.denominator.label(),
                i.per,
                i.polarity.label(),
                i.target.map(|t| t.change_percent),
                i.target.map(|t| t.rounding.label()),
                i.source,
            )
        })
        .collect())
}
