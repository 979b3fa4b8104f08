//! The Poisson E-test of two rates (Krishnamoorthy and Thomson): a more powerful alternative to
//! the exact conditional test for comparing a treated area's count with a control's, or this
//! period with the last.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::distribution::poisson;
use crate::option::{self, OptionLabel};
use crate::{input, Error, Result};

/// The statistic whose null distribution the E-test sums over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EStatistic {
    /// The score statistic `(x₁ − x₂d)/√((x₁ + x₂)d)`, `d = e₁/e₂`: statsmodels'
    /// `test_poisson_2indep(method="etest")` ("etest-score"). With equal exposures it orders the
    /// outcomes as ptools' `e_test` does, so both give the same p-value.
    #[default]
    Score,
    /// The Wald statistic `(x₁ − x₂d)/√(x₁ + x₂d²)`: Krishnamoorthy and Thomson's own, statsmodels'
    /// `method="etest-wald"`.
    Wald,
}

impl EStatistic {
    /// Every statistic, in the order of their labels' list in errors.
    pub const ALL: [EStatistic; 2] = [EStatistic::Score, EStatistic::Wald];

    /// `"score"` or `"wald"`.
    pub fn label(self) -> &'static str {
        match self {
            EStatistic::Score => "score",
            EStatistic::Wald => "wald",
        }
    }
}

impl OptionLabel for EStatistic {
    const WHAT: &'static str = "statistic";
    const EXPECTED: &'static str = "score, wald";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        EStatistic::label(self)
    }
}

impl FromStr for EStatistic {
    type Err = Error;

    /// Parses a [`label`](EStatistic::label), case-insensitive and trimmed.
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
    }
}

impl fmt::Display for EStatistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The largest mass of the first count's null distribution left out of the sum: the p-value is
/// exact to within this (and its own rounding), far below anything a report prints.
pub const E_TEST_TRUNCATION: f64 = 1e-14;

/// A two-sided Poisson E-test of equal rates: `current` events over `exposure` against `previous`
/// over `previous_exposure`.
///
/// # Formula
///
/// Under the null the two rates are equal; their common value is estimated by
/// `λ̂ = (x₁ + x₂)/(e₁ + e₂)`, so the counts are independent Poisson with means `e₁λ̂` and
/// `e₂λ̂`. The p-value is the null probability of every pair `(k₁, k₂)` whose statistic is at
/// least as far from zero as the observed one,
/// `Σ P(X₁ = k₁) P(X₂ = k₂) 1{|T(k₁, k₂)| ≥ |T(x₁, x₂)|}`
/// (K. Krishnamoorthy and J. Thomson (2004), "A more powerful test for comparing two Poisson
/// means", *Journal of Statistical Planning and Inference* 119, 23–35).
///
/// # Truncation and accuracy
///
/// Both statistics fall as `k₂` grows for a fixed `k₁` (and rise with `k₁`), so for each `k₁` the
/// pairs counted are two tails in `k₂`, `k₂ ≤ a(k₁)` and `k₂ ≥ b(k₁)`, found by bisection and
/// summed exactly as Poisson tails. Only the sum over `k₁` is truncated: it runs over the
/// central range of `X₁` outside which at most [`E_TEST_TRUNCATION`] of its mass lies, and that
/// bound is reported as `truncation_error`. The cost grows with `√(x₁ + x₂)`: counts in the
/// thousands or millions take microseconds to milliseconds, with no grid in memory (ptools'
/// `e_test` evaluates a square grid and warns above about 100; statsmodels truncates its grid
/// where the larger mean's upper tail falls below 1e-13). Pairs whose statistic equals the
/// observed one to a relative 1e-12 count as at least as extreme, so that ties computed in two
/// ways are not lost to rounding.
///
/// When both counts are zero there is nothing to test: the result says so (`p_value` and
/// `statistic` are `None`, `undefined` gives the reason) rather than inventing a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ETest {
    /// The first count (treated area, or this period).
    pub current: u64,
    /// The second count (control area, or the last period).
    pub previous: u64,
    /// The first count's exposure (time, area or population).
    pub exposure: f64,
    /// The second count's exposure.
    pub previous_exposure: f64,
    /// Which statistic orders the outcomes.
    pub statistic_kind: EStatistic,
    /// The observed statistic (positive when the first rate is the higher); `None` when undefined.
    pub statistic: Option<f64>,
    /// The two-sided p-value; `None` when undefined.
    pub p_value: Option<f64>,
    /// An upper bound on the null mass the sum left out.
    pub truncation_error: f64,
    /// Why there is no p-value (both counts zero), if there is none.
    pub undefined: Option<String>,
}

