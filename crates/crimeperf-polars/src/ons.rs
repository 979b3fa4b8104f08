//! The ONS Community Safety Partnership tables: Tables C2–C5 of the workbook "Police force area
//! data tables" (`policeforceareatablesyedecember2024.xlsx`) read into one tidy frame, with a log
//! of everything odd in them.
//!
//! The workbook prints, for every CSP, police force area and `Unassigned <force>` row of England
//! and Wales, the number of crimes by offence group in two years (Table C5: the earlier year,
//! Table C2: the later), ONS's percent change between them (Table C3) and rates per 1,000
//! population and households (Table C4). [`read_ons_csp_tables`] joins the four tables by area
//! (the GSS code where the row has one, the force and area names where it has none) and returns
//! one row per area, offence group and year.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use crimeperf::{AreaCode, AreaLevel, OffenceGroup};
use polars::prelude::*;

use crate::error::{DataError, Result};
use crate::log::FindingKind;

/// The ONS CSP tables as a tidy frame and a data-quality log.
///
/// # `frame`
///
/// One row per (area, offence group, year ending), in workbook order, offence groups in ONS
/// order, the earlier year first:
///
/// | column | dtype | meaning |
/// |---|---|---|
/// | `area_code` | str | GSS code: `E22`/`W14` for a CSP, `E23`/`W15` for a force; null for "Unassigned" rows and pseudo-CSPs such as Manchester Airport |
/// | `area_name` | str | name as printed, with `[note N]` and surrounding white space removed |
/// | `level` | str | `"csp"`, `"force"`, `"unassigned"`, `"other"` (a named area without a code, such as Manchester Airport) or `"country"` (England or Wales totals, when a table has them) |
/// | `force_name` | str | the police force area the row belongs to (its own name on force rows) |
/// | `local_authority_code` | str | the local authority of a single-authority CSP; null for CSPs made of several ("Combined Local Authorities", see Table C1) and for rows that are not CSPs |
/// | `offence_group` | str | [`OffenceGroup::label`] of the core |
/// | `year_ending` | date | the last day of the year the count covers (2023-12-31 and 2024-12-31 in the December 2024 edition), read from the tables' titles |
/// | `count` | i64 | recorded crimes: Table C5 for the earlier year, Table C2 for the later |
/// | `count_marker` | str | the suppression marker where the count is not printed |
/// | `population`, `households` | i64 | Table C4's denominators, on the later year's rows only: population **mid-2022** and households **mid-2021** (Census 2021) in the December 2024 edition, both rounded to 100 (ONS note 8: the lower-geography mid-2023 estimates were not available) |
/// | `population_marker`, `households_marker` | str | markers of those cells (`[x]` on Unassigned rows) |
/// | `ons_percent_change` | f64 | Table C3, on the later year's rows |
/// | `ons_percent_change_marker` | str | `[u]` (base under 50) or `[x]` (not calculated) |
/// | `ons_rate_per_1000_population` | f64 | Table C4, on the later year's rows |
/// | `ons_rate_per_1000_population_marker` | str | `[x]`, or `[u1]` for the City of London |
/// | `ons_rate_per_1000_households` | f64 | Table C4, later year; ONS gives it for residential burglary only, so it is null (without a marker) for every other group |
/// | `ons_rate_per_1000_households_marker` | str | its marker |
///
/// Suppression markers (`[x]`, `[u]`, `[u1]`, in any case) become null values with the marker,
/// lowercased, in the `_marker` column. Empty cells are null with a null marker. ONS computed
/// its rates from unrounded populations, so recomputing them from the printed (rounded)
/// population agrees only to within `50 / population` relative.
///
/// # `log`
///
/// One row per finding, with the columns of the police.uk log: `file` (`<path>!<sheet>`),
/// `line` (the spreadsheet row, 1-based, of the first occurrence), `kind`, `detail`, `count`
/// (how many cells or rows) and `action`. Kinds: `note_removed`, `name_whitespace`,
/// `area_without_code`, `force_code_mismatch`, `force_without_total_row`,
/// `combined_local_authorities`, `bad_local_authority_code`, `bad_area_code`,
/// `unexpected_area_level`, `suppression_marker`, `marker_case`, `empty_cells`,
/// `unexpected_text`, `non_integer_value`, `negative_count`, `missing_from_table`,
/// `missing_column`, `name_differs`, `population_vintage` and `stray_row`. No row of a table
/// is dropped without a log row.
///
/// # Errors
///
/// None: this is plain data. [`read_ons_csp_tables`], which builds it, lists the errors of
/// reading the workbook.
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::read_ons_csp_tables;
///
/// let tables = read_ons_csp_tables("policeforceareatablesyedecember2024.xlsx")?;
/// println!("{}", tables.frame.head(Some(5)));
/// println!("{}", tables.log);
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
#[derive(Debug, Clone)]
pub struct OnsCspTables {
    /// The tidy frame: one row per area, offence group and year ending.
    pub frame: DataFrame,
    /// What was odd in the workbook and what was done about it.
    pub log: DataFrame,
}

