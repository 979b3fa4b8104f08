//! `read_ons_csp_tables` against the ONS workbook itself (skipped when `../shared` is absent, failed
//! when it is absent and `CRIMEPERF_REQUIRE_SHARED` is set: see `common/mod.rs`) and
//! against small workbooks written by the test (always run).
//!
//! The oracle is the workbook: ONS's own percent changes (Table C3) and rates (Table C4) must be
//! reproduced by the core from the counts (Tables C2 and C5) and the printed populations.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crimeperf::{Change, OffenceGroup, RateEstimator};
use crimeperf_polars::{read_ons_csp_tables, DataError, OnsCspTables};
use polars::prelude::*;

const TOTAL: &str = "Total recorded crime (excluding fraud)";

mod common;
use common::strings;

const WORKBOOK: &str =
    "data/raw/ons_pfa_csp_tables_ye_dec2024/policeforceareatablesyedecember2024.xlsx";

/// The tables read once for all tests; `None` (and a message) when the workbook is absent.
fn tables() -> Option<&'static OnsCspTables> {
    static TABLES: OnceLock<Option<OnsCspTables>> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            let path = common::shared_data(WORKBOOK)?;
            Some(read_ons_csp_tables(&path).expect("the ONS workbook reads"))
        })
        .as_ref()
}

/// One row of the tidy frame.
#[derive(Debug, Clone)]
struct Row {
    area_code: Option<String>,
    area_name: String,
    level: String,
    force_name: String,
    local_authority_code: Option<String>,
    offence_group: String,
    year: i32,
    count: Option<i64>,
    count_marker: Option<String>,
    population: Option<i64>,
    population_marker: Option<String>,
    households: Option<i64>,
    households_marker: Option<String>,
    percent: Option<f64>,
    percent_marker: Option<String>,
    rate_population: Option<f64>,
    rate_population_marker: Option<String>,
    rate_households: Option<f64>,
    rate_households_marker: Option<String>,
}

fn ints(frame: &DataFrame, name: &str) -> Vec<Option<i64>> {
    frame.column(name).unwrap().i64().unwrap().iter().collect()
}

fn floats(frame: &DataFrame, name: &str) -> Vec<Option<f64>> {
    frame.column(name).unwrap().f64().unwrap().iter().collect()
}

fn rows(frame: &DataFrame) -> Vec<Row> {
    let years: Vec<i32> = frame
        .column("year_ending")
        .unwrap()
        .date()
        .unwrap()
        .physical()
        .iter()
        .map(|d| d.unwrap())
        .collect();
    let area_code = strings(frame, "area_code");
    let area_name = strings(frame, "area_name");
    let level = strings(frame, "level");
    let force_name = strings(frame, "force_name");
    let la = strings(frame, "local_authority_code");
    let group = strings(frame, "offence_group");
    let count = ints(frame, "count");
    let count_marker = strings(frame, "count_marker");
    let population = ints(frame, "population");
    let population_marker = strings(frame, "population_marker");
    let households = ints(frame, "households");
    let households_marker = strings(frame, "households_marker");
    let percent = floats(frame, "ons_percent_change");
    let percent_marker = strings(frame, "ons_percent_change_marker");
    let rate_population = floats(frame, "ons_rate_per_1000_population");
    let rate_population_marker = strings(frame, "ons_rate_per_1000_population_marker");
    let rate_households = floats(frame, "ons_rate_per_1000_households");
    let rate_households_marker = strings(frame, "ons_rate_per_1000_households_marker");
    (0..frame.height())
        .map(|i| Row {
            area_code: area_code[i].clone(),
            area_name: area_name[i].clone().unwrap(),
            level: level[i].clone().unwrap(),
            force_name: force_name[i].clone().unwrap(),
            local_authority_code: la[i].clone(),
            offence_group: group[i].clone().unwrap(),
            // 2023-12-31 is day 19722 after 1970-01-01, 2024-12-31 day 20088.
            year: match years[i] {
                19_722 => 2023,
                20_088 => 2024,
                other => panic!("unexpected year_ending day {other}"),
            },
            count: count[i],
            count_marker: count_marker[i].clone(),
            population: population[i],
            population_marker: population_marker[i].clone(),
            households: households[i],
            households_marker: households_marker[i].clone(),
            percent: percent[i],
            percent_marker: percent_marker[i].clone(),
            rate_population: rate_population[i],
            rate_population_marker: rate_population_marker[i].clone(),
            rate_households: rate_households[i],
            rate_households_marker: rate_households_marker[i].clone(),
        })
        .collect()
}

