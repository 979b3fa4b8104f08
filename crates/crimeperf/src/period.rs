//! Reporting periods: months, quarters, financial and calendar years, ranges of months, and the
//! comparisons built from them (year to date, same period last year, rolling 12 months).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn invalid(label: &str, reason: impl Into<String>) -> Error {
    Error::InvalidPeriod {
        label: label.to_owned(),
        reason: reason.into(),
    }
}

fn parse_year(text: &str, label: &str) -> Result<i32> {
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse()
            .map_err(|_| invalid(label, "the year must have four digits"))
    } else {
        Err(invalid(label, format!("{text:?} is not a four-digit year")))
    }
}

/// A calendar month, the unit of police.uk data.
///
/// Months run from [`Month::EARLIEST`] (April 1000) to [`Month::LATEST`] (March 9999): whole
/// financial years with four-digit years, so that every month's financial year, quarter and
/// year to date are months too. Arithmetic that would leave that range is an error, never a
/// month with a five-digit or three-digit year.
///
/// # Examples
///
/// ```
/// use crimeperf::Month;
///
/// let m: Month = "2024-01".parse()?;
/// assert_eq!(m, "January 2024".parse()?);
/// assert_eq!(m.to_string(), "2024-01");
/// assert_eq!(m.previous()?.to_string(), "2023-12");
/// assert_eq!(m.financial_year().to_string(), "2023/24");
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u8,
}

impl Month {
    /// The earliest supported month, April 1000 (the first month of financial year 1000/01).
    pub const EARLIEST: Month = Month {
        year: 1000,
        month: 4,
    };

    /// The latest supported month, March 9999 (the last month of financial year 9998/99).
    pub const LATEST: Month = Month {
        year: 9999,
        month: 3,
    };

