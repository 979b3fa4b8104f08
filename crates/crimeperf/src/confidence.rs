//! Confidence levels and the normal critical values they imply.

use serde::{Deserialize, Serialize};

use crate::distribution::normal;
use crate::{Error, Result};

/// A two-sided confidence level strictly between 0 and 1.
///
/// Public health and community safety reporting use 95% (the default) and 99.8% (roughly three
/// standard errors, used for funnel plots and to flag "significantly different" areas).
///
/// # Examples
///
/// ```
/// use crimeperf::Confidence;
///
/// let c = Confidence::new(0.95)?;
/// assert!((c.z() - 1.959963984540054).abs() < 1e-15);
/// assert_eq!(Confidence::default().level(), 0.95);
/// assert!(Confidence::new(95.0).is_err()); // a fraction, not a percentage
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Confidence(f64);

impl Confidence {
    /// 95%, the default everywhere.
    pub const NINETY_FIVE: Confidence = Confidence(0.95);
    /// 99.8%, about three standard errors.
    pub const NINETY_NINE_POINT_EIGHT: Confidence = Confidence(0.998);

    /// A confidence level.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfidence`] unless `0 < level < 1` (so NaN, 0, 1 and percentages such as
    /// `95.0` are rejected).
    pub fn new(level: f64) -> Result<Self> {
        if level > 0.0 && level < 1.0 {
            Ok(Confidence(level))
        } else {
            Err(Error::InvalidConfidence(level))
        }
    }

    /// The level as a fraction, e.g. `0.95`.
    pub fn level(self) -> f64 {
        self.0
    }

    /// The probability in each tail outside a two-sided interval: `(1 - level) / 2`.
    pub fn tail(self) -> f64 {
        (1.0 - self.0) / 2.0
    }

    /// The significance level of the matching two-sided test: `1 - level`.
    pub fn alpha(self) -> f64 {
        1.0 - self.0
    }

    /// The standard normal critical value `z` with `P(|Z| < z) = level`.
    pub fn z(self) -> f64 {
        // The upper quantile is taken through the lower tail so that 0.998 does not lose digits
        // to the cancellation in `1 - 0.001`.
        -normal::quantile(self.tail())
    }
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence::NINETY_FIVE
    }
}

impl TryFrom<f64> for Confidence {
    type Error = Error;

    fn try_from(level: f64) -> Result<Self> {
        Confidence::new(level)
    }
}

impl From<Confidence> for f64 {
    fn from(c: Confidence) -> f64 {
        c.0
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let percent = self.0 * 100.0;
        // 95% and 99.8% print without trailing zeros.
        let text = crate::text::format_fixed(percent, 6);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{text}%")
    }
}
