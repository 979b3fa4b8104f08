//! Funnel-plot limits against PHEindicatormethods' own test data (version 2.1.0, copied into
//! `../shared/data/reference/pheindicatormethods/`; its README says which call produced each file).
//!
//! Skipped with a message when `../shared` is absent; `CRIMEPERF_REQUIRE_SHARED=1` makes its
//! absence a failure. PHE computes the Poisson limits by bisection with a step of 1e-7, which
//! leaves its printed values up to 4.7e-5 (relative) from the exact ones, hence the 1e-4 tolerance.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use crimeperf::{
    funnel, Confidence, ControlLimits, Flag, FunnelMethod, FunnelOptions, FunnelStatistic,
};

const TOLERANCE: f64 = 1e-4;

fn reference_dir() -> Option<PathBuf> {
    common::shared_data("data/reference/pheindicatormethods")
}

/// The data rows of a CSV file (header skipped, UTF-8 byte-order mark tolerated).
fn rows(dir: &Path, name: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(dir.join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn number(text: &str) -> f64 {
    text.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn assert_close(got: f64, want: f64, context: &str) {
    let scale = want.abs().max(1e-12);
    assert!(
        (got - want).abs() <= TOLERANCE * scale || (want == 0.0 && got.abs() < 1e-9),
        "{context}: got {got}, want {want}"
    );
}

const LEVELS: [Confidence; 2] = [Confidence::NINETY_FIVE, Confidence::NINETY_NINE_POINT_EIGHT];

/// `calculate_funnel_limits(inputs, numerator, denominator, statistic = "proportion",
/// multiplier = 100)`: the limits at each Population of the x-axis, around the pooled baseline.
fn check_proportions(dir: &Path, outputs: &str, max_denominator: f64) {
    let inputs = rows(dir, "testdata_funnel_prop_inputs.csv");
    let inputs: Vec<&Vec<String>> = inputs
        .iter()
        .filter(|r| number(&r[2]) < max_denominator)
        .collect();
    let areas: Vec<&str> = inputs.iter().map(|r| r[0].as_str()).collect();
    let numerators: Vec<f64> = inputs.iter().map(|r| number(&r[1])).collect();
    let denominators: Vec<f64> = inputs.iter().map(|r| number(&r[2])).collect();
    let options = FunnelOptions {
        statistic: FunnelStatistic::Proportion,
        method: FunnelMethod::Wilson,
        per: 100.0,
        ..FunnelOptions::default()
    };
    let plot = funnel(&areas, &numerators, &denominators, &options).unwrap();
    let table = rows(dir, outputs);
    assert_eq!(table.len(), 100);
    for row in &table {
        let baseline = number(&row[5]);
        assert!(
            (plot.limits.benchmark - baseline).abs() < 1e-6,
            "{outputs} baseline"
        );
        let n = number(&row[0]);
        for (level, columns) in LEVELS.iter().zip([(1, 2), (3, 4)]) {
            let (lower, upper) = plot.limits.at(n, *level).unwrap();
            let context = format!("{outputs}, population {n}, {level}");
            assert_close(lower, number(&row[columns.0]), &context);
            assert_close(upper, number(&row[columns.1]), &context);
        }
    }
}

#[test]
fn proportion_limits() {
    let Some(dir) = reference_dir() else { return };
    check_proportions(&dir, "testdata_funnel_prop_outputs.csv", f64::INFINITY);
    check_proportions(
        &dir,
        "testdata_funnel_prop_outputs_with_axis_variation.csv",
        31_000.0,
    );
}

/// `assign_funnel_significance(inputs, numerator, denominator, statistic = "proportion")`.
#[test]
fn proportion_significance() {
    let Some(dir) = reference_dir() else { return };
    let inputs = rows(&dir, "testdata_funnel_prop_inputs.csv");
    let areas: Vec<&str> = inputs.iter().map(|r| r[0].as_str()).collect();
    let numerators: Vec<f64> = inputs.iter().map(|r| number(&r[1])).collect();
    let denominators: Vec<f64> = inputs.iter().map(|r| number(&r[2])).collect();
    let options = FunnelOptions {
        statistic: FunnelStatistic::Proportion,
        method: FunnelMethod::Wilson,
        per: 100.0,
        ..FunnelOptions::default()
    };
    let plot = funnel(&areas, &numerators, &denominators, &options).unwrap();
    for (point, row) in plot.points.iter().zip(&inputs) {
        assert_eq!(significance(point), row[3], "{}", point.area);
    }
}

/// `assign_funnel_significance(inputs, obs, expected, statistic = "ratio")`: around 1.
#[test]
fn ratio_significance() {
    let Some(dir) = reference_dir() else { return };
    let inputs = rows(&dir, "testdata_funnel_ratio_inputs.csv");
    let areas: Vec<String> = (1..=inputs.len()).map(|i| format!("row {i}")).collect();
    let observed: Vec<f64> = inputs.iter().map(|r| number(&r[0])).collect();
    let expected: Vec<f64> = inputs.iter().map(|r| number(&r[1])).collect();
    let options = FunnelOptions {
        statistic: FunnelStatistic::Ratio,
        per: 1.0,
        benchmark: Some(1.0),
        ..FunnelOptions::default()
    };
    let plot = funnel(&areas, &observed, &expected, &options).unwrap();
    for (point, row) in plot.points.iter().zip(&inputs) {
        assert_eq!(significance(point), row[2], "{}", point.area);
    }
}

/// PHE's significance label from the two flags.
fn significance(point: &crimeperf::FunnelPoint) -> &'static str {
    match (point.limits[0].flag, point.limits[1].flag) {
        (_, Flag::High) => "High (0.001)",
        (_, Flag::Low) => "Low (0.001)",
        (Flag::High, _) => "High (0.025)",
        (Flag::Low, _) => "Low (0.025)",
        _ => "Not significant",
    }
}

/// `calculate_funnel_limits(obs, expected, statistic = "ratio", ratio_type = "isr",
/// multiplier = 100)`: at each expected count in the table, the observed count of the row lies
/// on the limit, so the limit is `obs / exp × 100`.
#[test]
fn ratio_limits() {
    let Some(dir) = reference_dir() else { return };
    let limits =
        ControlLimits::new(FunnelStatistic::Ratio, FunnelMethod::Exact, 100.0, 100.0).unwrap();
    let table = rows(&dir, "testdata_funnel_ratio_outputs.csv");
    assert_eq!(table.len(), 100);
    for row in &table {
        let observed = number(&row[0]);
        // Columns: lower_2s (exp, count, isr), upper_2s, lower_3s, upper_3s.
        for (level, first) in [(LEVELS[0], 1), (LEVELS[1], 7)] {
            let (lower, _) = limits.at(number(&row[first]), level).unwrap();
            let (_, upper) = limits.at(number(&row[first + 3]), level).unwrap();
            let context = format!("observed {observed}, {level}");
            assert_close(lower, number(&row[first + 2]), &context);
            assert_close(upper, number(&row[first + 5]), &context);
            // The "count" form is the same limit as obs/exp − 1.
            assert_close(lower / 100.0 - 1.0, number(&row[first + 1]), &context);
        }
    }
}

/// `calculate_funnel_limits(..., statistic = "rate", multiplier = 1e5, years_of_data = 3)`: at
/// three times each one-year population the Events of the row lie on the limit.
fn check_rates(dir: &Path, name: &str) {
    let table = rows(dir, name);
    assert!(!table.is_empty());
    for row in &table {
        let baseline = number(&row[9]);
        let limits =
            ControlLimits::new(FunnelStatistic::Rate, FunnelMethod::Exact, baseline, 1e5).unwrap();
        for (level, first) in [(LEVELS[0], 1), (LEVELS[1], 5)] {
            let (lower, _) = limits.at(3.0 * number(&row[first]), level).unwrap();
            let (_, upper) = limits.at(3.0 * number(&row[first + 2]), level).unwrap();
            let context = format!("{name}, events {}, {level}", row[0]);
            assert_close(lower, number(&row[first + 1]), &context);
            assert_close(upper, number(&row[first + 3]), &context);
        }
    }
}

#[test]
fn rate_limits() {
    let Some(dir) = reference_dir() else { return };
    check_rates(&dir, "testdata_funnel_rate_outputs.csv");
    check_rates(&dir, "testdata_funnel_rate_outputs_2.csv");
    check_rates(&dir, "testdata_funnel_rate_outputs_3.csv");
}

/// The pooled baseline of the rate files: Σ events over Σ (1e5 × events / rate), with the
/// largest count set to 5 for `outputs_2` (its README recipe).
#[test]
fn rate_baselines() {
    let Some(dir) = reference_dir() else { return };
    let inputs = rows(&dir, "testdata_funnel_rate_input_funnels.csv");
    let events: Vec<f64> = inputs.iter().map(|r| number(&r[0])).collect();
    let rates: Vec<f64> = inputs.iter().map(|r| number(&r[1])).collect();
    let largest = events
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    let areas: Vec<String> = (1..=inputs.len()).map(|i| format!("row {i}")).collect();
    let options = FunnelOptions {
        per: 1e5,
        ..FunnelOptions::default()
    };
    for (name, replace) in [
        ("testdata_funnel_rate_outputs.csv", None),
        ("testdata_funnel_rate_outputs_2.csv", Some(5.0)),
    ] {
        let mut events = events.clone();
        if let Some(value) = replace {
            events[largest] = value;
        }
        let populations: Vec<f64> = events
            .iter()
            .zip(&rates)
            .map(|(e, r)| 1e5 * e / r)
            .collect();
        let plot = funnel(&areas, &events, &populations, &options).unwrap();
        let want = number(&rows(&dir, name)[0][9]);
        assert_close(plot.limits.benchmark, want, name);
    }
}
