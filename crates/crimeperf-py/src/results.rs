//! The named results of the scalar functions: `Rate`, `Proportion`, `ProportionChange`,
//! `Change`, `Target` and `Rag`, each a read-only view of the core's result with a readable
//! `repr`, an HTML table for Jupyter and `to_dict()`.
//!
//! Each class lists its fields once, in `result_class!`: that one table gives both the Python
//! getters and the `fields()` that `repr`, the HTML table and `to_dict()` are made from.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// A field value of a result, for `repr`, HTML and `to_dict`.
pub enum Val {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// Text.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// Python's `None`.
    None,
    /// A nested result: its type name and fields.
    Record(&'static str, Vec<(&'static str, Val)>),
}

/// Formats a float with about six significant digits, as people read them.
pub fn readable(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let magnitude = value.abs();
    if value == value.trunc() && magnitude < 1e15 {
        return format!("{value:.1}");
    }
    if (1e-4..1e15).contains(&magnitude) {
        let decimals = (5 - magnitude.log10().floor() as i32).clamp(1, 12) as usize;
        // The core's one rounding, half away from zero, as every printed figure.
        let text = crimeperf::format_fixed(value, decimals);
        let text = text.trim_end_matches('0');
        return if text.ends_with('.') {
            format!("{text}0")
        } else {
            text.to_owned()
        };
    }
    format!("{value:.5e}")
}

