//! The scalar statistics: one set of numbers in, one named result out.

use std::str::FromStr;

use crimeperf::{
    ChangeOptions, Confidence, EStatistic, Polarity, PrePost, RagRule, RateEstimator, RateMethod,
    Rounding, WddWeights,
};
use pyo3::prelude::*;

use crate::arguments;
use crate::error::{BindingError, Result};
use crate::results::{
    Change, ETest, Proportion, ProportionChange, Rag, Rate, StandardisedRatio, SurveyChange,
    SurveyProportion, Target, Wdd,
};

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
///
/// Every argument is required here and read by [`arguments`]: the defaults live in the Python
/// API (`crimeperf/_scalars.py`), which passes them all.
#[pyfunction]
#[pyo3(signature = (count, population, *, per, confidence, method))]
pub fn rate(
    count: &Bound<'_, PyAny>,
    population: &Bound<'_, PyAny>,
    per: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
    method: &Bound<'_, PyAny>,
) -> Result<Rate> {
    let estimator = RateEstimator::new(
        arguments::real("per", per)?,
        Confidence::new(arguments::real("confidence", confidence)?)?,
        RateMethod::from_str(&arguments::text("method", method)?)?,
    )?;
    Ok(Rate {
        inner: estimator.rate(
            arguments::count("count", count)?,
            arguments::real("population", population)?,
        )?,
    })
}

