//! Statistical process control (SPC) charts: is this month's figure a signal or the noise of an
//! unchanged process?
//!
//! [`spc`] draws no chart; it computes what a chart shows — centre, limits and sigma bands at
//! each point, which points are special causes and by which rule, whether each is an improvement
//! or a concern — and, given a target, whether the process will meet it.
//!
//! # Formula
//!
//! Limits are computed, in each segment (the series up to the first rebase, then from each rebase
//! to the next), from the segment's first `baseline` points (all of them by default):
//!
//! * `xmr`: centre `x̄`; average moving range `mR̄ = mean |xᵢ − xᵢ₋₁|` (with `screen`, ranges
//!   above 3.267 mR̄ are left out and mR̄ recomputed once); limits `x̄ ± 2.66 mR̄`; sigma
//!   `2.66 mR̄ / 3` (NHS England, "Making Data Count: Strengthening your decisions", 2019/2021;
//!   Wheeler, *Understanding Variation*).
//! * `c`: centre `c̄`, sigma `√c̄`; the lower limit and bands are not allowed below zero.
//! * `u`: values `uᵢ = xᵢ / nᵢ`, centre `ū = Σx / Σn`, sigma `√(ū / nᵢ)`, lower limits not below
//!   zero.
//! * `u_prime`: Laney (2002), "Improved control charts for attributes", *Quality Engineering*
//!   14(4): `zᵢ = (uᵢ − ū) / √(ū / nᵢ)`, `σ_z = mR̄(z) / 1.128`, sigma `√(ū / nᵢ) · σ_z`.
//!
//! The one-, two- and three-sigma bands are `centre ± k · sigma`; limits are the three-sigma
//! band.
//!
//! Rules (within each segment, over all of its points, baseline or not):
//!
//! * `mdc` (Making Data Count): a point beyond a limit (strictly); a shift of 7 (`shift_length`)
//!   or more consecutive points on one side of the centre, a point on the centre ending it; a
//!   trend of 7 (`trend_length`) or more consecutive points each strictly above (or below) the
//!   one before, a tie ending it; two of three consecutive points beyond two sigma on the same
//!   side (beyond three sigma included), the points beyond two sigma being flagged. Every point
//!   of a shift or trend is flagged. (NHSRplotthedots also asks the third point of a two-of-three
//!   to lie on the same side of the centre, and colours every special cause by the side of the
//!   centre its point lies on; here a trend is an improvement or a concern by its direction.)
//! * `western_electric` (Western Electric *Statistical Quality Control Handbook*, 1956): beyond a
//!   limit; two of three beyond two sigma; four of five beyond one sigma; 8 in a row on one side
//!   (`shift_length`); a trend only when `trend_length` is given.
//! * `anhoj` (Anhøj & Olesen 2014, "Run charts revisited", *PLoS ONE* 9(11): e113825, as in
//!   qicharts2): beyond a limit, and the runs analysis of [`RunsAnalysis`]; the points of an
//!   unusually long run fire [`Rule::LongRun`]. Too few crossings is a signal about the segment,
//!   not about a point: it is reported in [`SpcSegment::runs`] and flags no point.
//!
//! Each rule fires upwards (above the centre, beyond the upper band, rising) or downwards. A point
//! is an improvement when the rules that fire on it point the way of `improvement`, a concern
//! when they point the other way, and when both happen the `precedence` decides. [`SpcPoint::rule`]
//! names the first rule that fired in the order of [`Rule`], whichever its direction.
//!
//! Assurance against a target uses the limits of the last point (the process as it runs now):
//! with `improvement = decrease`, an upper limit at or below the target consistently meets it, a
//! lower limit above it consistently fails, and anything else is hit and miss (mirrored for
//! `increase`), as NHS England's assurance icons.

mod limits;
mod options;
mod rules;

use serde::{Deserialize, Serialize};

use crate::{check_monthly_series, Error, Month, Result};

pub use limits::{D2, MOVING_RANGE_SCREEN, XMR_LIMIT};
pub use options::{Assurance, Chart, Improvement, Precedence, Rule, RuleProfile, Variation};
pub use rules::RunsAnalysis;

use rules::{Bands, Lengths};

/// The fewest baseline points a segment may have unless `allow_short` is set (Making Data Count
/// asks for at least 12, preferably 20).
pub const MIN_POINTS: usize = 12;

