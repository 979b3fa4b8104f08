//! Proportions such as solved rates, with Wilson intervals, and their change in percentage points
//! with Newcombe's interval.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{input, text, Confidence, Error, Result, Significance};

/// A proportion with its Wilson score interval, e.g. a solved rate of 26.1% (24.8% to 27.5%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Proportion {
    /// The numerator (e.g. solved crimes).
    pub numerator: u64,
    /// The denominator (e.g. all crimes).
    pub denominator: u64,
    /// `numerator / denominator`, as a fraction.
    pub value: f64,
    /// Lower Wilson limit, as a fraction.
    pub lower: f64,
    /// Upper Wilson limit, as a fraction.
    pub upper: f64,
    /// The confidence level of the limits.
    pub confidence: Confidence,
}

impl Proportion {
    /// The proportion `numerator / denominator` with its Wilson score interval.
    ///
    /// # Formula
    ///
    /// With `p = x/n` and the critical value `z`:
    /// `(x + z²/2 ± z √(x(n−x)/n + z²/4)) / (n + z²)` — the same numbers as
    /// `statsmodels.stats.proportion.proportion_confint(x, n, method="wilson")` and
    /// PHEindicatormethods' `wilson_lower`/`wilson_upper`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`] for negative inputs, [`Error::CountTooLarge`] above
    /// [`MAX_COUNT`](crate::MAX_COUNT), [`Error::NumeratorAboveDenominator`] when
    /// `numerator > denominator`, and [`Error::InvalidDenominator`] when the denominator is 0
    /// (there is no solved rate without crimes).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, Proportion};
    ///
    /// // PHEindicatormethods' published Wilson limits for 65/100 at 95%.
    /// let p = Proportion::wilson(65, 100, Confidence::default())?;
    /// assert!((p.lower - 0.5525444330).abs() < 1e-10);
    /// assert!((p.upper - 0.7363575176).abs() < 1e-10);
    /// assert_eq!(p.to_string(), "65.0% (55.3% to 73.6%)");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn wilson(numerator: i64, denominator: i64, confidence: Confidence) -> Result<Self> {
        Self::wilson_with_z(numerator, denominator, confidence, confidence.z())
    }

    /// As [`Proportion::wilson`] with the critical value already computed (for frames).
    pub(crate) fn wilson_with_z(
        numerator: i64,
        denominator: i64,
        confidence: Confidence,
        z: f64,
    ) -> Result<Self> {
        let x = input::count("numerator", numerator)?;
        let n = input::count("denominator", denominator)?;
        if x > n {
            return Err(Error::NumeratorAboveDenominator {
                what: "proportion",
                numerator,
                denominator,
            });
        }
        if n == 0 {
            return Err(Error::InvalidDenominator {
                what: "denominator of a proportion",
                value: 0.0,
            });
        }
        let (xf, nf) = (x as f64, n as f64);
        let (lower, upper) = wilson_limits(xf, nf, z);
        Ok(Proportion {
            numerator: x,
            denominator: n,
            value: xf / nf,
            lower,
            upper,
            confidence,
        })
    }

    /// The proportion as a percentage.
    pub fn percent(&self) -> f64 {
        self.value * 100.0
    }
}

/// The Wilson score limits of `x` successes in `n` trials (both may be fractional, for
/// effective sample sizes), as fractions; `n > 0`.
pub(crate) fn wilson_limits(x: f64, n: f64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let centre = (x + z2 / 2.0) / (n + z2);
    let half = z * (x * (n - x) / n + z2 / 4.0).max(0.0).sqrt() / (n + z2);
    let share = x / n;
    // At x = 0 and x = n a limit is exactly 0 or 1; the formula gives it to within an ulp.
    let lower = if x <= 0.0 {
        0.0
    } else {
        (centre - half).clamp(0.0, share)
    };
    let upper = if x >= n {
        1.0
    } else {
        (centre + half).clamp(share, 1.0)
    };
    (lower, upper)
}