    /// The month `month` (1–12) of `year`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when `month` is not in 1–12 or the month is outside
    /// [`Month::EARLIEST`]–[`Month::LATEST`].
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Month;
    ///
    /// assert_eq!(Month::new(2025, 4)?.to_string(), "2025-04");
    /// assert!(Month::new(2025, 13).is_err());
    /// assert!(Month::new(99_999, 1).is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(year: i32, month: u32) -> Result<Self> {
        let label = format!("{year}-{month:02}");
        if !(1..=12).contains(&month) {
            return Err(invalid(&label, "the month must be between 1 and 12"));
        }
        if !(1000..=9999).contains(&year) {
            return Err(invalid(&label, "the year must have four digits"));
        }
        Month::in_range(Month {
            year,
            month: month as u8,
        })
    }

    /// `month` when it lies between [`Month::EARLIEST`] and [`Month::LATEST`].
    fn in_range(month: Month) -> Result<Self> {
        if (Month::EARLIEST..=Month::LATEST).contains(&month) {
            Ok(month)
        } else {
            Err(invalid(
                &month.to_string(),
                format!(
                    "months run from {} to {} (whole financial years with four-digit years)",
                    Month::EARLIEST,
                    Month::LATEST
                ),
            ))
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1 (January) to 12 (December).
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// Months since January of year 0, for arithmetic.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month at `index`, for offsets already known to stay in range (a period's own months).
    fn from_index(index: i64) -> Self {
        Month {
            year: index.div_euclid(12) as i32,
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    /// The month `n` months later (earlier for negative `n`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when the result would be outside
    /// [`Month::EARLIEST`]–[`Month::LATEST`].
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Month;
    ///
    /// let january: Month = "2025-01".parse()?;
    /// assert_eq!(january.plus(-1)?.to_string(), "2024-12");
    /// assert_eq!(january.plus(14)?.to_string(), "2026-03");
    /// assert!(january.plus(100_000).is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn plus(self, n: i64) -> Result<Self> {
        let index = self.index().saturating_add(n);
        let (earliest, latest) = (Month::EARLIEST.index(), Month::LATEST.index());
        if (earliest..=latest).contains(&index) {
            Ok(Month::from_index(index))
        } else {
            Err(invalid(
                &format!("{self} {n:+} months"),
                format!(
                    "months run from {} to {} (whole financial years with four-digit years)",
                    Month::EARLIEST,
                    Month::LATEST
                ),
            ))
        }
    }

    /// The following month.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] after [`Month::LATEST`].
    pub fn next(self) -> Result<Self> {
        self.plus(1)
    }

    /// The preceding month.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] before [`Month::EARLIEST`].
    pub fn previous(self) -> Result<Self> {
        self.plus(-1)
    }

    /// Whole months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: Month) -> i64 {
        later.index() - self.index()
    }

    /// The financial year (April–March) the month falls in.
    pub fn financial_year(self) -> FinancialYear {
        FinancialYear {
            start: if self.month >= 4 {
                self.year
            } else {
                self.year - 1
            },
        }
    }

    /// The calendar quarter the month falls in (Q1 = January to March).
    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: (self.month - 1) / 3 + 1,
        }
    }

    /// The financial quarter the month falls in (Q1 = April to June).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Month;
    ///
    /// assert_eq!("2025-04".parse::<Month>()?.financial_quarter().to_string(), "2025/26 Q1");
    /// assert_eq!("2026-02".parse::<Month>()?.financial_quarter().to_string(), "2025/26 Q4");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn financial_quarter(self) -> FinancialQuarter {
        FinancialQuarter {
            year: self.financial_year(),
            quarter: (self.month + 8) % 12 / 3 + 1,
        }
    }

    /// The month's name and year: "January 2024".
    pub fn long_name(self) -> String {
        format!("{} {}", MONTH_NAMES[usize::from(self.month - 1)], self.year)
    }

    /// Year to date in the financial year: April up to and including this month.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Month;
    ///
    /// let ytd = "2013-12".parse::<Month>()?.year_to_date();
    /// assert_eq!(ytd.to_string(), "April to December 2013");
    /// assert_eq!(ytd.same_period_last_year()?.to_string(), "April to December 2012");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn year_to_date(self) -> MonthRange {
        MonthRange {
            first: self.financial_year().first_month(),
            last: self,
        }
    }

    /// The 12 months ending with this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Month;
    ///
    /// let rolling = "2010-01".parse::<Month>()?.rolling_12_months()?;
    /// assert_eq!(rolling.to_string(), "February 2009 to January 2010");
    /// assert_eq!(rolling.len(), 12);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when the 12 months would start before [`Month::EARLIEST`].
    pub fn rolling_12_months(self) -> Result<MonthRange> {
        Ok(MonthRange {
            first: self.plus(-11)?,
            last: self,
        })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = Error;

    /// Accepts `2024-01` (police.uk), `2024-1`, `2024/01`, `2024-01-01` (a date: the day is
    /// ignored), `Jan 2024` and `January 2024`.
    fn from_str(s: &str) -> Result<Self> {
        let label = s.trim();
        let expected = "expected a month such as 2024-01 or January 2024";
        if let Some((name, year)) = label.split_once(char::is_whitespace) {
            let name = name.trim().to_lowercase();
            let month = MONTH_NAMES
                .iter()
                .position(|m| {
                    let m = m.to_lowercase();
                    name == m || (name.len() >= 3 && m.starts_with(&name))
                })
                .ok_or_else(|| invalid(s, expected))?;
            return Month::new(parse_year(year.trim(), s)?, month as u32 + 1)
                .map_err(|_| invalid(s, expected));
        }
        let mut parts = label.split(['-', '/']);
        let (Some(year), Some(month)) = (parts.next(), parts.next()) else {
            return Err(invalid(s, expected));
        };
        if let Some(day) = parts.next() {
            if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(s, expected));
            }
        }
        if parts.next().is_some() || month.is_empty() || month.len() > 2 {
            return Err(invalid(s, expected));
        }
        let month: u32 = month.parse().map_err(|_| invalid(s, expected))?;
        Month::new(parse_year(year, s)?, month).map_err(|e| match e {
            Error::InvalidPeriod { reason, .. } => invalid(s, reason),
            other => other,
        })
    }
}

impl TryFrom<String> for Month {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// A calendar quarter: Q1 is January–March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    year: i32,
    quarter: u8,
}

impl Quarter {
    /// Quarter `quarter` (1–4) of `year`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when `quarter` is not 1–4 or its months are outside
    /// [`Month::EARLIEST`]–[`Month::LATEST`].
    pub fn new(year: i32, quarter: u32) -> Result<Self> {
        let label = format!("{year} Q{quarter}");
        if !(1..=4).contains(&quarter) || !(1000..=9999).contains(&year) {
            return Err(invalid(
                &label,
                "a quarter is Q1 to Q4 of a four-digit year",
            ));
        }
        let q = Quarter {
            year,
            quarter: quarter as u8,
        };
        let months = q.months();
        Month::in_range(months.first)
            .and(Month::in_range(months.last))
            .map_err(|_| {
                invalid(
                    &label,
                    format!(
                        "quarters run from 1000 Q2 to 9999 Q1 (months {} to {})",
                        Month::EARLIEST,
                        Month::LATEST
                    ),
                )
            })?;
        Ok(q)
    }

