//! Funnel plots: control limits around a benchmark that narrow as areas grow, with Spiegelhalter's
//! adjustment for overdispersion.
//!
//! A funnel plot shows every area's rate against its size, with limits at which an area's
//! difference from the benchmark would be more than chance (95% and 99.8% by default, "two and
//! three sigma"). Small areas get wide limits, so a high rate on few crimes is not flagged.
//!
//! # Formula
//!
//! PHE Technical Guide "Funnel plots" (PHE/OHID, as in PHEindicatormethods'
//! `calculate_funnel_limits`) and Spiegelhalter (2005) "Funnel plots for comparing institutional
//! performance", Stat Med 24:1185–1202, and "Handling over-dispersion of performance indicators",
//! Qual Saf Health Care 14:347–351:
//!
//! * Rates and ratios, exact Poisson: at an expected count `E = θ n`, the lower limit is the real
//!   count `O` with `P(X ≤ O | E) = α/2`, read as `Q(O + 1, E)`, and the upper limit the `O` with
//!   `P(X ≥ O | E) = α/2`, read as `P(O, E)`; at whole counts these are exactly PHE's limits
//!   (the expected count at which `O` events lie on a limit is a Garwood limit of `O`).
//! * Proportions, exact binomial: the same with `P(X ≤ x | n, θ) = I_{1−θ}(n − x, x + 1)` and
//!   `P(X ≥ x | n, θ) = I_θ(x, n − x + 1)`; or, with [`FunnelMethod::Wilson`], PHE's limits, the
//!   proportions at which the Wilson interval touches the benchmark: `θ ± z √(θ(1 − θ)/n)`,
//!   clipped to 0 and 1.
//! * z-scores `zᵢ = (yᵢ − θ)/sᵢ` with `sᵢ² = θ(1 − θ)/nᵢ` (proportions) or `θ/nᵢ` (rates and
//!   ratios).
//! * Overdispersion: the z-scores winsorised at 10% in each tail (the lowest and highest
//!   `⌊0.1 I⌋` set to the next value inwards), `φ = Σ z_w²/I`; `I φ` is tested against a
//!   chi-square distribution with `I − 1` degrees of freedom (`I` when the benchmark is given
//!   rather than estimated); DerSimonian–Laird `τ² = max(0, (I φ − (I − 1))/(Σwᵢ − Σwᵢ²/Σwᵢ))`,
//!   `wᵢ = 1/sᵢ²`. When the test finds overdispersion at 5%, each limit's distance from the
//!   benchmark is multiplied by `√(1 + τ²/sᵢ²)`: Spiegelhalter's additive limits
//!   `θ ± z √(sᵢ² + τ²)` where the normal approximation holds, keeping the exact limits' skew, so
//!   overdispersion never narrows a limit. Without evidence the limits are left as they are, and
//!   the result says so ([`Adjustment`]).

use serde::{Deserialize, Serialize};

use crate::distribution::incomplete::{beta_i, gamma_p, gamma_q};
use crate::option::option_enum;
use crate::{input, Confidence, Error, Result};

option_enum! {
    /// What is plotted: a rate per head, a proportion, or a ratio of observed to expected counts.
    #[derive(Default)]
    FunnelStatistic, "funnel statistic", "rate, proportion, ratio" {
        /// Events per head of population (crimes per 1,000 residents): exact Poisson limits.
        #[default]
        Rate => "rate",
        /// A share of a denominator (solved crimes of all crimes): exact binomial or Wilson
        /// limits.
        Proportion => "proportion",
        /// Observed over expected events (an indirectly standardised ratio): exact Poisson
        /// limits.
        Ratio => "ratio",
    }
}

option_enum! {
    /// How the control limits are computed.
    #[derive(Default)]
    FunnelMethod, "funnel method", "exact, wilson" {
        /// Exact Poisson (rates, ratios) or exact binomial (proportions) limits.
        #[default]
        Exact => "exact",
        /// For proportions only: PHE's limits, `θ ± z √(θ(1 − θ)/n)` (where the Wilson interval
        /// touches the benchmark), as PHEindicatormethods draws them.
        Wilson => "wilson",
    }
}

option_enum! {
    /// Where an area lies against one pair of control limits.
    Flag, "funnel flag", "low, within, high" {
        /// Below the lower limit.
        Low => "low",
        /// Between the limits (on a limit counts as within).
        Within => "within",
        /// Above the upper limit.
        High => "high",
    }
}