/// Reads Tables C2–C5 of the ONS "Police force area data tables" workbook into a tidy frame.
///
/// Rows are matched across the four tables by GSS code (the CSP code, or the force code on force
/// total rows) and, for rows without a code (`Unassigned <force>`, Manchester Airport), by force
/// name and area name. A row present in one table and not another is kept, with the other
/// table's values null and a `missing_from_table` log row. See [`OnsCspTables`] for the columns.
///
/// # Errors
///
/// * [`DataError::Io`] when the file cannot be opened (for example, it does not exist);
/// * [`DataError::Workbook`] naming the path when the file is not an xlsx workbook, when a sheet
///   "Table C2" … "Table C5" is missing, when a table has no header row starting "Police Force
///   Area code" or lacks one of the identifier columns, when an offence-group header is not one
///   the core's [`OffenceGroup`] knows, when a table's title does not say which year it ends,
///   or when two rows of one table describe the same area;
/// * [`DataError::Polars`] if the frame cannot be built.
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::read_ons_csp_tables;
/// use polars::prelude::*;
///
/// let tables = read_ons_csp_tables(
///     "../shared/data/raw/ons_pfa_csp_tables_ye_dec2024/policeforceareatablesyedecember2024.xlsx",
/// )?;
/// let frame = &tables.frame;
/// let codes = frame.column("area_code")?.str()?;
/// let groups = frame.column("offence_group")?.str()?;
/// let counts = frame.column("count")?.i64()?;
/// let rochford: Vec<Option<i64>> = (0..frame.height())
///     .filter(|&i| {
///         codes.get(i) == Some("E22000088")
///             && groups.get(i) == Some("Total recorded crime (excluding fraud)")
///     })
///     .map(|i| counts.get(i))
///     .collect();
/// assert_eq!(rochford, [Some(4445), Some(4208)]); // 2023, 2024
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_ons_csp_tables(path: impl AsRef<Path>) -> Result<OnsCspTables> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(|e| match e {
        calamine::XlsxError::Io(source) => DataError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => workbook_error(
            path,
            format!("not an xlsx workbook that calamine can read ({other})"),
        ),
    })?;
    let mut log = Log::default();
    let reader = TableReader { path };
    let latest = reader.read(&mut workbook, Role::LatestCounts, &mut log)?;
    let previous = reader.read(&mut workbook, Role::PreviousCounts, &mut log)?;
    let change = reader.read(&mut workbook, Role::PercentChange, &mut log)?;
    let rates = reader.read(&mut workbook, Role::Rates, &mut log)?;

    let latest_year = latest.year_ending.ok_or_else(|| {
        workbook_error(
            path,
            format!(
                "{}: the title does not say which year the table ends (\"year ending <month> <year>\")",
                latest.sheet
            ),
        )
    })?;
    let previous_year = previous.year_ending.ok_or_else(|| {
        workbook_error(
            path,
            format!(
                "{}: the title does not say which year the table ends (\"year ending <month> <year>\")",
                previous.sheet
            ),
        )
    })?;
    if previous_year >= latest_year {
        return Err(workbook_error(
            path,
            format!(
                "{} ends on day {previous_year} after 1970 and {} on day {latest_year}; expected the earlier year in Table C5",
                previous.sheet, latest.sheet
            ),
        ));
    }
    if let Some(header) = &rates.population_header {
        log.add(
            &rates.file,
            None,
            Kind::PopulationVintage,
            &format!("population column: {header:?}"),
            1,
        );
    }
    if let Some(header) = &rates.households_header {
        log.add(
            &rates.file,
            None,
            Kind::PopulationVintage,
            &format!("households column: {header:?}"),
            1,
        );
    }

    let frame = assemble(
        [&latest, &previous, &change, &rates],
        previous_year,
        latest_year,
        &mut log,
    )?;
    Ok(OnsCspTables {
        frame,
        log: log.into_frame()?,
    })
}

fn workbook_error(path: &Path, reason: String) -> DataError {
    DataError::Workbook {
        path: path.to_path_buf(),
        reason,
    }
}

// ------------------------------------------------------------------------------------------
// The log
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Kind {
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
type Log = crate::log::Log<Kind>;

// ------------------------------------------------------------------------------------------
// Cells and labels
// ------------------------------------------------------------------------------------------

/// A value cell of a table.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Number(f64),
    /// A suppression marker, lowercased.
    Marker(String),
    /// Text that is neither a number nor a marker.
    Text(String),
}

/// `[x]`, `[u]`, `[u1]`, `[X]`: a bracketed run of letters followed by optional digits.
fn is_marker(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
        return false;
    };
    let letters = inner.trim_end_matches(|c: char| c.is_ascii_digit());
    !letters.is_empty() && letters.chars().all(|c| c.is_ascii_alphabetic())
}

