//! Targets set from baselines, e.g. "10% reduction by March 2011: baseline 325, target 293".

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::distribution::poisson;
use crate::option::{self, OptionLabel};
use crate::{input, text, Error, Result};

/// How a target computed from a baseline is rounded to a publishable number.
///
/// Labels (`label()`, `FromStr`, serde and Python): `"half_up"`, `"floor"`, `"ceil"`, `"none"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round half up, as the published plans do: 292.5 → 293 (not banker's rounding to 292).
    #[default]
    HalfUp,
    /// Round down: 292.5 → 292.
    Floor,
    /// Round up: 292.1 → 293.
    Ceil,
    /// Keep the exact value.
    None,
}

impl Rounding {
    /// Every rounding.
    pub const ALL: [Rounding; 4] = [
        Rounding::HalfUp,
        Rounding::Floor,
        Rounding::Ceil,
        Rounding::None,
    ];

    /// `"half_up"`, `"floor"`, `"ceil"` or `"none"`.
    pub fn label(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half_up",
            Rounding::Floor => "floor",
            Rounding::Ceil => "ceil",
            Rounding::None => "none",
        }
    }

    /// Applies the rounding.
    ///
    /// A target such as `325 × 0.9` is meant as the decimal 292.5, but binary arithmetic gives
    /// 292.49999999999997; values within a relative 1e-12 of a rounding boundary are therefore
    /// treated as lying on it.
    pub fn apply(self, value: f64) -> f64 {
        let slack = 1e-12 * value.abs().max(1.0);
        match self {
            Rounding::HalfUp => (value + 0.5 + slack).floor(),
            Rounding::Floor => (value + slack).floor(),
            Rounding::Ceil => (value - slack).ceil(),
            Rounding::None => value,
        }
    }
}

impl OptionLabel for Rounding {
    const WHAT: &'static str = "rounding";
    const EXPECTED: &'static str = "half_up, floor, ceil, none";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        Rounding::label(self)
    }
}

impl FromStr for Rounding {
    type Err = Error;

    /// Parses a [`label`](Rounding::label), case-insensitive and trimmed; nothing else.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownOption`], listing the labels and suggesting the closest.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Rounding;
    ///
    /// assert_eq!(" Half_Up ".parse::<Rounding>()?, Rounding::HalfUp);
    /// let err = "half-up".parse::<Rounding>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "unknown rounding \"half-up\"; expected one of: half_up, floor, ceil, none \
    ///      (did you mean 'half_up'?)"
    /// );
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
    }
}

/// Which direction is good for an indicator.
///
/// Labels (`label()`, `FromStr`, serde and Python): `"lower_is_better"`, `"higher_is_better"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Fewer is better (crimes, incidents).
    #[default]
    LowerIsBetter,
    /// More is better (solved rates, referrals).
    HigherIsBetter,
}

impl Polarity {
    /// Both polarities.
    pub const ALL: [Polarity; 2] = [Polarity::LowerIsBetter, Polarity::HigherIsBetter];

    /// `"lower_is_better"` or `"higher_is_better"`.
    pub fn label(self) -> &'static str {
        match self {
            Polarity::LowerIsBetter => "lower_is_better",
            Polarity::HigherIsBetter => "higher_is_better",
        }
    }

    /// True when `actual` is better than `reference` under this polarity.
    pub fn improved(self, actual: f64, reference: f64) -> bool {
        match self {
            Polarity::LowerIsBetter => actual < reference,
            Polarity::HigherIsBetter => actual > reference,
        }
    }

    /// True when `actual` meets `target` (equal counts as met).
    pub fn meets(self, actual: f64, target: f64) -> bool {
        match self {
            Polarity::LowerIsBetter => actual <= target,
            Polarity::HigherIsBetter => actual >= target,
        }
    }
}

impl OptionLabel for Polarity {
    const WHAT: &'static str = "polarity";
    const EXPECTED: &'static str = "lower_is_better, higher_is_better";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        Polarity::label(self)
    }
}

impl FromStr for Polarity {
    type Err = Error;

    /// Parses a [`label`](Polarity::label), case-insensitive and trimmed; nothing else.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownOption`], listing the labels and suggesting the closest.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Polarity;
    ///
    /// assert_eq!("higher_is_better".parse::<Polarity>()?, Polarity::HigherIsBetter);
    /// let err = "lower".parse::<Polarity>().unwrap_err();
    /// assert!(err.to_string().ends_with("(did you mean 'lower_is_better'?)"));
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
    }
}

/// A target: a value to reach, how it was derived and which direction is good.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The baseline it was derived from, if any.
    pub baseline: Option<f64>,
    /// The percent change applied to the baseline, if any (−10 for a 10% reduction).
    pub change_percent: Option<f64>,
    /// The exact value before rounding.
    pub unrounded: f64,
    /// The published target.
    pub value: f64,
    /// How `unrounded` became `value`.
    pub rounding: Rounding,
    /// Which direction is good.
    pub polarity: Polarity,
}

