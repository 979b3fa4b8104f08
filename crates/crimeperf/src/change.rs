//! Change between two counts: this year against last, with an exact test of whether it is more
//! than chance.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::distribution::binomial::{self, Probability};
use crate::option::{self, OptionLabel};
use crate::{input, text, Confidence, Error, Result};

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
    /// Every verdict, in the order of their labels' list in errors.
    pub const ALL: [Significance; 3] = [
        Significance::Increase,
        Significance::Reduction,
        Significance::NoSignificantChange,
    ];

    /// `"increase"`, `"reduction"` or `"no_significant_change"`: the Python API's labels, the
    /// frames' `significance` column and the serde names, all one spelling. `Display` gives the
    /// words ("no significant change").
    pub fn label(self) -> &'static str {
        match self {
            Significance::Increase => "increase",
            Significance::Reduction => "reduction",
            Significance::NoSignificantChange => "no_significant_change",
        }
    }
}

impl OptionLabel for Significance {
    const WHAT: &'static str = "significance";
    const EXPECTED: &'static str = "increase, reduction, no_significant_change";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        Significance::label(self)
    }
}

impl FromStr for Significance {
    type Err = Error;

    /// Parses a [`label`](Significance::label), case-insensitive and trimmed.
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
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

/// The count below which a percent change is flagged as resting on a small base: ONS suppresses
/// the percent change (marking it `[u]`) when either year has fewer than 50 offences.
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
    /// A change where either count is below this is flagged `small_base`.
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
///
/// # The p-value, the interval and the verdict
///
/// The two-sided `p_value` is the *minimum-likelihood* (minlike) p-value of
/// `scipy.stats.binomtest`: the probability of every outcome no more likely than the one
/// observed. The interval on the rate ratio (`lower`, `upper`) is the *central* Clopper–Pearson
/// interval, with half of `1 − confidence` in each tail. The `significance` verdict comes from
/// the p-value (`p_value < 1 − confidence`), never from the interval.
///
/// With equal exposures the conditional binomial is symmetric, the minlike p-value is twice
/// the smaller tail, and the two always agree: the change is significant exactly when the
/// interval excludes 1 (a property test holds them to it). With unequal exposures the binomial
/// is skewed, the outcomes counted as "as unlikely" on the far side are no longer the mirror of
/// the observed tail, and the verdict and the interval can disagree near the boundary: report
/// the verdict with its p-value ([`Change::describe_with_verdict`]), and the interval as an
/// interval.
///
/// # Mid-p values
///
/// Two mid-p values are given, named for what they are:
///
/// * `mid_p_value` is Lancaster's mid-p (H. O. Lancaster (1961), "Significance tests in discrete
///   distributions", JASA 56, 223–234; A. Agresti (2013), *Categorical Data Analysis*, 3rd ed.,
///   §1.4.5; K. F. Hirji (2006), *Exact Analysis of Discrete Data*, §2.6): twice the smaller
///   one-sided mid-p, `2·min(P(X < k) + ½P(X = k), P(X > k) + ½P(X = k))`, capped at 1. For
///   206 against 168 it is 0.0496, the textbook value.
/// * `minlike_mid_p_value` is statsmodels' `test_poisson_2indep(method="cond-midp")`: the
///   minlike p-value minus half the point probability. With equal exposures that is
///   `2P(X < k) + 1.5P(X = k)`, not Lancaster's `2P(X < k) + P(X = k)`: 0.0526 for 206 against
///   168, on the other side of 0.05.
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
    /// Two-sided minlike p-value of the exact conditional test (as `scipy.stats.binomtest`).
    pub p_value: f64,
    /// Lancaster's two-sided mid-p value: twice the smaller one-sided mid-p,
    /// `2·min(P(X < k) + ½P(X = k), P(X > k) + ½P(X = k))`, capped at 1.
    pub mid_p_value: f64,
    /// statsmodels' `"cond-midp"`: `p_value − P(X = current)/2`.
    pub minlike_mid_p_value: f64,
    /// The verdict at the chosen confidence, from `p_value < 1 − confidence`.
    pub significance: Significance,
    /// True when either count is below `min_base` (ONS: no percent change is published when
    /// either year has fewer than 50 offences).
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
    /// assert!(!change.small_base);
    /// // Lancaster's mid-p, 2·(P(X > 206) + ½P(X = 206)) = 0.0496 (statsmodels' "cond-midp"
    /// // gives 0.0526).
    /// assert_eq!(format!("{:.4} {:.4}", change.mid_p_value, change.minlike_mid_p_value), "0.0496 0.0526");
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
    /// * `mid_p_value`: Lancaster's mid-p of that binomial, and `minlike_mid_p_value`:
    ///   `p_value − P(X = current)/2` (see [the type's notes](Change#mid-p-values));
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
        let percent = (y0 > 0).then(|| percent_change(y1 as f64 * e0, y0 as f64 * e1));

