//! Year-end projection: where will the year end, given the year to date and the seasonal shape of
//! the years before, and how likely is the target?

use serde::{Deserialize, Serialize};

use crate::{
    year_to_date_range, Confidence, Error, Month, MonthRange, MonthlyCounts, Polarity, Result,
    Target,
};

/// The most years of history [`project_year_end`] accepts.
pub const MAX_HISTORY_YEARS: usize = 100;

/// Options of [`project_year_end`]. `ProjectionOptions::default()` is a financial year (April
/// start), three years of history, 95% confidence and no target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProjectionOptions {
    /// The first month of the reporting year (4 = April).
    pub year_start: u32,
    /// How many complete previous years give the seasonal profile.
    pub history_years: usize,
    /// The confidence level of the interval.
    pub confidence: Confidence,
    /// A year-end target, for the probability of meeting it.
    pub target: Option<Target>,
}

impl Default for ProjectionOptions {
    fn default() -> Self {
        ProjectionOptions {
            year_start: 4,
            history_years: 3,
            confidence: Confidence::default(),
            target: None,
        }
    }
}

/// One previous year's seasonal share: the part of its crime that fell by the same month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistoricalShare {
    /// The whole year.
    pub year: MonthRange,
    /// Its count from the start of the year to the month matching `through`.
    pub to_date: u64,
    /// Its whole-year count.
    pub total: u64,
    /// `to_date / total`.
    pub share: f64,
}

/// An expected year-end count with its interval and, given a target, the chance of meeting it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// The series' label.
    pub label: String,
    /// The reporting year being projected.
    pub year: MonthRange,
    /// The months counted so far.
    pub to_date_period: MonthRange,
    /// The count so far.
    pub to_date: u64,
    /// The previous years, most recent first.
    pub history: Vec<HistoricalShare>,
    /// The mean historical share `s̄`.
    pub share: f64,
    /// The standard deviation of the historical shares (`None` with one year of history).
    pub share_sd: Option<f64>,
    /// The expected year-end count `to_date / s̄`.
    pub expected: f64,
    /// The expected count still to come, `expected − to_date`.
    pub remaining: f64,
    /// Lower limit of the year-end count (never below `to_date`).
    pub lower: f64,
    /// Upper limit of the year-end count.
    pub upper: f64,
    /// The confidence level of the interval.
    pub confidence: Confidence,
    /// The target, if one was given.
    pub target: Option<Target>,
    /// The probability of meeting the target, if one was given.
    pub probability_of_meeting: Option<f64>,
}