/// The text of a cell, for identifier columns and headers (`None` when empty).
fn cell_text(cell: Option<&Data>) -> Option<String> {
    match cell? {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(f.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) => Some(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(e.to_string()),
    }
}

fn cell_value(cell: Option<&Data>) -> Value {
    match cell {
        None | Some(Data::Empty) => Value::Empty,
        Some(Data::Float(f)) => Value::Number(*f),
        Some(Data::Int(i)) => Value::Number(*i as f64),
        Some(Data::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                Value::Empty
            } else if is_marker(t) {
                Value::Marker(t.to_owned())
            } else {
                Value::Text(s.clone())
            }
        }
        Some(other) => Value::Text(cell_text(Some(other)).unwrap_or_default()),
    }
}

/// Removes every `[note N]` (any case, any spacing).
fn strip_notes(s: &str) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut found = false;
    while let Some(start) = rest.find('[') {
        let after = &rest[start + 1..];
        let close = after.find(']');
        let is_note = close.is_some_and(|end| {
            let inner = after[..end].trim();
            inner.len() > 4
                && inner[..4].eq_ignore_ascii_case("note")
                && inner[4..].trim().chars().all(|c| c.is_ascii_digit())
                && !inner[4..].trim().is_empty()
        });
        match (is_note, close) {
            (true, Some(end)) => {
                out.push_str(&rest[..start]);
                rest = &after[end + 1..];
                found = true;
            }
            _ => {
                out.push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, found)
}

/// A header label compared loosely: notes removed, white space collapsed, lower case.
fn normalise_header(s: &str) -> String {
    let (s, _) = strip_notes(s);
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A header as it should read in the log: notes removed, white space collapsed.
fn tidy_header(s: &str) -> String {
    let (s, _) = strip_notes(s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let (m, d) = (month as i32, day as i32);
    let y = if m <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn last_day_of_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The last day (days since 1970) of the period in "year ending <Month> <YYYY>".
fn parse_year_ending(title: &str) -> Option<i32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = title.to_lowercase();
    let at = lower.find("year ending")?;
    let mut words = lower[at + "year ending".len()..].split_whitespace();
    let month_word = words.next()?;
    let month = MONTHS
        .iter()
        .position(|m| month_word.starts_with(m))
        .map(|i| i as u32 + 1)?;
    let year_word: String = words
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let year: i32 = year_word.parse().ok()?;
    if year_word.len() != 4 {
        return None;
    }
    Some(days_from_civil(year, month, last_day_of_month(year, month)))
}

// ------------------------------------------------------------------------------------------
// One table
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Table C2: counts, the later year.
    LatestCounts,
    /// Table C5: counts, the earlier year.
    PreviousCounts,
    /// Table C3: percent change.
    PercentChange,
    /// Table C4: rates, population and households.
    Rates,
}

impl Role {
    fn sheet(self) -> &'static str {
        match self {
            Role::LatestCounts => "Table C2",
            Role::PreviousCounts => "Table C5",
            Role::PercentChange => "Table C3",
            Role::Rates => "Table C4",
        }
    }
}

/// What a value column of a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Measure {
    /// Count, percent change or rate per 1,000 population of a group (by the table's role).
    Group(OffenceGroup),
    /// Rate per 1,000 households of a group (Table C4).
    PerHousehold(OffenceGroup),
    Population,
    Households,
}

/// How rows are matched across tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A CSP code, or a force code on a force total row.
    Code(String),
    /// Force name and area name, lowercased, for rows without a code.
    Name(String, String),
}

#[derive(Debug, Clone)]
struct Identity {
    area_code: Option<String>,
    area_name: String,
    level: &'static str,
    force_name: String,
    /// The force code as printed on the row (checked against the force total rows).
    force_code: Option<String>,
    local_authority_code: Option<String>,
}

#[derive(Debug)]
struct TableRow {
    line: u64,
    key: Key,
    identity: Identity,
    values: HashMap<Measure, Value>,
}

#[derive(Debug)]
struct Table {
    sheet: &'static str,
    /// `<path>!<sheet>`, for the log.
    file: String,
    year_ending: Option<i32>,
    measures: Vec<Measure>,
    population_header: Option<String>,
    households_header: Option<String>,
    rows: Vec<TableRow>,
    index: HashMap<Key, usize>,
}

const ID_HEADERS: [&str; 6] = [
    "police force area code",
    "police force area name",
    "community safety partnership code",
    "community safety partnership name",
    "local authority code",
    "local authority name",
];

struct TableReader<'a> {
    path: &'a Path,
}