    /// The months of the quarter.
    pub fn months(self) -> MonthRange {
        let first = Month {
            year: self.year,
            month: (self.quarter - 1) * 3 + 1,
        };
        MonthRange {
            first,
            last: Month::from_index(first.index() + 2),
        }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.year, self.quarter)
    }
}

impl FromStr for Quarter {
    type Err = Error;

    /// Accepts `2024 Q1`, `2024Q1`, `2024-Q1` and `Q1 2024`, in any case.
    fn from_str(s: &str) -> Result<Self> {
        let compact: String = s
            .trim()
            .to_ascii_uppercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '/')
            .collect();
        let (year, quarter) = if let Some(rest) = compact.strip_prefix('Q') {
            (rest.get(1..).unwrap_or(""), rest.get(..1).unwrap_or(""))
        } else if let Some((year, quarter)) = compact.split_once('Q') {
            (year, quarter)
        } else {
            return Err(invalid(s, "expected a quarter such as 2024 Q1"));
        };
        let quarter: u32 = quarter
            .parse()
            .map_err(|_| invalid(s, "expected a quarter such as 2024 Q1"))?;
        Quarter::new(parse_year(year, s)?, quarter).map_err(|_| invalid(s, "a quarter is Q1 to Q4"))
    }
}

/// A financial year, April to March, written "2009/10".
///
/// # Examples
///
/// ```
/// use crimeperf::FinancialYear;
///
/// let fy: FinancialYear = "FY2009/10".parse()?;
/// assert_eq!(fy, "2009-10".parse()?);
/// assert_eq!(fy.to_string(), "2009/10");
/// assert_eq!(fy.months().to_string(), "April 2009 to March 2010");
/// assert!("2009/11".parse::<FinancialYear>().is_err());
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FinancialYear {
    start: i32,
}

impl FinancialYear {
    /// The financial year starting in April of `start_year`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] for a year outside 1000–9998.
    pub fn starting(start_year: i32) -> Result<Self> {
        if (1000..=9998).contains(&start_year) {
            Ok(FinancialYear { start: start_year })
        } else {
            Err(invalid(
                &start_year.to_string(),
                "the year must have four digits",
            ))
        }
    }

    /// The calendar year in which it starts.
    pub fn start_year(self) -> i32 {
        self.start
    }

    /// April of the start year.
    pub fn first_month(self) -> Month {
        Month {
            year: self.start,
            month: 4,
        }
    }

    /// April to March.
    pub fn months(self) -> MonthRange {
        let first = self.first_month();
        MonthRange {
            first,
            last: Month::from_index(first.index() + 11),
        }
    }

    /// Quarter `quarter` (1–4) of the financial year: Q1 is April to June.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when `quarter` is not 1–4.
    pub fn quarter(self, quarter: u32) -> Result<FinancialQuarter> {
        if (1..=4).contains(&quarter) {
            Ok(FinancialQuarter {
                year: self,
                quarter: quarter as u8,
            })
        } else {
            Err(invalid(
                &format!("{self} Q{quarter}"),
                "a financial quarter is Q1 (April to June) to Q4 (January to March)",
            ))
        }
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.start, (self.start + 1).rem_euclid(100))
    }
}

impl FromStr for FinancialYear {
    type Err = Error;

    /// Accepts `2009/10`, `2009-10`, `2009/2010`, and any of these after `FY` (`FY2009/10`).
    fn from_str(s: &str) -> Result<Self> {
        let expected = "expected a financial year such as 2009/10, 2009-10 or FY2009/10";
        let text = s.trim();
        let text = text
            .strip_prefix("FY")
            .or_else(|| text.strip_prefix("fy"))
            .or_else(|| text.strip_prefix("Fy"))
            .unwrap_or(text)
            .trim();
        let (start, end) = text
            .split_once(['/', '-'])
            .ok_or_else(|| invalid(s, expected))?;
        let start = parse_year(start.trim(), s).map_err(|_| invalid(s, expected))?;
        let end = end.trim();
        let end_ok = match end.len() {
            2 => end.parse::<i32>().ok() == Some((start + 1).rem_euclid(100)),
            4 => end.parse::<i32>().ok() == Some(start + 1),
            _ => return Err(invalid(s, expected)),
        };
        if !end_ok {
            return Err(invalid(
                s,
                "a financial year runs from April to the following March, so the second year must follow the first",
            ));
        }
        FinancialYear::starting(start)
    }
}