option_enum! {
    /// Whether the limits were widened for overdispersion.
    Adjustment, "overdispersion adjustment", "not_requested, no_evidence, additive" {
        /// Overdispersion was not asked about.
        NotRequested => "not_requested",
        /// The chi-square test found no overdispersion at 5%: the limits are the plain ones.
        NoEvidence => "no_evidence",
        /// Overdispersion found: limits widened by Spiegelhalter's additive random effect `τ²`.
        Additive => "additive",
    }
}

/// The options of a funnel plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelOptions {
    /// Rate, proportion or ratio.
    pub statistic: FunnelStatistic,
    /// Exact (the default) or, for proportions, Wilson.
    pub method: FunnelMethod,
    /// Values are `numerator / denominator × per` (per 1,000 by default; 100 for percentages, 1
    /// for plain proportions and ratios).
    pub per: f64,
    /// The levels of the limits (95% and 99.8% by default).
    pub levels: Vec<Confidence>,
    /// The benchmark in the same units as the values; `None` for the pooled value
    /// `Σ numerators / Σ denominators × per`.
    pub benchmark: Option<f64>,
    /// Test for overdispersion and, when found, widen the limits.
    pub overdispersion: bool,
}

impl Default for FunnelOptions {
    fn default() -> Self {
        FunnelOptions {
            statistic: FunnelStatistic::Rate,
            method: FunnelMethod::Exact,
            per: 1000.0,
            levels: vec![Confidence::NINETY_FIVE, Confidence::NINETY_NINE_POINT_EIGHT],
            benchmark: None,
            overdispersion: false,
        }
    }
}

/// The limit curves of a funnel plot: the limits at any denominator, for drawing them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ControlLimits {
    /// Rate, proportion or ratio.
    pub statistic: FunnelStatistic,
    /// Exact or Wilson.
    pub method: FunnelMethod,
    /// The benchmark, in the units of the values.
    pub benchmark: f64,
    /// The multiplier of the values.
    pub per: f64,
    /// The between-area variance added for overdispersion (per head, not multiplied by `per`);
    /// 0 when the limits are not adjusted.
    pub tau2: f64,
}

impl ControlLimits {
    /// Limits around `benchmark` (in the units of the values, e.g. per 1,000), without
    /// overdispersion.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] for a `per` that is not above zero or a benchmark that is negative
    /// (or above `per` for a proportion); [`Error::UnsupportedFunnelMethod`] for Wilson limits
    /// of a rate or ratio.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, ControlLimits, FunnelMethod, FunnelStatistic};
    ///
    /// // 20 crimes per 1,000: at a population of 1,000 the expected count is 20, and the 95%
    /// // limits are the counts with P(X ≤ O) = P(X ≥ O) = 0.025 under Poisson(20).
    /// let limits = ControlLimits::new(FunnelStatistic::Rate, FunnelMethod::Exact, 20.0, 1000.0)?;
    /// let (lower, upper) = limits.at(1000.0, Confidence::NINETY_FIVE)?;
    /// assert!(lower > 10.0 && lower < 12.0 && upper > 28.0 && upper < 30.0);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(
        statistic: FunnelStatistic,
        method: FunnelMethod,
        benchmark: f64,
        per: f64,
    ) -> Result<Self> {
        let per = positive("per", per)?;
        if method == FunnelMethod::Wilson && statistic != FunnelStatistic::Proportion {
            return Err(Error::UnsupportedFunnelMethod {
                statistic: statistic.label(),
                method: method.label(),
            });
        }
        let benchmark = input::non_negative("benchmark", benchmark)?;
        if statistic == FunnelStatistic::Proportion && benchmark > per {
            return Err(Error::InvalidValue {
                what: "benchmark",
                reason: "of a proportion must not be above `per`",
                value: benchmark,
            });
        }
        Ok(ControlLimits {
            statistic,
            method,
            benchmark,
            per,
            tau2: 0.0,
        })
    }

    /// The lower and upper limits, in the units of the values, at a denominator (population,
    /// denominator of the proportion, or expected count of a ratio); widened for overdispersion
    /// when [`ControlLimits::tau2`] is above zero, as in a [`Funnel`] whose limits were adjusted.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDenominator`] unless `denominator` is a finite number above zero.
    ///
    /// # Examples
    ///
    /// See [`ControlLimits::new`].
    pub fn at(&self, denominator: f64, confidence: Confidence) -> Result<(f64, f64)> {
        let n = input::denominator("denominator", denominator)?;
        Ok(self.limits(n, confidence))
    }

    fn theta(&self) -> f64 {
        self.benchmark / self.per
    }

    /// The variance of a value per head at the benchmark, for a denominator `n`.
    fn variance(&self, n: f64) -> f64 {
        let theta = self.theta();
        match self.statistic {
            FunnelStatistic::Proportion => theta * (1.0 - theta) / n,
            FunnelStatistic::Rate | FunnelStatistic::Ratio => theta / n,
        }
    }

    fn limits(&self, n: f64, confidence: Confidence) -> (f64, f64) {
        let theta = self.theta();
        let tail = confidence.tail();
        let (lower, upper) = match (self.statistic, self.method) {
            (FunnelStatistic::Proportion, FunnelMethod::Wilson) => {
                let half = confidence.z() * (theta * (1.0 - theta) / n).sqrt();
                (theta - half, theta + half)
            }
            (FunnelStatistic::Proportion, FunnelMethod::Exact) => {
                let (lower, upper) = binomial_limits(n, theta, tail);
                (lower / n, upper / n)
            }
            (_, _) => {
                let (lower, upper) = poisson_limits(theta * n, tail);
                (lower / n, upper / n)
            }
        };
        let variance = self.variance(n);
        // Spiegelhalter's additive random effect, on the exact limits' distance from θ.
        let widen = if self.tau2 > 0.0 && variance > 0.0 {
            (1.0 + self.tau2 / variance).sqrt()
        } else {
            1.0
        };
        let ceiling = match self.statistic {
            FunnelStatistic::Proportion => 1.0,
            FunnelStatistic::Rate | FunnelStatistic::Ratio => f64::INFINITY,
        };
        let lower = (theta + (lower - theta) * widen).clamp(0.0, ceiling);
        let upper = (theta + (upper - theta) * widen).clamp(0.0, ceiling);
        (lower * self.per, upper * self.per)
    }
}

