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

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use calamine::{Reader, Xlsx};
use polars::prelude::*;

use crate::error::{DataError, Result};

mod assemble;
mod cells;
mod identity;
mod log;
mod table;

use assemble::assemble;
use log::{Kind, Log};
use table::{Role, TableReader};

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
/// ```
/// use crimeperf_polars::read_ons_csp_tables;
///
/// # // As in `read_ons_csp_tables`: ../shared, or CRIMEPERF_SHARED; required in CI.
/// # let shared = std::env::var_os("CRIMEPERF_SHARED").filter(|d| !d.is_empty()).map_or_else(
/// #     || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
/// #     std::path::PathBuf::from,
/// # );
/// # let path = shared.join("data/raw/ons_pfa_csp_tables_ye_dec2024/policeforceareatablesyedecember2024.xlsx");
/// # if !path.exists() && std::env::var("CRIMEPERF_REQUIRE_SHARED").map_or(true, |v| v.is_empty() || v == "0") {
/// #     return Ok(());
/// # }
/// let tables = read_ons_csp_tables(path)?; // policeforceareatablesyedecember2024.xlsx
/// assert_eq!(tables.frame.column("year_ending")?.n_unique()?, 2);
/// println!("{}", tables.frame.head(Some(5)));
/// println!("{}", tables.log);
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
/// ```
/// use crimeperf_polars::read_ons_csp_tables;
/// use polars::prelude::*;
///
/// # // The workbook is in ../shared beside the repository (or CRIMEPERF_SHARED); CI sets
/// # // CRIMEPERF_REQUIRE_SHARED so that this example fails there rather than passing unrun.
/// # let shared = std::env::var_os("CRIMEPERF_SHARED").filter(|d| !d.is_empty()).map_or_else(
/// #     || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
/// #     std::path::PathBuf::from,
/// # );
/// # let path = shared.join("data/raw/ons_pfa_csp_tables_ye_dec2024/policeforceareatablesyedecember2024.xlsx");
/// # if !path.exists() && std::env::var("CRIMEPERF_REQUIRE_SHARED").map_or(true, |v| v.is_empty() || v == "0") {
/// #     return Ok(());
/// # }
/// let tables = read_ons_csp_tables(path)?; // policeforceareatablesyedecember2024.xlsx
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
    read_workbook(BufReader::new(file), path)
}

/// [`read_ons_csp_tables`] on a workbook's bytes from any reader; `path` names it in errors and
/// the log.
pub(crate) fn read_workbook<RS: std::io::Read + std::io::Seek>(
    reader: RS,
    path: &Path,
) -> Result<OnsCspTables> {
    let mut workbook: Xlsx<_> = Xlsx::new(reader).map_err(|e| match e {
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
