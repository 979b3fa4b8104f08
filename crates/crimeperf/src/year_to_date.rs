//! Year to date against the same months a year earlier: "206 offences 1 April–31 December 2013
//! against 168 for the same period in 2012".

use serde::{Deserialize, Serialize};

use crate::{Change, ChangeOptions, Error, Month, MonthRange, MonthlyCounts, Result};

/// The months from the start of the reporting year up to and including `through`, for a year
/// that starts in month `year_start` (4 = April, the financial year; 1 = January).
///
/// # Errors
///
/// [`Error::InvalidValue`] when `year_start` is not 1–12, and [`Error::InvalidPeriod`] when the
/// year would start before [`Month::EARLIEST`].
///
/// # Examples
///
/// ```
/// use crimeperf::{year_to_date_range, Month};
///
/// let december: Month = "2013-12".parse()?;
/// assert_eq!(year_to_date_range(december, 4)?.to_string(), "April to December 2013");
/// assert_eq!(year_to_date_range("2014-02".parse()?, 4)?.to_string(), "April 2013 to February 2014");
/// assert_eq!(year_to_date_range(december, 1)?.to_string(), "January to December 2013");
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn year_to_date_range(through: Month, year_start: u32) -> Result<MonthRange> {
    if !(1..=12).contains(&year_start) {
        return Err(Error::InvalidValue {
            what: "year_start",
            reason: "must be a month number from 1 (January) to 12 (December)",
            value: f64::from(year_start),
        });
    }
    let back = (i64::from(through.month()) - i64::from(year_start)).rem_euclid(12);
    MonthRange::new(through.plus(-back)?, through)
}

/// A year-to-date count against the same months a year earlier, with the exact test of
/// [`Change`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearToDate {
    /// The series' label.
    pub label: String,
    /// The months of this year to date.
    pub current_period: MonthRange,
    /// The same months a year earlier.
    pub previous_period: MonthRange,
    /// The sum over `current_period`.
    pub current: u64,
    /// The sum over `previous_period`.
    pub previous: u64,
    /// The change from `previous` to `current` (equal exposures: the periods have equal length).
    pub change: Change,
}

impl YearToDate {
    /// The committee sentence: "22.6% increase (38 crimes): 206 in April to December 2013
    /// against 168 in April to December 2012", counts with thousands separators ("5,905").
    pub fn describe(&self, unit: &str) -> String {
        format!(
            "{}: {} in {} against {} in {}",
            self.change.describe(unit),
            crate::text::thousands(self.current as f64),
            self.current_period,
            crate::text::thousands(self.previous as f64),
            self.previous_period
        )
    }
}

/// The year to date through `through` (the year starting in month `year_start`) against the same
/// months a year earlier.
///
/// # Formula
///
/// `current = Σ count(m)` over the months from the year's start to `through`; `previous` is the
/// same sum twelve months earlier; `change` is [`Change::with_options`] on the two sums.
///
/// # Errors
///
/// [`Error::MissingMonth`] naming the series and the first month of either period it does not
/// cover (never a silent zero), errors of [`year_to_date_range`], and those of
/// [`Change::with_options`].
///
/// # Examples
///
/// ```
/// use crimeperf::{year_to_date, ChangeOptions, Month, MonthlyCounts};
///
/// // Burglary Dwelling, April to December in 2012 and 2013 (168 and 206 offences).
/// let first: Month = "2012-04".parse()?;
/// let months: Vec<Month> = (0..21).map(|i| first.plus(i).unwrap()).collect();
/// let mut counts = vec![0i64; 21];
/// counts[..9].copy_from_slice(&[18, 19, 20, 17, 18, 19, 20, 19, 18]); // Apr–Dec 2012: 168
/// counts[12..].copy_from_slice(&[22, 23, 24, 21, 22, 23, 24, 23, 24]); // Apr–Dec 2013: 206
/// let series = MonthlyCounts::new("Burglary Dwelling", &months, &counts)?;
/// let ytd = year_to_date(&series, "2013-12".parse()?, 4, &ChangeOptions::default())?;
/// assert_eq!(
///     ytd.describe("crimes"),
///     "22.6% increase (38 crimes): 206 in April to December 2013 against 168 in April to December 2012"
/// );
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn year_to_date(
    series: &MonthlyCounts,
    through: Month,
    year_start: u32,
    options: &ChangeOptions,
) -> Result<YearToDate> {
    let current_period = year_to_date_range(through, year_start)?;
    let previous_period = current_period.same_period_last_year()?;
    // The earlier period first, so that the error names the first month missing in time order.
    let previous = series.sum(previous_period)?;
    let current = series.sum(current_period)?;
    // Each sum is at most 12 counts of at most MAX_COUNT, far inside i64.
    let change = Change::with_options(current as i64, previous as i64, options)?;
    Ok(YearToDate {
        label: series.label.clone(),
        current_period,
        previous_period,
        current,
        previous,
        change,
    })
}
