//! Crime rates per head of population (per 1,000 by convention) with exact or Byar intervals.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::distribution::poisson;
use crate::option::{self, OptionLabel};
use crate::{input, text, Confidence, Error, Result};

/// How the confidence interval of a count is computed.
///
/// Labels (`label()`, `FromStr`, serde and Python): `"auto"`, `"exact"`, `"byar"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateMethod {
    /// Exact below 10 events and Byar from 10 — the PHEindicatormethods convention.
    #[default]
    Auto,
    /// Exact Poisson (Garwood) limits from the chi-square distribution.
    Exact,
    /// Byar's approximation to the exact limits (good from about 10 events).
    Byar,
}

impl RateMethod {
    /// Every method.
    pub const ALL: [RateMethod; 3] = [RateMethod::Auto, RateMethod::Exact, RateMethod::Byar];

    /// The label used in frames and by the Python API: `"auto"`, `"exact"` or `"byar"`.
    pub fn label(self) -> &'static str {
        match self {
            RateMethod::Auto => "auto",
            RateMethod::Exact => "exact",
            RateMethod::Byar => "byar",
        }
    }
}

impl fmt::Display for RateMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl OptionLabel for RateMethod {
    const WHAT: &'static str = "rate method";
    const EXPECTED: &'static str = "auto, exact, byar";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        RateMethod::label(self)
    }
}

impl FromStr for RateMethod {
    type Err = Error;

    /// Parses a [`label`](RateMethod::label), case-insensitive and trimmed; nothing else.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownOption`], listing the labels and suggesting the closest.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::RateMethod;
    ///
    /// assert_eq!("Exact".parse::<RateMethod>()?, RateMethod::Exact);
    /// let err = "byars".parse::<RateMethod>().unwrap_err();
    /// assert!(err.to_string().ends_with("(did you mean 'byar'?)"));
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
    }
}

/// Below this many events `RateMethod::Auto` uses exact limits (PHEindicatormethods' rule).
pub const EXACT_BELOW: u64 = 10;

/// A rate with its confidence interval, e.g. 48.2 crimes per 1,000 residents (46.8 to 49.7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// The number of events.
    pub count: u64,
    /// The population (or households, or any exposure) the count relates to.
    pub population: f64,
    /// The multiplier: the rate is per this many of the population (1,000 by default).
    pub per: f64,
    /// `count / population × per`.
    pub value: f64,
    /// Lower confidence limit of the rate.
    pub lower: f64,
    /// Upper confidence limit of the rate.
    pub upper: f64,
    /// The method that produced the limits (`Exact` or `Byar`; never `Auto`).
    pub method: RateMethod,
    /// The confidence level of the limits.
    pub confidence: Confidence,
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} per {} ({} to {}, {} {})",
            text::format_fixed(self.value, 2),
            text::thousands(self.per),
            text::format_fixed(self.lower, 2),
            text::format_fixed(self.upper, 2),
            self.confidence,
            self.method
        )
    }
}

/// The limits for the mean of a Poisson count, before division by a population.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CountInterval {
    /// Lower limit (0 for a count of 0).
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
    /// The method used (`Exact` or `Byar`).
    pub method: RateMethod,
}

/// Computes rates for many areas with one set of options.
///
/// Building it once does the per-confidence work (the normal critical value and the exact limits
/// of counts 0–9) so that each rate afterwards costs a few arithmetic operations.
///
/// # Examples
///
/// ```
/// use crimeperf::{Confidence, RateEstimator, RateMethod};
///
/// let per_thousand = RateEstimator::new(1000.0, Confidence::new(0.95)?, RateMethod::Auto)?;
/// let rochford = per_thousand.rate(4208, 87_200.0)?;
/// assert_eq!(format!("{:.2}", rochford.value), "48.26");
/// assert_eq!(rochford.method, RateMethod::Byar);
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct RateEstimator {
    per: f64,
    confidence: Confidence,
    method: RateMethod,
    z: f64,
    exact_small: [(f64, f64); EXACT_BELOW as usize],
}

