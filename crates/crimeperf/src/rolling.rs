//! Rolling sums of a monthly series ("61.8 crimes per 1,000 in the rolling 12 months to January
//! 2010"), and their rates when populations are given.

use serde::{Deserialize, Serialize};

use crate::{Error, Month, MonthRange, MonthlyCounts, Rate, RateEstimator, Result};

/// The sum of the `window` months ending with `month`, and its rate when a population was given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RollingSum {
    /// The last month of the window.
    pub month: Month,
    /// The months summed.
    pub window: MonthRange,
    /// Their total.
    pub count: u64,
    /// The rate of `count` in the population given for `month`, if populations were given.
    pub rate: Option<Rate>,
}

/// The rolling sums of `months` months, one for each month of the series that ends a full window
/// (the first `months − 1` months have none: a part-window sum is not a rolling total).
///
/// # Formula
///
/// `count(m) = Σ series(m − months + 1 ..= m)`.
///
/// # Errors
///
/// [`Error::InvalidValue`] when `months` is 0, and [`Error::TooFewPoints`] when the series is
/// shorter than one window.
///
/// # Examples
///
/// ```
/// use crimeperf::{rolling_sums, Month, MonthlyCounts};
///
/// let first: Month = "2024-01".parse()?;
/// let months: Vec<Month> = (0..4).map(|i| first.plus(i).unwrap()).collect();
/// let series = MonthlyCounts::new("all crime", &months, &[10, 20, 30, 40])?;
/// let sums = rolling_sums(&series, 3)?;
/// assert_eq!(sums.iter().map(|s| s.count).collect::<Vec<_>>(), [60, 90]);
/// assert_eq!(sums[0].window.to_string(), "January to March 2024");
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn rolling_sums(series: &MonthlyCounts, months: usize) -> Result<Vec<RollingSum>> {
    rolling(series, months, None)
}

/// As [`rolling_sums`], with the rate of each sum in the population given for the window's last
/// month (`populations` has one entry per month of the series; those of the first `months − 1`
/// months are not used but must still be valid).
///
/// # Errors
///
/// As [`rolling_sums`]; also [`Error::LengthMismatch`] when `populations` does not have one entry
/// per month, and [`Error::InvalidPoint`] naming the month whose population is not a finite
/// number above zero.
///
/// # Examples
///
/// ```
/// use crimeperf::{rolling_rates, Month, MonthlyCounts, RateEstimator};
///
/// let first: Month = "2009-02".parse()?;
/// let months: Vec<Month> = (0..12).map(|i| first.plus(i).unwrap()).collect();
/// let series = MonthlyCounts::new("all crime", &months, &[515; 12])?;
/// let rates = rolling_rates(&series, 12, &[100_000.0; 12], &RateEstimator::default())?;
/// let last = rates[0].rate.unwrap();
/// assert_eq!(format!("{:.1} per 1,000 in the 12 months to {}", last.value, rates[0].month.long_name()),
///            "61.8 per 1,000 in the 12 months to January 2010");
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn rolling_rates(
    series: &MonthlyCounts,
    months: usize,
    populations: &[f64],
    estimator: &RateEstimator,
) -> Result<Vec<RollingSum>> {
    if populations.len() != series.counts.len() {
        return Err(Error::LengthMismatch {
            what: "populations",
            items: "months",
            expected: series.counts.len(),
            got: populations.len(),
        });
    }
    for (month, &population) in series.months().zip(populations) {
        if !(population.is_finite() && population > 0.0) {
            return Err(Error::InvalidPoint {
                series: format!("the population of {:?}", series.label),
                point: month.to_string(),
                reason: "must be a finite number above zero",
                value: population,
            });
        }
    }
    rolling(series, months, Some((populations, estimator)))
}

fn rolling(
    series: &MonthlyCounts,
    months: usize,
    populations: Option<(&[f64], &RateEstimator)>,
) -> Result<Vec<RollingSum>> {
    if months == 0 {
        return Err(Error::InvalidValue {
            what: "months",
            reason: "must be at least 1",
            value: 0.0,
        });
    }
    if series.counts.len() < months {
        return Err(Error::TooFewPoints {
            what: format!("the series {:?}", series.label),
            got: series.counts.len(),
            minimum: months,
            hint: " for one rolling window",
        });
    }
    let mut out = Vec::with_capacity(series.counts.len() + 1 - months);
    let mut total: u64 = series.counts[..months - 1].iter().sum();
    for (i, month) in series.months().enumerate().skip(months - 1) {
        total += series.counts[i];
        let first = month.plus(1 - months as i64)?;
        let rate = match populations {
            // A total beyond i64 is beyond MAX_COUNT too, and the estimator says so.
            Some((populations, estimator)) => {
                Some(estimator.rate(i64::try_from(total).unwrap_or(i64::MAX), populations[i])?)
            }
            None => None,
        };
        out.push(RollingSum {
            month,
            window: MonthRange::new(first, month)?,
            count: total,
            rate,
        });
        total -= series.counts[i + 1 - months];
    }
    Ok(out)
}
