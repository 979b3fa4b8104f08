//! The four tables joined by area into the tidy frame: one row per area, offence group and year.

use std::collections::HashMap;

use crimeperf::OffenceGroup;
use polars::prelude::*;

use super::cells::Value;
use super::log::{Kind, Log};
use super::table::{Key, Measure, Table, TableRow};
use crate::error::Result;

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

pub(super) fn assemble(
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
