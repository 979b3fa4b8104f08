//! Change between two counts: this year against last, with an exact test of whether it is more
//! than chance.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::distribution::binomial::{self, Probability};
use crate::{input, text, Confidence, Result};

/// The verdict of a test of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// A statistically significant increase.
    Increase,
    /// A statistically significant reduction.
    Reduction,
    /// No statistically significant change.
    NoSignificantChange,
}

impl Significance {
    /// `"increase"`, `"reduction"` or `"no significant change"` (the Python API's labels).
    pub fn label(self) -> &'static str {
        match self {
            Significance::Increase => "increase",
            Significance::Reduction => "reduction",
            Significance::NoSignificantChange => "no significant change",
        }
    }
}

impl fmt::Display for Significance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Significance::Increase => "significant increase",
            Significance::Reduction => "significant reduction",
            Significance::NoSignificantChange => "no significant change",
        })
    }
}

/// The previous count below which a percent change is flagged as resting on a small base (ONS
/// suppresses percent changes below 50 offences).
pub const DEFAULT_MIN_BASE: u64 = 50;

/// Options for [`Change::with_options`]. `ChangeOptions::default()` is 95% confidence, equal
/// exposures and a small-base threshold of 50.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChangeOptions {
    /// Exposure of the current period (population, or period length); 1 by default.
    pub exposure: f64,
    /// Exposure of the previous period; 1 by default.
    pub previous_exposure: f64,
    /// Confidence level of the intervals and the significance verdict.
    pub confidence: Confidence,
    /// Previous counts below this are flagged `small_base`.
    pub min_base: u64,
}

impl Default for ChangeOptions {
    fn default() -> Self {
        ChangeOptions {
            exposure: 1.0,
            previous_exposure: 1.0,
            confidence: Confidence::default(),
            min_base: DEFAULT_MIN_BASE,
        }
    }
}

/// The change from a previous count to a current one, as a committee report needs it.
///
/// The test is the exact conditional test for two Poisson counts: given the total
/// `n = current + previous`, the current count is binomial with probability
/// `exposure / (exposure + previous_exposure)` when the underlying rates are equal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The current count.
    pub current: u64,
    /// The previous (comparison) count.
    pub previous: u64,
    /// Exposure of the current period.
    pub exposure: f64,
    /// Exposure of the previous period.
    pub previous_exposure: f64,
    /// `current − previous`.
    pub absolute: i64,
    /// Percent change in the rate (the count, when exposures are equal); `None` when the
    /// previous count is 0.
    pub percent: Option<f64>,
    /// Rate ratio `(current/exposure) / (previous/previous_exposure)`; `None` when the previous
    /// count is 0.
    pub ratio: Option<f64>,
    /// Lower exact (Clopper–Pearson on the conditional binomial) limit of the rate ratio.
    pub lower: f64,
    /// Upper exact limit of the rate ratio; `+inf` when the previous count is 0.
    pub upper: f64,
    /// Lower score (Wald-type W2A of statsmodels) limit of the rate ratio.
    pub score_lower: f64,
    /// Upper score limit of the rate ratio; `+inf` when the previous count is 0.
    pub score_upper: f64,
    /// Two-sided p-value of the exact conditional test (as `scipy.stats.binomtest`).
    pub p_value: f64,
    /// Two-sided mid-p value: `p_value − P(X = current)/2`, as statsmodels' `"cond-midp"`.
    pub mid_p_value: f64,
    /// The verdict at the chosen confidence, from `p_value < 1 − confidence`.
    pub significance: Significance,
    /// True when the previous count is below `min_base`: a percent change on a small base.
    pub small_base: bool,
    /// The confidence level used.
    pub confidence: Confidence,
}

