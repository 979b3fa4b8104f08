//! What the ONS reader records in its data-quality log, and what it does about each finding.

use crate::log::FindingKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Kind {
    NoteRemoved,
    NameWhitespace,
    AreaWithoutCode,
    ForceCodeMismatch,
    ForceWithoutTotalRow,
    CombinedLocalAuthorities,
    BadLocalAuthorityCode,
    BadAreaCode,
    UnexpectedAreaLevel,
    SuppressionMarker,
    MarkerCase,
    EmptyCells,
    UnexpectedText,
    NonIntegerValue,
    NegativeCount,
    MissingFromTable,
    MissingColumn,
    NameDiffers,
    PopulationVintage,
    StrayRow,
}

impl FindingKind for Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::NoteRemoved => "note_removed",
            Kind::NameWhitespace => "name_whitespace",
            Kind::AreaWithoutCode => "area_without_code",
            Kind::ForceCodeMismatch => "force_code_mismatch",
            Kind::ForceWithoutTotalRow => "force_without_total_row",
            Kind::CombinedLocalAuthorities => "combined_local_authorities",
            Kind::BadLocalAuthorityCode => "bad_local_authority_code",
            Kind::BadAreaCode => "bad_area_code",
            Kind::UnexpectedAreaLevel => "unexpected_area_level",
            Kind::SuppressionMarker => "suppression_marker",
            Kind::MarkerCase => "marker_case",
            Kind::EmptyCells => "empty_cells",
            Kind::UnexpectedText => "unexpected_text",
            Kind::NonIntegerValue => "non_integer_value",
            Kind::NegativeCount => "negative_count",
            Kind::MissingFromTable => "missing_from_table",
            Kind::MissingColumn => "missing_column",
            Kind::NameDiffers => "name_differs",
            Kind::PopulationVintage => "population_vintage",
            Kind::StrayRow => "stray_row",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Kind::NoteRemoved => "note reference removed from the name",
            Kind::NameWhitespace => "white space trimmed",
            Kind::AreaWithoutCode => {
                "row kept with a null area_code; matched across tables by name"
            }
            Kind::ForceCodeMismatch => "force_name taken from the name column",
            Kind::ForceWithoutTotalRow => "none: the force has no total row in this table",
            Kind::CombinedLocalAuthorities | Kind::BadLocalAuthorityCode => {
                "local_authority_code null"
            }
            Kind::BadAreaCode => "row kept with a null area_code; matched across tables by name",
            Kind::UnexpectedAreaLevel => "row kept; level taken from the code",
            Kind::SuppressionMarker => "value null; marker kept (lowercased) in the _marker column",
            Kind::MarkerCase => "marker lowercased",
            Kind::EmptyCells => "value null, marker null",
            Kind::UnexpectedText => "value null; the text is only in this log",
            Kind::NonIntegerValue => "value null",
            Kind::NegativeCount => "kept as printed (ONS note: transfers and cancellations)",
            Kind::MissingFromTable => "row kept; this table's values null",
            Kind::MissingColumn => "values null",
            Kind::NameDiffers => "name taken from the first table listing the area",
            Kind::PopulationVintage => "none: the denominators' reference dates, for the record",
            Kind::StrayRow => "row ignored: not part of the table",
        }
    }
}

/// The ONS reader's log.
pub(super) type Log = crate::log::Log<Kind>;
