//! The conventions of issue #9: which mid-p, which verdict, one rounding for every printed
//! figure, ONS's small-base rule, RAG of proportions, one spelling for option values, and
//! suggestions for mistyped ones.
//!
//! Hand computations are exact sums of binomial masses (Python `fractions.Fraction` with
//! `math.comb`), each quoted with the scipy call that gives the same double.

// A test reports failure by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

use std::fmt::Debug;
use std::str::FromStr;

use crimeperf::{
    Change, ChangeOptions, Confidence, Error, Polarity, Proportion, ProportionChange, Rag, RagRule,
    RagStatus, RateEstimator, RateMethod, Rounding, Significance, Target,
};
use serde::{de::DeserializeOwned, Serialize};

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= 1e-13 * expected,
        "{what}: {actual:e} against {expected:e}"
    );
}

#[test]
fn lancaster_mid_p_against_hand_computation() {
    // (current, previous, exposure, previous exposure, Lancaster mid-p, statsmodels cond-midp)
    let cases = [
        // 206 against 168: P(X < 206) + ½P(X = 206) and P(X > 206) + ½P(X = 206) with
        // X ~ Bin(374, ½): 2·(binom.sf(206, 374, 0.5) + ½·binom.pmf(206, 374, 0.5))
        //   = 2·0.02179436357056997 + 0.005992629026119265 = 0.049581356167259207 (the
        // textbook 0.0496); statsmodels.stats.rates.test_poisson_2indep(206, 1, 168, 1,
        // method='cond-midp').pvalue = 0.05557398519337847 − ½·0.005992629026119265
        //   = 0.052577670680318836.
        (
            206,
            168,
            1.0,
            1.0,
            0.049581356167259207,
            0.052577670680318836,
        ),
        // 10 against 2: 2·(binom.sf(10, 12, 0.5) + ½·binom.pmf(10, 12, 0.5))
        //   = 2·0.003173828125 + 0.01611328125 = 0.0224609375;
        // binomtest(10, 12).pvalue − ½·pmf = 0.03857421875 − 0.008056640625 = 0.030517578125.
        (10, 2, 1.0, 1.0, 0.0224609375, 0.030517578125),
        // 3 against 12 (the lower tail): 2·(binom.cdf(2, 15, 0.5) + ½·binom.pmf(3, 15, 0.5))
        //   = 2·0.003692626953125 + 0.013885498046875 = 0.021270751953125;
        // 0.03515625 − ½·0.013885498046875 = 0.0282135009765625.
        (3, 12, 1.0, 1.0, 0.021270751953125, 0.0282135009765625),
        // Unequal exposures, 30 in 1.5 years against 12 in 1: X ~ Bin(42, 0.6),
        // 2·(binom.sf(30, 42, 0.6) + ½·binom.pmf(30, 42, 0.6))
        //   = 2·0.044940227373639015 + 0.04101460975688159 = 0.1308950645041596;
        // binomtest(30, 42, 0.6).pvalue = 0.15650656652297795, less ½·pmf: 0.13599926164453716.
        (30, 12, 1.5, 1.0, 0.1308950645041596, 0.13599926164453716),
        // Nothing the previous year: 5 against 0, 2·½·binom.pmf(5, 5, 0.5) = 0.03125;
        // 0.0625 − 0.015625 = 0.046875.
        (5, 0, 1.0, 1.0, 0.03125, 0.046875),
        // And none this year: 0 against 7, 2·½·0.5⁷ = 0.0078125; 0.015625 − 0.00390625.
        (0, 7, 1.0, 1.0, 0.0078125, 0.01171875),
    ];
    for (current, previous, exposure, previous_exposure, lancaster, minlike) in cases {
        let options = ChangeOptions {
            exposure,
            previous_exposure,
            ..ChangeOptions::default()
        };
        let change = Change::with_options(current, previous, &options).unwrap();
        let what = format!("{current} against {previous}");
        close(
            change.mid_p_value,
            lancaster,
            &format!("{what}: Lancaster mid-p"),
        );
        close(
            change.minlike_mid_p_value,
            minlike,
            &format!("{what}: minlike mid-p"),
        );
        assert!(change.mid_p_value <= change.p_value);
    }
    // The two differ on the side of 0.05 that matters.
    let burglary = Change::new(206, 168).unwrap();
    assert!(burglary.mid_p_value < 0.05 && burglary.minlike_mid_p_value > 0.05);
    assert_eq!(Change::new(0, 0).unwrap().mid_p_value, 1.0);
    assert_eq!(Change::new(40, 40).unwrap().mid_p_value, 1.0);
}