/// A rebase: from point `at` (0-based) the limits are computed afresh, for a recorded reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rebase {
    /// The first point of the new segment (0-based position in the series).
    pub at: usize,
    /// Why the process is taken to have changed (a new recording rule, a new policy), shown
    /// beside the chart.
    pub reason: String,
}

impl Rebase {
    /// A rebase at point `at` for `reason`.
    pub fn new(at: usize, reason: impl Into<String>) -> Self {
        Rebase {
            at,
            reason: reason.into(),
        }
    }

    /// A rebase at `month`, found in `months`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRebase`] when `month` is not in `months`.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::spc::Rebase;
    /// use crimeperf::Month;
    ///
    /// let months: Vec<Month> = ["2020-02", "2020-03", "2020-04"].iter().map(|m| m.parse().unwrap()).collect();
    /// let rebase = Rebase::at_month(&months, "2020-04".parse()?, "first national lockdown")?;
    /// assert_eq!(rebase.at, 2);
    /// assert!(Rebase::at_month(&months, "2021-01".parse()?, "later").is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn at_month(months: &[Month], month: Month, reason: impl Into<String>) -> Result<Self> {
        let at = months
            .iter()
            .position(|&m| m == month)
            .ok_or_else(|| Error::InvalidRebase {
                at: month.to_string(),
                reason: "the month is not in the series".to_owned(),
            })?;
        Ok(Rebase::new(at, reason))
    }
}

/// How to draw an SPC chart. `SpcOptions::default()` is an XmR chart of a series where a
/// decrease is an improvement, with the Making Data Count rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SpcOptions {
    /// The kind of chart.
    pub chart: Chart,
    /// Which direction is an improvement.
    pub improvement: Improvement,
    /// The rule profile.
    pub rules: RuleProfile,
    /// The shift length; `None` for the profile's (7 for `mdc`, 8 for `western_electric`; not
    /// used by `anhoj`, whose run limit depends on the number of points).
    pub shift_length: Option<usize>,
    /// The trend length; `None` for the profile's (7 for `mdc`, none for `western_electric`;
    /// not used by `anhoj`).
    pub trend_length: Option<usize>,
    /// Which side wins when rules fire both ways on a point.
    pub precedence: Precedence,
    /// Screen the moving ranges (`xmr` and `u_prime`): leave out those above 3.267 × their
    /// average and recompute it.
    pub screen: bool,
    /// The number of points at the start of each segment that fix its limits; `None` for all.
    pub baseline: Option<usize>,
    /// Rebases, each with its reason. Never automatic.
    pub rebase: Vec<Rebase>,
    /// A target for the assurance verdict, in the units of the plotted values.
    pub target: Option<f64>,
    /// Allow segments with fewer than [`MIN_POINTS`] baseline points.
    pub allow_short: bool,
    /// Plot `u` and `u_prime` rates per this many of the denominator (1,000 for crimes per
    /// 1,000 residents); `None` for per 1.
    pub per: Option<f64>,
}

/// The values to chart: plain numbers, with their months and (for `u` and `u_prime`) their
/// denominators.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SpcSeries<'a> {
    /// The measure at each point; the numerators (counts) for `u` and `u_prime`.
    pub values: &'a [f64],
    /// The denominators (`u` and `u_prime` only).
    pub denominators: Option<&'a [f64]>,
    /// The month of each point, if known: checked to run without gaps, and named in errors.
    pub months: Option<&'a [Month]>,
}

impl<'a> SpcSeries<'a> {
    /// A series of values.
    pub fn new(values: &'a [f64]) -> Self {
        SpcSeries {
            values,
            denominators: None,
            months: None,
        }
    }

    /// The same series with the month of each point.
    pub fn with_months(self, months: &'a [Month]) -> Self {
        SpcSeries {
            months: Some(months),
            ..self
        }
    }

    /// The same series with a denominator for each point.
    pub fn with_denominators(self, denominators: &'a [f64]) -> Self {
        SpcSeries {
            denominators: Some(denominators),
            ..self
        }
    }

    /// "2020-04" when months are known, else "point 5" (1-based).
    fn name(&self, i: usize) -> String {
        match self.months.and_then(|m| m.get(i)) {
            Some(month) => month.to_string(),
            None => format!("point {}", i + 1),
        }
    }
}

