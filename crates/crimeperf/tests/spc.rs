//! SPC charts against an implementation of the Making Data Count rules written here, straight from
//! the published rules (NHS England, "Making Data Count: Strengthening your decisions"), on the
//! City of London monthly crime series (read from `../shared`, skipped when absent) and on
//! hand-made series that trigger each rule exactly once; and properties of the charts.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
// The reference implementation indexes on purpose: it reads like the published rules.
#![allow(clippy::needless_range_loop)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crimeperf::spc::{
    spc, Assurance, Chart, Improvement, Precedence, Rebase, Rule, RuleProfile, SpcOptions,
    SpcSeries, Variation,
};
use crimeperf::{Error, Month};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The reference: an XmR chart and the MDC rules as the guidance states them, in plain loops.
// ---------------------------------------------------------------------------------------------

struct Reference {
    mean: f64,
    upper: f64,
    lower: f64,
    upper_two: f64,
    lower_two: f64,
    /// The rules that fired at each point, by their labels.
    fired: Vec<BTreeSet<&'static str>>,
}

/// Mean ± 2.66 × mean moving range; two sigma at two thirds of the way to the limit. Shift: any
/// 7 consecutive points all above or all below the mean. Trend: any 7 consecutive points each
/// above (or each below) the one before. Two of three: any 3 consecutive points of which at least
/// 2 are beyond two sigma on the same side; those points are flagged.
fn reference_mdc(x: &[f64]) -> Reference {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let mut mr = 0.0;
    for i in 1..n {
        mr += (x[i] - x[i - 1]).abs();
    }
    mr /= (n - 1) as f64;
    let upper = mean + 2.66 * mr;
    let lower = mean - 2.66 * mr;
    let upper_two = mean + 2.0 * 2.66 * mr / 3.0;
    let lower_two = mean - 2.0 * 2.66 * mr / 3.0;
    let mut fired = vec![BTreeSet::new(); n];
    for i in 0..n {
        if x[i] > upper || x[i] < lower {
            fired[i].insert("beyond_limits");
        }
    }
    for start in 0..n.saturating_sub(6) {
        let window = &x[start..start + 7];
        let all_above = window.iter().all(|&v| v > mean);
        let all_below = window.iter().all(|&v| v < mean);
        let mut rising = true;
        let mut falling = true;
        for j in 1..7 {
            rising &= window[j] > window[j - 1];
            falling &= window[j] < window[j - 1];
        }
        for i in start..start + 7 {
            if all_above || all_below {
                fired[i].insert("shift");
            }
            if rising || falling {
                fired[i].insert("trend");
            }
        }
    }
    for start in 0..n.saturating_sub(2) {
        let high: Vec<usize> = (start..start + 3).filter(|&i| x[i] > upper_two).collect();
        let low: Vec<usize> = (start..start + 3).filter(|&i| x[i] < lower_two).collect();
        for side in [high, low] {
            if side.len() >= 2 {
                for i in side {
                    fired[i].insert("two_of_three");
                }
            }
        }
    }
    Reference {
        mean,
        upper,
        lower,
        upper_two,
        lower_two,
        fired,
    }
}

