//! Period comparisons and projections: year to date against direct sums of the months, rolling
//! totals, missing months, and the year-end projection against values computed by scipy.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use crimeperf::{
    project_year_end, rolling_rates, rolling_sums, year_to_date, year_to_date_range, Change,
    ChangeOptions, Error, Month, MonthlyCounts, Polarity, ProjectionOptions, RateEstimator, Target,
};
use proptest::prelude::*;

fn month(label: &str) -> Month {
    label.parse().unwrap()
}

fn months_from(first: &str, n: usize) -> Vec<Month> {
    (0..n)
        .map(|i| month(first).plus(i as i64).unwrap())
        .collect()
}

#[test]
fn financial_years_run_april_to_march() {
    for (through, expected) in [
        ("2025-04", "April 2025"),
        ("2025-12", "April to December 2025"),
        ("2026-03", "April 2025 to March 2026"),
    ] {
        assert_eq!(
            year_to_date_range(month(through), 4).unwrap().to_string(),
            expected
        );
    }
    assert_eq!(
        year_to_date_range(month("2026-03"), 1).unwrap().to_string(),
        "January to March 2026"
    );
    assert!(matches!(
        year_to_date_range(month("2026-03"), 13),
        Err(Error::InvalidValue { .. })
    ));
}

#[test]
fn a_missing_month_is_an_error_naming_series_and_month() {
    let mut months = months_from("2024-01", 24);
    months.remove(14); // 2025-03
    let counts = vec![5i64; 23];
    let err = MonthlyCounts::new("Rochford burglary", &months, &counts).unwrap_err();
    assert_eq!(
        err,
        Error::MissingMonth {
            series: "Rochford burglary".into(),
            month: "2025-03".into()
        }
    );
    // Opting in fills the month with an explicit zero, and says so.
    let filled = MonthlyCounts::with_zeros_filled("Rochford burglary", &months, &counts).unwrap();
    assert_eq!(filled.filled, [month("2025-03")]);
    assert_eq!(filled.get(month("2025-03")), Some(0));
    // A year to date reaching before the series is the same error, naming the first month.
    let series = MonthlyCounts::new("Rochford burglary", &months[..14], &counts[..14]).unwrap();
    let err = year_to_date(&series, month("2025-02"), 4, &ChangeOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the series \"Rochford burglary\" has no value for 2023-04"
    );
    // Duplicates and negative counts are refused, naming the month.
    let twice = [month("2024-01"), month("2024-01")];
    assert!(matches!(
        MonthlyCounts::new("x", &twice, &[1, 2]),
        Err(Error::DuplicateMonth { .. })
    ));
    let err = MonthlyCounts::new("x", &months[..1], &[-3]).unwrap_err();
    assert!(err.to_string().contains("2024-01"), "{err}");
}