/// One point of a chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpcPoint {
    /// Position in the series (0-based).
    pub index: usize,
    /// The month, when the series had months.
    pub month: Option<Month>,
    /// The plotted value (the rate `x/n` on `u` and `u_prime` charts).
    pub value: f64,
    /// The segment the point belongs to (0 before the first rebase).
    pub segment: usize,
    /// True when the point is one of its segment's baseline points.
    pub in_baseline: bool,
    /// The centre line.
    pub centre: f64,
    /// The lower process limit (three sigma).
    pub lower_limit: f64,
    /// The upper process limit (three sigma).
    pub upper_limit: f64,
    /// One sigma below the centre.
    pub lower_one_sigma: f64,
    /// One sigma above the centre.
    pub upper_one_sigma: f64,
    /// Two sigma below the centre.
    pub lower_two_sigma: f64,
    /// Two sigma above the centre.
    pub upper_two_sigma: f64,
    /// True when any rule fired.
    pub special_cause: bool,
    /// The first rule that fired, in the order of [`Rule`].
    pub rule: Option<Rule>,
    /// Every rule that fired, in the order of [`Rule`].
    pub rules: Vec<Rule>,
    /// Improvement, concern or common cause.
    pub variation: Variation,
}

impl SpcPoint {
    /// The point in words: "2020-04: special cause improvement (a point beyond a process
    /// limit)", or "2020-04: common cause variation".
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::spc::{spc, SpcOptions, SpcSeries};
    ///
    /// let mut values = vec![40.0, 44.0, 38.0, 41.0, 43.0, 39.0, 42.0, 40.0, 37.0, 41.0, 45.0, 40.0];
    /// values.push(12.0);
    /// let chart = spc(SpcSeries::new(&values), &SpcOptions::default())?;
    /// assert_eq!(chart.points[12].describe(), "point 13: special cause improvement (a point beyond a process limit)");
    /// assert_eq!(chart.points[0].describe(), "point 1: common cause variation");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn describe(&self) -> String {
        let at = match self.month {
            Some(month) => month.to_string(),
            None => format!("point {}", self.index + 1),
        };
        match (self.variation, self.rule) {
            (Variation::CommonCause, _) | (_, None) => format!("{at}: common cause variation"),
            (variation, Some(rule)) => format!(
                "{at}: special cause {} ({})",
                variation.label(),
                rule.description()
            ),
        }
    }
}

/// One segment of a chart: the points from one rebase to the next, with one set of limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpcSegment {
    /// The first point (0-based).
    pub first: usize,
    /// The last point.
    pub last: usize,
    /// How many points, from `first`, fixed the limits.
    pub baseline_points: usize,
    /// The centre line.
    pub centre: f64,
    /// The average moving range (`xmr`; of the z-scores for `u_prime`), after screening.
    pub mean_moving_range: Option<f64>,
    /// Moving ranges left out by screening.
    pub excluded_moving_ranges: usize,
    /// Laney's σ_z (`u_prime`).
    pub sigma_z: Option<f64>,
    /// Why the segment was started; `None` for the first.
    pub rebase_reason: Option<String>,
    /// The runs analysis (`anhoj` only).
    pub runs: Option<RunsAnalysis>,
}

/// An SPC chart's numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpcChart {
    /// The options it was drawn with.
    pub options: SpcOptions,
    /// The shift length applied (`None` for `anhoj`).
    pub shift_length: Option<usize>,
    /// The trend length applied (`None` when trends are not tested).
    pub trend_length: Option<usize>,
    /// One entry per point.
    pub points: Vec<SpcPoint>,
    /// One entry per segment.
    pub segments: Vec<SpcSegment>,
    /// The assurance verdict when a target was given.
    pub assurance: Option<Assurance>,
}

impl SpcChart {
    /// The points that are special causes.
    pub fn special_causes(&self) -> impl Iterator<Item = &SpcPoint> {
        self.points.iter().filter(|p| p.special_cause)
    }
}