/// The proportion `numerator / denominator` with its Wilson interval.
#[pyfunction]
#[pyo3(signature = (numerator, denominator, *, confidence))]
pub fn proportion(
    numerator: &Bound<'_, PyAny>,
    denominator: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<Proportion> {
    Ok(Proportion {
        inner: crimeperf::Proportion::wilson(
            arguments::count("numerator", numerator)?,
            arguments::count("denominator", denominator)?,
            Confidence::new(arguments::real("confidence", confidence)?)?,
        )?,
    })
}

/// The change between two proportions in percentage points, with Newcombe's interval.
#[pyfunction]
#[pyo3(signature = (numerator, denominator, previous_numerator, previous_denominator, *, confidence))]
pub fn proportion_change(
    numerator: &Bound<'_, PyAny>,
    denominator: &Bound<'_, PyAny>,
    previous_numerator: &Bound<'_, PyAny>,
    previous_denominator: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<ProportionChange> {
    Ok(ProportionChange {
        inner: crimeperf::ProportionChange::newcombe(
            arguments::count("numerator", numerator)?,
            arguments::count("denominator", denominator)?,
            arguments::count("previous_numerator", previous_numerator)?,
            arguments::count("previous_denominator", previous_denominator)?,
            Confidence::new(arguments::real("confidence", confidence)?)?,
        )?,
    })
}

/// The change from `previous` to `current` with the exact conditional test.
#[pyfunction]
#[pyo3(signature = (current, previous, *, exposure, previous_exposure, confidence, min_base, unit))]
#[allow(clippy::too_many_arguments)]
pub fn change(
    current: &Bound<'_, PyAny>,
    previous: &Bound<'_, PyAny>,
    exposure: &Bound<'_, PyAny>,
    previous_exposure: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
    min_base: &Bound<'_, PyAny>,
    unit: &Bound<'_, PyAny>,
) -> Result<Change> {
    let options = ChangeOptions {
        exposure: arguments::real("exposure", exposure)?,
        previous_exposure: arguments::real("previous_exposure", previous_exposure)?,
        confidence: Confidence::new(arguments::real("confidence", confidence)?)?,
        min_base: self::min_base(arguments::count("min_base", min_base)?)?,
    };
    Ok(Change {
        inner: crimeperf::Change::with_options(
            arguments::count("current", current)?,
            arguments::count("previous", previous)?,
            &options,
        )?,
        unit: arguments::text("unit", unit)?,
    })
}

/// The target `change_percent`% away from `baseline`, rounded; with `expected`, the probability
/// that a Poisson count with that mean meets it.
#[pyfunction]
#[pyo3(signature = (baseline, change_percent, *, rounding, polarity, expected))]
pub fn target(
    baseline: &Bound<'_, PyAny>,
    change_percent: &Bound<'_, PyAny>,
    rounding: &Bound<'_, PyAny>,
    polarity: &Bound<'_, PyAny>,
    expected: &Bound<'_, PyAny>,
) -> Result<Target> {
    let inner = crimeperf::Target::from_baseline(
        arguments::real("baseline", baseline)?,
        arguments::real("change_percent", change_percent)?,
        Rounding::from_str(&arguments::text("rounding", rounding)?)?,
        Polarity::from_str(&arguments::text("polarity", polarity)?)?,
    )?;
    let expected = if expected.is_none() {
        None
    } else {
        Some(arguments::real("expected", expected)?)
    };
    let probability = expected
        .map(|mean| inner.probability_of_meeting(mean))
        .transpose()?;
    Ok(Target {
        inner,
        expected,
        probability,
    })
}

/// The RAG status of `actual` against `target`, from `baseline`.
#[pyfunction]
#[pyo3(signature = (baseline, actual, target, *, polarity, require_significance, confidence))]
pub fn rag(
    baseline: &Bound<'_, PyAny>,
    actual: &Bound<'_, PyAny>,
    target: &Bound<'_, PyAny>,
    polarity: &Bound<'_, PyAny>,
    require_significance: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<Rag> {
    let rule = rag_rule(
        arguments::flag("require_significance", require_significance)?,
        arguments::real("confidence", confidence)?,
    )?;
    Ok(Rag {
        inner: crimeperf::Rag::assess(
            arguments::real("baseline", baseline)?,
            arguments::real("actual", actual)?,
            arguments::real("target", target)?,
            Polarity::from_str(&arguments::text("polarity", polarity)?)?,
            rule,
        )?,
    })
}

/// The RAG status of a proportion (a solved rate) against a target percentage, from a baseline
/// proportion; the significance rule uses Newcombe's interval for the change in proportions.
#[pyfunction]
#[pyo3(signature = (numerator, denominator, baseline_numerator, baseline_denominator, target, *, polarity, require_significance, confidence))]
#[allow(clippy::too_many_arguments)]
pub fn rag_proportion(
    numerator: &Bound<'_, PyAny>,
    denominator: &Bound<'_, PyAny>,
    baseline_numerator: &Bound<'_, PyAny>,
    baseline_denominator: &Bound<'_, PyAny>,
    target: &Bound<'_, PyAny>,
    polarity: &Bound<'_, PyAny>,
    require_significance: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<Rag> {
    let rule = rag_rule(
        arguments::flag("require_significance", require_significance)?,
        arguments::real("confidence", confidence)?,
    )?;
    Ok(Rag {
        inner: crimeperf::Rag::assess_proportion(
            arguments::count("numerator", numerator)?,
            arguments::count("denominator", denominator)?,
            arguments::count("baseline_numerator", baseline_numerator)?,
            arguments::count("baseline_denominator", baseline_denominator)?,
            arguments::real("target", target)?,
            Polarity::from_str(&arguments::text("polarity", polarity)?)?,
            rule,
        )?,
    })
}

/// The Poisson E-test of `current` over `exposure` against `previous` over `previous_exposure`.
#[pyfunction]
#[pyo3(signature = (current, previous, *, exposure, previous_exposure, statistic, confidence))]
pub fn e_test(
    current: &Bound<'_, PyAny>,
    previous: &Bound<'_, PyAny>,
    exposure: &Bound<'_, PyAny>,
    previous_exposure: &Bound<'_, PyAny>,
    statistic: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<ETest> {
    let confidence = Confidence::new(arguments::real("confidence", confidence)?)?;
    let kind = EStatistic::from_str(&arguments::text("statistic", statistic)?)?;
    Ok(ETest {
        inner: crimeperf::ETest::new(
            arguments::count("current", current)?,
            arguments::count("previous", previous)?,
            arguments::real("exposure", exposure)?,
            arguments::real("previous_exposure", previous_exposure)?,
            kind,
        )?,
        confidence,
    })
}

/// Counts before and after in one area, checked; an error names the area.
fn pre_post(area: &str, counts: &(Bound<'_, PyAny>, Bound<'_, PyAny>)) -> Result<PrePost> {
    let before = arguments::count("before", &counts.0)?;
    let after = arguments::count("after", &counts.1)?;
    Ok(PrePost::new(area, before, after)?)
}

/// The weighted displacement difference of a treated area against a control, with an optional
/// buffer and its control; the buffer's displacement quotient when a buffer is given.
#[pyfunction]
#[pyo3(signature = (treated, control, displacement, control_displacement, *, time_weights, area_weights, confidence, unit))]
#[allow(clippy::too_many_arguments)]
pub fn wdd(
    treated: (Bound<'_, PyAny>, Bound<'_, PyAny>),
    control: (Bound<'_, PyAny>, Bound<'_, PyAny>),
    displacement: Option<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
    control_displacement: Option<(Bound<'_, PyAny>, Bound<'_, PyAny>)>,
    time_weights: (f64, f64),
    area_weights: (f64, f64, f64, f64),
    confidence: &Bound<'_, PyAny>,
    unit: &Bound<'_, PyAny>,
) -> Result<Wdd> {
    let treated = pre_post("treated", &treated)?;
    let control = pre_post("control", &control)?;
    let displacement = displacement
        .map(|counts| pre_post("displacement", &counts))
        .transpose()?;
    let control_displacement = control_displacement
        .map(|counts| pre_post("control_displacement", &counts))
        .transpose()?;
    let weights = WddWeights {
        before: time_weights.0,
        after: time_weights.1,
        treated: area_weights.0,
        control: area_weights.1,
        displacement: area_weights.2,
        control_displacement: area_weights.3,
    };
    let confidence = Confidence::new(arguments::real("confidence", confidence)?)?;
    let inner = crimeperf::Wdd::new(
        treated,
        control,
        displacement,
        control_displacement,
        &weights,
        confidence,
    )?;
    // The quotient weighs the buffer against the treated area's gain, both over the control; a
    // control with no crimes in a period leaves it undefined (and says why) rather than failing
    // the test itself.
    let (wdq, wdq_error) =
        match displacement.map(|buffer| crimeperf::Wdq::new(treated, buffer, control)) {
            None => (None, None),
            Some(Ok(wdq)) => (Some(wdq), None),
            Some(Err(error)) => (None, Some(error.to_string())),
        };
    Ok(Wdd {
        inner,
        wdq,
        wdq_error,
        unit: arguments::text("unit", unit)?,
    })
}

/// One wave's share from a count or a printed percentage (exactly one of them) and its base.
fn survey_share(
    percent: Option<&Bound<'_, PyAny>>,
    count: Option<&Bound<'_, PyAny>>,
    base: &Bound<'_, PyAny>,
    design_effect: f64,
    confidence: Confidence,
) -> Result<crimeperf::SurveyProportion> {
    let base = arguments::count("base", base)?;
    Ok(match (percent, count) {
        (Some(percent), None) => crimeperf::SurveyProportion::from_percent(
            arguments::real("percent", percent)?,
            base,
            design_effect,
            confidence,
        )?,
        (None, Some(count)) => crimeperf::SurveyProportion::from_count(
            arguments::count("count", count)?,
            base,
            design_effect,
            confidence,
        )?,
        _ => {
            return Err(BindingError::Core(crimeperf::Error::InvalidValue {
                what: "survey share",
                reason: "needs either a percent or a count of respondents, not both",
                value: f64::NAN,
            }))
        }
    })
}

/// A survey share with its Wilson interval on the effective sample size.
#[pyfunction]
#[pyo3(signature = (percent, count, *, base, design_effect, confidence))]
pub fn survey_proportion(
    percent: Option<Bound<'_, PyAny>>,
    count: Option<Bound<'_, PyAny>>,
    base: &Bound<'_, PyAny>,
    design_effect: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<SurveyProportion> {
    let confidence = Confidence::new(arguments::real("confidence", confidence)?)?;
    let design_effect = arguments::real("design_effect", design_effect)?;
    Ok(SurveyProportion {
        inner: survey_share(
            percent.as_ref(),
            count.as_ref(),
            base,
            design_effect,
            confidence,
        )?,
    })
}

/// The change in a survey share between two waves.
#[pyfunction]
#[pyo3(signature = (percent, previous_percent, count, previous_count, *, base, previous_base, design_effect, previous_design_effect, confidence))]
#[allow(clippy::too_many_arguments)]
pub fn survey_change(
    percent: Option<Bound<'_, PyAny>>,
    previous_percent: Option<Bound<'_, PyAny>>,
    count: Option<Bound<'_, PyAny>>,
    previous_count: Option<Bound<'_, PyAny>>,
    base: &Bound<'_, PyAny>,
    previous_base: &Bound<'_, PyAny>,
    design_effect: &Bound<'_, PyAny>,
    previous_design_effect: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<SurveyChange> {
    let confidence = Confidence::new(arguments::real("confidence", confidence)?)?;
    let current = survey_share(
        percent.as_ref(),
        count.as_ref(),
        base,
        arguments::real("design_effect", design_effect)?,
        confidence,
    )?;
    let previous = survey_share(
        previous_percent.as_ref(),
        previous_count.as_ref(),
        previous_base,
        arguments::real("previous_design_effect", previous_design_effect)?,
        confidence,
    )?;
    Ok(SurveyChange {
        inner: crimeperf::SurveyChange::new(current, previous)?,
    })
}

/// The indirectly standardised ratio of `observed` to `expected`, times `per`.
#[pyfunction]
#[pyo3(signature = (observed, expected, *, per, confidence))]
pub fn standardised_ratio(
    observed: &Bound<'_, PyAny>,
    expected: &Bound<'_, PyAny>,
    per: &Bound<'_, PyAny>,
    confidence: &Bound<'_, PyAny>,
) -> Result<StandardisedRatio> {
    Ok(StandardisedRatio {
        inner: crimeperf::StandardisedRatio::new(
            arguments::count("observed", observed)?,
            arguments::real("expected", expected)?,
            arguments::real("per", per)?,
            Confidence::new(arguments::real("confidence", confidence)?)?,
        )?,
    })
}

/// `value` rounded to `decimals` places as text, half away from zero on its shortest decimal
/// form: the one rounding every sentence and table of the library uses.
#[pyfunction]
#[pyo3(signature = (value, decimals))]
pub fn format_fixed(value: f64, decimals: usize) -> String {
    crimeperf::format_fixed(value, decimals)
}

/// A period label ("2024/25", "2025", "2025 Q1", "2025/26 Q1", "2025-03", "2025-01..2025-06")
/// as the core reads it: its unit (`count_crimes`' period names, or "range"), its canonical label
/// and its first and last months ("2024-04").
#[pyfunction]
#[pyo3(signature = (label))]
pub fn period_months(label: &str) -> Result<(&'static str, String, String, String)> {
    let period = crimeperf::Period::from_str(label)?;
    let unit = match period {
        crimeperf::Period::Month(_) => "month",
        crimeperf::Period::Quarter(_) => "quarter",
        crimeperf::Period::FinancialQuarter(_) => "financial_quarter",
        crimeperf::Period::FinancialYear(_) => "financial_year",
        crimeperf::Period::CalendarYear(_) => "calendar_year",
        crimeperf::Period::Range(_) => "range",
    };
    let months = period.months();
    Ok((
        unit,
        period.to_string(),
        months.first().to_string(),
        months.last().to_string(),
    ))
}
