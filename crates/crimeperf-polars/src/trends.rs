//! Trends on frames of monthly counts: the year to date against the same months a year earlier,
//! rolling sums and rates, SPC charts and year-end projections, one series per group.
//!
//! Every function here cuts a frame (the output of [`count_crimes`](crate::count_crimes) with
//! `PeriodUnit::Month`, or any frame with a month column and a value column) into one monthly
//! series per combination of the `by` columns and hands each series to the core
//! ([`crimeperf::year_to_date`], [`crimeperf::rolling_sums`], [`crimeperf::spc::spc`],
//! [`crimeperf::project_year_end`]): no statistic is computed in this module.
//!
//! A month missing from a group's series is an error naming the group and the month
//! ([`crimeperf::Error::MissingMonth`]) unless [`MissingMonths::Zero`] is chosen; an explicit
//! zero is a value. A null month or value is an error naming the group and the row.

use std::collections::BTreeMap;
use std::str::FromStr;

use crimeperf::spc::{spc, Rebase, SpcOptions, SpcSeries};
use crimeperf::{
    project_year_end, rolling_rates, rolling_sums, year_to_date, ChangeOptions, Month,
    MonthlyCounts, ProjectionOptions, RateEstimator, RollingSum,
};
use polars::prelude::*;

use crate::error::{DataError, Result};
use crate::grouping::{column, float_values, key_column, key_text, KeyColumn};
use crate::police_uk::{days_to_month, month_to_days};

/// What to do with a month missing from a group's series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingMonths {
    /// Refuse: an error names the group and the first missing month.
    #[default]
    Error,
    /// Take a missing month as zero (only where that is known to be true).
    Zero,
}

impl FromStr for MissingMonths {
    type Err = crimeperf::Error;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "error" => Ok(MissingMonths::Error),
            "zero" => Ok(MissingMonths::Zero),
            _ => Err(crimeperf::Error::UnknownOption {
                what: "missing",
                label: s.to_owned(),
                expected: "error, zero",
            }),
        }
    }
}

/// Where the series are in a frame: the month column, the value column, the grouping columns
/// and what a missing month means. The default fits [`count_crimes`](crate::count_crimes)
/// output: `period_start` and `crimes`, one series for the whole frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesColumns<'a> {
    /// The month of each row (a date; any day of the month).
    pub month: &'a str,
    /// The value of each row (a count, or for SPC any measure).
    pub value: &'a str,
    /// The columns whose combinations are the groups.
    pub by: &'a [&'a str],
    /// What a missing month means.
    pub missing: MissingMonths,
}

impl Default for SeriesColumns<'_> {
    fn default() -> Self {
        SeriesColumns {
            month: "period_start",
            value: "crimes",
            by: &[],
            missing: MissingMonths::Error,
        }
    }
}

/// One group's series, months in order and without gaps.
struct Group {
    codes: Vec<u32>,
    label: String,
    months: Vec<Month>,
    values: Vec<f64>,
    /// The rows of the frame at each month (`None` for a filled month), to read other columns.
    rows: Vec<Option<usize>>,
}