impl TableReader<'_> {
    fn error(&self, reason: String) -> DataError {
        workbook_error(self.path, reason)
    }

    fn read<RS: std::io::Read + std::io::Seek>(
        &self,
        workbook: &mut Xlsx<RS>,
        role: Role,
        log: &mut Log,
    ) -> Result<Table> {
        let wanted = role.sheet();
        let names = workbook.sheet_names();
        let matches: Vec<&String> = names
            .iter()
            .filter(|n| n.trim().eq_ignore_ascii_case(wanted))
            .collect();
        let name = match matches.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(self.error(format!(
                    "no sheet named {wanted:?}; is this the ONS \"Police force area data tables\" workbook? Its sheets are {names:?}"
                )))
            }
            _ => {
                return Err(self.error(format!(
                    "several sheets are named {wanted:?}: {matches:?}"
                )))
            }
        };
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| self.error(format!("{wanted}: cannot read the sheet ({e})")))?;
        let first_line = u64::from(range.start().map_or(0, |(row, _)| row)) + 1;
        let file = format!("{}!{}", self.path.display(), wanted);
        let rows: Vec<&[Data]> = range.rows().collect();

        // Header row: the first whose first non-empty cell is "Police Force Area code".
        let header_at = rows
            .iter()
            .position(|row| {
                row.iter()
                    .find_map(|c| cell_text(Some(c)).filter(|t| !t.trim().is_empty()))
                    .is_some_and(|t| normalise_header(&t) == ID_HEADERS[0])
            })
            .ok_or_else(|| {
                self.error(format!(
                    "{wanted}: no header row starting with \"Police Force Area code\""
                ))
            })?;
        let header_line = first_line + header_at as u64;
        let header: Vec<Option<String>> = rows[header_at]
            .iter()
            .map(|c| cell_text(Some(c)).filter(|t| !t.trim().is_empty()))
            .collect();
        let normalised: Vec<Option<String>> = header
            .iter()
            .map(|h| h.as_deref().map(normalise_header))
            .collect();
        let mut id_cols = [0usize; 6];
        for (slot, label) in id_cols.iter_mut().zip(ID_HEADERS) {
            *slot = normalised
                .iter()
                .position(|h| h.as_deref() == Some(label))
                .ok_or_else(|| {
                    self.error(format!(
                        "{wanted}: line {header_line}: no column {label:?} in the header {:?}",
                        header
                            .iter()
                            .flatten()
                            .map(|h| tidy_header(h))
                            .collect::<Vec<_>>()
                    ))
                })?;
        }

        // Title: the year the table ends.
        let year_ending = rows[..header_at]
            .iter()
            .flat_map(|row| row.iter())
            .filter_map(|c| cell_text(Some(c)))
            .find_map(|t| parse_year_ending(&t));

        // Value columns.
        let mut columns: Vec<(usize, Measure)> = Vec::new();
        let mut population_header = None;
        let mut households_header = None;
        for (col, label) in normalised.iter().enumerate() {
            let Some(label) = label else { continue };
            if id_cols.contains(&col) {
                continue;
            }
            let printed = header[col].as_deref().map(tidy_header).unwrap_or_default();
            let measure = if label.starts_with("population") {
                population_header = Some(printed.clone());
                Measure::Population
            } else if label.starts_with("household") {
                households_header = Some(printed.clone());
                Measure::Households
            } else {
                let (group_label, per_household) = split_rate_suffix(label);
                let group: OffenceGroup = group_label.parse().map_err(|e| {
                    self.error(format!(
                        "{wanted}: line {header_line}: column header {printed:?} is not an offence group ({e})"
                    ))
                })?;
                if per_household {
                    Measure::PerHousehold(group)
                } else {
                    Measure::Group(group)
                }
            };
            let allowed = match measure {
                Measure::Group(_) => true,
                Measure::PerHousehold(_) | Measure::Population | Measure::Households => {
                    role == Role::Rates
                }
            };
            if !allowed {
                return Err(self.error(format!(
                    "{wanted}: line {header_line}: unexpected column {printed:?} in a table of {}",
                    if role == Role::PercentChange {
                        "percent changes"
                    } else {
                        "counts"
                    }
                )));
            }
            if let Some((other, _)) = columns.iter().find(|(_, m)| *m == measure) {
                return Err(self.error(format!(
                    "{wanted}: line {header_line}: columns {} and {} both hold {printed:?}",
                    other + 1,
                    col + 1
                )));
            }
            columns.push((col, measure));
        }
        if !columns.iter().any(|(_, m)| matches!(m, Measure::Group(_))) {
            return Err(self.error(format!(
                "{wanted}: line {header_line}: no offence-group columns"
            )));
        }
        if role == Role::Rates {
            for (found, what) in [
                (population_header.is_some(), "population"),
                (households_header.is_some(), "household"),
            ] {
                if !found {
                    return Err(self.error(format!(
                        "{wanted}: line {header_line}: no {what} column (a header starting {what:?})"
                    )));
                }
            }
        }

        let mut table = Table {
            sheet: wanted,
            file,
            year_ending,
            measures: columns.iter().map(|(_, m)| *m).collect(),
            population_header,
            households_header,
            rows: Vec::new(),
            index: HashMap::new(),
        };

        for (offset, row) in rows.iter().enumerate().skip(header_at + 1) {
            let line = first_line + offset as u64;
            let text = |col: usize| cell_text(row.get(col)).filter(|t| !t.trim().is_empty());
            let values: HashMap<Measure, Value> = columns
                .iter()
                .map(|&(col, m)| (m, cell_value(row.get(col))))
                .collect();
            let any_value = values.values().any(|v| *v != Value::Empty);
            let [pfa_code, pfa_name, csp_code, csp_name, la_code, _la_name] = id_cols.map(text);
            // A row that names no force and no area (a footnote below the table, say).
            if pfa_name.is_none() && csp_code.is_none() && csp_name.is_none() {
                if any_value || row.iter().any(|c| !matches!(c, Data::Empty)) {
                    let shown: Vec<String> =
                        row.iter().filter_map(|c| cell_text(Some(c))).collect();
                    log.add(
                        &table.file,
                        Some(line),
                        Kind::StrayRow,
                        &format!("a row with no force or area: {shown:?}"),
                        1,
                    );
                }
                continue;
            }
            let identity = identify(
                &table.file,
                line,
                [pfa_code, pfa_name, csp_code, csp_name, la_code],
                log,
            );
            let key = match &identity.area_code {
                Some(code) => Key::Code(code.clone()),
                None => Key::Name(
                    identity.force_name.to_lowercase(),
                    identity.area_name.to_lowercase(),
                ),
            };
            if let Some(&earlier) = table.index.get(&key) {
                return Err(self.error(format!(
                    "{wanted}: lines {} and {line} both describe {} ({}); cannot tell which to use",
                    table.rows[earlier].line,
                    identity.area_name,
                    identity
                        .area_code
                        .as_deref()
                        .unwrap_or(identity.force_name.as_str())
                )));
            }
            table.index.insert(key.clone(), table.rows.len());
            table.rows.push(TableRow {
                line,
                key,
                identity,
                values,
            });
        }
        check_force_codes(&table, log);
        Ok(table)
    }
}

