//! Counting crimes by area, type and period, with zeros where nothing was recorded.

use std::str::FromStr;

use crimeperf::{CalendarYear, Month, Period};
use polars::prelude::*;

use crate::error::{DataError, Result};
use crate::grouping::{column, gather, key_column};
use crate::police_uk::{days_to_month, month_to_days};

/// The length of the periods crimes are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodUnit {
    /// Calendar months ("2025-01").
    #[default]
    Month,
    /// Calendar quarters, Q1 = January to March ("2025 Q1").
    Quarter,
    /// Financial quarters, Q1 = April to June ("2025/26 Q1"), as UK police and partnership
    /// performance reports use them.
    FinancialQuarter,
    /// Financial years, April to March ("2024/25").
    FinancialYear,
    /// Calendar years ("2025").
    CalendarYear,
}

impl PeriodUnit {
    /// The period containing `month`.
    fn period_of(self, month: Month) -> crimeperf::Result<Period> {
        Ok(match self {
            PeriodUnit::Month => Period::Month(month),
            PeriodUnit::Quarter => Period::Quarter(month.quarter()),
            PeriodUnit::FinancialQuarter => Period::FinancialQuarter(month.financial_quarter()),
            PeriodUnit::FinancialYear => Period::FinancialYear(month.financial_year()),
            PeriodUnit::CalendarYear => Period::CalendarYear(CalendarYear::new(month.year())?),
        })
    }

    /// The first month of the period containing `month`.
    fn start_of(self, month: Month) -> crimeperf::Result<Month> {
        self.period_of(month).map(|period| period.months().first())
    }

    /// The number of months in each period.
    fn length(self) -> i64 {
        match self {
            PeriodUnit::Month => 1,
            PeriodUnit::Quarter | PeriodUnit::FinancialQuarter => 3,
            PeriodUnit::FinancialYear | PeriodUnit::CalendarYear => 12,
        }
    }
}

impl FromStr for PeriodUnit {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "month" | "monthly" => Ok(PeriodUnit::Month),
            "quarter" | "quarterly" | "calendar_quarter" => Ok(PeriodUnit::Quarter),
            "financial_quarter" | "fq" => Ok(PeriodUnit::FinancialQuarter),
            "financial_year" | "fy" => Ok(PeriodUnit::FinancialYear),
            "calendar_year" | "year" => Ok(PeriodUnit::CalendarYear),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "period",
                label: s.to_owned(),
                expected: "month, quarter, financial_quarter, financial_year, calendar_year",
            }),
        }
    }
}

/// The most rows a count may produce (with zeros filled in).
const GROUP_LIMIT: u128 = 200_000_000;

