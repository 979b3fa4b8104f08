//! Residents' survey measures: a share with its interval ("55.7% feel safe"), from a count or
//! from a printed percentage and its sample size, with a design effect for weighted surveys, and
//! the change between two waves.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::proportion::{newcombe_limits, significance_of, wilson_limits};
use crate::{input, text, Confidence, Error, Result, Significance};

/// A survey share with its Wilson interval on the effective sample size.
///
/// # Formula
///
/// A weighted survey's design effect `deff` shrinks the sample to the effective size
/// `n / deff`; the Wilson score interval is computed on the share and that size (Kish's
/// approximation, as ONS and the Crime Survey for England and Wales state their intervals).
/// With `deff = 1` and a whole count it is [`Proportion::wilson`](crate::Proportion::wilson).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurveyProportion {
    /// The share, as a fraction.
    pub value: f64,
    /// The lower limit, as a fraction.
    pub lower: f64,
    /// The upper limit, as a fraction.
    pub upper: f64,
    /// The number of respondents.
    pub base: u64,
    /// `base / design_effect`.
    pub effective_base: f64,
    /// The design effect used (1 for a simple random sample).
    pub design_effect: f64,
    /// The confidence level of the limits.
    pub confidence: Confidence,
}

impl SurveyProportion {
    /// The share `count / base`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`] for a negative count or base, [`Error::InvalidDenominator`]
    /// for a base of zero, [`Error::NumeratorAboveDenominator`] when `count > base`, and
    /// [`Error::InvalidValue`] for a design effect that is not a finite number of at least 1.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, SurveyProportion};
    ///
    /// // 557 of 1,000 respondents feel safe after dark.
    /// let safe = SurveyProportion::from_count(557, 1000, 1.0, Confidence::default())?;
    /// assert_eq!(safe.to_string(), "55.7% (52.6% to 58.8%)");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn from_count(
        count: i64,
        base: i64,
        design_effect: f64,
        confidence: Confidence,
    ) -> Result<Self> {
        let x = input::count("count of respondents", count)?;
        let n = sample_size(base)?;
        if x > n {
            return Err(Error::NumeratorAboveDenominator {
                what: "survey share",
                numerator: count,
                denominator: base,
            });
        }
        Self::build(x as f64 / n as f64, n, design_effect, confidence)
    }

    /// The share printed as `percent` (0 to 100) of `base` respondents.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a percentage outside 0 to 100 or a bad design effect, and the
    /// errors of [`SurveyProportion::from_count`] for the base.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, SurveyProportion};
    ///
    /// // "55.7% feel safe" from 1,000 respondents, weighted with a design effect of 1.5.
    /// let safe = SurveyProportion::from_percent(55.7, 1000, 1.5, Confidence::default())?;
    /// assert_eq!(safe.to_string(), "55.7% (51.9% to 59.4%)");
    /// assert!((safe.effective_base - 666.67).abs() < 0.01);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn from_percent(
        percent: f64,
        base: i64,
        design_effect: f64,
        confidence: Confidence,
    ) -> Result<Self> {
        if !(percent.is_finite() && (0.0..=100.0).contains(&percent)) {
            return Err(Error::InvalidValue {
                what: "percentage",
                reason: "must be between 0 and 100",
                value: percent,
            });
        }
        let n = sample_size(base)?;
        Self::build(percent / 100.0, n, design_effect, confidence)
    }

    fn build(share: f64, base: u64, design_effect: f64, confidence: Confidence) -> Result<Self> {
        if !(design_effect.is_finite() && design_effect >= 1.0) {
            return Err(Error::InvalidValue {
                what: "design effect",
                reason: "must be a finite number of at least 1 (1 for a simple random sample)",
                value: design_effect,
            });
        }
        let effective_base = base as f64 / design_effect;
        let (lower, upper) = wilson_limits(share * effective_base, effective_base, confidence.z());
        Ok(SurveyProportion {
            value: share,
            lower,
            upper,
            base,
            effective_base,
            design_effect,
            confidence,
        })
    }

    /// The share as a percentage.
    pub fn percent(&self) -> f64 {
        self.value * 100.0
    }
}

fn sample_size(base: i64) -> Result<u64> {
    let n = input::count("sample size", base)?;
    if n == 0 {
        return Err(Error::InvalidDenominator {
            what: "sample size",
            value: 0.0,
        });
    }
    Ok(n)
}

impl fmt::Display for SurveyProportion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text::percent_with_interval(
            self.value, self.lower, self.upper,
        ))
    }
}

/// The change in a survey share between two waves, in percentage points, with Newcombe's
/// hybrid score interval on the two waves' Wilson intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SurveyChange {
    /// This wave.
    pub current: SurveyProportion,
    /// The earlier wave.
    pub previous: SurveyProportion,
    /// `current − previous`, in percentage points.
    pub value: f64,
    /// Lower limit, in percentage points.
    pub lower: f64,
    /// Upper limit, in percentage points.
    pub upper: f64,
    /// Whether the interval excludes no change.
    pub significance: Significance,
    /// The confidence level.
    pub confidence: Confidence,
}

impl SurveyChange {
    /// The change from `previous` to `current` (two independent waves at the same confidence).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when the two waves' intervals are at different confidence levels.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, Significance, SurveyChange, SurveyProportion};
    ///
    /// let c = Confidence::default();
    /// let now = SurveyProportion::from_percent(55.7, 1000, 1.0, c)?;
    /// let then = SurveyProportion::from_percent(61.0, 950, 1.0, c)?;
    /// let change = SurveyChange::new(now, then)?;
    /// assert_eq!(change.describe(), "5.3 percentage points lower (55.7% against 61.0%)");
    /// assert_eq!(change.significance, Significance::Reduction);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(current: SurveyProportion, previous: SurveyProportion) -> Result<Self> {
        if current.confidence != previous.confidence {
            return Err(Error::InvalidValue {
                what: "confidence of the earlier wave",
                reason: "must equal the later wave's",
                value: previous.confidence.level(),
            });
        }
        let (value, lower, upper) = newcombe_limits(
            (current.value, current.lower, current.upper),
            (previous.value, previous.lower, previous.upper),
        );
        Ok(SurveyChange {
            current,
            previous,
            value: value * 100.0,
            lower: lower * 100.0,
            upper: upper * 100.0,
            significance: significance_of(lower, upper),
            confidence: current.confidence,
        })
    }

    /// The committee sentence: "5.3 percentage points lower (55.7% against 61.0%)".
    pub fn describe(&self) -> String {
        text::points_sentence(self.value, self.current.percent(), self.previous.percent())
    }
}