/// Splits "residential burglary (per 1,000 household)" into the group and whether the rate is
/// per household.
fn split_rate_suffix(label: &str) -> (&str, bool) {
    if let Some(open) = label.rfind("(per 1,000") {
        let suffix = &label[open..];
        let group = label[..open].trim_end();
        return (group, suffix.contains("household"));
    }
    (label, false)
}

/// Cleans a name: `[note N]` removed, surrounding white space trimmed, with log rows.
fn clean_name(file: &str, line: u64, raw: &str, log: &mut Log) -> String {
    let (without_notes, had_note) = strip_notes(raw);
    let cleaned = without_notes.trim().to_owned();
    if had_note {
        log.add(
            file,
            Some(line),
            Kind::NoteRemoved,
            &format!("{raw:?} read as {cleaned:?}"),
            1,
        );
    } else if cleaned != raw {
        log.add(
            file,
            Some(line),
            Kind::NameWhitespace,
            &format!("{raw:?} read as {cleaned:?}"),
            1,
        );
    }
    cleaned
}

/// The identity of a row from its six identifier cells (local authority name unused).
fn identify(file: &str, line: u64, ids: [Option<String>; 5], log: &mut Log) -> Identity {
    let [pfa_code, pfa_name, csp_code, csp_name, la_code] = ids;
    let force_name = pfa_name
        .as_deref()
        .map(|n| clean_name(file, line, n, log))
        .unwrap_or_default();
    let force_code = pfa_code.as_deref().map(|c| c.trim().to_ascii_uppercase());
    let csp_name = csp_name.as_deref().map(|n| clean_name(file, line, n, log));

    let parse_code = |raw: &str, log: &mut Log| -> Option<AreaCode> {
        match raw.parse::<AreaCode>() {
            Ok(code) => Some(code),
            Err(e) => {
                log.add(
                    file,
                    Some(line),
                    Kind::BadAreaCode,
                    &format!("{raw:?}: {e}"),
                    1,
                );
                None
            }
        }
    };
    let level_label = |code: &AreaCode, expected: AreaLevel, log: &mut Log| -> &'static str {
        let level = code.level();
        if level != expected
            && !(expected == AreaLevel::PoliceForceArea && level == AreaLevel::Country)
        {
            log.add(
                file,
                Some(line),
                Kind::UnexpectedAreaLevel,
                &format!(
                    "{} is a {} code where a {} code was expected",
                    code.as_str(),
                    level.label(),
                    expected.label()
                ),
                1,
            );
        }
        level.label()
    };

    let (area_code, area_name, level) = match (csp_code.as_deref(), csp_name) {
        // A CSP with a code.
        (Some(raw), name) => {
            let name = name.unwrap_or_default();
            match parse_code(raw, log) {
                Some(code) => {
                    let level = level_label(&code, AreaLevel::CommunitySafetyPartnership, log);
                    (Some(code.as_str().to_owned()), name, level)
                }
                None => (None, name, "other"),
            }
        }
        // A force (or country) total row.
        (None, None) => match force_code.as_deref().and_then(|raw| parse_code(raw, log)) {
            Some(code) => {
                let level = level_label(&code, AreaLevel::PoliceForceArea, log);
                (Some(code.as_str().to_owned()), force_name.clone(), level)
            }
            None => (None, force_name.clone(), "force"),
        },
        // A named area without a code.
        (None, Some(name)) => {
            let level = if name.to_lowercase().starts_with("unassigned") {
                "unassigned"
            } else {
                "other"
            };
            let detail = if level == "unassigned" {
                String::from("\"Unassigned <force>\" rows: level \"unassigned\"")
            } else {
                format!("{name:?} ({force_name}): level {level:?}")
            };
            log.add(file, Some(line), Kind::AreaWithoutCode, &detail, 1);
            (None, name, level)
        }
    };

    let local_authority_code = la_code.and_then(|raw| {
        let trimmed = raw.trim();
        match trimmed.parse::<AreaCode>() {
            Ok(code) if code.level() == AreaLevel::LocalAuthority => Some(code.as_str().to_owned()),
            _ if trimmed
                .to_lowercase()
                .starts_with("combined local authorit") =>
            {
                log.add(
                    file,
                    Some(line),
                    Kind::CombinedLocalAuthorities,
                    &format!("CSPs with {trimmed:?} in the local authority code column"),
                    1,
                );
                None
            }
            _ => {
                log.add(
                    file,
                    Some(line),
                    Kind::BadLocalAuthorityCode,
                    &format!("{area_name}: {raw:?} is not a local authority code"),
                    1,
                );
                None
            }
        }
    });

    Identity {
        area_code,
        area_name,
        level,
        force_name,
        force_code,
        local_authority_code,
    }
}