/// (level, force, area, group, year) -> row. The level tells a force from its namesake CSP
/// (Dorset, Wiltshire).
type Index<'a> = HashMap<(&'a str, &'a str, &'a str, &'a str, i32), &'a Row>;

fn index(rows: &[Row]) -> Index<'_> {
    let mut out = HashMap::new();
    for r in rows {
        let key = (
            r.level.as_str(),
            r.force_name.as_str(),
            r.area_name.as_str(),
            r.offence_group.as_str(),
            r.year,
        );
        assert!(out.insert(key, r).is_none(), "two rows for {key:?}");
    }
    out
}

fn total(rows: &[Row], code: &str, year: i32) -> Option<i64> {
    let hits: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            r.area_code.as_deref() == Some(code) && r.offence_group == TOTAL && r.year == year
        })
        .collect();
    assert_eq!(hits.len(), 1, "{code} {year}");
    hits[0].count
}

fn log_rows(tables: &OnsCspTables, kind: &str) -> Vec<(String, Option<u64>, String, u64)> {
    let log = &tables.log;
    let kinds = strings(log, "kind");
    let files = strings(log, "file");
    let details = strings(log, "detail");
    let lines: Vec<Option<u64>> = log.column("line").unwrap().u64().unwrap().iter().collect();
    let counts: Vec<Option<u64>> = log.column("count").unwrap().u64().unwrap().iter().collect();
    (0..log.height())
        .filter(|&i| kinds[i].as_deref() == Some(kind))
        .map(|i| {
            let file = files[i].clone().unwrap();
            let sheet = file.rsplit('!').next().unwrap().to_owned();
            (
                sheet,
                lines[i],
                details[i].clone().unwrap(),
                counts[i].unwrap(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The ONS workbook
// ---------------------------------------------------------------------------------------------

#[test]
fn rochford_and_essex_totals() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    // PROVENANCE.md and the issue: Rochford 4,445 (2023) and 4,208 (2024); Essex 156,845 and
    // 147,943 (also Table P1/P4).
    assert_eq!(total(&rows, "E22000088", 2023), Some(4445));
    assert_eq!(total(&rows, "E22000088", 2024), Some(4208));
    assert_eq!(total(&rows, "E23000028", 2023), Some(156_845));
    assert_eq!(total(&rows, "E23000028", 2024), Some(147_943));

    let rochford = rows
        .iter()
        .find(|r| {
            r.area_code.as_deref() == Some("E22000088")
                && r.offence_group == TOTAL
                && r.year == 2024
        })
        .unwrap();
    assert_eq!(rochford.area_name, "Rochford");
    assert_eq!(rochford.level, "csp");
    assert_eq!(rochford.force_name, "Essex");
    assert_eq!(rochford.local_authority_code.as_deref(), Some("E07000075"));
    assert_eq!(rochford.population, Some(87_200));
    assert_eq!(rochford.households, Some(35_600));
    assert_eq!(format!("{:.2}", rochford.percent.unwrap()), "-5.33");
    assert_eq!(format!("{:.2}", rochford.rate_population.unwrap()), "48.25");
    // Only residential burglary has a rate per household; no marker where none is published.
    assert_eq!(rochford.rate_households, None);
    assert_eq!(rochford.rate_households_marker, None);

    let essex = rows
        .iter()
        .find(|r| r.area_code.as_deref() == Some("E23000028") && r.year == 2024)
        .unwrap();
    assert_eq!(
        (essex.level.as_str(), essex.area_name.as_str()),
        ("force", "Essex")
    );
    assert_eq!(essex.local_authority_code, None);
}

/// A percent change in tenths as a spreadsheet prints it to one decimal place: snapped to 1e-9
/// (Excel shows 15 significant digits, so -7.249999999999999 prints as -7.3), then rounded half
/// away from zero. Plain `format!("{:.1}")` would print ties such as Watford's burglary
/// (393 against 400: exactly -1.75%) as -1.7 or -1.8 depending on the last bit of the float.
fn printed_tenths(percent: f64) -> i64 {
    ((percent * 10.0 * 1e9).round() / 1e9).round() as i64
}

/// The exact percent change in tenths, rounded half away from zero, in integers.
fn exact_tenths(current: i64, previous: i64) -> i64 {
    let (num, den) = (2000 * (current - previous), previous);
    // |2x| truncated is t: x rounds to t/2 when t is even and to (t+1)/2 when t is odd.
    let twice = num / den;
    (twice + twice.signum() * (twice % 2).abs()) / 2
}

#[test]
fn exact_tenths_round_half_away_from_zero() {
    assert_eq!(exact_tenths(393, 400), -18); // -1.75
    assert_eq!(exact_tenths(742, 800), -73); // -7.25
    assert_eq!(exact_tenths(421, 400), 53); // 5.25
    assert_eq!(exact_tenths(4208, 4445), -53); // -5.3318
    assert_eq!(exact_tenths(401, 400), 3); // 0.25
    assert_eq!(exact_tenths(400, 400), 0);
    assert_eq!(printed_tenths(-1.749_999_999_999_996), -18);
    assert_eq!(printed_tenths(-7.249_999_999_999_999), -73);
    assert_eq!(printed_tenths(-5.331_833_520_809_899), -53);
}

#[test]
fn percent_changes_reproduce_table_c3() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    let by_key = index(&rows);
    let (mut checked, mut csps, mut small_base) = (0, 0, 0);
    for r in rows.iter().filter(|r| r.year == 2024) {
        let previous = by_key[&(
            r.level.as_str(),
            r.force_name.as_str(),
            r.area_name.as_str(),
            r.offence_group.as_str(),
            2023,
        )];
        let (Some(current), Some(before)) = (r.count, previous.count) else {
            // Unassigned Gwent (2023 empty) and unassigned Surrey (empty): nothing printed.
            assert_eq!(
                (r.percent, r.percent_marker.as_deref()),
                (None, None),
                "{r:?}"
            );
            continue;
        };
        match (r.percent, r.percent_marker.as_deref()) {
            (Some(ons), None) => {
                let ours = Change::new(current, before).unwrap().percent.unwrap();
                assert!(
                    (ours - ons).abs() <= 1e-9 * ons.abs() + 1e-12,
                    "{} {}: ours {ours}, ONS {ons}",
                    r.area_name,
                    r.offence_group
                );
                // To the printed precision: one decimal place as Excel shows it.
                let tenths = printed_tenths(ours);
                assert_eq!(tenths, printed_tenths(ons), "{r:?}: ours {ours}");
                assert_eq!(tenths, exact_tenths(current, before), "{r:?}");
                checked += 1;
                csps += usize::from(r.level == "csp");
            }
            // ONS suppresses a change when either year has fewer than 50 crimes.
            (None, Some("[u]")) => {
                assert!(current < 50 || before < 50, "{r:?} {before}");
                small_base += 1;
            }
            // Not calculated for Unassigned rows (ONS note 5).
            (None, Some("[x]")) => assert_eq!(r.level, "unassigned", "{r:?}"),
            other => panic!("unexpected percent change {other:?} in {r:?}"),
        }
        if r.percent.is_some() {
            assert!(current >= 50 && before >= 50, "{r:?}");
        }
    }
    // Counted in the workbook with a separate script: 7,088 printed changes, 1,123 [u].
    assert_eq!(checked, 7088);
    assert_eq!(small_base, 1123);
    assert!(csps > 6000, "{csps} CSP changes checked");
}

#[test]
fn rates_reproduce_table_c4_within_population_rounding() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    let per_1000 = RateEstimator::default();
    let (mut by_population, mut by_households) = (0, 0);
    for r in rows.iter().filter(|r| r.year == 2024) {
        // The printed denominators are rounded to 100: ±50 around ONS's unrounded ones.
        for (ons, denominator, n) in [
            (r.rate_population, r.population, &mut by_population),
            (r.rate_households, r.households, &mut by_households),
        ] {
            let Some(ons) = ons else { continue };
            let denominator = denominator.unwrap() as f64;
            let ours = per_1000.rate(r.count.unwrap(), denominator).unwrap().value;
            assert!(
                (ours - ons).abs() <= 50.0 / denominator * ons + 1e-12,
                "{} {}: ours {ours}, ONS {ons}, denominator {denominator}",
                r.area_name,
                r.offence_group
            );
            *n += 1;
        }
    }
    // 355 areas with populations (every area but the 42 unassigned, Manchester Airport and
    // the City of London) × 23 groups; residential burglary alone per household.
    assert_eq!(by_population, 355 * 23);
    assert_eq!(by_households, 355);
}

#[test]
fn row_counts_by_level() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    assert_eq!(tables.frame.height(), 399 * 23 * 2);
    let mut areas: BTreeMap<&str, usize> = BTreeMap::new();
    let mut countries: BTreeMap<char, usize> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.year == 2024 && r.offence_group == TOTAL)
    {
        *areas.entry(r.level.as_str()).or_default() += 1;
        if r.level == "csp" {
            let code = r.area_code.as_deref().unwrap();
            assert!(code.starts_with("E22") || code.starts_with("W14"), "{code}");
            *countries.entry(code.chars().next().unwrap()).or_default() += 1;
        }
    }
    // 293 English and 21 Welsh CSPs; 42 force total rows (the City of London force has none:
    // its one CSP is the whole force); one "Unassigned" row for each of those 42 forces; and
    // Manchester Airport. No England or Wales total rows in the CSP tables.
    assert_eq!(countries, BTreeMap::from([('E', 293), ('W', 21)]));
    assert_eq!(
        areas,
        BTreeMap::from([
            ("csp", 314),
            ("force", 42),
            ("other", 1),
            ("unassigned", 42)
        ])
    );
    // Both years for every area and group.
    for year in [2023, 2024] {
        assert_eq!(rows.iter().filter(|r| r.year == year).count(), 399 * 23);
    }
    let airport: Vec<&Row> = rows.iter().filter(|r| r.level == "other").collect();
    assert!(airport.iter().all(|r| r.area_name == "Manchester Airport"
        && r.area_code.is_none()
        && r.force_name == "Greater Manchester"));
}