fn python_str(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn repr_val(val: &Val) -> String {
    match val {
        Val::Int(v) => v.to_string(),
        Val::Float(v) => readable(*v),
        Val::Str(s) => python_str(s),
        Val::Bool(true) => "True".to_owned(),
        Val::Bool(false) => "False".to_owned(),
        Val::None => "None".to_owned(),
        Val::Record(name, fields) => repr_record(name, fields),
    }
}

/// `Name(field=value, ...)`.
pub fn repr_record(name: &str, fields: &[(&'static str, Val)]) -> String {
    let inner = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", repr_val(v)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{name}({inner})")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_val(val: &Val) -> String {
    match val {
        Val::Record(name, fields) => html_record(name, None, fields),
        Val::Str(s) => escape_html(s),
        other => escape_html(&repr_val(other)),
    }
}

/// A two-column HTML table of the fields, captioned with the type name and a sentence.
pub fn html_record(name: &str, sentence: Option<&str>, fields: &[(&'static str, Val)]) -> String {
    let mut html = String::from("<table class=\"crimeperf\">");
    html.push_str("<caption style=\"text-align:left\"><b>");
    html.push_str(&escape_html(name));
    html.push_str("</b>");
    if let Some(sentence) = sentence {
        html.push_str(": ");
        html.push_str(&escape_html(sentence));
    }
    html.push_str("</caption><tbody>");
    for (key, val) in fields {
        html.push_str("<tr><th style=\"text-align:left\">");
        html.push_str(key);
        html.push_str("</th><td style=\"text-align:left\">");
        html.push_str(&html_val(val));
        html.push_str("</td></tr>");
    }
    html.push_str("</tbody></table>");
    html
}

fn val_to_py<'py>(py: Python<'py>, val: Val) -> PyResult<Bound<'py, PyAny>> {
    Ok(match val {
        Val::Int(v) => v.into_pyobject(py)?.into_any(),
        Val::Float(v) => v.into_pyobject(py)?.into_any(),
        Val::Str(s) => s.into_pyobject(py)?.into_any(),
        Val::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Val::None => py.None().into_bound(py),
        Val::Record(_, fields) => dict(py, fields)?.into_any(),
    })
}

/// The fields as a Python dict (nested results become nested dicts).
pub fn dict<'py>(
    py: Python<'py>,
    fields: Vec<(&'static str, Val)>,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (key, val) in fields {
        out.set_item(key, val_to_py(py, val)?)?;
    }
    Ok(out)
}

/// A getter's value as a field value of `repr`, HTML and `to_dict`.
pub trait ToVal {
    /// The field value.
    fn to_val(self) -> Val;
}

impl ToVal for f64 {
    fn to_val(self) -> Val {
        Val::Float(self)
    }
}

impl ToVal for Option<f64> {
    fn to_val(self) -> Val {
        self.map_or(Val::None, Val::Float)
    }
}

impl ToVal for Option<String> {
    fn to_val(self) -> Val {
        self.map_or(Val::None, Val::Str)
    }
}

impl ToVal for Option<&'static str> {
    fn to_val(self) -> Val {
        self.map_or(Val::None, |text| Val::Str(text.to_owned()))
    }
}

impl ToVal for i64 {
    fn to_val(self) -> Val {
        Val::Int(self)
    }
}

impl ToVal for u64 {
    fn to_val(self) -> Val {
        i64::try_from(self).map_or(Val::Float(self as f64), Val::Int)
    }
}

impl ToVal for bool {
    fn to_val(self) -> Val {
        Val::Bool(self)
    }
}

impl ToVal for &str {
    fn to_val(self) -> Val {
        Val::Str(self.to_owned())
    }
}

/// Declares a result class's fields once and generates from that table its getters, its
/// `fields()` (in the order listed) and the methods every result has: `__repr__`, `__str__`
/// (the sentence), `_repr_html_`, `to_dict` and `__eq__`. Other methods follow the table.
///
/// Each field is `name: type = |self_name| getter expression;` with its doc comment.
macro_rules! result_class {
    (
        $ty:ident, $name:literal, sentence = |$ss:ident| $sentence:expr,
        fields {
            $( $(#[doc = $doc:literal])* $field:ident : $ret:ty = |$s:ident| $get:expr; )*
        }
        methods { $($body:tt)* }
    ) => {
        impl $ty {
            fn fields(&self) -> Vec<(&'static str, Val)> {
                vec![$((stringify!($field), ToVal::to_val(self.$field()))),*]
            }

            fn sentence(&self) -> String {
                let $ss = self;
                $sentence
            }
        }

        impl ToVal for $ty {
            fn to_val(self) -> Val {
                Val::Record($name, self.fields())
            }
        }

        #[pymethods]
        impl $ty {
            $(
                $(#[doc = $doc])*
                #[getter]
                fn $field(&self) -> $ret {
                    let $s = self;
                    $get
                }
            )*

            $($body)*

            fn __repr__(&self) -> String {
                repr_record($name, &self.fields())
            }

            fn __str__(&self) -> String {
                self.sentence()
            }

            fn _repr_html_(&self) -> String {
                html_record($name, Some(&self.sentence()), &self.fields())
            }

            /// The fields as a dict (nested results as nested dicts).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                dict(py, self.fields())
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other.cast::<Self>().is_ok_and(|other| self == other.get())
            }
        }
    };
}

/// A rate per `per` of the population with its confidence interval.
#[pyclass(frozen, module = "crimeperf", name = "Rate")]
#[derive(Clone, PartialEq)]
pub struct Rate {
    pub(crate) inner: crimeperf::Rate,
}

result_class!(Rate, "Rate", sentence = |r| r.inner.to_string(),
fields {
    /// The rate: `count / population * per`.
    value: f64 = |r| r.inner.value;
    /// The lower confidence limit of the rate.
    lower: f64 = |r| r.inner.lower;
    /// The upper confidence limit of the rate.
    upper: f64 = |r| r.inner.upper;
    /// The method that produced the limits: `"exact"` or `"byar"`.
    method: &'static str = |r| r.inner.method.label();
    /// The number of events.
    count: u64 = |r| r.inner.count;
    /// The population the count relates to.
    population: f64 = |r| r.inner.population;
    /// The multiplier (1,000 for a rate per 1,000).
    per: f64 = |r| r.inner.per;
    /// The confidence level of the limits.
    confidence: f64 = |r| r.inner.confidence.level();
}
methods {});

/// A proportion (e.g. a solved rate) with its Wilson interval, as fractions.
#[pyclass(frozen, module = "crimeperf", name = "Proportion")]
#[derive(Clone, PartialEq)]
pub struct Proportion {
    pub(crate) inner: crimeperf::Proportion,
}

result_class!(Proportion, "Proportion", sentence = |p| p.inner.to_string(),
fields {
    /// The proportion as a fraction.
    value: f64 = |p| p.inner.value;
    /// The lower Wilson limit, as a fraction.
    lower: f64 = |p| p.inner.lower;
    /// The upper Wilson limit, as a fraction.
    upper: f64 = |p| p.inner.upper;
    /// The proportion as a percentage.
    percent: f64 = |p| p.inner.percent();
    /// The numerator.
    numerator: u64 = |p| p.inner.numerator;
    /// The denominator.
    denominator: u64 = |p| p.inner.denominator;
    /// The confidence level of the limits.
    confidence: f64 = |p| p.inner.confidence.level();
}
methods {});

/// The change between two proportions in percentage points, with Newcombe's interval.
#[pyclass(frozen, module = "crimeperf", name = "ProportionChange")]
#[derive(Clone, PartialEq)]
pub struct ProportionChange {
    pub(crate) inner: crimeperf::ProportionChange,
}

result_class!(ProportionChange, "ProportionChange", sentence = |c| c.inner.describe(),
fields {
    /// The difference `current - previous` in percentage points.
    value: f64 = |c| c.inner.value;
    /// The lower limit of the difference, in percentage points.
    lower: f64 = |c| c.inner.lower;
    /// The upper limit of the difference, in percentage points.
    upper: f64 = |c| c.inner.upper;
    /// `"increase"`, `"reduction"` or `"no_significant_change"`.
    significance: &'static str = |c| c.inner.significance.label();
    /// The current proportion.
    current: Proportion = |c| Proportion { inner: c.inner.current };
    /// The previous proportion.
    previous: Proportion = |c| Proportion { inner: c.inner.previous };
    /// The confidence level of the limits.
    confidence: f64 = |c| c.inner.confidence.level();
}
methods {
    /// The committee sentence, e.g. `"1.8 percentage points higher (26.1% against 24.3%)"`.
    fn describe(&self) -> String {
        self.inner.describe()
    }
});

/// The change between two counts with the exact conditional test.
#[pyclass(frozen, module = "crimeperf", name = "Change")]
#[derive(Clone, PartialEq)]
pub struct Change {
    pub(crate) inner: crimeperf::Change,
    pub(crate) unit: String,
}

result_class!(Change, "Change", sentence = |c| c.inner.describe(&c.unit),
fields {
    /// The current count.
    current: u64 = |c| c.inner.current;
    /// The previous (comparison) count.
    previous: u64 = |c| c.inner.previous;
    /// `current - previous`.
    absolute: i64 = |c| c.inner.absolute;
    /// The percent change in the rate; `None` when the previous count is 0.
    percent: Option<f64> = |c| c.inner.percent;
    /// The rate ratio; `None` when the previous count is 0.
    ratio: Option<f64> = |c| c.inner.ratio;
    /// The lower exact (Clopper-Pearson) limit of the rate ratio.
    lower: f64 = |c| c.inner.lower;
    /// The upper exact limit of the rate ratio (`inf` when the previous count is 0).
    upper: f64 = |c| c.inner.upper;
    /// The two-sided p-value of the exact conditional test.
    p_value: f64 = |c| c.inner.p_value;
    /// `"increase"`, `"reduction"` or `"no_significant_change"`.
    significance: &'static str = |c| c.inner.significance.label();
    /// True when either count is below `min_base` (ONS's rule).
    small_base: bool = |c| c.inner.small_base;
    /// Lancaster's two-sided mid-p value (twice the smaller one-sided mid-p).
    mid_p_value: f64 = |c| c.inner.mid_p_value;
    /// statsmodels' `"cond-midp"`: the minlike p-value less half the point probability.
    minlike_mid_p_value: f64 = |c| c.inner.minlike_mid_p_value;
    /// The lower score limit of the rate ratio.
    score_lower: f64 = |c| c.inner.score_lower;
    /// The upper score limit of the rate ratio.
    score_upper: f64 = |c| c.inner.score_upper;
    /// The exposure of the current period.
    exposure: f64 = |c| c.inner.exposure;
    /// The exposure of the previous period.
    previous_exposure: f64 = |c| c.inner.previous_exposure;
    /// The confidence level.
    confidence: f64 = |c| c.inner.confidence.level();
    /// The plural word for what is counted (used by `describe`).
    unit: &str = |c| &c.unit;
}
methods {
    /// The committee sentence, e.g. `"22.6% increase (38 crimes)"`; with `verdict=True` also
    /// the verdict and its basis: `"..., not a statistically significant change (exact
    /// conditional test, two-sided minlike p = 0.056)"`.
    #[pyo3(signature = (unit = None, *, verdict = false))]
    fn describe(&self, unit: Option<&str>, verdict: bool) -> String {
        let unit = unit.unwrap_or(&self.unit);
        if verdict {
            self.inner.describe_with_verdict(unit)
        } else {
            self.inner.describe(unit)
        }
    }
});

/// A target from a baseline, with its unrounded value and, given the expected count, the
/// probability of meeting it by chance alone.
#[pyclass(frozen, module = "crimeperf", name = "Target")]
#[derive(Clone, PartialEq)]
pub struct Target {
    pub(crate) inner: crimeperf::Target,
    /// The expected count the probability was computed for, if one was given.
    pub(crate) expected: Option<f64>,
    /// `P(a Poisson count with mean expected meets the target)`, if `expected` was given.
    pub(crate) probability: Option<f64>,
}

result_class!(Target, "Target", sentence = |t| t.inner.to_string(),
fields {
    /// The published (rounded) target.
    value: f64 = |t| t.inner.value;
    /// The exact value before rounding, `baseline * (100 + change_percent) / 100`.
    unrounded: f64 = |t| t.inner.unrounded;
    /// How the target was rounded: `"half_up"`, `"floor"`, `"ceil"` or `"none"`.
    rounding: &'static str = |t| t.inner.rounding.label();
    /// The baseline the target was derived from.
    baseline: Option<f64> = |t| t.inner.baseline;
    /// The signed percent change applied to the baseline (-10 for a 10% reduction).
    change_percent: Option<f64> = |t| t.inner.change_percent;
    /// Which direction is good: `"lower_is_better"` or `"higher_is_better"`.
    polarity: &'static str = |t| t.inner.polarity.label();
    /// The expected count the probability is for (`None` when none was given).
    expected: Option<f64> = |t| t.expected;
    /// The probability that a Poisson count with mean `expected` meets the target (`None` when
    /// no expected count was given).
    probability: Option<f64> = |t| t.probability;
}
methods {
    /// The published target, so that a `Target` can be used as a number.
    fn __float__(&self) -> f64 {
        self.inner.value
    }
});

/// A red/amber/green status against a target, with the reason.
#[pyclass(frozen, module = "crimeperf", name = "Rag")]
#[derive(Clone, PartialEq)]
pub struct Rag {
    pub(crate) inner: crimeperf::Rag,
}

result_class!(Rag, "Rag", sentence = |r| r.inner.to_string(),
fields {
    /// `"green"`, `"amber"` or `"red"`.
    status: &'static str = |r| r.inner.status.label();
    /// Why, in words.
    reason: &str = |r| &r.inner.reason;
    /// The baseline.
    baseline: f64 = |r| r.inner.baseline;
    /// The actual value.
    actual: f64 = |r| r.inner.actual;
    /// The target.
    target: f64 = |r| r.inner.target;
    /// `"lower_is_better"` or `"higher_is_better"`.
    polarity: &'static str = |r| r.inner.polarity.label();
    /// The test of change from baseline to actual, when significance was required.
    change: Option<Change> = |r| r.inner.change.map(|inner| Change {
        inner,
        unit: "crimes".to_owned(),
    });
    /// The change in proportions (Newcombe), for the status of a proportion (`rag_proportion`).
    proportion_change: Option<ProportionChange> = |r| r.inner.proportion_change.map(|inner| ProportionChange { inner });
}
methods {});

impl ToVal for Option<ProportionChange> {
    fn to_val(self) -> Val {
        self.map_or(Val::None, ToVal::to_val)
    }
}

impl ToVal for Option<Change> {
    fn to_val(self) -> Val {
        self.map_or(Val::None, ToVal::to_val)
    }
}

/// The Poisson E-test of two counts with exposures.
#[pyclass(frozen, module = "crimeperf", name = "ETest")]
#[derive(Clone, PartialEq)]
pub struct ETest {
    pub(crate) inner: crimeperf::ETest,
    pub(crate) confidence: crimeperf::Confidence,
}

result_class!(ETest, "ETest", sentence = |t| t.inner.verdict(t.confidence.alpha()),
fields {
    /// The first count (treated area, or this period).
    current: u64 = |t| t.inner.current;
    /// The second count (control area, or the last period).
    previous: u64 = |t| t.inner.previous;
    /// The first count's exposure.
    exposure: f64 = |t| t.inner.exposure;
    /// The second count's exposure.
    previous_exposure: f64 = |t| t.inner.previous_exposure;
    /// `"score"` (statsmodels' `"etest"`) or `"wald"` (`"etest-wald"`).
    statistic_kind: &'static str = |t| t.inner.statistic_kind.label();
    /// The observed statistic (positive when the first rate is the higher); `None` when undefined.
    statistic: Option<f64> = |t| t.inner.statistic;
    /// The two-sided p-value; `None` when both counts are zero.
    p_value: Option<f64> = |t| t.inner.p_value;
    /// An upper bound on the null probability the sum left out.
    truncation_error: f64 = |t| t.inner.truncation_error;
    /// False when there is nothing to test (both counts zero).
    defined: bool = |t| t.inner.p_value.is_some();
    /// Why there is no p-value, if there is none.
    undefined: Option<String> = |t| t.inner.undefined.clone();
    /// The confidence level of the verdict.
    confidence: f64 = |t| t.confidence.level();
}
methods {
    /// The verdict: "not a statistically significant difference (E-test, p = 0.175)".
    fn describe(&self) -> String {
        self.sentence()
    }
});

/// The weighted displacement difference test, with the displacement quotient of a buffer.
#[pyclass(frozen, module = "crimeperf", name = "Wdd")]
#[derive(Clone, PartialEq)]
pub struct Wdd {
    pub(crate) inner: crimeperf::Wdd,
    pub(crate) wdq: Option<crimeperf::Wdq>,
    /// Why a buffer given has no quotient (a control without crimes in a period).
    pub(crate) wdq_error: Option<String>,
    pub(crate) unit: String,
}

impl Wdd {
    fn sentence_in(&self, unit: &str) -> String {
        let mut text = self.inner.describe(unit);
        if let Some(wdq) = &self.wdq {
            text.push_str("; in the buffer, ");
            text.push_str(&wdq.describe());
        } else if let Some(error) = &self.wdq_error {
            text.push_str("; in the buffer, no displacement quotient: ");
            text.push_str(error);
        }
        text
    }
}

result_class!(Wdd, "Wdd", sentence = |w| w.sentence_in(&w.unit),
fields {
    /// The total estimate: the treated area's change beyond the control's, plus the buffer's
    /// beyond its control's (negative: fewer crimes than expected).
    estimate: f64 = |w| w.inner.estimate;
    /// Its standard error.
    se: f64 = |w| w.inner.se;
    /// `estimate / se`; `None` when every count is zero.
    z: Option<f64> = |w| w.inner.z;
    /// The two-sided p-value (normal); `None` when undefined.
    p_value: Option<f64> = |w| w.inner.p_value;
    /// The lower limit of the interval; `None` when undefined.
    lower: Option<f64> = |w| w.inner.lower;
    /// The upper limit; `None` when undefined.
    upper: Option<f64> = |w| w.inner.upper;
    /// The treated area's change beyond the control's.
    local: f64 = |w| w.inner.local;
    /// Its standard error.
    local_se: f64 = |w| w.inner.local_se;
    /// The buffer's change beyond its control's (0 without a buffer).
    displacement: f64 = |w| w.inner.displacement_estimate;
    /// Its standard error.
    displacement_se: f64 = |w| w.inner.displacement_se;
    /// The weighted displacement quotient of the buffer; `None` without a buffer or when the
    /// treated area did not improve.
    wdq: Option<f64> = |w| w.wdq.as_ref().and_then(|q| q.wdq);
    /// What the quotient says, e.g. `"diffusion"` or `"displacement"`.
    wdq_reading: Option<&'static str> = |w| w.wdq.as_ref().and_then(|q| q.reading).map(|r| r.label());
    /// Why a buffer given has no quotient, if it has none.
    wdq_undefined: Option<String> = |w| w.wdq.as_ref().and_then(|q| q.undefined.clone()).or_else(|| w.wdq_error.clone());
    /// Why there is no test, if there is none.
    undefined: Option<String> = |w| w.inner.undefined.clone();
    /// The confidence level of the interval.
    confidence: f64 = |w| w.inner.confidence.level();
    /// The plural word for what is counted (used by `describe`).
    unit: &str = |w| &w.unit;
}
methods {
    /// The committee sentence, e.g. "10.0 fewer crimes in the treated area than the control
    /// area's trend predicts (95% interval ...): not a statistically significant difference".
    #[pyo3(signature = (unit = None))]
    fn describe(&self, unit: Option<&str>) -> String {
        self.sentence_in(unit.unwrap_or(&self.unit))
    }
});

/// A survey share with its Wilson interval on the effective sample size.
#[pyclass(frozen, module = "crimeperf", name = "SurveyProportion")]
#[derive(Clone, PartialEq)]
pub struct SurveyProportion {
    pub(crate) inner: crimeperf::SurveyProportion,
}

result_class!(SurveyProportion, "SurveyProportion", sentence = |p| p.inner.to_string(),
fields {
    /// The share, as a fraction.
    value: f64 = |p| p.inner.value;
    /// The lower limit, as a fraction.
    lower: f64 = |p| p.inner.lower;
    /// The upper limit, as a fraction.
    upper: f64 = |p| p.inner.upper;
    /// The share as a percentage.
    percent: f64 = |p| p.inner.percent();
    /// The number of respondents.
    base: u64 = |p| p.inner.base;
    /// The base over the design effect.
    effective_base: f64 = |p| p.inner.effective_base;
    /// The design effect used.
    design_effect: f64 = |p| p.inner.design_effect;
    /// The confidence level of the limits.
    confidence: f64 = |p| p.inner.confidence.level();
}
methods {});

/// The change in a survey share between two waves, with Newcombe's interval.
#[pyclass(frozen, module = "crimeperf", name = "SurveyChange")]
#[derive(Clone, PartialEq)]
pub struct SurveyChange {
    pub(crate) inner: crimeperf::SurveyChange,
}

result_class!(SurveyChange, "SurveyChange", sentence = |c| c.inner.describe(),
fields {
    /// The change in percentage points.
    value: f64 = |c| c.inner.value;
    /// The lower limit, in percentage points.
    lower: f64 = |c| c.inner.lower;
    /// The upper limit, in percentage points.
    upper: f64 = |c| c.inner.upper;
    /// `"increase"`, `"reduction"` or `"no_significant_change"`.
    significance: &'static str = |c| c.inner.significance.label();
    /// This wave.
    current: SurveyProportion = |c| SurveyProportion { inner: c.inner.current };
    /// The earlier wave.
    previous: SurveyProportion = |c| SurveyProportion { inner: c.inner.previous };
    /// The confidence level.
    confidence: f64 = |c| c.inner.confidence.level();
}
methods {
    /// The committee sentence, e.g. "5.3 percentage points lower (55.7% against 61.0%)".
    fn describe(&self) -> String {
        self.inner.describe()
    }
});

/// An indirectly standardised ratio (observed over expected) with its interval.
#[pyclass(frozen, module = "crimeperf", name = "StandardisedRatio")]
#[derive(Clone, PartialEq)]
pub struct StandardisedRatio {
    pub(crate) inner: crimeperf::StandardisedRatio,
}

result_class!(StandardisedRatio, "StandardisedRatio", sentence = |r| r.inner.describe(),
fields {
    /// `observed / expected * per`.
    value: f64 = |r| r.inner.value;
    /// The lower limit.
    lower: f64 = |r| r.inner.lower;
    /// The upper limit.
    upper: f64 = |r| r.inner.upper;
    /// `"exact"` (below 10 events) or `"byar"`.
    method: &'static str = |r| r.inner.method.label();
    /// The observed count.
    observed: u64 = |r| r.inner.observed;
    /// The expected count.
    expected: f64 = |r| r.inner.expected;
    /// The multiplier (100: 100 means as expected).
    per: f64 = |r| r.inner.per;
    /// The confidence level.
    confidence: f64 = |r| r.inner.confidence.level();
}
methods {
    /// The sentence, e.g. "10.9 (8.8 to 13.4): significantly below the expected 100".
    fn describe(&self) -> String {
        self.inner.describe()
    }
});