/// Computes an SPC chart of `series`.
///
/// See the [module documentation](self) for the formulas and rules.
///
/// # Errors
///
/// * [`Error::InvalidPoint`] naming the point (its month, or "point 5") whose value is NaN,
///   infinite, or negative on a `c`, `u` or `u_prime` chart, or whose denominator is not a finite
///   number above zero;
/// * [`Error::LengthMismatch`] when months or denominators are not one per value;
/// * [`Error::GapInSeries`] / [`Error::InvalidPeriod`] when the months skip or repeat;
/// * [`Error::TooFewPoints`] for a segment with fewer than [`MIN_POINTS`] baseline points unless
///   `allow_short` (and, even then, fewer than 2 for `xmr`/`u_prime` or 1 for `c`/`u`);
/// * [`Error::InvalidRebase`] for a rebase at the first point, beyond the last, repeated, or
///   without a reason;
/// * [`Error::InvalidOptions`] for denominators or `per` given to an `xmr`/`c` chart, denominators missing from a
///   `u`/`u_prime` one, a shift or trend length given to `anhoj` or below 2, or a baseline of 0;
/// * [`Error::InvalidValue`] for a target that is not finite, and
///   [`Error::InvalidDenominator`] for a `per` that is not a finite number above zero.
///
/// # Examples
///
/// ```
/// use crimeperf::spc::{spc, Rule, SpcOptions, SpcSeries, Variation};
///
/// // Monthly burglaries that settle around 40, then one month of 75.
/// let mut values = vec![38.0, 42.0, 40.0, 39.0, 41.0, 43.0, 37.0, 40.0, 42.0, 38.0, 41.0, 39.0];
/// values.push(75.0);
/// let chart = spc(SpcSeries::new(&values), &SpcOptions::default())?;
/// let last = &chart.points[12];
/// assert_eq!((last.special_cause, last.rule), (true, Some(Rule::BeyondLimits)));
/// assert_eq!(last.variation, Variation::Concern); // a rise in crime
/// assert_eq!(chart.special_causes().count(), 1);
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn spc(series: SpcSeries<'_>, options: &SpcOptions) -> Result<SpcChart> {
    let n = series.values.len();
    let (shift_length, trend_length) = lengths(options)?;
    check_inputs(&series, options)?;
    // A rate per k is a rate per 1 of the denominator counted in thousands (or k): scaling the
    // denominators scales ū, each uᵢ and each sigma by k and leaves Laney's z-scores as they are.
    let per = options.per.unwrap_or(1.0);
    let scaled: Option<Vec<f64>> = series
        .denominators
        .map(|d| d.iter().map(|n| n / per).collect());
    let plotted: Vec<f64> = match &scaled {
        Some(d) => series.values.iter().zip(d).map(|(x, n)| x / n).collect(),
        None => series.values.to_vec(),
    };
    if let Some(i) = plotted.iter().position(|v| !v.is_finite()) {
        return Err(Error::InvalidPoint {
            series: "SPC rate".to_owned(),
            point: series.name(i),
            reason: "overflows: the value is too large for its denominator",
            value: plotted[i],
        });
    }
    let starts = segment_starts(&series, options)?;
    let floor_at_zero = options.chart != Chart::Xmr;
    let improvement = options.improvement.sign();

    let mut points = Vec::with_capacity(n);
    let mut segments = Vec::with_capacity(starts.len());
    for (s, &(first, ref reason)) in starts.iter().enumerate() {
        let end = starts.get(s + 1).map_or(n, |next| next.0);
        let len = end - first;
        let baseline = options.baseline.map_or(len, |b| b.min(len));
        let minimum = if options.allow_short {
            match options.chart {
                Chart::Xmr | Chart::UPrime => 2,
                Chart::C | Chart::U => 1,
            }
        } else {
            MIN_POINTS
        };
        if baseline < minimum {
            return Err(Error::TooFewPoints {
                what: format!("the SPC baseline starting at {}", series.name(first)),
                got: baseline,
                minimum,
                hint: if options.allow_short {
                    ""
                } else {
                    "; pass allow_short to chart it anyway"
                },
            });
        }
        let ones = vec![1.0; len];
        let denominators = scaled.as_ref().map_or(&ones[..], |d| &d[first..end]);
        let segment = limits::segment_limits(
            options.chart,
            &plotted[first..end],
            &series.values[first..end],
            denominators,
            baseline,
            options.screen,
        );
        let floor = |x: f64| if floor_at_zero { x.max(0.0) } else { x };
        let bands: Vec<Bands> = segment
            .sigma
            .iter()
            .map(|&sigma| Bands {
                centre: segment.centre,
                lower: [1.0, 2.0, 3.0].map(|k| floor(segment.centre - k * sigma)),
                upper: [1.0, 2.0, 3.0].map(|k| segment.centre + k * sigma),
            })
            .collect();
        // Finite values can still overflow a sum, a moving range or a limit (values near
        // f64::MAX): an error, never limits of infinity or NaN.
        let finite = |b: &Bands| {
            b.centre.is_finite()
                && b.lower.iter().all(|v| v.is_finite())
                && b.upper.iter().all(|v| v.is_finite())
        };
        if !bands.iter().all(finite) {
            return Err(Error::InvalidPoint {
                series: "SPC values".to_owned(),
                point: format!("from {}", series.name(first)),
                reason: "are too large to chart: the centre or limits overflow",
                value: segment.centre,
            });
        }
        let (fired, runs) = rules::evaluate(
            options.rules,
            Lengths {
                shift: shift_length,
                trend: trend_length,
            },
            &plotted[first..end],
            &bands,
        );
        for (j, (band, fired)) in bands.iter().zip(fired).enumerate() {
            let i = first + j;
            let better = fired.iter().any(|&(_, d)| d == improvement);
            let worse = fired.iter().any(|&(_, d)| d == -improvement);
            let variation = match (better, worse, options.precedence) {
                (false, false, _) => Variation::CommonCause,
                (true, false, _) | (true, true, Precedence::Improvement) => Variation::Improvement,
                (false, true, _) | (true, true, Precedence::Concern) => Variation::Concern,
            };
            let mut rules: Vec<Rule> = fired.iter().map(|&(rule, _)| rule).collect();
            rules.dedup();
            points.push(SpcPoint {
                index: i,
                month: series.months.map(|m| m[i]),
                value: plotted[i],
                segment: s,
                in_baseline: j < baseline,
                centre: band.centre,
                lower_limit: band.lower[2],
                upper_limit: band.upper[2],
                lower_one_sigma: band.lower[0],
                upper_one_sigma: band.upper[0],
                lower_two_sigma: band.lower[1],
                upper_two_sigma: band.upper[1],
                special_cause: !rules.is_empty(),
                rule: rules.first().copied(),
                rules,
                variation,
            });
        }
        segments.push(SpcSegment {
            first,
            last: end - 1,
            baseline_points: baseline,
            centre: segment.centre,
            mean_moving_range: segment.mean_moving_range,
            excluded_moving_ranges: segment.excluded_moving_ranges,
            sigma_z: segment.sigma_z,
            rebase_reason: reason.clone(),
            runs,
        });
    }
    let assurance = match (options.target, points.last()) {
        (Some(target), Some(last)) => Some(assurance(target, options.improvement, last)),
        _ => None,
    };
    Ok(SpcChart {
        options: options.clone(),
        shift_length,
        trend_length,
        points,
        segments,
        assurance,
    })
}