#[test]
fn names_and_codes_are_cleaned() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    for r in &rows {
        for name in [&r.area_name, &r.force_name] {
            assert_eq!(name.trim(), name, "{r:?}");
            assert!(!name.to_lowercase().contains("[note"), "{r:?}");
        }
        if let Some(la) = &r.local_authority_code {
            assert!(la.starts_with('E') || la.starts_with('W'), "{r:?}");
        }
    }
    let find = |name: &str| rows.iter().find(|r| r.area_name == name).unwrap();
    assert_eq!(
        find("Vale of Glamorgan").area_code.as_deref(),
        Some("W14000014")
    );
    assert_eq!(
        find("Leicestershire").area_code.as_deref(),
        Some("E23000021")
    );
    assert_eq!(find("Wiltshire").force_name, "Wiltshire");
    // CSPs made of several local authorities have no single local authority code.
    for csp in [
        "Cwm Taf",
        "East and Mid Devon",
        "Western Suffolk",
        "North Worcestershire",
    ] {
        let r = find(csp);
        assert_eq!(
            (r.level.as_str(), r.local_authority_code.as_deref()),
            ("csp", None)
        );
    }
    let combined = log_rows(tables, "combined_local_authorities");
    assert_eq!(
        combined
            .iter()
            .filter(|(sheet, ..)| sheet == "Table C2")
            .map(|(.., n)| n)
            .sum::<u64>(),
        11
    );
    let notes = log_rows(tables, "note_removed");
    assert!(notes
        .iter()
        .any(|(sheet, _, detail, _)| sheet == "Table C4"
            && detail.contains("City of London[note 9]")));
}