impl TryFrom<String> for FinancialYear {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<FinancialYear> for String {
    fn from(fy: FinancialYear) -> String {
        fy.to_string()
    }
}

/// A financial quarter: Q1 is April to June, Q4 January to March, written "2025/26 Q1" as UK
/// police and partnership performance reports write it.
///
/// # Examples
///
/// ```
/// use crimeperf::FinancialQuarter;
///
/// let q: FinancialQuarter = "2025/26 Q4".parse()?;
/// assert_eq!(q.to_string(), "2025/26 Q4");
/// assert_eq!(q.months().to_string(), "January to March 2026");
/// assert_eq!("Q1 FY2025-26".parse::<FinancialQuarter>()?.to_string(), "2025/26 Q1");
/// assert!("2025/26 Q5".parse::<FinancialQuarter>().is_err());
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FinancialQuarter {
    year: FinancialYear,
    quarter: u8,
}

impl FinancialQuarter {
    /// The financial year the quarter belongs to.
    pub fn financial_year(self) -> FinancialYear {
        self.year
    }

    /// The quarter number, 1 (April to June) to 4 (January to March).
    pub fn quarter(self) -> u32 {
        u32::from(self.quarter)
    }

    /// The three months of the quarter.
    pub fn months(self) -> MonthRange {
        let first = self.year.first_month().index() + 3 * i64::from(self.quarter - 1);
        MonthRange {
            first: Month::from_index(first),
            last: Month::from_index(first + 2),
        }
    }
}

impl fmt::Display for FinancialQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.year, self.quarter)
    }
}

impl FromStr for FinancialQuarter {
    type Err = Error;

    /// Accepts `2025/26 Q1`, `2025-26 Q1`, `FY2025/26 Q1`, `Q1 2025/26` and `2025/26Q1`, in any
    /// case.
    fn from_str(s: &str) -> Result<Self> {
        let expected = "expected a financial quarter such as 2025/26 Q1";
        let upper = s.trim().to_ascii_uppercase();
        // The quarter is "Q" and one digit, at either end; the rest is the financial year.
        let (year, quarter) = if let Some(rest) = upper.strip_prefix('Q') {
            let digit = rest.get(..1).ok_or_else(|| invalid(s, expected))?;
            (rest.get(1..).unwrap_or(""), digit)
        } else {
            let at = upper.rfind('Q').ok_or_else(|| invalid(s, expected))?;
            (&upper[..at], &upper[at + 1..])
        };
        let quarter: u32 = quarter.trim().parse().map_err(|_| invalid(s, expected))?;
        let year: FinancialYear = year.trim().parse().map_err(|_| invalid(s, expected))?;
        year.quarter(quarter).map_err(|e| match e {
            Error::InvalidPeriod { reason, .. } => invalid(s, reason),
            other => other,
        })
    }
}

impl TryFrom<String> for FinancialQuarter {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<FinancialQuarter> for String {
    fn from(q: FinancialQuarter) -> String {
        q.to_string()
    }
}

/// A calendar year, January to December.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CalendarYear(i32);

impl CalendarYear {
    /// The calendar year `year`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] for a year outside 1001–9998 (whose months are all between
    /// [`Month::EARLIEST`] and [`Month::LATEST`]).
    pub fn new(year: i32) -> Result<Self> {
        if (1001..=9998).contains(&year) {
            Ok(CalendarYear(year))
        } else {
            Err(invalid(
                &year.to_string(),
                "calendar years run from 1001 to 9998",
            ))
        }
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.0
    }

    /// January to December.
    pub fn months(self) -> MonthRange {
        MonthRange {
            first: Month {
                year: self.0,
                month: 1,
            },
            last: Month {
                year: self.0,
                month: 12,
            },
        }
    }
}

impl fmt::Display for CalendarYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An inclusive range of whole months.
///
/// # Examples
///
/// ```
/// use crimeperf::{Month, MonthRange};
///
/// let range = MonthRange::new("2024-11".parse()?, "2025-02".parse()?)?;
/// let months: Vec<String> = range.iter().map(|m| m.to_string()).collect();
/// assert_eq!(months, ["2024-11", "2024-12", "2025-01", "2025-02"]);
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct MonthRange {
    first: Month,
    last: Month,
}

impl MonthRange {
    /// The months from `first` to `last`, both included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when `last` is before `first`.
    pub fn new(first: Month, last: Month) -> Result<Self> {
        if last < first {
            return Err(invalid(
                &format!("{first}..{last}"),
                "the range ends before it starts",
            ));
        }
        Ok(MonthRange { first, last })
    }

