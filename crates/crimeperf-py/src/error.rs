//! The one place where errors become Python exceptions.
//!
//! The exception classes are defined in Python (`crimeperf/exceptions.py`, where they have
//! docstrings and can inherit from both `CrimeperfError` and `ValueError`); this module decides
//! which class each error becomes and what it says. Nothing else in the extension builds a
//! Python exception from a crimeperf error.

use std::fmt;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyType};

use crate::cell::Cell;

/// Everything that can go wrong in a call into the extension.
#[derive(Debug)]
pub enum BindingError {
    /// A statistic rejected its input (a scalar call, or an option of a frame call).
    Core(crimeperf::Error),
    /// Columns named in a frame call are not in the frame.
    MissingColumns {
        /// The names asked for that are absent.
        missing: Vec<String>,
        /// The names the frame has.
        available: Vec<String>,
    },
    /// A column has a type the statistic cannot use (e.g. text where counts are expected).
    ColumnType {
        /// The column's name.
        column: String,
        /// Its Arrow type, described for people.
        dtype: String,
        /// What the statistic needs.
        expected: &'static str,
    },
    /// An argument of a call has the wrong Python type (e.g. `None` or text where a count is
    /// needed).
    ArgumentType {
        /// The argument's name.
        argument: &'static str,
        /// What it must be, e.g. "a whole number".
        expected: &'static str,
        /// The Python type given.
        got: String,
    },
    /// The object is not an Arrow table stream, or the stream failed.
    NotATable(String),
    /// Reading or shaping data files failed (the data layer's error: a missing file, a file
    /// that is not what it should be, too many groups).
    Data(crimeperf_polars::DataError),
    /// One row of a frame is bad (raised for the first bad row when `errors="raise"`).
    Row {
        /// The row's position in the frame, from 0.
        row: usize,
        /// The input values of that row, by column.
        values: Vec<(String, Cell)>,
        /// What is wrong with it.
        problem: RowProblem,
    },
}

/// What is wrong with one row of a frame.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// The statistic rejected the row's values.
    Core(crimeperf::Error),
    /// A value the statistic needs is null.
    Missing {
        /// The column holding the null.
        column: String,
    },
    /// A count was given as a number with a fractional part (or NaN/infinity).
    NotWhole {
        /// The column.
        column: String,
        /// The value.
        value: f64,
    },
    /// An unsigned count beyond the 64-bit signed range.
    TooLarge {
        /// The column.
        column: String,
        /// The value.
        value: u64,
    },
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Core(err) => write!(f, "{err}"),
            RowProblem::Missing { column } => {
                write!(f, "the value in column {column:?} is missing (null)")
            }
            RowProblem::NotWhole { column, value } => {
                write!(f, "{column} must be a whole number, got {value:?}")
            }
            RowProblem::TooLarge { column, value } => {
                write!(f, "{column} is too large for a count, got {value}")
            }
        }
    }
}

impl From<crimeperf::Error> for RowProblem {
    fn from(err: crimeperf::Error) -> Self {
        RowProblem::Core(err)
    }
}

impl From<crimeperf::Error> for BindingError {
    fn from(err: crimeperf::Error) -> Self {
        BindingError::Core(err)
    }
}

impl From<crimeperf_polars::DataError> for BindingError {
    fn from(err: crimeperf_polars::DataError) -> Self {
        use crimeperf_polars::DataError as D;
        match err {
            // Bad values and columns are the same errors as the statistics raise.
            D::Core(err) => BindingError::Core(err),
            D::MissingColumn { name, available } => BindingError::MissingColumns {
                missing: vec![name],
                available,
            },
            // Other errors, column types among them, keep the data layer's own message.
            other => BindingError::Data(other),
        }
    }
}

impl From<polars::prelude::PolarsError> for BindingError {
    fn from(err: polars::prelude::PolarsError) -> Self {
        BindingError::Data(crimeperf_polars::DataError::Polars(err))
    }
}

/// The exception class for a data-layer error.
fn data_class(err: &crimeperf_polars::DataError) -> &'static str {
    use crimeperf_polars::DataError as D;
    match err {
        D::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            "DataFileNotFoundError"
        }
        D::NoFiles { .. } => "DataFileNotFoundError",
        D::Io { .. } | D::Zip { .. } | D::ZipBomb { .. } | D::PathOutside { .. } => "DataFileError",
        D::UnknownHeader { .. }
        | D::Workbook { .. }
        | D::Lookup { .. }
        | D::LineTooLong { .. }
        | D::SpreadsheetExport { .. } => "DataFormatError",
        D::TooManyGroups { .. } => "TooManyGroupsError",
        D::MissingColumn { .. } => "ColumnNotFoundError",
        D::ColumnType { .. } => "ColumnTypeError",
        D::MissingPeer { .. } | D::NotInRecords { .. } => "UnknownAreaError",
        D::DuplicateRow { .. } => "InvalidInputError",
        D::Core(err) => core_class(err),
        // Polars failing to build a frame, and variants added later: not the caller's values.
        _ => "CrimeperfError",
    }
}

/// The path a data-layer error is about, if any.
fn data_path(err: &crimeperf_polars::DataError) -> Option<String> {
    use crimeperf_polars::DataError as D;
    match err {
        D::Io { path, .. }
        | D::Zip { path, .. }
        | D::NoFiles { path, .. }
        | D::Workbook { path, .. }
        | D::Lookup { path, .. } => Some(path.display().to_string()),
        D::ZipBomb { path, .. } => Some(path.display().to_string()),
        D::UnknownHeader { file, .. }
        | D::LineTooLong { file, .. }
        | D::SpreadsheetExport { file, .. } => Some(file.clone()),
        D::PathOutside { path, .. } => Some(path.clone()),
        _ => None,
    }
}