/// Cuts `frame` into its groups' series.
fn split(frame: &DataFrame, spec: &SeriesColumns<'_>) -> Result<(Vec<KeyColumn>, Vec<Group>)> {
    let months = column(frame, spec.month)?;
    let days = months.date().map_err(|_| DataError::ColumnType {
        name: spec.month.to_owned(),
        dtype: months.dtype().to_string(),
        expected: "the month column must be a date",
    })?;
    let days: Vec<Option<i32>> = days.physical().iter().collect();
    let values: Vec<Option<f64>> = float_values(frame, spec.value)?.iter().collect();
    let keys = spec
        .by
        .iter()
        .map(|name| key_column(frame, name))
        .collect::<Result<Vec<_>>>()?;
    let mut rows_of: BTreeMap<Vec<u32>, Vec<usize>> = BTreeMap::new();
    for row in 0..frame.height() {
        let codes: Vec<u32> = keys.iter().map(|k| k.codes[row]).collect();
        rows_of.entry(codes).or_default().push(row);
    }
    let mut groups = Vec::with_capacity(rows_of.len());
    for (codes, rows) in rows_of {
        let label = if keys.is_empty() {
            spec.value.to_owned()
        } else {
            keys.iter()
                .zip(&codes)
                .map(|(k, &c)| key_text(k, c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut points: Vec<(Month, f64, usize)> = Vec::with_capacity(rows.len());
        for row in rows {
            let month = days[row].and_then(days_to_month).ok_or_else(|| {
                crimeperf::Error::InvalidPoint {
                    series: format!("the series {label:?}"),
                    point: format!("row {row}"),
                    reason: "the month is missing (null)",
                    value: f64::NAN,
                }
            })?;
            let value = values[row].ok_or_else(|| crimeperf::Error::InvalidPoint {
                series: format!("the series {label:?}"),
                point: month.to_string(),
                reason: "the value is missing (null)",
                value: f64::NAN,
            })?;
            points.push((month, value, row));
        }
        points.sort_by_key(|&(month, _, row)| (month, row));
        let mut group = Group {
            codes,
            label,
            months: Vec::with_capacity(points.len()),
            values: Vec::with_capacity(points.len()),
            rows: Vec::with_capacity(points.len()),
        };
        for (month, value, row) in points {
            if let Some(&last) = group.months.last() {
                if last == month {
                    return Err(crimeperf::Error::DuplicateMonth {
                        series: group.label,
                        month: month.to_string(),
                    }
                    .into());
                }
                let mut gap = last.next()?;
                while gap < month {
                    if spec.missing == MissingMonths::Error {
                        return Err(crimeperf::Error::MissingMonth {
                            series: group.label,
                            month: gap.to_string(),
                        }
                        .into());
                    }
                    group.months.push(gap);
                    group.values.push(0.0);
                    group.rows.push(None);
                    gap = gap.next()?;
                }
            }
            group.months.push(month);
            group.values.push(value);
            group.rows.push(Some(row));
        }
        groups.push(group);
    }
    Ok((keys, groups))
}

impl Group {
    /// The series as counts: whole numbers, named in the error when not.
    /// A core error about this group's series, with the group named (when the series is split
    /// into groups at all), so that "too few points" says whose.
    fn named(&self, keyed: bool) -> impl FnOnce(crimeperf::Error) -> crimeperf::Error + '_ {
        move |error| {
            if keyed {
                crimeperf::Error::InArea {
                    area: self.label.clone(),
                    source: Box::new(error),
                }
            } else {
                error
            }
        }
    }

    fn counts(&self) -> Result<MonthlyCounts> {
        let mut counts = Vec::with_capacity(self.values.len());
        for (&value, month) in self.values.iter().zip(&self.months) {
            if value.fract() != 0.0 || !value.is_finite() || value < 0.0 {
                return Err(crimeperf::Error::InvalidPoint {
                    series: format!("the series {:?}", self.label),
                    point: month.to_string(),
                    reason: "the count must be a whole number from 0",
                    value,
                }
                .into());
            }
            counts.push(value as i64);
        }
        Ok(MonthlyCounts::new(&self.label, &self.months, &counts)?)
    }
}

/// Output rows: the key columns repeated per row, then the result columns.
fn assemble(
    keys: &[KeyColumn],
    groups: &[Group],
    rows_per_group: &[usize],
    mut results: Vec<Column>,
) -> Result<DataFrame> {
    let n: usize = rows_per_group.iter().sum();
    let mut columns = Vec::with_capacity(keys.len() + results.len());
    for (position, key) in keys.iter().enumerate() {
        let indices: Vec<u32> = groups
            .iter()
            .zip(rows_per_group)
            .flat_map(|(g, &k)| std::iter::repeat_n(g.codes[position], k))
            .collect();
        columns.push(key.values.column(&key.name, &indices)?);
    }
    columns.append(&mut results);
    Ok(DataFrame::new(n, columns)?)
}

fn date_column(name: &str, months: impl Iterator<Item = Month>) -> Column {
    Int32Chunked::from_iter_values(name.into(), months.map(month_to_days))
        .into_date()
        .into_column()
}

/// The year to date through `through` against the same months a year earlier, per group, with
/// the core's exact test ([`crimeperf::year_to_date`]).
///
/// The result has the `by` columns and `period` (e.g. "April to December 2025"),
/// `previous_period`, `current`, `previous`, `change` (current − previous), `percent_change`
/// (null from a base of 0), `ratio`, `lower`, `upper` (the ratio's exact interval), `p_value`,
/// `significance` and `description` (the committee sentence).
///
/// # Errors
///
/// [`DataError::MissingColumn`] and [`DataError::ColumnType`] for the columns;
/// [`DataError::Core`] with [`crimeperf::Error::MissingMonth`] naming the group and month when
/// a month needed is missing, or a count that is not a whole number.
///
/// # Examples
///
/// ```
/// use crimeperf_polars::{year_to_date_frame, SeriesColumns};
/// use polars::prelude::*;
///
/// let days: Vec<i32> = vec![19_448, 19_478, 19_509]; // 2023-04-01, 2023-05-01, 2023-06-01
/// let mut frame = df!("crimes" => [5i64, 6, 7])?;
/// frame.with_column(Int32Chunked::from_vec("period_start".into(), days).into_date().into_column())?;
/// let err = year_to_date_frame(&frame, &SeriesColumns::default(), "2024-05".parse()?, 4, &Default::default()).unwrap_err();
/// assert_eq!(err.to_string(), "the series \"crimes\" has no value for 2024-04");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn year_to_date_frame(
    frame: &DataFrame,
    spec: &SeriesColumns<'_>,
    through: Month,
    year_start: u32,
    options: &ChangeOptions,
) -> Result<DataFrame> {
    let (keys, groups) = split(frame, spec)?;
    let results = groups
        .iter()
        .map(|g| {
            Ok(year_to_date(&g.counts()?, through, year_start, options)
                .map_err(g.named(!keys.is_empty()))?)
        })
        .collect::<Result<Vec<_>>>()?;
    let text = |f: &dyn Fn(&crimeperf::YearToDate) -> String| -> Vec<String> {
        results.iter().map(f).collect()
    };
    let columns = vec![
        Column::new("period".into(), text(&|y| y.current_period.to_string())),
        Column::new(
            "previous_period".into(),
            text(&|y| y.previous_period.to_string()),
        ),
        Column::new(
            "current".into(),
            results.iter().map(|y| y.current).collect::<Vec<_>>(),
        ),
        Column::new(
            "previous".into(),
            results.iter().map(|y| y.previous).collect::<Vec<_>>(),
        ),
        Column::new(
            "change".into(),
            results
                .iter()
                .map(|y| y.change.absolute)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "percent_change".into(),
            results.iter().map(|y| y.change.percent).collect::<Vec<_>>(),
        ),
        Column::new(
            "ratio".into(),
            results.iter().map(|y| y.change.ratio).collect::<Vec<_>>(),
        ),
        Column::new(
            "lower".into(),
            results.iter().map(|y| y.change.lower).collect::<Vec<_>>(),
        ),
        Column::new(
            "upper".into(),
            results.iter().map(|y| y.change.upper).collect::<Vec<_>>(),
        ),
        Column::new(
            "p_value".into(),
            results.iter().map(|y| y.change.p_value).collect::<Vec<_>>(),
        ),
        Column::new(
            "significance".into(),
            text(&|y| y.change.significance.label().to_owned()),
        ),
        Column::new("description".into(), text(&|y| y.describe("crimes"))),
    ];
    assemble(&keys, &groups, &vec![1; groups.len()], columns)
}

/// Where populations for rolling rates come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Population<'a> {
    /// A column of the frame: each group's population at each month.
    Column(&'a str),
    /// One population for every group and month.
    Value(f64),
}

/// Rolling sums over `months` months (and rates per 1,000 when `population` is given), per
/// group, from the core's [`crimeperf::rolling_sums`] and [`crimeperf::rolling_rates`].
///
/// The result has the `by` columns, `month` (the window's last month, a date), `window` (e.g.
/// "February 2009 to January 2010"), `rolling_sum`, and with populations `population` (at
/// the window's last month), `rate`, `lower` and `upper`.
///
/// # Errors
///
/// As [`year_to_date_frame`]; also [`DataError::Core`] when `months` is 0 or longer than a
/// series, or a population is not a finite number above zero (naming the month).
///
/// # Examples
///
/// ```
/// use crimeperf_polars::{rolling_frame, SeriesColumns};
/// use polars::prelude::*;
///
/// let mut frame = df!("crimes" => [10i64, 20, 30, 40])?;
/// let days: Vec<i32> = (0..4).map(|i| 19_723 + [0, 31, 60, 91][i]).collect(); // 2024-01-01..04-01
/// frame.with_column(Int32Chunked::from_vec("period_start".into(), days).into_date().into_column())?;
/// let out = rolling_frame(&frame, &SeriesColumns::default(), 3, None)?;
/// assert_eq!(out.column("rolling_sum")?.u64()?.to_vec(), [Some(60), Some(90)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rolling_frame(
    frame: &DataFrame,
    spec: &SeriesColumns<'_>,
    months: usize,
    population: Option<Population<'_>>,
) -> Result<DataFrame> {
    let (keys, groups) = split(frame, spec)?;
    let populations: Option<Vec<Option<f64>>> = match population {
        Some(Population::Column(name)) => Some(float_values(frame, name)?.iter().collect()),
        _ => None,
    };
    let mut sums: Vec<RollingSum> = Vec::new();
    let mut window_population: Vec<f64> = Vec::new();
    let mut sizes = Vec::with_capacity(groups.len());
    for group in &groups {
        let series = group.counts()?;
        let result = match population {
            None => rolling_sums(&series, months)?,
            Some(source) => {
                let mut pops = Vec::with_capacity(group.months.len());
                for (row, month) in group.rows.iter().zip(&group.months) {
                    let value = match (source, &populations) {
                        (Population::Value(v), _) => Some(v),
                        (Population::Column(_), Some(p)) => row.and_then(|r| p[r]),
                        (Population::Column(_), None) => None,
                    };
                    pops.push(value.ok_or_else(|| crimeperf::Error::InvalidPoint {
                        series: format!("the population of the series {:?}", group.label),
                        point: month.to_string(),
                        reason: "the population is missing (null)",
                        value: f64::NAN,
                    })?);
                }
                let result = rolling_rates(&series, months, &pops, &RateEstimator::default())?;
                window_population.extend(&pops[pops.len() - result.len()..]);
                result
            }
        };
        sizes.push(result.len());
        sums.extend(result);
    }
    let mut columns = vec![
        date_column("month", sums.iter().map(|s| s.month)),
        Column::new(
            "window".into(),
            sums.iter()
                .map(|s| s.window.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "rolling_sum".into(),
            sums.iter().map(|s| s.count).collect::<Vec<_>>(),
        ),
    ];
    if population.is_some() {
        let rate = |f: fn(&crimeperf::Rate) -> f64| -> Vec<Option<f64>> {
            sums.iter().map(|s| s.rate.as_ref().map(f)).collect()
        };
        columns.push(Column::new("population".into(), window_population));
        columns.push(Column::new("rate".into(), rate(|r| r.value)));
        columns.push(Column::new("lower".into(), rate(|r| r.lower)));
        columns.push(Column::new("upper".into(), rate(|r| r.upper)));
    }
    assemble(&keys, &groups, &sizes, columns)
}

/// Where a rebase falls: at a month (frames with months) or a point (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RebaseAt {
    /// The first month of the new segment.
    Month(Month),
    /// The first point of the new segment, 0-based.
    Point(usize),
}