impl RateEstimator {
    /// Options for rates per `per` people at a confidence level with a method.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when `per` is not a finite number above zero.
    pub fn new(per: f64, confidence: Confidence, method: RateMethod) -> Result<Self> {
        if !(per.is_finite() && per > 0.0) {
            return Err(Error::InvalidValue {
                what: "per",
                reason: "must be a finite number above zero",
                value: per,
            });
        }
        let tail = confidence.tail();
        let mut exact_small = [(0.0, 0.0); EXACT_BELOW as usize];
        for (count, limits) in exact_small.iter_mut().enumerate() {
            *limits = poisson::garwood(count as u64, tail);
        }
        Ok(RateEstimator {
            per,
            confidence,
            method,
            z: confidence.z(),
            exact_small,
        })
    }

    /// The rate for `count` events in `population`.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`] for a negative count, [`Error::CountTooLarge`] above
    /// [`MAX_COUNT`](crate::MAX_COUNT), and [`Error::InvalidDenominator`] for a
    /// population that is zero, negative, NaN or infinite.
    pub fn rate(&self, count: i64, population: f64) -> Result<Rate> {
        let count = input::count("count", count)?;
        let population = input::denominator("population", population)?;
        let limits = self.count_interval(count);
        let scale = self.per / population;
        Ok(Rate {
            count,
            population,
            per: self.per,
            value: count as f64 * scale,
            lower: limits.lower * scale,
            upper: limits.upper * scale,
            method: limits.method,
            confidence: self.confidence,
        })
    }

    /// The confidence limits for the mean of a count.
    pub fn count_interval(&self, count: u64) -> CountInterval {
        let exact = match self.method {
            RateMethod::Auto => count < EXACT_BELOW,
            RateMethod::Exact => true,
            RateMethod::Byar => false,
        };
        if exact {
            let (lower, upper) = match self.exact_small.get(count as usize) {
                Some(&limits) => limits,
                None => poisson::garwood(count, self.confidence.tail()),
            };
            CountInterval {
                lower,
                upper,
                method: RateMethod::Exact,
            }
        } else {
            let (lower, upper) = byar(count as f64, self.z);
            CountInterval {
                lower,
                upper,
                method: RateMethod::Byar,
            }
        }
    }

    /// The confidence level in use.
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
}

impl Default for RateEstimator {
    /// Per 1,000, 95% confidence, `Auto` method.
    fn default() -> Self {
        RateEstimator {
            per: 1000.0,
            confidence: Confidence::default(),
            method: RateMethod::Auto,
            z: Confidence::default().z(),
            exact_small: std::array::from_fn(|count| {
                poisson::garwood(count as u64, Confidence::default().tail())
            }),
        }
    }
}

/// Byar's approximation to the exact Poisson limits of a count `x` with critical value `z`.
///
/// # Formula
///
/// `lower = x (1 − 1/(9x) − z/(3√x))³`, `upper = (x+1) (1 − 1/(9(x+1)) + z/(3√(x+1)))³`.
/// The lower limit is 0 for `x = 0` and is floored at 0 where the approximation turns negative
/// (only for tiny counts at high confidence, where the exact method should be used instead).
fn byar(x: f64, z: f64) -> (f64, f64) {
    let lower = if x == 0.0 {
        0.0
    } else {
        (x * (1.0 - 1.0 / (9.0 * x) - z / (3.0 * x.sqrt())).powi(3)).max(0.0)
    };
    let x1 = x + 1.0;
    let upper = x1 * (1.0 - 1.0 / (9.0 * x1) + z / (3.0 * x1.sqrt())).powi(3);
    (lower, upper)
}

/// The rate per 1,000 with a 95% interval, exact below 10 events and Byar above.
///
/// # Errors
///
/// As [`RateEstimator::rate`].
///
/// # Examples
///
/// ```
/// // "1.344 crimes per 1,000 residents": 117 domestic burglaries in 87,056 residents.
/// let burglary = crimeperf::rate(117, 87_056.0)?;
/// assert_eq!(format!("{:.3}", burglary.value), "1.344");
/// assert!(burglary.lower < burglary.value && burglary.value < burglary.upper);
/// // A count of zero is normal in small areas: the lower limit is 0, not an error.
/// assert_eq!(crimeperf::rate(0, 1_500.0)?.lower, 0.0);
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn rate(count: i64, population: f64) -> Result<Rate> {
    RateEstimator::default().rate(count, population)
}
