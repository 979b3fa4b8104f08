//! The frame statistics: the core kernels applied to every row of an Arrow table.
//!
//! Each function reads the named columns from a C stream, builds the core's options once, runs
//! the kernel on every row (in parallel blocks of rows, without the GIL) and returns the result
//! columns as an [`ArrowStream`]. A bad row either stops the call with an error naming the first
//! bad row (`errors="raise"`) or gives nulls and a reason in an `error` column (`errors="null"`).

use std::str::FromStr;

use crimeperf::{Confidence, Polarity, RagRule, RateEstimator, RateMethod, Rounding, Target};
use polars_arrow::array::{Array, MutableArray, MutableBinaryViewArray, MutablePrimitiveArray};
use polars_arrow::compute::concatenate::concatenate;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::arrow::{ArrowStream, Table};
use crate::columns::{float_column, text_column, Column, Finished, NameOrValue, Source};
use crate::error::{BindingError, Result, RowProblem};
use crate::memo::{ChangeInputs, ChangeMemo, CountIntervals};
use crate::scalar::{min_base, rag_rule};

/// Rows per block; blocks are computed in parallel.
const BLOCK: usize = 1 << 15;

/// What to do with a bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Errors {
    /// Raise an error naming the first bad row.
    Raise,
    /// Give nulls for the row and say why in the `error` column.
    Null,
}

impl FromStr for Errors {
    type Err = BindingError;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "raise" => Ok(Errors::Raise),
            "null" => Ok(Errors::Null),
            _ => Err(BindingError::Core(crimeperf::Error::UnknownOption {
                what: "errors option",
                label: s.to_owned(),
                expected: "raise, null",
            })),
        }
    }
}

/// A statistic computed row by row.
trait Kernel: Sync {
    /// The result of one row.
    type Row;
    /// Collects the results of a block of rows.
    type Sink: Sink<Row = Self::Row>;

    /// An empty sink with room for `capacity` rows.
    fn sink(&self, capacity: usize) -> Self::Sink;
    /// The result of row `row`.
    fn compute(&self, row: usize) -> std::result::Result<Self::Row, RowProblem>;
    /// The input columns, whose values an error quotes.
    fn inputs(&self) -> Vec<&Column>;
}

/// The result columns of a block of rows.
trait Sink: Send {
    /// The result of one row.
    type Row;
    /// Appends a row's result.
    fn push(&mut self, row: Self::Row);
    /// Appends nulls for a bad row.
    fn push_null(&mut self);
    /// The finished columns.
    fn finish(self) -> Vec<Finished>;
}

type Block = std::result::Result<(usize, Vec<Finished>), (usize, RowProblem)>;

fn run_block<K: Kernel>(kernel: &K, start: usize, end: usize, errors: Errors) -> Block {
    let mut sink = kernel.sink(end - start);
    let mut reasons = match errors {
        Errors::Raise => None,
        Errors::Null => Some(MutableBinaryViewArray::<str>::with_capacity(end - start)),
    };
    for row in start..end {
        match kernel.compute(row) {
            Ok(result) => {
                sink.push(result);
                if let Some(reasons) = reasons.as_mut() {
                    reasons.push_null();
                }
            }
            Err(problem) => match reasons.as_mut() {
                None => return Err((row, problem)),
                Some(reasons) => {
                    sink.push_null();
                    reasons.push_value(problem.to_string());
                }
            },
        }
    }
    let mut columns = sink.finish();
    if let Some(reasons) = reasons {
        columns.push(text_column("error", reasons));
    }
    Ok((end - start, columns))
}

/// Runs `kernel` over `rows` rows without the GIL.
fn run<K: Kernel>(py: Python<'_>, kernel: &K, rows: usize, errors: Errors) -> Result<ArrowStream> {
    let blocks: Vec<(usize, usize)> = if rows == 0 {
        vec![(0, 0)]
    } else {
        (0..rows)
            .step_by(BLOCK)
            .map(|start| (start, (start + BLOCK).min(rows)))
            .collect()
    };
    let results: Vec<Block> = py.detach(|| {
        if blocks.len() == 1 {
            blocks
                .iter()
                .map(|&(start, end)| run_block(kernel, start, end, errors))
                .collect()
        } else {
            blocks
                .par_iter()
                .map(|&(start, end)| run_block(kernel, start, end, errors))
                .collect()
        }
    });
    let mut batches = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(batch) => batches.push(batch),
            // Blocks are in row order and each stops at its first bad row, so the first error
            // met is the first bad row of the frame.
            Err((row, problem)) => return Err(row_error(&kernel.inputs(), row, problem)),
        }
    }
    Ok(ArrowStream::new(Vec::new(), vec![merge(batches)?]))
}

