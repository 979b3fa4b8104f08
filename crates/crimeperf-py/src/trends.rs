//! Trends for Python: the frame forms of `crimeperf-polars` (year to date, rolling sums, SPC,
//! year-end projection, outcome maturity, solved within N months). Only conversions here: the options are parsed from their snake_case
//! labels and the frames cross through the Arrow C stream interface.

use std::str::FromStr;

use crimeperf::spc::{Chart, Improvement, Precedence, RuleProfile, SpcOptions};
use crimeperf::{
    ChangeOptions, Confidence, Month, Polarity, ProjectionOptions, SolvedDefinition, Target,
};
use crimeperf_polars::{
    outcome_maturity, project_year_end_frame, rolling_frame, solved_within, spc_frame,
    year_to_date_frame, MaturityRule, MissingMonths, Population, RebaseAt, SeriesColumns,
    SpcFrameOptions,
};
use pyo3::prelude::*;

use crate::arguments;
use crate::arrow::ArrowStream;
use crate::data::{export, record_input, records};
use crate::error::Result;

/// `None` for Python's `None`, otherwise the value read by `read`.
fn optional<T>(
    value: &Bound<'_, PyAny>,
    read: impl FnOnce(&Bound<'_, PyAny>) -> Result<T>,
) -> Result<Option<T>> {
    if value.is_none() {
        Ok(None)
    } else {
        read(value).map(Some)
    }
}

/// A length or a number of points (`months`, `baseline`): a whole number, not negative.
fn size(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<usize> {
    let n = arguments::count(argument, value)?;
    usize::try_from(n).map_err(|_| {
        crimeperf::Error::InvalidValue {
            what: argument,
            reason: "must not be negative",
            value: n as f64,
        }
        .into()
    })
}

/// A month number, 1 (January) to 12 (December): the month a year starts in.
fn month_number(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<u32> {
    let n = arguments::count(argument, value)?;
    u32::try_from(n)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| {
            crimeperf::Error::InvalidValue {
                what: argument,
                reason: "must be a month number from 1 (January) to 12 (December)",
                value: n as f64,
            }
            .into()
        })
}

/// The year to date against the same months a year earlier, per group.
#[pyfunction(name = "year_to_date_frame")]
#[pyo3(signature = (stream, *, by, month, value, through, year_start, missing, frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn year_to_date_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: String,
    value: String,
    through: &Bound<'_, PyAny>,
    year_start: &Bound<'_, PyAny>,
    missing: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let through = Month::from_str(&arguments::text("through", through)?)?;
    let year_start = month_number("year_start", year_start)?;
    let missing = MissingMonths::from_str(&arguments::text("missing", missing)?)?;
    let (frame, by) = records(stream, frame_columns, &by, &[&month, &value], &[])?;
    let spec = SeriesColumns {
        month: &month,
        value: &value,
        by: &by,
        missing,
    };
    let out = py.detach(|| {
        year_to_date_frame(
            &frame,
            &spec,
            through,
            year_start,
            &ChangeOptions::default(),
        )
    })?;
    export(out)
}

/// Rolling sums (and rates per 1,000 with populations), per group.
#[pyfunction(name = "rolling_frame")]
#[pyo3(signature = (stream, *, by, month, value, months, population_column = None, population_value, missing, frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn rolling_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: String,
    value: String,
    months: &Bound<'_, PyAny>,
    population_column: Option<String>,
    population_value: &Bound<'_, PyAny>,
    missing: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let months = size("months", months)?;
    let population_value = optional(population_value, |v| arguments::real("population_value", v))?;
    let missing = MissingMonths::from_str(&arguments::text("missing", missing)?)?;
    let mut needed: Vec<&str> = vec![&month, &value];
    if let Some(name) = &population_column {
        needed.push(name);
    }
    let (frame, by) = records(stream, frame_columns, &by, &needed, &[])?;
    let spec = SeriesColumns {
        month: &month,
        value: &value,
        by: &by,
        missing,
    };
    let population = match (&population_column, population_value) {
        (Some(name), _) => Some(Population::Column(name)),
        (None, Some(v)) => Some(Population::Value(v)),
        (None, None) => None,
    };
    let out = py.detach(|| rolling_frame(&frame, &spec, months, population))?;
    export(out)
}