/// How to chart each group: the core's options, with rebases by month or point (each with its
/// reason), and the denominator column for `u` and `u_prime` charts.
#[derive(Debug, Clone, Default)]
pub struct SpcFrameOptions<'a> {
    /// The chart, rules, improvement, baseline, target and the rest; its `rebase` is ignored
    /// in favour of `rebase_at`.
    pub options: SpcOptions,
    /// Rebases, each with its reason, applied to every group.
    pub rebase_at: Vec<(RebaseAt, String)>,
    /// The denominator column (`u` and `u_prime`).
    pub denominator: Option<&'a str>,
}

/// SPC charts per group, from the core's [`crimeperf::spc::spc`]: one row per point.
///
/// With `spec.month` set to `None` the frame's rows are one series of points in row order (a
/// plain sequence), numbered from 1 in the `point` column.
///
/// The result has the `by` columns, the month column (when there is one), `point` (from 1),
/// `value` (the plotted value: a rate per `per` for `u` charts), `segment` (from 0),
/// `in_baseline`, `centre`, `lower_limit`, `upper_limit`, `lower_one_sigma`,
/// `upper_one_sigma`, `lower_two_sigma`, `upper_two_sigma`, `special_cause`, `rule` (the rule
/// that decided, null for none), `rules` (every rule that fired, comma-separated),
/// `variation`, `rebase_reason` (on the first point of a rebased segment), `assurance` (the
/// group's verdict against the target, null without one) and `description`.
///
/// # Errors
///
/// As [`year_to_date_frame`] for the columns and months; the core's errors for too few points
/// (unless `allow_short`), a rebase at a month not in a series, a null or non-finite value.
///
/// # Examples
///
/// ```
/// use crimeperf_polars::{spc_frame, SeriesColumns, SpcFrameOptions};
/// use polars::prelude::*;
///
/// let values: Vec<f64> = [10.0, 11.0, 9.0, 10.0, 12.0, 10.0, 9.0, 11.0, 10.0, 10.0, 11.0, 30.0].to_vec();
/// let frame = df!("crimes" => values)?;
/// let spec = SeriesColumns::default();
/// let out = spc_frame(&frame, &spec, None, &SpcFrameOptions::default())?;
/// assert_eq!(out.column("special_cause")?.bool()?.get(11), Some(true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn spc_frame(
    frame: &DataFrame,
    spec: &SeriesColumns<'_>,
    month_column: Option<&str>,
    options: &SpcFrameOptions<'_>,
) -> Result<DataFrame> {
    let (keys, groups) = match month_column {
        Some(month) => split(frame, &SeriesColumns { month, ..*spec })?,
        None => {
            // A plain sequence: one group, rows in order.
            let values = float_values(frame, spec.value)?;
            let mut points = Vec::with_capacity(values.len());
            for (row, value) in values.iter().enumerate() {
                points.push(value.ok_or_else(|| crimeperf::Error::InvalidPoint {
                    series: "SPC value".to_owned(),
                    point: format!("point {}", row + 1),
                    reason: "the value is missing (null)",
                    value: f64::NAN,
                })?);
            }
            let group = Group {
                codes: Vec::new(),
                label: spec.value.to_owned(),
                months: Vec::new(),
                rows: (0..points.len()).map(Some).collect(),
                values: points,
            };
            (Vec::new(), vec![group])
        }
    };
    let denominators: Option<Vec<Option<f64>>> = match options.denominator {
        Some(name) => Some(float_values(frame, name)?.iter().collect()),
        None => None,
    };
    let mut charts = Vec::with_capacity(groups.len());
    for group in &groups {
        let mut chart_options = options.options.clone();
        chart_options.rebase = options
            .rebase_at
            .iter()
            .map(|(at, reason)| match at {
                RebaseAt::Month(month) => Rebase::at_month(&group.months, *month, reason.clone()),
                RebaseAt::Point(point) => Ok(Rebase::new(*point, reason.clone())),
            })
            .collect::<crimeperf::Result<Vec<_>>>()?;
        let own_denominators: Option<Vec<f64>> = match &denominators {
            None => None,
            Some(d) => Some(
                group
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, row)| {
                        row.and_then(|r| d[r])
                            .ok_or_else(|| crimeperf::Error::InvalidPoint {
                                series: format!("the denominator of the series {:?}", group.label),
                                point: group
                                    .months
                                    .get(i)
                                    .map_or_else(|| format!("point {}", i + 1), Month::to_string),
                                reason: "the denominator is missing (null)",
                                value: f64::NAN,
                            })
                    })
                    .collect::<crimeperf::Result<Vec<_>>>()?,
            ),
        };
        let mut series = SpcSeries::new(&group.values);
        if !group.months.is_empty() {
            series = series.with_months(&group.months);
        }
        if let Some(d) = &own_denominators {
            series = series.with_denominators(d);
        }
        charts.push(spc(series, &chart_options).map_err(group.named(!keys.is_empty()))?);
    }
    let points: Vec<(&crimeperf::spc::SpcChart, &crimeperf::spc::SpcPoint)> = charts
        .iter()
        .flat_map(|c| c.points.iter().map(move |p| (c, p)))
        .collect();
    let float = |f: fn(&crimeperf::spc::SpcPoint) -> f64| -> Vec<f64> {
        points.iter().map(|(_, p)| f(p)).collect()
    };
    let mut columns = Vec::new();
    if let Some(month) = month_column {
        columns.push(date_column(
            month,
            groups.iter().flat_map(|g| g.months.iter().copied()),
        ));
    }
    columns.extend([
        Column::new(
            "point".into(),
            points
                .iter()
                .map(|(_, p)| p.index as u32 + 1)
                .collect::<Vec<_>>(),
        ),
        Column::new("value".into(), float(|p| p.value)),
        Column::new(
            "segment".into(),
            points
                .iter()
                .map(|(_, p)| p.segment as u32)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "in_baseline".into(),
            points
                .iter()
                .map(|(_, p)| p.in_baseline)
                .collect::<Vec<_>>(),
        ),
        Column::new("centre".into(), float(|p| p.centre)),
        Column::new("lower_limit".into(), float(|p| p.lower_limit)),
        Column::new("upper_limit".into(), float(|p| p.upper_limit)),
        Column::new("lower_one_sigma".into(), float(|p| p.lower_one_sigma)),
        Column::new("upper_one_sigma".into(), float(|p| p.upper_one_sigma)),
        Column::new("lower_two_sigma".into(), float(|p| p.lower_two_sigma)),
        Column::new("upper_two_sigma".into(), float(|p| p.upper_two_sigma)),
        Column::new(
            "special_cause".into(),
            points
                .iter()
                .map(|(_, p)| p.special_cause)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "rule".into(),
            points
                .iter()
                .map(|(_, p)| p.rule.map(|r| r.label()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "rules".into(),
            points
                .iter()
                .map(|(_, p)| {
                    p.rules
                        .iter()
                        .map(|r| r.label())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "variation".into(),
            points
                .iter()
                .map(|(_, p)| p.variation.label())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "rebase_reason".into(),
            points
                .iter()
                .map(|(c, p)| {
                    c.segments
                        .iter()
                        .find(|s| s.first == p.index)
                        .and_then(|s| s.rebase_reason.clone())
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "assurance".into(),
            points
                .iter()
                .map(|(c, _)| c.assurance.map(|a| a.label()))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "description".into(),
            points.iter().map(|(_, p)| p.describe()).collect::<Vec<_>>(),
        ),
    ]);
    let sizes: Vec<usize> = charts.iter().map(|c| c.points.len()).collect();
    assemble(&keys, &groups, &sizes, columns)
}

/// The expected year-end count per group from the year to date through `through` and the
/// seasonal profile of the previous years, with the core's [`crimeperf::project_year_end`].
///
/// The result has the `by` columns, `year` (e.g. "April 2025 to March 2026"), `to_date`,
/// `share` (the mean share of a year's crime by this month), `share_sd`, `expected`,
/// `remaining`, `lower`, `upper` and, with a target, `target` and `probability_of_meeting`.
///
/// # Errors
///
/// As [`year_to_date_frame`]; the core's errors for history the series does not cover or a
/// history year without crime.
///
/// # Examples
///
/// ```
/// use crimeperf_polars::{project_year_end_frame, SeriesColumns};
/// use crimeperf::ProjectionOptions;
/// use polars::prelude::*;
///
/// let frame = df!("month" => [1i64], "crimes" => [5i64])?;
/// let err = project_year_end_frame(&frame, &SeriesColumns::default(), "2025-09".parse()?, &ProjectionOptions::default()).unwrap_err();
/// assert_eq!(err.to_string(), "no column \"period_start\"; the frame has: month, crimes");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn project_year_end_frame(
    frame: &DataFrame,
    spec: &SeriesColumns<'_>,
    through: Month,
    options: &ProjectionOptions,
) -> Result<DataFrame> {
    let (keys, groups) = split(frame, spec)?;
    let results = groups
        .iter()
        .map(|g| {
            Ok(project_year_end(&g.counts()?, through, options)
                .map_err(g.named(!keys.is_empty()))?)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut columns = vec![
        Column::new(
            "year".into(),
            results
                .iter()
                .map(|p| p.year.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "to_date".into(),
            results.iter().map(|p| p.to_date).collect::<Vec<_>>(),
        ),
        Column::new(
            "share".into(),
            results.iter().map(|p| p.share).collect::<Vec<_>>(),
        ),
        Column::new(
            "share_sd".into(),
            results.iter().map(|p| p.share_sd).collect::<Vec<_>>(),
        ),
        Column::new(
            "expected".into(),
            results.iter().map(|p| p.expected).collect::<Vec<_>>(),
        ),
        Column::new(
            "remaining".into(),
            results.iter().map(|p| p.remaining).collect::<Vec<_>>(),
        ),
        Column::new(
            "lower".into(),
            results.iter().map(|p| p.lower).collect::<Vec<_>>(),
        ),
        Column::new(
            "upper".into(),
            results.iter().map(|p| p.upper).collect::<Vec<_>>(),
        ),
    ];
    if options.target.is_some() {
        columns.push(Column::new(
            "target".into(),
            results
                .iter()
                .map(|p| p.target.map(|t| t.value))
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "probability_of_meeting".into(),
            results
                .iter()
                .map(|p| p.probability_of_meeting)
                .collect::<Vec<_>>(),
        ));
    }
    assemble(&keys, &groups, &vec![1; groups.len()], columns)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    /// Two areas, 36 months from 2023-01, and the months as dates.
    fn two_areas() -> DataFrame {
        let first: Month = "2023-01".parse().unwrap();
        let months: Vec<i32> = (0..72)
            .map(|i| month_to_days(first.plus(i % 36).unwrap()))
            .collect();
        let areas: Vec<&str> = (0..72)
            .map(|i| if i < 36 { "Basildon" } else { "Rochford" })
            .collect();
        let crimes: Vec<u64> = (0..72u64).map(|i| (7 * i) % 23 + 3).collect();
        DataFrame::new(
            72,
            vec![
                Column::new("csp_name".into(), areas),
                Int32Chunked::from_vec("period_start".into(), months)
                    .into_date()
                    .into_column(),
                Column::new("crimes".into(), crimes),
            ],
        )
        .unwrap()
    }

    const BY: &[&str] = &["csp_name"];

    fn spec() -> SeriesColumns<'static> {
        SeriesColumns {
            by: BY,
            ..SeriesColumns::default()
        }
    }

    #[test]
    fn year_to_date_equals_direct_sums_per_group() {
        let frame = two_areas();
        let out = year_to_date_frame(
            &frame,
            &spec(),
            "2025-06".parse().unwrap(),
            4,
            &ChangeOptions::default(),
        )
        .unwrap();
        let crimes: Vec<u64> = frame
            .column("crimes")
            .unwrap()
            .u64()
            .unwrap()
            .into_no_null_iter()
            .collect();
        // Rochford is rows 36..72; April to June 2025 are its months 27..30, 2024 its 15..18.
        let current: u64 = crimes[36 + 27..36 + 30].iter().sum();
        let previous: u64 = crimes[36 + 15..36 + 18].iter().sum();
        let got_current = out.column("current").unwrap().u64().unwrap().get(1);
        let got_previous = out.column("previous").unwrap().u64().unwrap().get(1);
        assert_eq!((got_current, got_previous), (Some(current), Some(previous)));
    }

    #[test]
    fn missing_month_names_group_and_month_unless_zero() {
        let frame = two_areas();
        let keep: Vec<bool> = (0..72).map(|i| i != 36 + 20).collect();
        let gappy = frame
            .filter(&BooleanChunked::from_slice("keep".into(), &keep))
            .unwrap();
        let err = rolling_frame(&gappy, &spec(), 12, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the series \"csp_name=Rochford\" has no value for 2024-09"
        );
        let zero = SeriesColumns {
            missing: MissingMonths::Zero,
            ..spec()
        };
        assert!(rolling_frame(&gappy, &zero, 12, None).is_ok());
    }

    #[test]
    fn spc_per_group_equals_the_core_on_the_same_numbers() {
        let frame = two_areas();
        let out = spc_frame(
            &frame,
            &spec(),
            Some("period_start"),
            &SpcFrameOptions::default(),
        )
        .unwrap();
        let values: Vec<f64> = (36..72u64).map(|i| ((7 * i) % 23 + 3) as f64).collect();
        let core = spc(SpcSeries::new(&values), &SpcOptions::default()).unwrap();
        let centre = out.column("centre").unwrap().f64().unwrap();
        let special = out.column("special_cause").unwrap().bool().unwrap();
        for (i, point) in core.points.iter().enumerate() {
            assert_eq!(centre.get(36 + i), Some(point.centre));
            assert_eq!(special.get(36 + i), Some(point.special_cause));
        }
    }
}