#[test]
fn suppression_markers_are_kept() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    let mut markers: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in &rows {
        for (column, marker) in [
            ("count", &r.count_marker),
            ("percent", &r.percent_marker),
            ("rate_population", &r.rate_population_marker),
            ("rate_households", &r.rate_households_marker),
        ] {
            if let Some(m) = marker {
                *markers.entry((column, m.as_str())).or_default() += 1;
            }
        }
        // A marker never sits beside a value.
        assert!(!(r.count.is_some() && r.count_marker.is_some()));
        assert!(!(r.percent.is_some() && r.percent_marker.is_some()));
        assert!(!(r.rate_population.is_some() && r.rate_population_marker.is_some()));
        assert!(!(r.population.is_some() && r.population_marker.is_some()));
    }
    // Counted in the workbook with a separate script. Table C3: 1,123 [u] and 920 [x] (the 40
    // unassigned rows with values × 23). Table C4: [u1] for the City of London (23 groups + the
    // household rate); [x] for Manchester Airport and the 40 unassigned rows with values
    // (23 + 1 each); the unassigned rows of Gwent and Surrey have empty rate cells.
    assert_eq!(
        markers,
        BTreeMap::from([
            (("percent", "[u]"), 1123),
            (("percent", "[x]"), 920),
            (("rate_households", "[u1]"), 1),
            (("rate_households", "[x]"), 41),
            (("rate_population", "[u1]"), 23),
            (("rate_population", "[x]"), 41 * 23),
        ])
    );
    // Population and households: "[X]" on 10 unassigned rows and "[x]" on the others, all
    // lowercased.
    let mut population: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.year == 2024 && r.offence_group == TOTAL)
    {
        if let Some(m) = &r.population_marker {
            *population.entry(m.as_str()).or_default() += 1;
            assert!(matches!(r.level.as_str(), "unassigned" | "other"), "{r:?}");
            assert_eq!(r.households_marker.as_deref(), Some("[x]"));
        }
    }
    assert_eq!(population, BTreeMap::from([("[x]", 43)]));
    let case = log_rows(tables, "marker_case");
    assert_eq!(case.len(), 1);
    assert_eq!((case[0].0.as_str(), case[0].3), ("Table C4", 20));
}