/// Charts `x` with the defaults (XmR, MDC) and checks it against the reference point by point.
fn agree_with_reference(x: &[f64]) -> crimeperf::spc::SpcChart {
    let chart = spc(
        SpcSeries::new(x),
        &SpcOptions {
            allow_short: x.len() < 12,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    let reference = reference_mdc(x);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    for (point, fired) in chart.points.iter().zip(&reference.fired) {
        assert!(close(point.centre, reference.mean));
        assert!(close(point.upper_limit, reference.upper));
        assert!(close(point.lower_limit, reference.lower));
        assert!(close(point.upper_two_sigma, reference.upper_two));
        assert!(close(point.lower_two_sigma, reference.lower_two));
        let ours: BTreeSet<&str> = point.rules.iter().map(|r| r.label()).collect();
        assert_eq!(&ours, fired, "point {} ({})", point.index, point.value);
        assert_eq!(point.special_cause, !fired.is_empty());
    }
    chart
}

/// The points flagged, by rule label.
fn flagged(chart: &crimeperf::spc::SpcChart) -> BTreeMap<&'static str, Vec<usize>> {
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for point in &chart.points {
        for rule in &point.rules {
            out.entry(rule.label()).or_default().push(point.index);
        }
    }
    out
}

fn alternating() -> Vec<f64> {
    (0..20)
        .map(|i| if i % 2 == 0 { 10.0 } else { 14.0 })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Hand-made series: each triggers one rule, once.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_point_beyond_the_limit_fires_once() {
    let mut x = alternating();
    x[10] = 40.0;
    let chart = agree_with_reference(&x);
    assert_eq!(
        flagged(&chart),
        BTreeMap::from([("beyond_limits", vec![10])])
    );
    assert_eq!(chart.points[10].variation, Variation::Concern);
    assert_eq!(chart.points[10].rule, Some(Rule::BeyondLimits));
}

#[test]
fn a_shift_of_seven_fires_once_and_a_point_on_the_centre_breaks_it() {
    let x = [
        10.0, 14.0, 10.0, 14.0, 10.0, 14.0, 10.0, 13.0, 15.0, 13.0, 15.0, 13.0, 15.0, 13.0, 10.0,
        14.0, 10.0, 14.0, 10.0, 14.0,
    ];
    let chart = agree_with_reference(&x);
    assert_eq!(
        flagged(&chart),
        BTreeMap::from([("shift", (7..14).collect())])
    );
    assert!(chart.points[7..14]
        .iter()
        .all(|p| p.variation == Variation::Concern));
    // The same run with its middle point on the centre line is two runs of 3: no shift. (The
    // first point moves so that the centre is exactly 12.5 = 250 / 20.)
    let mut broken = x;
    broken[0] = 11.5;
    broken[10] = 12.5;
    let chart = agree_with_reference(&broken);
    assert_eq!(chart.points[10].centre, 12.5);
    assert!(chart.points.iter().all(|p| !p.rules.contains(&Rule::Shift)));
}

#[test]
fn a_trend_of_seven_fires_once_and_a_tie_breaks_it() {
    let x = [
        10.0, 14.0, 10.0, 14.0, 10.0, 14.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 10.0, 14.0,
        10.0, 14.0, 10.0, 14.0, 10.0,
    ];
    let chart = agree_with_reference(&x);
    assert_eq!(
        flagged(&chart),
        BTreeMap::from([("trend", (6..13).collect())])
    );
    // A rising trend is a concern when a decrease is an improvement.
    assert!(chart.points[6..13]
        .iter()
        .all(|p| p.variation == Variation::Concern));
    let mut tied = x;
    tied[9] = 11.0; // 9, 10, 11, 11, 13, ...: the tie breaks the trend
    let chart = agree_with_reference(&tied);
    assert!(chart.points.iter().all(|p| !p.special_cause));
}

#[test]
fn two_of_three_beyond_two_sigma_fires_once_flagging_the_two() {
    let mut x = alternating();
    x[8] = 29.0;
    x[10] = 29.0;
    let chart = agree_with_reference(&x);
    assert_eq!(
        flagged(&chart),
        BTreeMap::from([("two_of_three", vec![8, 10])])
    );
    assert!(chart.points[8].value < chart.points[8].upper_limit);
}

#[test]
fn a_falling_shift_is_an_improvement_for_crime_and_a_concern_for_a_solved_rate() {
    // The shift series of the test above, mirrored: the run of 7 now lies below the centre.
    let x: Vec<f64> = [
        10.0, 14.0, 10.0, 14.0, 10.0, 14.0, 10.0, 13.0, 15.0, 13.0, 15.0, 13.0, 15.0, 13.0, 10.0,
        14.0, 10.0, 14.0, 10.0, 14.0,
    ]
    .iter()
    .map(|v| 24.0 - v)
    .collect();
    let chart = agree_with_reference(&x);
    let shift: Vec<_> = chart.special_causes().collect();
    assert!(!shift.is_empty());
    assert!(shift.iter().all(|p| p.variation == Variation::Improvement));
    let increase = SpcOptions {
        improvement: Improvement::Increase,
        ..SpcOptions::default()
    };
    let chart = spc(SpcSeries::new(&x), &increase).unwrap();
    assert!(chart
        .special_causes()
        .all(|p| p.variation == Variation::Concern));
}

#[test]
fn precedence_decides_a_point_where_improvement_and_concern_both_fire() {
    // A shift above the centre whose last points fall in a trend of 7: those points carry an
    // upward shift and a downward trend.
    let x = [
        10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 22.0, 21.0, 20.0, 19.0, 18.0, 17.0, 16.0,
        11.0, 10.0, 11.0, 10.0, 11.0,
    ];
    let both: Vec<usize> = spc(SpcSeries::new(&x), &SpcOptions::default())
        .unwrap()
        .points
        .iter()
        .filter(|p| p.rules.contains(&Rule::Shift) && p.rules.contains(&Rule::Trend))
        .map(|p| p.index)
        .collect();
    assert!(!both.is_empty());
    for (precedence, expected) in [
        (Precedence::Concern, Variation::Concern),
        (Precedence::Improvement, Variation::Improvement),
    ] {
        let chart = spc(
            SpcSeries::new(&x),
            &SpcOptions {
                precedence,
                ..SpcOptions::default()
            },
        )
        .unwrap();
        for &i in &both {
            assert_eq!(chart.points[i].variation, expected);
            assert_eq!(chart.points[i].rule, chart.points[i].rules.first().copied());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The real series: City of London, all crime except anti-social behaviour, 2017-12 to 2020-11.
// ---------------------------------------------------------------------------------------------

fn city_of_london_dir() -> Option<PathBuf> {
    common::shared_data("data/raw/police_uk_street_2017_20_city_of_london")
}

/// Rows per month, anti-social behaviour apart, counted from the files.
fn city_of_london_monthly() -> Option<(Vec<Month>, Vec<f64>)> {
    let dir = city_of_london_dir()?;
    let first: Month = "2017-12".parse().unwrap();
    let mut months = Vec::new();
    let mut counts = Vec::new();
    for i in 0..36 {
        let month = first.plus(i).unwrap();
        let path = dir
            .join(month.to_string())
            .join(format!("{month}-city-of-london-street.csv"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let headers = reader.headers().unwrap().clone();
        let kind = headers.iter().position(|h| h == "Crime type").unwrap();
        let mut count = 0u32;
        for record in reader.records() {
            if &record.unwrap()[kind] != "Anti-social behaviour" {
                count += 1;
            }
        }
        months.push(month);
        counts.push(f64::from(count));
    }
    Some((months, counts))
}

#[test]
fn city_of_london_agrees_with_the_reference_and_flags_the_2020_lockdown() {
    let Some((months, x)) = city_of_london_monthly() else {
        return;
    };
    assert_eq!(x.len(), 36);
    let chart = agree_with_reference(&x);
    let by_month = |m: &str| {
        let month: Month = m.parse().unwrap();
        chart
            .points
            .iter()
            .find(|p| p.index == months.iter().position(|&x| x == month).unwrap())
            .unwrap()
    };
    for m in ["2020-04", "2020-05"] {
        let point = by_month(m);
        assert!(point.special_cause, "{m} is not flagged");
        assert_eq!(point.rule, Some(Rule::BeyondLimits), "{m}");
        assert_eq!(point.variation, Variation::Improvement, "{m}: fewer crimes");
    }
    // With months, points carry them and errors name them.
    let with_months = spc(
        SpcSeries::new(&x).with_months(&months),
        &SpcOptions::default(),
    )
    .unwrap();
    assert_eq!(
        with_months.points[28].month,
        Some("2020-04".parse().unwrap())
    );
    // Rebased at the lockdown (with its reason), the months after it form their own process.
    let rebased = spc(
        SpcSeries::new(&x).with_months(&months),
        &SpcOptions {
            rebase: vec![Rebase::at_month(
                &months,
                "2020-04".parse().unwrap(),
                "first national lockdown",
            )
            .unwrap()],
            allow_short: true,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    assert_eq!(rebased.segments.len(), 2);
    assert_eq!(
        rebased.segments[1].rebase_reason.as_deref(),
        Some("first national lockdown")
    );
    assert_eq!(rebased.segments[0].baseline_points, 28);
    let after = &x[28..];
    let mean = after.iter().sum::<f64>() / after.len() as f64;
    assert!((rebased.points[30].centre - mean).abs() < 1e-9);
}

// ---------------------------------------------------------------------------------------------
// Charts other than XmR, and the other rule profiles.
// ---------------------------------------------------------------------------------------------

#[test]
fn c_chart_limits_are_poisson_and_floored_at_zero() {
    let x = [2.0, 0.0, 1.0, 3.0, 2.0, 1.0, 0.0, 2.0, 4.0, 1.0, 2.0, 7.0];
    let chart = spc(
        SpcSeries::new(&x),
        &SpcOptions {
            chart: Chart::C,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    let c: f64 = 25.0 / 12.0;
    let p = &chart.points[0];
    assert_eq!(p.centre, c);
    assert!((p.upper_limit - (c + 3.0 * c.sqrt())).abs() < 1e-12);
    assert_eq!(p.lower_limit, 0.0);
    assert!((p.upper_one_sigma - (c + c.sqrt())).abs() < 1e-12);
    // 7 > 25/12 + 3√(25/12) = 6.41
    assert_eq!(
        flagged(&chart),
        BTreeMap::from([("beyond_limits", vec![11])])
    );
}

#[test]
fn u_and_laney_u_prime_limits() {
    let counts = [
        12.0, 15.0, 9.0, 14.0, 20.0, 11.0, 13.0, 16.0, 10.0, 12.0, 18.0, 14.0,
    ];
    let population = [
        1000.0, 1200.0, 900.0, 1100.0, 1500.0, 1000.0, 1000.0, 1300.0, 800.0, 1000.0, 1400.0,
        1200.0,
    ];
    let series = SpcSeries::new(&counts).with_denominators(&population);
    let u = spc(
        series,
        &SpcOptions {
            chart: Chart::U,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    let ubar = counts.iter().sum::<f64>() / population.iter().sum::<f64>();
    for (i, p) in u.points.iter().enumerate() {
        let sigma = (ubar / population[i]).sqrt();
        assert!((p.value - counts[i] / population[i]).abs() < 1e-15);
        assert!((p.upper_limit - (ubar + 3.0 * sigma)).abs() < 1e-12);
        assert!((p.lower_limit - (ubar - 3.0 * sigma).max(0.0)).abs() < 1e-12);
    }
    // Per 1,000: every rate, centre and limit is 1,000 times the rate per 1.
    let per_thousand = spc(
        series,
        &SpcOptions {
            chart: Chart::U,
            per: Some(1000.0),
            ..SpcOptions::default()
        },
    )
    .unwrap();
    for (p, q) in u.points.iter().zip(&per_thousand.points) {
        assert!((p.value * 1000.0 - q.value).abs() < 1e-12);
        assert!((p.upper_limit * 1000.0 - q.upper_limit).abs() < 1e-10);
        assert_eq!(p.rules, q.rules);
    }
    let laney = spc(
        series,
        &SpcOptions {
            chart: Chart::UPrime,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    // Laney (2002): z_i = (u_i - ū)/σ_i, σ_z = mean |z_i - z_{i-1}| / 1.128.
    let z: Vec<f64> = (0..12)
        .map(|i| (counts[i] / population[i] - ubar) / (ubar / population[i]).sqrt())
        .collect();
    let sigma_z = (1..12).map(|i| (z[i] - z[i - 1]).abs()).sum::<f64>() / 11.0 / 1.128;
    assert!((laney.segments[0].sigma_z.unwrap() - sigma_z).abs() < 1e-12);
    for (i, p) in laney.points.iter().enumerate() {
        let sigma = (ubar / population[i]).sqrt() * sigma_z;
        assert!((p.upper_limit - (ubar + 3.0 * sigma)).abs() < 1e-12);
    }
}

#[test]
fn anhoj_thresholds_follow_qicharts2() {
    // Alternating about the mean: 19 crossings, longest run 1; then 10 below and 10 above.
    let alternating = alternating();
    let chart = spc(
        SpcSeries::new(&alternating),
        &SpcOptions {
            rules: RuleProfile::Anhoj,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    let runs = chart.segments[0].runs.unwrap();
    // round(log2(20)) + 3 = 4 + 3; scipy.stats.binom.ppf(0.05, 19, 0.5) = 6.0
    assert_eq!((runs.longest_run_max, runs.crossings_min), (7, 6));
    assert_eq!(
        (runs.longest_run, runs.crossings, runs.signal),
        (1, 19, false)
    );
    let step: Vec<f64> = (0..20)
        .map(|i| if i < 10 { 10.0 } else { 14.0 } + (i % 2) as f64)
        .collect();
    let chart = spc(
        SpcSeries::new(&step),
        &SpcOptions {
            rules: RuleProfile::Anhoj,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    let runs = chart.segments[0].runs.unwrap();
    assert_eq!(
        (runs.longest_run, runs.crossings, runs.signal),
        (10, 1, true)
    );
    assert!(chart
        .points
        .iter()
        .all(|p| p.rules.contains(&Rule::LongRun)));
    // scipy.stats.binom.ppf(0.05, 35, 0.5) = 13.0 for 36 useful points.
    let x: Vec<f64> = (0..36).map(|i| f64::from(i % 2)).collect();
    let chart = spc(
        SpcSeries::new(&x),
        &SpcOptions {
            rules: RuleProfile::Anhoj,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    assert_eq!(chart.segments[0].runs.unwrap().crossings_min, 13);
    assert_eq!(chart.segments[0].runs.unwrap().longest_run_max, 8); // round(5.17) + 3
}

#[test]
fn anhoj_limits_for_10_to_40_points() {
    // Python: [int(scipy.stats.binom.ppf(0.05, n - 1, 0.5)) for n in range(10, 41)]
    let crossings_min = [
        2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 10, 11, 11, 11, 12, 12, 13,
        13, 14, 14, 14,
    ];
    // Python: [round(math.log2(n)) + 3 for n in range(10, 41)] (Anhøj & Olesen 2014, Table 1)
    let longest_run_max = [
        6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
    ];
    for (k, n) in (10..=40).enumerate() {
        let x: Vec<f64> = (0..n).map(|i| f64::from(i % 2)).collect();
        let chart = spc(
            SpcSeries::new(&x),
            &SpcOptions {
                rules: RuleProfile::Anhoj,
                allow_short: true,
                ..SpcOptions::default()
            },
        )
        .unwrap();
        let runs = chart.segments[0].runs.unwrap();
        assert_eq!(runs.useful_points, n as usize);
        assert_eq!(runs.crossings_min, crossings_min[k], "n = {n}");
        assert_eq!(runs.longest_run_max, longest_run_max[k], "n = {n}");
    }
}

#[test]
fn western_electric_four_of_five_and_a_shift_of_eight() {
    let mut x = alternating();
    // Four of five beyond one sigma above, none beyond two.
    for i in [8, 9, 11, 12] {
        x[i] = 17.5;
    }
    let chart = spc(
        SpcSeries::new(&x),
        &SpcOptions {
            rules: RuleProfile::WesternElectric,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    let p = &chart.points[8];
    assert!(
        p.value > p.upper_one_sigma && p.value < p.upper_two_sigma,
        "{p:?}"
    );
    assert_eq!(
        flagged(&chart).get("four_of_five"),
        Some(&vec![8, 9, 11, 12])
    );
    assert_eq!(chart.shift_length, Some(8));
    assert_eq!(chart.trend_length, None);
}

// ---------------------------------------------------------------------------------------------
// Baselines, rebasing, screening, assurance and errors.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_fixed_baseline_sets_the_limits_from_its_points_alone() {
    let mut x = alternating();
    for v in &mut x[12..] {
        *v += 30.0;
    }
    let chart = spc(
        SpcSeries::new(&x),
        &SpcOptions {
            baseline: Some(12),
            ..SpcOptions::default()
        },
    )
    .unwrap();
    assert_eq!(chart.points[19].centre, 12.0);
    assert_eq!(chart.segments[0].mean_moving_range, Some(4.0));
    assert!(chart.points[12..]
        .iter()
        .all(|p| p.special_cause && !p.in_baseline));
    assert!(chart.points[..12].iter().all(|p| p.in_baseline));
}

#[test]
fn screening_leaves_out_large_moving_ranges() {
    let mut x = alternating();
    x[10] = 100.0;
    let plain = spc(SpcSeries::new(&x), &SpcOptions::default()).unwrap();
    let screened = spc(
        SpcSeries::new(&x),
        &SpcOptions {
            screen: true,
            ..SpcOptions::default()
        },
    )
    .unwrap();
    assert_eq!(screened.segments[0].excluded_moving_ranges, 2);
    assert_eq!(screened.segments[0].mean_moving_range, Some(4.0));
    assert!(plain.segments[0].mean_moving_range.unwrap() > 4.0);
}

#[test]
fn a_chart_round_trips_through_json_with_snake_case_labels() {
    let mut x = alternating();
    x[10] = 40.0;
    let options = SpcOptions {
        rules: RuleProfile::WesternElectric,
        rebase: vec![Rebase::new(12, "new recording rules")],
        allow_short: true,
        target: Some(20.0),
        ..SpcOptions::default()
    };
    let chart = spc(SpcSeries::new(&x), &options).unwrap();
    let json = serde_json::to_string(&chart).unwrap();
    assert!(json.contains("\"rule\":\"beyond_limits\""), "{json}");
    assert!(json.contains("\"variation\":\"common_cause\""));
    assert!(json.contains("\"rules\":\"western_electric\""));
    let mut back: crimeperf::spc::SpcChart = serde_json::from_str(&json).unwrap();
    // serde_json's default float parser may be one unit in the last place off: compare floats
    // with that tolerance, then everything else exactly.
    for (p, q) in chart.points.iter().zip(&mut back.points) {
        let pairs = [
            (p.value, &mut q.value),
            (p.centre, &mut q.centre),
            (p.lower_limit, &mut q.lower_limit),
            (p.upper_limit, &mut q.upper_limit),
            (p.lower_one_sigma, &mut q.lower_one_sigma),
            (p.upper_one_sigma, &mut q.upper_one_sigma),
            (p.lower_two_sigma, &mut q.lower_two_sigma),
            (p.upper_two_sigma, &mut q.upper_two_sigma),
        ];
        for (a, b) in pairs {
            assert!((a - *b).abs() <= 4.0 * f64::EPSILON * a.abs().max(1.0));
            *b = a;
        }
    }
    assert_eq!(back, chart);
}

#[test]
fn assurance_against_a_target() {
    let x = alternating(); // limits 12 ± 10.64
    let verdict = |target: f64, improvement: Improvement| {
        spc(
            SpcSeries::new(&x),
            &SpcOptions {
                target: Some(target),
                improvement,
                ..SpcOptions::default()
            },
        )
        .unwrap()
        .assurance
    };
    assert_eq!(
        verdict(30.0, Improvement::Decrease),
        Some(Assurance::ConsistentlyMeets)
    );
    assert_eq!(
        verdict(0.0, Improvement::Decrease),
        Some(Assurance::ConsistentlyFails)
    );
    assert_eq!(
        verdict(12.0, Improvement::Decrease),
        Some(Assurance::HitAndMiss)
    );
    assert_eq!(
        verdict(30.0, Improvement::Increase),
        Some(Assurance::ConsistentlyFails)
    );
    assert_eq!(
        verdict(0.0, Improvement::Increase),
        Some(Assurance::ConsistentlyMeets)
    );
}

#[test]
fn errors_name_the_point_at_fault() {
    let mut x = alternating();
    let months: Vec<Month> = (0..20)
        .map(|i| "2019-01".parse::<Month>().unwrap().plus(i).unwrap())
        .collect();
    x[15] = f64::NAN;
    let err = spc(
        SpcSeries::new(&x).with_months(&months),
        &SpcOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "SPC value 2020-04: is missing (NaN), got NaN"
    );
    let err = spc(SpcSeries::new(&x), &SpcOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "SPC value point 16: is missing (NaN), got NaN"
    );

    let short = [1.0; 11];
    let err = spc(SpcSeries::new(&short), &SpcOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooFewPoints {
                got: 11,
                minimum: 12,
                ..
            }
        ),
        "{err}"
    );
    assert!(err
        .to_string()
        .ends_with("pass allow_short to chart it anyway"));
    assert!(spc(
        SpcSeries::new(&short),
        &SpcOptions {
            allow_short: true,
            ..SpcOptions::default()
        }
    )
    .is_ok());

    let x = alternating();
    let mut gap = months.clone();
    gap[5] = gap[4];
    assert!(spc(SpcSeries::new(&x).with_months(&gap), &SpcOptions::default()).is_err());
    let no_reason = SpcOptions {
        rebase: vec![Rebase::new(10, " ")],
        allow_short: true,
        ..SpcOptions::default()
    };
    assert!(matches!(
        spc(SpcSeries::new(&x), &no_reason),
        Err(Error::InvalidRebase { .. })
    ));
    let u_without_denominators = SpcOptions {
        chart: Chart::U,
        ..SpcOptions::default()
    };
    assert!(matches!(
        spc(SpcSeries::new(&x), &u_without_denominators),
        Err(Error::InvalidOptions { .. })
    ));
    let anhoj_with_shift = SpcOptions {
        rules: RuleProfile::Anhoj,
        shift_length: Some(8),
        ..SpcOptions::default()
    };
    assert!(matches!(
        spc(SpcSeries::new(&x), &anhoj_with_shift),
        Err(Error::InvalidOptions { .. })
    ));
    // Finite values whose limits overflow are an error, not limits of infinity.
    let huge: Vec<f64> = (0..12)
        .map(|i| if i % 2 == 0 { 0.0 } else { 1.5e308 })
        .collect();
    let err = spc(SpcSeries::new(&huge), &SpcOptions::default()).unwrap_err();
    assert!(err.to_string().contains("too large to chart"), "{err}");
    let negative_count = [-1.0; 12];
    let c = SpcOptions {
        chart: Chart::C,
        ..SpcOptions::default()
    };
    assert!(matches!(
        spc(SpcSeries::new(&negative_count), &c),
        Err(Error::InvalidPoint { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------------------------

fn series() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        prop::collection::vec(0.0..1000.0f64, 12..60),
        // Small whole counts, with ties and runs.
        prop::collection::vec((0u32..12).prop_map(f64::from), 12..60),
    ]
}

fn profile() -> impl Strategy<Value = RuleProfile> {
    prop::sample::select(RuleProfile::ALL.to_vec())
}

proptest! {
    /// Multiplying every value by c > 0 multiplies the centre, limits and bands by c (verdicts
    /// are not compared: a point exactly on the centre may land a rounding error off it).
    #[test]
    fn xmr_limits_scale_with_the_series(x in series(), c in 0.01..100.0f64, rules in profile(), screen: bool) {
        let options = SpcOptions { rules, screen, ..SpcOptions::default() };
        let scaled: Vec<f64> = x.iter().map(|v| v * c).collect();
        let a = spc(SpcSeries::new(&x), &options).unwrap();
        let b = spc(SpcSeries::new(&scaled), &options).unwrap();
        let close = |p: f64, q: f64| (p * c - q).abs() <= 1e-9 * q.abs().max(1.0);
        for (p, q) in a.points.iter().zip(&b.points) {
            prop_assert!(close(p.centre, q.centre));
            prop_assert!(close(p.upper_limit, q.upper_limit));
            prop_assert!(close(p.lower_limit, q.lower_limit));
            prop_assert!(close(p.upper_two_sigma, q.upper_two_sigma));
            prop_assert!(close(p.lower_one_sigma, q.lower_one_sigma));
        }
    }

    /// Scaling by a power of two is exact in binary arithmetic, so nothing but the scale changes:
    /// every rule and verdict is the same.
    #[test]
    fn exact_scaling_changes_no_verdict(x in series(), k in -4i32..10, rules in profile(), screen: bool) {
        let c = 2f64.powi(k);
        let options = SpcOptions { rules, screen, ..SpcOptions::default() };
        let scaled: Vec<f64> = x.iter().map(|v| v * c).collect();
        let a = spc(SpcSeries::new(&x), &options).unwrap();
        let b = spc(SpcSeries::new(&scaled), &options).unwrap();
        for (p, q) in a.points.iter().zip(&b.points) {
            prop_assert_eq!(p.centre * c, q.centre);
            prop_assert_eq!(p.upper_limit * c, q.upper_limit);
            prop_assert_eq!(&p.rules, &q.rules);
            prop_assert_eq!(p.variation, q.variation);
        }
    }

    /// Reversing `improvement` swaps improvement and concern and changes nothing else.
    #[test]
    fn reversing_improvement_swaps_improvement_and_concern(
        x in series(),
        rules in profile(),
        precedence in prop::sample::select(Precedence::ALL.to_vec()),
    ) {
        let options = SpcOptions { rules, ..SpcOptions::default() };
        let a = spc(SpcSeries::new(&x), &SpcOptions { improvement: Improvement::Decrease, precedence, ..options.clone() }).unwrap();
        let flipped = match precedence {
            Precedence::Concern => Precedence::Improvement,
            Precedence::Improvement => Precedence::Concern,
        };
        // Swapping sides also swaps which side the precedence names, so the winner is the same
        // signal: a point is improvement under one exactly when it is concern under the other.
        let b = spc(SpcSeries::new(&x), &SpcOptions { improvement: Improvement::Increase, precedence: flipped, ..options }).unwrap();
        for (p, q) in a.points.iter().zip(&b.points) {
            let swapped = match p.variation {
                Variation::Improvement => Variation::Concern,
                Variation::Concern => Variation::Improvement,
                Variation::CommonCause => Variation::CommonCause,
            };
            prop_assert_eq!(q.variation, swapped);
            let mut p = p.clone();
            p.variation = swapped;
            prop_assert_eq!(&p, q);
        }
        prop_assert_eq!(&a.segments, &b.segments);
    }

    /// No series of finite values makes the chart fail or panic; NaN anywhere is an error.
    #[test]
    fn any_finite_series_charts(x in prop::collection::vec(-1e6..1e6f64, 2..40), rules in profile()) {
        let options = SpcOptions { rules, allow_short: true, ..SpcOptions::default() };
        let chart = spc(SpcSeries::new(&x), &options).unwrap();
        prop_assert_eq!(chart.points.len(), x.len());
        for p in &chart.points {
            prop_assert!(p.lower_limit <= p.lower_two_sigma && p.lower_two_sigma <= p.lower_one_sigma);
            prop_assert!(p.lower_one_sigma <= p.centre && p.centre <= p.upper_one_sigma);
            prop_assert!(p.upper_one_sigma <= p.upper_two_sigma && p.upper_two_sigma <= p.upper_limit);
            prop_assert_eq!(p.special_cause, p.variation != Variation::CommonCause);
        }
        let mut with_nan = x.clone();
        with_nan[x.len() / 2] = f64::NAN;
        let is_invalid_point = matches!(spc(SpcSeries::new(&with_nan), &options), Err(Error::InvalidPoint { .. }));
        prop_assert!(is_invalid_point);
    }

    /// No input makes a chart panic, and every chart that is returned is finite throughout.
    #[test]
    fn no_input_panics_or_gives_nan(
        x in prop::collection::vec(prop_oneof![any::<f64>(), 0.0..100.0f64, Just(f64::MAX), Just(1.5e308), Just(0.0)], 0..30),
        d in prop::collection::vec(prop_oneof![any::<f64>(), 0.001..1e6f64, Just(f64::MIN_POSITIVE)], 0..30),
        chart in prop::sample::select(Chart::ALL.to_vec()),
        rules in profile(),
        baseline in prop::option::of(0usize..40),
        rebase_at in prop::option::of(0usize..40),
        per in prop::option::of(prop_oneof![any::<f64>(), Just(1000.0)]),
        screen: bool,
        allow_short: bool,
    ) {
        let rate = matches!(chart, Chart::U | Chart::UPrime);
        let options = SpcOptions {
            chart,
            rules,
            baseline,
            screen,
            allow_short,
            per: if rate { per } else { None },
            rebase: rebase_at.map(|at| vec![Rebase::new(at, "test")]).unwrap_or_default(),
            ..SpcOptions::default()
        };
        let series = if rate { SpcSeries::new(&x).with_denominators(&d) } else { SpcSeries::new(&x) };
        if let Ok(result) = spc(series, &options) {
            for p in &result.points {
                for v in [p.value, p.centre, p.lower_limit, p.upper_limit, p.lower_one_sigma,
                          p.upper_one_sigma, p.lower_two_sigma, p.upper_two_sigma] {
                    prop_assert!(v.is_finite(), "{p:?}");
                }
            }
        }
    }
}