/// Bisection for the root of a function that rises from below zero at `lo` to above at `hi`.
fn bisect(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// The exact Poisson control limits, as counts, around an expected count.
fn poisson_limits(expected: f64, tail: f64) -> (f64, f64) {
    if expected <= 0.0 {
        return (0.0, 0.0);
    }
    let mut hi = expected + 10.0 * expected.sqrt() + 10.0;
    while gamma_q(hi + 1.0, expected) < tail {
        hi *= 2.0;
    }
    // P(X ≤ O) rises with O; where even O = 0 has more than the tail below it, the limit is 0.
    let lower = if (-expected).exp() >= tail {
        0.0
    } else {
        bisect(|o| gamma_q(o + 1.0, expected) - tail, 0.0, hi)
    };
    // P(X ≥ O) falls from 1 as O rises from 0.
    while gamma_p(hi, expected) > tail {
        hi *= 2.0;
    }
    let upper = bisect(|o| tail - gamma_p(o, expected), 0.0, hi);
    (lower, upper)
}

/// The exact binomial control limits, as counts out of `n`, around the proportion `theta`.
fn binomial_limits(n: f64, theta: f64, tail: f64) -> (f64, f64) {
    if theta <= 0.0 {
        return (0.0, 0.0);
    }
    if theta >= 1.0 {
        return (n, n);
    }
    // P(X ≤ x) = I_{1−θ}(n − x, x + 1) rises with x; 0 when (1 − θ)^n already exceeds the tail.
    let lower = if n * (-theta).ln_1p() >= tail.ln() {
        0.0
    } else {
        bisect(|x| beta_i(n - x, x + 1.0, 1.0 - theta) - tail, 0.0, n)
    };
    // P(X ≥ x) = I_θ(x, n − x + 1) falls with x; n when θ^n is still above the tail.
    let upper = if n * theta.ln() >= tail.ln() {
        n
    } else {
        bisect(|x| tail - beta_i(x, n - x + 1.0, theta), 0.0, n)
    };
    (lower, upper)
}

fn positive(what: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidValue {
            what,
            reason: "must be a finite number above zero",
            value,
        })
    }
}

/// One pair of limits at one level, with where the area lies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LimitPair {
    /// The level.
    pub confidence: Confidence,
    /// Lower limit at the area's denominator.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// Below, within or above.
    pub flag: Flag,
}