/// The assurance verdict of the process at `last` against `target`.
fn assurance(target: f64, improvement: Improvement, last: &SpcPoint) -> Assurance {
    let (lower, upper) = (last.lower_limit, last.upper_limit);
    match improvement {
        Improvement::Decrease if upper <= target => Assurance::ConsistentlyMeets,
        Improvement::Decrease if lower > target => Assurance::ConsistentlyFails,
        Improvement::Increase if lower >= target => Assurance::ConsistentlyMeets,
        Improvement::Increase if upper < target => Assurance::ConsistentlyFails,
        _ => Assurance::HitAndMiss,
    }
}

/// The shift and trend lengths in force.
fn lengths(options: &SpcOptions) -> Result<(Option<usize>, Option<usize>)> {
    let invalid = |reason: String| Error::InvalidOptions {
        what: "SPC",
        reason,
    };
    for (name, length) in [
        ("shift_length", options.shift_length),
        ("trend_length", options.trend_length),
    ] {
        if let Some(length) = length {
            if options.rules == RuleProfile::Anhoj {
                return Err(invalid(format!(
                    "{name} does not apply to the anhoj rules, whose run limit follows from the number of points"
                )));
            }
            if length < 2 {
                return Err(invalid(format!("{name} must be at least 2, got {length}")));
            }
        }
    }
    Ok(match options.rules {
        RuleProfile::Mdc => (
            Some(options.shift_length.unwrap_or(7)),
            Some(options.trend_length.unwrap_or(7)),
        ),
        RuleProfile::WesternElectric => (
            Some(options.shift_length.unwrap_or(8)),
            options.trend_length,
        ),
        RuleProfile::Anhoj => (None, None),
    })
}