#[test]
fn unassigned_rows_are_kept_and_labelled() {
    let Some(tables) = tables() else { return };
    let rows = rows(&tables.frame);
    let unassigned: Vec<&Row> = rows.iter().filter(|r| r.level == "unassigned").collect();
    assert!(unassigned.iter().all(|r| r.area_code.is_none()
        && r.local_authority_code.is_none()
        && r.area_name.to_lowercase() == format!("unassigned {}", r.force_name.to_lowercase())));
    // "unassigned Surrey": every cell empty in C2, C3 and C5, [x] population in C4.
    let surrey: Vec<&&Row> = unassigned
        .iter()
        .filter(|r| r.force_name == "Surrey")
        .collect();
    assert_eq!(surrey.len(), 46);
    assert!(surrey.iter().all(|r| r.area_name == "unassigned Surrey"
        && r.count.is_none()
        && r.count_marker.is_none()));
    // Unassigned Gwent: 1 crime in 2024, empty cells in 2023.
    let gwent = |year| {
        unassigned
            .iter()
            .find(|r| r.force_name == "Gwent" && r.offence_group == TOTAL && r.year == year)
            .unwrap()
    };
    assert_eq!((gwent(2023).count, gwent(2024).count), (None, Some(1)));
    // Both rows carry another force's code in the workbook; the log says so.
    let mismatches = log_rows(tables, "force_code_mismatch");
    for force in ["Gwent", "Surrey"] {
        assert_eq!(
            mismatches
                .iter()
                .filter(|(_, _, d, _)| d.contains(force))
                .count(),
            4,
            "{mismatches:?}"
        );
    }
    let without_total = log_rows(tables, "force_without_total_row");
    assert!(without_total
        .iter()
        .all(|(_, _, d, _)| d.starts_with("City of London")));
    let empty = log_rows(tables, "empty_cells");
    assert!(empty.iter().any(|(sheet, line, d, n)| sheet == "Table C5"
        && *line == Some(129)
        && d.starts_with("Unassigned Gwent")
        && *n == 23));
}

#[test]
fn every_offence_group_header_parses() {
    let Some(tables) = tables() else { return };
    let groups: Vec<String> = strings(&tables.frame, "offence_group")
        .into_iter()
        .flatten()
        .collect();
    for g in &groups {
        assert_eq!(g.parse::<OffenceGroup>().unwrap().label(), g);
    }
    let distinct: std::collections::BTreeSet<&str> = groups.iter().map(String::as_str).collect();
    let all: std::collections::BTreeSet<&str> =
        OffenceGroup::ALL.iter().map(|g| g.label()).collect();
    assert_eq!(distinct, all);
}

