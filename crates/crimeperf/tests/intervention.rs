//! Properties of the intervention tests: the weighted displacement difference is antisymmetric
//! in the treated and control areas, and the E-test is a probability that does not depend on
//! which count is called which.

#![allow(clippy::panic, clippy::unwrap_used)]

use crimeperf::{Confidence, EStatistic, ETest, PrePost, Wdd, WddWeights};
use proptest::prelude::*;

fn counts() -> impl Strategy<Value = PrePost> {
    (0u64..5_000, 0u64..5_000).prop_map(|(before, after)| PrePost { before, after })
}

proptest! {
    #[test]
    fn swapping_treated_and_control_negates_the_wdd(
        treated in counts(),
        control in counts(),
        before in 0.5f64..3.0,
        after in 0.5f64..3.0,
    ) {
        let weights = WddWeights { before, after, ..WddWeights::default() };
        let one = Wdd::new(treated, control, None, None, &weights, Confidence::default()).unwrap();
        let other = Wdd::new(control, treated, None, None, &weights, Confidence::default()).unwrap();
        prop_assert!((one.estimate + other.estimate).abs() <= 1e-9 * (1.0 + one.estimate.abs()));
        prop_assert!((one.se - other.se).abs() <= 1e-12 * (1.0 + one.se));
        if let (Some(p), Some(q)) = (one.p_value, other.p_value) {
            prop_assert!((p - q).abs() < 1e-12);
            let (lower, upper) = (one.lower.unwrap(), one.upper.unwrap());
            prop_assert!(lower <= one.estimate && one.estimate <= upper);
        }
    }

    #[test]
    fn the_e_test_is_a_probability_whichever_count_comes_first(
        x1 in 0i64..400,
        x2 in 0i64..400,
        e1 in 0.2f64..5.0,
        e2 in 0.2f64..5.0,
        wald in any::<bool>(),
    ) {
        let kind = if wald { EStatistic::Wald } else { EStatistic::Score };
        let one = ETest::new(x1, x2, e1, e2, kind).unwrap();
        let other = ETest::new(x2, x1, e2, e1, kind).unwrap();
        match (one.p_value, other.p_value) {
            (Some(p), Some(q)) => {
                prop_assert!((0.0..=1.0).contains(&p));
                prop_assert!((p - q).abs() < 1e-9, "{p} against {q}");
                prop_assert!(one.truncation_error <= crimeperf::E_TEST_TRUNCATION);
            }
            (None, None) => prop_assert!(x1 == 0 && x2 == 0),
            _ => prop_assert!(false, "one side defined and not the other"),
        }
    }
}

#[test]
fn counts_in_the_thousands_stay_exact() {
    // Equal rates observed equal: nothing to see. A real fall: a tiny p-value, still exact.
    let same = ETest::new(4_000, 4_000, 1.0, 1.0, EStatistic::Score).unwrap();
    assert_eq!(same.p_value, Some(1.0));
    let fall = ETest::new(3_700, 4_000, 1.0, 1.0, EStatistic::Score).unwrap();
    let p = fall.p_value.unwrap();
    assert!(p > 0.0 && p < 0.001, "{p}");
}

#[test]
fn bad_input_is_a_typed_error() {
    assert!(matches!(
        ETest::new(-1, 3, 1.0, 1.0, EStatistic::Score),
        Err(crimeperf::Error::NegativeCount { .. })
    ));
    assert!(matches!(
        ETest::new(1, 3, 0.0, 1.0, EStatistic::Score),
        Err(crimeperf::Error::InvalidDenominator { .. })
    ));
    let weights = WddWeights {
        after: -1.0,
        ..WddWeights::default()
    };
    let zero = PrePost {
        before: 1,
        after: 1,
    };
    assert!(matches!(
        Wdd::new(zero, zero, None, None, &weights, Confidence::default()),
        Err(crimeperf::Error::InvalidDenominator { .. })
    ));
}
