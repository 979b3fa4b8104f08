//! One numeric value of an input frame, kept as given so that an error can quote it.
//!
//! Its own module because both the input columns ([`crate::columns`]) and the errors that quote
//! a bad row ([`crate::error`]) need it, and neither should depend on the other's module.

use std::fmt;

use pyo3::prelude::*;
use pyo3::types::PyNone;

/// One numeric input value as the frame holds it, kept as given so that an error can quote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// A signed integer.
    Int(i64),
    /// An unsigned integer beyond the signed range.
    UInt(u64),
    /// A floating-point number.
    Float(f64),
    /// A null.
    Null,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Int(v) => write!(f, "{v}"),
            Cell::UInt(v) => write!(f, "{v}"),
            // Debug formatting prints floats as Python does: 5000.0, NaN, inf.
            Cell::Float(v) => write!(f, "{v:?}"),
            Cell::Null => f.write_str("null"),
        }
    }
}

impl<'py> IntoPyObject<'py> for Cell {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self {
            Cell::Int(v) => v.into_pyobject(py)?.into_any(),
            Cell::UInt(v) => v.into_pyobject(py)?.into_any(),
            Cell::Float(v) => v.into_pyobject(py)?.into_any(),
            Cell::Null => PyNone::get(py).to_owned().into_any(),
        })
    }
}

/// `value` as an `i64` when it is a whole number in the 64-bit range (not NaN or infinite).
///
/// Counts may come as floats (pandas turns integer columns with gaps into floats); the frame
/// and the scalar functions accept the same ones.
#[inline]
pub fn whole_number(value: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything below it in magnitude fits in an i64.
    (value.fract() == 0.0 && value.abs() < 9_223_372_036_854_775_808.0).then_some(value as i64)
}