/// Checks the force code printed on every row against the force total rows of the table, and
/// notes forces with no total row.
fn check_force_codes(table: &Table, log: &mut Log) {
    let mut code_of: HashMap<String, String> = HashMap::new();
    let mut name_of: HashMap<String, String> = HashMap::new();
    for row in &table.rows {
        if matches!(row.identity.level, "force" | "country") {
            if let Some(code) = &row.identity.area_code {
                code_of.insert(row.identity.force_name.to_lowercase(), code.clone());
                name_of.insert(code.clone(), row.identity.force_name.clone());
            }
        }
    }
    let mut without_total: Vec<(String, u64)> = Vec::new();
    for row in &table.rows {
        let id = &row.identity;
        let Some(printed) = &id.force_code else {
            continue;
        };
        match code_of.get(&id.force_name.to_lowercase()) {
            Some(code) if code != printed => {
                let owner = match name_of.get(printed) {
                    Some(n) => format!("the code of {n}"),
                    None => String::from("the code of no force total row"),
                };
                log.add(
                    &table.file,
                    Some(row.line),
                    Kind::ForceCodeMismatch,
                    &format!(
                        "{:?} is printed with force code {printed} ({owner}); {} is {code}",
                        id.area_name, id.force_name
                    ),
                    1,
                );
            }
            Some(_) => {}
            None => {
                if !without_total.iter().any(|(n, _)| *n == id.force_name) {
                    without_total.push((id.force_name.clone(), row.line));
                }
            }
        }
    }
    for (force, line) in without_total {
        log.add(
            &table.file,
            Some(line),
            Kind::ForceWithoutTotalRow,
            &format!("{force} has no force total row"),
            1,
        );
    }
}

// ------------------------------------------------------------------------------------------
// The frame
// ------------------------------------------------------------------------------------------

/// Column builders of the tidy frame.
#[derive(Default)]
struct Columns {
    area_code: Vec<Option<String>>,
    area_name: Vec<String>,
    level: Vec<&'static str>,
    force_name: Vec<String>,
    local_authority_code: Vec<Option<String>>,
    offence_group: Vec<&'static str>,
    year_ending: Vec<i32>,
    count: Vec<Option<i64>>,
    count_marker: Vec<Option<String>>,
    population: Vec<Option<i64>>,
    population_marker: Vec<Option<String>>,
    households: Vec<Option<i64>>,
    households_marker: Vec<Option<String>>,
    percent: Vec<Option<f64>>,
    percent_marker: Vec<Option<String>>,
    rate_population: Vec<Option<f64>>,
    rate_population_marker: Vec<Option<String>>,
    rate_households: Vec<Option<f64>>,
    rate_households_marker: Vec<Option<String>>,
}

impl Columns {
    fn into_frame(self) -> PolarsResult<DataFrame> {
        let height = self.area_name.len();
        let year_ending = Int32Chunked::from_vec("year_ending".into(), self.year_ending)
            .into_date()
            .into_series()
            .into_column();
        DataFrame::new(
            height,
            vec![
                Column::new("area_code".into(), self.area_code),
                Column::new("area_name".into(), self.area_name),
                Column::new("level".into(), self.level),
                Column::new("force_name".into(), self.force_name),
                Column::new("local_authority_code".into(), self.local_authority_code),
                Column::new("offence_group".into(), self.offence_group),
                year_ending,
                Column::new("count".into(), self.count),
                Column::new("count_marker".into(), self.count_marker),
                Column::new("population".into(), self.population),
                Column::new("population_marker".into(), self.population_marker),
                Column::new("households".into(), self.households),
                Column::new("households_marker".into(), self.households_marker),
                Column::new("ons_percent_change".into(), self.percent),
                Column::new("ons_percent_change_marker".into(), self.percent_marker),
                Column::new("ons_rate_per_1000_population".into(), self.rate_population),
                Column::new(
                    "ons_rate_per_1000_population_marker".into(),
                    self.rate_population_marker,
                ),
                Column::new("ons_rate_per_1000_households".into(), self.rate_households),
                Column::new(
                    "ons_rate_per_1000_households_marker".into(),
                    self.rate_households_marker,
                ),
            ],
        )
    }
}