impl Target {
    /// A target `change_percent`% away from `baseline` (−10 for a 10% reduction).
    ///
    /// # Formula
    ///
    /// `baseline × (100 + change_percent) / 100`, then rounded.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a baseline that is negative or not finite, a percent that is not
    /// finite, or a change below −100% (a negative target).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Polarity, Rounding, Target};
    ///
    /// // "10% reduction in Theft From Motor Vehicles by March 2011: baseline 325, target 293".
    /// let t = Target::from_baseline(325.0, -10.0, Rounding::HalfUp, Polarity::LowerIsBetter)?;
    /// assert_eq!((t.unrounded, t.value), (292.5, 293.0));
    /// assert_eq!(t.to_string(), "293 (10% reduction on a baseline of 325)");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn from_baseline(
        baseline: f64,
        change_percent: f64,
        rounding: Rounding,
        polarity: Polarity,
    ) -> Result<Self> {
        let baseline = input::non_negative("baseline", baseline)?;
        let change_percent = input::finite("change_percent", change_percent)?;
        if change_percent < -100.0 {
            return Err(Error::InvalidValue {
                what: "change_percent",
                reason: "must not be below -100 (a target cannot be negative)",
                value: change_percent,
            });
        }
        // Multiplying by (100 + pct) before dividing keeps whole-percent targets exact.
        let unrounded = baseline * (100.0 + change_percent) / 100.0;
        Ok(Target {
            baseline: Some(baseline),
            change_percent: Some(change_percent),
            unrounded,
            value: rounding.apply(unrounded),
            rounding,
            polarity,
        })
    }

    /// An absolute target such as "no more than 150 burglaries".
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when `value` is negative or not finite.
    pub fn absolute(value: f64, polarity: Polarity) -> Result<Self> {
        let value = input::non_negative("target", value)?;
        Ok(Target {
            baseline: None,
            change_percent: None,
            unrounded: value,
            value,
            rounding: Rounding::None,
            polarity,
        })
    }

    /// True when `actual` meets the target.
    pub fn is_met(&self, actual: f64) -> bool {
        self.polarity.meets(actual, self.value)
    }

    /// The probability that a Poisson count with mean `expected` meets the target: `P(X ≤ t)` when
    /// lower is better, `P(X ≥ t)` when higher is better (with `t` the target, rounded inwards to
    /// a whole count).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when `expected` is negative or not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Polarity, Rounding, Target};
    ///
    /// // Reduce 170 burglaries by 5% to 162: if nothing changes, it is met only by luck.
    /// let t = Target::from_baseline(170.0, -5.0, Rounding::HalfUp, Polarity::LowerIsBetter)?;
    /// let p = t.probability_of_meeting(170.0)?;
    /// // scipy.stats.poisson.cdf(162, 170) = 0.2854776972544553
    /// assert!((p - 0.2854776972544553).abs() < 1e-12);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn probability_of_meeting(&self, expected: f64) -> Result<f64> {
        let expected = input::non_negative("expected count", expected)?;
        Ok(match self.polarity {
            Polarity::LowerIsBetter => {
                let whole = self.value.floor();
                if whole >= u64::MAX as f64 {
                    1.0
                } else {
                    poisson::cdf(whole as u64, expected)
                }
            }
            Polarity::HigherIsBetter => {
                let whole = self.value.ceil();
                if whole >= u64::MAX as f64 {
                    0.0
                } else {
                    poisson::sf_from(whole as u64, expected)
                }
            }
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", text::amount(self.value))?;
        if let (Some(baseline), Some(percent)) = (self.baseline, self.change_percent) {
            let direction = if percent < 0.0 {
                "reduction"
            } else {
                "increase"
            };
            write!(
                f,
                " ({}% {direction} on a baseline of {})",
                text::amount(percent.abs()),
                text::amount(baseline)
            )?;
        }
        Ok(())
    }
}

/// The target value `change_percent`% away from `baseline`, rounded.
///
/// # Errors
///
/// As [`Target::from_baseline`].
///
/// # Examples
///
/// ```
/// use crimeperf::{target_value, Rounding};
///
/// assert_eq!(target_value(325.0, -10.0, Rounding::HalfUp)?, 293.0);
/// assert_eq!(target_value(325.0, -10.0, Rounding::Floor)?, 292.0);
/// assert_eq!(target_value(170.0, -5.0, Rounding::None)?, 161.5);
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn target_value(baseline: f64, change_percent: f64, rounding: Rounding) -> Result<f64> {
    Target::from_baseline(baseline, change_percent, rounding, Polarity::LowerIsBetter)
        .map(|t| t.value)
}