/// Counts crimes and anti-social behaviour incidents in `records` (from
/// [`read_police_uk`](crate::read_police_uk)) by the `by` columns and by period.
///
/// Every combination of the values seen in each `by` column with every period from the first to
/// the last appears, with 0 where nothing was recorded: a zero is data. Rows with a null in a `by`
/// column (e.g. "No Location" crimes have no CSP) form their own group rather than vanishing.
/// Crimes and ASB incidents are counted in separate columns, `crimes` and `asb_incidents`, so
/// ASB never enters a crime total.
///
/// The result has the `by` columns, `period` (its label), `period_start` (a date), `crimes` and
/// `asb_incidents`, ordered by the `by` values then by period.
///
/// # Errors
///
/// [`DataError::MissingColumn`] naming a column that is not there (including `month` and
/// `is_asb`, which police.uk street records have), [`DataError::ColumnType`] for a `by` column that
/// is not text, boolean or a date, and [`DataError::TooManyGroups`] when the combinations exceed
/// 200 million.
///
/// # Examples
///
/// ```no_run
/// use crimeperf_polars::{count_crimes, read_police_uk, Geography, PeriodUnit, ReadOptions};
///
/// let data = read_police_uk("downloads", &Geography::bundled()?, &ReadOptions::default())?;
/// let by_csp = count_crimes(&data.records, &["csp_name", "crime_type"], PeriodUnit::FinancialYear)?;
/// # Ok::<(), crimeperf_polars::DataError>(())
/// ```
pub fn count_crimes(records: &DataFrame, by: &[&str], period: PeriodUnit) -> Result<DataFrame> {
    let months = column(records, "month")?;
    let months = months.date().map_err(|_| DataError::ColumnType {
        name: "month".to_owned(),
        dtype: months.dtype().to_string(),
        expected: "the month column must be a date",
    })?;
    let months = months.physical();
    let asb = column(records, "is_asb")?.bool()?;
    let keys = by
        .iter()
        .map(|name| key_column(records, name))
        .collect::<Result<Vec<_>>>()?;

    // The periods from the first to the last record, each with its label.
    let start_of = |day: Option<i32>| -> crimeperf::Result<Option<Month>> {
        day.and_then(days_to_month)
            .map(|m| period.start_of(m))
            .transpose()
    };
    let (Some(first), Some(last)) = (start_of(months.min())?, start_of(months.max())?) else {
        return empty_result(&keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>());
    };
    let step = period.length();
    let mut periods = vec![first];
    while let Some(&current) = periods.last() {
        if current >= last {
            break;
        }
        periods.push(current.plus(step)?);
    }
    let period_index = |start: Month| -> usize { (first.months_until(start) / step) as usize };

    let sizes: Vec<usize> = keys.iter().map(|k| k.values.len()).collect();
    let groups: u128 = sizes.iter().map(|&s| s as u128).product::<u128>() * periods.len() as u128;
    if groups > GROUP_LIMIT {
        return Err(DataError::TooManyGroups {
            by: by.join(", "),
            groups,
            limit: GROUP_LIMIT,
        });
    }
    let mut crimes = vec![0u64; groups as usize];
    let mut incidents = vec![0u64; groups as usize];
    let mut period_of_day: PlHashMap<i32, usize> = PlHashMap::default();
    // One file is one month: the slot of the row before is usually this row's too.
    let mut last_day: Option<(i32, usize)> = None;
    for (row, (day, is_asb)) in months.iter().zip(asb.iter()).enumerate() {
        let Some(day) = day else { continue };
        let slot = match last_day {
            Some((previous, slot)) if previous == day => slot,
            _ => {
                let slot = match period_of_day.get(&day) {
                    Some(&slot) => slot,
                    None => {
                        let Some(month) = days_to_month(day) else {
                            continue;
                        };
                        let slot = period_index(period.start_of(month)?);
                        period_of_day.insert(day, slot);
                        slot
                    }
                };
                last_day = Some((day, slot));
                slot
            }
        };
        let mut cell = 0usize;
        for key in &keys {
            cell = cell * key.values.len() + key.codes[row] as usize;
        }
        cell = cell * periods.len() + slot;
        if is_asb == Some(true) {
            incidents[cell] += 1;
        } else {
            crimes[cell] += 1;
        }
    }

    // Unravel the dense table into columns.
    let n = groups as usize;
    let mut columns = Vec::with_capacity(keys.len() + 4);
    for (position, key) in keys.iter().enumerate() {
        let inner: usize = sizes[position + 1..].iter().product::<usize>() * periods.len();
        let indices: Vec<u32> = (0..n)
            .map(|cell| ((cell / inner) % sizes[position]) as u32)
            .collect();
        columns.push(key.values.column(&key.name, &indices)?);
    }
    let labels = Series::new(
        "period".into(),
        periods
            .iter()
            .map(|&p| period.period_of(p).map(|p| p.to_string()))
            .collect::<crimeperf::Result<Vec<_>>>()?,
    );
    let period_of_cell: Vec<u32> = (0..n).map(|cell| (cell % periods.len()) as u32).collect();
    columns.push(gather(&labels, &period_of_cell)?);
    columns.push(
        Int32Chunked::from_iter_values(
            "period_start".into(),
            (0..n).map(|cell| month_to_days(periods[cell % periods.len()])),
        )
        .into_date()
        .into_column(),
    );
    columns.push(Column::new("crimes".into(), crimes));
    columns.push(Column::new("asb_incidents".into(), incidents));
    Ok(DataFrame::new(n, columns)?)
}

fn empty_result(by: &[&str]) -> Result<DataFrame> {
    let mut columns: Vec<Column> = by
        .iter()
        .map(|name| Column::new((*name).into(), Vec::<Option<String>>::new()))
        .collect();
    columns.push(Column::new("period".into(), Vec::<String>::new()));
    columns.push(
        Int32Chunked::from_vec("period_start".into(), vec![])
            .into_date()
            .into_column(),
    );
    columns.push(Column::new("crimes".into(), Vec::<u64>::new()));
    columns.push(Column::new("asb_incidents".into(), Vec::<u64>::new()));
    Ok(DataFrame::new(0, columns)?)
}