    /// The first month.
    pub fn first(self) -> Month {
        self.first
    }

    /// The last month.
    pub fn last(self) -> Month {
        self.last
    }

    /// The number of months (at least 1).
    pub fn len(self) -> usize {
        (self.first.months_until(self.last) + 1) as usize
    }

    /// Always false: a range holds at least one month.
    pub fn is_empty(self) -> bool {
        false
    }

    /// True when `month` is in the range.
    pub fn contains(self, month: Month) -> bool {
        self.first <= month && month <= self.last
    }

    /// The months in order.
    pub fn iter(self) -> impl Iterator<Item = Month> {
        let first = self.first.index();
        (first..=self.last.index()).map(Month::from_index)
    }

    /// The same months one year earlier.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when they would start before [`Month::EARLIEST`].
    pub fn same_period_last_year(self) -> Result<MonthRange> {
        Ok(MonthRange {
            first: self.first.plus(-12)?,
            last: self.last.plus(-12)?,
        })
    }
}

impl IntoIterator for MonthRange {
    type Item = Month;
    type IntoIter = Box<dyn Iterator<Item = Month>>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl fmt::Display for MonthRange {
    /// "April to December 2013" within a year, "April 2013 to March 2014" across years,
    /// "January 2024" for a single month.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            return f.write_str(&self.first.long_name());
        }
        if self.first.year == self.last.year {
            write!(
                f,
                "{} to {}",
                MONTH_NAMES[usize::from(self.first.month - 1)],
                self.last.long_name()
            )
        } else {
            write!(f, "{} to {}", self.first.long_name(), self.last.long_name())
        }
    }
}

/// Any reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Period {
    /// One month.
    Month(Month),
    /// A calendar quarter (Q1 = January to March).
    Quarter(Quarter),
    /// A financial quarter (Q1 = April to June).
    FinancialQuarter(FinancialQuarter),
    /// A financial year (April–March).
    FinancialYear(FinancialYear),
    /// A calendar year.
    CalendarYear(CalendarYear),
    /// Any inclusive range of months.
    Range(MonthRange),
}

impl Period {
    /// The months the period covers.
    pub fn months(self) -> MonthRange {
        match self {
            Period::Month(m) => MonthRange { first: m, last: m },
            Period::Quarter(q) => q.months(),
            Period::FinancialQuarter(q) => q.months(),
            Period::FinancialYear(fy) => fy.months(),
            Period::CalendarYear(y) => y.months(),
            Period::Range(r) => r,
        }
    }

    /// The same period one year earlier, of the same kind.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPeriod`] when it would start before [`Month::EARLIEST`].
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Period;
    ///
    /// let q1: Period = "2025/26 Q1".parse()?;
    /// assert_eq!(q1.same_period_last_year()?.to_string(), "2024/25 Q1");
    /// assert!("1000 Q3".parse::<Period>()?.same_period_last_year().is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn same_period_last_year(self) -> Result<Period> {
        Ok(match self {
            Period::Month(m) => Period::Month(m.plus(-12)?),
            Period::Quarter(q) => Period::Quarter(Quarter::new(q.year - 1, u32::from(q.quarter))?),
            Period::FinancialQuarter(q) => Period::FinancialQuarter(
                FinancialYear::starting(q.year.start - 1)?.quarter(u32::from(q.quarter))?,
            ),
            Period::FinancialYear(fy) => {
                Period::FinancialYear(FinancialYear::starting(fy.start - 1)?)
            }
            Period::CalendarYear(y) => Period::CalendarYear(CalendarYear::new(y.0 - 1)?),
            Period::Range(r) => Period::Range(r.same_period_last_year()?),
        })
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    /// Periods order by their first month, then by their last (so a month sorts before the
    /// quarter it starts).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (self.months(), other.months());
        (a.first, a.last).cmp(&(b.first, b.last))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Month(m) => write!(f, "{m}"),
            Period::Quarter(q) => write!(f, "{q}"),
            Period::FinancialQuarter(q) => write!(f, "{q}"),
            Period::FinancialYear(fy) => write!(f, "{fy}"),
            Period::CalendarYear(y) => write!(f, "{y}"),
            Period::Range(r) => write!(f, "{}..{}", r.first, r.last),
        }
    }
}

