//! The one error type of the DataFrame layer.

use std::path::PathBuf;

use thiserror::Error;

/// What can go wrong reading and shaping crime data.
///
/// Problems with individual rows are not errors: they become rows of the data-quality log. These
/// variants are the problems that stop a whole read.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DataError {
    /// A file or folder could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path at fault.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A zip archive could not be read.
    #[error("cannot read the zip archive {path}: {reason}")]
    Zip {
        /// The archive.
        path: PathBuf,
        /// What the zip reader said.
        reason: String,
    },
    /// A file whose header is not one crimeperf knows.
    #[error(
        "{file}: line 1: unrecognised header {header:?}; expected a data.police.uk {kind} file"
    )]
    UnknownHeader {
        /// The file.
        file: String,
        /// The header line as read.
        header: String,
        /// The kind of file expected ("street" or "outcomes").
        kind: &'static str,
    },
    /// A source that holds no files of the kind asked for.
    #[error("no data.police.uk {kind} files found in {path}: {detail}")]
    NoFiles {
        /// The source given.
        path: PathBuf,
        /// The kind of file looked for.
        kind: &'static str,
        /// What was expected, and what was found instead.
        detail: String,
    },
    /// A line longer than [`MAX_LINE_BYTES`](crate::MAX_LINE_BYTES): a data.police.uk row is
    /// under a kilobyte, so such a file is broken or not a police.uk file. Refused as soon as the
    /// line passes the limit, so a file that is one endless line is never read into memory whole.
    #[error(
        "{file}: line {line} is longer than {limit} bytes; a data.police.uk row is under 1 KB, \
         so this is not a police.uk file (or it was cut or joined badly); download it again"
    )]
    LineTooLong {
        /// The file.
        file: String,
        /// The line at fault (1-based).
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// An entry of a zip archive that would expand far beyond its compressed size (a zip bomb),
    /// or that writes more bytes than its header declares.
    #[error("{path}!{entry}: refused: {reason}")]
    ZipBomb {
        /// The archive.
        path: PathBuf,
        /// The entry's name inside it.
        entry: String,
        /// The sizes found and the limit passed.
        reason: String,
    },
    /// A path that leaves the folder or archive it was found in: a zip entry named with `..` or
    /// an absolute path, a link inside a zip, or a link in a folder to somewhere outside it.
    #[error("{path}: refused: {reason}")]
    PathOutside {
        /// The path as found (`archive.zip!entry` for a zip entry).
        path: String,
        /// Where it leads and why that is refused.
        reason: String,
    },
    /// A file saved by a spreadsheet program in a way the reader cannot undo with confidence.
    #[error(
        "{file}: {reason}; download the file again from data.police.uk, or save it from the \
         spreadsheet as \"CSV UTF-8 (Comma delimited)\" without changing the Month column"
    )]
    SpreadsheetExport {
        /// The file.
        file: String,
        /// What was found.
        reason: String,
    },
    /// The work was stopped by the caller (Ctrl-C in Python) before it finished.
    #[error("interrupted before it finished")]
    Cancelled,
    /// A spreadsheet that is not the expected ONS workbook, or a table that is not laid out as
    /// expected.
    #[error("{path}: {reason}")]
    Workbook {
        /// The workbook.
        path: PathBuf,
        /// What was expected and not found.
        reason: String,
    },
    /// A lookup table (geography, populations) with a missing column or a bad row.
    #[error("{path}: line {line}: {reason}")]
    Lookup {
        /// The lookup file.
        path: PathBuf,
        /// The line at fault (1 is the header).
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A column the caller named that the frame does not have. The message suggests the
    /// closest names the frame has ("did you mean 'population'?").
    #[error(
        "no column {name:?}; the frame has: {}{}",
        available.join(", "),
        crimeperf::did_you_mean(.name, available.iter().map(String::as_str))
            .map_or_else(String::new, |hint| format!(" ({hint})"))
    )]
    MissingColumn {
        /// The column asked for.
        name: String,
        /// The columns present.
        available: Vec<String>,
    },
    /// A CSP or force asked for that no record has. The message suggests the closest name the
    /// records have.
    #[error(
        "no {what} {value:?} in the records; they have: {}{}",
        known.join(", "),
        crimeperf::did_you_mean(.value, known.iter().map(String::as_str))
            .map_or_else(String::new, |hint| format!(" ({hint})"))
    )]
    NotInRecords {
        /// `"csp"` or `"force"`.
        what: &'static str,
        /// The name asked for.
        value: String,
        /// The names the records have.
        known: Vec<String>,
    },
    /// A column of a type that cannot be used as asked (e.g. grouping by a float column).
    #[error("column {name:?} has type {dtype}; {expected}")]
    ColumnType {
        /// The column.
        name: String,
        /// Its type.
        dtype: String,
        /// What was needed.
        expected: &'static str,
    },
    /// Grouping that would produce more rows than is sensible to hold, or by a column with nearly
    /// one value per row.
    #[error("grouping by {by}: {reason}")]
    TooManyGroups {
        /// The grouping columns.
        by: String,
        /// How many groups there would be, and what to do instead.
        reason: String,
    },
    /// A member of a most similar group (or its focal area) that a peer comparison cannot use:
    /// no row for it in the frame of counts, or a null count or population.
    #[error("{group}: the group of {area} includes {peer}, but {reason}; pass missing=\"drop\" to rank it among the members there are")]
    MissingPeer {
        /// The member at fault (the focal area itself when it is the one missing).
        peer: String,
        /// The focal area whose group it is.
        area: String,
        /// The `by` combination (offence group), or "the frame".
        group: String,
        /// Why it cannot be used.
        reason: &'static str,
    },
    /// An area with two rows where a comparison needs one (per `by` combination).
    #[error("{group}: area {area} has more than one row")]
    DuplicateRow {
        /// The area.
        area: String,
        /// The `by` combination, or "the frame".
        group: String,
    },
    /// Invalid values or options, with the core's explanation.
    #[error(transparent)]
    Core(#[from] crimeperf::Error),
    /// An error from polars while building or transforming a frame.
    #[error(transparent)]
    Polars(#[from] polars::prelude::PolarsError),
}

/// `Result` with [`DataError`].
pub type Result<T> = std::result::Result<T, DataError>;

#[cfg(test)]
mod tests {
    use super::DataError;

    #[test]
    fn a_missing_column_suggests_the_closest() {
        let available = vec!["area".to_owned(), "population".to_owned()];
        let err = DataError::MissingColumn {
            name: "populaton".to_owned(),
            available: available.clone(),
        };
        assert_eq!(
            err.to_string(),
            "no column \"populaton\"; the frame has: area, population (did you mean 'population'?)"
        );
        let err = DataError::MissingColumn {
            name: "month".to_owned(),
            available,
        };
        assert_eq!(
            err.to_string(),
            "no column \"month\"; the frame has: area, population"
        );
    }
}