/// One record batch from the blocks' batches: some consumers (polars 1.3) read only the first
/// batch of a stream.
fn merge(mut blocks: Vec<(usize, Vec<Finished>)>) -> Result<(usize, Vec<Finished>)> {
    if blocks.len() <= 1 {
        return Ok(blocks.pop().unwrap_or_default());
    }
    let rows = blocks.iter().map(|(len, _)| len).sum();
    let width = blocks.first().map_or(0, |(_, columns)| columns.len());
    let mut merged = Vec::with_capacity(width);
    for index in 0..width {
        let arrays: Vec<&dyn Array> = blocks
            .iter()
            .map(|(_, columns)| columns[index].1.as_ref())
            .collect();
        let array = concatenate(&arrays)
            .map_err(|err| BindingError::NotATable(format!("cannot join the results: {err}")))?;
        merged.push((blocks[0].1[index].0.clone(), array));
    }
    Ok((rows, merged))
}

/// The error for bad row `row`, quoting its values in `inputs`.
fn row_error(inputs: &[&Column], row: usize, problem: RowProblem) -> BindingError {
    let values = inputs
        .iter()
        .map(|column| (column.name.clone(), column.cells[row]))
        .collect();
    BindingError::Row {
        row,
        values,
        problem,
    }
}

fn floats(capacity: usize) -> MutablePrimitiveArray<f64> {
    MutablePrimitiveArray::with_capacity(capacity)
}

fn texts(capacity: usize) -> MutableBinaryViewArray<str> {
    MutableBinaryViewArray::with_capacity(capacity)
}

// ---------------------------------------------------------------------------------------------
// Rates

struct Rates {
    count: Column,
    population: Column,
    estimator: RateEstimator,
    /// With exact limits: a Byar estimator with the same options, which checks the inputs and
    /// computes the rate cheaply, and the exact limits of each distinct count.
    exact: Option<(RateEstimator, CountIntervals)>,
}

struct RateSink {
    rate: MutablePrimitiveArray<f64>,
    lower: MutablePrimitiveArray<f64>,
    upper: MutablePrimitiveArray<f64>,
    method: MutableBinaryViewArray<str>,
}

impl Kernel for Rates {
    type Row = crimeperf::Rate;
    type Sink = RateSink;

    fn sink(&self, n: usize) -> RateSink {
        RateSink {
            rate: floats(n),
            lower: floats(n),
            upper: floats(n),
            method: texts(n),
        }
    }

    fn compute(&self, row: usize) -> std::result::Result<crimeperf::Rate, RowProblem> {
        let count = self.count.count(row)?;
        let population = self.population.real(row)?;
        let Some((checker, intervals)) = &self.exact else {
            return Ok(self.estimator.rate(count, population)?);
        };
        let checked = checker.rate(count, population)?;
        let limits = intervals
            .get(checked.count)
            .unwrap_or_else(|| self.estimator.count_interval(checked.count));
        // As `RateEstimator::rate`: the limits of the count times per / population.
        let scale = checked.per / checked.population;
        Ok(crimeperf::Rate {
            lower: limits.lower * scale,
            upper: limits.upper * scale,
            method: limits.method,
            ..checked
        })
    }

    fn inputs(&self) -> Vec<&Column> {
        vec![&self.count, &self.population]
    }
}

impl Sink for RateSink {
    type Row = crimeperf::Rate;

    fn push(&mut self, r: crimeperf::Rate) {
        self.rate.push_value(r.value);
        self.lower.push_value(r.lower);
        self.upper.push_value(r.upper);
        self.method.push_value(r.method.label());
    }

    fn push_null(&mut self) {
        self.rate.push_null();
        self.lower.push_null();
        self.upper.push_null();
        self.method.push_null();
    }

    fn finish(self) -> Vec<Finished> {
        vec![
            float_column("rate", self.rate),
            float_column("rate_lower", self.lower),
            float_column("rate_upper", self.upper),
            text_column("rate_method", self.method),
        ]
    }
}