impl FromStr for Period {
    type Err = Error;

    /// Parses any period label: `2009/10` or `FY2009/10` (financial year), `2025/26 Q1` or
    /// `Q1 2025/26` (financial quarter), `2024 Q1` (calendar quarter), `2024-01`
    /// or `January 2024` (month), `2024` (calendar year), `2024-01..2024-06` or
    /// `2024-01 to 2024-06` (range).
    ///
    /// `2010-11` could be November 2010 or the financial year 2010/11, so it is rejected as
    /// ambiguous: write `2010/11` or `FY2010-11` for the year, or parse a [`Month`] directly.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Period;
    ///
    /// assert!(matches!("2009/10".parse::<Period>()?, Period::FinancialYear(_)));
    /// assert!(matches!("2024-01".parse::<Period>()?, Period::Month(_)));
    /// assert!(matches!("2025/26 Q1".parse::<Period>()?, Period::FinancialQuarter(_)));
    /// assert!(matches!("2025 Q1".parse::<Period>()?, Period::Quarter(_)));
    /// assert!(matches!("2024".parse::<Period>()?, Period::CalendarYear(_)));
    /// assert_eq!("2024-01 to 2024-06".parse::<Period>()?.months().len(), 6);
    /// assert!("2010-11".parse::<Period>().is_err());
    /// assert!("last Tuesday".parse::<Period>().is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let text = s.trim();
        for separator in ["..", " to "] {
            if let Some((first, last)) = text.split_once(separator) {
                let first: Month = first.parse()?;
                let last: Month = last.parse()?;
                return MonthRange::new(first, last).map(Period::Range);
            }
        }
        let upper = text.to_ascii_uppercase();
        if upper.starts_with("FY") || text.contains('/') && !text.contains(char::is_alphabetic) {
            if let Ok(fy) = text.parse::<FinancialYear>() {
                return Ok(Period::FinancialYear(fy));
            }
        }
        if upper.contains('Q') {
            if text.contains('/') || upper.starts_with("FY") {
                return text.parse().map(Period::FinancialQuarter);
            }
            return text.parse().map(Period::Quarter);
        }
        if text.len() == 4 || upper.starts_with("CY") {
            let year = parse_year(text.trim_start_matches(['C', 'Y', 'c', 'y']).trim(), s)?;
            return CalendarYear::new(year).map(Period::CalendarYear);
        }
        match (text.parse::<Month>(), text.parse::<FinancialYear>()) {
            (Ok(_), Ok(_)) => Err(invalid(
                s,
                "ambiguous: a month or a financial year? Write 2010/11 or FY2010-11 for the financial year, or 2010-11 as a Month",
            )),
            (Ok(m), Err(_)) => Ok(Period::Month(m)),
            (Err(_), Ok(fy)) => Ok(Period::FinancialYear(fy)),
            (Err(e), Err(_)) => Err(match e {
                Error::InvalidPeriod { .. } => invalid(
                    s,
                    "expected a month (2024-01), quarter (2024 Q1), financial year (2009/10), calendar year (2024) or range (2024-01..2024-06)",
                ),
                other => other,
            }),
        }
    }
}

/// Checks that months form an unbroken ascending monthly series.
///
/// # Errors
///
/// [`Error::GapInSeries`] naming the months either side of the first gap, and
/// [`Error::InvalidPeriod`] for a month that repeats or goes backwards.
///
/// # Examples
///
/// ```
/// use crimeperf::{check_monthly_series, Month};
///
/// let months: Vec<Month> = ["2024-01", "2024-02", "2024-05"].iter().map(|m| m.parse().unwrap()).collect();
/// let err = check_monthly_series(months).unwrap_err();
/// assert_eq!(err.to_string(), "the monthly series jumps from 2024-02 to 2024-05; 2 month(s) are missing");
/// ```
pub fn check_monthly_series(months: impl IntoIterator<Item = Month>) -> Result<()> {
    let mut previous: Option<Month> = None;
    for month in months {
        if let Some(before) = previous {
            let step = before.months_until(month);
            if step <= 0 {
                return Err(invalid(
                    &month.to_string(),
                    format!("the series must ascend month by month, but {month} follows {before}"),
                ));
            }
            if step > 1 {
                return Err(Error::GapInSeries {
                    before: before.to_string(),
                    after: month.to_string(),
                    missing: (step - 1) as u32,
                });
            }
        }
        previous = Some(month);
    }
    Ok(())
}
