//! Reference tests: every statistic against scipy, statsmodels and PHEindicatormethods' published
//! values. The expected numbers live in `reference/scipy_statsmodels.json`, each entry with the
//! exact Python call that produced it (`call`); `reference/README.md` says how to regenerate them.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use crimeperf::distribution::{binomial, poisson};
use crimeperf::{
    Change, ChangeOptions, Confidence, Proportion, ProportionChange, RateEstimator, RateMethod,
};
use serde_json::Value;

fn cases(section: &str) -> Vec<Value> {
    static JSON: &str = include_str!("reference/scipy_statsmodels.json");
    let all: Value = serde_json::from_str(JSON).expect("reference file is valid JSON");
    let list = all[section].as_array().expect("section exists").clone();
    assert!(!list.is_empty(), "section {section} is empty");
    list
}

fn f(case: &Value, key: &str) -> f64 {
    case[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {case}"))
}

fn u(case: &Value, key: &str) -> u64 {
    f(case, key) as u64
}

fn i(case: &Value, key: &str) -> i64 {
    f(case, key) as i64
}

fn confidence(case: &Value) -> Confidence {
    Confidence::new(f(case, "confidence")).expect("valid level")
}

/// `|actual − expected| ≤ tolerance · |expected|`, with infinities equal to themselves.
fn assert_relative(actual: f64, expected: f64, tolerance: f64, case: &Value, what: &str) {
    if actual == expected {
        return;
    }
    let error = (actual - expected).abs() / expected.abs().max(f64::MIN_POSITIVE);
    assert!(
        error <= tolerance,
        "{what}: got {actual:e}, expected {expected:e} (relative error {error:e}) for {}",
        case["call"]
    );
}

fn assert_absolute(actual: f64, expected: f64, tolerance: f64, case: &Value, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: got {actual:e}, expected {expected:e} for {}",
        case["call"]
    );
}

#[test]
fn garwood_limits_match_scipy_chi2_to_1e_10() {
    for case in cases("garwood") {
        let estimator =
            RateEstimator::new(1.0, confidence(&case), RateMethod::Exact).expect("valid");
        let limits = estimator.count_interval(u(&case, "count"));
        assert_relative(limits.lower, f(&case, "lower"), 1e-10, &case, "lower");
        assert_relative(limits.upper, f(&case, "upper"), 1e-10, &case, "upper");
    }
}

#[test]
fn byar_limits_match_the_formula() {
    for case in cases("byar") {
        let estimator =
            RateEstimator::new(1.0, confidence(&case), RateMethod::Byar).expect("valid");
        let limits = estimator.count_interval(u(&case, "count"));
        assert_relative(limits.lower, f(&case, "lower"), 1e-13, &case, "lower");
        assert_relative(limits.upper, f(&case, "upper"), 1e-13, &case, "upper");
    }
}

#[test]
fn binomial_test_p_values_match_scipy_binomtest_to_1e_12() {
    for case in cases("binomtest") {
        let p = binomial::two_sided_test(
            u(&case, "k"),
            u(&case, "n"),
            binomial::Probability::new(f(&case, "p")),
        );
        assert_absolute(p, f(&case, "p_value"), 1e-12, &case, "p-value");
    }
}

#[test]
fn poisson_two_sample_tests_match_statsmodels() {
    for case in cases("poisson_2indep") {
        let options = ChangeOptions {
            exposure: f(&case, "exposure1"),
            previous_exposure: f(&case, "exposure2"),
            ..ChangeOptions::default()
        };
        let change =
            Change::with_options(i(&case, "count1"), i(&case, "count2"), &options).expect("valid");
        assert_absolute(
            change.p_value,
            f(&case, "p_value_exact"),
            1e-12,
            &case,
            "exact p",
        );
        assert_absolute(
            change.mid_p_value,
            f(&case, "p_value_midp"),
            1e-12,
            &case,
            "mid-p",
        );
    }
}

#[test]
fn exact_ratio_intervals_match_scipy_beta_quantiles_to_1e_10() {
    for case in cases("exact_ratio_ci") {
        let options = ChangeOptions {
            exposure: f(&case, "exposure1"),
            previous_exposure: f(&case, "exposure2"),
            confidence: confidence(&case),
            ..ChangeOptions::default()
        };
        let change =
            Change::with_options(i(&case, "count1"), i(&case, "count2"), &options).expect("valid");
        assert_relative(change.lower, f(&case, "lower"), 1e-10, &case, "lower");
        // null in the file means an unbounded upper limit (no previous crimes).
        let upper = case["upper"].as_f64().unwrap_or(f64::INFINITY);
        assert_relative(change.upper, upper, 1e-10, &case, "upper");
    }
}

#[test]
fn score_ratio_intervals_match_statsmodels_score_statistic_to_1e_10() {
    for case in cases("score_ratio_ci") {
        let options = ChangeOptions {
            exposure: f(&case, "exposure1"),
            previous_exposure: f(&case, "exposure2"),
            confidence: confidence(&case),
            ..ChangeOptions::default()
        };
        let change =
            Change::with_options(i(&case, "count1"), i(&case, "count2"), &options).expect("valid");
        assert_relative(change.score_lower, f(&case, "lower"), 1e-10, &case, "lower");
        assert_relative(change.score_upper, f(&case, "upper"), 1e-10, &case, "upper");
        // statsmodels' own numerical inversion (optimize.fmin, xtol=1e-8) agrees to its accuracy.
        assert_relative(
            change.score_lower,
            f(&case, "statsmodels_lower"),
            1e-5,
            &case,
            "statsmodels lower",
        );
        assert_relative(
            change.score_upper,
            f(&case, "statsmodels_upper"),
            1e-5,
            &case,
            "statsmodels upper",
        );
    }
}