/// SPC charts per group (or of one plain series when `month` is None).
#[pyfunction(name = "spc_frame")]
#[pyo3(signature = (stream, *, by, month, value, denominator = None, chart, improvement, rules, shift_length, trend_length, precedence, screen, baseline, rebase_months = Vec::new(), rebase_points = Vec::new(), target, allow_short, per, missing, frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn spc_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: Option<String>,
    value: String,
    denominator: Option<String>,
    chart: &Bound<'_, PyAny>,
    improvement: &Bound<'_, PyAny>,
    rules: &Bound<'_, PyAny>,
    shift_length: &Bound<'_, PyAny>,
    trend_length: &Bound<'_, PyAny>,
    precedence: &Bound<'_, PyAny>,
    screen: &Bound<'_, PyAny>,
    baseline: &Bound<'_, PyAny>,
    rebase_months: Vec<(String, String)>,
    rebase_points: Vec<(usize, String)>,
    target: &Bound<'_, PyAny>,
    allow_short: &Bound<'_, PyAny>,
    per: &Bound<'_, PyAny>,
    missing: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let options = SpcOptions {
        chart: Chart::from_str(&arguments::text("chart", chart)?)?,
        improvement: Improvement::from_str(&arguments::text("improvement", improvement)?)?,
        rules: RuleProfile::from_str(&arguments::text("rules", rules)?)?,
        shift_length: optional(shift_length, |v| size("shift_length", v))?,
        trend_length: optional(trend_length, |v| size("trend_length", v))?,
        precedence: Precedence::from_str(&arguments::text("precedence", precedence)?)?,
        screen: arguments::flag("screen", screen)?,
        baseline: optional(baseline, |v| size("baseline", v))?,
        rebase: Vec::new(),
        target: optional(target, |v| arguments::real("target", v))?,
        allow_short: arguments::flag("allow_short", allow_short)?,
        per: optional(per, |v| arguments::real("per", v))?,
    };
    let mut rebase_at = Vec::with_capacity(rebase_months.len() + rebase_points.len());
    for (at, reason) in rebase_months {
        rebase_at.push((RebaseAt::Month(Month::from_str(&at)?), reason));
    }
    for (at, reason) in rebase_points {
        rebase_at.push((RebaseAt::Point(at), reason));
    }
    let missing = MissingMonths::from_str(&arguments::text("missing", missing)?)?;
    let mut needed: Vec<&str> = vec![&value];
    if let Some(name) = &month {
        needed.push(name);
    }
    if let Some(name) = &denominator {
        needed.push(name);
    }
    let (frame, by) = records(stream, frame_columns, &by, &needed, &[])?;
    let spec = SeriesColumns {
        month: month.as_deref().unwrap_or("period_start"),
        value: &value,
        by: &by,
        missing,
    };
    let frame_options = SpcFrameOptions {
        options,
        rebase_at,
        denominator: denominator.as_deref(),
    };
    let out = py.detach(|| spc_frame(&frame, &spec, month.as_deref(), &frame_options))?;
    export(out)
}

/// The year-end projection per group, with the probability of meeting a target.
#[pyfunction(name = "project_year_end_frame")]
#[pyo3(signature = (stream, *, by, month, value, through, year_start, history_years, target, improvement, missing, frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn project_year_end_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: String,
    value: String,
    through: &Bound<'_, PyAny>,
    year_start: &Bound<'_, PyAny>,
    history_years: &Bound<'_, PyAny>,
    target: &Bound<'_, PyAny>,
    improvement: &Bound<'_, PyAny>,
    missing: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let through = Month::from_str(&arguments::text("through", through)?)?;
    let year_start = month_number("year_start", year_start)?;
    let history_years = size("history_years", history_years)?;
    let target = optional(target, |v| arguments::real("target", v))?;
    let missing = MissingMonths::from_str(&arguments::text("missing", missing)?)?;
    let polarity = match Improvement::from_str(&arguments::text("improvement", improvement)?)? {
        Improvement::Decrease => Polarity::LowerIsBetter,
        Improvement::Increase => Polarity::HigherIsBetter,
    };
    let target = target.map(|t| Target::absolute(t, polarity)).transpose()?;
    let options = ProjectionOptions {
        year_start,
        history_years,
        target,
        ..ProjectionOptions::default()
    };
    let (frame, by) = records(stream, frame_columns, &by, &[&month, &value], &[])?;
    let spec = SeriesColumns {
        month: &month,
        value: &value,
        by: &by,
        missing,
    };
    let out = py.detach(|| project_year_end_frame(&frame, &spec, through, &options))?;
    export(out)
}

/// Per crime month (and group) the share of crimes awaiting an outcome and whether the month
/// is mature.
#[pyfunction]
#[pyo3(signature = (stream, *, by, settled_after = 12, tolerance = 0.05, frame_columns = None))]
pub fn outcome_maturity_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    settled_after: u32,
    tolerance: f64,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let rule = MaturityRule {
        settled_after,
        tolerance,
    };
    let (input, by) = record_input(
        stream,
        frame_columns,
        &by,
        &["month", "last_outcome", "is_asb"],
        &[],
    )?;
    let out = py.detach(|| outcome_maturity(input.records(), &by, rule))?;
    export(out)
}

/// Solved rates at equal elapsed time: crimes solved within `months` months of the crime
/// month, from the outcomes files.
#[pyfunction]
#[pyo3(signature = (street, outcomes, *, by, months = 3, solved = None, confidence = 0.95, street_columns = None, outcome_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn solved_within_frame(
    py: Python<'_>,
    street: &Bound<'_, PyAny>,
    outcomes: &Bound<'_, PyAny>,
    by: Vec<String>,
    months: u32,
    solved: Option<Vec<String>>,
    confidence: f64,
    street_columns: Option<Vec<String>>,
    outcome_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let confidence = Confidence::new(confidence)?;
    let definition = match solved {
        Some(labels) => SolvedDefinition::from_labels(labels)?,
        None => SolvedDefinition::default(),
    };
    let (street, by) = records(
        street,
        street_columns,
        &by,
        &["crime_id", "month", "is_asb"],
        &[],
    )?;
    let (outcomes, _) = records(
        outcomes,
        outcome_columns,
        &[],
        &["crime_id", "month", "outcome"],
        &[],
    )?;
    let out =
        py.detach(|| solved_within(&street, &outcomes, months, &by, &definition, confidence))?;
    export(out)
}