/// One area on the funnel plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelPoint {
    /// The area.
    pub area: String,
    /// Its numerator (count, or observed events of a ratio).
    pub numerator: f64,
    /// Its denominator (population, or expected events of a ratio).
    pub denominator: f64,
    /// `numerator / denominator × per`.
    pub value: f64,
    /// The numerator it would have at the benchmark.
    pub expected: f64,
    /// Its z-score against the benchmark (before winsorising).
    pub z: f64,
    /// The limits at each level (adjusted when [`Funnel::adjustment`] is `Additive`).
    pub limits: Vec<LimitPair>,
}

/// The test of overdispersion and its estimates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Overdispersion {
    /// The share of z-scores winsorised in each tail (0.1).
    pub winsorised: f64,
    /// The overdispersion factor `φ`: the mean of the squared winsorised z-scores.
    pub phi: f64,
    /// The chi-square statistic `I φ`.
    pub chi_square: f64,
    /// Its degrees of freedom.
    pub degrees_of_freedom: u32,
    /// `P(χ² ≥ I φ)`.
    pub p_value: f64,
    /// DerSimonian–Laird's between-area variance (per head, not multiplied by `per`).
    pub tau2: f64,
}

/// A funnel plot: the benchmark, each area's point and limits, and the overdispersion verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// The limit curves, to draw them at any denominator.
    pub limits: ControlLimits,
    /// True when the benchmark was given, false when it is the pooled value.
    pub benchmark_given: bool,
    /// Whether the limits were widened for overdispersion.
    pub adjustment: Adjustment,
    /// The test, when asked for.
    pub overdispersion: Option<Overdispersion>,
    /// One point per area, in the order given.
    pub points: Vec<FunnelPoint>,
}

/// Funnel-plot limits for every area, around the pooled value or a given benchmark, with
/// Spiegelhalter's overdispersion test and adjustment when asked for (see the module's
/// `# Formula`).
///
/// # Errors
///
/// * [`Error::LengthMismatch`] unless there is one numerator and one denominator per area;
/// * [`Error::InArea`] naming the area whose numerator is negative or not finite, whose
///   denominator is not above zero, or (proportions) whose numerator is above its denominator;
/// * [`Error::InvalidValue`] for a bad `per` or benchmark, or when a given benchmark leaves no
///   variation (0, or 1 for a proportion) yet an area differs from it, or overdispersion is asked
///   for around such a benchmark; [`Error::TooFewAreas`] for overdispersion with fewer than 2
///   areas (or no areas at all); [`Error::UnsupportedFunnelMethod`] for Wilson limits of a rate.
///
/// # Examples
///
/// ```
/// use crimeperf::{funnel, Adjustment, Flag, FunnelOptions};
///
/// let areas = ["A", "B", "C", "D"];
/// let crimes = [30.0, 95.0, 210.0, 70.0];
/// let populations = [2_000.0, 5_000.0, 10_000.0, 4_000.0];
/// let plot = funnel(&areas, &crimes, &populations, &FunnelOptions::default())?;
/// // The pooled rate: 405 crimes over 21,000 residents = 19.3 per 1,000.
/// assert!((plot.limits.benchmark - 405.0 / 21.0).abs() < 1e-12);
/// assert_eq!(plot.adjustment, Adjustment::NotRequested);
/// assert!(plot.points.iter().all(|p| p.limits[0].flag == Flag::Within));
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn funnel<S: AsRef<str>>(
    areas: &[S],
    numerators: &[f64],
    denominators: &[f64],
    options: &FunnelOptions,
) -> Result<Funnel> {
    input::same_length("numerators", areas.len(), numerators.len())?;
    input::same_length("denominators", areas.len(), denominators.len())?;
    if areas.is_empty() {
        return Err(Error::TooFewAreas {
            what: "a funnel plot",
            needed: 1,
            got: 0,
        });
    }
    let per = positive("per", options.per)?;
    let mut total_numerator = 0.0;
    let mut total_denominator = 0.0;
    for ((area, &numerator), &denominator) in areas.iter().zip(numerators).zip(denominators) {
        let area = area.as_ref();
        let numerator = input::in_area(area, input::non_negative("numerator", numerator))?;
        let denominator = input::in_area(area, input::denominator("denominator", denominator))?;
        if options.statistic == FunnelStatistic::Proportion && numerator > denominator {
            return Err(input::area_error(
                area,
                Error::InvalidValue {
                    what: "numerator",
                    reason: "of a proportion must not be above its denominator",
                    value: numerator,
                },
            ));
        }
        total_numerator += numerator;
        total_denominator += denominator;
    }
    let benchmark = match options.benchmark {
        Some(value) => value,
        None => total_numerator / total_denominator * per,
    };
    let mut limits = ControlLimits::new(options.statistic, options.method, benchmark, per)?;
    let theta = limits.theta();

    let mut z = Vec::with_capacity(areas.len());
    for ((area, &numerator), &denominator) in areas.iter().zip(numerators).zip(denominators) {
        let variance = limits.variance(denominator);
        let difference = numerator / denominator - theta;
        let score = if variance > 0.0 {
            difference / variance.sqrt()
        } else if difference == 0.0 {
            0.0
        } else {
            return Err(input::area_error(
                area.as_ref(),
                Error::InvalidValue {
                    what: "benchmark",
                    reason: "leaves no chance variation, yet this area differs from it",
                    value: benchmark,
                },
            ));
        };
        z.push(score);
    }

    let (adjustment, overdispersion) = if options.overdispersion {
        let test = overdispersion_test(
            &z,
            denominators,
            &limits,
            options.benchmark.is_some(),
            benchmark,
        )?;
        if test.p_value < 0.05 && test.tau2 > 0.0 {
            limits.tau2 = test.tau2;
            (Adjustment::Additive, Some(test))
        } else {
            (Adjustment::NoEvidence, Some(test))
        }
    } else {
        (Adjustment::NotRequested, None)
    };

    let points = areas
        .iter()
        .zip(numerators)
        .zip(denominators)
        .zip(z)
        .map(|(((area, &numerator), &denominator), z)| {
            let value = numerator / denominator * per;
            let pairs = options
                .levels
                .iter()
                .map(|&confidence| {
                    let (lower, upper) = limits.limits(denominator, confidence);
                    let flag = if value < lower {
                        Flag::Low
                    } else if value > upper {
                        Flag::High
                    } else {
                        Flag::Within
                    };
                    LimitPair {
                        confidence,
                        lower,
                        upper,
                        flag,
                    }
                })
                .collect();
            FunnelPoint {
                area: area.as_ref().to_owned(),
                numerator,
                denominator,
                value,
                expected: theta * denominator,
                z,
                limits: pairs,
            }
        })
        .collect();

    Ok(Funnel {
        limits,
        benchmark_given: options.benchmark.is_some(),
        adjustment,
        overdispersion,
        points,
    })
}