/// Rates per `per` people for every row: columns `rate`, `rate_lower`, `rate_upper`,
/// `rate_method`.
#[pyfunction]
#[pyo3(signature = (stream, *, count, population, per = 1000.0, confidence = 0.95, method = "auto", errors = "raise", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn rates_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    count: &str,
    population: &str,
    per: f64,
    confidence: f64,
    method: &str,
    errors: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let errors = Errors::from_str(errors)?;
    let confidence = Confidence::new(confidence)?;
    let method = RateMethod::from_str(method)?;
    let estimator = RateEstimator::new(per, confidence, method)?;
    let table = Table::import(stream, frame_columns)?;
    table.require(&[count, population])?;
    let count = table.numeric(count)?;
    let exact = match method {
        RateMethod::Exact => Some((
            RateEstimator::new(per, confidence, RateMethod::Byar)?,
            py.detach(|| CountIntervals::new(&count, &estimator)),
        )),
        _ => None,
    };
    let kernel = Rates {
        count,
        population: table.numeric(population)?,
        estimator,
        exact,
    };
    run(py, &kernel, table.len, errors)
}

// ---------------------------------------------------------------------------------------------
// Proportions

struct Proportions {
    numerator: Column,
    denominator: Column,
    previous: Option<(Column, Column)>,
    confidence: Confidence,
}

enum ProportionRow {
    Single(crimeperf::Proportion),
    Change(crimeperf::ProportionChange),
}

struct ProportionSink {
    value: MutablePrimitiveArray<f64>,
    lower: MutablePrimitiveArray<f64>,
    upper: MutablePrimitiveArray<f64>,
    change: Option<ChangeColumns>,
}

struct ChangeColumns {
    value: MutablePrimitiveArray<f64>,
    lower: MutablePrimitiveArray<f64>,
    upper: MutablePrimitiveArray<f64>,
    significance: MutableBinaryViewArray<str>,
}

impl Kernel for Proportions {
    type Row = ProportionRow;
    type Sink = ProportionSink;

    fn sink(&self, n: usize) -> ProportionSink {
        ProportionSink {
            value: floats(n),
            lower: floats(n),
            upper: floats(n),
            change: self.previous.as_ref().map(|_| ChangeColumns {
                value: floats(n),
                lower: floats(n),
                upper: floats(n),
                significance: texts(n),
            }),
        }
    }

    fn compute(&self, row: usize) -> std::result::Result<ProportionRow, RowProblem> {
        let numerator = self.numerator.count(row)?;
        let denominator = self.denominator.count(row)?;
        Ok(match &self.previous {
            None => ProportionRow::Single(crimeperf::Proportion::wilson(
                numerator,
                denominator,
                self.confidence,
            )?),
            Some((previous_numerator, previous_denominator)) => {
                ProportionRow::Change(crimeperf::ProportionChange::newcombe(
                    numerator,
                    denominator,
                    previous_numerator.count(row)?,
                    previous_denominator.count(row)?,
                    self.confidence,
                )?)
            }
        })
    }

    fn inputs(&self) -> Vec<&Column> {
        let mut inputs = vec![&self.numerator, &self.denominator];
        if let Some((n, d)) = &self.previous {
            inputs.push(n);
            inputs.push(d);
        }
        inputs
    }
}

impl Sink for ProportionSink {
    type Row = ProportionRow;

    fn push(&mut self, row: ProportionRow) {
        let (current, change) = match row {
            ProportionRow::Single(p) => (p, None),
            ProportionRow::Change(c) => (c.current, Some(c)),
        };
        self.value.push_value(current.value);
        self.lower.push_value(current.lower);
        self.upper.push_value(current.upper);
        if let (Some(columns), Some(c)) = (self.change.as_mut(), change) {
            columns.value.push_value(c.value);
            columns.lower.push_value(c.lower);
            columns.upper.push_value(c.upper);
            columns.significance.push_value(c.significance.label());
        }
    }

    fn push_null(&mut self) {
        self.value.push_null();
        self.lower.push_null();
        self.upper.push_null();
        if let Some(columns) = self.change.as_mut() {
            columns.value.push_null();
            columns.lower.push_null();
            columns.upper.push_null();
            columns.significance.push_null();
        }
    }

