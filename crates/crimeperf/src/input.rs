//! Validation of raw inputs, shared by every statistic so that each rule lives in one place.

use crate::{Error, Result};

/// The largest count any statistic accepts: a billion.
///
/// England and Wales record about 6.7 million crimes a year, so no real count comes near it; the
/// limit keeps the exact methods (whose cost grows with the square root of the count) fast and
/// within the range where they are tested.
pub const MAX_COUNT: u64 = 1_000_000_000;

/// A count must be zero or more and at most [`MAX_COUNT`]; returns it as `u64`.
pub(crate) fn count(what: &'static str, value: i64) -> Result<u64> {
    let count = u64::try_from(value).map_err(|_| Error::NegativeCount { what, value })?;
    if count > MAX_COUNT {
        return Err(Error::CountTooLarge {
            what,
            value,
            max: MAX_COUNT,
        });
    }
    Ok(count)
}

/// A population, exposure or denominator must be finite and above zero.
pub(crate) fn denominator(what: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidDenominator { what, value })
    }
}

/// A value that must be finite.
pub(crate) fn finite(what: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::InvalidValue {
            what,
            reason: "must be a finite number",
            value,
        })
    }
}

/// A count that must be zero or more, given as a float (baselines, targets, actuals).
pub(crate) fn non_negative(what: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::InvalidValue {
            what,
            reason: "must be a finite number of zero or more",
            value,
        })
    }
}

/// Checks that an input with one value per area has as many values as there are areas.
pub(crate) fn same_length(what: &'static str, areas: usize, got: usize) -> Result<()> {
    if areas == got {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            what,
            items: "areas",
            expected: areas,
            got,
        })
    }
}

/// Attaches the area to an error about one area's value, so that the message names it.
pub(crate) fn in_area<T>(area: &str, result: Result<T>) -> Result<T> {
    result.map_err(|source| area_error(area, source))
}

/// An error about one area's value, naming the area.
pub(crate) fn area_error(area: &str, source: Error) -> Error {
    Error::InArea {
        area: area.to_owned(),
        source: Box::new(source),
    }
}