/// Turns one cell into a value and a marker, logging what is odd about it.
struct CellReader<'a> {
    log: &'a mut Log,
}

impl CellReader<'_> {
    fn number(
        &mut self,
        table: &Table,
        row: &TableRow,
        measure: Measure,
        what: &str,
    ) -> (Option<f64>, Option<String>) {
        let Some(value) = row.values.get(&measure) else {
            return (None, None);
        };
        match value {
            Value::Number(x) if x.is_finite() => (Some(*x), None),
            Value::Number(x) => {
                self.log.add(
                    &table.file,
                    Some(row.line),
                    Kind::UnexpectedText,
                    &format!("{what}: {x}"),
                    1,
                );
                (None, None)
            }
            Value::Empty => {
                self.log.add(
                    &table.file,
                    Some(row.line),
                    Kind::EmptyCells,
                    &format!("{}: empty cells", row.identity.area_name),
                    1,
                );
                (None, None)
            }
            Value::Marker(printed) => {
                let marker = printed.to_lowercase();
                self.log.add(
                    &table.file,
                    Some(row.line),
                    Kind::SuppressionMarker,
                    &marker,
                    1,
                );
                if *printed != marker {
                    self.log.add(
                        &table.file,
                        Some(row.line),
                        Kind::MarkerCase,
                        &format!("{printed} read as {marker}"),
                        1,
                    );
                }
                (None, Some(marker))
            }
            Value::Text(text) => {
                // A number stored as text is still a number.
                if let Ok(x) = text.trim().parse::<f64>() {
                    if x.is_finite() {
                        return (Some(x), None);
                    }
                }
                self.log.add(
                    &table.file,
                    Some(row.line),
                    Kind::UnexpectedText,
                    &format!("{} {what}: {text:?}", row.identity.area_name),
                    1,
                );
                (None, None)
            }
        }
    }

    fn integer(
        &mut self,
        table: &Table,
        row: &TableRow,
        measure: Measure,
        what: &str,
    ) -> (Option<i64>, Option<String>) {
        let (x, marker) = self.number(table, row, measure, what);
        let Some(x) = x else {
            return (None, marker);
        };
        // 2^53: every integer below is exact in an f64.
        if x.fract() != 0.0 || x.abs() > 9_007_199_254_740_992.0 {
            self.log.add(
                &table.file,
                Some(row.line),
                Kind::NonIntegerValue,
                &format!("{} {what}: {x}", row.identity.area_name),
                1,
            );
            return (None, marker);
        }
        let n = x as i64;
        if n < 0 {
            self.log.add(
                &table.file,
                Some(row.line),
                Kind::NegativeCount,
                &format!("{} {what}: {n}", row.identity.area_name),
                1,
            );
        }
        (Some(n), marker)
    }
}

