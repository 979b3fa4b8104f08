//! The scalar statistics: one set of numbers in, one named result out.

use std::str::FromStr;

use crimeperf::{
    ChangeOptions, Confidence, Polarity, RagRule, RateEstimator, RateMethod, Rounding,
};
use pyo3::prelude::*;

use crate::error::{BindingError, Result};
use crate::results::{Change, Proportion, ProportionChange, Rag, Rate};

/// A `min_base` given as a Python int, checked to be a count.
pub fn min_base(value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| {
        BindingError::Core(crimeperf::Error::InvalidValue {
            what: "min_base",
            reason: "must be a whole number of zero or more",
            value: value as f64,
        })
    })
}

/// The rule of `rag()`.
pub fn rag_rule(require_significance: bool, confidence: f64) -> Result<RagRule> {
    let confidence = Confidence::new(confidence)?;
    Ok(if require_significance {
        RagRule::TargetMetAndSignificant(confidence)
    } else {
        RagRule::TargetMet
    })
}

/// The rate per `per` people with its confidence interval.
#[pyfunction]
#[pyo3(signature = (count, population, *, per = 1000.0, confidence = 0.95, method = "auto"))]
pub fn rate(count: i64, population: f64, per: f64, confidence: f64, method: &str) -> Result<Rate> {
    let estimator = RateEstimator::new(
        per,
        Confidence::new(confidence)?,
        RateMethod::from_str(method)?,
    )?;
    Ok(Rate {
        inner: estimator.rate(count, population)?,
    })
}

/// The proportion `numerator / denominator` with its Wilson interval.
#[pyfunction]
#[pyo3(signature = (numerator, denominator, *, confidence = 0.95))]
pub fn proportion(numerator: i64, denominator: i64, confidence: f64) -> Result<Proportion> {
    Ok(Proportion {
        inner: crimeperf::Proportion::wilson(numerator, denominator, Confidence::new(confidence)?)?,
    })
}

/// The change between two proportions in percentage points, with Newcombe's interval.
#[pyfunction]
#[pyo3(signature = (numerator, denominator, previous_numerator, previous_denominator, *, confidence = 0.95))]
pub fn proportion_change(
    numerator: i64,
    denominator: i64,
    previous_numerator: i64,
    previous_denominator: i64,
    confidence: f64,
) -> Result<ProportionChange> {
    Ok(ProportionChange {
        inner: crimeperf::ProportionChange::newcombe(
            numerator,
            denominator,
            previous_numerator,
            previous_denominator,
            Confidence::new(confidence)?,
        )?,
    })
}

/// The change from `previous` to `current` with the exact conditional test.
#[pyfunction]
#[pyo3(signature = (current, previous, *, exposure = 1.0, previous_exposure = 1.0, confidence = 0.95, min_base = 50, unit = "crimes"))]
#[allow(clippy::too_many_arguments)]
pub fn change(
    current: i64,
    previous: i64,
    exposure: f64,
    previous_exposure: f64,
    confidence: f64,
    min_base: i64,
    unit: &str,
) -> Result<Change> {
    let options = ChangeOptions {
        exposure,
        previous_exposure,
        confidence: Confidence::new(confidence)?,
        min_base: self::min_base(min_base)?,
    };
    Ok(Change {
        inner: crimeperf::Change::with_options(current, previous, &options)?,
        unit: unit.to_owned(),
    })
}

/// The target `change_percent`% away from `baseline`, rounded.
#[pyfunction]
#[pyo3(signature = (baseline, change_percent, *, rounding = "half_up"))]
pub fn target(baseline: f64, change_percent: f64, rounding: &str) -> Result<f64> {
    Ok(crimeperf::target_value(
        baseline,
        change_percent,
        Rounding::from_str(rounding)?,
    )?)
}

/// The RAG status of `actual` against `target`, from `baseline`.
#[pyfunction]
#[pyo3(signature = (baseline, actual, target, *, polarity = "lower_is_better", require_significance = false, confidence = 0.95))]
pub fn rag(
    baseline: f64,
    actual: f64,
    target: f64,
    polarity: &str,
    require_significance: bool,
    confidence: f64,
) -> Result<Rag> {
    let rule = rag_rule(require_significance, confidence)?;
    Ok(Rag {
        inner: crimeperf::Rag::assess(
            baseline,
            actual,
            target,
            Polarity::from_str(polarity)?,
            rule,
        )?,
    })
}

/// The RAG status of a proportion (a solved rate) against a target percentage, from a baseline
/// proportion; the significance rule uses Newcombe's interval for the change in proportions.
#[pyfunction]
#[pyo3(signature = (numerator, denominator, baseline_numerator, baseline_denominator, target, *, polarity = "higher_is_better", require_significance = false, confidence = 0.95))]
#[allow(clippy::too_many_arguments)]
pub fn rag_proportion(
    numerator: i64,
    denominator: i64,
    baseline_numerator: i64,
    baseline_denominator: i64,
    target: f64,
    polarity: &str,
    require_significance: bool,
    confidence: f64,
) -> Result<Rag> {
    let rule = rag_rule(require_significance, confidence)?;
    Ok(Rag {
        inner: crimeperf::Rag::assess_proportion(
            numerator,
            denominator,
            baseline_numerator,
            baseline_denominator,
            target,
            Polarity::from_str(polarity)?,
            rule,
        )?,
    })
}
