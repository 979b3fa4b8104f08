//! Python arguments of the scalar and frame functions read as the statistics need them.
//!
//! pyo3's own conversions raise a plain `TypeError` for `None`, text or a whole float where an
//! integer is declared; these raise crimeperf's errors instead (`ArgumentTypeError`, which is
//! also a `TypeError`, naming the argument), and accept whole floats as counts, as the frame
//! functions do (pandas turns integer columns with gaps into floats).

use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyString};

use crate::cell::whole_number;
use crate::columns::NameOrValue;
use crate::error::{BindingError, Result};

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |name| name.to_string())
}

fn wrong_type(
    argument: &'static str,
    expected: &'static str,
    value: &Bound<'_, PyAny>,
) -> BindingError {
    BindingError::ArgumentType {
        argument,
        expected,
        got: type_name(value),
    }
}

/// A float given as a count: accepted when it is a whole number.
fn whole(argument: &'static str, value: f64) -> Result<i64> {
    whole_number(value).ok_or(BindingError::Core(crimeperf::Error::InvalidValue {
        what: argument,
        reason: "must be a whole number",
        value,
    }))
}

/// A count (crimes, solved crimes): an integer, or a float with no fractional part.
///
/// The sign and size are the statistic's to check; a Python integer beyond the 64-bit range is
/// an error here.
///
/// # Errors
///
/// [`BindingError::ArgumentType`] for anything that is not a number (a `bool` included);
/// an invalid-value error for a fractional, NaN or infinite float, or an integer beyond 64 bits.
pub fn count(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<i64> {
    if value.is_instance_of::<PyBool>() {
        return Err(wrong_type(argument, "a whole number", value));
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return whole(argument, float.value());
    }
    match value.extract::<i64>() {
        Ok(integer) => Ok(integer),
        Err(err) if err.is_instance_of::<PyOverflowError>(value.py()) => {
            Err(BindingError::Core(crimeperf::Error::InvalidValue {
                what: argument,
                reason: "is too large for a count",
                value: value.extract::<f64>().unwrap_or(f64::INFINITY),
            }))
        }
        // Other numbers (numpy.float32, Decimal, Fraction): whole ones are counts too.
        Err(_) => match value.extract::<f64>() {
            Ok(float) if !value.is_instance_of::<PyString>() => whole(argument, float),
            _ => Err(wrong_type(argument, "a whole number", value)),
        },
    }
}

/// A real number (populations, exposures, baselines, options such as `per`).
///
/// # Errors
///
/// [`BindingError::ArgumentType`] for anything that is not a number (a `bool` included).
pub fn real(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<f64> {
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
        return Err(wrong_type(argument, "a number", value));
    }
    value
        .extract::<f64>()
        .map_err(|_| wrong_type(argument, "a number", value))
}

/// An option label or a word (`method`, `rounding`, `unit`).
///
/// # Errors
///
/// [`BindingError::ArgumentType`] for anything that is not a `str`.
pub fn text(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<String> {
    if !value.is_instance_of::<PyString>() {
        return Err(wrong_type(argument, "a str", value));
    }
    value
        .extract::<String>()
        .map_err(|_| wrong_type(argument, "a str", value))
}

/// An optional column name: `None`, or a `str`.
///
/// # Errors
///
/// [`BindingError::ArgumentType`] for anything else.
pub fn optional_text(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<Option<String>> {
    if value.is_none() {
        Ok(None)
    } else {
        text(argument, value).map(Some)
    }
}

/// A column name or one number for every row (`exposure`, `change_percent`); `None` if omitted.
///
/// # Errors
///
/// [`BindingError::ArgumentType`] for anything that is neither a `str` nor a number.
pub fn name_or_value(
    argument: &'static str,
    value: &Bound<'_, PyAny>,
) -> Result<Option<NameOrValue>> {
    if value.is_none() {
        return Ok(None);
    }
    if value.is_instance_of::<PyString>() {
        return text(argument, value).map(|name| Some(NameOrValue::Name(name)));
    }
    real(argument, value)
        .map(|number| Some(NameOrValue::Value(number)))
        .map_err(|_| wrong_type(argument, "a column name or a number", value))
}

/// A yes/no switch (`require_significance`).
///
/// # Errors
///
/// [`BindingError::ArgumentType`] for anything that is not a `bool`.
pub fn flag(argument: &'static str, value: &Bound<'_, PyAny>) -> Result<bool> {
    value
        .cast::<PyBool>()
        .map(|flag| flag.is_true())
        .map_err(|_| wrong_type(argument, "True or False", value))
}