impl ETest {
    /// The E-test of `current` over `exposure` against `previous` over `previous_exposure`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`] or [`Error::CountTooLarge`] for a bad count and
    /// [`Error::InvalidDenominator`] for an exposure that is not a finite number above zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{EStatistic, ETest};
    ///
    /// // Krishnamoorthy and Thomson's second example, 6 against 2 (ptools: 0.1749).
    /// let test = ETest::new(6, 2, 1.0, 1.0, EStatistic::Score)?;
    /// assert_eq!(format!("{:.4}", test.p_value.unwrap()), "0.1749");
    /// // Both zero: no test, and the result says why.
    /// let none = ETest::new(0, 0, 1.0, 1.0, EStatistic::Score)?;
    /// assert!(none.p_value.is_none() && none.undefined.is_some());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(
        current: i64,
        previous: i64,
        exposure: f64,
        previous_exposure: f64,
        statistic_kind: EStatistic,
    ) -> Result<Self> {
        let x1 = input::count("current count", current)?;
        let x2 = input::count("previous count", previous)?;
        let e1 = input::denominator("exposure", exposure)?;
        let e2 = input::denominator("previous exposure", previous_exposure)?;
        let mut test = ETest {
            current: x1,
            previous: x2,
            exposure: e1,
            previous_exposure: e2,
            statistic_kind,
            statistic: None,
            p_value: None,
            truncation_error: 0.0,
            undefined: None,
        };
        if x1 == 0 && x2 == 0 {
            test.undefined = Some(
                "both counts are zero: the common rate is estimated as zero, so there is no \
                 distribution to test against"
                    .to_owned(),
            );
            return Ok(test);
        }
        let ordering = Ordering {
            d: e1 / e2,
            kind: statistic_kind,
        };
        let observed = ordering.statistic(x1, x2);
        let total = (x1 + x2) as f64;
        let mean1 = total * e1 / (e1 + e2);
        let mean2 = total * e2 / (e1 + e2);
        let (p_value, truncation_error) = ordering.p_value(observed, mean1, mean2);
        test.statistic = Some(observed);
        test.p_value = Some(p_value);
        test.truncation_error = truncation_error;
        Ok(test)
    }

    /// The plain-English verdict at significance level `alpha` (0.05 for 95%): "a statistically
    /// significant difference (E-test, p = 0.012)" or "not a statistically significant
    /// difference (E-test, p = 0.175)"; for two zeros, "no crimes in either: nothing to test".
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{EStatistic, ETest};
    ///
    /// let test = ETest::new(6, 2, 1.0, 1.0, EStatistic::Score)?;
    /// assert_eq!(test.verdict(0.05), "not a statistically significant difference (E-test, p = 0.175)");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn verdict(&self, alpha: f64) -> String {
        match self.p_value {
            None => "no events in either: nothing to test".to_owned(),
            Some(p) => {
                let shown = if p < 0.001 {
                    "p < 0.001".to_owned()
                } else {
                    format!("p = {}", crate::format_fixed(p, 3))
                };
                if p < alpha {
                    format!("a statistically significant difference (E-test, {shown})")
                } else {
                    format!("not a statistically significant difference (E-test, {shown})")
                }
            }
        }
    }
}

/// The statistic for exposures in the ratio `d = e₁/e₂`.
struct Ordering {
    d: f64,
    kind: EStatistic,
}

impl Ordering {
    fn statistic(&self, k1: u64, k2: u64) -> f64 {
        let (x1, x2) = (k1 as f64, k2 as f64);
        let numerator = x1 - x2 * self.d;
        if numerator == 0.0 {
            return 0.0;
        }
        let variance = match self.kind {
            EStatistic::Score => (x1 + x2) * self.d,
            EStatistic::Wald => x1 + x2 * self.d * self.d,
        };
        numerator / variance.sqrt()
    }

