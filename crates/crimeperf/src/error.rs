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
    /// A monthly series has no value for a month it needs (a gap, or a month outside the
    /// series). Explicit zeros are fine; filling gaps with zeros is an opt-in
    /// ([`MonthlyCounts::with_zeros_filled`](crate::MonthlyCounts::with_zeros_filled)).
    #[error("the series {series:?} has no value for {month}")]
    MissingMonth {
        /// The series' label (area, crime type).
        series: String,
        /// The month missing, e.g. "2024-03".
        month: String,
    },
    /// A monthly series gives a month twice.
    #[error("the series {series:?} gives {month} more than once")]
    DuplicateMonth {
        /// The series' label.
        series: String,
        /// The month repeated.
        month: String,
    },
    /// A value of a series (an SPC point, a monthly count, a population) is missing (NaN), not
    /// finite or out of range.
    #[error("{series} {point}: {reason}, got {value}")]
    InvalidPoint {
        /// Which series, e.g. "SPC value" or the series' label.
        series: String,
        /// The point at fault: its month, or its position ("point 5").
        point: String,
        /// What the value must satisfy.
        reason: &'static str,
        /// The value given.
        value: f64,
    },
    /// Too few points (or months of history) for a statistic to mean anything.
    #[error("{what} has {got} points, fewer than the {minimum} needed{hint}")]
    TooFewPoints {
        /// What is short, e.g. "the SPC baseline starting at 2020-04".
        what: String,
        /// How many points there are.
        got: usize,
        /// How many are needed.
        minimum: usize,
        /// How to proceed anyway, if there is a way (e.g. "; pass allow_short to chart it anyway").
        hint: &'static str,
    },
    /// A rebase point or baseline that does not fit the series.
    #[error("invalid rebase at {at}: {reason}")]
    InvalidRebase {
        /// The point of the rebase (its month, or its position).
        at: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Options that do not fit together (a parameter the chosen method does not use, an input
    /// the chosen chart needs but was not given).
    #[error("{what}: {reason}")]
    InvalidOptions {
        /// Which statistic, e.g. "SPC".
        what: &'static str,
        /// What is wrong and what to do instead.
        reason: String,
    },
    /// Something wrong with one area's input (a negative count, a zero population, ...): the
    /// underlying error, with the area it belongs to.
    #[error("area {area}: {source}")]
    InArea {
        /// The area's code or name as given.
        area: String,
        /// What is wrong with its value.
        source: Box<Error>,
    },
    /// Something wrong with one indicator's definition: the underlying error, with its id.
    #[error("indicator {id:?}: {source}")]
    InIndicator {
        /// The indicator's id.
        id: String,
        /// What is wrong with it.
        source: Box<Error>,
    },
    /// An indicator catalogue that does not parse (TOML syntax, an unknown field, a wrong type;
    /// the message gives the line) or uses an id twice.
    #[error("indicator catalogue: {0}")]
    InvalidCatalogue(String),
    /// Two inputs that must have one value per area have different lengths.
    #[error("{what} has {got} values but there are {expected} {items}")]
    LengthMismatch {
        /// Which input, e.g. "populations".
        what: &'static str,
        /// What there must be one value for: "areas" or "variables".
        items: &'static str,
        /// The number of areas (or variables).
        expected: usize,
        /// The number of values given.
        got: usize,
    },
    /// An area that should be in a group (the focal area of a peer comparison) is not.
    #[error("area {area} is not in its own group; the group is: {members}")]
    AreaNotInGroup {
        /// The area looked for.
        area: String,
        /// The group's members, comma separated.
        members: String,
    },
    /// An area given twice where each must appear once.
    #[error("area {area} appears more than once in the {what}")]
    DuplicateArea {
        /// The repeated area.
        area: String,
        /// Where, e.g. "group" or "features".
        what: &'static str,
    },
    /// Too few areas for the calculation asked for.
    #[error("{what} needs at least {needed} areas, got {got}")]
    TooFewAreas {
        /// The calculation, e.g. "a funnel plot with overdispersion".
        what: &'static str,
        /// The least number of areas it needs.
        needed: usize,
        /// The number given.
        got: usize,
    },
    /// A missing (NaN) or infinite value in a table of area characteristics.
    #[error("variable {variable:?} has no finite value for area {area} (got {value})")]
    MissingValue {
        /// The variable (column).
        variable: String,
        /// The area (row).
        area: String,
        /// The value found.
        value: f64,
    },
    /// A variable with the same value for every area cannot be standardised.
    #[error("variable {variable:?} has the same value, {value}, for every area, so it cannot be z-scored")]
    ConstantVariable {
        /// The variable (column).
        variable: String,
        /// Its one value.
        value: f64,
    },
    /// A funnel-plot method that does not apply to the statistic (Wilson limits for a rate).
    #[error("the {method} method does not apply to funnel plots of a {statistic}")]
    UnsupportedFunnelMethod {
        /// The statistic, e.g. "rate".
        statistic: &'static str,
        /// The method asked for, e.g. "wilson".
        method: &'static str,
    },
}

/// `Result` with the crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
