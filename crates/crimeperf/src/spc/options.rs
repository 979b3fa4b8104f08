//! The option values of an SPC chart: each a snake_case label, parsed from that one spelling.

use crate::option::option_enum;
use crate::Polarity;

option_enum! {
    /// The kind of SPC chart.
    ///
    /// ```
    /// use crimeperf::spc::Chart;
    ///
    /// assert_eq!("u_prime".parse::<Chart>()?, Chart::UPrime);
    /// let err = "u-prime".parse::<Chart>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "unknown SPC chart \"u-prime\"; expected one of: xmr, c, u, u_prime (did you mean 'u_prime'?)"
    /// );
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    #[derive(Default)]
    Chart, "SPC chart", "xmr, c, u, u_prime" {
        /// Individuals and moving range: limits from the average moving range (any measure).
        #[default]
        Xmr => "xmr",
        /// Counts in equal opportunity: Poisson limits `c̄ ± 3√c̄`.
        C => "c",
        /// Rates with varying denominators: `ū ± 3√(ū/nᵢ)`.
        U => "u",
        /// Laney's u′: u-chart limits widened by the between-point variation σ_z.
        UPrime => "u_prime",
    }
}

option_enum! {
    /// Which direction of change is an improvement (for crime, `decrease`).
    #[derive(Default)]
    Improvement, "improvement", "increase, decrease" {
        /// Higher values are better (solved rates).
        Increase => "increase",
        /// Lower values are better (crimes, incidents).
        #[default]
        Decrease => "decrease",
    }
}

impl Improvement {
    /// The other direction.
    pub fn reversed(self) -> Improvement {
        match self {
            Improvement::Increase => Improvement::Decrease,
            Improvement::Decrease => Improvement::Increase,
        }
    }

    /// +1 when higher is better, −1 when lower is.
    pub(crate) fn sign(self) -> i8 {
        match self {
            Improvement::Increase => 1,
            Improvement::Decrease => -1,
        }
    }
}

impl From<Polarity> for Improvement {
    fn from(polarity: Polarity) -> Self {
        match polarity {
            Polarity::LowerIsBetter => Improvement::Decrease,
            Polarity::HigherIsBetter => Improvement::Increase,
        }
    }
}

option_enum! {
    /// The set of rules that detect special causes.
    #[derive(Default)]
    RuleProfile, "SPC rule profile", "mdc, anhoj, western_electric" {
        /// NHS England "Making Data Count": a point beyond a limit; a shift of 7 on one side of
        /// the centre; a trend of 7 rising or falling; 2 of 3 beyond two sigma on one side.
        #[default]
        Mdc => "mdc",
        /// Anhøj & Olesen (2014), as qicharts2: a point beyond a limit; an unusually long run or
        /// unusually few crossings of the centre line.
        Anhoj => "anhoj",
        /// Western Electric (1956): a point beyond a limit; 2 of 3 beyond two sigma; 4 of 5
        /// beyond one sigma; 8 in a row on one side.
        WesternElectric => "western_electric",
    }
}

option_enum! {
    /// A rule that fired on a point. When several fire, [`SpcPoint::rule`](crate::spc::SpcPoint)
    /// names the first in this order.
    Rule, "SPC rule", "beyond_limits, two_of_three, four_of_five, shift, trend, long_run" {
        /// A point beyond a process limit (three sigma).
        BeyondLimits => "beyond_limits",
        /// Two of three consecutive points beyond two sigma on the same side.
        TwoOfThree => "two_of_three",
        /// Four of five consecutive points beyond one sigma on the same side (Western Electric).
        FourOfFive => "four_of_five",
        /// A run of points on one side of the centre (7 for MDC, 8 for Western Electric).
        Shift => "shift",
        /// Consecutive points each strictly above (or below) the one before.
        Trend => "trend",
        /// A point in a run longer than Anhøj's limit `round(log2 n) + 3`.
        LongRun => "long_run",
    }
}

impl Rule {
    /// The rule in words, for a chart's caption or a committee report.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::spc::Rule;
    ///
    /// assert_eq!(Rule::Shift.description(), "a run of points on one side of the centre line");
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            Rule::BeyondLimits => "a point beyond a process limit",
            Rule::TwoOfThree => "two of three points beyond two sigma on one side",
            Rule::FourOfFive => "four of five points beyond one sigma on one side",
            Rule::Shift => "a run of points on one side of the centre line",
            Rule::Trend => "a run of points each rising (or falling)",
            Rule::LongRun => "an unusually long run on one side of the centre line",
        }
    }
}

option_enum! {
    /// What a point says: special cause improvement, special cause concern, or common cause.
    Variation, "variation", "improvement, concern, common_cause" {
        /// A special cause in the direction of improvement.
        Improvement => "improvement",
        /// A special cause in the direction of concern.
        Concern => "concern",
        /// No rule fired.
        CommonCause => "common_cause",
    }
}

option_enum! {
    /// Which side wins when rules fire on a point both ways (a falling trend in a run above
    /// the centre).
    #[derive(Default)]
    Precedence, "precedence", "improvement, concern" {
        /// The point is an improvement.
        Improvement => "improvement",
        /// The point is a concern (the default: a concern is never hidden by an improvement).
        #[default]
        Concern => "concern",
    }
}

option_enum! {
    /// Whether the process, as it runs now, will meet a target.
    Assurance, "assurance", "consistently_meets, consistently_fails, hit_and_miss" {
        /// The target lies beyond the limit on the side of improvement: every point within the
        /// limits meets it.
        ConsistentlyMeets => "consistently_meets",
        /// The target lies beyond the limit on the side of concern: no point within the limits
        /// meets it.
        ConsistentlyFails => "consistently_fails",
        /// The target lies between the limits: it will be met some months and missed in others.
        HitAndMiss => "hit_and_miss",
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used)]
mod tests {
    use std::fmt;
    use std::str::FromStr;

    use super::*;
    use crate::Error;

    /// Each option's error lists exactly its labels, and each label parses back.
    fn check<T: Copy + PartialEq + fmt::Debug + FromStr<Err = Error>>(
        all: &[T],
        label: fn(T) -> &'static str,
    ) {
        let labels: Vec<&str> = all.iter().map(|&v| label(v)).collect();
        for (&value, text) in all.iter().zip(&labels) {
            assert_eq!(text.parse::<T>().ok(), Some(value));
        }
        match "?".parse::<T>() {
            Err(Error::UnknownOption { expected, .. }) => assert_eq!(expected, labels.join(", ")),
            other => panic!("expected UnknownOption, got {other:?}"),
        }
    }

    #[test]
    fn labels_round_trip_and_errors_list_them() {
        check(Chart::ALL, Chart::label);
        check(Improvement::ALL, Improvement::label);
        check(RuleProfile::ALL, RuleProfile::label);
        check(Rule::ALL, Rule::label);
        check(Variation::ALL, Variation::label);
        check(Precedence::ALL, Precedence::label);
        check(Assurance::ALL, Assurance::label);
        assert_eq!(
            serde_json::to_string(&Chart::UPrime).unwrap(),
            "\"u_prime\""
        );
        // One spelling, read as every option of the crate reads it: case and surrounding space
        // aside, nothing else.
        assert_eq!(" U_PRIME ".parse::<Chart>(), Ok(Chart::UPrime));
        assert!("u-prime".parse::<Chart>().is_err());
    }
}