proptest! {
    /// The year to date and the same period last year are direct sums of the months, and the
    /// change is the core's change of those sums.
    #[test]
    fn year_to_date_is_the_sum_of_its_months(
        counts in prop::collection::vec(0i64..500, 24..48),
        through_offset in 0usize..24,
        year_start in 1u32..=12,
    ) {
        let months = months_from("2019-07", counts.len());
        // Shuffled input is accepted: the series is held in month order.
        let mut pairs: Vec<(Month, i64)> = months.iter().copied().zip(counts.iter().copied()).collect();
        pairs.reverse();
        let (shuffled_months, shuffled_counts): (Vec<Month>, Vec<i64>) = pairs.into_iter().unzip();
        let series = MonthlyCounts::new("all crime", &shuffled_months, &shuffled_counts).unwrap();
        let through = months[counts.len() - 1 - through_offset];
        match year_to_date(&series, through, year_start, &ChangeOptions::default()) {
            Ok(ytd) => {
                let mut current = 0i64;
                let mut previous = 0i64;
                for (m, c) in months.iter().zip(&counts) {
                    let (from, to) = (ytd.current_period.first(), through);
                    if *m >= from && *m <= to { current += c; }
                    if from.months_until(*m) >= -12 && to.months_until(*m) <= -12 { previous += c; }
                }
                prop_assert_eq!(ytd.current as i64, current);
                prop_assert_eq!(ytd.previous as i64, previous);
                prop_assert_eq!(ytd.current_period.first().month(), year_start);
                prop_assert_eq!(ytd.current_period.len(), ytd.previous_period.len());
                prop_assert_eq!(ytd.change, Change::new(current, previous).unwrap());
            }
            Err(Error::MissingMonth { month: missing, .. }) => {
                // Only when the same period last year starts before the series.
                let first = year_to_date_range(through, year_start).unwrap().first().plus(-12).unwrap();
                prop_assert!(first < months[0]);
                prop_assert_eq!(missing, first.to_string());
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

    /// Each rolling sum is the direct sum of its window.
    #[test]
    fn rolling_sums_are_direct_sums(counts in prop::collection::vec(0i64..1000, 1..40), window in 1usize..13) {
        let months = months_from("2020-01", counts.len());
        let series = MonthlyCounts::new("all crime", &months, &counts).unwrap();
        match rolling_sums(&series, window) {
            Ok(sums) => {
                prop_assert_eq!(sums.len(), counts.len() + 1 - window);
                for (k, sum) in sums.iter().enumerate() {
                    let direct: i64 = counts[k..k + window].iter().sum();
                    prop_assert_eq!(sum.count as i64, direct);
                    prop_assert_eq!(sum.month, months[k + window - 1]);
                    prop_assert_eq!(sum.window.first(), months[k]);
                    prop_assert!(sum.rate.is_none());
                }
            }
            Err(Error::TooFewPoints { .. }) => prop_assert!(counts.len() < window),
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}

#[test]
fn rolling_rates_use_the_population_of_the_last_month() {
    let months = months_from("2024-01", 13);
    let counts: Vec<i64> = (0..13).map(|i| 100 + i).collect();
    let populations: Vec<f64> = (0..13).map(|i| 80_000.0 + 100.0 * f64::from(i)).collect();
    let series = MonthlyCounts::new("Rochford", &months, &counts).unwrap();
    let estimator = RateEstimator::default();
    let rates = rolling_rates(&series, 12, &populations, &estimator).unwrap();
    assert_eq!(rates.len(), 2);
    let expected = estimator
        .rate(counts[1..].iter().sum(), populations[12])
        .unwrap();
    assert_eq!(rates[1].rate, Some(expected));
    let mut bad = populations.clone();
    bad[3] = f64::NAN;
    let err = rolling_rates(&series, 12, &bad, &estimator).unwrap_err();
    assert!(err.to_string().contains("2024-04"), "{err}");
}

/// Three financial years with a seasonal shape, then April to September 2025.
fn seasonal_series() -> MonthlyCounts {
    let shape = [100, 110, 120, 130, 120, 110, 100, 90, 80, 90, 100, 110];
    let mut counts: Vec<i64> = Vec::new();
    for shift in [0, 5, -5] {
        counts.extend(shape.iter().map(|v| v + shift));
    }
    counts.extend([90, 100, 105, 115, 110, 100]);
    MonthlyCounts::new("all crime", &months_from("2022-04", 42), &counts).unwrap()
}

#[test]
fn projection_matches_the_formula_computed_with_scipy() {
    let target = Target::absolute(1130.0, Polarity::LowerIsBetter).unwrap();
    let options = ProjectionOptions {
        target: Some(target),
        ..ProjectionOptions::default()
    };
    let p = project_year_end(&seasonal_series(), month("2025-09"), &options).unwrap();
    // Python: shares = [sum(y[:6]) / sum(y) for y in years] (most recent first below);
    // s = mean(shares); v = statistics.variance(shares); E = 620 / s; R = E - 620;
    // Var = R + (620 / s**2)**2 * v * (1 + 1/3); E ± scipy.stats.norm.ppf(0.975) * sqrt(Var)
    let shares: Vec<f64> = p.history.iter().map(|h| h.share).collect();
    let expected_shares = [0.55, 0.5454545454545454, 0.5476190476190477];
    for (a, b) in shares.iter().zip(expected_shares) {
        assert!((a - b).abs() < 1e-15);
    }
    assert_eq!(p.history[0].year.to_string(), "April 2024 to March 2025");
    assert_eq!(p.to_date, 620);
    assert_eq!(p.year.to_string(), "April 2025 to March 2026");
    assert!((p.share - 0.5476911976911977).abs() < 1e-15);
    assert!((p.share_sd.unwrap().powi(2) - 5.169193480881982e-06).abs() < 1e-15);
    assert!((p.expected - 1132.024766170465).abs() < 1e-9);
    assert!((p.lower - 1086.4174062036823).abs() < 1e-9);
    assert!((p.upper - 1177.6321261372477).abs() < 1e-9);
    // scipy.stats.poisson.cdf(510, 1132.024766170465 - 620) = 0.4760592010163005
    assert!((p.probability_of_meeting.unwrap() - 0.4760592010163005).abs() < 1e-10);
    // Higher is better: scipy.stats.poisson.sf(509, 512.024766170465) = 0.5415327118206859
    let floor = Target::absolute(1130.0, Polarity::HigherIsBetter).unwrap();
    let p = project_year_end(
        &seasonal_series(),
        month("2025-09"),
        &ProjectionOptions {
            target: Some(floor),
            ..ProjectionOptions::default()
        },
    )
    .unwrap();
    assert!((p.probability_of_meeting.unwrap() - 0.5415327118206859).abs() < 1e-10);
}

#[test]
fn results_round_trip_through_json() {
    let series = seasonal_series();
    let json = serde_json::to_string(&series).unwrap();
    assert_eq!(
        serde_json::from_str::<MonthlyCounts>(&json).unwrap(),
        series
    );
    let ytd = year_to_date(&series, month("2025-09"), 4, &ChangeOptions::default()).unwrap();
    let json = serde_json::to_string(&ytd).unwrap();
    assert!(
        json.contains("\"significance\":\"no_significant_change\""),
        "{json}"
    );
    assert_eq!(
        serde_json::from_str::<crimeperf::YearToDate>(&json).unwrap(),
        ytd
    );
    let p = project_year_end(&series, month("2025-09"), &ProjectionOptions::default()).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    let mut back: crimeperf::Projection = serde_json::from_str(&json).unwrap();
    // serde_json's default float parser may be a unit in the last place off.
    let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(1.0);
    for (a, b) in p.history.iter().zip(&mut back.history) {
        assert!(close(a.share, b.share));
        b.share = a.share;
    }
    for (a, b) in [
        (p.share, &mut back.share),
        (p.expected, &mut back.expected),
        (p.remaining, &mut back.remaining),
        (p.lower, &mut back.lower),
        (p.upper, &mut back.upper),
    ] {
        assert!(close(a, *b));
        *b = a;
    }
    assert!(close(p.share_sd.unwrap(), back.share_sd.unwrap()));
    back.share_sd = p.share_sd;
    assert_eq!(back, p);
    let sums = rolling_sums(&series, 12).unwrap();
    let json = serde_json::to_string(&sums).unwrap();
    assert_eq!(
        serde_json::from_str::<Vec<crimeperf::RollingSum>>(&json).unwrap(),
        sums
    );
}

#[test]
fn projection_edge_cases() {
    let series = seasonal_series();
    // A target already passed is missed (lower is better) with certainty.
    let passed = Target::absolute(600.0, Polarity::LowerIsBetter).unwrap();
    let p = project_year_end(
        &series,
        month("2025-09"),
        &ProjectionOptions {
            target: Some(passed),
            ..ProjectionOptions::default()
        },
    )
    .unwrap();
    assert_eq!(p.probability_of_meeting, Some(0.0));
    // One year of history: only the Poisson term, and no share spread.
    let one = ProjectionOptions {
        history_years: 1,
        ..ProjectionOptions::default()
    };
    let p = project_year_end(&series, month("2025-09"), &one).unwrap();
    assert_eq!(p.share_sd, None);
    let half = 1.959963984540054 * p.remaining.sqrt();
    assert!((p.upper - p.expected - half).abs() < 1e-9);
    // Four years of history reach before the series: the first missing month is named.
    let four = ProjectionOptions {
        history_years: 4,
        ..ProjectionOptions::default()
    };
    let err = project_year_end(&series, month("2025-09"), &four).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the series \"all crime\" has no value for 2021-04"
    );
    // At the year's last month the projection is the count itself.
    let series = MonthlyCounts::new("x", &months_from("2022-04", 48), &[10; 48]).unwrap();
    let p = project_year_end(&series, month("2026-03"), &ProjectionOptions::default()).unwrap();
    assert_eq!((p.expected, p.lower, p.upper), (120.0, 120.0, 120.0));
}

/// Any month, weighted towards the ends of the supported range.
fn any_month() -> impl Strategy<Value = Month> {
    prop_oneof![
        Just(Month::EARLIEST),
        Just(Month::LATEST),
        (0i64..200).prop_map(|i| Month::EARLIEST.plus(i).unwrap()),
        (0i64..200).prop_map(|i| Month::LATEST.plus(-i).unwrap()),
        (0i64..107_000).prop_map(|i| Month::EARLIEST.plus(i).unwrap()),
    ]
}

proptest! {
    /// No input makes the period functions panic: every failure is a typed error.
    #[test]
    fn no_input_panics(
        first in any_month(),
        counts in prop::collection::vec(prop_oneof![9 => 0i64..1_000_000_000, 1 => 0i64..3], 0..60),
        odd_count in any::<i64>(),
        through_offset in -30i64..80,
        year_start in prop_oneof![1u32..=12, any::<u32>()],
        window in prop_oneof![0usize..14, any::<usize>()],
        history_years in prop_oneof![0usize..6, any::<usize>()],
    ) {
        let months: Vec<Month> = (0..counts.len()).map_while(|i| first.plus(i as i64).ok()).collect();
        let counts = &counts[..months.len()];
        if let Some(&m) = months.first() {
            let _ = MonthlyCounts::new("x", &[m], &[odd_count]);
        }
        let series = MonthlyCounts::new("x", &months, counts);
        prop_assert_eq!(series.is_ok(), !months.is_empty());
        if let (Ok(series), Ok(through)) = (series, first.plus(through_offset)) {
            let _ = year_to_date(&series, through, year_start, &ChangeOptions::default());
            let _ = rolling_sums(&series, window);
            let populations = vec![1000.0; months.len()];
            let _ = rolling_rates(&series, window, &populations, &RateEstimator::default());
            let options = ProjectionOptions { year_start, history_years, ..ProjectionOptions::default() };
            let _ = project_year_end(&series, through, &options);
        }
    }
}
