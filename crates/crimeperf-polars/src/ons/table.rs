//! One table of the workbook (C2, C3, C4 or C5): its header, the year it ends, its value
//! columns and its rows, each with the area it describes.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use crimeperf::OffenceGroup;

use super::cells::{
    cell_text, cell_value, normalise_header, parse_year_ending, split_rate_suffix, tidy_header,
    Value,
};
use super::identity::{check_force_codes, identify, Identity};
use super::log::{Kind, Log};
use super::workbook_error;
use crate::error::{DataError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
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
    pub(super) fn sheet(self) -> &'static str {
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
pub(super) enum Measure {
    /// Count, percent change or rate per 1,000 population of a group (by the table's role).
    Group(OffenceGroup),
    /// Rate per 1,000 households of a group (Table C4).
    PerHousehold(OffenceGroup),
    Population,
    Households,
}

/// How rows are matched across tables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    /// A CSP code, or a force code on a force total row.
    Code(String),
    /// Force name and area name, lowercased, for rows without a code.
    Name(String, String),
}

#[derive(Debug)]
pub(super) struct TableRow {
    pub(super) line: u64,
    pub(super) key: Key,
    pub(super) identity: Identity,
    pub(super) values: HashMap<Measure, Value>,
}

#[derive(Debug)]
pub(super) struct Table {
    pub(super) sheet: &'static str,
    /// `<path>!<sheet>`, for the log.
    pub(super) file: String,
    pub(super) year_ending: Option<i32>,
    pub(super) measures: Vec<Measure>,
    pub(super) population_header: Option<String>,
    pub(super) households_header: Option<String>,
    pub(super) rows: Vec<TableRow>,
    pub(super) index: HashMap<Key, usize>,
}

const ID_HEADERS: [&str; 6] = [
    "police force area code",
    "police force area name",
    "community safety partnership code",
    "community safety partnership name",
    "local authority code",
    "local authority name",
];

pub(super) struct TableReader<'a> {
    pub(super) path: &'a Path,
}

impl TableReader<'_> {
    fn error(&self, reason: String) -> DataError {
        workbook_error(self.path, reason)
    }

    pub(super) fn read<RS: std::io::Read + std::io::Seek>(
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
