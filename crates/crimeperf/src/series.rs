//! A labelled monthly series of counts: the input of year-to-date comparisons, rolling sums and
//! projections.
//!
//! A month with no value is an error naming the series and the month, never a silent zero: a
//! force that did not publish a month is not a month without crime. Filling gaps with explicit
//! zeros is an opt-in ([`MonthlyCounts::with_zeros_filled`]) that records which months it filled.

use serde::{Deserialize, Serialize};

use crate::{input, Error, Month, MonthRange, Period, Result};

/// Monthly counts for one series (an area and crime type), each month once, held in month order.
///
/// # Examples
///
/// ```
/// use crimeperf::{Month, MonthlyCounts};
///
/// let months: Vec<Month> = ["2024-01", "2024-02", "2024-03"].iter().map(|m| m.parse().unwrap()).collect();
/// let burglary = MonthlyCounts::new("Rochford burglary", &months, &[12, 0, 9])?;
/// assert_eq!(burglary.get("2024-02".parse()?), Some(0)); // an explicit zero is a value
/// assert_eq!(burglary.sum(burglary.range())?, 21);
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyCounts {
    /// The series' label, quoted in errors.
    pub label: String,
    /// The first month.
    pub first: Month,
    /// One count per month from `first`, without gaps.
    pub counts: Vec<u64>,
    /// Months that were missing from the input and filled with zero by
    /// [`MonthlyCounts::with_zeros_filled`]; empty for [`MonthlyCounts::new`].
    pub filled: Vec<Month>,
}

impl MonthlyCounts {
    /// The series from `months` and their `counts`, in any order.
    ///
    /// # Errors
    ///
    /// [`Error::LengthMismatch`] when the slices differ in length, [`Error::DuplicateMonth`] for
    /// a month given twice, [`Error::MissingMonth`] naming the first month missing between the
    /// earliest and latest, [`Error::InvalidPoint`] for a negative count or one above
    /// [`MAX_COUNT`](crate::MAX_COUNT), and [`Error::TooFewPoints`] for an empty series.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Month, MonthlyCounts};
    ///
    /// let months: Vec<Month> = ["2024-01", "2024-03"].iter().map(|m| m.parse().unwrap()).collect();
    /// let err = MonthlyCounts::new("Rochford burglary", &months, &[12, 9]).unwrap_err();
    /// assert_eq!(err.to_string(), "the series \"Rochford burglary\" has no value for 2024-02");
    /// ```
    pub fn new(label: &str, months: &[Month], counts: &[i64]) -> Result<Self> {
        Self::build(label, months, counts, false)
    }

    /// As [`MonthlyCounts::new`], but months missing between the earliest and the latest are
    /// filled with zero and listed in [`MonthlyCounts::filled`]. Use it only where a missing
    /// month is known to mean no crimes.
    ///
    /// # Errors
    ///
    /// As [`MonthlyCounts::new`], except that gaps are filled instead of refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Month, MonthlyCounts};
    ///
    /// let months: Vec<Month> = ["2024-01", "2024-03"].iter().map(|m| m.parse().unwrap()).collect();
    /// let series = MonthlyCounts::with_zeros_filled("Rochford burglary", &months, &[12, 9])?;
    /// assert_eq!(series.counts, [12, 0, 9]);
    /// assert_eq!(series.filled, ["2024-02".parse::<Month>()?]);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn with_zeros_filled(label: &str, months: &[Month], counts: &[i64]) -> Result<Self> {
        Self::build(label, months, counts, true)
    }

    fn build(label: &str, months: &[Month], counts: &[i64], fill: bool) -> Result<Self> {
        if months.len() != counts.len() {
            return Err(Error::LengthMismatch {
                what: "counts",
                items: "months",
                expected: months.len(),
                got: counts.len(),
            });
        }
        let mut pairs = Vec::with_capacity(months.len());
        for (&month, &count) in months.iter().zip(counts) {
            let count = input::count("count", count).map_err(|_| Error::InvalidPoint {
                series: format!("the series {label:?}"),
                point: month.to_string(),
                reason: "the count must be a whole number from 0 to 1,000,000,000",
                value: count as f64,
            })?;
            pairs.push((month, count));
        }
        pairs.sort_by_key(|&(month, _)| month);
        let Some(&(first, _)) = pairs.first() else {
            return Err(Error::TooFewPoints {
                what: format!("the series {label:?}"),
                got: 0,
                minimum: 1,
                hint: "",
            });
        };
        let mut out = Vec::with_capacity(pairs.len());
        let mut filled = Vec::new();
        let mut expected = first;
        for (month, count) in pairs {
            if month < expected {
                return Err(Error::DuplicateMonth {
                    series: label.to_owned(),
                    month: month.to_string(),
                });
            }
            while expected < month {
                if !fill {
                    return Err(Error::MissingMonth {
                        series: label.to_owned(),
                        month: expected.to_string(),
                    });
                }
                filled.push(expected);
                out.push(0);
                // `expected` is before `month`, a valid month, so it has a successor.
                expected = expected.next()?;
            }
            out.push(count);
            // The last month may be Month::LATEST, which has no successor; nothing follows it.
            expected = month.next().unwrap_or(month);
        }
        Ok(MonthlyCounts {
            label: label.to_owned(),
            first,
            counts: out,
            filled,
        })
    }

    /// The months the series covers.
    pub fn range(&self) -> MonthRange {
        let last = self.months().last().unwrap_or(self.first);
        // `last` is never before `first`; the fallback (the first month alone) is unreachable.
        MonthRange::new(self.first, last).unwrap_or_else(|_| Period::Month(self.first).months())
    }

    /// The months in order, one per count.
    pub fn months(&self) -> impl Iterator<Item = Month> + '_ {
        // Each month of a valid series is a valid month (the input gave the first and last).
        let first = self.first;
        (0..self.counts.len()).filter_map(move |i| first.plus(i as i64).ok())
    }

    /// The count of `month`, `None` when the series does not cover it.
    pub fn get(&self, month: Month) -> Option<u64> {
        let offset = self.first.months_until(month);
        usize::try_from(offset)
            .ok()
            .and_then(|i| self.counts.get(i).copied())
    }

    /// The count of `month`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingMonth`] when the series does not cover `month`.
    pub fn require(&self, month: Month) -> Result<u64> {
        self.get(month).ok_or_else(|| Error::MissingMonth {
            series: self.label.clone(),
            month: month.to_string(),
        })
    }

    /// The total over `range`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingMonth`] naming the first month of `range` the series does not cover.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Month, MonthRange, MonthlyCounts};
    ///
    /// let months: Vec<Month> = ["2024-01", "2024-02"].iter().map(|m| m.parse().unwrap()).collect();
    /// let series = MonthlyCounts::new("burglary", &months, &[12, 9])?;
    /// let beyond = MonthRange::new("2024-02".parse()?, "2024-03".parse()?)?;
    /// assert_eq!(series.sum(beyond).unwrap_err().to_string(), "the series \"burglary\" has no value for 2024-03");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn sum(&self, range: MonthRange) -> Result<u64> {
        range.iter().map(|month| self.require(month)).sum()
    }
}