/// Newcombe's hybrid score interval for `p₁ − p₂` from each proportion's `(value, lower,
/// upper)`: `(difference, lower, upper)`, as fractions.
pub(crate) fn newcombe_limits(
    current: (f64, f64, f64),
    previous: (f64, f64, f64),
) -> (f64, f64, f64) {
    let (p1, l1, u1) = current;
    let (p2, l2, u2) = previous;
    let d = p1 - p2;
    let lower = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let upper = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    (d, lower, upper)
}

/// The verdict of an interval for a difference: significant when it excludes zero.
pub(crate) fn significance_of(lower: f64, upper: f64) -> Significance {
    if lower > 0.0 {
        Significance::Increase
    } else if upper < 0.0 {
        Significance::Reduction
    } else {
        Significance::NoSignificantChange
    }
}

impl fmt::Display for Proportion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text::percent_with_interval(
            self.value, self.lower, self.upper,
        ))
    }
}

/// The difference between two independent proportions in percentage points, with Newcombe's
/// hybrid score interval: "26.1% solved, 1.8 percentage points higher than last year".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProportionChange {
    /// The current proportion.
    pub current: Proportion,
    /// The previous (comparison) proportion.
    pub previous: Proportion,
    /// `current − previous`, in percentage points.
    pub value: f64,
    /// Lower limit of the difference, in percentage points.
    pub lower: f64,
    /// Upper limit of the difference, in percentage points.
    pub upper: f64,
    /// Whether the interval excludes zero, and in which direction.
    pub significance: Significance,
    /// The confidence level of the limits.
    pub confidence: Confidence,
}

impl ProportionChange {
    /// The change from `previous_numerator / previous_denominator` to
    /// `numerator / denominator`.
    ///
    /// # Formula
    ///
    /// Newcombe (1998) method 10: with Wilson limits `(l₁, u₁)` and `(l₂, u₂)` of the two
    /// proportions and `d = p₁ − p₂`,
    /// `lower = d − √((p₁ − l₁)² + (u₂ − p₂)²)` and `upper = d + √((u₁ − p₁)² + (p₂ − l₂)²)`,
    /// as `statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")`.
    ///
    /// # Errors
    ///
    /// As [`Proportion::wilson`] for either proportion.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, ProportionChange};
    ///
    /// // Newcombe (1998), example (a): 56/70 against 48/80 gives 0.0524 to 0.3339.
    /// let change = ProportionChange::newcombe(56, 70, 48, 80, Confidence::default())?;
    /// assert_eq!(format!("{:.2} {:.2} {:.2}", change.value, change.lower, change.upper), "20.00 5.24 33.39");
    /// assert_eq!(change.describe(), "20.0 percentage points higher (80.0% against 60.0%)");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn newcombe(
        numerator: i64,
        denominator: i64,
        previous_numerator: i64,
        previous_denominator: i64,
        confidence: Confidence,
    ) -> Result<Self> {
        let z = confidence.z();
        let current = Proportion::wilson_with_z(numerator, denominator, confidence, z)?;
        let previous =
            Proportion::wilson_with_z(previous_numerator, previous_denominator, confidence, z)?;
        let (d, lower, upper) = newcombe_limits(
            (current.value, current.lower, current.upper),
            (previous.value, previous.lower, previous.upper),
        );
        let significance = significance_of(lower, upper);
        Ok(ProportionChange {
            current,
            previous,
            value: d * 100.0,
            lower: lower * 100.0,
            upper: upper * 100.0,
            significance,
            confidence,
        })
    }

    /// The committee sentence, e.g. `"1.8 percentage points higher (26.1% against 24.3%)"`.
    pub fn describe(&self) -> String {
        text::points_sentence(self.value, self.current.percent(), self.previous.percent())
    }
}

impl fmt::Display for ProportionChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} points ({} to {}, {}): {}",
            text::signed_fixed(self.value, 1),
            text::signed_fixed(self.lower, 1),
            text::signed_fixed(self.upper, 1),
            self.confidence,
            self.significance
        )
    }
}
