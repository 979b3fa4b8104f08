//! What the police.uk reader records in its data-quality log.

/// What kind of finding a log row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Finding {
    /// A line with the wrong number of fields or bytes that are not UTF-8. Dropped.
    MalformedLine,
    /// Something a spreadsheet program did to the file (a byte-order mark, Windows-1252 text,
    /// semicolons, carriage returns, months rewritten as dates), undone; the detail says what
    /// was assumed.
    SpreadsheetExport,
    /// Lines above the header (a title or notes a spreadsheet added). Skipped.
    LinesAboveHeader,
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
    /// The same force and month in two files (the same month downloaded twice). One copy read.
    DuplicateFile,
    /// A file in a folder or archive that is not a police.uk file of the kind read.
    SkippedFile,
    /// A month missing from a force's series. Nothing to do but say so.
    MissingMonth,
}

impl Finding {
    /// The label in the log's `kind` column.
    pub fn label(self) -> &'static str {
        match self {
            Finding::MalformedLine => "malformed_line",
            Finding::BadMonth => "bad_month",
            Finding::SpreadsheetExport => "spreadsheet_export",
            Finding::LinesAboveHeader => "lines_above_header",
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
            Finding::SkippedFile => "skipped_file",
            Finding::MissingMonth => "missing_month",
        }
    }

    /// What was done, in the log's `action` column.
    pub fn action(self) -> &'static str {
        match self {
            Finding::MalformedLine | Finding::BadMonth => "row dropped",
            Finding::LinesAboveHeader => "lines skipped: not police.uk rows",
            Finding::UnknownCrimeType | Finding::UnknownOutcome => {
                "row kept with the label as written; flagged"
            }
            Finding::BadCoordinates => "row kept without coordinates",
            Finding::SpreadsheetExport => {
                "rows read as police.uk wrote them; the detail says what was assumed"
            }
            Finding::BlankCrimeId => "row kept",
            Finding::NoLocation | Finding::BlankLsoa | Finding::UnknownLsoa => {
                "row kept without local authority or CSP"
            }
            Finding::LsoaOutsideForce => "row kept; outside_force is true",
            Finding::DuplicateIdentical => "identical copies collapsed to one row",
            Finding::DuplicateConflicting => "one copy kept under the duplicate policy",
            Finding::DuplicateFile => "copy not read; the one kept is named in the detail",
            Finding::SkippedFile => "file not read",
            Finding::MissingMonth => "none: the month is absent from the source",
        }
    }
}

impl crate::log::FindingKind for Finding {
    fn label(self) -> &'static str {
        Finding::label(self)
    }

    fn action(self) -> &'static str {
        Finding::action(self)
    }
}

/// The police.uk reader's log.
pub(crate) type Log = crate::log::Log<Finding>;
