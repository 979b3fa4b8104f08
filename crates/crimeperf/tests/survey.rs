//! Properties of survey shares and standardised ratios: intervals hold the estimate and widen
//! with confidence and with the design effect; a change between waves is antisymmetric.

#![allow(clippy::panic, clippy::unwrap_used)]

use crimeperf::{Confidence, StandardisedRatio, SurveyChange, SurveyProportion};
use proptest::prelude::*;

proptest! {
    #[test]
    fn survey_intervals_hold_the_share_and_widen(
        base in 1i64..20_000,
        fraction in 0.0f64..=1.0,
        deff in 1.0f64..5.0,
    ) {
        let count = (fraction * base as f64).round() as i64;
        let narrow = SurveyProportion::from_count(count, base, 1.0, Confidence::new(0.9).unwrap()).unwrap();
        let wide = SurveyProportion::from_count(count, base, 1.0, Confidence::new(0.99).unwrap()).unwrap();
        let weighted = SurveyProportion::from_count(count, base, deff, Confidence::new(0.9).unwrap()).unwrap();
        prop_assert!(narrow.lower <= narrow.value && narrow.value <= narrow.upper);
        prop_assert!(wide.lower <= narrow.lower && narrow.upper <= wide.upper);
        prop_assert!(weighted.lower <= narrow.lower + 1e-12 && narrow.upper <= weighted.upper + 1e-12);
    }

    #[test]
    fn a_change_between_waves_is_antisymmetric(
        p1 in 0.0f64..=100.0,
        p2 in 0.0f64..=100.0,
        n1 in 1i64..5_000,
        n2 in 1i64..5_000,
    ) {
        let c = Confidence::default();
        let a = SurveyProportion::from_percent(p1, n1, 1.0, c).unwrap();
        let b = SurveyProportion::from_percent(p2, n2, 1.0, c).unwrap();
        let forward = SurveyChange::new(a, b).unwrap();
        let back = SurveyChange::new(b, a).unwrap();
        prop_assert!((forward.value + back.value).abs() < 1e-9);
        prop_assert!((forward.lower + back.upper).abs() < 1e-9);
        prop_assert!((forward.upper + back.lower).abs() < 1e-9);
        prop_assert!(forward.lower <= forward.value && forward.value <= forward.upper);
    }

    #[test]
    fn a_standardised_ratio_interval_holds_it(observed in 0i64..100_000, expected in 0.5f64..50_000.0) {
        let ratio = StandardisedRatio::new(observed, expected, 100.0, Confidence::default()).unwrap();
        prop_assert!(ratio.lower <= ratio.value && ratio.value <= ratio.upper);
        prop_assert!((ratio.value - observed as f64 / expected * 100.0).abs() <= 1e-9 * (1.0 + ratio.value));
    }
}

#[test]
fn bad_survey_input_is_a_typed_error() {
    let c = Confidence::default();
    assert!(matches!(
        SurveyProportion::from_percent(120.0, 100, 1.0, c),
        Err(crimeperf::Error::InvalidValue { .. })
    ));
    assert!(matches!(
        SurveyProportion::from_percent(50.0, 0, 1.0, c),
        Err(crimeperf::Error::InvalidDenominator { .. })
    ));
    assert!(matches!(
        SurveyProportion::from_count(5, 10, 0.9, c),
        Err(crimeperf::Error::InvalidValue { .. })
    ));
    assert!(matches!(
        StandardisedRatio::new(5, 0.0, 100.0, c),
        Err(crimeperf::Error::InvalidDenominator { .. })
    ));
}
