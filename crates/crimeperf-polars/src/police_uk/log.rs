//! The data-quality log: one row per finding, with the file, the line, what was odd, how many
//! rows it touched and what was done about it.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

/// What kind of finding a log row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Finding {
    /// A line with the wrong number of fields or bytes that are not UTF-8. Dropped.
    MalformedLine,
    /// A `Month` value that is not a month. Dropped.
    BadMonth,
    /// A crime type that is not in the taxonomy. Kept, flagged.
    UnknownCrimeType,
    /// An outcome that is not in the taxonomy. Kept, flagged.
    UnknownOutcome,
    /// A longitude or latitude that is not a number. Kept with no coordinates.
    BadCoordinates,
    /// A crime (not ASB) with a blank Crime ID. Kept.
    BlankCrimeId,
    /// A "No Location" row, which has no LSOA. Kept; no local authority or CSP.
    NoLocation,
    /// A located row with a blank LSOA code. Kept; no local authority or CSP.
    BlankLsoa,
    /// An LSOA code that the geography lookup does not know. Kept; no local authority or CSP.
    UnknownLsoa,
    /// A row in an LSOA outside the area of the force it falls within. Kept, flagged.
    LsoaOutsideForce,
    /// Copies of a Crime ID that are identical in every field. Collapsed to one.
    DuplicateIdentical,
    /// Copies of a Crime ID that differ. One kept under the duplicate policy.
    DuplicateConflicting,
    /// The same force and month read from two files. The second copy skipped.
    DuplicateFile,
    /// A month missing from a force's series. Nothing to do but say so.
    MissingMonth,
}

impl Finding {
    /// The label in the log's `kind` column.
    pub fn label(self) -> &'static str {
        match self {
            Finding::MalformedLine => "malformed_line",
            Finding::BadMonth => "bad_month",
            Finding::UnknownCrimeType => "unknown_crime_type",
            Finding::UnknownOutcome => "unknown_outcome",
            Finding::BadCoordinates => "bad_coordinates",
            Finding::BlankCrimeId => "blank_crime_id",
            Finding::NoLocation => "no_location",
            Finding::BlankLsoa => "blank_lsoa",
            Finding::UnknownLsoa => "unknown_lsoa",
            Finding::LsoaOutsideForce => "lsoa_outside_force",
            Finding::DuplicateIdentical => "duplicate_crime_id_identical",
            Finding::DuplicateConflicting => "duplicate_crime_id_conflicting",
            Finding::DuplicateFile => "duplicate_file",
            Finding::MissingMonth => "missing_month",
        }
    }

    /// What was done, in the log's `action` column.
    pub fn action(self) -> &'static str {
        match self {
            Finding::MalformedLine | Finding::BadMonth => "row dropped",
            Finding::UnknownCrimeType | Finding::UnknownOutcome => {
                "row kept with the label as written; flagged"
            }
            Finding::BadCoordinates => "row kept without coordinates",
            Finding::BlankCrimeId => "row kept",
            Finding::NoLocation | Finding::BlankLsoa | Finding::UnknownLsoa => {
                "row kept without local authority or CSP"
            }
            Finding::LsoaOutsideForce => "row kept; outside_force is true",
            Finding::DuplicateIdentical => "identical copies collapsed to one row",
            Finding::DuplicateConflicting => "one copy kept under the duplicate policy",
            Finding::DuplicateFile => "second copy of the file skipped",
            Finding::MissingMonth => "none: the month is absent from the source",
        }
    }
}

/// The first line a finding was seen at, and how many rows it touched.
type Tally = (Option<u64>, u64);

/// One row of the log frame: file, kind, detail and tally.
type LogRow = (String, Finding, Box<str>, Tally);

/// Findings keyed by file, kind and detail: the first line and the number of rows.
///
/// Nested maps so that recording a finding already seen allocates nothing (a big file can have
/// thousands of "No Location" rows).
#[derive(Debug, Default)]
pub(crate) struct Log {
    entries: BTreeMap<String, BTreeMap<Finding, HashMap<Box<str>, Tally>>>,
}

impl Log {
    /// Records `count` rows with `finding` in `file`, first seen at `line`.
    pub fn add(
        &mut self,
        file: &str,
        line: Option<u64>,
        finding: Finding,
        detail: &str,
        count: u64,
    ) {
        let by_kind = match self.entries.get_mut(file) {
            Some(by_kind) => by_kind,
            None => self.entries.entry(file.to_owned()).or_default(),
        };
        let details = by_kind.entry(finding).or_default();
        let entry = match details.get_mut(detail) {
            Some(entry) => entry,
            None => details.entry(detail.into()).or_insert((line, 0)),
        };
        entry.1 += count;
        if entry.0.is_none() || (line.is_some() && line < entry.0) {
            entry.0 = line.or(entry.0);
        }
    }

    /// Merges another log into this one.
    pub fn extend(&mut self, other: Log) {
        for (file, by_kind) in other.entries {
            for (finding, details) in by_kind {
                for (detail, (line, count)) in details {
                    self.add(&file, line, finding, &detail, count);
                }
            }
        }
    }

    /// The log as a frame: `file, line, kind, detail, count, action`.
    pub fn into_frame(self) -> PolarsResult<DataFrame> {
        let mut rows: Vec<LogRow> = Vec::new();
        for (file, by_kind) in self.entries {
            for (finding, details) in by_kind {
                let mut details: Vec<_> = details.into_iter().collect();
                details.sort_by(|a, b| (a.1 .0, &a.0).cmp(&(b.1 .0, &b.0)));
                for (detail, (line, count)) in details {
                    rows.push((file.clone(), finding, detail, (line, count)));
                }
            }
        }
        let n = rows.len();
        let mut file = Vec::with_capacity(n);
        let mut line = Vec::with_capacity(n);
        let mut kind = Vec::with_capacity(n);
        let mut detail = Vec::with_capacity(n);
        let mut count = Vec::with_capacity(n);
        let mut action = Vec::with_capacity(n);
        for (f, finding, d, (l, c)) in rows {
            file.push(f);
            line.push(l);
            kind.push(finding.label());
            detail.push(d.into_string());
            count.push(c);
            action.push(finding.action());
        }
        DataFrame::new(
            n,
            vec![
                Column::new("file".into(), file),
                Column::new("line".into(), line),
                Column::new("kind".into(), kind),
                Column::new("detail".into(), detail),
                Column::new("count".into(), count),
                Column::new("action".into(), action),
            ],
        )
    }
}