        // The mass at y₁ is needed at the null share for the test and at many others for the
        // exact limits; the terms of it that depend on y₁ and n alone are computed once.
        let mass = binomial::FixedMass::new(y1, n);
        let (p_value, mid_p_value, minlike_mid_p_value) = if n == 0 {
            (1.0, 1.0, 1.0)
        } else {
            let (p, mass_y1) = binomial::two_sided_test_and_mass(&mass, share);
            let lancaster = binomial::mid_p_with_mass(&mass, share, mass_y1);
            (p, lancaster, (p - 0.5 * mass_y1).max(0.0))
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
            minlike_mid_p_value,
            significance,
            small_base: y0 < options.min_base || y1 < options.min_base,
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
                text::push_fixed(&mut out, percent.abs(), 1);
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

impl Change {
    /// The committee sentence with the verdict and what it rests on:
    /// `"22.6% increase (38 crimes), not a statistically significant change (exact conditional
    /// test, two-sided minlike p = 0.056)"`.
    ///
    /// A change is called a statistically significant increase or reduction only when the test
    /// says so; otherwise the sentence says that it is not statistically significant, so that
    /// [`describe`](Change::describe)'s "increase" is never read as a demonstrated rise. The
    /// verdict comes from the two-sided minlike p-value (`p_value`), not from the interval (see
    /// [the type's notes](Change#the-p-value-the-interval-and-the-verdict)). p-values print to
    /// three decimals (`p < 0.001` below 0.0005); a confidence other than 95% is named.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Change;
    ///
    /// assert_eq!(
    ///     Change::new(206, 168)?.describe_with_verdict("crimes"),
    ///     "22.6% increase (38 crimes), not a statistically significant change \
    ///      (exact conditional test, two-sided minlike p = 0.056)"
    /// );
    /// assert_eq!(
    ///     Change::new(4208, 4445)?.describe_with_verdict("crimes"),
    ///     "5.3% reduction (237 crimes), a statistically significant reduction \
    ///      (exact conditional test, two-sided minlike p = 0.011)"
    /// );
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn describe_with_verdict(&self, unit: &str) -> String {
        let mut out = self.describe(unit);
        out.push_str(match self.significance {
            Significance::Increase => ", a statistically significant increase (",
            Significance::Reduction => ", a statistically significant reduction (",
            Significance::NoSignificantChange => ", not a statistically significant change (",
        });
        self.push_basis(&mut out);
        out.push(')');
        out
    }

    /// "exact conditional test, two-sided minlike p = 0.056", with the level when it is not 95%.
    fn push_basis(&self, out: &mut String) {
        out.push_str("exact conditional test, two-sided minlike p ");
        if self.p_value < 0.0005 {
            out.push_str("< 0.001");
        } else {
            out.push_str("= ");
            text::push_fixed(out, self.p_value, 3);
        }
        if self.confidence != Confidence::default() {
            out.push_str(", at ");
            out.push_str(&self.confidence.to_string());
            out.push_str(" confidence");
        }
    }
}

impl fmt::Display for Change {
    /// `"168 → 206: 22.6% increase (38 crimes); rate ratio 1.226 (0.995 to 1.512, 95% central
    /// Clopper–Pearson); no significant change (exact conditional test, two-sided minlike
    /// p = 0.056)"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut basis = String::new();
        self.push_basis(&mut basis);
        write!(
            f,
            "{} → {}: {}; rate ratio {} ({} to {}, {} central Clopper–Pearson); {} ({basis})",
            self.previous,
            self.current,
            self.describe("crimes"),
            self.ratio
                .map_or_else(|| "undefined".to_owned(), |r| text::format_fixed(r, 3)),
            text::format_fixed(self.lower, 3),
            text::format_fixed(self.upper, 3),
            self.confidence,
            self.significance
        )
    }
}

/// The percent change from `previous` to `current`, `(current − previous)·100 / previous`: the
/// one formula behind every percent change printed (changes, RAG movements), exact whenever the
/// decimal answer is (393 against 400 is −1.75, not −1.7500000000000002).
pub(crate) fn percent_change(current: f64, previous: f64) -> f64 {
    (current - previous) * 100.0 / previous
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
