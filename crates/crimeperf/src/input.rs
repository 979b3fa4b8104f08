//! Validation of raw inputs, shared by every statistic so that each rule lives in one place.

use crate::{Error, Result};

/// A count must be zero or more; returns it as `u64`.
pub(crate) fn count(what: &'static str, value: i64) -> Result<u64> {
    u64::try_from(value).map_err(|_| Error::NegativeCount { what, value })
}

/// The sum of two valid counts, or an overflow error.
pub(crate) fn count_sum(first: i64, second: i64) -> Result<u64> {
    count("count", first)?
        .checked_add(count("count", second)?)
        .ok_or(Error::CountOverflow { first, second })
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
