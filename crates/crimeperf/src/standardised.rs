//! Observed against expected: indirectly standardised ratios (actual against predicted
//! re-offending, crimes against a model's expectation) with exact Poisson or Byar intervals.

use serde::{Deserialize, Serialize};

use crate::{input, text, Confidence, RateEstimator, RateMethod, Result};

/// An indirectly standardised ratio: `observed / expected × per`, with the interval of the
/// observed count divided by the expected one.
///
/// # Formula
///
/// The limits are those of the observed count as a Poisson mean, exact (Garwood) below 10 events
/// and Byar's approximation from 10 (the rule of [`RateMethod::Auto`]), over `expected`, times
/// `per`: PHEindicatormethods' `calculate_ISRatio` (with `refvalue = per`). The expected count is
/// taken as known (it comes from reference rates on large populations).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StandardisedRatio {
    /// The observed count.
    pub observed: u64,
    /// The expected count.
    pub expected: f64,
    /// The multiplier: 100 gives a ratio where 100 means "as expected".
    pub per: f64,
    /// `observed / expected × per`.
    pub value: f64,
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// `Exact` or `Byar`.
    pub method: RateMethod,
    /// The confidence level.
    pub confidence: Confidence,
}

impl StandardisedRatio {
    /// The ratio of `observed` to `expected`, times `per`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`](crate::Error::NegativeCount) for a negative observed count, and
    /// [`Error::InvalidDenominator`](crate::Error::InvalidDenominator) for an expected count or
    /// `per` that is not a finite number above zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, StandardisedRatio};
    ///
    /// // PHEindicatormethods' test data: 91 observed against 835.88 expected, ×100.
    /// let ratio = StandardisedRatio::new(91, 835.8835612311743, 100.0, Confidence::default())?;
    /// assert!((ratio.value - 10.886683770400502).abs() < 1e-12);
    /// assert_eq!(ratio.describe(), "10.9 (8.8 to 13.4): significantly below the expected 100");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(observed: i64, expected: f64, per: f64, confidence: Confidence) -> Result<Self> {
        let expected = input::denominator("expected count", expected)?;
        let rate =
            RateEstimator::new(per, confidence, RateMethod::Auto)?.rate(observed, expected)?;
        Ok(StandardisedRatio {
            observed: rate.count,
            expected,
            per: rate.per,
            value: rate.value,
            lower: rate.lower,
            upper: rate.upper,
            method: rate.method,
            confidence,
        })
    }

    /// The sentence: "107.1 (95.6 to 119.5): not significantly different from the expected
    /// 100", or "… significantly above (below) the expected 100" when the interval excludes
    /// `per`.
    pub fn describe(&self) -> String {
        let figure = format!(
            "{} ({} to {})",
            text::format_fixed(self.value, 1),
            text::format_fixed(self.lower, 1),
            text::format_fixed(self.upper, 1)
        );
        let per = text::thousands(self.per);
        if self.lower > self.per {
            format!("{figure}: significantly above the expected {per}")
        } else if self.upper < self.per {
            format!("{figure}: significantly below the expected {per}")
        } else {
            format!("{figure}: not significantly different from the expected {per}")
        }
    }
}