/// The exception class for a core error: the mapping of every `crimeperf::Error` variant.
fn core_class(err: &crimeperf::Error) -> &'static str {
    use crimeperf::Error as E;
    match err {
        E::NegativeCount { .. } => "NegativeCountError",
        E::CountTooLarge { .. } => "CountTooLargeError",
        E::CountOverflow { .. } => "CountOverflowError",
        E::InvalidDenominator { .. } => "InvalidDenominatorError",
        E::NumeratorAboveDenominator { .. } => "NumeratorAboveDenominatorError",
        E::InvalidConfidence(_) => "InvalidConfidenceError",
        E::UnknownOption { .. } => "UnknownOptionError",
        // An error about one area's (or group's) values is that error, with the area named.
        E::InArea { source, .. } | E::InIndicator { source, .. } => core_class(source),
        E::InvalidValue { .. }
        | E::UnknownCategory { .. }
        | E::IncidentInCrimeTotal(_)
        | E::InvalidPeriod { .. }
        | E::InvalidAreaCode { .. }
        | E::GapInSeries { .. }
        | E::InvalidCatalogue(_) => "InvalidInputError",
        // The core's enum is non-exhaustive; every variant so far describes a bad input value.
        _ => "InvalidInputError",
    }
}

fn problem_class(problem: &RowProblem) -> &'static str {
    match problem {
        RowProblem::Core(err) => core_class(err),
        RowProblem::Missing { .. } => "MissingValueError",
        RowProblem::NotWhole { .. } => "InvalidInputError",
        RowProblem::TooLarge { .. } => "CountTooLargeError",
    }
}

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let class = py.import("crimeperf.exceptions")?.getattr(name)?;
    class
        .cast_into::<PyType>()
        .map_err(|_| PyTypeError::new_err(format!("crimeperf.exceptions.{name} is not a class")))
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl BindingError {
    /// The exception class name (in `crimeperf.exceptions`) and the message.
    fn class_and_message(&self) -> (&'static str, String) {
        match self {
            BindingError::Core(err) => (core_class(err), err.to_string()),
            BindingError::MissingColumns { missing, available } => {
                let noun = if missing.len() == 1 {
                    "column"
                } else {
                    "columns"
                };
                // "did you mean 'population'?" for each missing name that is close to one present.
                let hints: Vec<String> = missing
                    .iter()
                    .filter_map(|name| {
                        crimeperf::did_you_mean(name, available.iter().map(String::as_str))
                    })
                    .collect();
                let hints = if hints.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", hints.join("; "))
                };
                (
                    "ColumnNotFoundError",
                    format!(
                        "{noun} {} not found in the frame; it has: {}{hints}",
                        quoted(missing),
                        quoted(available)
                    ),
                )
            }
            BindingError::ColumnType {
                column,
                dtype,
                expected,
            } => (
                "ColumnTypeError",
                format!("column {column:?} has type {dtype}, but {expected} are needed"),
            ),
            BindingError::ArgumentType {
                argument,
                expected,
                got,
            } => (
                "ArgumentTypeError",
                format!("{argument} must be {expected}, got {got}"),
            ),
            BindingError::NotATable(reason) => ("UnsupportedFrameError", reason.clone()),
            BindingError::Data(err) => (data_class(err), err.to_string()),
            BindingError::Row {
                row,
                values,
                problem,
            } => {
                let shown = values
                    .iter()
                    .map(|(name, cell)| format!("{name}={cell}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    problem_class(problem),
                    format!("row {row} ({shown}): {problem}"),
                )
            }
        }
    }

    /// Builds the Python exception.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self.build(py) {
            Ok(err) | Err(err) => err,
        }
    }

    fn build(self, py: Python<'_>) -> PyResult<PyErr> {
        if matches!(
            self,
            BindingError::Data(crimeperf_polars::DataError::Cancelled)
        ) {
            // Stopped by Ctrl-C: Python's own exception, as for any interrupted call.
            return Ok(pyo3::exceptions::PyKeyboardInterrupt::new_err(
                "interrupted; crimeperf stopped reading",
            ));
        }
        let (name, message) = self.class_and_message();
        let exception = class(py, name)?.call1((message,))?;
        match self {
            BindingError::Row { row, values, .. } => {
                exception.setattr("row", row)?;
                let dict = PyDict::new(py);
                for (column, cell) in values {
                    dict.set_item(column, cell.into_pyobject(py)?)?;
                }
                exception.setattr("values", dict)?;
            }
            BindingError::MissingColumns { missing, .. } => {
                exception.setattr("columns", PyList::new(py, missing)?)?;
            }
            BindingError::ColumnType { column, .. } => {
                exception.setattr("columns", PyList::new(py, [column])?)?;
            }
            BindingError::Data(crimeperf_polars::DataError::ColumnType { name, .. }) => {
                exception.setattr("columns", PyList::new(py, [name])?)?;
            }
            BindingError::Data(err) => {
                if let Some(path) = data_path(&err) {
                    // OSError's own attribute for the file at fault.
                    exception.setattr("filename", path)?;
                }
            }
            _ => {}
        }
        Ok(PyErr::from_value(exception))
    }
}

impl From<BindingError> for PyErr {
    fn from(err: BindingError) -> Self {
        Python::attach(|py| err.into_pyerr(py))
    }
}

/// Shorthand for results of the extension's internals.
pub type Result<T> = std::result::Result<T, BindingError>;