#[test]
fn wilson_intervals_match_statsmodels_to_1e_10() {
    for case in cases("wilson") {
        let p = Proportion::wilson(i(&case, "x"), i(&case, "n"), confidence(&case)).expect("valid");
        assert_absolute(p.lower, f(&case, "lower"), 1e-10, &case, "lower");
        assert_absolute(p.upper, f(&case, "upper"), 1e-10, &case, "upper");
    }
}

#[test]
fn newcombe_intervals_match_statsmodels_to_1e_10() {
    for case in cases("newcombe") {
        let change = ProportionChange::newcombe(
            i(&case, "x1"),
            i(&case, "n1"),
            i(&case, "x2"),
            i(&case, "n2"),
            confidence(&case),
        )
        .expect("valid");
        // Our limits are in percentage points; statsmodels' are fractions.
        assert_absolute(
            change.lower / 100.0,
            f(&case, "lower"),
            1e-10,
            &case,
            "lower",
        );
        assert_absolute(
            change.upper / 100.0,
            f(&case, "upper"),
            1e-10,
            &case,
            "upper",
        );
    }
}

#[test]
fn poisson_distribution_matches_scipy() {
    for case in cases("poisson_cdf") {
        let (k, mean) = (u(&case, "k"), f(&case, "mu"));
        assert_relative(poisson::pmf(k, mean), f(&case, "pmf"), 1e-13, &case, "pmf");
        assert_relative(poisson::cdf(k, mean), f(&case, "cdf"), 1e-12, &case, "cdf");
        assert_relative(
            poisson::sf_from(k + 1, mean),
            f(&case, "sf"),
            1e-12,
            &case,
            "sf",
        );
    }
}

#[test]
fn binomial_distribution_matches_scipy() {
    for case in cases("binom_dist") {
        let (k, n) = (u(&case, "k"), u(&case, "n"));
        let prob = binomial::Probability::new(f(&case, "p"));
        // scipy's own binomial functions are accurate to about 1e-12 at n = 2,000,000.
        let tolerance = if n >= 20_000 { 1e-10 } else { 1e-12 };
        let pmf = f(&case, "pmf");
        if pmf > 1e-300 {
            assert_relative(binomial::pmf(k, n, prob), pmf, tolerance, &case, "pmf");
        }
        let (cdf, sf) = (f(&case, "cdf"), f(&case, "sf"));
        if cdf > 1e-300 {
            assert_relative(binomial::cdf(k, n, prob), cdf, tolerance, &case, "cdf");
        }
        if sf > 1e-300 {
            assert_relative(
                binomial::sf_from(k + 1, n, prob),
                sf,
                tolerance,
                &case,
                "sf",
            );
        }
    }
}

#[test]
fn phe_published_byar_and_wilson_values() {
    for case in cases("phe_byar_wilson") {
        let c = confidence(&case);
        let (lower, upper) = match case["method"].as_str() {
            Some("byar") => {
                let limits = RateEstimator::new(1.0, c, RateMethod::Byar)
                    .expect("valid")
                    .count_interval(u(&case, "x"));
                (limits.lower, limits.upper)
            }
            _ => {
                // PHE's Wilson rows include a fractional numerator (0.445 of 1); the formula is
                // the same, so evaluate it through the integer API only for whole numbers.
                let (x, n) = (f(&case, "x"), f(&case, "n"));
                if x.fract() != 0.0 {
                    continue;
                }
                let p = Proportion::wilson(x as i64, n as i64, c).expect("valid");
                (p.lower, p.upper)
            }
        };
        assert_relative(lower, f(&case, "lower"), 1e-9, &case, "lower");
        assert_relative(upper, f(&case, "upper"), 1e-9, &case, "upper");
    }
}

#[test]
fn phe_published_rates() {
    for case in cases("phe_rate") {
        let method: RateMethod = match case["method"].as_str() {
            Some("exact") => RateMethod::Exact,
            Some("byars") | Some("byar") => RateMethod::Byar,
            other => panic!("unexpected method {other:?}"),
        };
        let estimator =
            RateEstimator::new(f(&case, "multiplier"), confidence(&case), method).expect("valid");
        let rate = estimator
            .rate(i(&case, "count"), f(&case, "denominator"))
            .expect("valid");
        assert_relative(rate.value, f(&case, "value"), 1e-9, &case, "value");
        assert_relative(rate.lower, f(&case, "lower"), 1e-9, &case, "lower");
        assert_relative(rate.upper, f(&case, "upper"), 1e-9, &case, "upper");
    }
}

#[test]
fn phe_headline_values() {
    // PHEindicatormethods' published Byar 95% limits for 65 events.
    let byar = RateEstimator::new(1.0, Confidence::default(), RateMethod::Byar).expect("valid");
    let limits = byar.count_interval(65);
    assert!((limits.lower - 50.16318771045).abs() < 1e-10);
    assert!((limits.upper - 82.84913854593).abs() < 1e-10);
    // ... and Wilson 95% limits for 65/100.
    let p = Proportion::wilson(65, 100, Confidence::default()).expect("valid");
    assert!((p.lower - 0.5525444330).abs() < 1e-10);
    assert!((p.upper - 0.7363575176).abs() < 1e-10);
}