#[test]
fn the_verdict_is_described_with_its_basis() {
    let burglary = Change::new(206, 168).unwrap();
    assert_eq!(burglary.describe("crimes"), "22.6% increase (38 crimes)");
    assert_eq!(
        burglary.describe_with_verdict("crimes"),
        "22.6% increase (38 crimes), not a statistically significant change (exact conditional \
         test, two-sided minlike p = 0.056)"
    );
    // scipy.stats.binomtest(4208, 8653).pvalue = 0.0112: a significant reduction.
    assert_eq!(
        Change::new(4208, 4445)
            .unwrap()
            .describe_with_verdict("crimes"),
        "5.3% reduction (237 crimes), a statistically significant reduction (exact conditional \
         test, two-sided minlike p = 0.011)"
    );
    assert_eq!(
        Change::new(300, 150)
            .unwrap()
            .describe_with_verdict("crimes"),
        "100.0% increase (150 crimes), a statistically significant increase (exact conditional \
         test, two-sided minlike p < 0.001)"
    );
    let options = ChangeOptions {
        confidence: Confidence::new(0.998).unwrap(),
        ..ChangeOptions::default()
    };
    assert_eq!(
        Change::with_options(4208, 4445, &options)
            .unwrap()
            .describe_with_verdict("crimes"),
        "5.3% reduction (237 crimes), not a statistically significant change (exact conditional \
         test, two-sided minlike p = 0.011, at 99.8% confidence)"
    );
    assert_eq!(
        burglary.to_string(),
        "168 → 206: 22.6% increase (38 crimes); rate ratio 1.226 (0.995 to 1.512, 95% central \
         Clopper–Pearson); no significant change (exact conditional test, two-sided minlike \
         p = 0.056)"
    );
}

#[test]
fn exact_ties_print_the_same_everywhere() {
    // 1/16 = 6.25% exactly: Rust's "{:.1}" rounds the tie to even (6.2); every printed figure
    // rounds it away from zero (6.3), as the sentences do.
    let p = Proportion::wilson(1, 16, Confidence::default()).unwrap();
    assert!(p.to_string().starts_with("6.3% ("), "{p}");
    // 1/8 against 1/16: 6.25 points lower.
    let change = ProportionChange::newcombe(1, 16, 1, 8, Confidence::default()).unwrap();
    assert_eq!(
        change.describe(),
        "6.3 percentage points lower (6.3% against 12.5%)"
    );
    assert!(change.to_string().starts_with("-6.3 points ("), "{change}");
    // 2.125 per 1,000 (17 in 8,000) prints to two places as 2.13, not 2.12.
    let rate = RateEstimator::new(1000.0, Confidence::default(), RateMethod::Byar)
        .unwrap()
        .rate(17, 8000.0)
        .unwrap();
    assert!(rate.to_string().starts_with("2.13 per 1,000 ("), "{rate}");
    // A target of 0.25 points more than a baseline of 1 prints as 1.3.
    let target = Target::absolute(1.25, Polarity::LowerIsBetter).unwrap();
    assert_eq!(target.to_string(), "1.3");
    // RAG movements use the changes' own percent: 393 against 400 is a 1.75% reduction.
    let rag = Rag::assess(
        400.0,
        393.0,
        390.0,
        Polarity::LowerIsBetter,
        RagRule::TargetMet,
    )
    .unwrap();
    assert_eq!(
        rag.reason,
        "393 is better than the baseline of 400 (1.8% reduction) but misses the target of 390"
    );
    assert_eq!(
        Change::new(393, 400).unwrap().describe("crimes"),
        "1.8% reduction (7 crimes)"
    );
}

#[test]
fn small_base_follows_ons_either_year_below_50() {
    // ONS: no percent change is published when either year has fewer than 50 offences.
    assert!(Change::new(60, 49).unwrap().small_base);
    assert!(Change::new(49, 60).unwrap().small_base);
    assert!(Change::new(0, 50).unwrap().small_base);
    assert!(!Change::new(50, 50).unwrap().small_base);
    let options = ChangeOptions {
        min_base: 100,
        ..ChangeOptions::default()
    };
    assert!(Change::with_options(99, 150, &options).unwrap().small_base);
}

#[test]
fn rag_of_a_solved_rate_uses_the_change_in_proportions() {
    let strict = RagRule::TargetMetAndSignificant(Confidence::default());
    // 95 of 100 solved against 85 of 100, target 90%. As proportions the rise of 10 points is
    // significant (Newcombe's 95% interval is wholly above zero); as two Poisson counts, 95
    // against 85, it would not be (scipy.stats.binomtest(95, 180).pvalue = 0.5024).
    let rag =
        Rag::assess_proportion(95, 100, 85, 100, 90.0, Polarity::HigherIsBetter, strict).unwrap();
    let newcombe = ProportionChange::newcombe(95, 100, 85, 100, Confidence::default()).unwrap();
    assert!(newcombe.lower > 0.0);
    assert_eq!(rag.proportion_change, Some(newcombe));
    assert_eq!(rag.status, RagStatus::Green);
    assert_eq!((rag.actual, rag.baseline, rag.target), (95.0, 85.0, 90.0));
    assert_eq!(
        rag.reason,
        "95.0% meets the target of 90.0% (rise of 10.0 percentage points on the baseline of 85.0%)"
    );
    let as_counts = Rag::assess(85.0, 95.0, 90.0, Polarity::HigherIsBetter, strict).unwrap();
    assert_eq!(as_counts.status, RagStatus::Amber);

    // Rochford's solved rate: 26.1% against 24.3%; Newcombe's interval, -0.03 to 3.63 points,
    // includes zero, so a met target of 25% is amber under the significance rule.
    let rag = Rag::assess_proportion(
        1098,
        4208,
        1080,
        4445,
        25.0,
        Polarity::HigherIsBetter,
        strict,
    )
    .unwrap();
    assert_eq!(rag.status, RagStatus::Amber);
    assert_eq!(
        rag.reason,
        "26.1% meets the target of 25.0% but the rise of 1.8 percentage points on the baseline of \
         24.3% is not statistically significant (95% Newcombe interval -0.03 to +3.63 percentage \
         points)"
    );
    // Missing the target, and falling.
    let rag =
        Rag::assess_proportion(20, 100, 25, 100, 30.0, Polarity::HigherIsBetter, strict).unwrap();
    assert_eq!(rag.status, RagStatus::Red);
    assert!(Rag::assess_proportion(5, 4, 1, 4, 30.0, Polarity::HigherIsBetter, strict).is_err());
}