#[test]
fn frame_schema() {
    let Some(tables) = tables() else { return };
    let schema: Vec<(String, DataType)> = tables
        .frame
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.dtype().clone()))
        .collect();
    let s = DataType::String;
    let expected = [
        ("area_code", s.clone()),
        ("area_name", s.clone()),
        ("level", s.clone()),
        ("force_name", s.clone()),
        ("local_authority_code", s.clone()),
        ("offence_group", s.clone()),
        ("year_ending", DataType::Date),
        ("count", DataType::Int64),
        ("count_marker", s.clone()),
        ("population", DataType::Int64),
        ("population_marker", s.clone()),
        ("households", DataType::Int64),
        ("households_marker", s.clone()),
        ("ons_percent_change", DataType::Float64),
        ("ons_percent_change_marker", s.clone()),
        ("ons_rate_per_1000_population", DataType::Float64),
        ("ons_rate_per_1000_population_marker", s.clone()),
        ("ons_rate_per_1000_households", DataType::Float64),
        ("ons_rate_per_1000_households_marker", s.clone()),
    ];
    let expected: Vec<(String, DataType)> = expected
        .into_iter()
        .map(|(n, t)| (n.to_owned(), t))
        .collect();
    assert_eq!(schema, expected);
    let log: Vec<String> = tables
        .log
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(log, ["file", "line", "kind", "detail", "count", "action"]);
}

