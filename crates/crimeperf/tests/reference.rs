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

/// Where a p-value counts as zero: the reference values underflow below about 1e-308 (12 crimes
/// against 1,195 has a true p-value near 1e-330, stored as 0), so only differences below ten
/// times the smallest normal double are forgiven whatever their relative size.
const P_VALUE_FLOOR: f64 = 10.0 * f64::MIN_POSITIVE;

/// A p-value to a relative `tolerance` — an absolute one would pass any value below it, so that a
/// p-value of 1e-40 could be off by a factor of a million — with [`P_VALUE_FLOOR`] for values that
/// underflow.
fn assert_p_value(actual: f64, expected: f64, tolerance: f64, case: &Value, what: &str) {
    let error = (actual - expected).abs();
    assert!(
        error <= tolerance * expected.abs() || error <= P_VALUE_FLOOR,
        "{what}: got {actual:e}, expected {expected:e} (relative error {:e}) for {}",
        error / expected.abs(),
        case["call"]
    );
}

/// The relative tolerance for a p-value from `n` trials: scipy's own binomial p-values are good to
/// about 6e-13 relative at n = 2,000,000 (see reference/README.md), 1e-14 for small n.
fn p_value_tolerance(n: u64) -> f64 {
    if n >= 20_000 {
        1e-10
    } else {
        1e-12
    }
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
fn binomial_test_p_values_match_scipy_binomtest_to_1e_12_relative() {
    let mut tails = 0;
    for case in cases("binomtest") {
        let n = u(&case, "n");
        let p = binomial::two_sided_test(
            u(&case, "k"),
            n,
            binomial::Probability::try_new(f(&case, "p")).expect("a probability"),
        );
        let expected = f(&case, "p_value");
        assert_p_value(p, expected, p_value_tolerance(n), &case, "p-value");
        tails += usize::from(expected < 1e-12);
    }
    // The far tails are where an absolute tolerance of 1e-12 would have checked nothing.
    assert!(tails > 800, "only {tails} p-values below 1e-12");
}

#[test]
fn the_p_value_check_is_relative() {
    // A p-value of 1e-40 reported as 1e-46 is wrong by a factor of a million, and within an
    // absolute 1e-12 of it.
    let case = serde_json::json!({"call": "a tail p-value"});
    let wrong = std::panic::catch_unwind(|| assert_p_value(1e-46, 1e-40, 1e-12, &case, "p"));
    assert!(wrong.is_err());
    assert_p_value(1e-40 * (1.0 + 1e-13), 1e-40, 1e-12, &case, "p");
    assert_p_value(0.0, 0.0, 1e-12, &case, "p");
    assert_p_value(1e-320, 0.0, 1e-12, &case, "p");
}

#[test]
fn tail_p_values_keep_their_relative_accuracy() {
    // The tolerance policy (src/distribution/mod.rs) claims tails accurate to a relative 1e-12
    // however small they are. With p = 1/2 the far tails are exact powers of two times small
    // whole numbers: scipy.stats.binomtest(0, n, 0.5).pvalue = 2·2⁻ⁿ,
    // binomtest(1, n, 0.5).pvalue = 2(n + 1)·2⁻ⁿ and binomtest(2, n, 0.5).pvalue =
    // 2(1 + n + n(n − 1)/2)·2⁻ⁿ, down to 1e-300.
    let half = binomial::Probability::try_new(0.5).expect("a probability");
    let mut worst: f64 = 0.0;
    for n in (40u64..=990).step_by(10) {
        let nf = n as f64;
        let unit = 2f64.powi(-(n as i32));
        for (k, exact) in [
            (0, 2.0 * unit),
            (1, 2.0 * (nf + 1.0) * unit),
            (2, 2.0 * (1.0 + nf + nf * (nf - 1.0) / 2.0) * unit),
        ] {
            let p = binomial::two_sided_test(k, n, half);
            let error = (p - exact).abs() / exact;
            assert!(error <= 1e-12, "k={k} n={n}: {p:e} against {exact:e}");
            worst = worst.max(error);
        }
        // Lancaster's mid-p at k = 0 is 2·½·2⁻ⁿ = 2⁻ⁿ.
        let p = binomial::mid_p_test(0, n, half);
        assert!(
            (p - unit).abs() <= 1e-12 * unit,
            "n={n}: {p:e} against {unit:e}"
        );
    }
    eprintln!("largest relative error of a far tail: {worst:e}");
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
        let tolerance = p_value_tolerance(change.current + change.previous);
        assert_p_value(
            change.p_value,
            f(&case, "p_value_exact"),
            tolerance,
            &case,
            "exact p",
        );
        // statsmodels' "cond-midp" is the minlike p-value less half the point probability.
        assert_p_value(
            change.minlike_mid_p_value,
            f(&case, "p_value_midp"),
            tolerance,
            &case,
            "minlike mid-p",
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
        let prob = binomial::Probability::try_new(f(&case, "p")).expect("a probability");
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
