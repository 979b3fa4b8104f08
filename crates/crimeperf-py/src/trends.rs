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

use crate::arrow::ArrowStream;
use crate::data::{export, records};
use crate::error::Result;

/// The year to date against the same months a year earlier, per group.
#[pyfunction(name = "year_to_date_frame")]
#[pyo3(signature = (stream, *, by, month, value, through, year_start = 4, missing = "error", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn year_to_date_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: String,
    value: String,
    through: &str,
    year_start: u32,
    missing: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let through = Month::from_str(through)?;
    let missing = MissingMonths::from_str(missing)?;
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
#[pyo3(signature = (stream, *, by, month, value, months = 12, population_column = None, population_value = None, missing = "error", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn rolling_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: String,
    value: String,
    months: usize,
    population_column: Option<String>,
    population_value: Option<f64>,
    missing: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let missing = MissingMonths::from_str(missing)?;
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
#[pyo3(signature = (stream, *, by, month, value, denominator = None, chart = "xmr", improvement = "decrease", rules = "mdc", shift_length = None, trend_length = None, precedence = "concern", screen = false, baseline = None, rebase_months = Vec::new(), rebase_points = Vec::new(), target = None, allow_short = false, per = None, missing = "error", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn spc_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: Option<String>,
    value: String,
    denominator: Option<String>,
    chart: &str,
    improvement: &str,
    rules: &str,
    shift_length: Option<usize>,
    trend_length: Option<usize>,
    precedence: &str,
    screen: bool,
    baseline: Option<usize>,
    rebase_months: Vec<(String, String)>,
    rebase_points: Vec<(usize, String)>,
    target: Option<f64>,
    allow_short: bool,
    per: Option<f64>,
    missing: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let options = SpcOptions {
        chart: Chart::from_str(chart)?,
        improvement: Improvement::from_str(improvement)?,
        rules: RuleProfile::from_str(rules)?,
        shift_length,
        trend_length,
        precedence: Precedence::from_str(precedence)?,
        screen,
        baseline,
        rebase: Vec::new(),
        target,
        allow_short,
        per,
    };
    let mut rebase_at = Vec::with_capacity(rebase_months.len() + rebase_points.len());
    for (at, reason) in rebase_months {
        rebase_at.push((RebaseAt::Month(Month::from_str(&at)?), reason));
    }
    for (at, reason) in rebase_points {
        rebase_at.push((RebaseAt::Point(at), reason));
    }
    let missing = MissingMonths::from_str(missing)?;
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
#[pyo3(signature = (stream, *, by, month, value, through, year_start = 4, history_years = 3, target = None, improvement = "decrease", missing = "error", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn project_year_end_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    by: Vec<String>,
    month: String,
    value: String,
    through: &str,
    year_start: u32,
    history_years: usize,
    target: Option<f64>,
    improvement: &str,
    missing: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let through = Month::from_str(through)?;
    let missing = MissingMonths::from_str(missing)?;
    let polarity = match Improvement::from_str(improvement)? {
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
    let (frame, by) = records(
        stream,
        frame_columns,
        &by,
        &["month", "last_outcome", "is_asb"],
        &[],
    )?;
    let out = py.detach(|| outcome_maturity(&frame, &by, rule))?;
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
