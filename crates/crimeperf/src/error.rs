//! The one error type of the core crate.
//!
//! Every fallible function returns [`Result<T>`](crate::Result). Each variant names the value at
//! fault so that a caller processing thousands of areas can say *which* row was wrong.

use thiserror::Error;

/// Everything that can be wrong with the input to a crimeperf calculation.
///
/// Values are carried as text or numbers so the message can quote them back to the user; the
/// variants are stable and can be matched on (the Python binding maps each to an exception class).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A count (crimes, incidents, solved crimes) was negative.
    #[error("{what} must not be negative, got {value}")]
    NegativeCount {
        /// Which count, e.g. "current count".
        what: &'static str,
        /// The value given.
        value: i64,
    },
    /// A count above [`MAX_COUNT`](crate::MAX_COUNT): more crimes than any real area records, and
    /// beyond the range the exact methods are built for.
    #[error("{what} {value} is larger than the largest count accepted, {max}")]
    CountTooLarge {
        /// Which count.
        what: &'static str,
        /// The value given.
        value: i64,
        /// The largest count accepted.
        max: u64,
    },
    /// Two counts added together overflowed the 64-bit range.
    #[error("the counts {first} and {second} are too large to be added together")]
    CountOverflow {
        /// The first count.
        first: i64,
        /// The second count.
        second: i64,
    },
    /// A population, exposure or denominator was zero, negative, NaN or infinite.
    #[error("{what} must be a finite number above zero, got {value}")]
    InvalidDenominator {
        /// Which quantity, e.g. "population".
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// A numerator exceeded its denominator (e.g. more solved crimes than crimes).
    #[error("{what}: the numerator {numerator} is larger than the denominator {denominator}")]
    NumeratorAboveDenominator {
        /// Which proportion, e.g. "proportion".
        what: &'static str,
        /// The numerator given.
        numerator: i64,
        /// The denominator given.
        denominator: i64,
    },
    /// A confidence level outside the open interval (0, 1).
    #[error("confidence must be strictly between 0 and 1 (for example 0.95 or 0.998), got {0}")]
    InvalidConfidence(f64),
    /// A numeric argument that must be finite (a percentage, a multiplier, a target) was not, or
    /// was outside its allowed range.
    #[error("{what} {reason}, got {value}")]
    InvalidValue {
        /// Which argument.
        what: &'static str,
        /// What the argument must satisfy, e.g. "must be finite".
        reason: &'static str,
        /// The value given.
        value: f64,
    },
    /// A crime type or category label that is not in the taxonomy.
    #[error("unknown crime category {label:?}; expected one of: {expected}")]
    UnknownCategory {
        /// The label as given.
        label: String,
        /// The accepted labels, comma separated.
        expected: String,
    },
    /// Anti-social behaviour was put into a crime total. ASB is an incident series.
    #[error("anti-social behaviour is an incident series and cannot be counted in the crime total {0:?}")]
    IncidentInCrimeTotal(String),
    /// A period label that could not be parsed.
    #[error("cannot parse period {label:?}: {reason}")]
    InvalidPeriod {
        /// The label as given.
        label: String,
        /// Why it was rejected and what forms are accepted.
        reason: String,
    },
    /// An area code that is not a valid ONS GSS code of a known level.
    #[error("invalid area code {code:?}: {reason}")]
    InvalidAreaCode {
        /// The code as given.
        code: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A monthly series that skips a month.
    #[error("the monthly series jumps from {before} to {after}; {missing} month(s) are missing")]
    GapInSeries {
        /// The last month present before the gap.
        before: String,
        /// The first month present after the gap.
        after: String,
        /// How many months are missing.
        missing: u32,
    },
    /// A label for an option (rounding, polarity, method) that is not recognised. The message
    /// suggests the closest accepted labels ("did you mean 'half_up'?").
    #[error(
        "unknown {what} {label:?}; expected one of: {expected}{}",
        crate::suggest::hint_for_list(.label, .expected)
    )]
    UnknownOption {
        /// Which option, e.g. "rounding".
        what: &'static str,
        /// The label as given.
        label: String,
        /// The accepted labels, comma separated.
        expected: &'static str,
    },
}

/// `Result` with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