    fn finish(self) -> Vec<Finished> {
        let mut out = vec![
            float_column("proportion", self.value),
            float_column("proportion_lower", self.lower),
            float_column("proportion_upper", self.upper),
        ];
        if let Some(c) = self.change {
            out.push(float_column("proportion_change", c.value));
            out.push(float_column("proportion_change_lower", c.lower));
            out.push(float_column("proportion_change_upper", c.upper));
            out.push(text_column(
                "proportion_change_significance",
                c.significance,
            ));
        }
        out
    }
}

/// Proportions with Wilson intervals for every row (`proportion`, `proportion_lower`,
/// `proportion_upper`), and with previous columns their change in percentage points
/// (`proportion_change`, `proportion_change_lower`, `proportion_change_upper`,
/// `proportion_change_significance`).
#[pyfunction]
#[pyo3(signature = (stream, *, numerator, denominator, previous_numerator = None, previous_denominator = None, confidence = 0.95, errors = "raise", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn proportions_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    numerator: &str,
    denominator: &str,
    previous_numerator: Option<&str>,
    previous_denominator: Option<&str>,
    confidence: f64,
    errors: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let errors = Errors::from_str(errors)?;
    let confidence = Confidence::new(confidence)?;
    let previous_names = match (previous_numerator, previous_denominator) {
        (None, None) => None,
        (Some(n), Some(d)) => Some((n, d)),
        _ => {
            return Err(BindingError::Core(crimeperf::Error::UnknownOption {
                what: "previous columns",
                label: previous_numerator
                    .or(previous_denominator)
                    .unwrap_or("")
                    .to_owned(),
                expected: "both previous_numerator and previous_denominator, or neither",
            }))
        }
    };
    let table = Table::import(stream, frame_columns)?;
    let mut names = vec![numerator, denominator];
    if let Some((n, d)) = previous_names {
        names.extend([n, d]);
    }
    table.require(&names)?;
    let previous = match previous_names {
        Some((n, d)) => Some((table.numeric(n)?, table.numeric(d)?)),
        None => None,
    };
    let kernel = Proportions {
        numerator: table.numeric(numerator)?,
        denominator: table.numeric(denominator)?,
        previous,
        confidence,
    };
    run(py, &kernel, table.len, errors)
}

// ---------------------------------------------------------------------------------------------
// Changes

struct Changes {
    current: Column,
    previous: Column,
    exposure: Source,
    previous_exposure: Source,
    confidence: Confidence,
    min_base: u64,
    unit: String,
    memo: ChangeMemo,
}

impl Changes {
    /// The input columns, whose values an error quotes.
    fn inputs(&self) -> Vec<&Column> {
        let mut inputs = vec![&self.current, &self.previous];
        inputs.extend(self.exposure.column());
        inputs.extend(self.previous_exposure.column());
        inputs
    }

    fn view(&self) -> ChangeInputs<'_> {
        ChangeInputs {
            current: &self.current,
            previous: &self.previous,
            exposure: &self.exposure,
            previous_exposure: &self.previous_exposure,
            confidence: self.confidence,
            min_base: self.min_base,
            unit: &self.unit,
        }
    }
}

/// The change from `previous` to `current` for every row, with the exact conditional test:
/// `absolute`, `percent`, `ratio`, `ratio_lower`, `ratio_upper`, `p_value`, `significance`,
/// `small_base`, `description`.
#[pyfunction]
#[pyo3(signature = (stream, *, current, previous, exposure = None, previous_exposure = None, confidence = 0.95, min_base = 50, unit = "crimes", errors = "raise", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn changes_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    current: &str,
    previous: &str,
    exposure: Option<NameOrValue>,
    previous_exposure: Option<NameOrValue>,
    confidence: f64,
    min_base: i64,
    unit: &str,
    errors: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let errors = Errors::from_str(errors)?;
    let confidence = Confidence::new(confidence)?;
    let min_base = self::min_base(min_base)?;
    let table = Table::import(stream, frame_columns)?;
    let mut names = vec![current, previous];
    for source in [&exposure, &previous_exposure] {
        if let Some(NameOrValue::Name(name)) = source {
            names.push(name);
        }
    }
    table.require(&names)?;
    let mut kernel = Changes {
        current: table.numeric(current)?,
        previous: table.numeric(previous)?,
        exposure: table.source(exposure, 1.0)?,
        previous_exposure: table.source(previous_exposure, 1.0)?,
        confidence,
        min_base,
        unit: unit.to_owned(),
        memo: ChangeMemo::default(),
    };
    kernel.memo = py.detach(|| ChangeMemo::new(&kernel.view(), table.len));
    let view = kernel.view();
    let columns = py.detach(|| {
        kernel
            .memo
            .columns(&view, table.len, errors == Errors::Null)
    });
    match columns {
        Ok(columns) => Ok(ArrowStream::new(Vec::new(), vec![(table.len, columns)])),
        Err((row, problem)) => Err(row_error(&kernel.inputs(), row, problem)),
    }
}

