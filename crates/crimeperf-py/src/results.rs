//! The named results of the scalar functions: `Rate`, `Proportion`, `ProportionChange`,
//! `Change` and `Rag`, each a read-only view of the core's result with a readable `repr`, an
//! HTML table for Jupyter and `to_dict()`.

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

impl From<Option<f64>> for Val {
    fn from(value: Option<f64>) -> Self {
        value.map_or(Val::None, Val::Float)
    }
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

fn int(value: u64) -> Val {
    i64::try_from(value).map_or(Val::Float(value as f64), Val::Int)
}

/// One `#[pymethods]` block for a result class: its own methods plus `__repr__`, `__str__`,
/// `_repr_html_`, `to_dict` and `__eq__`, built from its `fields()` and `sentence()`.
macro_rules! record_methods {
    ($ty:ty, $name:literal, { $($body:tt)* }) => {
        #[pymethods]
        impl $ty {
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

impl Rate {
    fn fields(&self) -> Vec<(&'static str, Val)> {
        let r = &self.inner;
        vec![
            ("value", Val::Float(r.value)),
            ("lower", Val::Float(r.lower)),
            ("upper", Val::Float(r.upper)),
            ("method", Val::Str(r.method.label().to_owned())),
            ("count", int(r.count)),
            ("population", Val::Float(r.population)),
            ("per", Val::Float(r.per)),
            ("confidence", Val::Float(r.confidence.level())),
        ]
    }

    fn sentence(&self) -> String {
        self.inner.to_string()
    }
}

record_methods!(Rate, "Rate", {
    /// The rate: `count / population * per`.
    #[getter]
    fn value(&self) -> f64 {
        self.inner.value
    }
    /// The lower confidence limit of the rate.
    #[getter]
    fn lower(&self) -> f64 {
        self.inner.lower
    }
    /// The upper confidence limit of the rate.
    #[getter]
    fn upper(&self) -> f64 {
        self.inner.upper
    }
    /// The method that produced the limits: `"exact"` or `"byar"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.label()
    }
    /// The number of events.
    #[getter]
    fn count(&self) -> u64 {
        self.inner.count
    }
    /// The population the count relates to.
    #[getter]
    fn population(&self) -> f64 {
        self.inner.population
    }
    /// The multiplier (1,000 for a rate per 1,000).
    #[getter]
    fn per(&self) -> f64 {
        self.inner.per
    }
    /// The confidence level of the limits.
    #[getter]
    fn confidence(&self) -> f64 {
        self.inner.confidence.level()
    }
});

/// A proportion (e.g. a solved rate) with its Wilson interval, as fractions.
#[pyclass(frozen, module = "crimeperf", name = "Proportion")]
#[derive(Clone, PartialEq)]
pub struct Proportion {
    pub(crate) inner: crimeperf::Proportion,
}

fn proportion_fields(p: &crimeperf::Proportion) -> Vec<(&'static str, Val)> {
    vec![
        ("value", Val::Float(p.value)),
        ("lower", Val::Float(p.lower)),
        ("upper", Val::Float(p.upper)),
        ("percent", Val::Float(p.percent())),
        ("numerator", int(p.numerator)),
        ("denominator", int(p.denominator)),
        ("confidence", Val::Float(p.confidence.level())),
    ]
}

impl Proportion {
    fn fields(&self) -> Vec<(&'static str, Val)> {
        proportion_fields(&self.inner)
    }

    fn sentence(&self) -> String {
        self.inner.to_string()
    }
}

record_methods!(Proportion, "Proportion", {
    /// The proportion as a fraction.
    #[getter]
    fn value(&self) -> f64 {
        self.inner.value
    }
    /// The lower Wilson limit, as a fraction.
    #[getter]
    fn lower(&self) -> f64 {
        self.inner.lower
    }
    /// The upper Wilson limit, as a fraction.
    #[getter]
    fn upper(&self) -> f64 {
        self.inner.upper
    }
    /// The proportion as a percentage.
    #[getter]
    fn percent(&self) -> f64 {
        self.inner.percent()
    }
    /// The numerator.
    #[getter]
    fn numerator(&self) -> u64 {
        self.inner.numerator
    }
    /// The denominator.
    #[getter]
    fn denominator(&self) -> u64 {
        self.inner.denominator
    }
    /// The confidence level of the limits.
    #[getter]
    fn confidence(&self) -> f64 {
        self.inner.confidence.level()
    }
});

/// The change between two proportions in percentage points, with Newcombe's interval.
#[pyclass(frozen, module = "crimeperf", name = "ProportionChange")]
#[derive(Clone, PartialEq)]
pub struct ProportionChange {
    pub(crate) inner: crimeperf::ProportionChange,
}

impl ProportionChange {
    fn fields(&self) -> Vec<(&'static str, Val)> {
        let c = &self.inner;
        vec![
            ("value", Val::Float(c.value)),
            ("lower", Val::Float(c.lower)),
            ("upper", Val::Float(c.upper)),
            ("significance", Val::Str(c.significance.label().to_owned())),
            (
                "current",
                Val::Record("Proportion", proportion_fields(&c.current)),
            ),
            (
                "previous",
                Val::Record("Proportion", proportion_fields(&c.previous)),
            ),
            ("confidence", Val::Float(c.confidence.level())),
        ]
    }

    fn sentence(&self) -> String {
        self.inner.describe()
    }
}

record_methods!(ProportionChange, "ProportionChange", {
    /// The difference `current - previous` in percentage points.
    #[getter]
    fn value(&self) -> f64 {
        self.inner.value
    }
    /// The lower limit of the difference, in percentage points.
    #[getter]
    fn lower(&self) -> f64 {
        self.inner.lower
    }
    /// The upper limit of the difference, in percentage points.
    #[getter]
    fn upper(&self) -> f64 {
        self.inner.upper
    }
    /// `"increase"`, `"reduction"` or `"no_significant_change"`.
    #[getter]
    fn significance(&self) -> &'static str {
        self.inner.significance.label()
    }
    /// The current proportion.
    #[getter]
    fn current(&self) -> Proportion {
        Proportion {
            inner: self.inner.current,
        }
    }
    /// The previous proportion.
    #[getter]
    fn previous(&self) -> Proportion {
        Proportion {
            inner: self.inner.previous,
        }
    }
    /// The confidence level of the limits.
    #[getter]
    fn confidence(&self) -> f64 {
        self.inner.confidence.level()
    }
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

impl Change {
    fn fields(&self) -> Vec<(&'static str, Val)> {
        let c = &self.inner;
        vec![
            ("current", int(c.current)),
            ("previous", int(c.previous)),
            ("absolute", Val::Int(c.absolute)),
            ("percent", c.percent.into()),
            ("ratio", c.ratio.into()),
            ("lower", Val::Float(c.lower)),
            ("upper", Val::Float(c.upper)),
            ("p_value", Val::Float(c.p_value)),
            ("significance", Val::Str(c.significance.label().to_owned())),
            ("small_base", Val::Bool(c.small_base)),
            ("mid_p_value", Val::Float(c.mid_p_value)),
            ("minlike_mid_p_value", Val::Float(c.minlike_mid_p_value)),
            ("score_lower", Val::Float(c.score_lower)),
            ("score_upper", Val::Float(c.score_upper)),
            ("exposure", Val::Float(c.exposure)),
            ("previous_exposure", Val::Float(c.previous_exposure)),
            ("confidence", Val::Float(c.confidence.level())),
            ("unit", Val::Str(self.unit.clone())),
        ]
    }

    fn sentence(&self) -> String {
        self.inner.describe(&self.unit)
    }
}

record_methods!(Change, "Change", {
    /// The current count.
    #[getter]
    fn current(&self) -> u64 {
        self.inner.current
    }
    /// The previous (comparison) count.
    #[getter]
    fn previous(&self) -> u64 {
        self.inner.previous
    }
    /// `current - previous`.
    #[getter]
    fn absolute(&self) -> i64 {
        self.inner.absolute
    }
    /// The percent change in the rate; `None` when the previous count is 0.
    #[getter]
    fn percent(&self) -> Option<f64> {
        self.inner.percent
    }
    /// The rate ratio; `None` when the previous count is 0.
    #[getter]
    fn ratio(&self) -> Option<f64> {
        self.inner.ratio
    }
    /// The lower exact (Clopper-Pearson) limit of the rate ratio.
    #[getter]
    fn lower(&self) -> f64 {
        self.inner.lower
    }
    /// The upper exact limit of the rate ratio (`inf` when the previous count is 0).
    #[getter]
    fn upper(&self) -> f64 {
        self.inner.upper
    }
    /// The lower score limit of the rate ratio.
    #[getter]
    fn score_lower(&self) -> f64 {
        self.inner.score_lower
    }
    /// The upper score limit of the rate ratio.
    #[getter]
    fn score_upper(&self) -> f64 {
        self.inner.score_upper
    }
    /// The two-sided p-value of the exact conditional test.
    #[getter]
    fn p_value(&self) -> f64 {
        self.inner.p_value
    }
    /// Lancaster's two-sided mid-p value (twice the smaller one-sided mid-p).
    #[getter]
    fn mid_p_value(&self) -> f64 {
        self.inner.mid_p_value
    }
    /// statsmodels' `"cond-midp"`: the minlike p-value less half the point probability.
    #[getter]
    fn minlike_mid_p_value(&self) -> f64 {
        self.inner.minlike_mid_p_value
    }
    /// `"increase"`, `"reduction"` or `"no_significant_change"`.
    #[getter]
    fn significance(&self) -> &'static str {
        self.inner.significance.label()
    }
    /// True when either count is below `min_base` (ONS's rule).
    #[getter]
    fn small_base(&self) -> bool {
        self.inner.small_base
    }
    /// The exposure of the current period.
    #[getter]
    fn exposure(&self) -> f64 {
        self.inner.exposure
    }
    /// The exposure of the previous period.
    #[getter]
    fn previous_exposure(&self) -> f64 {
        self.inner.previous_exposure
    }
    /// The confidence level.
    #[getter]
    fn confidence(&self) -> f64 {
        self.inner.confidence.level()
    }
    /// The plural word for what is counted (used by `describe`).
    #[getter]
    fn unit(&self) -> &str {
        &self.unit
    }
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

/// A red/amber/green status against a target, with the reason.
#[pyclass(frozen, module = "crimeperf", name = "Rag")]
#[derive(Clone, PartialEq)]
pub struct Rag {
    pub(crate) inner: crimeperf::Rag,
}

impl Rag {
    fn fields(&self) -> Vec<(&'static str, Val)> {
        let r = &self.inner;
        let change = r.change.map_or(Val::None, |c| {
            Val::Record(
                "Change",
                Change {
                    inner: c,
                    unit: "crimes".to_owned(),
                }
                .fields(),
            )
        });
        vec![
            ("status", Val::Str(r.status.label().to_owned())),
            ("reason", Val::Str(r.reason.clone())),
            ("baseline", Val::Float(r.baseline)),
            ("actual", Val::Float(r.actual)),
            ("target", Val::Float(r.target)),
            ("polarity", Val::Str(r.polarity.label().to_owned())),
            ("change", change),
            (
                "proportion_change",
                r.proportion_change.map_or(Val::None, |c| {
                    Val::Record("ProportionChange", ProportionChange { inner: c }.fields())
                }),
            ),
        ]
    }

    fn sentence(&self) -> String {
        self.inner.to_string()
    }
}

record_methods!(Rag, "Rag", {
    /// `"green"`, `"amber"` or `"red"`.
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.label()
    }
    /// Why, in words.
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.reason
    }
    /// The baseline.
    #[getter]
    fn baseline(&self) -> f64 {
        self.inner.baseline
    }
    /// The actual value.
    #[getter]
    fn actual(&self) -> f64 {
        self.inner.actual
    }
    /// The target.
    #[getter]
    fn target(&self) -> f64 {
        self.inner.target
    }
    /// `"lower_is_better"` or `"higher_is_better"`.
    #[getter]
    fn polarity(&self) -> &'static str {
        self.inner.polarity.label()
    }
    /// The change in proportions (Newcombe), for the status of a proportion (`rag_proportion`).
    #[getter]
    fn proportion_change(&self) -> Option<ProportionChange> {
        self.inner
            .proportion_change
            .map(|inner| ProportionChange { inner })
    }
    /// The test of change from baseline to actual, when significance was required.
    #[getter]
    fn change(&self) -> Option<Change> {
        self.inner.change.map(|inner| Change {
            inner,
            unit: "crimes".to_owned(),
        })
    }
});
