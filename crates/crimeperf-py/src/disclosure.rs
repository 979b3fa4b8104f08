//! Disclosure control for Python: the core's `suppress` on a table of counts given as rows of
//! whole numbers (the Python side reads them from the caller's frame).

use crimeperf::{suppress, SuppressionOptions};
use pyo3::prelude::*;

use crate::arguments;
use crate::error::Result;

/// The published counts and the reasons (`"primary"`, `"secondary"` or `None`) of a table.
type Published = (Vec<Vec<Option<u64>>>, Vec<Vec<Option<&'static str>>>);

/// Suppresses the small counts of `counts` (one list per row) and, with `secondary`, every cell
/// the row and column totals would give away.
#[pyfunction]
#[pyo3(signature = (counts, *, rows, columns, threshold, secondary, keep_zeros, rounding = None))]
pub fn suppress_table(
    counts: Vec<Vec<i64>>,
    rows: Vec<String>,
    columns: Vec<String>,
    threshold: &Bound<'_, PyAny>,
    secondary: &Bound<'_, PyAny>,
    keep_zeros: &Bound<'_, PyAny>,
    rounding: Option<&Bound<'_, PyAny>>,
) -> Result<Published> {
    let whole = |argument: &'static str, value: &Bound<'_, PyAny>| -> Result<u64> {
        let n = arguments::count(argument, value)?;
        Ok(
            u64::try_from(n).map_err(|_| crimeperf::Error::InvalidValue {
                what: argument,
                reason: "must not be negative",
                value: n as f64,
            })?,
        )
    };
    let options = SuppressionOptions {
        threshold: whole("threshold", threshold)?,
        secondary: arguments::flag("secondary", secondary)?,
        keep_zeros: arguments::flag("keep_zeros", keep_zeros)?,
        rounding: match rounding {
            Some(base) if !base.is_none() => Some(whole("rounding", base)?),
            _ => None,
        },
    };
    let table = suppress(&rows, &columns, &counts, &options)?;
    let reasons = table
        .reasons
        .iter()
        .map(|line| line.iter().map(|r| r.map(|r| r.label())).collect())
        .collect();
    Ok((table.values, reasons))
}
