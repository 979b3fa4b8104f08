//! Most similar groups for Python: the frame forms of `crimeperf-polars` (similar areas, a user's
//! own groups, peer comparison, funnel plots) and the bundled demonstration groups. Only
//! conversions here: options are parsed from their snake_case labels and frames cross through
//! the Arrow C stream interface.

use std::str::FromStr;

use crimeperf::{
    Bootstrap, Confidence, ControlLimits, Funnel, FunnelMethod, FunnelOptions, FunnelStatistic,
    GroupAverage, PeerOptions, Polarity,
};
use crimeperf_polars::{
    funnel_frame, peer_compare, similar_areas_frame, similar_groups, FunnelColumns, MissingPeers,
    PeerColumns, Wording,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::arguments;
use crate::arrow::ArrowStream;
use crate::data::{export, records};
use crate::error::Result;

/// Confidence levels from plain numbers (0.95, 0.998).
fn levels(values: &[f64]) -> Result<Vec<Confidence>> {
    Ok(values
        .iter()
        .map(|v| Confidence::new(*v))
        .collect::<crimeperf::Result<Vec<_>>>()?)
}

/// Each focal area's place in its most similar group, per `by` combination: the ranked table
/// and the areas left out (with `missing="drop"`), with why.
#[pyfunction(name = "peer_compare_frame")]
#[pyo3(signature = (stream, groups, *, area, count, population, name = None, by, per, polarity, average, confidence, rank_interval, replicates, seed, missing, unit, population_unit, frame_columns = None, groups_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn peer_compare_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    groups: &Bound<'_, PyAny>,
    area: String,
    count: String,
    population: String,
    name: Option<String>,
    by: Vec<String>,
    per: &Bound<'_, PyAny>,
    polarity: &Bound<'_, PyAny>,
    average: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
    rank_interval: &Bound<'_, PyAny>,
    replicates: &Bound<'_, PyAny>,
    seed: &Bound<'_, PyAny>,
    missing: &Bound<'_, PyAny>,
    unit: &Bound<'_, PyAny>,
    population_unit: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
    groups_columns: Option<Vec<String>>,
) -> Result<(ArrowStream, ArrowStream)> {
    let seed = arguments::count("seed", seed)?;
    let seed = u64::try_from(seed).map_err(|_| crimeperf::Error::InvalidValue {
        what: "seed",
        reason: "must not be negative",
        value: seed as f64,
    })?;
    let replicates = arguments::count("replicates", replicates)?;
    let replicates = u32::try_from(replicates).ok().filter(|r| *r > 0).ok_or(
        crimeperf::Error::InvalidValue {
            what: "replicates",
            reason: "must be a whole number from 1",
            value: replicates as f64,
        },
    )?;
    let options = PeerOptions {
        per: arguments::real("per", per)?,
        polarity: Polarity::from_str(&arguments::text("polarity", polarity)?)?,
        average: GroupAverage::from_str(&arguments::text("average", average)?)?,
        confidence: Confidence::new(arguments::real("confidence", confidence)?)?,
        rank_interval: arguments::flag("rank_interval", rank_interval)?
            .then_some(Bootstrap { replicates, seed }),
    };
    let missing = MissingPeers::from_str(&arguments::text("missing", missing)?)?;
    let unit = arguments::text("unit", unit)?;
    let population_unit = arguments::text("population_unit", population_unit)?;
    let mut needed: Vec<&str> = vec![&area, &count, &population];
    if let Some(name) = &name {
        needed.push(name);
    }
    let (frame, by) = records(stream, frame_columns, &by, &needed, &[])?;
    let (groups, _) = records(groups, groups_columns, &[], &["area", "peer"], &[])?;
    let columns = PeerColumns {
        area: &area,
        count: &count,
        population: &population,
        name: name.as_deref(),
        by: &by,
    };
    let wording = Wording {
        unit: &unit,
        population: &population_unit,
    };
    let result =
        py.detach(|| peer_compare(&frame, &groups, &columns, &options, wording, missing))?;
    Ok((export(result.table)?, export(result.excluded)?))
}

/// Each area's `k` nearest other areas on z-scored characteristics.
#[pyfunction(name = "similar_areas_frame")]
#[pyo3(signature = (stream, *, area, variables, k, weights = None, frame_columns = None))]
pub fn similar_areas_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    area: String,
    variables: Vec<String>,
    k: &Bound<'_, PyAny>,
    weights: Option<Vec<f64>>,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let k = arguments::count("k", k)?;
    let k = usize::try_from(k)
        .ok()
        .filter(|k| *k > 0)
        .ok_or(crimeperf::Error::InvalidValue {
            what: "k",
            reason: "must be a whole number from 1",
            value: k as f64,
        })?;
    let mut needed: Vec<&str> = vec![&area];
    needed.extend(variables.iter().map(String::as_str));
    let (frame, _) = records(stream, frame_columns, &[], &needed, &[])?;
    let names: Vec<&str> = variables.iter().map(String::as_str).collect();
    let out = py.detach(|| similar_areas_frame(&frame, &area, &names, k, weights.as_deref()))?;
    export(out)
}

/// A user's own groups placed on the bundled geography: the placed pairs, the entries that
/// could not be placed, and the focal-level areas named only as peers.
#[pyfunction(name = "similar_groups_frame")]
#[pyo3(signature = (stream, *, columns, frame_columns = None))]
pub fn similar_groups_frame_py(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    columns: Vec<String>,
    frame_columns: Option<Vec<String>>,
) -> Result<(ArrowStream, ArrowStream, Vec<String>)> {
    let needed: Vec<&str> = columns.iter().map(String::as_str).collect();
    let (frame, _) = records(stream, frame_columns, &[], &needed, &[])?;
    let placed = py.detach(|| similar_groups(&frame))?;
    Ok((
        export(placed.groups)?,
        export(placed.unplaced)?,
        placed.without_group,
    ))
}