/// The share of z-scores winsorised in each tail (Spiegelhalter 2005).
const WINSORISED: f64 = 0.1;

fn overdispersion_test(
    z: &[f64],
    denominators: &[f64],
    limits: &ControlLimits,
    benchmark_given: bool,
    benchmark: f64,
) -> Result<Overdispersion> {
    let count = z.len();
    if count < 2 {
        return Err(Error::TooFewAreas {
            what: "a test of overdispersion",
            needed: 2,
            got: count,
        });
    }
    let theta = limits.theta();
    let degenerate = match limits.statistic {
        FunnelStatistic::Proportion => theta <= 0.0 || theta >= 1.0,
        FunnelStatistic::Rate | FunnelStatistic::Ratio => theta <= 0.0,
    };
    if degenerate {
        return Err(Error::InvalidValue {
            what: "benchmark",
            reason: "leaves no chance variation, so overdispersion cannot be estimated around it",
            value: benchmark,
        });
    }
    let mut sorted = z.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cut = (WINSORISED * count as f64).floor() as usize;
    let (low, high) = (sorted[cut], sorted[count - 1 - cut]);
    let chi_square: f64 = z
        .iter()
        .map(|&score| {
            let w = score.clamp(low, high);
            w * w
        })
        .sum();
    let phi = chi_square / count as f64;
    let degrees_of_freedom = if benchmark_given { count } else { count - 1 };
    let p_value = gamma_q(degrees_of_freedom as f64 / 2.0, chi_square / 2.0);
    let (sum_w, sum_w2) = denominators.iter().fold((0.0, 0.0), |(s, s2), &n| {
        let w = 1.0 / limits.variance(n);
        (s + w, s2 + w * w)
    });
    let tau2 = ((chi_square - (count as f64 - 1.0)) / (sum_w - sum_w2 / sum_w)).max(0.0);
    Ok(Overdispersion {
        winsorised: WINSORISED,
        phi,
        chi_square,
        degrees_of_freedom: degrees_of_freedom as u32,
        p_value,
        tau2,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn whole_counts_sit_on_their_garwood_limits() {
        // The expected count at which 10 events are on the lower 95% limit is the Garwood upper
        // limit of 10, scipy.stats.chi2.ppf(0.975, 22) / 2 = 18.390356..., and on the upper limit
        // the Garwood lower limit, scipy.stats.chi2.ppf(0.025, 20) / 2 = 4.795389...
        let (upper_of_10_lower, upper_of_10_upper) =
            crate::distribution::poisson::garwood(10, 0.025);
        let (lower, _) = poisson_limits(upper_of_10_upper, 0.025);
        assert!((lower - 10.0).abs() < 1e-9, "{lower}");
        let (_, upper) = poisson_limits(upper_of_10_lower, 0.025);
        assert!((upper - 10.0).abs() < 1e-9, "{upper}");
    }

    #[test]
    fn binomial_limits_invert_clopper_pearson() {
        // scipy.stats.beta.ppf(0.975, 13, 88) = 0.2004..., the Clopper-Pearson upper limit of
        // 12 of 100: at that proportion, 12 of 100 is on the lower limit.
        let (_, upper) = crate::distribution::binomial::clopper_pearson_log_odds(12, 100, 0.025);
        let theta = 1.0 / (1.0 + (-upper).exp());
        let (lower, _) = binomial_limits(100.0, theta, 0.025);
        assert!((lower - 12.0).abs() < 1e-8, "{lower}");
    }

    #[test]
    fn zero_numerators_and_benchmarks() -> Result<()> {
        let plot = funnel(
            &["A", "B"],
            &[0.0, 0.0],
            &[100.0, 200.0],
            &FunnelOptions::default(),
        )?;
        assert_eq!(plot.limits.benchmark, 0.0);
        assert!(plot
            .points
            .iter()
            .all(|p| p.z == 0.0 && p.limits.iter().all(|l| l.lower == 0.0 && l.upper == 0.0)));
        let plot = funnel(
            &["A", "B"],
            &[0.0, 9.0],
            &[100.0, 200.0],
            &FunnelOptions::default(),
        )?;
        let zero = &plot.points[0];
        assert_eq!(zero.limits[0].lower, 0.0);
        assert_eq!(zero.limits[0].flag, Flag::Within);
        let err = funnel(
            &["A", "B"],
            &[0.0, 0.0],
            &[100.0, 200.0],
            &FunnelOptions {
                overdispersion: true,
                ..FunnelOptions::default()
            },
        )
        .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidValue {
                what: "benchmark",
                ..
            }
        ));
        Ok(())
    }

    #[test]
    fn errors_name_the_area() {
        let options = FunnelOptions {
            statistic: FunnelStatistic::Proportion,
            ..FunnelOptions::default()
        };
        let err = funnel(&["A", "B"], &[1.0, 5.0], &[10.0, 4.0], &options).unwrap_err();
        assert_eq!(
            err.to_string(),
            "area B: numerator of a proportion must not be above its denominator, got 5"
        );
        let err = funnel(&["A", "B"], &[1.0, f64::NAN], &[10.0, 4.0], &options).unwrap_err();
        assert!(err.to_string().starts_with("area B: numerator"));
        let wilson_rate = FunnelOptions {
            method: FunnelMethod::Wilson,
            ..FunnelOptions::default()
        };
        let err = funnel(&["A"], &[1.0], &[10.0], &wilson_rate).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the wilson method does not apply to funnel plots of a rate"
        );
    }

    #[test]
    fn labels_round_trip() -> Result<()> {
        for statistic in [
            FunnelStatistic::Rate,
            FunnelStatistic::Proportion,
            FunnelStatistic::Ratio,
        ] {
            assert_eq!(statistic.label().parse::<FunnelStatistic>()?, statistic);
        }
        for method in [FunnelMethod::Exact, FunnelMethod::Wilson] {
            assert_eq!(method.label().parse::<FunnelMethod>()?, method);
        }
        assert_eq!(
            serde_json::to_string(&Adjustment::NoEvidence)
                .ok()
                .as_deref(),
            Some("\"no_evidence\"")
        );
        Ok(())
    }
}
