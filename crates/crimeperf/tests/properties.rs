//! Property tests: the invariants every statistic must keep, and no input may cause a panic.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use crimeperf::{
    Change, ChangeOptions, Composite, Confidence, CrimeCounts, CrimeType, FinancialYear, Month,
    Period, Polarity, Proportion, ProportionChange, Rag, RagRule, RateEstimator, RateMethod,
    Rounding, Target, MAX_COUNT,
};
use proptest::prelude::*;

/// Any f64, weighted towards the awkward ones.
fn any_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
        Just(f64::MAX),
        Just(1.0),
        any::<f64>(),
        -1e7..1e7f64,
        0.0..1.0f64,
    ]
}

/// Any i64, weighted towards counts near the edges of what is accepted.
fn any_count() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1i64),
        Just(0i64),
        Just(MAX_COUNT as i64),
        Just(MAX_COUNT as i64 + 1),
        0..20i64,
        0..100_000i64,
    ]
}

fn method() -> impl Strategy<Value = RateMethod> {
    prop_oneof![
        Just(RateMethod::Auto),
        Just(RateMethod::Exact),
        Just(RateMethod::Byar)
    ]
}

/// A pair of confidence levels `low < high`.
fn two_levels() -> impl Strategy<Value = (Confidence, Confidence)> {
    (0.5..0.999f64, 0.0001..0.5f64).prop_map(|(low, gap)| {
        let high = low + (1.0 - low) * gap;
        (
            Confidence::new(low).expect("in range"),
            Confidence::new(high).expect("in range"),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_input_panics(
        a in any_count(), b in any_count(), c in any_count(), d in any_count(),
        x in any_float(), y in any_float(), level in any_float(), m in method(),
    ) {
        let confidence = Confidence::new(level).unwrap_or_default();
        if let Ok(estimator) = RateEstimator::new(y, confidence, m) {
            let _ = estimator.rate(a, x);
        }
        let _ = crimeperf::rate(a, x);
        let _ = Proportion::wilson(a, b, confidence);
        let _ = ProportionChange::newcombe(a, b, c, d, confidence);
        let options = ChangeOptions { exposure: x, previous_exposure: y, confidence, min_base: 50 };
        let _ = Change::with_options(a, b, &options);
        let _ = Change::with_options(a % 1000, b % 1000, &options);
        for rounding in [Rounding::HalfUp, Rounding::Floor, Rounding::Ceil, Rounding::None] {
            if let Ok(target) = Target::from_baseline(x, y, rounding, Polarity::LowerIsBetter) {
                let _ = target.probability_of_meeting(level);
            }
        }
        let rule = RagRule::TargetMetAndSignificant(confidence);
        let _ = Rag::assess(x, y, level, Polarity::HigherIsBetter, rule);
        let _ = Rag::assess(a as f64, b as f64, c as f64, Polarity::LowerIsBetter, rule);
        let _ = Confidence::new(level);
    }

    #[test]
    fn no_label_panics(label in ".{0,30}") {
        let _ = label.parse::<Period>();
        let _ = label.parse::<Month>();
        let _ = label.parse::<FinancialYear>();
        let _ = label.parse::<CrimeType>();
        let _ = label.parse::<crimeperf::OffenceGroup>();
        let _ = label.parse::<crimeperf::AreaCode>();
        let _ = label.parse::<Rounding>();
        let _ = label.parse::<Polarity>();
    }

    #[test]
    fn rate_interval_contains_the_rate(count in 0..2_000_000i64, population in 1.0..1e7f64, m in method(), level in 0.5..0.9999f64) {
        let estimator = RateEstimator::new(1000.0, Confidence::new(level).expect("valid"), m).expect("valid");
        let rate = estimator.rate(count, population).expect("valid input");
        prop_assert!(rate.lower <= rate.value && rate.value <= rate.upper, "{rate:?}");
        prop_assert!(rate.lower >= 0.0 && rate.upper.is_finite());
        if count > 0 && m != RateMethod::Byar {
            prop_assert!(rate.lower < rate.value && rate.value < rate.upper);
        }
    }

    #[test]
    fn rate_intervals_widen_with_confidence(count in 0..500_000i64, (low, high) in two_levels(), m in method()) {
        let narrow = RateEstimator::new(1000.0, low, m).expect("valid").rate(count, 50_000.0).expect("valid");
        let wide = RateEstimator::new(1000.0, high, m).expect("valid").rate(count, 50_000.0).expect("valid");
        prop_assert!(wide.lower <= narrow.lower && wide.upper >= narrow.upper, "{narrow:?} {wide:?}");
    }

    #[test]
    fn wilson_contains_and_widens(n in 1..1_000_000i64, share in 0.0..=1.0f64, (low, high) in two_levels()) {
        let x = ((n as f64) * share).floor() as i64;
        let narrow = Proportion::wilson(x, n, low).expect("valid");
        let wide = Proportion::wilson(x, n, high).expect("valid");
        prop_assert!(narrow.lower <= narrow.value && narrow.value <= narrow.upper);
        prop_assert!(wide.lower <= narrow.lower && wide.upper >= narrow.upper);
        prop_assert!(wide.lower >= 0.0 && wide.upper <= 1.0);
    }

    #[test]
    fn newcombe_contains_and_is_antisymmetric(n1 in 1..100_000i64, s1 in 0.0..=1.0f64, n2 in 1..100_000i64, s2 in 0.0..=1.0f64, (low, high) in two_levels()) {
        let x1 = ((n1 as f64) * s1).floor() as i64;
        let x2 = ((n2 as f64) * s2).floor() as i64;
        let forward = ProportionChange::newcombe(x1, n1, x2, n2, low).expect("valid");
        let backward = ProportionChange::newcombe(x2, n2, x1, n1, low).expect("valid");
        let wide = ProportionChange::newcombe(x1, n1, x2, n2, high).expect("valid");
        prop_assert!(forward.lower <= forward.value && forward.value <= forward.upper);
        prop_assert!((forward.value + backward.value).abs() < 1e-9);
        prop_assert!((forward.lower + backward.upper).abs() < 1e-9);
        prop_assert!(wide.lower <= forward.lower && wide.upper >= forward.upper);
    }

    #[test]
    fn change_is_antisymmetric(a in 0..200_000i64, b in 0..200_000i64, e1 in 0.1..10.0f64, e0 in 0.1..10.0f64) {
        let there = Change::with_options(a, b, &ChangeOptions { exposure: e1, previous_exposure: e0, ..ChangeOptions::default() }).expect("valid");
        let back = Change::with_options(b, a, &ChangeOptions { exposure: e0, previous_exposure: e1, ..ChangeOptions::default() }).expect("valid");
        prop_assert_eq!(there.absolute, -back.absolute);
        prop_assert!((there.p_value - back.p_value).abs() < 1e-12, "{} {}", there.p_value, back.p_value);
        if let (Some(r1), Some(r2)) = (there.ratio, back.ratio) {
            prop_assert!((r1 * r2 - 1.0).abs() < 1e-12);
        }
        // The interval of the reverse change is the reciprocal interval.
        if a > 0 && b > 0 {
            prop_assert!((there.lower * back.upper - 1.0).abs() < 1e-9, "{} {}", there.lower, back.upper);
            prop_assert!((there.score_lower * back.score_upper - 1.0).abs() < 1e-9);
        }
        let flipped = match there.significance {
            crimeperf::Significance::Increase => crimeperf::Significance::Reduction,
            crimeperf::Significance::Reduction => crimeperf::Significance::Increase,
            other => other,
        };
        prop_assert_eq!(back.significance, flipped);
    }

    #[test]
    fn change_intervals_contain_the_ratio_and_widen(a in 0..100_000i64, b in 1..100_000i64, (low, high) in two_levels()) {
        let narrow = Change::with_options(a, b, &ChangeOptions { confidence: low, ..ChangeOptions::default() }).expect("valid");
        let wide = Change::with_options(a, b, &ChangeOptions { confidence: high, ..ChangeOptions::default() }).expect("valid");
        let ratio = narrow.ratio.expect("previous > 0");
        prop_assert!(narrow.lower <= ratio * (1.0 + 1e-12) && ratio <= narrow.upper * (1.0 + 1e-12));
        prop_assert!(narrow.score_lower <= ratio * (1.0 + 1e-12) && ratio <= narrow.score_upper * (1.0 + 1e-12));
        prop_assert!(wide.lower <= narrow.lower && wide.upper >= narrow.upper);
        prop_assert!(wide.score_lower <= narrow.score_lower && wide.score_upper >= narrow.score_upper);
        prop_assert!((0.0..=1.0).contains(&narrow.p_value) && narrow.mid_p_value <= narrow.p_value);
    }

    #[test]
    fn with_equal_exposures_the_verdict_agrees_with_the_interval(a in 0..20_000i64, b in 0..20_000i64, exposure in 0.01..100.0f64, level in 0.5..0.999f64) {
        // The minlike p-value of a symmetric binomial is twice the smaller tail, which is below
        // α exactly when the central Clopper–Pearson interval excludes a ratio of 1.
        let options = ChangeOptions {
            exposure,
            previous_exposure: exposure,
            confidence: Confidence::new(level).expect("in range"),
            ..ChangeOptions::default()
        };
        let change = Change::with_options(a, b, &options).expect("valid");
        let alpha = change.confidence.alpha();
        // Within a relative 1e-9 of α the limits' root-finding (to 1e-12) has the last word.
        prop_assume!((change.p_value - alpha).abs() > 1e-9 * alpha);
        let excludes_one = change.lower > 1.0 || change.upper < 1.0;
        prop_assert_eq!(
            change.p_value < alpha,
            excludes_one,
            "p = {} against α = {}; interval {} to {}",
            change.p_value,
            alpha,
            change.lower,
            change.upper
        );
        prop_assert_eq!(change.significance != crimeperf::Significance::NoSignificantChange, excludes_one);
        // With a symmetric binomial Lancaster's mid-p is at most the minlike p-value.
        prop_assert!(change.mid_p_value <= change.p_value);
        prop_assert!(change.minlike_mid_p_value <= change.p_value);
    }

    #[test]
    fn composites_are_the_sums_of_their_members(counts in proptest::collection::vec(0..1_000_000i64, 16)) {
        let mut all = CrimeCounts::new();
        for (crime_type, count) in CrimeType::ALL.into_iter().zip(&counts) {
            all.add(crime_type, *count).expect("valid");
        }
        for composite in Composite::builtin() {
            let by_hand: u64 = composite.members().map(|t| all.get(t)).sum();
            prop_assert_eq!(all.total(&composite), by_hand);
            prop_assert!(!composite.contains(CrimeType::AntiSocialBehaviour));
        }
        let crimes: u64 = CrimeType::ALL.into_iter().filter(|t| !t.is_incident()).map(|t| all.get(t)).sum();
        prop_assert_eq!(all.total(&Composite::all_crime()), crimes);
        prop_assert_eq!(all.incidents() + crimes, counts.iter().map(|c| *c as u64).sum::<u64>());
    }

    #[test]
    fn targets_round_as_documented(baseline in 0.0..1e6f64, percent in -100.0..100.0f64) {
        let exact = Target::from_baseline(baseline, percent, Rounding::None, Polarity::LowerIsBetter).expect("valid");
        let half_up = Target::from_baseline(baseline, percent, Rounding::HalfUp, Polarity::LowerIsBetter).expect("valid");
        let floor = Target::from_baseline(baseline, percent, Rounding::Floor, Polarity::LowerIsBetter).expect("valid");
        let ceil = Target::from_baseline(baseline, percent, Rounding::Ceil, Polarity::LowerIsBetter).expect("valid");
        // Values within a relative 1e-12 of a boundary count as on it (see `Rounding::apply`).
        let slack = 1e-12 * exact.value.max(1.0);
        prop_assert!((half_up.value - exact.value).abs() <= 0.5 + slack);
        prop_assert!(floor.value <= ceil.value && ceil.value - floor.value <= 1.0);
        prop_assert!(floor.value <= exact.value + slack && exact.value <= ceil.value + slack);
    }

    #[test]
    // From 1500: five thousand months either side stay within the supported months
    // (April 1000 to March 9999); leaving them is tested below.
    fn months_round_trip(year in 1500..9000i32, month in 1..=12u32, shift in -5000..5000i64) {
        let m = Month::new(year, month).expect("valid");
        prop_assert_eq!(m.to_string().parse::<Month>().expect("own output parses"), m);
        let moved = m.plus(shift).expect("in range");
        prop_assert_eq!(moved.plus(-shift).expect("in range"), m);
        prop_assert_eq!(m.months_until(moved), shift);
        let fq = m.financial_quarter();
        prop_assert!(fq.months().contains(m) && fq.financial_year() == m.financial_year());
        prop_assert_eq!(fq.to_string().parse::<crimeperf::FinancialQuarter>().expect("own output parses"), fq);
        let ytd = m.year_to_date();
        prop_assert!(!ytd.is_empty() && ytd.len() <= 12 && ytd.last() == m && ytd.first().month() == 4);
        prop_assert_eq!(m.rolling_12_months().expect("in range").len(), 12);
        let fy = m.financial_year();
        prop_assert_eq!(fy.to_string().parse::<FinancialYear>().expect("own output parses"), fy);
        prop_assert!(fy.months().contains(m));
        prop_assert!(crimeperf::check_monthly_series(ytd.iter()).is_ok());
    }

    #[test]
    // Arithmetic never leaves the supported months silently (issue #9, item 7).
    fn month_arithmetic_stays_in_range(year in 1000..=9999i32, month in 1..=12u32, shift in proptest::num::i64::ANY) {
        if let Ok(m) = Month::new(year, month) {
            match m.plus(shift) {
                Ok(moved) => prop_assert!(Month::EARLIEST <= moved && moved <= Month::LATEST),
                Err(e) => prop_assert!(e.to_string().contains("months run from 1000-04 to 9999-03"), "{}", e),
            }
        }
    }
}

#[test]
fn legacy_types_map_to_current_ones() {
    assert_eq!(
        CrimeType::PublicDisorderAndWeapons.current_equivalents(),
        &[CrimeType::PublicOrder, CrimeType::PossessionOfWeapons]
    );
    for t in CrimeType::CURRENT {
        assert_eq!(t.current_equivalents(), &[t]);
        assert!(!t.is_legacy());
    }
}
