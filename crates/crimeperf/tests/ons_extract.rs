//! The bundled ONS extract (`data/ons_csp_essex_ye_dec2024.csv`) as an oracle: ONS's own printed
//! percent changes and rates, and the offence-group hierarchy that must add up.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::collections::HashMap;

use crimeperf::{Change, OffenceGroup, RateEstimator};

#[derive(Debug, serde::Deserialize)]
struct Row {
    area_code: String,
    area_name: String,
    level: String,
    offence_group: String,
    count_2023: i64,
    count_2024: i64,
    ons_percent_change: Option<f64>,
    population: Option<f64>,
    ons_rate_per_1000_population: Option<f64>,
}

fn rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/ons_csp_essex_ye_dec2024.csv"
    );
    csv::Reader::from_path(path)
        .expect("the bundled extract exists")
        .deserialize()
        .map(|row| row.expect("every row parses"))
        .collect()
}

#[test]
fn rochford_counts_are_the_published_ones() {
    let rows = rows();
    let total = rows
        .iter()
        .find(|r| {
            r.area_code == "E22000088"
                && r.offence_group == OffenceGroup::TotalRecordedCrime.label()
        })
        .expect("Rochford is in the extract");
    assert_eq!((total.count_2023, total.count_2024), (4445, 4208));
    assert_eq!(total.area_name, "Rochford");
}

#[test]
fn every_offence_group_label_parses() {
    for row in rows() {
        let group: OffenceGroup = row.offence_group.parse().expect("known ONS group");
        assert_eq!(group.label(), row.offence_group);
    }
}

#[test]
fn ons_groups_add_up() {
    let rows = rows();
    let mut counts: HashMap<(&str, OffenceGroup), (i64, i64)> = HashMap::new();
    for row in &rows {
        let group: OffenceGroup = row.offence_group.parse().unwrap();
        counts.insert(
            (row.area_name.as_str(), group),
            (row.count_2023, row.count_2024),
        );
    }
    let mut checked = 0;
    for ((area, group), (c23, c24)) in &counts {
        let parts = group.parts();
        if parts.is_empty() {
            continue;
        }
        let (s23, s24) = parts.iter().fold((0, 0), |(a, b), part| {
            let (x, y) = counts[&(*area, *part)];
            (a + x, b + y)
        });
        assert_eq!(
            (s23, s24),
            (*c23, *c24),
            "{area}: {group} is not the sum of {parts:?}"
        );
        checked += 1;
    }
    // 16 areas × 4 groups with parts (total, violence, theft, burglary).
    assert_eq!(checked, 64);
}

#[test]
fn csps_and_unassigned_add_up_to_the_force() {
    let rows = rows();
    for group in OffenceGroup::ALL {
        let of = |level: &str| -> (i64, i64) {
            rows.iter()
                .filter(|r| r.offence_group == group.label() && r.level == level)
                .fold((0, 0), |(a, b), r| (a + r.count_2023, b + r.count_2024))
        };
        let (csp, unassigned, force) = (of("csp"), of("unassigned"), of("force"));
        assert_eq!(
            (csp.0 + unassigned.0, csp.1 + unassigned.1),
            force,
            "{group}"
        );
    }
}

#[test]
fn percent_changes_reproduce_ons_table_c3() {
    let mut compared = 0;
    for row in rows() {
        let Some(ons) = row.ons_percent_change else {
            continue;
        };
        let change = Change::new(row.count_2024, row.count_2023).unwrap();
        let ours = change
            .percent
            .expect("ONS prints a change only with a previous count");
        assert!(
            (ours - ons).abs() <= 1e-9 * ons.abs().max(1.0),
            "{} {}: {ours} against ONS {ons}",
            row.area_name,
            row.offence_group
        );
        // ... and to the one decimal place a committee report prints.
        assert_eq!(format!("{ours:.1}"), format!("{ons:.1}"));
        compared += 1;
    }
    assert!(compared > 250, "only {compared} printed changes compared");
}

#[test]
fn rates_reproduce_ons_table_c4_within_population_rounding() {
    let per_thousand = RateEstimator::default();
    let mut compared = 0;
    for row in rows() {
        let (Some(ons), Some(population)) = (row.ons_rate_per_1000_population, row.population)
        else {
            continue;
        };
        let ours = per_thousand.rate(row.count_2024, population).unwrap().value;
        // ONS divides by the unrounded population; the table prints it rounded to 100.
        let tolerance = 50.0 / population * ons + 1e-12;
        assert!(
            (ours - ons).abs() <= tolerance,
            "{} {}: {ours} against ONS {ons}",
            row.area_name,
            row.offence_group
        );
        compared += 1;
    }
    assert!(compared > 300, "only {compared} printed rates compared");
}