/// Projects the reporting year's total from the year to date through `through`.
///
/// # Formula
///
/// For each of the `history_years` complete years before, the seasonal share
/// `sₖ = (count from the year's start to the same month) / (whole-year count)`; `s̄` is their mean
/// and `v` their sample variance. With `y` the year to date:
///
/// * expected year end `E = y / s̄`, still to come `R = E − y`;
/// * variance `Var = R + (y / s̄²)² · v · (1 + 1/H)`: the Poisson variance of the count still to
///   come, plus the spread of the share propagated by the delta method (`dE/ds = −y/s²`), as the
///   prediction variance of a new year's share (`v (1 + 1/H)` for `H` years); with one year of
///   history the share's spread cannot be estimated and only the Poisson term is used;
/// * interval `E ± z √Var` (`z` the normal quantile), the lower limit not below `y`;
/// * probability of meeting the target `t`: the count to come is taken as Poisson with mean `R`,
///   so `P(y + X ≤ t)` when lower is better (`P(y + X ≥ t)` when higher is), from
///   [`Target::probability_of_meeting`]; the uncertainty of the share is not included in it.
///
/// # Errors
///
/// [`Error::MissingMonth`] naming the first month of the year to date or of a history year the
/// series does not cover; [`Error::InvalidValue`] for `history_years` outside
/// 1–[`MAX_HISTORY_YEARS`] or a `year_start`
/// outside 1–12; [`Error::InvalidPoint`] naming a history year with no crimes in it, or when no
/// history year had any crime by the month of `through` (the share is then 0 and the projection
/// undefined).
///
/// # Examples
///
/// ```
/// use crimeperf::{project_year_end, Month, MonthlyCounts, Polarity, ProjectionOptions, Target};
///
/// // Three financial years of 120 crimes a month, then April to September 2025 at 100 a month.
/// let first: Month = "2022-04".parse()?;
/// let months: Vec<Month> = (0..42).map(|i| first.plus(i).unwrap()).collect();
/// let counts: Vec<i64> = (0..42).map(|i| if i < 36 { 120 } else { 100 }).collect();
/// let series = MonthlyCounts::new("all crime", &months, &counts)?;
/// let target = Target::absolute(1300.0, Polarity::LowerIsBetter)?;
/// let options = ProjectionOptions { target: Some(target), ..ProjectionOptions::default() };
/// let p = project_year_end(&series, "2025-09".parse()?, &options)?;
/// assert_eq!((p.to_date, p.share, p.expected), (600, 0.5, 1200.0));
/// // The 600 still to come have a Poisson sd of 24.5: the year ends within 1152 to 1248.
/// assert_eq!(format!("{:.0} to {:.0}", p.lower, p.upper), "1152 to 1248");
/// // scipy.stats.poisson.cdf(700, 600) = 0.99996
/// assert!((p.probability_of_meeting.unwrap() - 0.99996).abs() < 1e-5);
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn project_year_end(
    series: &MonthlyCounts,
    through: Month,
    options: &ProjectionOptions,
) -> Result<Projection> {
    if !(1..=MAX_HISTORY_YEARS).contains(&options.history_years) {
        return Err(Error::InvalidValue {
            what: "history_years",
            reason: "must be from 1 to 100",
            value: options.history_years as f64,
        });
    }
    let to_date_period = year_to_date_range(through, options.year_start)?;
    let year = MonthRange::new(to_date_period.first(), to_date_period.first().plus(11)?)?;
    let label = format!("the series {:?}", series.label);

    let mut history = Vec::with_capacity(options.history_years);
    for k in 1..=options.history_years as i64 {
        let back = -12 * k;
        let past_year = MonthRange::new(year.first().plus(back)?, year.last().plus(back)?)?;
        let past_to_date = MonthRange::new(past_year.first(), through.plus(back)?)?;
        let total = series.sum(past_year)?;
        let to_date = series.sum(past_to_date)?;
        if total == 0 {
            return Err(Error::InvalidPoint {
                series: label,
                point: past_year.to_string(),
                reason: "has no crimes in the whole year, so its seasonal share is undefined",
                value: 0.0,
            });
        }
        history.push(HistoricalShare {
            year: past_year,
            to_date,
            total,
            share: to_date as f64 / total as f64,
        });
    }
    let to_date = series.sum(to_date_period)?;

    let h = history.len() as f64;
    let share = history.iter().map(|s| s.share).sum::<f64>() / h;
    if share <= 0.0 {
        return Err(Error::InvalidPoint {
            series: label,
            point: to_date_period.to_string(),
            reason: "had no crimes by this month in any history year, so no projection can be made from its share",
            value: 0.0,
        });
    }
    let share_variance = (history.len() > 1).then(|| {
        history
            .iter()
            .map(|s| (s.share - share).powi(2))
            .sum::<f64>()
            / (h - 1.0)
    });
    let y = to_date as f64;
    let expected = y / share;
    // y/s̄ − y loses nothing worth keeping at crime-count scale, but clamp the rounding at s̄ = 1.
    let remaining = (expected - y).max(0.0);
    let slope = y / (share * share);
    let variance = remaining + share_variance.map_or(0.0, |v| slope * slope * v * (1.0 + 1.0 / h));
    let half_width = options.confidence.z() * variance.sqrt();

    let probability_of_meeting = match options.target {
        Some(target) => Some(probability_of_meeting(&target, y, remaining)?),
        None => None,
    };
    Ok(Projection {
        label: series.label.clone(),
        year,
        to_date_period,
        to_date,
        history,
        share,
        share_sd: share_variance.map(f64::sqrt),
        expected,
        remaining,
        lower: (expected - half_width).max(y),
        upper: expected + half_width,
        confidence: options.confidence,
        target: options.target,
        probability_of_meeting,
    })
}

/// `P(to_date + X meets target)` with `X ~ Poisson(remaining)`: the target less what is already
/// counted, through [`Target::probability_of_meeting`].
fn probability_of_meeting(target: &Target, to_date: f64, remaining: f64) -> Result<f64> {
    let left = target.value - to_date;
    if left < 0.0 {
        // Already past the target: a ceiling is missed for certain, a floor met for certain.
        return Ok(match target.polarity {
            Polarity::LowerIsBetter => 0.0,
            Polarity::HigherIsBetter => 1.0,
        });
    }
    Target::absolute(left, target.polarity)?.probability_of_meeting(remaining)
}