/// `label()`, `FromStr` and serde agree on one snake_case spelling.
fn round_trips<T>(values: &[T], label: impl Fn(T) -> &'static str)
where
    T: Copy + PartialEq + Debug + Serialize + DeserializeOwned + FromStr<Err = Error>,
{
    for &value in values {
        let word = label(value);
        assert!(
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{word:?} is not snake_case"
        );
        assert_eq!(serde_json::to_string(&value).unwrap(), format!("{word:?}"));
        assert_eq!(
            serde_json::from_str::<T>(&format!("{word:?}")).unwrap(),
            value
        );
        assert_eq!(word.parse::<T>().unwrap(), value);
        assert_eq!(
            format!(" {} ", word.to_uppercase()).parse::<T>().unwrap(),
            value
        );
        // Other spellings of the same words are refused, with the right one suggested.
        let kebab = word.replace('_', "-");
        if kebab != word {
            let err = kebab.parse::<T>().unwrap_err().to_string();
            assert!(err.contains(&format!("did you mean '{word}'?")), "{err}");
        }
    }
}

#[test]
fn option_values_have_one_snake_case_spelling() {
    round_trips(&Rounding::ALL, Rounding::label);
    round_trips(&Polarity::ALL, Polarity::label);
    round_trips(&RateMethod::ALL, RateMethod::label);
    round_trips(&RagStatus::ALL, RagStatus::label);
    round_trips(&Significance::ALL, Significance::label);
    // RagRule's significance rule carries its confidence.
    assert_eq!(
        serde_json::to_string(&RagRule::TargetMet).unwrap(),
        "\"target_met\""
    );
    let strict = RagRule::TargetMetAndSignificant(Confidence::new(0.998).unwrap());
    let json = serde_json::to_string(&strict).unwrap();
    assert_eq!(json, "{\"target_met_and_significant\":0.998}");
    assert_eq!(serde_json::from_str::<RagRule>(&json).unwrap(), strict);
    for rule in RagRule::ALL {
        assert_eq!(rule.label().parse::<RagRule>().unwrap(), rule);
    }
    // The verdict's words stay for people; its label is for code.
    assert_eq!(
        Significance::NoSignificantChange.to_string(),
        "no significant change"
    );
    assert_eq!(
        Significance::NoSignificantChange.label(),
        "no_significant_change"
    );
    // Old spellings and abbreviations are gone.
    for old in ["half-up", "down", "up", "ceiling"] {
        assert!(old.parse::<Rounding>().is_err(), "{old}");
    }
    for old in ["lower-is-better", "lower", "higher is better"] {
        assert!(old.parse::<Polarity>().is_err(), "{old}");
    }
    for old in ["garwood", "byars"] {
        assert!(old.parse::<RateMethod>().is_err(), "{old}");
    }
    for old in ["g", "a", "r"] {
        assert!(old.parse::<RagStatus>().is_err(), "{old}");
    }
}

#[test]
fn a_mistyped_option_gets_did_you_mean() {
    let err = "flor".parse::<Rounding>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown rounding \"flor\"; expected one of: half_up, floor, ceil, none (did you mean \
         'floor'?)"
    );
    let err = "highr_is_better".parse::<Polarity>().unwrap_err();
    assert!(
        err.to_string()
            .ends_with("(did you mean 'higher_is_better'?)"),
        "{err}"
    );
    let err = "exakt".parse::<RateMethod>().unwrap_err();
    assert!(
        err.to_string().ends_with("(did you mean 'exact'?)"),
        "{err}"
    );
    // Nothing close: the list alone.
    let err = "banker".parse::<Rounding>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown rounding \"banker\"; expected one of: half_up, floor, ceil, none"
    );
    assert!(matches!(
        err,
        Error::UnknownOption {
            what: "rounding",
            ..
        }
    ));
}