    /// The largest `k₂` with `T(k₁, k₂) ≥ c` (`c > 0`), if any.
    fn last_at_least(&self, k1: u64, c: f64) -> Option<u64> {
        if self.statistic(k1, 0) < c {
            return None;
        }
        // T falls in k₂ without bound: double until it is below c, then bisect.
        let mut low = 0u64; // T(k1, low) ≥ c
        let mut high = (k1 as f64 / self.d).ceil() as u64 + 1; // T(k1, high) ≤ 0 < c
        debug_assert!(self.statistic(k1, high) < c);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if self.statistic(k1, middle) >= c {
                low = middle;
            } else {
                high = middle;
            }
        }
        Some(low)
    }

    /// The smallest `k₂` with `T(k₁, k₂) ≤ −c` (`c > 0`).
    fn first_at_most(&self, k1: u64, c: f64) -> u64 {
        // At k₂ = ⌊k₁/d⌋ the numerator k₁ − k₂d is not negative (to rounding), so T > −c there.
        let mut low = (k1 as f64 / self.d).floor() as u64;
        let mut step = 1u64.max(low);
        let mut high = low + step;
        while self.statistic(k1, high) > -c {
            low = high;
            step = step.saturating_mul(2);
            high = high.saturating_add(step);
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if self.statistic(k1, middle) <= -c {
                high = middle;
            } else {
                low = middle;
            }
        }
        high
    }

    /// The two-sided p-value of `observed` and the truncation bound.
    fn p_value(&self, observed: f64, mean1: f64, mean2: f64) -> (f64, f64) {
        let threshold = observed.abs() * (1.0 - 1e-12);
        if threshold <= 0.0 {
            // The observed statistic is zero: every outcome is at least as extreme.
            return (1.0, 0.0);
        }
        let (first, last, left_out) = central_range(mean1, E_TEST_TRUNCATION);
        let mut total = 0.0;
        for k1 in first..=last {
            let mass = poisson::pmf(k1, mean1);
            if mass == 0.0 {
                continue;
            }
            let mut tails = 0.0;
            if let Some(a) = self.last_at_least(k1, threshold) {
                tails += poisson::cdf(a, mean2);
            }
            tails += poisson::sf_from(self.first_at_most(k1, threshold), mean2);
            total += mass * tails.min(1.0);
        }
        (total.min(1.0), left_out)
    }
}

/// `(first, last, mass outside)`: a range of a Poisson(`mean`) outside which at most `budget` of
/// the mass lies, and that mass.
fn central_range(mean: f64, budget: f64) -> (u64, u64, f64) {
    let spread = mean.sqrt();
    let mut width = 9.0 * spread + 10.0;
    loop {
        let first = (mean - width).max(0.0).floor() as u64;
        let last = (mean + width).ceil() as u64;
        let below = if first == 0 {
            0.0
        } else {
            poisson::cdf(first - 1, mean)
        };
        let above = poisson::sf_from(last + 1, mean);
        if below + above <= budget {
            return (first, last, below + above);
        }
        width *= 1.5;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// The E-test by brute force over a square grid, as ptools and statsmodels compute it.
    fn grid(x1: u64, x2: u64, e1: f64, e2: f64, kind: EStatistic) -> f64 {
        let ordering = Ordering { d: e1 / e2, kind };
        let observed = ordering.statistic(x1, x2).abs() * (1.0 - 1e-12);
        let total = (x1 + x2) as f64;
        let (m1, m2) = (total * e1 / (e1 + e2), total * e2 / (e1 + e2));
        let size = (m1.max(m2) + 12.0 * m1.max(m2).sqrt() + 40.0) as u64;
        let mut p = 0.0;
        for k1 in 0..=size {
            for k2 in 0..=size {
                if ordering.statistic(k1, k2).abs() >= observed {
                    p += poisson::pmf(k1, m1) * poisson::pmf(k2, m2);
                }
            }
        }
        p
    }

    #[test]
    fn the_tails_agree_with_the_whole_grid() {
        for &(x1, x2, e1, e2) in &[
            (6, 2, 1.0, 1.0),
            (0, 3, 1.0, 1.0),
            (3, 0, 2.0, 2.0),
            (20, 10, 4.0, 2.0),
            (15, 40, 1.0, 3.5),
            (1, 0, 0.3, 1.0),
            (57, 61, 12.0, 11.0),
        ] {
            for kind in EStatistic::ALL {
                let test = ETest::new(x1, x2, e1, e2, kind).unwrap();
                let brute = grid(x1 as u64, x2 as u64, e1, e2, kind);
                let p = test.p_value.unwrap();
                assert!(
                    (p - brute).abs() < 1e-12,
                    "{x1} {x2} {e1} {e2} {kind}: {p} vs {brute}"
                );
            }
        }
    }

    #[test]
    fn equal_counts_are_not_different() {
        let test = ETest::new(20, 20, 1.0, 1.0, EStatistic::Score).unwrap();
        assert_eq!(test.p_value, Some(1.0));
    }

    #[test]
    fn the_statistic_falls_in_the_second_count() {
        for kind in EStatistic::ALL {
            let ordering = Ordering { d: 0.7, kind };
            for k1 in [0u64, 1, 5, 50] {
                for k2 in 0..200u64 {
                    assert!(ordering.statistic(k1, k2 + 1) < ordering.statistic(k1, k2));
                }
            }
        }
    }
}