// ---------------------------------------------------------------------------------------------
// Targets

struct Targets {
    baseline: Column,
    change_percent: Source,
    rounding: Rounding,
    polarity: Polarity,
    rag: Option<(Column, RagRule)>,
}

struct TargetSink {
    target: MutablePrimitiveArray<f64>,
    rag: Option<(MutableBinaryViewArray<str>, MutableBinaryViewArray<str>)>,
}

impl Kernel for Targets {
    type Row = (f64, Option<crimeperf::Rag>);
    type Sink = TargetSink;

    fn sink(&self, n: usize) -> TargetSink {
        TargetSink {
            target: floats(n),
            rag: self.rag.as_ref().map(|_| (texts(n), texts(n))),
        }
    }

    fn compute(&self, row: usize) -> std::result::Result<Self::Row, RowProblem> {
        let baseline = self.baseline.real(row)?;
        let target = Target::from_baseline(
            baseline,
            self.change_percent.real(row)?,
            self.rounding,
            self.polarity,
        )?;
        let rag = match &self.rag {
            None => None,
            Some((actual, rule)) => Some(crimeperf::Rag::assess(
                baseline,
                actual.real(row)?,
                target.value,
                self.polarity,
                *rule,
            )?),
        };
        Ok((target.value, rag))
    }

    fn inputs(&self) -> Vec<&Column> {
        let mut inputs = vec![&self.baseline];
        inputs.extend(self.change_percent.column());
        if let Some((actual, _)) = &self.rag {
            inputs.push(actual);
        }
        inputs
    }
}

impl Sink for TargetSink {
    type Row = (f64, Option<crimeperf::Rag>);

    fn push(&mut self, (target, rag): Self::Row) {
        self.target.push_value(target);
        if let (Some((status, reason)), Some(rag)) = (self.rag.as_mut(), rag) {
            status.push_value(rag.status.label());
            reason.push_value(rag.reason);
        }
    }

    fn push_null(&mut self) {
        self.target.push_null();
        if let Some((status, reason)) = self.rag.as_mut() {
            status.push_null();
            reason.push_null();
        }
    }

    fn finish(self) -> Vec<Finished> {
        let mut out = vec![float_column("target", self.target)];
        if let Some((status, reason)) = self.rag {
            out.push(text_column("rag", status));
            out.push(text_column("rag_reason", reason));
        }
        out
    }
}

/// Targets from baselines for every row (`target`), and with an `actual` column the RAG status
/// against them (`rag`, `rag_reason`).
#[pyfunction]
#[pyo3(signature = (stream, *, baseline, change_percent, rounding = "half_up", actual = None, polarity = "lower_is_better", require_significance = false, confidence = 0.95, errors = "raise", frame_columns = None))]
#[allow(clippy::too_many_arguments)]
pub fn targets_frame(
    py: Python<'_>,
    stream: &Bound<'_, PyAny>,
    baseline: &str,
    change_percent: NameOrValue,
    rounding: &str,
    actual: Option<&str>,
    polarity: &str,
    require_significance: bool,
    confidence: f64,
    errors: &str,
    frame_columns: Option<Vec<String>>,
) -> Result<ArrowStream> {
    let errors = Errors::from_str(errors)?;
    let rounding = Rounding::from_str(rounding)?;
    let polarity = Polarity::from_str(polarity)?;
    let rule = rag_rule(require_significance, confidence)?;
    let table = Table::import(stream, frame_columns)?;
    let mut names = vec![baseline];
    if let NameOrValue::Name(name) = &change_percent {
        names.push(name);
    }
    names.extend(actual);
    table.require(&names)?;
    let rag = match actual {
        Some(actual) => Some((table.numeric(actual)?, rule)),
        None => None,
    };
    let kernel = Targets {
        baseline: table.numeric(baseline)?,
        change_percent: table.source(Some(change_percent), 0.0)?,
        rounding,
        polarity,
        rag,
    };
    run(py, &kernel, table.len, errors)
}