/// Checks lengths, values, denominators, months and the target.
fn check_inputs(series: &SpcSeries<'_>, options: &SpcOptions) -> Result<()> {
    let n = series.values.len();
    let point = |i: usize, what: &str, reason: &'static str, value: f64| Error::InvalidPoint {
        series: what.to_owned(),
        point: series.name(i),
        reason,
        value,
    };
    if let Some(months) = series.months {
        if months.len() != n {
            return Err(Error::LengthMismatch {
                what: "months",
                items: "points",
                expected: n,
                got: months.len(),
            });
        }
        check_monthly_series(months.iter().copied())?;
    }
    let rate_chart = matches!(options.chart, Chart::U | Chart::UPrime);
    match (series.denominators, rate_chart) {
        (Some(d), true) => {
            if d.len() != n {
                return Err(Error::LengthMismatch {
                    what: "denominators",
                    items: "points",
                    expected: n,
                    got: d.len(),
                });
            }
            for (i, &value) in d.iter().enumerate() {
                if !(value.is_finite() && value > 0.0) {
                    return Err(point(
                        i,
                        "SPC denominator",
                        "must be a finite number above zero",
                        value,
                    ));
                }
            }
        }
        (None, false) => {}
        (Some(_), false) => {
            return Err(Error::InvalidOptions {
                what: "SPC",
                reason: format!(
                    "denominators are used only by u and u_prime charts, not {}",
                    options.chart
                ),
            })
        }
        (None, true) => {
            return Err(Error::InvalidOptions {
                what: "SPC",
                reason: format!(
                    "a {} chart needs a denominator for each point",
                    options.chart
                ),
            })
        }
    }
    for (i, &value) in series.values.iter().enumerate() {
        if value.is_nan() {
            return Err(point(i, "SPC value", "is missing (NaN)", value));
        }
        if !value.is_finite() {
            return Err(point(i, "SPC value", "must be finite", value));
        }
        if options.chart != Chart::Xmr && value < 0.0 {
            return Err(point(
                i,
                "SPC value",
                "must not be negative on a count or rate chart",
                value,
            ));
        }
    }
    if options.baseline == Some(0) {
        return Err(Error::InvalidOptions {
            what: "SPC",
            reason: "the baseline must have at least one point".to_owned(),
        });
    }
    if let Some(target) = options.target {
        crate::input::finite("target", target)?;
    }
    if let Some(per) = options.per {
        if !rate_chart {
            return Err(Error::InvalidOptions {
                what: "SPC",
                reason: format!(
                    "per applies to u and u_prime charts only, not {}",
                    options.chart
                ),
            });
        }
        crate::input::denominator("per", per)?;
    }
    Ok(())
}

/// The first point of each segment with the reason it was started.
fn segment_starts(
    series: &SpcSeries<'_>,
    options: &SpcOptions,
) -> Result<Vec<(usize, Option<String>)>> {
    let n = series.values.len();
    let mut rebases: Vec<&Rebase> = options.rebase.iter().collect();
    rebases.sort_by_key(|r| r.at);
    let mut starts = vec![(0, None)];
    for rebase in rebases {
        let invalid = |reason: &str| Error::InvalidRebase {
            at: series.name(rebase.at),
            reason: reason.to_owned(),
        };
        if rebase.reason.trim().is_empty() {
            return Err(invalid("each rebase needs a reason"));
        }
        if rebase.at == 0 {
            return Err(invalid(
                "a rebase at the first point changes nothing; use a baseline instead",
            ));
        }
        if rebase.at >= n {
            return Err(invalid("the series ends before it"));
        }
        if starts.last().map(|s| s.0) == Some(rebase.at) {
            return Err(invalid("the series is rebased twice at this point"));
        }
        starts.push((rebase.at, Some(rebase.reason.clone())));
    }
    Ok(starts)
}