// ---------------------------------------------------------------------------------------------
// Bad input and small hand-made workbooks (always run)
// ---------------------------------------------------------------------------------------------

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crimeperf-ons-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn missing_path_is_an_io_error_naming_it() {
    let path = scratch("does-not-exist.xlsx");
    match read_ons_csp_tables(&path) {
        Err(DataError::Io { path: p, source }) => {
            assert_eq!(p, path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected DataError::Io, got {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_xlsx_is_a_workbook_error_naming_it() {
    let path = scratch("not-a-workbook.xlsx");
    std::fs::write(&path, "Police Force Area code,Police Force Area name\n").unwrap();
    let err = read_ons_csp_tables(&path).unwrap_err();
    match &err {
        DataError::Workbook { path: p, reason } => {
            assert_eq!(p, &path);
            assert!(reason.contains("not an xlsx"), "{reason}");
        }
        other => panic!("expected DataError::Workbook, got {other:?}"),
    }
    assert!(err.to_string().contains("not-a-workbook.xlsx"), "{err}");
}

/// A cell of a hand-made sheet.
#[derive(Clone)]
enum C {
    S(&'static str),
    N(f64),
    E,
}

/// Writes an xlsx with the given sheets, cells as inline strings and numbers.
fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    fn column(mut i: usize) -> String {
        let mut s = String::new();
        loop {
            s.insert(0, (b'A' + (i % 26) as u8) as char);
            if i < 26 {
                return s;
            }
            i = i / 26 - 1;
        }
    }
    let file = std::fs::File::create(path).unwrap();
    let mut zip = ::zip::ZipWriter::new(file);
    let options = ::zip::write::SimpleFileOptions::default()
        .compression_method(::zip::CompressionMethod::Stored);
    let mut put = |name: &str, body: &str| {
        zip.start_file(name, options).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    };
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        book.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(name)
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        let mut sheet = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        );
        for (r, row) in rows.iter().enumerate() {
            sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", column(c), r + 1);
                match cell {
                    C::S(s) => sheet.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                        escape(s)
                    )),
                    C::N(x) => sheet.push_str(&format!(r#"<c r="{at}"><v>{x}</v></c>"#)),
                    C::E => {}
                }
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        put(&format!("xl/worksheets/sheet{n}.xml"), &sheet);
    }
    types.push_str("</Types>");
    book.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    put("[Content_Types].xml", &types);
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put("xl/workbook.xml", &book);
    put("xl/_rels/workbook.xml.rels", &rels);
    zip.finish().unwrap();
}

const IDS: [&str; 6] = [
    "Police Force\nArea code",
    "Police Force\n Area name",
    "Community Safety\nPartnership code",
    "Community Safety\nPartnership name",
    "Local Authority code",
    "Local Authority name",
];

/// A small table: title, blank line, header, and rows of (ids, values).
fn table(
    title: &'static str,
    extra: &[&'static str],
    groups: &[&'static str],
    body: Vec<Vec<C>>,
) -> Vec<Vec<C>> {
    let mut out = vec![vec![C::S(title)], vec![C::S("Source: Home Office")]];
    let header: Vec<C> = IDS
        .iter()
        .chain(extra)
        .chain(groups)
        .map(|s| C::S(s))
        .collect();
    out.push(header);
    out.extend(body);
    out
}

fn ids(
    force_code: &'static str,
    force: &'static str,
    code: &'static str,
    name: &'static str,
    la: &'static str,
) -> Vec<C> {
    [force_code, force, code, name, la, name]
        .into_iter()
        .map(|s| if s.is_empty() { C::E } else { C::S(s) })
        .collect()
}

fn with(mut ids: Vec<C>, values: &[C]) -> Vec<C> {
    ids.extend_from_slice(values);
    ids
}

#[test]
fn a_hand_made_workbook_reads_with_its_quirks_logged() {
    use C::{E, N, S};
    let groups = [
        "Total recorded crime\n (excluding fraud)",
        "Homicide [note 3]",
    ];
    let c4_groups = [
        "Total recorded crime\n (excluding fraud)",
        "Homicide",
        "Residential burglary (per 1,000 household)",
    ];
    let force = || ids("E23000028", "Essex ", "", "", "");
    let rochford = || ids("E23000028", "Essex", "E22000088", "Rochford", "E07000075");
    let combined = || {
        ids(
            "E23000028",
            "Essex",
            "E22000999",
            "Combined [note 2]",
            "Combined Local Authorities",
        )
    };
    // Printed with another force's code, and lower case, as "unassigned Surrey" is.
    let unassigned = || ids("E23000099", "Essex", "", "unassigned Essex", "");
    let c2 = table(
        "Table C2: counts, England and Wales, year ending December 2024",
        &[],
        &groups,
        vec![
            with(force(), &[N(100.0), N(1.0)]),
            with(rochford(), &[N(60.0), S("[X]")]),
            with(combined(), &[N(30.0), S("n/a")]),
            with(unassigned(), &[N(10.0), N(-1.0)]),
            vec![S("Footnote: figures are provisional")],
        ],
    );
    let c5 = table(
        "Table C5: counts, year ending December 2023",
        &[],
        &groups,
        vec![
            with(force(), &[N(90.0), N(0.0)]),
            with(rochford(), &[N(55.0), N(0.5)]),
            with(unassigned(), &[E, E]),
        ],
    );
    let c3 = table(
        "Table C3: percent change, year ending December 2023 and year ending December 2024",
        &[],
        &groups,
        vec![
            with(force(), &[N(11.111), S("[u]")]),
            with(rochford(), &[N(9.0909), S("[u]")]),
            with(combined(), &[S("[x]"), S("[u]")]),
            with(unassigned(), &[S("[x]"), S("[x]")]),
        ],
    );
    let c4 = table(
        "Table C4: rates, year ending December 2024",
        &[
            "Population figures\n (mid-2022) \n- rounded to 100",
            "Household figures\n (mid-2021)\n - rounded to 100",
        ],
        &c4_groups,
        vec![
            with(force(), &[N(2000.0), N(800.0), N(50.0), N(0.5), N(1.25)]),
            with(
                rochford(),
                &[N(1000.0), N(400.0), N(60.0), S("[u1]"), N(2.5)],
            ),
            with(combined(), &[N(1000.0), N(400.0), N(30.0), N(0.0), N(0.0)]),
            with(
                unassigned(),
                &[S("[X]"), S("[x]"), S("[x]"), S("[x]"), S("[x]")],
            ),
        ],
    );
    let path = scratch("hand-made.xlsx");
    write_xlsx(
        &path,
        &[
            (
                "Cover_sheet",
                vec![vec![S("Police force area data tables")]],
            ),
            ("Table C2", c2),
            ("Table C3", c3),
            ("Table C4 ", c4),
            ("Table C5", c5),
        ],
    );
    let tables = read_ons_csp_tables(&path).unwrap();
    let rows = rows(&tables.frame);
    // Three groups: residential burglary comes in with its rate per household alone.
    assert_eq!(rows.len(), 4 * 3 * 2);
    let by = index(&rows);
    let level = |area: &str| match area {
        "Essex" => "force",
        "unassigned Essex" => "unassigned",
        _ => "csp",
    };
    let get = |area: &str, group: &str, year| {
        *by.get(&(level(area), "Essex", area, group, year)).unwrap()
    };

    let r = get("Rochford", TOTAL, 2024);
    assert_eq!(
        (r.count, r.population, r.households),
        (Some(60), Some(1000), Some(400))
    );
    assert_eq!((r.percent, r.rate_population), (Some(9.0909), Some(60.0)));
    let r = get("Rochford", "Homicide", 2024);
    assert_eq!((r.count, r.count_marker.as_deref()), (None, Some("[x]")));
    assert_eq!(r.rate_population_marker.as_deref(), Some("[u1]"));
    assert_eq!(r.rate_households, None);
    let r = get("Rochford", "Residential burglary", 2024);
    assert_eq!((r.count, r.rate_households), (None, Some(2.5)));
    assert_eq!(
        get("Rochford", "Residential burglary", 2023).rate_households,
        None
    );
    assert_eq!(get("Rochford", TOTAL, 2023).population, None);

    let f = get("Essex", TOTAL, 2024);
    assert_eq!(
        (f.level.as_str(), f.area_code.as_deref()),
        ("force", Some("E23000028"))
    );
    let c = get("Combined", TOTAL, 2024);
    assert_eq!(
        (c.level.as_str(), c.local_authority_code.as_deref()),
        ("csp", None)
    );
    assert_eq!(get("Combined", "Homicide", 2024).count, None);
    assert_eq!(get("Combined", TOTAL, 2023).count, None); // not in C5

    let u = get("unassigned Essex", "Homicide", 2024);
    assert_eq!(
        (u.level.as_str(), u.area_code.as_deref(), u.count),
        ("unassigned", None, Some(-1))
    );
    assert_eq!(u.population_marker.as_deref(), Some("[x]"));
    assert_eq!(get("unassigned Essex", TOTAL, 2023).count, None);

    let kinds: BTreeMap<String, u64> = {
        let k = strings(&tables.log, "kind");
        let n: Vec<Option<u64>> = tables
            .log
            .column("count")
            .unwrap()
            .u64()
            .unwrap()
            .iter()
            .collect();
        let mut m = BTreeMap::new();
        for (k, n) in k.into_iter().zip(n) {
            *m.entry(k.unwrap()).or_default() += n.unwrap();
        }
        m
    };
    for kind in [
        "area_without_code",
        "combined_local_authorities",
        "empty_cells",
        "force_code_mismatch",
        "marker_case",
        "missing_from_table",
        "name_whitespace",
        "negative_count",
        "non_integer_value",
        "note_removed",
        "population_vintage",
        "stray_row",
        "suppression_marker",
        "unexpected_text",
    ] {
        assert!(kinds.contains_key(kind), "no {kind} in {kinds:?}");
    }
    let text = log_rows(&tables, "unexpected_text");
    assert!(text[0].2.contains("\"n/a\""), "{text:?}");
    let non_integer = log_rows(&tables, "non_integer_value");
    assert_eq!(
        (non_integer[0].0.as_str(), non_integer[0].1),
        ("Table C5", Some(5))
    );
    let missing = log_rows(&tables, "missing_from_table");
    assert!(missing[0].2.contains("Combined") && missing[0].0 == "Table C5");
}

#[test]
fn a_workbook_without_the_csp_tables_is_a_workbook_error() {
    let path = scratch("no-csp-tables.xlsx");
    write_xlsx(
        &path,
        &[("Table P1", vec![vec![C::S("Police Force Area code")]])],
    );
    match read_ons_csp_tables(&path) {
        Err(DataError::Workbook { path: p, reason }) => {
            assert_eq!(p, path);
            assert!(reason.contains("Table C2"), "{reason}");
        }
        other => panic!("expected DataError::Workbook, got {other:?}"),
    }
}

#[test]
fn an_unknown_offence_group_header_is_a_workbook_error() {
    use C::N;
    let body = || vec![with(ids("E23000028", "Essex", "", "", ""), &[N(1.0)])];
    let sheet = |title| table(title, &[], &["Fraud and computer misuse"], body());
    let path = scratch("unknown-group.xlsx");
    write_xlsx(
        &path,
        &[
            ("Table C2", sheet("year ending December 2024")),
            ("Table C3", sheet("")),
            ("Table C4", sheet("")),
            ("Table C5", sheet("year ending December 2023")),
        ],
    );
    match read_ons_csp_tables(&path) {
        Err(DataError::Workbook { reason, .. }) => {
            assert!(
                reason.contains("Table C2") && reason.contains("Fraud and computer misuse"),
                "{reason}"
            );
        }
        other => panic!("expected DataError::Workbook, got {other:?}"),
    }
}