/// A user's own groups read from a CSV file or a workbook's first sheet, placed as
/// [`similar_groups_frame_py`] places them.
#[pyfunction]
pub fn read_similar_groups_file(
    py: Python<'_>,
    path: std::path::PathBuf,
) -> Result<(ArrowStream, ArrowStream, Vec<String>)> {
    let placed = py.detach(|| crimeperf_polars::read_similar_groups(&path))?;
    Ok((
        export(placed.groups)?,
        export(placed.unplaced)?,
        placed.without_group,
    ))
}

/// A funnel plot of every row: the table of points and limits, and a summary of the benchmark,
/// the overdispersion test and the adjustment.
#[pyfunction(name = "funnel_frame")]
#[pyo3(signature = (stream, *, area, numerator, denominator, statistic, method, per, levels, benchmark = None, overdispersion, frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn funnel_frame_py<'py>(
    py: Python<'py>,
    stream: &Bound<'py, PyAny>,
    area: String,
    numerator: String,
    denominator: String,
    statistic: &Bound<'py, PyAny>,
    method: &Bound<'py, PyAny>,
    per: &Bound<'py, PyAny>,
    levels: Vec<f64>,
    benchmark: Option<f64>,
    overdispersion: &Bound<'py, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> PyResult<(ArrowStream, Bound<'py, PyDict>)> {
    let (table, plot) = funnel_of(
        py,
        stream,
        &area,
        &numerator,
        &denominator,
        statistic,
        method,
        per,
        &levels,
        benchmark,
        overdispersion,
        frame_columns,
    )?;
    let summary = PyDict::new(py);
    summary.set_item("statistic", plot.limits.statistic.label())?;
    summary.set_item("method", plot.limits.method.label())?;
    summary.set_item("per", plot.limits.per)?;
    summary.set_item("benchmark", plot.limits.benchmark)?;
    summary.set_item("benchmark_given", plot.benchmark_given)?;
    summary.set_item("tau2", plot.limits.tau2)?;
    summary.set_item("adjustment", plot.adjustment.label())?;
    summary.set_item("levels", levels)?;
    if let Some(test) = &plot.overdispersion {
        summary.set_item("phi", test.phi)?;
        summary.set_item("winsorised", test.winsorised)?;
        summary.set_item("chi_square", test.chi_square)?;
        summary.set_item("degrees_of_freedom", test.degrees_of_freedom)?;
        summary.set_item("p_value", test.p_value)?;
    }
    Ok((table, summary))
}

/// The work of [`funnel_frame_py`], in the binding's error type.
#[allow(clippy::too_many_arguments)]
fn funnel_of(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    area: &str,
    numerator: &str,
    denominator: &str,
    statistic: &Bound<'_, PyAny>,
    method: &Bound<'_, PyAny>,
    per: &Bound<'_, PyAny>,
    levels: &[f64],
    benchmark: Option<f64>,
    overdispersion: &Bound<'_, PyAny>,
    frame_columns: Option<Vec<String>>,
) -> Result<(ArrowStream, Funnel)> {
    let options = FunnelOptions {
        statistic: FunnelStatistic::from_str(&arguments::text("statistic", statistic)?)?,
        method: FunnelMethod::from_str(&arguments::text("method", method)?)?,
        per: arguments::real("per", per)?,
        levels: self::levels(levels)?,
        benchmark,
        overdispersion: arguments::flag("overdispersion", overdispersion)?,
    };
    let (frame, _) = records(
        stream,
        frame_columns,
        &[],
        &[area, numerator, denominator],
        &[],
    )?;
    let columns = FunnelColumns {
        area,
        numerator,
        denominator,
    };
    let (table, plot) = py.detach(|| funnel_frame(&frame, &columns, &options))?;
    Ok((export(table)?, plot))
}

/// The control limits at each of `denominators`, per level: the curves of a funnel plot.
#[pyfunction]
#[pyo3(signature = (*, statistic, method, benchmark, per, tau2, levels, denominators))]
pub fn funnel_limits(
    statistic: &Bound<'_, PyAny>,
    method: &Bound<'_, PyAny>,
    benchmark: f64,
    per: f64,
    tau2: f64,
    levels: Vec<f64>,
    denominators: Vec<f64>,
) -> Result<Vec<Vec<(f64, f64)>>> {
    let mut limits = ControlLimits::new(
        FunnelStatistic::from_str(&arguments::text("statistic", statistic)?)?,
        FunnelMethod::from_str(&arguments::text("method", method)?)?,
        benchmark,
        per,
    )?;
    limits.tau2 = tau2;
    self::levels(&levels)?
        .into_iter()
        .map(|level| {
            denominators
                .iter()
                .map(|n| Ok(limits.at(*n, level)?))
                .collect()
        })
        .collect()
}

/// The bundled characteristics of every CSP (with `log_density`).
#[pyfunction]
pub fn csp_characteristics() -> Result<ArrowStream> {
    export(crimeperf_polars::csp_characteristics()?)
}

/// The illustrative demonstration groups: every CSP's 15 nearest on the bundled characteristics.
#[pyfunction]
pub fn demonstration_groups(py: Python<'_>) -> Result<ArrowStream> {
    export(py.detach(crimeperf_polars::demonstration_groups)?)
}

/// The variables the demonstration groups are built on.
#[pyfunction]
pub fn demonstration_variables() -> Vec<&'static str> {
    crimeperf_polars::DEMONSTRATION_VARIABLES.to_vec()
}