fn assemble(
    tables: [&Table; 4],
    previous_year: i32,
    latest_year: i32,
    log: &mut Log,
) -> Result<DataFrame> {
    let [latest, previous, change, rates] = tables;

    // Areas in the order first seen (C2, then any others only in C5, C3, C4).
    let mut keys: Vec<&Key> = Vec::new();
    let mut seen: HashMap<&Key, usize> = HashMap::new();
    for table in [latest, previous, change, rates] {
        for row in &table.rows {
            if !seen.contains_key(&row.key) {
                seen.insert(&row.key, keys.len());
                keys.push(&row.key);
            }
        }
    }

    // Offence groups in ONS order, every group any table has.
    let groups: Vec<OffenceGroup> = OffenceGroup::ALL
        .into_iter()
        .filter(|g| {
            tables.iter().any(|t| {
                t.measures
                    .iter()
                    .any(|m| matches!(m, Measure::Group(x) | Measure::PerHousehold(x) if x == g))
            })
        })
        .collect();
    for table in [latest, previous, change, rates] {
        for g in &groups {
            if !table.measures.contains(&Measure::Group(*g)) {
                log.add(
                    &table.file,
                    None,
                    Kind::MissingColumn,
                    &format!("no column for {:?}", g.label()),
                    1,
                );
            }
        }
    }

    let mut cols = Columns::default();
    let mut cells = CellReader { log };
    for key in keys {
        let rows: [Option<&TableRow>; 4] = tables.map(|t| t.index.get(key).map(|&i| &t.rows[i]));
        let Some(first) = rows.iter().flatten().next() else {
            continue;
        };
        let identity = &first.identity;
        for (table, row) in [latest, previous, change, rates].iter().zip(&rows) {
            match row {
                None => cells.log.add(
                    &table.file,
                    None,
                    Kind::MissingFromTable,
                    &format!(
                        "{} ({}) is not in {}",
                        identity.area_name, identity.force_name, table.sheet
                    ),
                    1,
                ),
                Some(row) => {
                    let other = &row.identity;
                    if other.area_name != identity.area_name
                        || other.force_name != identity.force_name
                    {
                        cells.log.add(
                            &table.file,
                            Some(row.line),
                            Kind::NameDiffers,
                            &format!(
                                "{:?} ({}) here, {:?} ({}) in {}",
                                other.area_name,
                                other.force_name,
                                identity.area_name,
                                identity.force_name,
                                first_sheet(&rows, tables)
                            ),
                            1,
                        );
                    }
                }
            }
        }
        let [row_latest, row_previous, row_change, row_rates] = rows;

        let (population, population_marker) = match row_rates {
            Some(r) => cells.integer(rates, r, Measure::Population, "population"),
            None => (None, None),
        };
        let (households, households_marker) = match row_rates {
            Some(r) => cells.integer(rates, r, Measure::Households, "households"),
            None => (None, None),
        };

        for &group in &groups {
            let label = group.label();
            for year in [previous_year, latest_year] {
                let is_latest = year == latest_year;
                cols.area_code.push(identity.area_code.clone());
                cols.area_name.push(identity.area_name.clone());
                cols.level.push(identity.level);
                cols.force_name.push(identity.force_name.clone());
                cols.local_authority_code
                    .push(identity.local_authority_code.clone());
                cols.offence_group.push(label);
                cols.year_ending.push(year);

                let (table, row) = if is_latest {
                    (latest, row_latest)
                } else {
                    (previous, row_previous)
                };
                let (count, count_marker) = match row {
                    Some(r) => cells.integer(table, r, Measure::Group(group), label),
                    None => (None, None),
                };
                cols.count.push(count);
                cols.count_marker.push(count_marker);

                if !is_latest {
                    cols.population.push(None);
                    cols.population_marker.push(None);
                    cols.households.push(None);
                    cols.households_marker.push(None);
                    cols.percent.push(None);
                    cols.percent_marker.push(None);
                    cols.rate_population.push(None);
                    cols.rate_population_marker.push(None);
                    cols.rate_households.push(None);
                    cols.rate_households_marker.push(None);
                    continue;
                }
                cols.population.push(population);
                cols.population_marker.push(population_marker.clone());
                cols.households.push(households);
                cols.households_marker.push(households_marker.clone());

                let (pct, pct_marker) = match row_change {
                    Some(r) => cells.number(change, r, Measure::Group(group), label),
                    None => (None, None),
                };
                cols.percent.push(pct);
                cols.percent_marker.push(pct_marker);

                let (rate, rate_marker) = match row_rates {
                    Some(r) => cells.number(rates, r, Measure::Group(group), label),
                    None => (None, None),
                };
                cols.rate_population.push(rate);
                cols.rate_population_marker.push(rate_marker);

                let per_household = Measure::PerHousehold(group);
                let (rate_hh, rate_hh_marker) = match row_rates {
                    Some(r) if rates.measures.contains(&per_household) => {
                        cells.number(rates, r, per_household, label)
                    }
                    _ => (None, None),
                };
                cols.rate_households.push(rate_hh);
                cols.rate_households_marker.push(rate_hh_marker);
            }
        }
    }
    Ok(cols.into_frame()?)
}

fn first_sheet(rows: &[Option<&TableRow>], tables: [&Table; 4]) -> &'static str {
    rows.iter()
        .zip(tables)
        .find_map(|(r, t)| r.map(|_| t.sheet))
        .unwrap_or("Table C2")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        for m in ["[x]", "[X]", "[u]", "[u1]", "[U1]", "[c]"] {
            assert!(is_marker(m), "{m}");
        }
        for m in ["x", "[]", "[1]", "[note 1]", "[x", "[u1a]"] {
            assert!(!is_marker(m), "{m}");
        }
    }

    #[test]
    fn notes() {
        assert_eq!(
            strip_notes("Leicestershire [note 4]"),
            ("Leicestershire ".to_owned(), true)
        );
        assert_eq!(
            strip_notes("City of London[note 9]"),
            ("City of London".to_owned(), true)
        );
        assert_eq!(
            strip_notes("Table C2 [note 1][Note 2] x"),
            ("Table C2  x".to_owned(), true)
        );
        assert_eq!(strip_notes("[x]"), ("[x]".to_owned(), false));
        assert_eq!(strip_notes("a [b"), ("a [b".to_owned(), false));
    }

    #[test]
    fn headers() {
        assert_eq!(
            normalise_header("Police Force\n Area code"),
            "police force area code"
        );
        assert_eq!(
            split_rate_suffix("residential burglary (per 1,000 household)"),
            ("residential burglary", true)
        );
        assert_eq!(
            split_rate_suffix("residential burglary (per 1,000 population)"),
            ("residential burglary", false)
        );
        assert_eq!(split_rate_suffix("homicide"), ("homicide", false));
    }

    #[test]
    fn dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 12, 31), 20_088);
        assert_eq!(
            parse_year_ending("Table C2: … England and Wales, year ending December 2024 [note 1]"),
            Some(20_088)
        );
        assert_eq!(
            parse_year_ending("year ending Mar 2024"),
            Some(days_from_civil(2024, 3, 31))
        );
        assert_eq!(
            parse_year_ending("year ending February 2024"),
            Some(days_from_civil(2024, 2, 29))
        );
        assert_eq!(parse_year_ending("year ending soon"), None);
    }
}