impl Change {
    /// The change from `previous` to `current` with default options.
    ///
    /// # Errors
    ///
    /// As [`Change::with_options`].
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Change, Significance};
    ///
    /// // 206 burglaries this year against 168 last year.
    /// let change = Change::new(206, 168)?;
    /// assert_eq!(change.describe("crimes"), "22.6% increase (38 crimes)");
    /// assert_eq!(change.significance, Significance::NoSignificantChange); // p = 0.056
    /// assert!(change.small_base == false);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(current: i64, previous: i64) -> Result<Self> {
        Self::with_options(current, previous, &ChangeOptions::default())
    }

    /// The change from `previous` to `current`.
    ///
    /// # Formula
    ///
    /// * `p_value`: `scipy.stats.binomtest(current, current + previous, e₁/(e₁ + e₀)).pvalue`;
    /// * exact limits: the Clopper–Pearson limits `(π_L, π_U)` of that binomial proportion,
    ///   mapped to the rate ratio by `π/(1 − π) · e₀/e₁`;
    /// * score limits: the roots in `r` of `(y₁ − y₀R)² = z² (y₁ + y₀) R` with `R = r e₁/e₀`
    ///   (statsmodels `confint_poisson_2indep(method="score", compare="ratio")`).
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`] for a negative count, [`Error::CountTooLarge`] for one above
    /// [`MAX_COUNT`](crate::MAX_COUNT), and [`Error::InvalidDenominator`] for an exposure that is not a finite
    /// number above zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Change, ChangeOptions, Confidence, Significance};
    ///
    /// // Rochford CSP, all crime excluding fraud: 4,445 in 2023 and 4,208 in 2024 (ONS: -5.33%).
    /// let options = ChangeOptions { confidence: Confidence::new(0.998)?, ..ChangeOptions::default() };
    /// let change = Change::with_options(4208, 4445, &options)?;
    /// assert_eq!(format!("{:.2}", change.percent.unwrap()), "-5.33");
    /// assert_eq!(change.describe("crimes"), "5.3% reduction (237 crimes)");
    /// assert_eq!(change.significance, Significance::NoSignificantChange); // p = 0.012 > 0.002
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn with_options(current: i64, previous: i64, options: &ChangeOptions) -> Result<Self> {
        let y1 = input::count("current count", current)?;
        let y0 = input::count("previous count", previous)?;
        // Both are at most MAX_COUNT, so neither the sum nor the difference can overflow.
        let n = y1 + y0;
        let e1 = input::denominator("exposure", options.exposure)?;
        let e0 = input::denominator("previous exposure", options.previous_exposure)?;
        let confidence = options.confidence;
        // Exposures enter through the share of the current period; both sides of it are
        // computed directly so that neither loses digits.
        let share = Probability::share(e1, e0);
        let exposure_ratio = e0 / e1;

        let ratio = (y0 > 0).then(|| (y1 as f64 / y0 as f64) * exposure_ratio);
        // (y₁e₀ − y₀e₁)·100 / (y₀e₁) rather than (ratio − 1)·100: with equal exposures it is
        // (y₁ − y₀)·100 / y₀, exact whenever the decimal answer is (393 against 400 is −1.75,
        // which must print as −1.8 like ONS's tables, not −1.7 from −1.7499999999999996).
        let percent = (y0 > 0).then(|| {
            let (current, previous) = (y1 as f64 * e0, y0 as f64 * e1);
            (current - previous) * 100.0 / previous
        });

        // The mass at y₁ is needed at the null share for the test and at many others for the
        // exact limits; the terms of it that depend on y₁ and n alone are computed once.
        let mass = binomial::FixedMass::new(y1, n);
        let (p_value, mid_p_value) = if n == 0 {
            (1.0, 1.0)
        } else {
            let (p, mass_y1) = binomial::two_sided_test_and_mass(&mass, share);
            (p, (p - 0.5 * mass_y1).max(0.0))
        };

        let z = confidence.z();
        let (lower, upper) = if n == 0 {
            (0.0, f64::INFINITY)
        } else {
            let (low, high) = binomial::clopper_pearson_with(&mass, confidence.tail(), z);
            (low.exp() * exposure_ratio, high.exp() * exposure_ratio)
        };
        let (score_lower, score_upper) = score_interval(y1, y0, exposure_ratio, z);

        let significance = if p_value < confidence.alpha() {
            // With equal rates rejected, the direction is that of the observed rates.
            if y1 as f64 * e0 > y0 as f64 * e1 {
                Significance::Increase
            } else {
                Significance::Reduction
            }
        } else {
            Significance::NoSignificantChange
        };

        Ok(Change {
            current: y1,
            previous: y0,
            exposure: e1,
            previous_exposure: e0,
            absolute: y1 as i64 - y0 as i64,
            percent,
            ratio,
            lower,
            upper,
            score_lower,
            score_upper,
            p_value,
            mid_p_value,
            significance,
            small_base: y0 < options.min_base,
            confidence,
        })
    }

    /// The committee sentence: `"22.6% increase (38 crimes)"`, `"1.0% reduction (12 incidents)"`,
    /// `"no change"`. `unit` is the plural word for what is counted; the percent has one decimal
    /// place. When the previous count is 0 there is no percent: `"increase of 5 crimes from
    /// none"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Change;
    ///
    /// assert_eq!(Change::new(1188, 1200)?.describe("incidents"), "1.0% reduction (12 incidents)");
    /// assert_eq!(Change::new(75, 75)?.describe("crimes"), "no change");
    /// assert_eq!(Change::new(5, 0)?.describe("crimes"), "increase of 5 crimes from none");
    /// assert_eq!(Change::new(9, 10)?.describe("burglaries"), "10.0% reduction (1 burglary)");
    /// // Half-way cases round away from zero, as ONS prints them: 393 against 400 is -1.75%.
    /// assert_eq!(Change::new(393, 400)?.describe("crimes"), "1.8% reduction (7 crimes)");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn describe(&self, unit: &str) -> String {
        let size = self.absolute.unsigned_abs();
        // Written into one string: frames describe hundreds of thousands of changes.
        let mut out = String::with_capacity(32 + unit.len());
        match self.percent {
            None if self.current == 0 => out.push_str("no change"),
            None => {
                out.push_str("increase of ");
                text::push_counted(&mut out, size, unit);
                out.push_str(" from none");
            }
            Some(percent) if percent == 0.0 && self.absolute == 0 => out.push_str("no change"),
            Some(percent) => {
                let direction = if percent > 0.0 || (percent == 0.0 && self.absolute > 0) {
                    "increase"
                } else {
                    "reduction"
                };
                text::push_one_decimal(&mut out, percent.abs());
                out.push_str("% ");
                out.push_str(direction);
                out.push_str(" (");
                text::push_counted(&mut out, size, unit);
                out.push(')');
            }
        }
        out
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} → {}: {}; rate ratio {} ({:.3} to {:.3}, {}), p = {:.4}, {}",
            self.previous,
            self.current,
            self.describe("crimes"),
            self.ratio
                .map_or_else(|| "undefined".to_owned(), |r| format!("{r:.3}")),
            self.lower,
            self.upper,
            self.confidence,
            self.p_value,
            self.significance
        )
    }
}

/// The score interval for the rate ratio, in closed form.
///
/// The score statistic for `H₀: ratio = r` is `(y₁ − y₀R)/√((y₁ + y₀)R)` with `R = r e₁/e₀`;
/// the limits are where it equals `±z`: the roots of `y₀²R² − (2y₁y₀ + z²N)R + y₁² = 0`,
/// `N = y₁ + y₀`, taken in the cancellation-free form `R₊ = q/y₀²`, `R₋ = y₁²/q`.
fn score_interval(y1: u64, y0: u64, exposure_ratio: f64, z: f64) -> (f64, f64) {
    let (y1, y0) = (y1 as f64, y0 as f64);
    let n = y1 + y0;
    if n == 0.0 {
        return (0.0, f64::INFINITY);
    }
    let z2n = z * z * n;
    let q = (2.0 * y1 * y0 + z2n + (z2n * (4.0 * y1 * y0 + z2n)).sqrt()) / 2.0;
    let lower = y1 * y1 / q;
    let upper = if y0 == 0.0 {
        f64::INFINITY
    } else {
        q / (y0 * y0)
    };
    (lower * exposure_ratio, upper * exposure_ratio)
}
